//! The TLS setup of the SDK's HTTP client: rustls with the `ring` crypto provider, given to this
//! client only. Installing a process-wide default provider instead could break the user's other
//! TLS code (a second install panics), and rustls's own default, aws-lc-rs, costs a cold build
//! about 20 s of C compilation.
//!
//! Trust is the platform's roots plus `CAMUNDA_MTLS_CA`; the identity is the mTLS certificate
//! chain and key, when configured.

use crate::config::TlsConfig;
use crate::error::Error;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::sync::Arc;

/// All certificates of a PEM bundle; an error names `variable` when there is none or one is
/// malformed.
fn certificates(pem: &[u8], variable: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::config(variable, format!("not a PEM certificate bundle: {e}")))?;
    if certs.is_empty() {
        return Err(Error::config(
            variable,
            "expected at least one PEM certificate",
        ));
    }
    Ok(certs)
}

/// The rustls configuration for `tls`.
pub(crate) fn client_config(tls: &TlsConfig) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (extra_roots, variable) = match tls.ca_cert() {
        Some(ca) => (
            certificates(ca.contents(), "CAMUNDA_MTLS_CA")?,
            "CAMUNDA_MTLS_CA",
        ),
        None => (Vec::new(), "http_client"),
    };
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
            .map_err(|e| {
                Error::config(
                    variable,
                    format!("cannot set up certificate verification: {e}"),
                )
            })?;
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config("http_client", format!("TLS versions: {e}")))?
        // "Dangerous" in rustls's terms only because it is not webpki's own verifier: the
        // platform verifier checks the chain and the name in full.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let mut config = match (tls.client_cert(), tls.client_key()) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert.contents(), "CAMUNDA_MTLS_CERT")?;
            let key = PrivateKeyDer::from_pem_slice(key.contents()).map_err(|e| {
                Error::config(
                    "CAMUNDA_MTLS_KEY",
                    format!("expected a PEM private key: {e}"),
                )
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                Error::config(
                    "CAMUNDA_MTLS_CERT",
                    format!("the certificate chain and private key do not match: {e}"),
                )
            })?
        }
        _ => builder.with_no_client_auth(),
    };
    // reqwest sets ALPN only on configurations it builds itself; this client speaks HTTP/1.1.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
