//! Quickstart with the blocking client: topology, deploy, start an instance, one search page.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example blocking_quickstart
//! ```

use camunda_sdk::blocking::CamundaClient;

const BPMN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/resources/order-process.bpmn"
);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = CamundaClient::from_env()?;
    let topology = client.get_topology().send()?;
    println!(
        "{} broker(s), gateway {}",
        topology.brokers.len(),
        topology.gateway_version
    );

    let deployment = client.deploy_resources_from_files([BPMN]).send()?;
    println!("deployment {}", deployment.key);

    let created = client
        .create_process_instance()
        .process_definition_id("order-process")
        .variables(&serde_json::json!({ "orderId": "A-1002", "amount": 12.0 }))
        .send()?;
    println!("started {}", created.process_instance_key);

    let page = client.search_process_instances().send()?;
    println!("{} instance(s) on the first page", page.items.len());
    Ok(())
}
