//! One arm per operation of the async facade: the contract test calls each operation through
//! the SDK with arguments decoded from the JSON values in [`Args`] (built from the spec).
//!
//! Written from the builders' signatures: path parameters positional, the request body set
//! whole with `.body(…)` (the table exists to send every operation's example body as it is),
//! optional query parameters through their setters when the plan has a value for them. A new
//! operation without an arm shows up as "not covered" in the contract summary and fails it.
//!
//! Builders whose required body values are positional get them from the same body; `.body(…)`
//! replaces every body value set before it, so what is sent is exactly the decoded body.

use super::{Args, Fail};
use camunda_sdk::CamundaClient;
use camunda_sdk::deploy::Resource;
use camunda_sdk::documents::NewDocument;
use camunda_sdk::{enums, keys, types};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The sample process the examples deploy.
const ORDER_PROCESS: &str =
    include_str!("../../../crates/camunda-sdk/examples/resources/order-process.bpmn");

fn sdk<T>(result: camunda_sdk::Result<T>) -> Result<(), Fail> {
    result.map(drop).map_err(Fail::Sdk)
}

/// Optional query parameters: a builder's setter takes the value itself (never an `Option`), so
/// it is called only when the plan has a value for the parameter.
trait Opt: Sized {
    /// `set(self, value)` when the argument `name` decodes to `Some(value)`, else `self`.
    fn opt<T: DeserializeOwned>(
        self,
        a: &Args,
        name: &str,
        set: impl FnOnce(Self, T) -> Self,
    ) -> Result<Self, Fail> {
        Ok(match a.get::<Option<T>>(name)? {
            Some(v) => set(self, v),
            None => self,
        })
    }
}

impl<B> Opt for B {}

