//! A loopback HTTP/1.1 server that answers a fixed script of responses in order and records
//! each request, for behaviour that depends on sequences (503 then 200, 401 then 200).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One canned answer.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// What the server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub struct Scripted {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Scripted {
    /// Serves `script` in order; once it runs out, every request gets the last reply.
    pub async fn start(script: Vec<Reply>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            let mut served = 0usize;
            // Bounded: a test never needs more than a few hundred requests.
            while served < 1000 {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let reply = script[served.min(script.len() - 1)].clone();
                served += 1;
                let log = log.clone();
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else {
                        return;
                    };
                    log.lock().unwrap().push(req);
                    let mut out = format!("HTTP/1.1 {} X\r\nconnection: close\r\n", reply.status);
                    for (k, v) in &reply.headers {
                        out.push_str(&format!("{k}: {v}\r\n"));
                    }
                    out.push_str(&format!(
                        "content-length: {}\r\n\r\n{}",
                        reply.body.len(),
                        reply.body
                    ));
                    let _ = sock.write_all(out.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Scripted { url, received }
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}

/// Configuration for a client of the test server at `url`, without auth.
pub fn config(url: &str) -> camunda_sdk::Config {
    camunda_sdk::Config::builder()
        .rest_address(url)
        .no_auth()
        .build()
        .unwrap()
}

/// An async client of the test server at `url`, without auth or retries, so a test sees every
/// answer as the server sent it.
pub fn client_without_retries(url: &str) -> camunda_sdk::CamundaClient {
    without_retries(config(url))
}

/// An async client for `config`, without retries.
pub fn without_retries(config: camunda_sdk::Config) -> camunda_sdk::CamundaClient {
    camunda_sdk::CamundaClient::new(config)
        .unwrap()
        .with_retry_policy(camunda_sdk::RetryPolicy::none())
}

/// An activated job as the server sends it, with `n` as its only variable and the job lock
/// running out at `deadline` (epoch ms; 0 for none).
pub fn job_json(key: u64, deadline: u128) -> String {
    format!(
        r#"{{"jobKey":"{key}","type":"charge","processInstanceKey":"7","processDefinitionKey":"8",
        "processDefinitionId":"order","processDefinitionVersion":1,"elementId":"charge",
        "elementInstanceKey":"9","customHeaders":{{}},"worker":"w","retries":3,"deadline":{deadline},
        "variables":{{"n":{key}}},"tenantId":"<default>","kind":"BPMN_ELEMENT",
        "listenerEventType":"UNSPECIFIED","tags":[],"priority":0,"physicalTenantId":"default"}}"#
    )
}

/// Writes a JSON answer and closes the connection.
pub async fn respond(sock: &mut tokio::net::TcpStream, status: u16, body: &str) {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = sock.write_all(head.as_bytes()).await;
    let _ = sock.write_all(body.as_bytes()).await;
    let _ = sock.shutdown().await;
}

/// An activated job locked for ten more minutes (see [`job_json`]).
pub fn job_json_locked(key: u64) -> String {
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 600_000;
    job_json(key, deadline)
}

/// A loopback server that answers each request (one per connection) with what `answer` returns:
/// `Some((status, JSON body))`, or `None` to drop the connection without an answer. Stops by
/// itself after `connections` connections. Returns its URL.
pub async fn serve<F, Fut>(connections: usize, answer: F) -> String
where
    F: Fn(Received) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Option<(u16, String)>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        for _ in 0..connections {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let Some(req) = read_request(&mut sock).await else {
                    return;
                };
                if let Some((status, body)) = answer(req).await {
                    respond(&mut sock, status, &body).await;
                }
            });
        }
    });
    url
}

/// [`serve`] with an answer computed at once.
pub async fn route(
    limit: usize,
    answer: impl Fn(Received) -> Option<(u16, String)> + Send + Sync + 'static,
) -> String {
    serve(limit, move |req| std::future::ready(answer(req))).await
}

/// Waits (bounded, polling every 5 ms) until `done` holds.
pub async fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..2_000 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("condition not reached within 10 s");
}

/// A plain `reqwest::Client` for a test's own requests. The SDK builds reqwest with rustls and
/// no process-wide crypto provider (it configures its own client); a test binary may install
/// one, so `reqwest::Client::new()` works here as it would in an application that chose one.
pub fn http() -> reqwest::Client {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::new()
}
