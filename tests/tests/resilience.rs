//! Retries over real loopback HTTP with injected faults: the retry unit is the whole exchange
//! (a body cut after the headers counts like a dropped connection), and a job result has one
//! retry budget, not the worker's attempts times the client's.

mod support;

use camunda_sdk::{CamundaClient, Error, RetryPolicy};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// How the server answers one request.
#[derive(Clone)]
enum Answer {
    /// A whole answer.
    Whole(u16, &'static str),
    /// A 200 whose headers promise more body than is sent before the connection closes.
    Cut,
    /// The connection closes without an answer.
    Drop,
}

/// Answers requests from `script` in order (the last one repeats); records each path.
async fn scripted(script: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let paths = Arc::new(Mutex::new(Vec::new()));
    let log = paths.clone();
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    tokio::spawn(async move {
        for _ in 0..1_000 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (log, script) = (log.clone(), script.clone());
            tokio::spawn(async move {
                let Some(req) = support::read_request(&mut sock).await else {
                    return;
                };
                log.lock().unwrap().push(req.path);
                let answer = {
                    let mut s = script.lock().unwrap();
                    if s.len() > 1 {
                        s.pop_front().unwrap()
                    } else {
                        s[0].clone()
                    }
                };
                match answer {
                    Answer::Whole(status, body) => support::respond(&mut sock, status, body).await,
                    Answer::Cut => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"validLic";
                        let _ = sock.write_all(head.as_bytes()).await;
                        let _ = sock.shutdown().await;
                    }
                    Answer::Drop => {}
                }
            });
        }
    });
    (url, paths)
}

fn client(url: &str) -> CamundaClient {
    CamundaClient::new(support::config(url))
        .unwrap()
        .with_retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

const LICENSE: &str = r#"{"validLicense":true,"licenseType":"saas","isCommercial":true}"#;

#[tokio::test]
async fn a_read_whose_body_is_cut_is_retried() {
    let (url, paths) = scripted(vec![Answer::Cut, Answer::Whole(200, LICENSE)]).await;
    let license = client(&url).get_license().await.unwrap();
    assert!(license.valid_license);
    assert_eq!(
        paths.lock().unwrap().len(),
        2,
        "sent again after the cut body"
    );
}

#[tokio::test]
async fn a_non_idempotent_call_whose_body_is_cut_is_not_retried_and_says_why() {
    let (url, paths) = scripted(vec![Answer::Cut, Answer::Whole(204, "")]).await;
    let err = client(&url).reset_clock().await.unwrap_err();
    assert_eq!(paths.lock().unwrap().len(), 1, "sent once");
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_ambiguous());
    let shown = err.to_string();
    assert!(shown.contains("may have acted"), "{shown}");
    // The root cause, not just reqwest's "error decoding response body".
    assert!(
        shown.contains("root cause: end of file before message length reached"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_dropped_connection_names_its_root_cause() {
    let (url, _) = scripted(vec![Answer::Drop]).await;
    let err = client(&url).reset_clock().await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("root cause: connection closed before message completed"),
        "{shown}"
    );
    assert!(
        std::error::Error::source(&err).is_some(),
        "the source is kept"
    );
}
