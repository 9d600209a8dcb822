//! https end to end: the SDK talks to a loopback TLS server whose certificates the test makes
//! (a CA, a server certificate for 127.0.0.1, a client certificate), with the CA trusted through
//! `CAMUNDA_MTLS_CA` and the client identity through `CAMUNDA_MTLS_CERT` / `CAMUNDA_MTLS_KEY`.

mod support;

use camunda_sdk::{CamundaClient, Config, Error};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const TOPOLOGY: &str = r#"{"brokers":[],"clusterSize":3,"partitionsCount":3,"replicationFactor":3,"gatewayVersion":"8.10.0","lastCompletedChangeId":"-1"}"#;

/// A CA and what it signed: PEM for the client side, DER for the server side.
struct Pki {
    ca: String,
    server_cert: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
    client_cert: String,
    client_key: String,
    ca_der: CertificateDer<'static>,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "camunda-rs test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let client_cert = CertificateParams::new(vec!["worker.example".to_owned()])
        .unwrap()
        .signed_by(&client_key, &ca)
        .unwrap();
    Pki {
        ca: ca.pem(),
        ca_der: ca.der().clone(),
        server_cert: server_cert.der().clone(),
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
        client_cert: client_cert.pem(),
        client_key: client_key.serialize_pem(),
    }
}

/// What the server saw of each connection whose handshake succeeded.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    client_certificate: bool,
}

/// Serves `TOPOLOGY` over TLS on 127.0.0.1 for up to 8 connections; with `require_client`, only
/// to clients presenting a certificate of the test CA.
async fn serve(pki: &Pki, require_client: bool) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if require_client {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(pki.ca_der.clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let config = builder
        .with_single_cert(vec![pki.server_cert.clone()], pki.server_key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        for _ in 0..8 {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let Ok(mut tls) = acceptor.accept(sock).await else {
                continue;
            };
            let client_certificate = tls.get_ref().1.peer_certificates().is_some();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 64 * 1024 {
                match tls.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf);
            let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
            log.lock().unwrap().push(Seen {
                path,
                client_certificate,
            });
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{TOPOLOGY}",
                TOPOLOGY.len()
            );
            let _ = tls.write_all(reply.as_bytes()).await;
            let _ = tls.shutdown().await;
        }
    });
    (url, seen)
}

fn client_from_env(vars: &[(&str, &str)]) -> CamundaClient {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    support::without_retries(
        Config::builder()
            .from_env_with(|name| vars.get(name).cloned())
            .build()
            .unwrap(),
    )
}

#[tokio::test]
async fn https_works_with_the_ca_from_camunda_mtls_ca() {
    let pki = pki();
    let (url, seen) = serve(&pki, false).await;
    let client = client_from_env(&[("CAMUNDA_REST_ADDRESS", &url), ("CAMUNDA_MTLS_CA", &pki.ca)]);
    let topology = client.get_topology().await.unwrap();
    assert_eq!(topology.cluster_size, 3);
    assert_eq!(topology.gateway_version, "8.10.0");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].path, "/v2/topology");
    assert!(!seen[0].client_certificate);
}

#[tokio::test]
async fn a_server_whose_ca_is_not_trusted_is_refused() {
    let pki = pki();
    let (url, seen) = serve(&pki, false).await;
    let client = client_from_env(&[("CAMUNDA_REST_ADDRESS", &url)]);
    let err = client.get_topology().await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { .. }),
        "expected a transport error, got {err:?}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "no request may reach an untrusted server"
    );
}

#[tokio::test]
async fn mtls_presents_the_client_certificate() {
    let pki = pki();
    let (url, seen) = serve(&pki, true).await;
    let client = client_from_env(&[
        ("CAMUNDA_REST_ADDRESS", &url),
        ("CAMUNDA_MTLS_CA", &pki.ca),
        ("CAMUNDA_MTLS_CERT", &pki.client_cert),
        ("CAMUNDA_MTLS_KEY", &pki.client_key),
    ]);
    let topology = client.get_topology().await.unwrap();
    assert_eq!(topology.cluster_size, 3);
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].client_certificate);
    }

    // Without the identity, the same server ends the handshake: the call fails and no request
    // is served.
    let anonymous =
        client_from_env(&[("CAMUNDA_REST_ADDRESS", &url), ("CAMUNDA_MTLS_CA", &pki.ca)]);
    assert!(anonymous.get_topology().await.is_err());
    assert_eq!(seen.lock().unwrap().len(), 1);
}
