//! The everyday flows of `../shared/SEED_EXAMPLES.md`, one function each, on the async client
//! (`blocking_flows` has the same on the blocking client). Without arguments it lists them;
//! with a flow number and its arguments it runs that one against `CAMUNDA_*`.
//!
//! ```sh
//! cargo run -p camunda-sdk --example flows          # list the flows
//! cargo run -p camunda-sdk --example flows -- 27    # the topology
//! cargo run -p camunda-sdk --example flows -- 17    # deploy the samples
//! cargo run -p camunda-sdk --example flows -- 12 order-process A-1042 129.5
//! ```

use camunda_sdk::enums::{
    IncidentStateEnum, ProcessInstanceSearchQuerySortRequestField, SortOrderEnum, UserTaskStateEnum,
};
use camunda_sdk::{CamundaClient, Result, keys};
use chrono::{TimeDelta, Utc};
use serde::Serialize;
use serde_json::json;
use std::time::Duration;

const USAGE: &str = "flows: <number> <arguments>
  1 <job type>                          activate jobs, print keys and variables
  2 <user task key> <assignee>          assign a user task
  3 <user task key>                     unassign a user task
  4 <user task key> <group>...          due in 2 days, candidate groups
  5 <user task key>                     complete a user task with variables
  6 <user task key>                     read a user task
  7 <assignee>                          search a user's open tasks
  8 <signal name>                       broadcast a signal
  9 <process id>                        start an instance, then cancel it
 10 [bpmn file]                         deploy, start from the deployment's key
 11 <process definition key>            start from a stored key
 12 <process id> <order id> <amount>    start with variables
 13 <job key>                           complete a job with variables
 14 <job key> <retries left>            fail a job, retry in 30 s
 15 <message name> <correlation key>    correlate a message
 16 <message name> <correlation key>    publish a message (TTL 60 s)
 17 [file]...                           deploy files, list what was deployed
 18 <tenant> [file]...                  deploy files into a tenant
 19 <resource key>                      delete a resource
 20 <decision definition key>           evaluate a decision by key
 21 <decision id>                       evaluate a decision by id with inputs
 22 <decision definition key>           read a decision definition
 23 <decision id>                       search decision definitions
 24 <incident key>                      read an incident
 25 <process instance key>              search an instance's incidents
 26 <incident key>                      resolve an incident
 27                                     read the topology
 28 <process id>                        search instances, newest first
";

/// The sample files deployed when flows 10, 17 and 18 are given none.
const SAMPLES: [&str; 3] = [
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/resources/order-process.bpmn"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/resources/discount.dmn"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/resources/order-review.form"
    ),
];

/// The variables flow 12 starts an order with: any `Serialize` struct will do.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Order<'a> {
    order_id: &'a str,
    amount: f64,
}

/// Flow 1: up to 10 jobs of one type, locked to this worker for 5 minutes.
async fn flow_01_activate_jobs(client: &CamundaClient, job_type: &str) -> Result<()> {
    let activated = client
        .activate_jobs(job_type, Duration::from_secs(300), 10)
        .worker("flows-example")
        .send()
        .await?;
    for job in &activated.jobs {
        println!(
            "job {} of instance {}",
            job.job_key, job.process_instance_key
        );
        for (name, value) in job.variables.iter() {
            println!("  {name} = {value}");
        }
    }
    Ok(())
}

/// Flow 2.
async fn flow_02_assign_user_task(client: &CamundaClient, task: &str, user: &str) -> Result<()> {
    client.assign_user_task(task).assignee(user).send().await
}

/// Flow 3.
async fn flow_03_unassign_user_task(client: &CamundaClient, task: &str) -> Result<()> {
    client.unassign_user_task(task).await
}

/// Flow 4: a changeset; what is not set stays as it is.
async fn flow_04_update_user_task(
    client: &CamundaClient,
    task: &str,
    groups: &[&str],
) -> Result<()> {
    let due = Utc::now() + TimeDelta::days(2);
    client
        .update_user_task(task)
        .due_date(due)
        .candidate_groups(groups.iter().copied())
        .send()
        .await
}

/// Flow 5.
async fn flow_05_complete_user_task(client: &CamundaClient, task: &str) -> Result<()> {
    client
        .complete_user_task(task)
        .variables(&json!({ "approved": true, "reviewComment": "looks good" }))
        .send()
        .await
}

