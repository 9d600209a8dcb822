//! The cluster-admin operations the spec serves from the bare host (`/cluster/v2/...`, their own
//! `servers` entry) must reach `{address}/cluster/v2/...`, not `{address}/v2/cluster/v2/...`.
//! Every such operation of the inventory is called through the facade against httpmock; an
//! operation added upstream without a call here fails the test. Operations that take the
//! optional `physicalTenantId` query parameter are called with it, and the mock matches it.

use camunda_sdk::{CamundaClient, Config, Error, RetryPolicy, enums, types};
use httpmock::prelude::*;
use std::num::NonZeroU64;

/// Calls operation `id` with placeholder arguments (the backup id is `7`), passing the optional
/// physical tenant where the operation takes one.
async fn call(client: &CamundaClient, id: &str) -> Result<(), Error> {
    let backup = types::BackupId(NonZeroU64::new(7).unwrap());
    let tenant = "default";
    let mode: enums::Mode = serde_json::from_value(serde_json::json!("NORMAL")).unwrap();
    match id {
        "getClusterExportingStatus" => client.get_cluster_exporting_status().await.map(drop),
        "pauseClusterExporting" => client.pause_cluster_exporting().await,
        "resumeClusterExporting" => client.resume_cluster_exporting().await,
        "takeRuntimeBackupAsClusterAdmin" => client
            .take_runtime_backup_as_cluster_admin()
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "listRuntimeBackupsAsClusterAdmin" => client
            .list_runtime_backups_as_cluster_admin()
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "getRuntimeBackupStateAsClusterAdmin" => client
            .get_runtime_backup_state_as_cluster_admin()
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "deleteRuntimeBackupStateAsClusterAdmin" => {
            client
                .delete_runtime_backup_state_as_cluster_admin()
                .physical_tenant_id(tenant)
                .await
        }
        "syncRuntimeBackupStateAsClusterAdmin" => client
            .sync_runtime_backup_state_as_cluster_admin()
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "getRuntimeBackupAsClusterAdmin" => client
            .get_runtime_backup_as_cluster_admin(backup)
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "deleteRuntimeBackupAsClusterAdmin" => {
            client
                .delete_runtime_backup_as_cluster_admin(backup)
                .physical_tenant_id(tenant)
                .await
        }
        "takeHistoryBackupAsClusterAdmin" => client
            .take_history_backup_as_cluster_admin()
            .backup_id(NonZeroU64::new(7).unwrap())
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "listHistoryBackupsAsClusterAdmin" => client
            .list_history_backups_as_cluster_admin()
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "getHistoryBackupAsClusterAdmin" => client
            .get_history_backup_as_cluster_admin(backup)
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "deleteHistoryBackupAsClusterAdmin" => {
            client
                .delete_history_backup_as_cluster_admin(backup)
                .physical_tenant_id(tenant)
                .await
        }
        "changeClusterModeAsClusterAdmin" => client
            .change_cluster_mode_as_cluster_admin()
            .mode(mode)
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "triggerClusterRebalance" => client.trigger_cluster_rebalance().await.map(drop),
        "getClusterRebalance" => client.get_cluster_rebalance().await.map(drop),
        "cancelClusterRebalance" => client.cancel_cluster_rebalance().await.map(drop),
        "restoreAsClusterAdmin" => client
            .restore_as_cluster_admin()
            .physical_tenant_id(tenant)
            .await
            .map(drop),
        "getClusterStatus" => client.get_cluster_status().await.map(drop),
        "getClusterUpgradeStatus" => client.get_cluster_upgrade_status().await.map(drop),
        "getClusterTopology" => client.get_cluster_topology().await.map(drop),
        other => panic!(
            "{other} is served from the bare host: add a call for it to tests/tests/cluster_paths.rs"
        ),
    }
}

#[tokio::test]
async fn every_cluster_admin_operation_goes_to_cluster_v2_on_the_bare_host() {
    let root = xtask::repo_root();
    let inventory = xtask::codegen::generate(&root.join(xtask::codegen::SPEC), true)
        .unwrap()
        .inventory;
    let cluster: Vec<_> = inventory.iter().filter(|o| o.base == "/").collect();
    assert!(
        cluster.len() >= 20,
        "the spec serves {} operations from the bare host",
        cluster.len()
    );

    let server = MockServer::start_async().await;
    // The configured address may carry a trailing slash; paths must still come out right.
    let config = Config::builder()
        .rest_address(format!("{}/", server.base_url()))
        .no_auth()
        .build()
        .unwrap();
    let client = CamundaClient::new(config)
        .unwrap()
        .with_retry_policy(RetryPolicy::none());

    for op in cluster {
        assert!(
            op.path.starts_with("/cluster/v2/"),
            "{}: unexpected published path {}",
            op.id,
            op.path
        );
        let path = op.path.replace("{backupId}", "7");
        assert!(
            !path.contains('{'),
            "{}: unfilled parameter in {path}",
            op.id
        );
        let method = op.method.to_uppercase();
        // The optional physical tenant `call` passes must reach the query string too.
        let takes_tenant = op.parameters.iter().any(|p| p.name == "physicalTenantId");
        let mock = server
            .mock_async(|when, then| {
                let when = when.method(method.as_str()).path(path.as_str());
                if takes_tenant {
                    when.query_param("physicalTenantId", "default");
                }
                // A status no other route answers: it proves this mock was reached.
                then.status(418);
            })
            .await;
        let err = call(&client, &op.id)
            .await
            .expect_err("the mock answers 418");
        assert_eq!(
            err.status(),
            Some(418),
            "{} did not reach {method} {path}: {err}",
            op.id
        );
        assert_eq!(mock.calls_async().await, 1, "{}", op.id);
        mock.delete_async().await;
    }
}
