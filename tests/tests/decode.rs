//! The raw models are correct, not just compiling: responses shaped like a Camunda 8.10 server's
//! decode the way a user expects, a newer server's additions (enum values, fields, union
//! variants) do not break decoding, and requests serialise to what the server expects.

use camunda_raw::enums::ProcessInstanceStateEnum;
use camunda_raw::keys::{
    ElementInstanceKey, JobKey, ProcessDefinitionId, ProcessInstanceKey, TenantId,
};
use camunda_raw::types;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::HashSet;

/// Decodes `value` as `T`, failing the test with serde's message.
fn decode<T: DeserializeOwned>(value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(v) => v,
        Err(e) => panic!("{} does not decode: {e}", std::any::type_name::<T>()),
    }
}

/// Pretty JSON for a snapshot (insta's `json` feature is not enabled in this workspace).
fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("serialises")
}

/// `value` with every `null` member removed: what serialising a decoded model gives back.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Every `null` in `value`, as JSON pointers.
fn nulls(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(at.to_owned()),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                nulls(v, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                nulls(v, &format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// A process instance as `GET /v2/process-instances/{key}` returns it from an 8.10 server.
fn process_instance(state: &str) -> Value {
    json!({
        "processDefinitionId": "order-process",
        "processDefinitionName": "Order process",
        "processDefinitionVersion": 3,
        "processDefinitionVersionTag": "v3",
        "startDate": "2025-09-01T10:15:30.123Z",
        "endDate": null,
        "state": state,
        "suspendedDate": null,
        "hasIncident": false,
        "tenantId": "<default>",
        "processInstanceKey": "2251799813690746",
        "processDefinitionKey": "2251799813686749",
        "parentProcessInstanceKey": null,
        "parentElementInstanceKey": null,
        "rootProcessInstanceKey": "2251799813690746",
        "tags": ["priority:high", "region-eu"],
        "businessId": "order-12345"
    })
}

/// A job as `POST /v2/jobs/activation` returns it from an 8.10 server.
fn activated_job() -> Value {
    json!({
        "type": "create-new-user-record",
        "processDefinitionId": "new-account-onboarding-workflow",
        "processDefinitionVersion": 1,
        "elementId": "Activity_106kosb",
        "customHeaders": { "retryBackoff": "PT10S" },
        "worker": "worker-324",
        "retries": 3,
        "deadline": 1757280974277_i64,
        "variables": { "orderId": 42, "customer": { "name": "Ada" } },
        "tenantId": "<default>",
        "physicalTenantId": "default",
        "jobKey": "2251799813653498",
        "processInstanceKey": "2251799813690746",
        "processDefinitionKey": "2251799813686749",
        "elementInstanceKey": "2251799813686789",
        "kind": "BPMN_ELEMENT",
        "listenerEventType": "UNSPECIFIED",
        "userTask": null,
        "tags": [],
        "rootProcessInstanceKey": "2251799813690746",
        "businessId": null,
        "priority": 0,
        "jobLeaseToken": null
    })
}

// 1. Unknown enum values ------------------------------------------------------------------------

#[test]
fn unknown_enum_value_decodes_to_unknown_and_round_trips() {
    let result: types::ProcessInstanceSearchQueryResult = decode(json!({
        "items": [process_instance("ACTIVE"), process_instance("MIGRATING")],
        "page": { "totalItems": 2, "hasMoreTotalItems": false,
                  "startCursor": "WzIyNTE3OTk4MTM2ODcxMDJd", "endCursor": "WzIyNTE3OTk4MTM2ODcxMDJd" }
    }));
    assert_eq!(result.items[0].state, ProcessInstanceStateEnum::Active);
    assert_eq!(
        result.items[1].state,
        ProcessInstanceStateEnum::Unknown("MIGRATING".into())
    );
    assert!(!result.items[1].state.is_known());

    // Serialising keeps the server's value, so a pass-through proxy or cache loses nothing.
    let again = serde_json::to_value(&result.items[1]).unwrap();
    assert_eq!(again["state"], "MIGRATING");
    let known = serde_json::to_value(&result.items[0]).unwrap();
    assert_eq!(known["state"], "ACTIVE");
    assert_eq!(
        serde_json::to_value(ProcessInstanceStateEnum::Unknown("MIGRATING".into())).unwrap(),
        json!("MIGRATING")
    );
}

#[test]
fn unknown_enum_value_in_a_job_does_not_fail_activation() {
    let mut job = activated_job();
    job["kind"] = json!("SOME_FUTURE_KIND");
    job["listenerEventType"] = json!("ON_SOMETHING_NEW");
    let jobs: types::JobActivationResult = decode(json!({ "jobs": [job] }));
    assert_eq!(jobs.jobs[0].kind.as_str(), "SOME_FUTURE_KIND");
    assert!(!jobs.jobs[0].kind.is_known());
    assert_eq!(
        jobs.jobs[0].listener_event_type.as_str(),
        "ON_SOMETHING_NEW"
    );
}

#[test]
fn every_known_enum_value_parses_to_itself() {
    for state in ProcessInstanceStateEnum::KNOWN {
        let decoded: ProcessInstanceStateEnum = decode(json!(state.as_str()));
        assert_eq!(&decoded, state);
        assert!(decoded.is_known());
    }
}

// 2. Unknown fields -----------------------------------------------------------------------------

#[test]
fn unknown_fields_top_level_and_nested_are_ignored() {
    let mut instance = process_instance("COMPLETED");
    instance["aFieldFrom8_11"] = json!({ "nested": [1, 2, 3] });
    let result: types::ProcessInstanceSearchQueryResult = decode(json!({
        "items": [instance],
        "page": { "totalItems": 1, "hasMoreTotalItems": false,
                  "startCursor": null, "endCursor": null, "pageFlavour": "new" },
        "searchStatistics": { "tookMs": 3 }
    }));
    assert_eq!(result.items[0].state, ProcessInstanceStateEnum::Completed);
    assert_eq!(result.page.total_items, 1);

    let mut job = activated_job();
    job["newTopLevel"] = json!(true);
    let mut wait = wait_state(
        "TIMER",
        json!({ "dueDate": 1757280974277_i64, "repetitions": 2 }),
    );
    wait["details"]["calendar"] = json!("gregorian");
    wait["extra"] = json!(1);
    let _: types::ActivatedJobResult = decode(job);
    let _: types::ElementInstanceWaitStateResult = decode(wait);

    let problem: types::ProblemDetail = decode(json!({
        "type": "about:blank", "title": "Conflict", "status": 409,
        "traceId": "abc", "errors": [{ "field": "x" }]
    }));
    assert_eq!(problem.status, Some(409));
}

#[test]
fn no_generated_type_denies_unknown_fields() {
    let generated = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/camunda-raw/src/models.rs"
    ))
    .expect("models.rs is readable");
    assert!(
        generated.len() > 100_000,
        "models.rs looks truncated or moved"
    );
    let count = generated.matches("deny_unknown_fields").count();
    assert_eq!(
        count, 0,
        "a newer server's field would fail decoding: {count} `deny_unknown_fields`"
    );
}

// 3. Absent and null nullable fields ------------------------------------------------------------

#[test]
fn absent_nullable_fields_decode_to_none() {
    // Required-and-nullable in the spec; a server that omits null members leaves them out.
    let mut instance = process_instance("ACTIVE");
    let obj = instance.as_object_mut().unwrap();
    for field in [
        "processDefinitionName",
        "processDefinitionVersionTag",
        "endDate",
        "suspendedDate",
        "parentProcessInstanceKey",
        "parentElementInstanceKey",
        "rootProcessInstanceKey",
        "businessId",
    ] {
        assert!(obj.remove(field).is_some(), "{field} is in the fixture");
    }
    let pi: types::ProcessInstanceResult = decode(instance);
    assert_eq!(pi.process_definition_name, None);
    assert_eq!(pi.process_definition_version_tag, None);
    assert_eq!(pi.end_date, None);
    assert_eq!(pi.suspended_date, None);
    assert_eq!(pi.parent_process_instance_key, None);
    assert_eq!(pi.parent_element_instance_key, None);
    assert_eq!(pi.root_process_instance_key, None);
    assert_eq!(pi.business_id, None);

    let page: types::SearchQueryPageResponse =
        decode(json!({ "totalItems": 0, "hasMoreTotalItems": false }));
    assert!(page.start_cursor.is_none() && page.end_cursor.is_none());

    let mut job = activated_job();
    let obj = job.as_object_mut().unwrap();
    for field in [
        "userTask",
        "jobLeaseToken",
        "businessId",
        "rootProcessInstanceKey",
    ] {
        obj.remove(field);
    }
    let job: types::ActivatedJobResult = decode(job);
    assert!(job.user_task.is_none());
    assert!(job.job_lease_token.is_none());
    assert!(job.business_id.is_none());
    assert!(job.root_process_instance_key.is_none());
}

#[test]
fn explicit_null_decodes_to_none() {
    let mut instance = process_instance("TERMINATED");
    for field in [
        "processDefinitionName",
        "rootProcessInstanceKey",
        "businessId",
    ] {
        instance[field] = Value::Null;
    }
    let pi: types::ProcessInstanceResult = decode(instance);
    assert!(pi.end_date.is_none());
    assert!(pi.parent_process_instance_key.is_none());
    assert!(pi.process_definition_name.is_none());
    assert!(pi.root_process_instance_key.is_none());
    assert!(pi.business_id.is_none());

    let page: types::SearchQueryPageResponse = decode(
        json!({ "totalItems": 0, "hasMoreTotalItems": false, "startCursor": null, "endCursor": null }),
    );
    assert!(page.start_cursor.is_none() && page.end_cursor.is_none());
}

#[test]
fn present_values_decode_into_their_types() {
    let pi: types::ProcessInstanceResult = decode(process_instance("ACTIVE"));
    assert_eq!(pi.process_instance_key, "2251799813690746");
    assert_eq!(pi.tenant_id, "<default>");
    assert_eq!(pi.process_definition_id, "order-process");
    assert_eq!(pi.start_date.timestamp_millis(), 1_756_721_730_123);
    assert_eq!(pi.tags.0.len(), 2);
    assert_eq!(
        pi.business_id.as_ref().map(|b| b.as_str()),
        Some("order-12345")
    );

    let user_task = json!({
        "action": "complete", "assignee": null, "candidateGroups": [], "candidateUsers": ["ada"],
        "changedAttributes": [], "dueDate": null, "followUpDate": null, "formKey": null,
        "priority": 50, "userTaskKey": "2251799813685300"
    });
    let mut job = activated_job();
    job["userTask"] = user_task;
    job["jobLeaseToken"] = json!("550e8400-e29b-41d4-a716-446655440000");
    let job: types::ActivatedJobResult = decode(job);
    let task = job.user_task.expect("userTask is decoded");
    assert_eq!(task.candidate_users, ["ada"]);
    assert!(task.assignee.is_none());
    assert_eq!(
        job.job_lease_token.as_ref().map(|t| t.as_str()),
        Some("550e8400-e29b-41d4-a716-446655440000")
    );
}

// 4. ProblemDetail ------------------------------------------------------------------------------

#[test]
fn problem_detail_decodes_with_missing_members() {
    let only_title: types::ProblemDetail = decode(json!({ "title": "Unauthorized" }));
    assert_eq!(only_title.title.as_deref(), Some("Unauthorized"));
    assert_eq!(only_title.type_, "about:blank");
    assert_eq!(only_title.status, None);
    assert_eq!(only_title.instance, None);

    let status_and_detail: types::ProblemDetail =
        decode(json!({ "status": 503, "detail": "Partition 1 is unavailable" }));
    assert_eq!(status_and_detail.status, Some(503));
    assert_eq!(
        status_and_detail.detail.as_deref(),
        Some("Partition 1 is unavailable")
    );
    assert_eq!(status_and_detail.type_, "about:blank");
    assert_eq!(status_and_detail.title, None);

    let empty: types::ProblemDetail = decode(json!({}));
    assert_eq!(empty.type_, "about:blank");
    assert!(empty.title.is_none() && empty.status.is_none() && empty.detail.is_none());
    // Unset members are left out when the problem is serialised again (e.g. logged as JSON).
    insta::assert_snapshot!("problem_detail_empty_reserialised", pretty(&empty));
}

#[test]
fn problem_detail_full_body_round_trips() {
    let body = json!({
        "type": "https://docs.camunda.io/api/v2.0/problem-types/bad-request",
        "title": "Bad Request",
        "status": 400,
        "detail": "Request property [maxJobsToActivates] cannot be parsed",
        "instance": "/v2/jobs/activation"
    });
    let problem: types::ProblemDetail = decode(body.clone());
    assert_eq!(problem.status, Some(400));
    assert_eq!(serde_json::to_value(&problem).unwrap(), body);
}

// 5. Discriminated unions decode by their tag ----------------------------------------------------

/// Decodes `json` as `$ty`, asserts the variant, and asserts the variant serialises with the
/// same tag: one test per tag of every `discriminator` union in the spec.
macro_rules! tag_test {
    ($test:ident: $ty:ty, $variant:pat, $prop:literal = $tag:literal, $json:expr) => {
        #[test]
        fn $test() {
            let mut body: Value = $json;
            body[$prop] = json!($tag);
            let decoded: $ty = decode(body.clone());
            assert!(
                matches!(decoded, $variant),
                "{}={} decoded as {decoded:?}",
                $prop,
                $tag
            );
            let again = serde_json::to_value(&decoded).unwrap();
            assert_eq!(again[$prop], json!($tag), "tag lost when serialising");
            assert_eq!(
                again,
                without_nulls(body),
                "the variant does not round-trip"
            );
        }
    };
}

// JobResult (request side, `type`). Both variants have only optional members besides the tag:
// without the tag pinned, `adHocSubProcess` would decode as `userTask`.
tag_test!(job_result_user_task: types::JobResult, types::JobResult::UserTask(_),
    "type" = "userTask",
    json!({ "denied": true, "deniedReason": "missing approval",
            "corrections": { "assignee": "ada", "priority": 80 } }));
tag_test!(job_result_ad_hoc_sub_process: types::JobResult, types::JobResult::AdHocSubProcess(_),
    "type" = "adHocSubProcess",
    json!({ "activateElements": [{ "elementId": "task_a", "variables": { "x": 1 } }],
            "isCompletionConditionFulfilled": false, "isCancelRemainingInstances": false }));
tag_test!(job_result_ad_hoc_sub_process_bare: types::JobResult,
    types::JobResult::AdHocSubProcess(_), "type" = "adHocSubProcess", json!({}));
tag_test!(job_result_user_task_bare: types::JobResult, types::JobResult::UserTask(_),
    "type" = "userTask", json!({}));

// WaitStateDetails (response side, `waitStateType`). TIMER and USER_TASK share `dueDate`, and
// with nullable members optional SIGNAL, MESSAGE and TIMER bodies overlap.
tag_test!(wait_state_job: types::WaitStateDetails,
    types::WaitStateDetails::JobWaitStateDetails(_), "waitStateType" = "JOB",
    json!({ "jobKey": "2251799813653498", "jobType": "payment", "jobKind": "BPMN_ELEMENT",
            "listenerEventType": "UNSPECIFIED", "retries": 3 }));
tag_test!(wait_state_message: types::WaitStateDetails,
    types::WaitStateDetails::MessageWaitStateDetails(_), "waitStateType" = "MESSAGE",
    json!({ "messageName": "order-paid", "correlationKey": "order-12345" }));
tag_test!(wait_state_user_task: types::WaitStateDetails,
    types::WaitStateDetails::UserTaskWaitStateDetails(_), "waitStateType" = "USER_TASK",
    json!({ "taskKey": "2251799813685300", "dueDate": "2025-09-30T12:00:00Z" }));
tag_test!(wait_state_timer: types::WaitStateDetails,
    types::WaitStateDetails::TimerWaitStateDetails(_), "waitStateType" = "TIMER",
    json!({ "dueDate": 1757280974277_i64, "repetitions": 2 }));
tag_test!(wait_state_signal: types::WaitStateDetails,
    types::WaitStateDetails::SignalWaitStateDetails(_), "waitStateType" = "SIGNAL",
    json!({ "signalName": "shutdown" }));
tag_test!(wait_state_condition: types::WaitStateDetails,
    types::WaitStateDetails::ConditionWaitStateDetails(_), "waitStateType" = "CONDITION",
    json!({ "expression": "=x > 5", "events": ["create", "update"] }));

// AgentInstanceMessageContent (response side, `contentType`).
tag_test!(agent_content_text: types::AgentInstanceMessageContent,
    types::AgentInstanceMessageContent::TextContent(_), "contentType" = "TEXT",
    json!({ "text": "Hello" }));
tag_test!(agent_content_document: types::AgentInstanceMessageContent,
    types::AgentInstanceMessageContent::DocumentContent(_), "contentType" = "DOCUMENT",
    json!({ "documentReference": {
        "camunda.document.type": "camunda", "storeId": "in-memory",
        "documentId": "doc-1", "contentHash": null,
        "metadata": { "contentType": "text/plain", "fileName": "a.txt", "expiresAt": null,
                      "size": 5, "processDefinitionId": null, "processInstanceKey": null,
                      "customProperties": {} } } }));
tag_test!(agent_content_object: types::AgentInstanceMessageContent,
    types::AgentInstanceMessageContent::ObjectContent(_), "contentType" = "OBJECT",
    json!({ "object": { "text": "an object that has a text member" } }));

// ClusterRestoreOperation (response side, `operation`). UpdateIncarnationNumber's members are a
// subset of every other variant's; ModeChange and AwaitModeChange have identical members;
// PartitionPreRestore's are a subset of PartitionRestore's.
tag_test!(restore_partition_pre_restore: types::ClusterRestoreOperation,
    types::ClusterRestoreOperation::PartitionOperation(_),
    "operation" = "PartitionPreRestoreOperation",
    json!({ "brokerId": "0", "partitionId": 1 }));
tag_test!(restore_partition_restore: types::ClusterRestoreOperation,
    types::ClusterRestoreOperation::PartitionRestoreOperation(_),
    "operation" = "PartitionRestoreOperation",
    json!({ "brokerId": "0", "partitionId": 1, "backupIds": [1, 2] }));
tag_test!(restore_mode_change: types::ClusterRestoreOperation,
    types::ClusterRestoreOperation::ModeChangeOperation(_), "operation" = "ModeChangeOperation",
    json!({ "brokerId": "1", "mode": "RESTORE" }));
tag_test!(restore_await_mode_change: types::ClusterRestoreOperation,
    types::ClusterRestoreOperation::AwaitModeChangeOperation(_),
    "operation" = "AwaitModeChangeOperation",
    json!({ "brokerId": "1", "mode": "RESTORE" }));
tag_test!(restore_update_incarnation_number: types::ClusterRestoreOperation,
    types::ClusterRestoreOperation::BrokerOperation(_),
    "operation" = "UpdateIncarnationNumberOperation",
    json!({ "brokerId": "2" }));

// ProcessInstanceCreationRuntimeInstruction (request side, `type`): one variant today.
tag_test!(runtime_instruction_terminate: types::ProcessInstanceCreationRuntimeInstruction,
    types::ProcessInstanceCreationRuntimeInstruction(_), "type" = "TERMINATE_PROCESS_INSTANCE",
    json!({ "afterElementId": "Activity_review" }));

// SourceElementInstruction (request side, `sourceType`).
tag_test!(source_element_by_id: types::SourceElementInstruction,
    types::SourceElementInstruction::IdInstruction(_), "sourceType" = "byId",
    json!({ "sourceElementId": "Activity_a" }));
tag_test!(source_element_by_key: types::SourceElementInstruction,
    types::SourceElementInstruction::InstanceKeyInstruction(_), "sourceType" = "byKey",
    json!({ "sourceElementInstanceKey": "2251799813686789" }));

// AncestorScopeInstruction (request side, `ancestorScopeType`). `inferred` and `sourceParent`
// have identical members; `direct` is a superset of both.
tag_test!(ancestor_scope_direct: types::AncestorScopeInstruction,
    types::AncestorScopeInstruction::DirectAncestorKeyInstruction(_),
    "ancestorScopeType" = "direct",
    json!({ "ancestorElementInstanceKey": "2251799813686789" }));
tag_test!(ancestor_scope_inferred: types::AncestorScopeInstruction,
    types::AncestorScopeInstruction::InferredAncestorKeyInstruction(_),
    "ancestorScopeType" = "inferred", json!({}));
tag_test!(ancestor_scope_source_parent: types::AncestorScopeInstruction,
    types::AncestorScopeInstruction::UseSourceParentKeyInstruction(_),
    "ancestorScopeType" = "sourceParent", json!({}));

/// An element instance wait state as `POST /v2/element-instances/wait-states/search` returns it.
fn wait_state(tag: &str, details: Value) -> Value {
    let mut details = details;
    details["waitStateType"] = json!(tag);
    json!({
        "rootProcessInstanceKey": "2251799813690746",
        "processInstanceKey": "2251799813690746",
        "elementInstanceKey": "2251799813686789",
        "elementId": "Activity_106kosb",
        "elementType": "SERVICE_TASK",
        "tenantId": "<default>",
        "bpmnProcessId": "order-process",
        "details": details
    })
}

#[test]
fn wait_state_details_decode_inside_their_response() {
    let result: types::ElementInstanceWaitStateResult = decode(wait_state(
        "USER_TASK",
        json!({ "taskKey": "2251799813685300", "dueDate": null }),
    ));
    let types::WaitStateDetails::UserTaskWaitStateDetails(task) = result.details else {
        panic!("USER_TASK decoded as {:?}", result.details);
    };
    assert_eq!(task.task_key, "2251799813685300");
    assert!(task.due_date.is_none());

    // TIMER with every nullable member absent is still a timer, not the first variant that fits.
    let result: types::ElementInstanceWaitStateResult = decode(wait_state("TIMER", json!({})));
    assert!(matches!(
        result.details,
        types::WaitStateDetails::TimerWaitStateDetails(_)
    ));
}

#[test]
fn unknown_union_tags_from_a_newer_server_decode_as_unknown() {
    // A wait state type added after 8.10 does not fail the whole search result.
    let result: types::ElementInstanceWaitStateResult = decode(wait_state(
        "ESCALATION",
        json!({ "escalationCode": "late-payment" }),
    ));
    let types::WaitStateDetails::UnknownWaitStateDetails(details) = &result.details else {
        panic!("ESCALATION decoded as {:?}", result.details);
    };
    assert_eq!(details["waitStateType"], "ESCALATION");
    assert_eq!(details["escalationCode"], "late-payment");
    // The object is kept as received, so it serialises back unchanged.
    assert_eq!(
        serde_json::to_value(&result.details).unwrap(),
        json!({ "waitStateType": "ESCALATION", "escalationCode": "late-payment" })
    );

    let content: types::AgentInstanceMessageContent =
        decode(json!({ "contentType": "IMAGE", "url": "https://example.invalid/a.png" }));
    let types::AgentInstanceMessageContent::UnknownContent(unknown) = &content else {
        panic!("IMAGE decoded as {content:?}");
    };
    assert_eq!(unknown["contentType"], "IMAGE");
    let op: types::ClusterRestoreOperation =
        decode(json!({ "operation": "ScaleOperation", "brokerId": "3" }));
    let types::ClusterRestoreOperation::UnknownOperation(unknown) = &op else {
        panic!("ScaleOperation decoded as {op:?}");
    };
    assert_eq!(unknown["brokerId"], "3");
}

#[test]
fn the_tag_decides_not_the_members() {
    // The tag decides, not the members: a TIMER with a signal's members is a timer.
    let timer = serde_json::from_value::<types::WaitStateDetails>(
        json!({ "waitStateType": "TIMER", "signalName": "s" }),
    );
    assert!(
        matches!(timer, Ok(types::WaitStateDetails::TimerWaitStateDetails(_))),
        "{timer:?}"
    );
    // A request-side union has no fallback: a body missing its variant's members is an error,
    // not the other variant.
    let by_key = serde_json::from_value::<types::SourceElementInstruction>(
        json!({ "sourceType": "byKey", "sourceElementId": "Activity_a" }),
    );
    assert!(by_key.is_err(), "byKey without its key decoded: {by_key:?}");
}

#[test]
fn request_unions_serialise_their_tag() {
    let result = types::JobResult::UserTask(types::JobResultUserTask {
        corrections: None,
        denied: Some(true),
        denied_reason: None,
        type_: types::JobResultUserTaskType::UserTask,
    });
    let ad_hoc = types::JobResult::AdHocSubProcess(types::JobResultAdHocSubProcess {
        activate_elements: vec![],
        is_cancel_remaining_instances: None,
        is_completion_condition_fulfilled: Some(true),
        type_: types::JobResultAdHocSubProcessType::AdHocSubProcess,
    });
    let terminate = types::ProcessInstanceCreationRuntimeInstruction(
        types::ProcessInstanceCreationTerminateInstruction {
            after_element_id: "Activity_review".parse().unwrap(),
            type_: types::ProcessInstanceCreationTerminateInstructionType::TerminateProcessInstance,
        },
    );
    let by_id = types::SourceElementInstruction::IdInstruction(types::SourceElementIdInstruction {
        source_element_id: "Activity_a".parse().unwrap(),
        source_type: types::SourceElementIdInstructionSourceType::ById,
    });
    let by_key = types::SourceElementInstruction::InstanceKeyInstruction(
        types::SourceElementInstanceKeyInstruction {
            source_element_instance_key: ElementInstanceKey::from(2251799813686789_i64),
            source_type: types::SourceElementInstanceKeyInstructionSourceType::ByKey,
        },
    );
    let direct = types::AncestorScopeInstruction::DirectAncestorKeyInstruction(
        types::DirectAncestorKeyInstruction {
            ancestor_element_instance_key: "2251799813686789".parse().unwrap(),
            ancestor_scope_type: types::DirectAncestorKeyInstructionAncestorScopeType::Direct,
        },
    );
    let inferred = types::AncestorScopeInstruction::InferredAncestorKeyInstruction(
        types::InferredAncestorKeyInstruction {
            ancestor_scope_type: types::InferredAncestorKeyInstructionAncestorScopeType::Inferred,
        },
    );
    let source_parent = types::AncestorScopeInstruction::UseSourceParentKeyInstruction(
        types::UseSourceParentKeyInstruction {
            ancestor_scope_type:
                types::UseSourceParentKeyInstructionAncestorScopeType::SourceParent,
        },
    );
    let all: Vec<(&str, Value)> = [
        ("JobResult", serde_json::to_value(result)),
        ("JobResult", serde_json::to_value(ad_hoc)),
        (
            "ProcessInstanceCreationRuntimeInstruction",
            serde_json::to_value(terminate),
        ),
        ("SourceElementInstruction", serde_json::to_value(by_id)),
        ("SourceElementInstruction", serde_json::to_value(by_key)),
        ("AncestorScopeInstruction", serde_json::to_value(direct)),
        ("AncestorScopeInstruction", serde_json::to_value(inferred)),
        (
            "AncestorScopeInstruction",
            serde_json::to_value(source_parent),
        ),
    ]
    .into_iter()
    .map(|(union, v)| (union, v.unwrap()))
    .collect();
    let tags: Vec<&str> = all
        .iter()
        .map(|(_, v)| {
            ["type", "sourceType", "ancestorScopeType"]
                .iter()
                .find_map(|p| v.get(*p).and_then(Value::as_str))
                .unwrap_or("<no tag>")
        })
        .collect();
    assert_eq!(
        tags,
        [
            "userTask",
            "adHocSubProcess",
            "TERMINATE_PROCESS_INSTANCE",
            "byId",
            "byKey",
            "direct",
            "inferred",
            "sourceParent"
        ]
    );
    for (_, body) in &all {
        assert_no_nulls(body);
    }
    insta::assert_snapshot!("request_unions", pretty(&all));
}

// 6. Keys ---------------------------------------------------------------------------------------

/// What a user writes: a function over the one `JobKey` type.
fn job_key_text(key: &JobKey) -> String {
    key.to_string()
}

#[test]
fn one_job_key_type_across_models_and_paths() {
    let job: types::ActivatedJobResult = decode(activated_job());
    assert_eq!(job_key_text(&job.job_key), "2251799813653498");

    // The same type is the path parameter of the job commands (only type-checked: a different
    // key type would not compile) …
    #[allow(dead_code)]
    async fn commands(
        client: &camunda_sdk::CamundaClient,
        job: &types::ActivatedJobResult,
    ) -> camunda_sdk::Result<()> {
        client.complete_job(&job.job_key).await?;
        client.fail_job(&job.job_key).await
    }
    // … and the field of other models that name a job.
    let wait: types::JobWaitStateDetails = decode(json!({
        "waitStateType": "JOB", "jobKey": "2251799813653498", "jobType": "payment",
        "jobKind": "BPMN_ELEMENT", "listenerEventType": null, "retries": null
    }));
    assert_eq!(wait.job_key, job.job_key);
    assert_eq!(job_key_text(&wait.job_key), job_key_text(&job.job_key));
}

#[test]
fn numeric_keys_validate() {
    let key: JobKey = "123".parse().unwrap();
    assert_eq!(key.as_str(), "123");
    assert_eq!(key.as_i64(), Some(123));
    assert!(
        "-1".parse::<JobKey>().is_ok(),
        "the spec's pattern allows a sign"
    );

    let mut report = String::new();
    for bad in ["12a", "", &"1".repeat(26), " 12", "1.5"] {
        let err = bad.parse::<JobKey>().expect_err(bad);
        assert_eq!(err.type_name(), "JobKey");
        assert_eq!(err.value(), bad);
        assert!(err.to_string().contains("JobKey"), "{err}");
        report.push_str(&format!("{bad:?} -> {err}\n"));
    }
    assert!("1".repeat(25).parse::<JobKey>().is_ok());
    insta::assert_snapshot!("invalid_job_keys", report);
}

#[test]
fn numeric_keys_decode_from_strings_and_integers() {
    // Servers before 8.8 sent keys as JSON integers.
    let from_int: JobKey = decode(json!(2251799813653498_u64));
    let from_str: JobKey = decode(json!("2251799813653498"));
    assert_eq!(from_int, from_str);
    assert_eq!(
        serde_json::to_value(&from_int).unwrap(),
        json!("2251799813653498")
    );

    let mut job = activated_job();
    job["jobKey"] = json!(2251799813653498_u64);
    job["processInstanceKey"] = json!(2251799813690746_u64);
    let job: types::ActivatedJobResult = decode(job);
    assert_eq!(job.job_key, "2251799813653498");
    assert_eq!(job.process_instance_key, "2251799813690746");

    let err = serde_json::from_value::<JobKey>(json!("abc")).unwrap_err();
    assert!(err.to_string().contains("JobKey"), "{err}");
    assert!(err.to_string().contains("abc"), "{err}");
    let err = serde_json::from_value::<JobKey>(json!(true)).unwrap_err();
    assert!(err.to_string().contains("JobKey"), "{err}");

    // Inside a response the error still names the key type.
    let mut bad = activated_job();
    bad["jobKey"] = json!("abc");
    let err = serde_json::from_value::<types::ActivatedJobResult>(bad).unwrap_err();
    assert!(err.to_string().contains("JobKey"), "{err}");
}

#[test]
fn identifier_keys_validate() {
    assert!("<default>".parse::<TenantId>().is_ok());
    assert!("tenant-a.eu_1".parse::<TenantId>().is_ok());
    for bad in ["a b", "", &"t".repeat(32), "<other>"] {
        let err = bad.parse::<TenantId>().expect_err(bad);
        assert_eq!(err.type_name(), "TenantId");
    }

    assert!("order-process".parse::<ProcessDefinitionId>().is_ok());
    assert!("Process_1.v2".parse::<ProcessDefinitionId>().is_ok());
    for bad in ["", "-starts-with-dash", "has space"] {
        let err = bad.parse::<ProcessDefinitionId>().expect_err(bad);
        assert_eq!(err.type_name(), "ProcessDefinitionId");
        assert!(err.to_string().contains("ProcessDefinitionId"), "{err}");
    }

    let err = serde_json::from_value::<TenantId>(json!("a b")).unwrap_err();
    assert!(err.to_string().contains("TenantId"), "{err}");
    let mut instance = process_instance("ACTIVE");
    instance["tenantId"] = json!("not valid!");
    let err = serde_json::from_value::<types::ProcessInstanceResult>(instance).unwrap_err();
    assert!(err.to_string().contains("TenantId"), "{err}");
}

#[test]
fn keys_are_hashable_displayable_and_transparent() {
    let a: ProcessInstanceKey = "2251799813690746".parse().unwrap();
    let b = ProcessInstanceKey::from(2251799813690746_i64);
    let c = ProcessInstanceKey::from(2251799813690747_u64);
    let set: HashSet<ProcessInstanceKey> = [a.clone(), b.clone(), c.clone()].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&b));

    for key in [&a, &c] {
        let text = key.to_string();
        assert_eq!(text.parse::<ProcessInstanceKey>().unwrap(), *key);
        assert_eq!(serde_json::to_value(key).unwrap(), json!(text));
        let back: ProcessInstanceKey = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(&back, key);
    }

    let tenant: TenantId = "<default>".parse().unwrap();
    assert_eq!(tenant.to_string(), "<default>");
    assert_eq!(serde_json::to_string(&tenant).unwrap(), "\"<default>\"");
    let tenants: HashSet<TenantId> = ["<default>", "a", "a"]
        .into_iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(tenants.len(), 2);
    assert_eq!(format!("{a:?}"), "ProcessInstanceKey(2251799813690746)");
}