/// Flow 6.
async fn flow_06_get_user_task(client: &CamundaClient, task: &str) -> Result<()> {
    let task = client.get_user_task(task).await?;
    let assignee = task.assignee.as_deref().unwrap_or("nobody");
    println!(
        "{:?} ({:?}) assigned to {assignee}, due {:?}",
        task.name, task.state, task.due_date
    );
    Ok(())
}

/// Flow 7: a user's open tasks.
async fn flow_07_search_user_tasks(client: &CamundaClient, assignee: &str) -> Result<()> {
    let tasks = client
        .search_user_tasks()
        .filter(|f| f.assignee(assignee).state(UserTaskStateEnum::Created))
        .send()
        .await?;
    for task in &tasks.items {
        println!(
            "{} {:?} in instance {}",
            task.user_task_key, task.name, task.process_instance_key
        );
    }
    Ok(())
}

/// Flow 8.
async fn flow_08_broadcast_signal(client: &CamundaClient, signal: &str) -> Result<()> {
    let broadcast = client.broadcast_signal(signal).await?;
    println!("signal {}", broadcast.signal_key);
    Ok(())
}

/// Flow 9: the creation result converts into the instance's key.
async fn flow_09_start_then_cancel(client: &CamundaClient, process_id: &str) -> Result<()> {
    let created = client
        .create_process_instance()
        .process_definition_id(process_id)
        .await?;
    println!("started {}", created.process_instance_key);
    client.cancel_process_instance(&created).await?;
    println!("cancelled it");
    Ok(())
}

/// Flow 10: each deployed process converts into its definition key.
async fn flow_10_start_from_deployment(client: &CamundaClient, bpmn: &str) -> Result<()> {
    let deployment = client.deploy_resources_from_files([bpmn]).await?;
    for process in &deployment.processes {
        let created = client
            .create_process_instance()
            .process_definition_key(process)
            .await?;
        println!(
            "started {} of {}",
            created.process_instance_key, process.process_definition_id
        );
    }
    Ok(())
}

/// Flow 11: a key kept as text (a database column, a config value) parsed back.
async fn flow_11_start_from_stored_key(client: &CamundaClient, stored: &str) -> Result<()> {
    let key: keys::ProcessDefinitionKey = stored.parse()?;
    let created = client
        .create_process_instance()
        .process_definition_key(key)
        .await?;
    println!(
        "started {} (version {})",
        created.process_instance_key, created.process_definition_version
    );
    Ok(())
}

/// Flow 12.
async fn flow_12_start_with_variables(
    client: &CamundaClient,
    process_id: &str,
    order: &Order<'_>,
) -> Result<()> {
    let created = client
        .create_process_instance()
        .process_definition_id(process_id)
        .variables(order)
        .send()
        .await?;
    println!(
        "started {} for order {}",
        created.process_instance_key, order.order_id
    );
    Ok(())
}

/// Flow 13.
async fn flow_13_complete_job(client: &CamundaClient, job: &str) -> Result<()> {
    client
        .complete_job(job)
        .variables(&json!({ "approved": true, "checkedBy": "flows-example" }))
        .send()
        .await
}

/// Flow 14: the job comes back with `retries` left, after 30 s.
async fn flow_14_fail_job(client: &CamundaClient, job: &str, retries: i32) -> Result<()> {
    client
        .fail_job(job)
        .retries(retries)
        .error_message("stock service down")
        .retry_back_off(Duration::from_secs(30))
        .send()
        .await
}

/// Flow 15: answers once an instance took the message.
async fn flow_15_correlate_message(
    client: &CamundaClient,
    name: &str,
    correlation: &str,
) -> Result<()> {
    let correlated = client
        .correlate_message(name)
        .correlation_key(correlation)
        .variables(&json!({ "paymentId": "PAY-88213" }))
        .send()
        .await?;
    println!("correlated to instance {}", correlated.process_instance_key);
    Ok(())
}

/// Flow 16: buffered for 60 s if no instance waits yet.
async fn flow_16_publish_message(
    client: &CamundaClient,
    name: &str,
    correlation: &str,
) -> Result<()> {
    let published = client
        .publish_message(name)
        .correlation_key(correlation)
        .time_to_live(Duration::from_secs(60))
        .variables(&json!({ "paymentId": "PAY-88213", "amount": 129.5 }))
        .send()
        .await?;
    println!("message {}", published.message_key);
    Ok(())
}

