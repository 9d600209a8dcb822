//! Hand-written rustdoc examples for the most used operations: each shows a real use (what the
//! caller does with the answer), where a generated example could only show the call. Each is the
//! body of an async fn with `client: camunda_sdk::CamundaClient` in scope, returning
//! `camunda_sdk::Result<()>`, with `json!`, `Duration`, `enums`, `keys` and `types` imported (see
//! [`crate::examples::wrap`]); anything else (a trait such as `futures::TryStreamExt`) is
//! imported inside the snippet. The doctests compile every one.

/// The hand-written example of operation `id`, if it has one.
pub fn hand_written(id: &str) -> Option<&'static str> {
    EXAMPLES
        .iter()
        .find(|(op, _)| *op == id)
        .map(|(_, body)| *body)
}

const EXAMPLES: &[(&str, &str)] = &[
    // --- processes -------------------------------------------------------------------------
    (
        "createProcessInstance",
        r#"// Start the latest version of a process by its id, with variables; keep the key.
let created = client
    .create_process_instance()
    .process_definition_id("order-process")
    .variables(&json!({ "orderId": "A-1042", "amount": 129.5 }))
    .send()
    .await?;
println!("started {}", created.process_instance_key);
// The result converts into its key: cancel it again.
client.cancel_process_instance(&created).await?;"#,
    ),
    (
        "cancelProcessInstance",
        r#"// The customer withdrew order A-1042: cancel whatever is still running for it.
let running = client
    .search_process_instances()
    .filter(|f| f.business_id("A-1042").state(enums::ProcessInstanceStateEnum::Active))
    .send()
    .await?;
for instance in &running.items {
    client.cancel_process_instance(&instance.process_instance_key).await?;
    println!("cancelled {}", instance.process_instance_key);
}"#,
    ),
    (
        "getProcessInstance",
        r#"let instance = client.get_process_instance("2251799813690001").await?;
println!(
    "{} v{} is {:?} since {}",
    instance.process_definition_id, instance.process_definition_version,
    instance.state, instance.start_date,
);
if instance.has_incident {
    println!("it has an open incident: see search_incidents");
}"#,
    ),
    (
        "searchProcessInstances",
        r#"// The 20 newest active instances of a process, and how many there are in all.
let page = client
    .search_process_instances()
    .filter(|f| f.process_definition_id("order-process").state(enums::ProcessInstanceStateEnum::Active))
    .sort_by(enums::ProcessInstanceSearchQuerySortRequestField::StartDate, enums::SortOrderEnum::Desc)
    .limit(20)
    .send()
    .await?;
println!("{} active in all", page.page.total_items);
for instance in &page.items {
    println!("{} started {}", instance.process_instance_key, instance.start_date);
}"#,
    ),
    (
        "getProcessDefinition",
        r#"let definition = client.get_process_definition("2251799813685249").await?;
println!(
    "{} ({}) v{} from {}",
    definition.process_definition_id,
    definition.name.as_deref().unwrap_or("unnamed"),
    definition.version,
    definition.resource_name,
);"#,
    ),
    (
        "searchProcessDefinitions",
        r#"// The latest version of every deployed process.
let latest = client
    .search_process_definitions()
    .filter(|f| f.is_latest_version(true))
    .sort_by(enums::ProcessDefinitionSearchQuerySortRequestField::ProcessDefinitionId, enums::SortOrderEnum::Asc)
    .send()
    .await?;
for definition in &latest.items {
    println!("{} v{} key {}", definition.process_definition_id, definition.version, definition.process_definition_key);
}"#,
    ),
    // --- jobs ------------------------------------------------------------------------------
    (
        "activateJobs",
        r#"// Up to 10 "payment" jobs, locked to this worker for 5 minutes.
let activated = client
    .activate_jobs("payment", Duration::from_secs(300), 10)
    .worker("payment-worker-1")
    .send()
    .await?;
for job in &activated.jobs {
    println!("job {} of instance {}", job.job_key, job.process_instance_key);
    for (name, value) in job.variables.iter() {
        println!("  {name} = {value}");
    }
}"#,
    ),
    (
        "completeJob",
        r#"// An activated job converts into its key: complete each with the payment's id.
let activated = client.activate_jobs("payment", Duration::from_secs(60), 5).send().await?;
for job in &activated.jobs {
    client
        .complete_job(job)
        .variables(&json!({ "paymentId": "PAY-88213", "paid": true }))
        .send()
        .await?;
}"#,
    ),
    (
        "failJob",
        r#"// The payment service is down: give the job back with one retry less, in 30 s.
let activated = client.activate_jobs("payment", Duration::from_secs(60), 1).send().await?;
for job in &activated.jobs {
    client
        .fail_job(job)
        .retries(job.retries - 1)
        .error_message("payment service unavailable (HTTP 503)")
        .retry_back_off(Duration::from_secs(30))
        .send()
        .await?;
}"#,
    ),
    (
        "throwJobError",
        r#"// A business error, not a technical one: the BPMN error boundary event "CARD_DECLINED"
// takes over, with the reason as a variable.
client
    .throw_job_error("2251799813690003")
    .error_code("CARD_DECLINED")
    .error_message("card ending 4242 was declined")
    .variables(&json!({ "declineReason": "insufficient funds" }))
    .send()
    .await?;"#,
    ),
    (
        "updateJob",
        r#"// The job needs longer than its timeout: give it 10 more minutes and 3 retries.
client
    .update_job("2251799813690003")
    .timeout(Duration::from_secs(600))
    .retries(3)
    .send()
    .await?;"#,
    ),
    (
        "searchJobs",
        r#"// Failed "payment" jobs, the ones an operator should look at.
let failed = client
    .search_jobs()
    .filter(|f| f.type_("payment").state(enums::JobStateExactMatch::Failed))
    .send()
    .await?;
for job in &failed.items {
    let reason = job.error_message.as_deref().unwrap_or("no message");
    println!("job {} ({} retries left): {reason}", job.job_key, job.retries);
}"#,
    ),
    // --- user tasks ------------------------------------------------------------------------
    (
        "assignUserTask",
        r#"// Give the oldest unassigned review task to "demo".
let open = client
    .search_user_tasks()
    .filter(|f| f.element_id("review-order").state(enums::UserTaskStateEnum::Created))
    .sort_by(enums::UserTaskSearchQuerySortRequestField::CreationDate, enums::SortOrderEnum::Asc)
    .limit(1)
    .send()
    .await?;
if let Some(task) = open.items.first() {
    client.assign_user_task(&task.user_task_key).assignee("demo").send().await?;
}"#,
    ),
    (
        "unassignUserTask",
        r#"// "john" is on leave: put his open tasks back in the pool.
let his = client
    .search_user_tasks()
    .filter(|f| f.assignee("john").state(enums::UserTaskStateEnum::Created))
    .send()
    .await?;
for task in &his.items {
    client.unassign_user_task(&task.user_task_key).await?;
}
println!("{} task(s) unassigned", his.items.len());"#,
    ),
    (
        "updateUserTask",
        r#"// Due in two days, for the finance team; drop the follow-up date.
client
    .update_user_task("2251799813700123")
    .due_date(chrono::Utc::now() + chrono::TimeDelta::days(2))
    .candidate_groups(["finance", "accounting"])
    .clear_follow_up_date()
    .send()
    .await?;"#,
    ),
    (
        "completeUserTask",
        r#"// The reviewer approved: complete the task with the decision the process branches on.
client
    .complete_user_task("2251799813700123")
    .variables(&json!({ "approved": true, "reviewComment": "limit raised to 5,000" }))
    .send()
    .await?;"#,
    ),
    (
        "getUserTask",
        r#"let task = client.get_user_task("2251799813700123").await?;
println!(
    "{} ({:?}) assigned to {}, due {:?}",
    task.name.as_deref().unwrap_or(task.element_id.as_str()),
    task.state,
    task.assignee.as_deref().unwrap_or("nobody"),
    task.due_date,
);"#,
    ),
    (
        "searchUserTasks",
        r#"// "demo"'s open tasks, the most urgent first.
let mine = client
    .search_user_tasks()
    .filter(|f| f.assignee("demo").state(enums::UserTaskStateEnum::Created))
    .sort_by(enums::UserTaskSearchQuerySortRequestField::DueDate, enums::SortOrderEnum::Asc)
    .send()
    .await?;
for task in &mine.items {
    println!("{} {:?} due {:?}", task.user_task_key, task.name, task.due_date);
}"#,
    ),
    // --- messages and signals --------------------------------------------------------------
    (
        "publishMessage",
        r#"// Buffered for 60 s if no instance waits yet; the message id makes a resend a no-op.
let published = client
    .publish_message("payment-received")
    .correlation_key("A-1042")
    .time_to_live(Duration::from_secs(60))
    .message_id("PAY-88213")
    .variables(&json!({ "paymentId": "PAY-88213", "amount": 129.5 }))
    .send()
    .await?;
println!("published message {}", published.message_key);"#,
    ),
    (
        "correlateMessage",
        r#"// Unlike publish_message, this answers only once an instance took the message.
let correlated = client
    .correlate_message("payment-received")
    .correlation_key("A-1042")
    .variables(&json!({ "paymentId": "PAY-88213" }))
    .send()
    .await?;
println!("message {} went to instance {}", correlated.message_key, correlated.process_instance_key);"#,
    ),
    (
        "broadcastSignal",
        r#"// Every instance waiting on the signal (and every signal start event) reacts.
let signal = client
    .broadcast_signal("inventory-restocked")
    .variables(&json!({ "sku": "SKU-1042", "quantity": 250 }))
    .send()
    .await?;
println!("signal {}", signal.signal_key);"#,
    ),
    // --- decisions -------------------------------------------------------------------------
    (
        "evaluateDecision",
        r#"// By decision id: the latest version is evaluated.
let result = client
    .evaluate_decision()
    .decision_definition_id("discount")
    .variables(&json!({ "customerTier": "gold", "orderTotal": 420 }))
    .send()
    .await?;
println!("{} v{} says {}", result.decision_definition_name, result.decision_definition_version, result.output);
for decision in &result.evaluated_decisions {
    println!("  {} matched {} rule(s)", decision.decision_definition_id, decision.matched_rules.len());
}"#,
    ),
    (
        "getDecisionDefinition",
        r#"let decision = client.get_decision_definition("2251799813686001").await?;
println!(
    "{} ({}) v{} in {}",
    decision.decision_definition_id, decision.name, decision.version, decision.decision_requirements_id,
);
// Its key evaluates exactly this version.
let result = client.evaluate_decision().decision_definition_key(&decision.decision_definition_key)
    .variables(&json!({ "customerTier": "gold" })).send().await?;
println!("output {}", result.output);"#,
    ),
    (
        "searchDecisionDefinitions",
        r#"// Every version of the "discount" decision, the newest first.
let versions = client
    .search_decision_definitions()
    .filter(|f| f.decision_definition_id("discount"))
    .sort_by(enums::DecisionDefinitionSearchQuerySortRequestField::Version, enums::SortOrderEnum::Desc)
    .send()
    .await?;
for decision in &versions.items {
    println!("v{} key {}", decision.version, decision.decision_definition_key);
}"#,
    ),
    // --- incidents -------------------------------------------------------------------------
    (
        "getIncident",
        r#"let incident = client.get_incident("2251799813700555").await?;
println!(
    "{:?} at {} in instance {}: {}",
    incident.error_type, incident.element_id, incident.process_instance_key, incident.error_message,
);
if let Some(job) = &incident.job_key {
    println!("raised by job {job}");
}"#,
    ),
    (
        "searchIncidents",
        r#"// The open incidents of one process instance.
let open = client
    .search_incidents()
    .filter(|f| f.process_instance_key("2251799813690001").state(enums::IncidentStateEnum::Active))
    .send()
    .await?;
for incident in &open.items {
    println!("{} {:?}: {}", incident.incident_key, incident.error_type, incident.error_message);
}"#,
    ),
    (
        "resolveIncident",
        r#"// A job ran out of retries and the cause is fixed: give it retries, then resolve.
let incident = client.get_incident("2251799813700555").await?;
if let Some(job) = &incident.job_key {
    client.update_job(job).retries(3).send().await?;
}
client.resolve_incident(&incident.incident_key).await?;"#,
    ),
    // --- resources and variables -----------------------------------------------------------
    (
        "deleteResource",
        r#"// Delete a deployed process (by its definition key), with its history.
let deleted = client
    .delete_resource("2251799813685249")
    .delete_history(true)
    .send()
    .await?;
if let Some(batch) = &deleted.batch_operation {
    println!("history is deleted by batch operation {}", batch.batch_operation_key);
}"#,
    ),
    (
        "getVariable",
        r#"let variable = client.get_variable("2251799813702041").await?;
// The value is JSON text.
let value: serde_json::Value = serde_json::from_str(&variable.value).unwrap_or_default();
println!("{} = {value} (instance {})", variable.name, variable.process_instance_key);"#,
    ),
    (
        "searchVariables",
        r#"// Every variable of one process instance, whole values rather than truncated ones.
let variables = client
    .search_variables()
    .truncate_values(false)
    .filter(|f| f.process_instance_key("2251799813690001"))
    .send()
    .await?;
for variable in &variables.items {
    println!("{} = {}", variable.name, variable.value);
}"#,
    ),
    // --- cluster and identity --------------------------------------------------------------
    (
        "getTopology",
        r#"let topology = client.get_topology().await?;
println!("{} broker(s), {} partition(s)", topology.cluster_size, topology.partitions_count);
for broker in &topology.brokers {
    println!("node {} at {}:{}", broker.node_id, broker.host, broker.port);
}"#,
    ),
    (
        "createUser",
        r#"// Create a user (password first, then username), then give the user a role.
let user = client
    .create_user()
    .username("jane.doe")
    .password("c0rrect-h0rse-battery")
    .name("Jane Doe")
    .email("jane.doe@example.com")
    .send()
    .await?;
// The result converts into its username.
client.assign_role_to_user("order-clerk", &user).await?;"#,
    ),
    (
        "createTenant",
        r#"let tenant = client
    .create_tenant()
    .tenant_id("eu-west")
    .name("Europe West")
    .description("orders placed in the EU")
    .send()
    .await?;
// The result converts into its tenant id.
client.assign_user_to_tenant(&tenant, "jane.doe").await?;"#,
    ),
];
