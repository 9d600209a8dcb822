//! Documents: single and batch uploads on the wire, a multi-status answer that names the failed
//! file, a 50 MB download streamed to a file with bounded memory, and the blocking twins.

use camunda_sdk::documents::{DocumentMetadata, NewDocument};
use camunda_sdk::{CamundaClient, Config, RetryPolicy, keys};
use futures::StreamExt;
use httpmock::prelude::*;
use std::io::Read;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn config(url: &str) -> Config {
    Config::builder()
        .rest_address(url)
        .no_auth()
        .request_timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
}

fn client(url: &str) -> CamundaClient {
    CamundaClient::new(config(url))
        .unwrap()
        .with_retry_policy(RetryPolicy::none())
}

fn reference(id: &str, file: &str) -> serde_json::Value {
    serde_json::json!({
        "camunda.document.type": "camunda",
        "storeId": "in-memory",
        "documentId": id,
        "contentHash": format!("hash-{id}"),
        "metadata": {"contentType": "text/plain", "fileName": file, "expiresAt": null, "size": 3,
                     "processDefinitionId": null, "processInstanceKey": null, "customProperties": {}}
    })
}

type Captured = Arc<Mutex<Vec<String>>>;

fn capture(captured: &Captured) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    let captured = captured.clone();
    move |req: &HttpMockRequest| {
        captured.lock().unwrap().push(req.body_string());
        true
    }
}

#[tokio::test]
async fn create_document_sends_the_file_and_json_metadata() {
    let server = MockServer::start_async().await;
    let captured = Captured::default();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/documents")
                .query_param("storeId", "in-memory")
                .query_param("documentId", "invoice-17")
                .header_includes("content-type", "multipart/form-data")
                .is_true(capture(&captured));
            then.status(201)
                .header("content-type", "application/json")
                .body(reference("invoice-17", "invoice.txt").to_string());
        })
        .await;
    let doc = NewDocument::new("invoice.txt", "abc")
        .with_content_type("text/plain")
        .with_metadata(DocumentMetadata {
            custom_properties: Some(
                serde_json::json!({"customer": "c-17"})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
            ..Default::default()
        });
    let stored = client(&server.base_url())
        .create_document(&doc)
        .store_id("in-memory")
        .document_id("invoice-17")
        .send()
        .await
        .expect("stored");
    mock.assert_calls_async(1).await;
    assert_eq!(stored.document_id.as_str(), "invoice-17");
    assert_eq!(stored.content_hash.as_deref(), Some("hash-invoice-17"));
    assert_eq!(stored.metadata.file_name.as_deref(), Some("invoice.txt"));

    let body = captured.lock().unwrap()[0].clone();
    assert!(
        body.contains(
            "content-disposition: form-data; name=\"file\"; filename=\"invoice.txt\"\r\ncontent-type: text/plain\r\n\r\nabc\r\n"
        ) || body.contains(
            "Content-Disposition: form-data; name=\"file\"; filename=\"invoice.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n"
        ),
        "{body}"
    );
    let metadata_at = body.find("name=\"metadata\"").expect("a metadata part");
    let metadata_part = &body[metadata_at..];
    assert!(
        metadata_part
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{metadata_part}"
    );
    let json_start = metadata_part.find("\r\n\r\n").unwrap() + 4;
    let json_end = json_start + metadata_part[json_start..].find("\r\n").unwrap();
    let sent: serde_json::Value =
        serde_json::from_str(&metadata_part[json_start..json_end]).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"contentType": "text/plain", "fileName": "invoice.txt",
                           "customProperties": {"customer": "c-17"}})
    );

    // The reference serialises back to the shape a process variable needs.
    let back = serde_json::to_value(&stored).unwrap();
    assert_eq!(back["camunda.document.type"], "camunda");
    assert_eq!(back["documentId"], "invoice-17");
}

