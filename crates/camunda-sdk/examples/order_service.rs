//! A small order service, and how to test it without a cluster (`camunda_sdk::testing`, feature
//! `testing`): its job handler with the harness, the function that starts an instance against
//! the typed mock.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example order_service
//! cargo test -p camunda-sdk --example order_service      # its tests (part of `cargo xtask test`)
//! ```

use camunda_sdk::worker::{HandlerError, Job, JobWorkerConfig, Outcome, typed};
use camunda_sdk::{CamundaClient, Error, keys};
use serde::{Deserialize, Serialize};

/// An order, as the process carries it in its variables.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    order_id: String,
    amount: f64,
}

/// Starts the order process for `order`; returns the new instance's key.
pub async fn place_order(
    client: &CamundaClient,
    order: &Order,
) -> Result<keys::ProcessInstanceKey, Error> {
    let created = client
        .create_process_instance()
        .process_definition_id("order-process")
        .variables(order)
        .await?;
    Ok(created.process_instance_key)
}

/// The `check-order` handler: approves orders up to the task's `limit` header (1000 by
/// default), and throws `INVALID_ORDER` for an order without an amount.
pub async fn check_order(order: Order, job: Job) -> Result<Outcome, HandlerError> {
    if order.amount <= 0.0 {
        return Ok(Outcome::bpmn_error(
            "INVALID_ORDER",
            format!("order {} has no amount", order.order_id),
        ));
    }
    let limit = match job.custom_header("limit") {
        None => 1_000.0,
        Some(text) => text.parse::<f64>().map_err(|e| Error::InvalidArgument {
            name: "limit",
            message: format!("the task header `limit` is not a number ({text:?}: {e})"),
        })?,
    };
    Outcome::complete_with(&serde_json::json!({ "approved": order.amount <= limit }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = CamundaClient::from_env()?;
    client.create_job_worker(JobWorkerConfig::new("check-order"), typed(check_order));
    let order = Order {
        order_id: "A-1001".into(),
        amount: 42.5,
    };
    let key = place_order(&client, &order).await?;
    println!(
        "order {} is process instance {key}; Ctrl-C to stop the worker",
        order.order_id
    );
    client.run_workers().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use camunda_sdk::testing::{CamundaMock, TestJob};
    use serde_json::json;

    fn order(amount: f64) -> Order {
        Order {
            order_id: "A-1".into(),
            amount,
        }
    }

    #[tokio::test]
    async fn the_handler_approves_up_to_the_limit_header() {
        let job = |amount: f64| {
            TestJob::new("check-order")
                .variables(&order(amount))
                .custom_header("limit", "500")
                .build()
                .unwrap()
        };
        let approved = |a| Outcome::Complete {
            variables: Some(json!({ "approved": a })),
        };
        assert_eq!(
            TestJob::decide(&typed(check_order), job(499.0)).await,
            approved(true)
        );
        assert_eq!(
            TestJob::decide(&typed(check_order), job(501.0)).await,
            approved(false)
        );
        assert_eq!(
            TestJob::decide(&typed(check_order), job(0.0)).await,
            Outcome::bpmn_error("INVALID_ORDER", "order A-1 has no amount")
        );
    }

    #[tokio::test]
    async fn a_bad_limit_header_fails_the_job_with_a_reason() {
        let job = TestJob::new("check-order")
            .variables(&order(10.0))
            .custom_header("limit", "lots")
            .retries(3)
            .build()
            .unwrap();
        match TestJob::decide(&typed(check_order), job).await {
            Outcome::Fail {
                message, retries, ..
            } => {
                assert!(message.contains("`limit` is not a number"), "{message}");
                assert_eq!(retries, Some(2));
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn placing_an_order_starts_the_order_process_with_its_variables() {
        let mock = CamundaMock::start().await;
        let created: camunda_sdk::types::CreateProcessInstanceResult =
            serde_json::from_value(json!({
                "processDefinitionId": "order-process",
                "processDefinitionKey": "2251799813686749",
                "processDefinitionVersion": 3,
                "processInstanceKey": "2251799813690746",
                "tenantId": "<default>",
                "variables": {},
                "tags": []
            }))
            .unwrap();
        let start = mock
            .create_process_instance(|when, then| {
                when.body_matches(
                    |body: &camunda_sdk::types::ProcessInstanceCreationInstruction| {
                        let body = serde_json::to_value(body).unwrap();
                        body["processDefinitionId"] == "order-process"
                            && body["variables"] == json!({ "orderId": "A-1", "amount": 12.0 })
                    },
                );
                then.ok(&created);
            })
            .await;
        let key = place_order(&mock.client(), &order(12.0)).await.unwrap();
        assert_eq!(key.to_string(), "2251799813690746");
        start.assert_async().await;
    }

    #[tokio::test]
    async fn an_unknown_process_is_reported_with_the_servers_reason() {
        let mock = CamundaMock::start().await;
        mock.create_process_instance(|_, then| {
            then.problem(
                404,
                "NOT_FOUND",
                "no process definition with id order-process",
            );
        })
        .await;
        let err = place_order(&mock.client(), &order(12.0)).await.unwrap_err();
        assert_eq!(err.status(), Some(404));
        assert!(err.to_string().contains("no process definition"), "{err}");
    }
}
