//! One arm per operation of the async facade: the contract test calls each operation through
//! the SDK with arguments decoded from the JSON values in [`Args`] (built from the spec).
//!
//! Written from the facade's signatures (path parameters, body, query parameters); a new
//! operation without an arm shows up as "not covered" in the contract summary and fails it.

use super::{Args, Fail};
use camunda_sdk::CamundaClient;
use camunda_sdk::deploy::Resource;
use camunda_sdk::documents::NewDocument;

/// The sample process the examples deploy.
const ORDER_PROCESS: &str =
    include_str!("../../../crates/camunda-sdk/examples/resources/order-process.bpmn");

fn sdk<T>(result: camunda_sdk::Result<T>) -> Result<(), Fail> {
    result.map(drop).map_err(Fail::Sdk)
}

/// Calls operation `id` through the SDK.
pub async fn call(c: &CamundaClient, id: &str, a: &Args) -> Result<(), Fail> {
    match id {
        // Hand-written (multipart) operations.
        "createDeployment" => sdk(c
            .create_deployment(
                vec![Resource::new("order-process.bpmn", ORDER_PROCESS)],
                None,
            )
            .await),
        "createDocument" => {
            let doc = NewDocument::new("note.txt", "hello").with_content_type("text/plain");
            sdk(c.create_document(&doc, None, None).await)
        }
        "createDocuments" => {
            let docs = [
                NewDocument::new("a.txt", "one"),
                NewDocument::new("b.txt", "two"),
            ];
            sdk(c.create_documents(&docs, None).await)
        }
        // Generated operations.
        "getAgentDefinition" => sdk(c
            .get_agent_definition(&a.get("agent_definition_key")?)
            .await),
        "searchAgentDefinitions" => sdk(c.search_agent_definitions(&a.get("body")?).await),
        "createAgentInstance" => sdk(c.create_agent_instance(&a.get("body")?).await),
        "getAgentInstance" => sdk(c.get_agent_instance(&a.get("agent_instance_key")?).await),
        "updateAgentInstance" => sdk(c
            .update_agent_instance(&a.get("agent_instance_key")?, &a.get("body")?)
            .await),
        "searchAgentInstances" => sdk(c.search_agent_instances(&a.get("body")?).await),
        "searchAgentInstanceHistory" => sdk(c
            .search_agent_instance_history(&a.get("agent_instance_key")?, &a.get("body")?)
            .await),
        "searchAuditLogs" => sdk(c.search_audit_logs(&a.get("body")?).await),
        "getAuditLog" => sdk(c.get_audit_log(&a.get("audit_log_key")?).await),
        "getAuthentication" => sdk(c.get_authentication().await),
        "searchOwnAuthorizations" => sdk(c.search_own_authorizations(&a.get("body")?).await),
        "createAuthorization" => sdk(c.create_authorization(&a.get("body")?).await),
        "searchAuthorizations" => sdk(c.search_authorizations(&a.get("body")?).await),
        "updateAuthorization" => sdk(c
            .update_authorization(&a.get("authorization_key")?, &a.get("body")?)
            .await),
        "getAuthorization" => sdk(c.get_authorization(&a.get("authorization_key")?).await),
        "deleteAuthorization" => sdk(c.delete_authorization(&a.get("authorization_key")?).await),
        "takeRuntimeBackup" => sdk(c.take_runtime_backup(&a.get("body")?).await),
        "listRuntimeBackups" => sdk(c
            .list_runtime_backups(a.get::<Option<_>>("prefix")?.as_ref())
            .await),
        "getRuntimeBackupState" => sdk(c.get_runtime_backup_state().await),
        "deleteRuntimeBackupState" => sdk(c.delete_runtime_backup_state().await),
        "syncRuntimeBackupState" => sdk(c.sync_runtime_backup_state().await),
        "getRuntimeBackup" => sdk(c.get_runtime_backup(&a.get("backup_id")?).await),
        "deleteRuntimeBackup" => sdk(c.delete_runtime_backup(&a.get("backup_id")?).await),
        "takeHistoryBackup" => sdk(c.take_history_backup(&a.get("body")?).await),
        "listHistoryBackups" => sdk(c
            .list_history_backups(a.get::<Option<_>>("prefix")?.as_ref(), a.get("verbose")?)
            .await),
        "getHistoryBackup" => sdk(c.get_history_backup(&a.get("backup_id")?).await),
        "deleteHistoryBackup" => sdk(c.delete_history_backup(&a.get("backup_id")?).await),
        "searchBatchOperationItems" => sdk(c.search_batch_operation_items(&a.get("body")?).await),
        "searchBatchOperations" => sdk(c.search_batch_operations(&a.get("body")?).await),
        "getBatchOperation" => sdk(c.get_batch_operation(&a.get("batch_operation_key")?).await),
        "cancelBatchOperation" => sdk(c
            .cancel_batch_operation(&a.get("batch_operation_key")?, &a.get("body")?)
            .await),
        "resumeBatchOperation" => sdk(c
            .resume_batch_operation(&a.get("batch_operation_key")?, &a.get("body")?)
            .await),
        "suspendBatchOperation" => sdk(c
            .suspend_batch_operation(&a.get("batch_operation_key")?, &a.get("body")?)
            .await),
        "pinClock" => sdk(c.pin_clock(&a.get("body")?).await),
        "resetClock" => sdk(c.reset_clock().await),
        "createGlobalClusterVariable" => {
            sdk(c.create_global_cluster_variable(&a.get("body")?).await)
        }
        "getGlobalClusterVariable" => sdk(c.get_global_cluster_variable(&a.get("name")?).await),
        "updateGlobalClusterVariable" => sdk(c
            .update_global_cluster_variable(&a.get("name")?, &a.get("body")?)
            .await),
        "deleteGlobalClusterVariable" => {
            sdk(c.delete_global_cluster_variable(&a.get("name")?).await)
        }
        "searchClusterVariables" => sdk(c
            .search_cluster_variables(&a.get("body")?, a.get("truncate_values")?)
            .await),
        "createTenantClusterVariable" => sdk(c
            .create_tenant_cluster_variable(&a.get("tenant_id")?, &a.get("body")?)
            .await),
        "getTenantClusterVariable" => sdk(c
            .get_tenant_cluster_variable(&a.get("tenant_id")?, &a.get("name")?)
            .await),
        "updateTenantClusterVariable" => sdk(c
            .update_tenant_cluster_variable(&a.get("tenant_id")?, &a.get("name")?, &a.get("body")?)
            .await),
        "deleteTenantClusterVariable" => sdk(c
            .delete_tenant_cluster_variable(&a.get("tenant_id")?, &a.get("name")?)
            .await),
        "evaluateConditionals" => sdk(c.evaluate_conditionals(&a.get("body")?).await),
        "searchCorrelatedMessageSubscriptions" => sdk(c
            .search_correlated_message_subscriptions(&a.get("body")?)
            .await),
        "evaluateDecision" => sdk(c.evaluate_decision(&a.get("body")?).await),
        "searchDecisionDefinitions" => sdk(c.search_decision_definitions(&a.get("body")?).await),
        "getDecisionDefinition" => sdk(c
            .get_decision_definition(&a.get("decision_definition_key")?)
            .await),
        "getDecisionDefinitionXML" => sdk(c
            .get_decision_definition_xml(&a.get("decision_definition_key")?)
            .await),
        "searchDecisionInstances" => sdk(c.search_decision_instances(&a.get("body")?).await),
        "getDecisionInstance" => sdk(c
            .get_decision_instance(&a.get("decision_evaluation_instance_key")?)
            .await),
        "deleteDecisionInstance" => sdk(c
            .delete_decision_instance(&a.get("decision_evaluation_key")?, &a.get("body")?)
            .await),
        "deleteDecisionInstancesBatchOperation" => sdk(c
            .delete_decision_instances_batch_operation(&a.get("body")?)
            .await),
        "searchDecisionRequirements" => sdk(c.search_decision_requirements(&a.get("body")?).await),
        "getDecisionRequirements" => sdk(c
            .get_decision_requirements(&a.get("decision_requirements_key")?)
            .await),
        "getDecisionRequirementsXML" => sdk(c
            .get_decision_requirements_xml(&a.get("decision_requirements_key")?)
            .await),
        "getDocument" => sdk(c
            .get_document(
                &a.get("document_id")?,
                a.get::<Option<String>>("store_id")?.as_deref(),
                a.get::<Option<String>>("content_hash")?.as_deref(),
            )
            .await),
        "deleteDocument" => sdk(c
            .delete_document(
                &a.get("document_id")?,
                a.get::<Option<String>>("store_id")?.as_deref(),
            )
            .await),
        "createDocumentLink" => sdk(c
            .create_document_link(
                &a.get("document_id")?,
                &a.get("body")?,
                a.get::<Option<String>>("store_id")?.as_deref(),
                a.get::<Option<String>>("content_hash")?.as_deref(),
            )
            .await),
        "activateAdHocSubProcessActivities" => sdk(c
            .activate_ad_hoc_sub_process_activities(
                &a.get("ad_hoc_sub_process_instance_key")?,
                &a.get("body")?,
            )
            .await),
        "searchElementInstanceWaitStates" => {
            sdk(c.search_element_instance_wait_states(&a.get("body")?).await)
        }
        "searchElementInstances" => sdk(c.search_element_instances(&a.get("body")?).await),
        "getElementInstance" => sdk(c
            .get_element_instance(&a.get("element_instance_key")?)
            .await),
        "searchElementInstanceIncidents" => sdk(c
            .search_element_instance_incidents(&a.get("element_instance_key")?, &a.get("body")?)
            .await),
        "createElementInstanceVariables" => sdk(c
            .create_element_instance_variables(&a.get("element_instance_key")?, &a.get("body")?)
            .await),
        "getExportingStatus" => sdk(c.get_exporting_status().await),
        "pauseExporting" => sdk(c.pause_exporting(a.get("soft")?).await),
        "resumeExporting" => sdk(c.resume_exporting().await),
        "evaluateExpression" => sdk(c.evaluate_expression(&a.get("body")?).await),
        "getFormByKey" => sdk(c.get_form_by_key(&a.get("form_key")?).await),
        "createGlobalTaskListener" => sdk(c.create_global_task_listener(&a.get("body")?).await),
        "getGlobalTaskListener" => sdk(c.get_global_task_listener(&a.get("id")?).await),
        "updateGlobalTaskListener" => sdk(c
            .update_global_task_listener(&a.get("id")?, &a.get("body")?)
            .await),
        "deleteGlobalTaskListener" => sdk(c.delete_global_task_listener(&a.get("id")?).await),
        "searchGlobalTaskListeners" => sdk(c.search_global_task_listeners(&a.get("body")?).await),
        "createGroup" => sdk(c.create_group(&a.get("body")?).await),
        "searchGroups" => sdk(c.search_groups(&a.get("body")?).await),
        "getGroup" => sdk(c.get_group(&a.get("group_id")?).await),
        "updateGroup" => sdk(c.update_group(&a.get("group_id")?, &a.get("body")?).await),
        "deleteGroup" => sdk(c.delete_group(&a.get("group_id")?).await),
        "searchClientsForGroup" => sdk(c
            .search_clients_for_group(&a.get("group_id")?, &a.get("body")?)
            .await),
        "assignClientToGroup" => sdk(c
            .assign_client_to_group(&a.get("group_id")?, &a.get("client_id")?)
            .await),
        "unassignClientFromGroup" => sdk(c
            .unassign_client_from_group(&a.get("group_id")?, &a.get("client_id")?)
            .await),
        "searchMappingRulesForGroup" => sdk(c
            .search_mapping_rules_for_group(&a.get("group_id")?, &a.get("body")?)
            .await),
        "assignMappingRuleToGroup" => sdk(c
            .assign_mapping_rule_to_group(&a.get("group_id")?, &a.get("mapping_rule_id")?)
            .await),
        "unassignMappingRuleFromGroup" => sdk(c
            .unassign_mapping_rule_from_group(&a.get("group_id")?, &a.get("mapping_rule_id")?)
            .await),
        "searchRolesForGroup" => sdk(c
            .search_roles_for_group(&a.get("group_id")?, &a.get("body")?)
            .await),
        "searchUsersForGroup" => sdk(c
            .search_users_for_group(&a.get("group_id")?, &a.get("body")?)
            .await),
        "assignUserToGroup" => sdk(c
            .assign_user_to_group(&a.get("group_id")?, &a.get("username")?)
            .await),
        "unassignUserFromGroup" => sdk(c
            .unassign_user_from_group(&a.get("group_id")?, &a.get("username")?)
            .await),
        "searchIncidents" => sdk(c.search_incidents(&a.get("body")?).await),
        "getIncident" => sdk(c.get_incident(&a.get("incident_key")?).await),
        "resolveIncident" => sdk(c
            .resolve_incident(&a.get("incident_key")?, &a.get("body")?)
            .await),
        "getProcessInstanceStatisticsByDefinition" => sdk(c
            .get_process_instance_statistics_by_definition(&a.get("body")?)
            .await),
        "getProcessInstanceStatisticsByError" => sdk(c
            .get_process_instance_statistics_by_error(&a.get("body")?)
            .await),
        "activateJobs" => sdk(c.activate_jobs(&a.get("body")?).await),
        "searchJobs" => sdk(c.search_jobs(&a.get("body")?).await),
        "updateJob" => sdk(c.update_job(&a.get("job_key")?, &a.get("body")?).await),
        "completeJob" => sdk(c.complete_job(&a.get("job_key")?, &a.get("body")?).await),
        "throwJobError" => sdk(c.throw_job_error(&a.get("job_key")?, &a.get("body")?).await),
        "failJob" => sdk(c.fail_job(&a.get("job_key")?, &a.get("body")?).await),
        "updateJobsBatchOperation" => sdk(c.update_jobs_batch_operation(&a.get("body")?).await),
        "getGlobalJobStatistics" => sdk(c
            .get_global_job_statistics(
                a.get("from")?,
                a.get("to")?,
                a.get::<Option<String>>("job_type")?.as_deref(),
            )
            .await),
        "getJobTypeStatistics" => sdk(c.get_job_type_statistics(&a.get("body")?).await),
        "getJobWorkerStatistics" => sdk(c.get_job_worker_statistics(&a.get("body")?).await),
        "getJobTimeSeriesStatistics" => {
            sdk(c.get_job_time_series_statistics(&a.get("body")?).await)
        }
        "getJobErrorStatistics" => sdk(c.get_job_error_statistics(&a.get("body")?).await),
        "getLicense" => sdk(c.get_license().await),
        "createMappingRule" => sdk(c.create_mapping_rule(&a.get("body")?).await),
        "searchMappingRule" => sdk(c.search_mapping_rule(&a.get("body")?).await),
        "updateMappingRule" => sdk(c
            .update_mapping_rule(&a.get("mapping_rule_id")?, &a.get("body")?)
            .await),
        "deleteMappingRule" => sdk(c.delete_mapping_rule(&a.get("mapping_rule_id")?).await),
        "getMappingRule" => sdk(c.get_mapping_rule(&a.get("mapping_rule_id")?).await),
        "searchMessageSubscriptions" => sdk(c.search_message_subscriptions(&a.get("body")?).await),
        "correlateMessage" => sdk(c.correlate_message(&a.get("body")?).await),
        "publishMessage" => sdk(c.publish_message(&a.get("body")?).await),
        "searchProcessDefinitions" => sdk(c.search_process_definitions(&a.get("body")?).await),
        "getProcessDefinitionMessageSubscriptionStatistics" => sdk(c
            .get_process_definition_message_subscription_statistics(&a.get("body")?)
            .await),
        "getProcessDefinitionInstanceStatistics" => sdk(c
            .get_process_definition_instance_statistics(&a.get("body")?)
            .await),
        "getProcessDefinition" => sdk(c
            .get_process_definition(&a.get("process_definition_key")?)
            .await),
        "getStartProcessForm" => sdk(c
            .get_start_process_form(&a.get("process_definition_key")?)
            .await),
        "getProcessDefinitionStatistics" => sdk(c
            .get_process_definition_statistics(&a.get("process_definition_key")?, &a.get("body")?)
            .await),
        "searchProcessDefinitionVariableNames" => sdk(c
            .search_process_definition_variable_names(
                &a.get("process_definition_key")?,
                &a.get("body")?,
            )
            .await),
        "getProcessDefinitionXML" => sdk(c
            .get_process_definition_xml(&a.get("process_definition_key")?)
            .await),
        "getProcessDefinitionInstanceVersionStatistics" => sdk(c
            .get_process_definition_instance_version_statistics(&a.get("body")?)
            .await),
        "createProcessInstance" => sdk(c.create_process_instance(&a.get("body")?).await),
        "cancelProcessInstancesBatchOperation" => sdk(c
            .cancel_process_instances_batch_operation(&a.get("body")?)
            .await),
        "deleteProcessInstancesBatchOperation" => sdk(c
            .delete_process_instances_batch_operation(&a.get("body")?)
            .await),
        "resolveIncidentsBatchOperation" => {
            sdk(c.resolve_incidents_batch_operation(&a.get("body")?).await)
        }
        "migrateProcessInstancesBatchOperation" => sdk(c
            .migrate_process_instances_batch_operation(&a.get("body")?)
            .await),
        "modifyProcessInstancesBatchOperation" => sdk(c
            .modify_process_instances_batch_operation(&a.get("body")?)
            .await),
        "resumeProcessInstancesBatchOperation" => sdk(c
            .resume_process_instances_batch_operation(&a.get("body")?)
            .await),
        "searchProcessInstances" => sdk(c.search_process_instances(&a.get("body")?).await),
        "suspendProcessInstancesBatchOperation" => sdk(c
            .suspend_process_instances_batch_operation(&a.get("body")?)
            .await),
        "getProcessInstance" => sdk(c
            .get_process_instance(&a.get("process_instance_key")?)
            .await),
        "assignProcessInstanceBusinessId" => sdk(c
            .assign_process_instance_business_id(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "getProcessInstanceCallHierarchy" => sdk(c
            .get_process_instance_call_hierarchy(&a.get("process_instance_key")?)
            .await),
        "cancelProcessInstance" => sdk(c
            .cancel_process_instance(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "deleteProcessInstance" => sdk(c
            .delete_process_instance(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "resolveProcessInstanceIncidents" => sdk(c
            .resolve_process_instance_incidents(&a.get("process_instance_key")?)
            .await),
        "searchProcessInstanceIncidents" => sdk(c
            .search_process_instance_incidents(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "migrateProcessInstance" => sdk(c
            .migrate_process_instance(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "modifyProcessInstance" => sdk(c
            .modify_process_instance(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "resumeProcessInstance" => sdk(c
            .resume_process_instance(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "getProcessInstanceSequenceFlows" => sdk(c
            .get_process_instance_sequence_flows(&a.get("process_instance_key")?)
            .await),
        "getProcessInstanceStatistics" => sdk(c
            .get_process_instance_statistics(&a.get("process_instance_key")?)
            .await),
        "getProcessInstanceWaitStateStatistics" => sdk(c
            .get_process_instance_wait_state_statistics(&a.get("process_instance_key")?)
            .await),
        "suspendProcessInstance" => sdk(c
            .suspend_process_instance(&a.get("process_instance_key")?, &a.get("body")?)
            .await),
        "searchResources" => sdk(c.search_resources(&a.get("body")?).await),
        "getResource" => sdk(c.get_resource(&a.get("resource_key")?).await),
        "getResourceContent" => sdk(c.get_resource_content(&a.get("resource_key")?).await),
        "getResourceContentBinary" => {
            sdk(c.get_resource_content_binary(&a.get("resource_key")?).await)
        }
        "deleteResource" => sdk(c
            .delete_resource(&a.get("resource_key")?, &a.get("body")?)
            .await),
        "createRole" => sdk(c.create_role(&a.get("body")?).await),
        "searchRoles" => sdk(c.search_roles(&a.get("body")?).await),
        "getRole" => sdk(c.get_role(&a.get("role_id")?).await),
        "updateRole" => sdk(c.update_role(&a.get("role_id")?, &a.get("body")?).await),
        "deleteRole" => sdk(c.delete_role(&a.get("role_id")?).await),
        "searchClientsForRole" => sdk(c
            .search_clients_for_role(&a.get("role_id")?, &a.get("body")?)
            .await),
        "assignRoleToClient" => sdk(c
            .assign_role_to_client(&a.get("role_id")?, &a.get("client_id")?)
            .await),
        "unassignRoleFromClient" => sdk(c
            .unassign_role_from_client(&a.get("role_id")?, &a.get("client_id")?)
            .await),
        "searchGroupsForRole" => sdk(c
            .search_groups_for_role(&a.get("role_id")?, &a.get("body")?)
            .await),
        "assignRoleToGroup" => sdk(c
            .assign_role_to_group(&a.get("role_id")?, &a.get("group_id")?)
            .await),
        "unassignRoleFromGroup" => sdk(c
            .unassign_role_from_group(&a.get("role_id")?, &a.get("group_id")?)
            .await),
        "searchMappingRulesForRole" => sdk(c
            .search_mapping_rules_for_role(&a.get("role_id")?, &a.get("body")?)
            .await),
        "assignRoleToMappingRule" => sdk(c
            .assign_role_to_mapping_rule(&a.get("role_id")?, &a.get("mapping_rule_id")?)
            .await),
        "unassignRoleFromMappingRule" => sdk(c
            .unassign_role_from_mapping_rule(&a.get("role_id")?, &a.get("mapping_rule_id")?)
            .await),
        "searchUsersForRole" => sdk(c
            .search_users_for_role(&a.get("role_id")?, &a.get("body")?)
            .await),
        "assignRoleToUser" => sdk(c
            .assign_role_to_user(&a.get("role_id")?, &a.get("username")?)
            .await),
        "unassignRoleFromUser" => sdk(c
            .unassign_role_from_user(&a.get("role_id")?, &a.get("username")?)
            .await),
        "resolveSecrets" => sdk(c.resolve_secrets(&a.get("body")?).await),
        "listSecrets" => sdk(c.list_secrets(&a.get("body")?).await),
        "createAdminUser" => sdk(c.create_admin_user(&a.get("body")?).await),
        "broadcastSignal" => sdk(c.broadcast_signal(&a.get("body")?).await),
        "getStatus" => sdk(c.get_status().await),
        "getUsageMetrics" => sdk(c
            .get_usage_metrics(
                a.get("start_time")?,
                a.get("end_time")?,
                a.get::<Option<_>>("tenant_id")?.as_ref(),
                a.get("with_tenants")?,
            )
            .await),
        "getSystemConfiguration" => sdk(c.get_system_configuration().await),
        "createTenant" => sdk(c.create_tenant(&a.get("body")?).await),
        "searchTenants" => sdk(c.search_tenants(&a.get("body")?).await),
        "getTenant" => sdk(c.get_tenant(&a.get("tenant_id")?).await),
        "updateTenant" => sdk(c.update_tenant(&a.get("tenant_id")?, &a.get("body")?).await),
        "deleteTenant" => sdk(c.delete_tenant(&a.get("tenant_id")?).await),
        "searchClientsForTenant" => sdk(c
            .search_clients_for_tenant(&a.get("tenant_id")?, &a.get("body")?)
            .await),
        "assignClientToTenant" => sdk(c
            .assign_client_to_tenant(&a.get("tenant_id")?, &a.get("client_id")?)
            .await),
        "unassignClientFromTenant" => sdk(c
            .unassign_client_from_tenant(&a.get("tenant_id")?, &a.get("client_id")?)
            .await),
        "searchGroupIdsForTenant" => sdk(c
            .search_group_ids_for_tenant(&a.get("tenant_id")?, &a.get("body")?)
            .await),
        "assignGroupToTenant" => sdk(c
            .assign_group_to_tenant(&a.get("tenant_id")?, &a.get("group_id")?)
            .await),
        "unassignGroupFromTenant" => sdk(c
            .unassign_group_from_tenant(&a.get("tenant_id")?, &a.get("group_id")?)
            .await),
        "searchMappingRulesForTenant" => sdk(c
            .search_mapping_rules_for_tenant(&a.get("tenant_id")?, &a.get("body")?)
            .await),
        "assignMappingRuleToTenant" => sdk(c
            .assign_mapping_rule_to_tenant(&a.get("tenant_id")?, &a.get("mapping_rule_id")?)
            .await),
        "unassignMappingRuleFromTenant" => sdk(c
            .unassign_mapping_rule_from_tenant(&a.get("tenant_id")?, &a.get("mapping_rule_id")?)
            .await),
        "searchRolesForTenant" => sdk(c
            .search_roles_for_tenant(&a.get("tenant_id")?, &a.get("body")?)
            .await),
        "assignRoleToTenant" => sdk(c
            .assign_role_to_tenant(&a.get("tenant_id")?, &a.get("role_id")?)
            .await),
        "unassignRoleFromTenant" => sdk(c
            .unassign_role_from_tenant(&a.get("tenant_id")?, &a.get("role_id")?)
            .await),
        "searchUsersForTenant" => sdk(c
            .search_users_for_tenant(&a.get("tenant_id")?, &a.get("body")?)
            .await),
        "assignUserToTenant" => sdk(c
            .assign_user_to_tenant(&a.get("tenant_id")?, &a.get("username")?)
            .await),
        "unassignUserFromTenant" => sdk(c
            .unassign_user_from_tenant(&a.get("tenant_id")?, &a.get("username")?)
            .await),
        "getTopology" => sdk(c.get_topology().await),
        "changeClusterMode" => sdk(c
            .change_cluster_mode(&a.get("mode")?, a.get("dry_run")?)
            .await),
        "restore" => sdk(c.restore(&a.get("body")?, a.get("dry_run")?).await),
        "getRestoreStatus" => sdk(c.get_restore_status().await),
        "getClusterExportingStatus" => sdk(c.get_cluster_exporting_status().await),
        "pauseClusterExporting" => sdk(c.pause_cluster_exporting(a.get("soft")?).await),
        "resumeClusterExporting" => sdk(c.resume_cluster_exporting().await),
        "takeRuntimeBackupAsClusterAdmin" => sdk(c
            .take_runtime_backup_as_cluster_admin(
                &a.get("body")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "listRuntimeBackupsAsClusterAdmin" => sdk(c
            .list_runtime_backups_as_cluster_admin(
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
                a.get::<Option<_>>("prefix")?.as_ref(),
            )
            .await),
        "getRuntimeBackupStateAsClusterAdmin" => sdk(c
            .get_runtime_backup_state_as_cluster_admin(
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "deleteRuntimeBackupStateAsClusterAdmin" => sdk(c
            .delete_runtime_backup_state_as_cluster_admin(
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "syncRuntimeBackupStateAsClusterAdmin" => sdk(c
            .sync_runtime_backup_state_as_cluster_admin(
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "getRuntimeBackupAsClusterAdmin" => sdk(c
            .get_runtime_backup_as_cluster_admin(
                &a.get("backup_id")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "deleteRuntimeBackupAsClusterAdmin" => sdk(c
            .delete_runtime_backup_as_cluster_admin(
                &a.get("backup_id")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "takeHistoryBackupAsClusterAdmin" => sdk(c
            .take_history_backup_as_cluster_admin(
                &a.get("body")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "listHistoryBackupsAsClusterAdmin" => sdk(c
            .list_history_backups_as_cluster_admin(
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
                a.get::<Option<_>>("prefix")?.as_ref(),
                a.get("verbose")?,
            )
            .await),
        "getHistoryBackupAsClusterAdmin" => sdk(c
            .get_history_backup_as_cluster_admin(
                &a.get("backup_id")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "deleteHistoryBackupAsClusterAdmin" => sdk(c
            .delete_history_backup_as_cluster_admin(
                &a.get("backup_id")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
            )
            .await),
        "changeClusterModeAsClusterAdmin" => sdk(c
            .change_cluster_mode_as_cluster_admin(
                &a.get("mode")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
                a.get("dry_run")?,
            )
            .await),
        "triggerClusterRebalance" => sdk(c
            .trigger_cluster_rebalance(&a.get("body")?, a.get("dry_run")?)
            .await),
        "getClusterRebalance" => sdk(c.get_cluster_rebalance().await),
        "cancelClusterRebalance" => sdk(c.cancel_cluster_rebalance().await),
        "restoreAsClusterAdmin" => sdk(c
            .restore_as_cluster_admin(
                &a.get("body")?,
                a.get::<Option<String>>("physical_tenant_id")?.as_deref(),
                a.get("dry_run")?,
            )
            .await),
        "getClusterStatus" => sdk(c.get_cluster_status().await),
        "getClusterUpgradeStatus" => sdk(c.get_cluster_upgrade_status().await),
        "getClusterTopology" => sdk(c.get_cluster_topology().await),
        "createUser" => sdk(c.create_user(&a.get("body")?).await),
        "searchUsers" => sdk(c.search_users(&a.get("body")?).await),
        "getUser" => sdk(c.get_user(&a.get("username")?).await),
        "updateUser" => sdk(c.update_user(&a.get("username")?, &a.get("body")?).await),
        "deleteUser" => sdk(c.delete_user(&a.get("username")?).await),
        "searchUserTasks" => sdk(c.search_user_tasks(&a.get("body")?).await),
        "getUserTask" => sdk(c.get_user_task(&a.get("user_task_key")?).await),
        "updateUserTask" => sdk(c
            .update_user_task(&a.get("user_task_key")?, &a.get("body")?)
            .await),
        "unassignUserTask" => sdk(c.unassign_user_task(&a.get("user_task_key")?).await),
        "assignUserTask" => sdk(c
            .assign_user_task(&a.get("user_task_key")?, &a.get("body")?)
            .await),
        "searchUserTaskAuditLogs" => sdk(c
            .search_user_task_audit_logs(&a.get("user_task_key")?, &a.get("body")?)
            .await),
        "completeUserTask" => sdk(c
            .complete_user_task(&a.get("user_task_key")?, &a.get("body")?)
            .await),
        "searchUserTaskEffectiveVariables" => sdk(c
            .search_user_task_effective_variables(
                &a.get("user_task_key")?,
                &a.get("body")?,
                a.get("truncate_values")?,
            )
            .await),
        "getUserTaskForm" => sdk(c.get_user_task_form(&a.get("user_task_key")?).await),
        "searchUserTaskVariables" => sdk(c
            .search_user_task_variables(
                &a.get("user_task_key")?,
                &a.get("body")?,
                a.get("truncate_values")?,
            )
            .await),
        "searchVariables" => sdk(c
            .search_variables(&a.get("body")?, a.get("truncate_values")?)
            .await),
        "getVariable" => sdk(c.get_variable(&a.get("variable_key")?).await),
        _ => Err(Fail::NotCovered),
    }
}