#[tokio::test]
async fn a_multi_status_batch_names_exactly_the_file_that_failed() {
    let server = MockServer::start_async().await;
    let captured = Captured::default();
    let answer = serde_json::json!({
        "createdDocuments": [reference("d-1", "a.txt"), reference("d-3", "c.txt")],
        "failedDocuments": [{"fileName": "b.txt", "status": 413, "title": "Payload Too Large",
                             "detail": "b.txt exceeds the store's size limit"}]
    });
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/documents/batch")
                .is_true(capture(&captured));
            then.status(207)
                .header("content-type", "application/json")
                .body(answer.to_string());
        })
        .await;
    let docs = ["a.txt", "b.txt", "c.txt"].map(|n| NewDocument::new(n, n.as_bytes().to_vec()));
    let answer = client(&server.base_url())
        .create_documents(&docs)
        .send_with_response()
        .await
        .expect("a 207 is a partial success, not an error");
    mock.assert_calls_async(1).await;
    assert_eq!(answer.status, 207);
    let outcome = answer.body;
    assert!(!outcome.all_created());
    let created: Vec<_> = outcome
        .created
        .iter()
        .map(|d| d.metadata.file_name.as_deref().unwrap())
        .collect();
    assert_eq!(created, ["a.txt", "c.txt"]);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].file_name, "b.txt");
    assert_eq!(outcome.failed[0].status, Some(413));
    assert!(outcome.failed[0].detail.contains("size limit"));

    // Three `files` parts and no metadata list (none was set).
    let body = captured.lock().unwrap()[0].clone();
    assert_eq!(body.matches("name=\"files\"").count(), 3, "{body}");
    for n in ["a.txt", "b.txt", "c.txt"] {
        assert!(body.contains(&format!("filename=\"{n}\"")), "{body}");
    }
    assert!(!body.contains("metadataList"));
}

#[tokio::test]
async fn a_file_the_server_does_not_mention_is_reported_as_failed() {
    let server = MockServer::start_async().await;
    let answer = serde_json::json!({
        "createdDocuments": [reference("d-1", "a.txt")],
        "failedDocuments": []
    });
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/documents/batch");
            then.status(201)
                .header("content-type", "application/json")
                .body(answer.to_string());
        })
        .await;
    let docs = [
        NewDocument::new("a.txt", "a"),
        NewDocument::new("b.txt", "b"),
    ];
    let outcome = client(&server.base_url())
        .create_documents(docs)
        .await
        .unwrap();
    assert_eq!(outcome.created.len(), 1);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].file_name, "b.txt");
    assert_eq!(outcome.failed[0].title.as_deref(), Some("unreported"));
}

const SIZE: usize = 50 * 1024 * 1024;
const WRITE: usize = 64 * 1024;

fn pattern(offset: usize, len: usize) -> Vec<u8> {
    (offset..offset + len).map(|i| (i % 251) as u8).collect()
}

/// Serves `SIZE` bytes of a known pattern for every request, generated as it is written, so the
/// server itself holds no more than one 64 KiB write.
async fn streaming_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let paths = Arc::new(Mutex::new(Vec::new()));
    let log = paths.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                log.lock().unwrap().push(line);
                let header = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {SIZE}\r\nconnection: close\r\n\r\n"
                );
                if sock.write_all(header.as_bytes()).await.is_err() {
                    return;
                }
                let mut sent = 0;
                while sent < SIZE {
                    let n = WRITE.min(SIZE - sent);
                    if sock.write_all(&pattern(sent, n)).await.is_err() {
                        return;
                    }
                    sent += n;
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, paths)
}

/// Peak resident set size of this process (`VmHWM`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    status_field("VmHWM:")
}

fn rss_kib() -> Option<u64> {
    status_field("VmRSS:")
}