/// Flow 17.
async fn flow_17_deploy(client: &CamundaClient, files: &[&str]) -> Result<()> {
    let deployment = client.deploy_resources_from_files(files).await?;
    print_deployment(&deployment);
    Ok(())
}

/// Flow 18.
async fn flow_18_deploy_to_tenant(
    client: &CamundaClient,
    tenant: &str,
    files: &[&str],
) -> Result<()> {
    let deployment = client
        .deploy_resources_from_files(files)
        .tenant_id(tenant)
        .await?;
    print_deployment(&deployment);
    Ok(())
}

fn print_deployment(deployment: &camunda_sdk::deploy::Deployment) {
    println!(
        "deployment {} to tenant {}",
        deployment.key, deployment.tenant_id
    );
    for p in &deployment.processes {
        println!(
            "  process {} v{}: {}",
            p.process_definition_id, p.process_definition_version, p.process_definition_key
        );
    }
    for d in &deployment.decisions {
        println!(
            "  decision {} v{}: {}",
            d.decision_definition_id, d.version, d.decision_definition_key
        );
    }
    for f in &deployment.forms {
        println!("  form {} v{}: {}", f.form_id, f.version, f.form_key);
    }
    for r in &deployment.resources {
        println!(
            "  resource {} v{}: {}",
            r.resource_id, r.version, r.resource_key
        );
    }
}

/// Flow 19.
async fn flow_19_delete_resource(client: &CamundaClient, resource: &str) -> Result<()> {
    client.delete_resource(resource).await?;
    println!("deleted {resource}");
    Ok(())
}

/// Flow 20: exactly the version the key names.
async fn flow_20_evaluate_by_key(client: &CamundaClient, decision: &str) -> Result<()> {
    let result = client
        .evaluate_decision()
        .decision_definition_key(decision)
        .await?;
    println!(
        "{} v{}: {}",
        result.decision_definition_id, result.decision_definition_version, result.output
    );
    Ok(())
}

/// Flow 21: the latest version of the decision id.
async fn flow_21_evaluate_by_id(client: &CamundaClient, decision: &str) -> Result<()> {
    let result = client
        .evaluate_decision()
        .decision_definition_id(decision)
        .variables(&json!({ "customerTier": "gold", "orderTotal": 420 }))
        .send()
        .await?;
    println!(
        "{} v{}: {}",
        result.decision_definition_id, result.decision_definition_version, result.output
    );
    Ok(())
}

/// Flow 22.
async fn flow_22_get_decision_definition(client: &CamundaClient, decision: &str) -> Result<()> {
    let d = client.get_decision_definition(decision).await?;
    println!(
        "{} ({}) v{} in {}",
        d.decision_definition_id, d.name, d.version, d.decision_requirements_id
    );
    Ok(())
}

/// Flow 23: every version of one decision.
async fn flow_23_search_decision_definitions(client: &CamundaClient, decision: &str) -> Result<()> {
    let found = client
        .search_decision_definitions()
        .filter(|f| f.decision_definition_id(decision))
        .send()
        .await?;
    for d in &found.items {
        println!(
            "{} v{}: {}",
            d.decision_definition_id, d.version, d.decision_definition_key
        );
    }
    Ok(())
}

/// Flow 24.
async fn flow_24_get_incident(client: &CamundaClient, incident: &str) -> Result<()> {
    let i = client.get_incident(incident).await?;
    println!(
        "{:?} at {} in instance {}: {}",
        i.error_type, i.element_id, i.process_instance_key, i.error_message
    );
    Ok(())
}

/// Flow 25: the open incidents of one instance.
async fn flow_25_search_incidents(client: &CamundaClient, instance: &str) -> Result<()> {
    let found = client
        .search_incidents()
        .filter(|f| {
            f.process_instance_key(instance)
                .state(IncidentStateEnum::Active)
        })
        .send()
        .await?;
    for i in &found.items {
        println!("{} {:?}: {}", i.incident_key, i.error_type, i.error_message);
    }
    Ok(())
}

/// Flow 26.
async fn flow_26_resolve_incident(client: &CamundaClient, incident: &str) -> Result<()> {
    client.resolve_incident(incident).await
}

