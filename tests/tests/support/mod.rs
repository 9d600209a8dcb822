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
