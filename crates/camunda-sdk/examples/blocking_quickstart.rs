//! Quickstart with the blocking client: topology, deploy, start an instance, one search page.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example blocking_quickstart
//! ```

use camunda_sdk::blocking::CamundaClient;
use camunda_sdk::{types, variables};

const BPMN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/resources/order-process.bpmn"
);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = CamundaClient::from_env()?;
    let topology = client.get_topology()?;
    println!(
        "{} broker(s), gateway {}",
        topology.brokers.len(),
        topology.gateway_version
    );

    let deployment = client.deploy_resources_from_files([BPMN], None)?;
    println!("deployment {}", deployment.key);

    let instruction = types::ProcessInstanceCreationInstructionById {
        process_definition_id: "order-process".parse()?,
        variables: Some(variables::to_variables(
            &serde_json::json!({ "orderId": "A-1002", "amount": 12.0 }),
        )?),
        await_completion: None,
        business_id: None,
        fetch_variables: Vec::new(),
        operation_reference: None,
        process_definition_version: None,
        request_timeout: None,
        runtime_instructions: Vec::new(),
        start_instructions: Vec::new(),
        tags: None,
        tenant_id: None,
    };
    let created = client.create_process_instance(&instruction.into())?;
    println!("started {}", created.process_instance_key);

    let page = client.search_process_instances(&Default::default())?;
    println!("{} instance(s) on the first page", page.items.len());
    Ok(())
}
