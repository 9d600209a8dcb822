//! Typed variables: a struct in through create-instance, the same struct out through the
//! variable search, asking only for the struct's fields and fetching truncated values whole.

mod support;

use camunda_sdk::{Error, types, variables};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use support::{Reply, Scripted};

#[derive(Serialize, Deserialize, schemars::JsonSchema, Debug, PartialEq, Clone)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    amount: u32,
    lines: Vec<Line>,
    note: String,
}

#[derive(Serialize, Deserialize, schemars::JsonSchema, Debug, PartialEq, Clone)]
struct Line {
    sku: String,
    qty: u32,
}

const KEY: &str = "2251799813685250";

fn order() -> Order {
    Order {
        order_id: "A-1".into(),
        amount: 42,
        lines: vec![Line {
            sku: "tea".into(),
            qty: 2,
        }],
        note: "x".repeat(300),
    }
}

use support::client_without_retries as client;

fn variable(name: &str, value: &Value, truncated: bool) -> Value {
    let text = value.to_string();
    json!({
        "name": name,
        "value": if truncated { text[..20].to_owned() } else { text },
        "isTruncated": truncated,
        "processInstanceKey": KEY,
        "scopeKey": KEY,
        "tenantId": "<default>",
        "variableKey": format!("22517998136{:05}", name.len()),
    })
}

#[tokio::test]
async fn a_struct_round_trips_through_create_and_search() {
    let sent = order();
    let as_json = serde_json::to_value(&sent).unwrap();
    let created = json!({
        "processDefinitionId": "order-process", "processDefinitionVersion": 1,
        "tenantId": "<default>", "variables": {}, "processDefinitionKey": "2251799813685249",
        "processInstanceKey": KEY, "tags": []
    });
    let items: Vec<Value> = ["orderId", "amount", "lines"]
        .iter()
        .map(|n| variable(n, &as_json[*n], false))
        .chain([variable("note", &as_json["note"], true)])
        .collect();
    let page = json!({ "items": items, "page": { "totalItems": 4, "hasMoreTotalItems": false } });
    let mut full_note = variable("note", &as_json["note"], false);
    full_note.as_object_mut().unwrap().remove("isTruncated");
    let server = Scripted::start(vec![
        Reply::json(200, &created.to_string()),
        Reply::json(200, &page.to_string()),
        Reply::json(200, &full_note.to_string()),
    ])
    .await;
    let c = client(&server.url);

    let result = c
        .create_process_instance()
        .process_definition_id("order-process")
        .variables(&sent)
        .await
        .unwrap();

    let received: Order = variables::fetch(&c, &result.process_instance_key)
        .await
        .unwrap();
    assert_eq!(received, sent);

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let create: Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(create["variables"], as_json);
    assert_eq!(requests[1].path, "/v2/variables/search");
    let search: Value = serde_json::from_str(&requests[1].body).unwrap();
    assert_eq!(
        search["filter"]["name"],
        json!({ "$in": ["amount", "lines", "note", "orderId"] }),
        "only the struct's fields are asked for"
    );
    assert_eq!(search["filter"]["processInstanceKey"], KEY);
    assert_eq!(requests[2].method, "GET");
    assert_eq!(
        requests[2].path,
        format!("/v2/variables/22517998136{:05}", 4)
    );
}

#[test]
fn search_results_decode_and_flag_truncation() {
    let as_json = serde_json::to_value(order()).unwrap();
    let items: Vec<types::VariableSearchResult> = ["orderId", "amount", "lines", "note"]
        .iter()
        .map(|n| serde_json::from_value(variable(n, &as_json[*n], false)).unwrap())
        .collect();
    assert_eq!(variables::from_search::<Order>(&items).unwrap(), order());

    let mut truncated = items.clone();
    truncated[3] = serde_json::from_value(variable("note", &as_json["note"], true)).unwrap();
    let err = variables::from_search::<Order>(&truncated).unwrap_err();
    assert!(err.to_string().contains("variable `note`"), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");

    let mut wrong = items;
    wrong[1] = serde_json::from_value(variable("amount", &json!("lots"), false)).unwrap();
    let err = variables::from_search::<Order>(&wrong).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
    assert!(err.to_string().contains("variable `amount`"), "{err}");
}

#[test]
fn variables_must_be_an_object() {
    let ok: types::JobCompletionRequestVariables = variables::to_variables(&order()).unwrap();
    assert_eq!(ok["orderId"], "A-1");
    let err =
        variables::to_variables::<types::SetVariableRequestVariables>(&vec![1, 2]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "variables",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        variables::names::<Order>(),
        ["amount", "lines", "note", "orderId"]
    );
}
