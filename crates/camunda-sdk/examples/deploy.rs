//! Deploys the files named on the command line (BPMN, DMN, forms) in one deployment; without
//! arguments, the sample `resources/order-process.bpmn`.
//!
//! ```sh
//! cargo run -p camunda-sdk --example deploy -- order.bpmn discount.dmn
//! ```

use camunda_sdk::CamundaClient;

#[tokio::main]
async fn main() -> Result<(), camunda_sdk::Error> {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        files.push(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/resources/order-process.bpmn"
            )
            .into(),
        );
    }
    let client = CamundaClient::from_env()?;
    let deployment = client.deploy_resources_from_files(&files).send().await?;
    println!(
        "deployment {} (tenant {})",
        deployment.key, deployment.tenant_id
    );
    for p in &deployment.processes {
        println!(
            "  process {} v{} key {}",
            p.process_definition_id, p.process_definition_version, p.process_definition_key
        );
    }
    for d in &deployment.decisions {
        println!("  decision {d:?}");
    }
    Ok(())
}