/// Flow 27.
async fn flow_27_topology(client: &CamundaClient) -> Result<()> {
    let topology = client.get_topology().await?;
    println!(
        "{} broker(s), {} partition(s)",
        topology.cluster_size, topology.partitions_count
    );
    for broker in &topology.brokers {
        println!(
            "  node {} at {}:{}",
            broker.node_id, broker.host, broker.port
        );
    }
    Ok(())
}

/// Flow 28: the 20 newest instances of a process, and how many there are in all.
async fn flow_28_search_process_instances(client: &CamundaClient, process_id: &str) -> Result<()> {
    let page = client
        .search_process_instances()
        .filter(|f| f.process_definition_id(process_id))
        .sort_by(
            ProcessInstanceSearchQuerySortRequestField::StartDate,
            SortOrderEnum::Desc,
        )
        .limit(20)
        .send()
        .await?;
    println!("{} instance(s) in all", page.page.total_items);
    for instance in &page.items {
        println!(
            "  {} started {} ({:?})",
            instance.process_instance_key, instance.start_date, instance.state
        );
    }
    Ok(())
}

/// The files named, or the samples if none are.
fn or_samples<'a>(given: &[&'a str]) -> Vec<&'a str> {
    if given.is_empty() {
        SAMPLES.to_vec()
    } else {
        given.to_vec()
    }
}

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let Some((&flow, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(());
    };
    let client = CamundaClient::from_env()?;
    match (flow, rest) {
        ("1", [job_type]) => flow_01_activate_jobs(&client, job_type).await?,
        ("2", [task, user]) => flow_02_assign_user_task(&client, task, user).await?,
        ("3", [task]) => flow_03_unassign_user_task(&client, task).await?,
        ("4", [task, groups @ ..]) => flow_04_update_user_task(&client, task, groups).await?,
        ("5", [task]) => flow_05_complete_user_task(&client, task).await?,
        ("6", [task]) => flow_06_get_user_task(&client, task).await?,
        ("7", [assignee]) => flow_07_search_user_tasks(&client, assignee).await?,
        ("8", [signal]) => flow_08_broadcast_signal(&client, signal).await?,
        ("9", [process_id]) => flow_09_start_then_cancel(&client, process_id).await?,
        ("10", []) => flow_10_start_from_deployment(&client, SAMPLES[0]).await?,
        ("10", [bpmn]) => flow_10_start_from_deployment(&client, bpmn).await?,
        ("11", [key]) => flow_11_start_from_stored_key(&client, key).await?,
        ("12", [process_id, order_id, amount]) => {
            let order = Order {
                order_id,
                amount: amount.parse()?,
            };
            flow_12_start_with_variables(&client, process_id, &order).await?
        }
        ("13", [job]) => flow_13_complete_job(&client, job).await?,
        ("14", [job, retries]) => flow_14_fail_job(&client, job, retries.parse()?).await?,
        ("15", [name, correlation]) => {
            flow_15_correlate_message(&client, name, correlation).await?
        }
        ("16", [name, correlation]) => flow_16_publish_message(&client, name, correlation).await?,
        ("17", given) => flow_17_deploy(&client, &or_samples(given)).await?,
        ("18", [tenant, given @ ..]) => {
            flow_18_deploy_to_tenant(&client, tenant, &or_samples(given)).await?
        }
        ("19", [resource]) => flow_19_delete_resource(&client, resource).await?,
        ("20", [decision]) => flow_20_evaluate_by_key(&client, decision).await?,
        ("21", [decision]) => flow_21_evaluate_by_id(&client, decision).await?,
        ("22", [decision]) => flow_22_get_decision_definition(&client, decision).await?,
        ("23", [decision]) => flow_23_search_decision_definitions(&client, decision).await?,
        ("24", [incident]) => flow_24_get_incident(&client, incident).await?,
        ("25", [instance]) => flow_25_search_incidents(&client, instance).await?,
        ("26", [incident]) => flow_26_resolve_incident(&client, incident).await?,
        ("27", []) => flow_27_topology(&client).await?,
        ("28", [process_id]) => flow_28_search_process_instances(&client, process_id).await?,
        _ => {
            eprint!("no flow `{}` with these arguments\n{USAGE}", args.join(" "));
            std::process::exit(2);
        }
    }
    Ok(())
}
