//! The honest floor's types: what a hand-written client would decode into. Plain serde structs
//! with `String`/`i64` fields, no validation, no open enums, dates left as strings, free-form
//! objects as `serde_json::Map` (as the SDK has them). The SDK's cost is its time over these.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `GET /v2/topology`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Topology {
    pub brokers: Vec<Broker>,
    pub cluster_id: Option<String>,
    pub cluster_size: i64,
    pub partitions_count: i64,
    pub replication_factor: i64,
    pub gateway_version: String,
    pub last_completed_change_id: String,
}

/// One broker of [`Topology`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Broker {
    pub node_id: i64,
    pub broker_id: String,
    pub host: String,
    pub port: i64,
    pub partitions: Vec<Partition>,
    pub version: String,
}

/// One partition of a [`Broker`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Partition {
    pub partition_id: i64,
    pub role: String,
    pub health: String,
    pub state: String,
}

/// `POST /v2/process-instances` request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CreateInstance {
    pub process_definition_id: String,
    pub variables: Map<String, Value>,
}

/// `POST /v2/process-instances` answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CreatedInstance {
    pub process_definition_id: String,
    pub process_definition_version: i64,
    pub tenant_id: String,
    pub variables: Map<String, Value>,
    pub process_definition_key: String,
    pub process_instance_key: String,
    pub tags: Vec<String>,
    pub business_id: Option<String>,
}

/// `POST /v2/process-instances/search` request.
#[derive(Clone, Debug, Serialize)]
#[allow(missing_docs)]
pub struct Search {
    pub filter: SearchFilter,
    pub page: SearchPage,
}

/// The filter of a [`Search`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct SearchFilter {
    pub process_definition_id: String,
}

/// The page of a [`Search`].
#[derive(Clone, Debug, Serialize)]
#[allow(missing_docs)]
pub struct SearchPage {
    pub limit: i64,
}

/// `POST /v2/process-instances/search` answer.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct SearchResult {
    pub items: Vec<ProcessInstance>,
    pub page: PageInfo,
}

/// One item of a [`SearchResult`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProcessInstance {
    pub process_definition_id: String,
    pub process_definition_name: Option<String>,
    pub process_definition_version: i64,
    pub process_definition_version_tag: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub suspended_date: Option<String>,
    pub state: String,
    pub has_incident: bool,
    pub tenant_id: String,
    pub process_instance_key: String,
    pub process_definition_key: String,
    pub parent_process_instance_key: Option<String>,
    pub parent_element_instance_key: Option<String>,
    pub root_process_instance_key: Option<String>,
    pub business_id: Option<String>,
    pub tags: Vec<String>,
}

/// The page information of a [`SearchResult`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct PageInfo {
    pub total_items: i64,
    pub has_more_total_items: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// `POST /v2/jobs/activation` request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Activate {
    #[serde(rename = "type")]
    pub job_type: String,
    pub worker: String,
    pub timeout: i64,
    pub request_timeout: i64,
    pub max_jobs_to_activate: i64,
}

/// `POST /v2/jobs/activation` answer.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct Activated {
    pub jobs: Vec<Job>,
}

/// One activated job.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Job {
    pub job_key: String,
    #[serde(rename = "type")]
    pub job_type: String,
    pub process_instance_key: String,
    pub root_process_instance_key: Option<String>,
    pub process_definition_key: String,
    pub process_definition_id: String,
    pub process_definition_version: i64,
    pub element_id: String,
    pub element_instance_key: String,
    pub custom_headers: Map<String, Value>,
    pub worker: String,
    pub retries: i64,
    pub deadline: i64,
    pub variables: Map<String, Value>,
    pub tenant_id: String,
    pub kind: String,
    pub listener_event_type: String,
    pub tags: Vec<String>,
    pub priority: i64,
    pub physical_tenant_id: String,
    pub business_id: Option<String>,
    pub job_lease_token: Option<String>,
    pub user_task: Option<Map<String, Value>>,
}

/// `POST /v2/jobs/{key}/completion` request (no variables).
#[derive(Clone, Debug, Default, Serialize)]
#[allow(missing_docs)]
pub struct Complete {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canned;

    #[test]
    fn canned_bodies_decode_into_the_plain_types() {
        let t: Topology = serde_json::from_str(&canned::topology()).unwrap();
        assert_eq!(t.brokers[2].partitions.len(), 3);
        let c: CreatedInstance = serde_json::from_str(&canned::created_instance()).unwrap();
        assert_eq!(c.process_instance_key, "2251799813690746");
        let page: SearchResult = serde_json::from_str(&canned::search_page(100)).unwrap();
        assert_eq!(page.items.len(), 100);
        assert_eq!(page.items[1].end_date, None);
        let jobs: Activated =
            serde_json::from_str(&canned::activated_jobs(2_251_799_813_700_000, 32)).unwrap();
        assert_eq!(jobs.jobs[31].job_key, "2251799813700031");
    }
}