// 7. Requests never send null for unset fields ---------------------------------------------------

fn assert_no_nulls(value: &Value) {
    let mut found = Vec::new();
    nulls(value, "", &mut found);
    assert!(found.is_empty(), "request sends null at {found:?}: {value}");
}

#[test]
fn job_activation_with_only_required_fields() {
    let mut request: types::JobActivationRequest =
        decode(json!({ "type": "payment", "timeout": 1, "maxJobsToActivate": 1 }));
    request.timeout = 30_000;
    request.max_jobs_to_activate = 10;
    let body = serde_json::to_value(&request).unwrap();
    assert_no_nulls(&body);
    assert_eq!(
        body,
        json!({ "type": "payment", "timeout": 30000, "maxJobsToActivate": 10 })
    );
}

#[test]
fn create_process_instance_with_only_required_fields() {
    let by_id: types::ProcessInstanceCreationInstructionById =
        decode(json!({ "processDefinitionId": "order-process" }));
    assert_eq!(by_id.process_definition_id.as_str(), "order-process");
    let body = serde_json::to_value(types::ProcessInstanceCreationInstruction::Id(by_id)).unwrap();
    assert_no_nulls(&body);
    assert_eq!(body, json!({ "processDefinitionId": "order-process" }));

    let by_key: types::ProcessInstanceCreationInstructionByKey =
        decode(json!({ "processDefinitionKey": "2251799813686749" }));
    let body =
        serde_json::to_value(types::ProcessInstanceCreationInstruction::Key(by_key)).unwrap();
    assert_eq!(body, json!({ "processDefinitionKey": "2251799813686749" }));
}

#[test]
fn job_completion_leaves_unset_fields_out() {
    let empty: types::JobCompletionRequest = decode(json!({}));
    assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));

    let denied = types::JobCompletionRequest {
        result: Some(types::JobResult::UserTask(types::JobResultUserTask {
            corrections: None,
            denied: Some(true),
            denied_reason: None,
            type_: types::JobResultUserTaskType::UserTask,
        })),
        ..empty
    };
    let body = serde_json::to_value(&denied).unwrap();
    assert_no_nulls(&body);
    insta::assert_snapshot!("job_completion_denied", pretty(&body));
}

#[test]
fn task_dates_can_be_cleared_with_an_empty_string() {
    // The spec documents "clear by providing an empty String" for these date-time fields.
    let corrections = types::JobResultCorrections {
        due_date: Some(String::new()),
        follow_up_date: Some("2025-10-01T09:00:00Z".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&corrections).unwrap(),
        json!({ "dueDate": "", "followUpDate": "2025-10-01T09:00:00Z" })
    );
    let changeset = types::Changeset {
        due_date: Some(String::new()),
        ..Default::default()
    };
    let body = serde_json::to_value(&changeset).unwrap();
    assert_eq!(body, json!({ "dueDate": "" }));
}
