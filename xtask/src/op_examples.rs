//! Hand-written rustdoc examples for the most used operations: each shows a real use (what the
//! caller does with the answer), where a generated example could only show the call. Each is the
//! body of an async fn with `client: camunda_sdk::CamundaClient` in scope, returning
//! `camunda_sdk::Result<()>`, with `json!`, `Duration`, `enums`, `keys` and `types` imported (see
//! [`crate::examples::wrap`]). The doctests compile every one.

/// The hand-written example of operation `id`, if it has one.
pub fn hand_written(id: &str) -> Option<&'static str> {
    EXAMPLES
        .iter()
        .find(|(op, _)| *op == id)
        .map(|(_, body)| *body)
}

const EXAMPLES: &[(&str, &str)] = &[
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
        "getTopology",
        r#"let topology = client.get_topology().await?;
println!("{} broker(s), {} partition(s)", topology.cluster_size, topology.partitions_count);
for broker in &topology.brokers {
    println!("node {} at {}:{}", broker.node_id, broker.host, broker.port);
}"#,
    ),
];