fn status_field(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Checks the file holds exactly the served pattern, reading it back in 1 MiB pieces.
fn verify_file(path: &std::path::Path) {
    let mut f = std::fs::File::open(path).unwrap();
    let mut buf = vec![0u8; 1024 * 1024];
    let mut offset = 0;
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        assert!(
            buf[..n]
                .iter()
                .enumerate()
                .all(|(i, b)| *b == ((offset + i) % 251) as u8),
            "content differs near byte {offset}"
        );
        offset += n;
    }
    assert_eq!(offset, SIZE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_document_streams_to_a_file_with_bounded_memory() {
    let (url, requests) = streaming_server().await;
    let client = client(&url);
    let id = keys::DocumentId::new("big-file").unwrap();
    let dir = std::env::temp_dir().join(format!("camunda-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // Through the stream, chunk by chunk: the most the SDK hands over (and holds) at once.
    let mut stream = client
        .get_document_stream(&id)
        .store_id("in-memory")
        .content_hash("h1")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.content_length(), Some(SIZE as u64));
    let mut total = 0;
    let mut largest = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        largest = largest.max(chunk.len());
        total += chunk.len();
    }
    assert_eq!(total, SIZE);
    println!(
        "stream: {} bytes in chunks of at most {} bytes",
        total, largest
    );
    assert!(largest <= 1024 * 1024, "largest chunk {largest}");

    // To a file: the process's peak resident memory must grow far less than the file's size.
    // Resetting the high-water mark (Linux `clear_refs` 5) makes the peak this download's own.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = if reset { rss_kib() } else { peak_rss_kib() }.unwrap_or(0);
    let path = dir.join("big.bin");
    let written = client
        .download_document_to(&id, &path)
        .send()
        .await
        .unwrap();
    let peak = peak_rss_kib().unwrap_or(0);
    assert_eq!(written, SIZE as u64);
    let growth_kib = peak.saturating_sub(before);
    println!(
        "download_document_to: {} MiB written; peak RSS {} KiB, {} KiB above the RSS before \
         (high-water mark reset: {reset})",
        SIZE / (1024 * 1024),
        peak,
        growth_kib
    );
    assert!(
        growth_kib < 16 * 1024,
        "peak memory grew by {growth_kib} KiB for a {} KiB download",
        SIZE / 1024
    );
    verify_file(&path);

    let requests = requests.lock().unwrap().clone();
    assert_eq!(
        requests[0],
        "GET /v2/documents/big-file?storeId=in-memory&contentHash=h1 HTTP/1.1"
    );
    assert_eq!(requests[1], "GET /v2/documents/big-file HTTP/1.1");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_failed_download_leaves_no_file_and_maps_the_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/documents/gone");
            then.status(404)
                .header("content-type", "application/problem+json")
                .body(r#"{"title":"NOT_FOUND","status":404,"detail":"no document gone"}"#);
        })
        .await;
    let path = std::env::temp_dir().join(format!("camunda-gone-{}.bin", std::process::id()));
    let err = client(&server.base_url())
        .download_document_to("gone", &path)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(!path.exists());
}

#[test]
fn the_blocking_client_uploads_and_streams_documents() {
    let server = MockServer::start();
    let upload = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/documents/batch")
            .query_param("storeId", "in-memory");
        then.status(207)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "createdDocuments": [reference("d-1", "a.txt")],
                    "failedDocuments": [{"fileName": "b.txt", "status": 400, "title": "Bad", "detail": "empty"}]
                })
                .to_string(),
            );
    });
    let content = pattern(0, 300_000);
    let download = server.mock(|when, then| {
        when.method(GET).path("/v2/documents/d-1");
        then.status(200)
            .header("content-type", "application/octet-stream")
            .body(content.clone());
    });
    let client = camunda_sdk::blocking::CamundaClient::new(config(&server.base_url())).unwrap();
    let outcome = client
        .create_documents([
            NewDocument::new("a.txt", "a"),
            NewDocument::new("b.txt", ""),
        ])
        .store_id("in-memory")
        .send()
        .unwrap();
    upload.assert_calls(1);
    assert_eq!(outcome.failed[0].file_name, "b.txt");

    let id = keys::DocumentId::new("d-1").unwrap();
    let mut reader = client.get_document_stream(&id).send().unwrap();
    let mut read = Vec::new();
    reader.read_to_end(&mut read).unwrap();
    assert_eq!(read, content);

    let chunks: Vec<Vec<u8>> = client
        .get_document_stream(&id)
        .send()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(chunks.concat(), content);

    let path = std::env::temp_dir().join(format!("camunda-blocking-{}.bin", std::process::id()));
    let written = client.download_document_to(&id, &path).send().unwrap();
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&path).unwrap(), content);
    std::fs::remove_file(&path).unwrap();
    download.assert_calls(3);
}

