//! The opt-in version guard (see [`crate::CamundaClient::with_version_guard`]).
//!
//! The server's version is learned once from `GET /v2/topology` (`gatewayVersion`) and cached
//! for every clone of the client. Before an operation whose `x-added-in-version` is newer than
//! the server, the guard returns [`Error::NotSupported`] and sends nothing. A server that does
//! not report a version, or reports one that does not parse, lets every call through.

use crate::generated::ops::GET_TOPOLOGY;
use crate::resilience::RetryPolicy;
use crate::transport::{Call, Method, OpMeta, Transport};
use crate::types::TopologyResponse;
use crate::{Error, Result};

/// `major.minor` of a version string (`8.8`, `8.8.0`, `8.10.0-alpha1`).
pub(crate) fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split(['.', '-', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// Shared by the clones of a guarded client.
#[derive(Debug, Default)]
pub(crate) struct Guard {
    /// The server's `gatewayVersion`, once learned (`None` inside: not reported).
    server: tokio::sync::OnceCell<Option<String>>,
}

impl Guard {
    /// The server's version, asking the topology endpoint the first time.
    pub async fn server_version(
        &self,
        transport: &Transport,
        retry: &RetryPolicy,
    ) -> Result<Option<String>> {
        self.server
            .get_or_try_init(|| async {
                let call = Call::new(&GET_TOPOLOGY, Method::GET, "/v2/topology".into());
                let topology: TopologyResponse = transport
                    .answer(call, retry, crate::transport::read::json)
                    .await?;
                tracing::debug!(version = ?topology.gateway_version, "learned the server version");
                let version = Some(topology.gateway_version).filter(|v| !v.is_empty());
                Ok::<_, Error>(version)
            })
            .await
            .cloned()
    }

    /// `Err(NotSupported)` when `op` is newer than the server.
    pub async fn check(
        &self,
        op: &'static OpMeta,
        transport: &Transport,
        retry: &RetryPolicy,
    ) -> Result<()> {
        let Some(required) = op.added_in else {
            return Ok(());
        };
        if op.id == GET_TOPOLOGY.id {
            return Ok(());
        }
        let Some(server) = self.server_version(transport, retry).await? else {
            return Ok(());
        };
        match (major_minor(required), major_minor(&server)) {
            (Some(need), Some(have)) if have < need => Err(Error::NotSupported {
                operation: op.id,
                required: required.to_owned(),
                server,
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::major_minor;

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(major_minor("8.8.0"), Some((8, 8)));
        assert_eq!(major_minor("8.10"), Some((8, 10)));
        assert_eq!(major_minor("8.10.0-alpha1"), Some((8, 10)));
        assert_eq!(major_minor("9"), Some((9, 0)));
        assert_eq!(major_minor("dev"), None);
        assert!(major_minor("8.8.3") < major_minor("8.10"));
    }
}
