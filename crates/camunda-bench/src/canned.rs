//! Canned, realistic response bodies (shapes as a Camunda 8.8+ gateway sends them).

use std::fmt::Write as _;

/// `GET /v2/topology`: a 3-broker, 3-partition cluster with replication factor 3.
pub fn topology() -> String {
    let mut brokers = Vec::new();
    for node in 0..3 {
        let partitions: Vec<String> = (1..=3)
            .map(|p| {
                let role = if (p - 1) % 3 == node {
                    "leader"
                } else {
                    "follower"
                };
                format!(
                    r#"{{"partitionId":{p},"role":"{role}","health":"healthy","state":"active"}}"#
                )
            })
            .collect();
        brokers.push(format!(
            r#"{{"nodeId":{node},"brokerId":"{node}","host":"camunda-zeebe-{node}.camunda-zeebe","port":26501,"partitions":[{}],"version":"8.8.0"}}"#,
            partitions.join(",")
        ));
    }
    format!(
        r#"{{"brokers":[{}],"clusterId":"a1f0c3e2-7d1b-4c55-9a11-3f0e6d2b8c77","clusterSize":3,"partitionsCount":3,"replicationFactor":3,"gatewayVersion":"8.8.0","lastCompletedChangeId":"-1"}}"#,
        brokers.join(",")
    )
}

/// `POST /v2/process-instances`: the created instance.
pub fn created_instance() -> String {
    r#"{"processDefinitionId":"order-process","processDefinitionVersion":3,"tenantId":"<default>","variables":{"orderId":"A-1042","amount":129.5},"processDefinitionKey":"2251799813685249","processInstanceKey":"2251799813690746","tags":["priority","web"]}"#.to_owned()
}

/// One item of a process-instance search page.
fn process_instance(out: &mut String, i: usize) {
    let key = 2_251_799_813_690_000u64 + i as u64;
    let completed = i.is_multiple_of(3);
    let (state, end) = if completed {
        ("COMPLETED", r#""2025-06-12T08:16:02.441Z""#)
    } else {
        ("ACTIVE", "null")
    };
    let _ = write!(
        out,
        r#"{{"processDefinitionId":"order-process","processDefinitionName":"Order process","processDefinitionVersion":3,"processDefinitionVersionTag":"v3","startDate":"2025-06-12T08:15:{:02}.{:03}Z","endDate":{end},"state":"{state}","hasIncident":{},"tenantId":"<default>","processInstanceKey":"{key}","processDefinitionKey":"2251799813685249","parentProcessInstanceKey":null,"parentElementInstanceKey":null,"rootProcessInstanceKey":"{key}","tags":["priority","web"]}}"#,
        i % 60,
        i % 1000,
        i.is_multiple_of(17),
    );
}

/// `POST /v2/process-instances/search`: a page of `n` items.
pub fn search_page(n: usize) -> String {
    let mut out = String::with_capacity(n * 520 + 200);
    out.push_str(r#"{"items":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        process_instance(&mut out, i);
    }
    let _ = write!(
        out,
        r#"],"page":{{"totalItems":{},"hasMoreTotalItems":false,"startCursor":"WzIyNTE3OTk4MTM2OTAwMDBd","endCursor":"WzIyNTE3OTk4MTM2OTAwOTld"}}}}"#,
        n * 10
    );
    out
}

/// One activated job with key `key`.
pub fn job(out: &mut String, key: u64) {
    let pi = key + 1_000_000;
    let _ = write!(
        out,
        r#"{{"jobKey":"{key}","type":"payment","processInstanceKey":"{pi}","rootProcessInstanceKey":"{pi}","processDefinitionKey":"2251799813685249","processDefinitionId":"order-process","processDefinitionVersion":3,"elementId":"charge-card","elementInstanceKey":"{}","customHeaders":{{"method":"card"}},"worker":"camunda-rs-worker","retries":3,"deadline":1749716430123,"variables":{{"orderId":"A-{key}","amount":129.5,"currency":"EUR"}},"tenantId":"<default>","kind":"BPMN_ELEMENT","listenerEventType":"UNSPECIFIED","tags":[],"priority":0,"physicalTenantId":"default"}}"#,
        pi + 3
    );
}

/// `POST /v2/jobs/activation`: `n` jobs with keys from `first_key`.
pub fn activated_jobs(first_key: u64, n: usize) -> String {
    let mut out = String::with_capacity(n * 640 + 16);
    out.push_str(r#"{"jobs":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        job(&mut out, first_key + i as u64);
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use camunda_sdk::types;

    #[test]
    fn canned_bodies_decode_into_the_sdk_types() {
        let t: types::TopologyResponse = serde_json::from_str(&topology()).unwrap();
        assert_eq!(t.brokers.len(), 3);
        let _: types::CreateProcessInstanceResult =
            serde_json::from_str(&created_instance()).unwrap();
        let page: types::ProcessInstanceSearchQueryResult =
            serde_json::from_str(&search_page(100)).unwrap();
        assert_eq!(page.items.len(), 100);
        let jobs: types::JobActivationResult =
            serde_json::from_str(&activated_jobs(2_251_799_813_700_000, 32)).unwrap();
        assert_eq!(jobs.jobs.len(), 32);
    }
}