#[tokio::test]
async fn xml_and_form_getters_answer_none_for_204_and_binary_content_is_bytes() {
    let server = MockServer::start_async().await;
    let xml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/order.bpmn"),
    )
    .unwrap();
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/process-definitions/1/xml");
            then.status(200)
                .header("content-type", "text/xml")
                .body(&xml);
        })
        .await;
    for path in [
        "/v2/process-definitions/2/xml",
        "/v2/process-definitions/2/form",
        "/v2/user-tasks/3/form",
    ] {
        server
            .mock_async(|when, then| {
                when.method(GET).path(path);
                then.status(204);
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/resources/4/content/binary");
            then.status(200)
                .header("content-type", "application/octet-stream")
                .body([0u8, 159, 146, 150]);
        })
        .await;
    let client = client(&server.base_url());
    let pd = |k: i64| keys::ProcessDefinitionKey::from(k);
    assert_eq!(
        client.get_process_definition_xml(pd(1)).await.unwrap(),
        Some(xml)
    );
    assert_eq!(
        client.get_process_definition_xml(pd(2)).await.unwrap(),
        None
    );
    assert!(
        client
            .get_start_process_form(pd(2))
            .await
            .unwrap()
            .is_none()
    );
    assert!(client.get_user_task_form(3_i64).await.unwrap().is_none());
    assert_eq!(
        client.get_resource_content_binary("4").await.unwrap(),
        vec![0u8, 159, 146, 150]
    );
}

/// Serves one download: headers, then `chunks` of 10 bytes `gap` apart, then (if `stall`) stops
/// sending without closing.
async fn trickle_server(chunks: usize, gap: std::time::Duration, stall: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let Ok((mut sock, _)) = listener.accept().await else {
            return;
        };
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let total = if stall { chunks * 10 + 10 } else { chunks * 10 };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {total}\r\n\r\n"
        );
        let _ = sock.write_all(head.as_bytes()).await;
        for _ in 0..chunks {
            let _ = sock.write_all(&[b'x'; 10]).await;
            let _ = sock.flush().await;
            tokio::time::sleep(gap).await;
        }
        if stall {
            // Keep the connection open, silent, well past the client's timeout.
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    });
    url
}

fn client_with_timeout(url: &str, timeout: std::time::Duration) -> CamundaClient {
    let config = Config::builder()
        .rest_address(url)
        .no_auth()
        .request_timeout(timeout)
        .build()
        .unwrap();
    CamundaClient::new(config)
        .unwrap()
        .with_retry_policy(RetryPolicy::none())
}

#[tokio::test]
async fn a_slow_but_steady_download_outlasts_the_request_timeout() {
    let gap = std::time::Duration::from_millis(100);
    let url = trickle_server(15, gap, false).await;
    // The whole download takes ~1.5 s; the request timeout is 1 s (10x any one gap, so a busy
    // machine does not trip it).
    let client = client_with_timeout(&url, std::time::Duration::from_secs(1));
    let id = keys::DocumentId::new("doc-1").unwrap();
    let mut stream = client.get_document_stream(&id).await.unwrap();
    let mut got = 0;
    while let Some(chunk) = stream.next().await {
        got += chunk.expect("no timeout while chunks keep coming").len();
    }
    assert_eq!(got, 150);
}

#[tokio::test]
async fn a_stalled_download_fails_with_a_timeout_instead_of_hanging() {
    let url = trickle_server(1, std::time::Duration::from_millis(1), true).await;
    let client = client_with_timeout(&url, std::time::Duration::from_millis(200));
    let id = keys::DocumentId::new("doc-1").unwrap();
    let mut stream = client.get_document_stream(&id).await.unwrap();
    let mut last = None;
    // Bounded: the stream must end with an error well before the server gives up.
    for _ in 0..10 {
        match stream.next().await {
            Some(Ok(_)) => continue,
            Some(Err(e)) => {
                last = Some(e);
                break;
            }
            None => break,
        }
    }
    match last {
        Some(camunda_sdk::Error::Timeout { operation, .. }) => assert_eq!(operation, "getDocument"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}