/// Calls operation `id` through the SDK.
pub async fn call(c: &CamundaClient, id: &str, a: &Args) -> Result<(), Fail> {
    match id {
        // Hand-written (multipart) operations.
        "createDeployment" => sdk(c
            .create_deployment([Resource::new("order-process.bpmn", ORDER_PROCESS)])
            .await),
        "createDocument" => {
            let doc = NewDocument::new("note.txt", "hello").with_content_type("text/plain");
            sdk(c.create_document(doc).await)
        }
        "createDocuments" => {
            let docs = [
                NewDocument::new("a.txt", "one"),
                NewDocument::new("b.txt", "two"),
            ];
            sdk(c.create_documents(docs).await)
        }
        // Generated operations.
        "getAgentDefinition" => sdk(c
            .get_agent_definition(a.get::<keys::AgentDefinitionKey>("agent_definition_key")?)
            .await),
        "searchAgentDefinitions" => sdk(c
            .search_agent_definitions()
            .body(a.get::<types::AgentDefinitionSearchQuery>("body")?)
            .await),
        "createAgentInstance" => sdk(c
            .create_agent_instance()
            .body(a.get::<types::AgentInstanceCreationRequest>("body")?)
            .await),
        "getAgentInstance" => sdk(c
            .get_agent_instance(a.get::<keys::AgentInstanceKey>("agent_instance_key")?)
            .await),
        "updateAgentInstance" => sdk(c
            .update_agent_instance(a.get::<keys::AgentInstanceKey>("agent_instance_key")?)
            .body(a.get::<types::AgentInstanceUpdateRequest>("body")?)
            .await),
        "searchAgentInstances" => sdk(c
            .search_agent_instances()
            .body(a.get::<types::AgentInstanceSearchQuery>("body")?)
            .await),
        "searchAgentInstanceHistory" => sdk(c
            .search_agent_instance_history(a.get::<keys::AgentInstanceKey>("agent_instance_key")?)
            .body(a.get::<types::AgentInstanceHistorySearchQuery>("body")?)
            .await),
        "searchAuditLogs" => sdk(c
            .search_audit_logs()
            .body(a.get::<types::AuditLogSearchQueryRequest>("body")?)
            .await),
        "getAuditLog" => sdk(c
            .get_audit_log(a.get::<keys::AuditLogKey>("audit_log_key")?)
            .await),
        "getAuthentication" => sdk(c.get_authentication().await),
        "searchOwnAuthorizations" => sdk(c
            .search_own_authorizations()
            .body(a.get::<types::AuthorizationSearchQuery>("body")?)
            .await),
        "createAuthorization" => sdk(c
            .create_authorization()
            .body(a.get::<types::AuthorizationRequest>("body")?)
            .await),
        "searchAuthorizations" => sdk(c
            .search_authorizations()
            .body(a.get::<types::AuthorizationSearchQuery>("body")?)
            .await),
        "updateAuthorization" => sdk(c
            .update_authorization(a.get::<keys::AuthorizationKey>("authorization_key")?)
            .body(a.get::<types::AuthorizationRequest>("body")?)
            .await),
        "getAuthorization" => sdk(c
            .get_authorization(a.get::<keys::AuthorizationKey>("authorization_key")?)
            .await),
        "deleteAuthorization" => sdk(c
            .delete_authorization(a.get::<keys::AuthorizationKey>("authorization_key")?)
            .await),
        "takeRuntimeBackup" => sdk(c
            .take_runtime_backup()
            .body(a.get::<types::TakeRuntimeBackupRequest>("body")?)
            .await),
        "listRuntimeBackups" => sdk(c
            .list_runtime_backups()
            .opt(a, "prefix", |b, v: types::BackupIdPrefix| b.prefix(v))?
            .await),
        "getRuntimeBackupState" => sdk(c.get_runtime_backup_state().await),
        "deleteRuntimeBackupState" => sdk(c.delete_runtime_backup_state().await),
        "syncRuntimeBackupState" => sdk(c.sync_runtime_backup_state().await),
        "getRuntimeBackup" => sdk(c
            .get_runtime_backup(a.get::<types::BackupId>("backup_id")?)
            .await),
        "deleteRuntimeBackup" => sdk(c
            .delete_runtime_backup(a.get::<types::BackupId>("backup_id")?)
            .await),
        "takeHistoryBackup" => sdk(c
            .take_history_backup()
            .body(a.get::<types::TakeHistoryBackupRequest>("body")?)
            .await),
        "listHistoryBackups" => sdk(c
            .list_history_backups()
            .opt(a, "prefix", |b, v: types::BackupIdPrefix| b.prefix(v))?
            .opt(a, "verbose", |b, v: bool| b.verbose(v))?
            .await),
        "getHistoryBackup" => sdk(c
            .get_history_backup(a.get::<types::BackupId>("backup_id")?)
            .await),
        "deleteHistoryBackup" => sdk(c
            .delete_history_backup(a.get::<types::BackupId>("backup_id")?)
            .await),
        "searchBatchOperationItems" => sdk(c
            .search_batch_operation_items()
            .body(a.get::<types::BatchOperationItemSearchQuery>("body")?)
            .await),
        "searchBatchOperations" => sdk(c
            .search_batch_operations()
            .body(a.get::<types::BatchOperationSearchQuery>("body")?)
            .await),
        "getBatchOperation" => sdk(c
            .get_batch_operation(a.get::<keys::BatchOperationKey>("batch_operation_key")?)
            .await),
        "cancelBatchOperation" => sdk(c
            .cancel_batch_operation(a.get::<keys::BatchOperationKey>("batch_operation_key")?)
            .body(a.get::<::serde_json::Value>("body")?)
            .await),
        "resumeBatchOperation" => sdk(c
            .resume_batch_operation(a.get::<keys::BatchOperationKey>("batch_operation_key")?)
            .body(a.get::<::serde_json::Value>("body")?)
            .await),
        "suspendBatchOperation" => sdk(c
            .suspend_batch_operation(a.get::<keys::BatchOperationKey>("batch_operation_key")?)
            .body(a.get::<::serde_json::Value>("body")?)
            .await),
        "pinClock" => {
            let body: types::ClockPinRequest = a.get("body")?;
            sdk(c.pin_clock(body.timestamp).body(body).await)
        }
        "resetClock" => sdk(c.reset_clock().await),
        "createGlobalClusterVariable" => sdk(c
            .create_global_cluster_variable()
            .body(a.get::<types::CreateClusterVariableRequest>("body")?)
            .await),
        "getGlobalClusterVariable" => sdk(c
            .get_global_cluster_variable(a.get::<keys::ClusterVariableName>("name")?)
            .await),
        "updateGlobalClusterVariable" => sdk(c
            .update_global_cluster_variable(a.get::<keys::ClusterVariableName>("name")?)
            .body(a.get::<types::UpdateClusterVariableRequest>("body")?)
            .await),
        "deleteGlobalClusterVariable" => sdk(c
            .delete_global_cluster_variable(a.get::<keys::ClusterVariableName>("name")?)
            .await),
        "searchClusterVariables" => sdk(c
            .search_cluster_variables()
            .body(a.get::<types::ClusterVariableSearchQueryRequest>("body")?)
            .opt(a, "truncate_values", |b, v: bool| b.truncate_values(v))?
            .await),
        "createTenantClusterVariable" => sdk(c
            .create_tenant_cluster_variable(a.get::<keys::TenantId>("tenant_id")?)
            .body(a.get::<types::CreateClusterVariableRequest>("body")?)
            .await),
        "getTenantClusterVariable" => sdk(c
            .get_tenant_cluster_variable(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::ClusterVariableName>("name")?,
            )
            .await),
        "updateTenantClusterVariable" => sdk(c
            .update_tenant_cluster_variable(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::ClusterVariableName>("name")?,
            )
            .body(a.get::<types::UpdateClusterVariableRequest>("body")?)
            .await),
        "deleteTenantClusterVariable" => sdk(c
            .delete_tenant_cluster_variable(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::ClusterVariableName>("name")?,
            )
            .await),
        "evaluateConditionals" => sdk(c
            .evaluate_conditionals()
            .body(a.get::<types::ConditionalEvaluationInstruction>("body")?)
            .await),
        "searchCorrelatedMessageSubscriptions" => sdk(c
            .search_correlated_message_subscriptions()
            .body(a.get::<types::CorrelatedMessageSubscriptionSearchQuery>("body")?)
            .await),
        "evaluateDecision" => sdk(c
            .evaluate_decision()
            .body(a.get::<types::DecisionEvaluationInstruction>("body")?)
            .await),
        "searchDecisionDefinitions" => sdk(c
            .search_decision_definitions()
            .body(a.get::<types::DecisionDefinitionSearchQuery>("body")?)
            .await),
        "getDecisionDefinition" => sdk(c
            .get_decision_definition(
                a.get::<keys::DecisionDefinitionKey>("decision_definition_key")?,
            )
            .await),
        "getDecisionDefinitionXML" => sdk(c
            .get_decision_definition_xml(
                a.get::<keys::DecisionDefinitionKey>("decision_definition_key")?,
            )
            .await),
        "searchDecisionInstances" => sdk(c
            .search_decision_instances()
            .body(a.get::<types::DecisionInstanceSearchQuery>("body")?)
            .await),
        "getDecisionInstance" => sdk(c
            .get_decision_instance(
                a.get::<keys::DecisionEvaluationInstanceKey>("decision_evaluation_instance_key")?,
            )
            .await),
        "deleteDecisionInstance" => sdk(c
            .delete_decision_instance(
                a.get::<keys::DecisionEvaluationKey>("decision_evaluation_key")?,
            )
            .body(a.get::<types::DeleteDecisionInstanceRequest>("body")?)
            .await),
        "deleteDecisionInstancesBatchOperation" => sdk(c
            .delete_decision_instances_batch_operation()
            .body(a.get::<types::DecisionInstanceDeletionBatchOperationRequest>("body")?)
            .await),
        "searchDecisionRequirements" => sdk(c
            .search_decision_requirements()
            .body(a.get::<types::DecisionRequirementsSearchQuery>("body")?)
            .await),
        "getDecisionRequirements" => sdk(c
            .get_decision_requirements(
                a.get::<keys::DecisionRequirementsKey>("decision_requirements_key")?,
            )
            .await),
        "getDecisionRequirementsXML" => sdk(c
            .get_decision_requirements_xml(
                a.get::<keys::DecisionRequirementsKey>("decision_requirements_key")?,
            )
            .await),
        "getDocument" => sdk(c
            .get_document(a.get::<keys::DocumentId>("document_id")?)
            .opt(a, "store_id", |b, v: String| b.store_id(v))?
            .opt(a, "content_hash", |b, v: String| b.content_hash(v))?
            .await),
        "deleteDocument" => sdk(c
            .delete_document(a.get::<keys::DocumentId>("document_id")?)
            .opt(a, "store_id", |b, v: String| b.store_id(v))?
            .await),
        "createDocumentLink" => sdk(c
            .create_document_link(a.get::<keys::DocumentId>("document_id")?)
            .body(a.get::<types::DocumentLinkRequest>("body")?)
            .opt(a, "store_id", |b, v: String| b.store_id(v))?
            .opt(a, "content_hash", |b, v: String| b.content_hash(v))?
            .await),
        "activateAdHocSubProcessActivities" => sdk(c
            .activate_ad_hoc_sub_process_activities(
                a.get::<keys::ElementInstanceKey>("ad_hoc_sub_process_instance_key")?,
            )
            .body(a.get::<types::AdHocSubProcessActivateActivitiesInstruction>("body")?)
            .await),
        "searchElementInstanceWaitStates" => sdk(c
            .search_element_instance_wait_states()
            .body(a.get::<types::ElementInstanceWaitStateQuery>("body")?)
            .await),
        "searchElementInstances" => sdk(c
            .search_element_instances()
            .body(a.get::<types::ElementInstanceSearchQuery>("body")?)
            .await),
        "getElementInstance" => sdk(c
            .get_element_instance(a.get::<keys::ElementInstanceKey>("element_instance_key")?)
            .await),
        "searchElementInstanceIncidents" => sdk(c
            .search_element_instance_incidents(
                a.get::<keys::ElementInstanceKey>("element_instance_key")?,
            )
            .body(a.get::<types::IncidentSearchQuery>("body")?)
            .await),
        "createElementInstanceVariables" => sdk(c
            .create_element_instance_variables(
                a.get::<keys::ElementInstanceKey>("element_instance_key")?,
            )
            .body(a.get::<types::SetVariableRequest>("body")?)
            .await),
        "getExportingStatus" => sdk(c.get_exporting_status().await),
        "pauseExporting" => sdk(c
            .pause_exporting()
            .opt(a, "soft", |b, v: bool| b.soft(v))?
            .await),
        "resumeExporting" => sdk(c.resume_exporting().await),
        "evaluateExpression" => {
            let body: types::ExpressionEvaluationRequest = a.get("body")?;
            sdk(c
                .evaluate_expression(body.expression.clone())
                .body(body)
                .await)
        }
        "getFormByKey" => sdk(c.get_form_by_key(a.get::<keys::FormKey>("form_key")?).await),
        "createGlobalTaskListener" => sdk(c
            .create_global_task_listener()
            .body(a.get::<types::CreateGlobalTaskListenerRequest>("body")?)
            .await),
        "getGlobalTaskListener" => sdk(c
            .get_global_task_listener(a.get::<keys::GlobalListenerId>("id")?)
            .await),
        "updateGlobalTaskListener" => sdk(c
            .update_global_task_listener(a.get::<keys::GlobalListenerId>("id")?)
            .body(a.get::<types::UpdateGlobalTaskListenerRequest>("body")?)
            .await),
        "deleteGlobalTaskListener" => sdk(c
            .delete_global_task_listener(a.get::<keys::GlobalListenerId>("id")?)
            .await),
        "searchGlobalTaskListeners" => sdk(c
            .search_global_task_listeners()
            .body(a.get::<types::GlobalTaskListenerSearchQueryRequest>("body")?)
            .await),
        "createGroup" => {
            let body: types::GroupCreateRequest = a.get("body")?;
            sdk(c.create_group().body(body).await)
        }
        "searchGroups" => sdk(c
            .search_groups()
            .body(a.get::<types::GroupSearchQueryRequest>("body")?)
            .await),
        "getGroup" => sdk(c.get_group(a.get::<keys::GroupId>("group_id")?).await),
        "updateGroup" => {
            let body: types::GroupUpdateRequest = a.get("body")?;
            sdk(c
                .update_group(a.get::<keys::GroupId>("group_id")?)
                .body(body)
                .await)
        }
        "deleteGroup" => sdk(c.delete_group(a.get::<keys::GroupId>("group_id")?).await),
        "searchClientsForGroup" => sdk(c
            .search_clients_for_group(a.get::<keys::GroupId>("group_id")?)
            .body(a.get::<types::GroupClientSearchQueryRequest>("body")?)
            .await),
        "assignClientToGroup" => sdk(c
            .assign_client_to_group(
                a.get::<keys::GroupId>("group_id")?,
                a.get::<keys::ClientId>("client_id")?,
            )
            .await),
        "unassignClientFromGroup" => sdk(c
            .unassign_client_from_group(
                a.get::<keys::GroupId>("group_id")?,
                a.get::<keys::ClientId>("client_id")?,
            )
            .await),
        "searchMappingRulesForGroup" => sdk(c
            .search_mapping_rules_for_group(a.get::<keys::GroupId>("group_id")?)
            .body(a.get::<types::MappingRuleSearchQueryRequest>("body")?)
            .await),
        "assignMappingRuleToGroup" => sdk(c
            .assign_mapping_rule_to_group(
                a.get::<keys::GroupId>("group_id")?,
                a.get::<keys::MappingRuleId>("mapping_rule_id")?,
            )
            .await),
        "unassignMappingRuleFromGroup" => sdk(c
            .unassign_mapping_rule_from_group(
                a.get::<keys::GroupId>("group_id")?,
                a.get::<keys::MappingRuleId>("mapping_rule_id")?,
            )
            .await),
        "searchRolesForGroup" => sdk(c
            .search_roles_for_group(a.get::<keys::GroupId>("group_id")?)
            .body(a.get::<types::RoleSearchQueryRequest>("body")?)
            .await),
        "searchUsersForGroup" => sdk(c
            .search_users_for_group(a.get::<keys::GroupId>("group_id")?)
            .body(a.get::<types::GroupUserSearchQueryRequest>("body")?)
            .await),
        "assignUserToGroup" => sdk(c
            .assign_user_to_group(
                a.get::<keys::GroupId>("group_id")?,
                a.get::<keys::Username>("username")?,
            )
            .await),
        "unassignUserFromGroup" => sdk(c
            .unassign_user_from_group(
                a.get::<keys::GroupId>("group_id")?,
                a.get::<keys::Username>("username")?,
            )
            .await),
        "searchIncidents" => sdk(c
            .search_incidents()
            .body(a.get::<types::IncidentSearchQuery>("body")?)
            .await),
        "getIncident" => sdk(c
            .get_incident(a.get::<keys::IncidentKey>("incident_key")?)
            .await),
        "resolveIncident" => sdk(c
            .resolve_incident(a.get::<keys::IncidentKey>("incident_key")?)
            .body(a.get::<types::IncidentResolutionRequest>("body")?)
            .await),
        "getProcessInstanceStatisticsByDefinition" => sdk(c
            .get_process_instance_statistics_by_definition()
            .body(a.get::<types::IncidentProcessInstanceStatisticsByDefinitionQuery>("body")?)
            .await),
        "getProcessInstanceStatisticsByError" => sdk(c
            .get_process_instance_statistics_by_error()
            .body(a.get::<types::IncidentProcessInstanceStatisticsByErrorQuery>("body")?)
            .await),
        "activateJobs" => {
            let body: types::JobActivationRequest = a.get("body")?;
            sdk(c
                .activate_jobs(
                    body.type_.clone(),
                    Duration::from_millis(u64::try_from(body.timeout).unwrap_or_default()),
                    body.max_jobs_to_activate,
                )
                .body(body)
                .await)
        }
        "searchJobs" => sdk(c
            .search_jobs()
            .body(a.get::<types::JobSearchQuery>("body")?)
            .await),
        "updateJob" => sdk(c
            .update_job(a.get::<keys::JobKey>("job_key")?)
            .body(a.get::<types::JobUpdateRequest>("body")?)
            .await),
        "completeJob" => sdk(c
            .complete_job(a.get::<keys::JobKey>("job_key")?)
            .body(a.get::<types::JobCompletionRequest>("body")?)
            .await),
        "throwJobError" => {
            let body: types::JobErrorRequest = a.get("body")?;
            sdk(c
                .throw_job_error(a.get::<keys::JobKey>("job_key")?)
                .body(body)
                .await)
        }
        "failJob" => sdk(c
            .fail_job(a.get::<keys::JobKey>("job_key")?)
            .body(a.get::<types::JobFailRequest>("body")?)
            .await),
        "updateJobsBatchOperation" => sdk(c
            .update_jobs_batch_operation()
            .body(a.get::<types::JobBatchUpdateRequest>("body")?)
            .await),
        "getGlobalJobStatistics" => sdk(c
            .get_global_job_statistics()
            .from(a.get::<DateTime<Utc>>("from")?)
            .to(a.get::<DateTime<Utc>>("to")?)
            .opt(a, "job_type", |b, v: String| b.job_type(v))?
            .await),
        "getJobTypeStatistics" => sdk(c
            .get_job_type_statistics()
            .body(a.get::<types::JobTypeStatisticsQuery>("body")?)
            .await),
        "getJobWorkerStatistics" => sdk(c
            .get_job_worker_statistics()
            .body(a.get::<types::JobWorkerStatisticsQuery>("body")?)
            .await),
        "getJobTimeSeriesStatistics" => sdk(c
            .get_job_time_series_statistics()
            .body(a.get::<types::JobTimeSeriesStatisticsQuery>("body")?)
            .await),
        "getJobErrorStatistics" => sdk(c
            .get_job_error_statistics()
            .body(a.get::<types::JobErrorStatisticsQuery>("body")?)
            .await),
        "getLicense" => sdk(c.get_license().await),
        "createMappingRule" => sdk(c
            .create_mapping_rule()
            .body(a.get::<types::MappingRuleCreateRequest>("body")?)
            .await),
        "searchMappingRule" => sdk(c
            .search_mapping_rule()
            .body(a.get::<types::MappingRuleSearchQueryRequest>("body")?)
            .await),
        "updateMappingRule" => sdk(c
            .update_mapping_rule(a.get::<keys::MappingRuleId>("mapping_rule_id")?)
            .body(a.get::<types::MappingRuleUpdateRequest>("body")?)
            .await),
        "deleteMappingRule" => sdk(c
            .delete_mapping_rule(a.get::<keys::MappingRuleId>("mapping_rule_id")?)
            .await),
        "getMappingRule" => sdk(c
            .get_mapping_rule(a.get::<keys::MappingRuleId>("mapping_rule_id")?)
            .await),
        "searchMessageSubscriptions" => sdk(c
            .search_message_subscriptions()
            .body(a.get::<types::MessageSubscriptionSearchQuery>("body")?)
            .await),
        "correlateMessage" => {
            let body: types::MessageCorrelationRequest = a.get("body")?;
            sdk(c.correlate_message(body.name.clone()).body(body).await)
        }
        "publishMessage" => {
            let body: types::MessagePublicationRequest = a.get("body")?;
            sdk(c.publish_message(body.name.clone()).body(body).await)
        }
        "searchProcessDefinitions" => sdk(c
            .search_process_definitions()
            .body(a.get::<types::ProcessDefinitionSearchQuery>("body")?)
            .await),
        "getProcessDefinitionMessageSubscriptionStatistics" => sdk(c
            .get_process_definition_message_subscription_statistics()
            .body(a.get::<types::ProcessDefinitionMessageSubscriptionStatisticsQuery>("body")?)
            .await),
        "getProcessDefinitionInstanceStatistics" => sdk(c
            .get_process_definition_instance_statistics()
            .body(a.get::<types::ProcessDefinitionInstanceStatisticsQuery>("body")?)
            .await),
        "getProcessDefinition" => sdk(c
            .get_process_definition(a.get::<keys::ProcessDefinitionKey>("process_definition_key")?)
            .await),
        "getStartProcessForm" => sdk(c
            .get_start_process_form(a.get::<keys::ProcessDefinitionKey>("process_definition_key")?)
            .await),
        "getProcessDefinitionStatistics" => sdk(c
            .get_process_definition_statistics(
                a.get::<keys::ProcessDefinitionKey>("process_definition_key")?,
            )
            .body(a.get::<types::ProcessDefinitionElementStatisticsQuery>("body")?)
            .await),
        "searchProcessDefinitionVariableNames" => sdk(c
            .search_process_definition_variable_names(
                a.get::<keys::ProcessDefinitionKey>("process_definition_key")?,
            )
            .body(a.get::<types::ProcessDefinitionVariableNameSearchQuery>("body")?)
            .await),
        "getProcessDefinitionXML" => sdk(c
            .get_process_definition_xml(
                a.get::<keys::ProcessDefinitionKey>("process_definition_key")?,
            )
            .await),
        "getProcessDefinitionInstanceVersionStatistics" => sdk(c
            .get_process_definition_instance_version_statistics()
            .body(a.get::<types::ProcessDefinitionInstanceVersionStatisticsQuery>("body")?)
            .await),
        "createProcessInstance" => sdk(c
            .create_process_instance()
            .body(a.get::<types::ProcessInstanceCreationInstruction>("body")?)
            .await),
        "cancelProcessInstancesBatchOperation" => sdk(c
            .cancel_process_instances_batch_operation()
            .body(a.get::<types::ProcessInstanceCancellationBatchOperationRequest>("body")?)
            .await),
        "deleteProcessInstancesBatchOperation" => sdk(c
            .delete_process_instances_batch_operation()
            .body(a.get::<types::ProcessInstanceDeletionBatchOperationRequest>("body")?)
            .await),
        "resolveIncidentsBatchOperation" => sdk(c
            .resolve_incidents_batch_operation()
            .body(a.get::<types::ProcessInstanceIncidentResolutionBatchOperationRequest>("body")?)
            .await),
        "migrateProcessInstancesBatchOperation" => sdk(c
            .migrate_process_instances_batch_operation()
            .body(a.get::<types::ProcessInstanceMigrationBatchOperationRequest>("body")?)
            .await),
        "modifyProcessInstancesBatchOperation" => sdk(c
            .modify_process_instances_batch_operation()
            .body(a.get::<types::ProcessInstanceModificationBatchOperationRequest>("body")?)
            .await),
        "resumeProcessInstancesBatchOperation" => sdk(c
            .resume_process_instances_batch_operation()
            .body(a.get::<types::ProcessInstanceResumptionBatchOperationRequest>("body")?)
            .await),
        "searchProcessInstances" => sdk(c
            .search_process_instances()
            .body(a.get::<types::ProcessInstanceSearchQuery>("body")?)
            .await),
        "suspendProcessInstancesBatchOperation" => sdk(c
            .suspend_process_instances_batch_operation()
            .body(a.get::<types::ProcessInstanceSuspensionBatchOperationRequest>("body")?)
            .await),
        "getProcessInstance" => sdk(c
            .get_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .await),
        "assignProcessInstanceBusinessId" => {
            let body: types::ProcessInstanceBusinessIdAssignmentInstruction = a.get("body")?;
            sdk(c
                .assign_process_instance_business_id(
                    a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
                )
                .body(body)
                .await)
        }
        "getProcessInstanceCallHierarchy" => sdk(c
            .get_process_instance_call_hierarchy(
                a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
            )
            .await),
        "cancelProcessInstance" => sdk(c
            .cancel_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .body(a.get::<types::CancelProcessInstanceRequest>("body")?)
            .await),
        "deleteProcessInstance" => sdk(c
            .delete_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .body(a.get::<types::DeleteProcessInstanceRequest>("body")?)
            .await),
        "resolveProcessInstanceIncidents" => sdk(c
            .resolve_process_instance_incidents(
                a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
            )
            .await),
        "searchProcessInstanceIncidents" => sdk(c
            .search_process_instance_incidents(
                a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
            )
            .body(a.get::<types::IncidentSearchQuery>("body")?)
            .await),
        "migrateProcessInstance" => sdk(c
            .migrate_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .body(a.get::<types::ProcessInstanceMigrationInstruction>("body")?)
            .await),
        "modifyProcessInstance" => sdk(c
            .modify_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .body(a.get::<types::ProcessInstanceModificationInstruction>("body")?)
            .await),
        "resumeProcessInstance" => sdk(c
            .resume_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .body(a.get::<types::ResumeProcessInstanceRequest>("body")?)
            .await),
        "getProcessInstanceSequenceFlows" => sdk(c
            .get_process_instance_sequence_flows(
                a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
            )
            .await),
        "getProcessInstanceStatistics" => sdk(c
            .get_process_instance_statistics(
                a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
            )
            .await),
        "getProcessInstanceWaitStateStatistics" => sdk(c
            .get_process_instance_wait_state_statistics(
                a.get::<keys::ProcessInstanceKey>("process_instance_key")?,
            )
            .await),
        "suspendProcessInstance" => sdk(c
            .suspend_process_instance(a.get::<keys::ProcessInstanceKey>("process_instance_key")?)
            .body(a.get::<types::SuspendProcessInstanceRequest>("body")?)
            .await),
        "searchResources" => sdk(c
            .search_resources()
            .body(a.get::<types::ResourceSearchQuery>("body")?)
            .await),
        "getResource" => sdk(c
            .get_resource(a.get::<keys::ResourceKey>("resource_key")?)
            .await),
        "getResourceContent" => sdk(c
            .get_resource_content(a.get::<keys::ResourceKey>("resource_key")?)
            .await),
        "getResourceContentBinary" => sdk(c
            .get_resource_content_binary(a.get::<keys::ResourceKey>("resource_key")?)
            .await),
        "deleteResource" => sdk(c
            .delete_resource(a.get::<keys::ResourceKey>("resource_key")?)
            .body(a.get::<types::DeleteResourceRequest>("body")?)
            .await),
        "createRole" => {
            let body: types::RoleCreateRequest = a.get("body")?;
            sdk(c.create_role().body(body).await)
        }
        "searchRoles" => sdk(c
            .search_roles()
            .body(a.get::<types::RoleSearchQueryRequest>("body")?)
            .await),
        "getRole" => sdk(c.get_role(a.get::<keys::RoleId>("role_id")?).await),
        "updateRole" => {
            let body: types::RoleUpdateRequest = a.get("body")?;
            sdk(c
                .update_role(a.get::<keys::RoleId>("role_id")?)
                .body(body)
                .await)
        }
        "deleteRole" => sdk(c.delete_role(a.get::<keys::RoleId>("role_id")?).await),
        "searchClientsForRole" => sdk(c
            .search_clients_for_role(a.get::<keys::RoleId>("role_id")?)
            .body(a.get::<types::RoleClientSearchQueryRequest>("body")?)
            .await),
        "assignRoleToClient" => sdk(c
            .assign_role_to_client(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::ClientId>("client_id")?,
            )
            .await),
        "unassignRoleFromClient" => sdk(c
            .unassign_role_from_client(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::ClientId>("client_id")?,
            )
            .await),
        "searchGroupsForRole" => sdk(c
            .search_groups_for_role(a.get::<keys::RoleId>("role_id")?)
            .body(a.get::<types::RoleGroupSearchQueryRequest>("body")?)
            .await),
        "assignRoleToGroup" => sdk(c
            .assign_role_to_group(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::GroupId>("group_id")?,
            )
            .await),
        "unassignRoleFromGroup" => sdk(c
            .unassign_role_from_group(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::GroupId>("group_id")?,
            )
            .await),
        "searchMappingRulesForRole" => sdk(c
            .search_mapping_rules_for_role(a.get::<keys::RoleId>("role_id")?)
            .body(a.get::<types::MappingRuleSearchQueryRequest>("body")?)
            .await),
        "assignRoleToMappingRule" => sdk(c
            .assign_role_to_mapping_rule(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::MappingRuleId>("mapping_rule_id")?,
            )
            .await),
        "unassignRoleFromMappingRule" => sdk(c
            .unassign_role_from_mapping_rule(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::MappingRuleId>("mapping_rule_id")?,
            )
            .await),
        "searchUsersForRole" => sdk(c
            .search_users_for_role(a.get::<keys::RoleId>("role_id")?)
            .body(a.get::<types::RoleUserSearchQueryRequest>("body")?)
            .await),
        "assignRoleToUser" => sdk(c
            .assign_role_to_user(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::Username>("username")?,
            )
            .await),
        "unassignRoleFromUser" => sdk(c
            .unassign_role_from_user(
                a.get::<keys::RoleId>("role_id")?,
                a.get::<keys::Username>("username")?,
            )
            .await),
        "resolveSecrets" => sdk(c
            .resolve_secrets()
            .body(a.get::<types::SecretResolveRequest>("body")?)
            .await),
        "listSecrets" => sdk(c
            .list_secrets()
            .body(a.get::<types::SecretListRequest>("body")?)
            .await),
        "createAdminUser" => {
            let body: types::UserRequest = a.get("body")?;
            sdk(c.create_admin_user().body(body).await)
        }
        "broadcastSignal" => {
            let body: types::SignalBroadcastRequest = a.get("body")?;
            sdk(c
                .broadcast_signal(body.signal_name.clone())
                .body(body)
                .await)
        }
        "getStatus" => sdk(c.get_status().await),
        "getUsageMetrics" => sdk(c
            .get_usage_metrics()
            .start_time(a.get::<DateTime<Utc>>("start_time")?)
            .end_time(a.get::<DateTime<Utc>>("end_time")?)
            .opt(a, "tenant_id", |b, v: keys::TenantId| b.tenant_id(v))?
            .opt(a, "with_tenants", |b, v: bool| b.with_tenants(v))?
            .await),
        "getSystemConfiguration" => sdk(c.get_system_configuration().await),
        "createTenant" => {
            let body: types::TenantCreateRequest = a.get("body")?;
            sdk(c.create_tenant().body(body).await)
        }
        "searchTenants" => sdk(c
            .search_tenants()
            .body(a.get::<types::TenantSearchQueryRequest>("body")?)
            .await),
        "getTenant" => sdk(c.get_tenant(a.get::<keys::TenantId>("tenant_id")?).await),
        "updateTenant" => {
            let body: types::TenantUpdateRequest = a.get("body")?;
            sdk(c
                .update_tenant(a.get::<keys::TenantId>("tenant_id")?)
                .body(body)
                .await)
        }
        "deleteTenant" => sdk(c.delete_tenant(a.get::<keys::TenantId>("tenant_id")?).await),
        "searchClientsForTenant" => sdk(c
            .search_clients_for_tenant(a.get::<keys::TenantId>("tenant_id")?)
            .body(a.get::<types::TenantClientSearchQueryRequest>("body")?)
            .await),
        "assignClientToTenant" => sdk(c
            .assign_client_to_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::ClientId>("client_id")?,
            )
            .await),
        "unassignClientFromTenant" => sdk(c
            .unassign_client_from_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::ClientId>("client_id")?,
            )
            .await),
        "searchGroupIdsForTenant" => sdk(c
            .search_group_ids_for_tenant(a.get::<keys::TenantId>("tenant_id")?)
            .body(a.get::<types::TenantGroupSearchQueryRequest>("body")?)
            .await),
        "assignGroupToTenant" => sdk(c
            .assign_group_to_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::GroupId>("group_id")?,
            )
            .await),
        "unassignGroupFromTenant" => sdk(c
            .unassign_group_from_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::GroupId>("group_id")?,
            )
            .await),
        "searchMappingRulesForTenant" => sdk(c
            .search_mapping_rules_for_tenant(a.get::<keys::TenantId>("tenant_id")?)
            .body(a.get::<types::MappingRuleSearchQueryRequest>("body")?)
            .await),
        "assignMappingRuleToTenant" => sdk(c
            .assign_mapping_rule_to_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::MappingRuleId>("mapping_rule_id")?,
            )
            .await),
        "unassignMappingRuleFromTenant" => sdk(c
            .unassign_mapping_rule_from_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::MappingRuleId>("mapping_rule_id")?,
            )
            .await),
        "searchRolesForTenant" => sdk(c
            .search_roles_for_tenant(a.get::<keys::TenantId>("tenant_id")?)
            .body(a.get::<types::RoleSearchQueryRequest>("body")?)
            .await),
        "assignRoleToTenant" => sdk(c
            .assign_role_to_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::RoleId>("role_id")?,
            )
            .await),
        "unassignRoleFromTenant" => sdk(c
            .unassign_role_from_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::RoleId>("role_id")?,
            )
            .await),
        "searchUsersForTenant" => sdk(c
            .search_users_for_tenant(a.get::<keys::TenantId>("tenant_id")?)
            .body(a.get::<types::TenantUserSearchQueryRequest>("body")?)
            .await),
        "assignUserToTenant" => sdk(c
            .assign_user_to_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::Username>("username")?,
            )
            .await),
        "unassignUserFromTenant" => sdk(c
            .unassign_user_from_tenant(
                a.get::<keys::TenantId>("tenant_id")?,
                a.get::<keys::Username>("username")?,
            )
            .await),
        "getTopology" => sdk(c.get_topology().await),
        "changeClusterMode" => sdk(c
            .change_cluster_mode()
            .mode(a.get::<enums::Mode>("mode")?)
            .opt(a, "dry_run", |b, v: bool| b.dry_run(v))?
            .await),
        "restore" => sdk(c
            .restore()
            .body(a.get::<types::RestoreRequest>("body")?)
            .opt(a, "dry_run", |b, v: bool| b.dry_run(v))?
            .await),
        "getRestoreStatus" => sdk(c.get_restore_status().await),
        "getClusterExportingStatus" => sdk(c.get_cluster_exporting_status().await),
        "pauseClusterExporting" => sdk(c
            .pause_cluster_exporting()
            .opt(a, "soft", |b, v: bool| b.soft(v))?
            .await),
        "resumeClusterExporting" => sdk(c.resume_cluster_exporting().await),
        "takeRuntimeBackupAsClusterAdmin" => sdk(c
            .take_runtime_backup_as_cluster_admin()
            .body(a.get::<types::TakeRuntimeBackupRequest>("body")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "listRuntimeBackupsAsClusterAdmin" => sdk(c
            .list_runtime_backups_as_cluster_admin()
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .opt(a, "prefix", |b, v: types::BackupIdPrefix| b.prefix(v))?
            .await),
        "getRuntimeBackupStateAsClusterAdmin" => sdk(c
            .get_runtime_backup_state_as_cluster_admin()
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "deleteRuntimeBackupStateAsClusterAdmin" => sdk(c
            .delete_runtime_backup_state_as_cluster_admin()
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "syncRuntimeBackupStateAsClusterAdmin" => sdk(c
            .sync_runtime_backup_state_as_cluster_admin()
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "getRuntimeBackupAsClusterAdmin" => sdk(c
            .get_runtime_backup_as_cluster_admin(a.get::<types::BackupId>("backup_id")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "deleteRuntimeBackupAsClusterAdmin" => sdk(c
            .delete_runtime_backup_as_cluster_admin(a.get::<types::BackupId>("backup_id")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "takeHistoryBackupAsClusterAdmin" => sdk(c
            .take_history_backup_as_cluster_admin()
            .body(a.get::<types::TakeHistoryBackupRequest>("body")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "listHistoryBackupsAsClusterAdmin" => sdk(c
            .list_history_backups_as_cluster_admin()
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .opt(a, "prefix", |b, v: types::BackupIdPrefix| b.prefix(v))?
            .opt(a, "verbose", |b, v: bool| b.verbose(v))?
            .await),
        "getHistoryBackupAsClusterAdmin" => sdk(c
            .get_history_backup_as_cluster_admin(a.get::<types::BackupId>("backup_id")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "deleteHistoryBackupAsClusterAdmin" => sdk(c
            .delete_history_backup_as_cluster_admin(a.get::<types::BackupId>("backup_id")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .await),
        "changeClusterModeAsClusterAdmin" => sdk(c
            .change_cluster_mode_as_cluster_admin()
            .mode(a.get::<enums::Mode>("mode")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .opt(a, "dry_run", |b, v: bool| b.dry_run(v))?
            .await),
        "triggerClusterRebalance" => sdk(c
            .trigger_cluster_rebalance()
            .body(a.get::<types::ClusterRebalanceRequest>("body")?)
            .opt(a, "dry_run", |b, v: bool| b.dry_run(v))?
            .await),
        "getClusterRebalance" => sdk(c.get_cluster_rebalance().await),
        "cancelClusterRebalance" => sdk(c.cancel_cluster_rebalance().await),
        "restoreAsClusterAdmin" => sdk(c
            .restore_as_cluster_admin()
            .body(a.get::<types::ClusterRestoreRequest>("body")?)
            .opt(a, "physical_tenant_id", |b, v: String| {
                b.physical_tenant_id(v)
            })?
            .opt(a, "dry_run", |b, v: bool| b.dry_run(v))?
            .await),
        "getClusterStatus" => sdk(c.get_cluster_status().await),
        "getClusterUpgradeStatus" => sdk(c.get_cluster_upgrade_status().await),
        "getClusterTopology" => sdk(c.get_cluster_topology().await),
        "createUser" => {
            let body: types::UserRequest = a.get("body")?;
            sdk(c.create_user().body(body).await)
        }
        "searchUsers" => sdk(c
            .search_users()
            .body(a.get::<types::UserSearchQueryRequest>("body")?)
            .await),
        "getUser" => sdk(c.get_user(a.get::<keys::Username>("username")?).await),
        "updateUser" => sdk(c
            .update_user(a.get::<keys::Username>("username")?)
            .body(a.get::<types::UserUpdateRequest>("body")?)
            .await),
        "deleteUser" => sdk(c.delete_user(a.get::<keys::Username>("username")?).await),
        "searchUserTasks" => sdk(c
            .search_user_tasks()
            .body(a.get::<types::UserTaskSearchQuery>("body")?)
            .await),
        "getUserTask" => sdk(c
            .get_user_task(a.get::<keys::UserTaskKey>("user_task_key")?)
            .await),
        "updateUserTask" => sdk(c
            .update_user_task(a.get::<keys::UserTaskKey>("user_task_key")?)
            .body(a.get::<types::UserTaskUpdateRequest>("body")?)
            .await),
        "unassignUserTask" => sdk(c
            .unassign_user_task(a.get::<keys::UserTaskKey>("user_task_key")?)
            .await),
        "assignUserTask" => sdk(c
            .assign_user_task(a.get::<keys::UserTaskKey>("user_task_key")?)
            .body(a.get::<types::UserTaskAssignmentRequest>("body")?)
            .await),
        "searchUserTaskAuditLogs" => sdk(c
            .search_user_task_audit_logs(a.get::<keys::UserTaskKey>("user_task_key")?)
            .body(a.get::<types::UserTaskAuditLogSearchQueryRequest>("body")?)
            .await),
        "completeUserTask" => sdk(c
            .complete_user_task(a.get::<keys::UserTaskKey>("user_task_key")?)
            .body(a.get::<types::UserTaskCompletionRequest>("body")?)
            .await),
        "searchUserTaskEffectiveVariables" => sdk(c
            .search_user_task_effective_variables(a.get::<keys::UserTaskKey>("user_task_key")?)
            .body(a.get::<types::UserTaskEffectiveVariableSearchQueryRequest>("body")?)
            .opt(a, "truncate_values", |b, v: bool| b.truncate_values(v))?
            .await),
        "getUserTaskForm" => sdk(c
            .get_user_task_form(a.get::<keys::UserTaskKey>("user_task_key")?)
            .await),
        "searchUserTaskVariables" => sdk(c
            .search_user_task_variables(a.get::<keys::UserTaskKey>("user_task_key")?)
            .body(a.get::<types::UserTaskVariableSearchQueryRequest>("body")?)
            .opt(a, "truncate_values", |b, v: bool| b.truncate_values(v))?
            .await),
        "searchVariables" => sdk(c
            .search_variables()
            .body(a.get::<types::VariableSearchQuery>("body")?)
            .opt(a, "truncate_values", |b, v: bool| b.truncate_values(v))?
            .await),
        "getVariable" => sdk(c
            .get_variable(a.get::<keys::VariableKey>("variable_key")?)
            .await),
        _ => Err(Fail::NotCovered),
    }
}
