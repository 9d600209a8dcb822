//! Documents: upload one or many, download as a stream or straight to a file.
//!
//! Uploads are `multipart/form-data` operations, written here on the shared transport pipeline.
//! Downloading as bytes (`get_document`), links (`create_document_link`) and deletion
//! (`delete_document`) are the generated methods on the client.
//!
//! ```no_run
//! # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
//! use camunda_sdk::documents::NewDocument;
//!
//! let invoice = NewDocument::new("invoice.pdf", std::fs::read("invoice.pdf").unwrap());
//! let reference = client.create_document(&invoice, None, None).await?;
//! let written = client
//!     .download_document_to(&reference.document_id, "copy.pdf", None, reference.content_hash.as_deref())
//!     .await?;
//! # Ok(()) }
//! ```

use crate::deploy::{Resource, check_parts, multipart_files};
use crate::keys::{DocumentId, ProcessDefinitionId, ProcessInstanceKey};
use crate::transport::{Call, Method, encode_path};
use crate::{CamundaClient, Error, Result};
use futures::StreamExt;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::AsyncWriteExt;

/// Information about a document (`DocumentMetadata` in requests, `DocumentMetadataResponse` in
/// answers). Every field is optional; fields left `None` are not sent.
///
/// ```
/// use camunda_sdk::documents::DocumentMetadata;
///
/// let metadata = DocumentMetadata {
///     file_name: Some("invoice.pdf".into()),
///     custom_properties: Some(serde_json::json!({"customer": "c-17"}).as_object().unwrap().clone()),
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DocumentMetadata {
    /// The content type of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// When the document expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// The process definition that created the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_definition_id: Option<ProcessDefinitionId>,
    /// The process instance that created the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_instance_key: Option<ProcessInstanceKey>,
    /// Free-form properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A reference to a stored document, as the server returns it after an upload. It serialises
/// back to the same JSON, so it can be passed to a process as a variable.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DocumentReference {
    /// Always `camunda`.
    #[serde(rename = "camunda.document.type", default = "camunda")]
    pub document_type: String,
    /// The document store.
    pub store_id: String,
    /// The document's id.
    pub document_id: DocumentId,
    /// The content hash the store computed; downloads and links may have to present it.
    #[serde(default)]
    pub content_hash: Option<String>,
    /// The document's metadata.
    #[serde(default)]
    pub metadata: DocumentMetadata,
}

fn camunda() -> String {
    "camunda".into()
}

/// A file to upload: its name, bytes, content type and metadata.
///
/// ```
/// use camunda_sdk::documents::NewDocument;
///
/// let doc = NewDocument::new("scan.png", vec![0x89, b'P', b'N', b'G'])
///     .with_content_type("image/png");
/// assert_eq!(doc.file_name(), "scan.png");
/// ```
#[derive(Clone, Debug)]
pub struct NewDocument {
    file: Resource,
    metadata: DocumentMetadata,
}

impl NewDocument {
    /// A document named `file_name` with `content`. The content type is inferred from the
    /// extension for XML and JSON and is `application/octet-stream` otherwise; set it with
    /// [`with_content_type`](Self::with_content_type).
    pub fn new(file_name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        NewDocument {
            file: Resource::new(file_name, content),
            metadata: DocumentMetadata::default(),
        }
    }

    /// The same document with content type `content_type`.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.file = self.file.with_content_type(content_type);
        self
    }

    /// The same document with `metadata` (its file name and content type default to the
    /// document's).
    pub fn with_metadata(mut self, metadata: DocumentMetadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// The file name.
    pub fn file_name(&self) -> &str {
        self.file.name()
    }

    /// The bytes.
    pub fn content(&self) -> &[u8] {
        self.file.content()
    }

    /// The content type.
    pub fn content_type(&self) -> &str {
        self.file.content_type()
    }

    /// The metadata as sent: the caller's, with file name and content type filled in.
    pub fn metadata(&self) -> DocumentMetadata {
        let mut m = self.metadata.clone();
        m.file_name
            .get_or_insert_with(|| self.file.name().to_owned());
        m.content_type
            .get_or_insert_with(|| self.file.content_type().to_owned());
        m
    }
}

/// One file of a batch upload that was not stored.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FailedDocument {
    /// The file name, as uploaded.
    pub file_name: String,
    /// The HTTP status of this file's failure (8.9 and newer servers).
    #[serde(default)]
    pub status: Option<i32>,
    /// A short summary of the problem (8.9 and newer servers).
    #[serde(default)]
    pub title: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub detail: String,
}

/// The outcome of a batch upload: every file is either in `created` or in `failed`.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct BatchOutcome {
    /// The documents stored.
    pub created: Vec<DocumentReference>,
    /// The files not stored, with the reason. A file the server reported neither way is listed
    /// here too (status `None`, title `unreported`), so none goes missing silently.
    pub failed: Vec<FailedDocument>,
}

impl BatchOutcome {
    /// Whether every file was stored.
    pub fn all_created(&self) -> bool {
        self.failed.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchResponse {
    #[serde(default)]
    created_documents: Vec<DocumentReference>,
    #[serde(default)]
    failed_documents: Vec<FailedDocument>,
}

impl BatchResponse {
    /// Sorts the answer and accounts for every submitted file name.
    fn into_outcome(self, submitted: Vec<String>) -> BatchOutcome {
        let mut unreported = submitted;
        // Answers whose file name matches no submitted file (absent, or renamed by the server)
        // still account for one file each, though which one cannot be told.
        let mut unmatched = 0;
        let names = self
            .created_documents
            .iter()
            .map(|d| d.metadata.file_name.as_deref())
            .chain(
                self.failed_documents
                    .iter()
                    .map(|f| Some(f.file_name.as_str())),
            );
        for name in names {
            match name.and_then(|name| unreported.iter().position(|n| n == name)) {
                Some(i) => {
                    unreported.remove(i);
                }
                None => unmatched += 1,
            }
        }
        unreported.truncate(unreported.len().saturating_sub(unmatched));
        let mut failed = self.failed_documents;
        failed.extend(unreported.into_iter().map(|file_name| FailedDocument {
            file_name,
            status: None,
            title: Some("unreported".into()),
            detail: "the server reported neither success nor failure for this file".into(),
        }));
        BatchOutcome {
            created: self.created_documents,
            failed,
        }
    }
}

/// A document's content as a stream of byte chunks, as they arrive; nothing more than the
/// current chunk is held in memory.
///
/// ```no_run
/// # async fn run(client: camunda_sdk::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
/// use futures::StreamExt;
///
/// let mut stream = client.get_document_stream(&id, None, None).await?;
/// let mut total = 0;
/// while let Some(chunk) = stream.next().await {
///     total += chunk?.len();
/// }
/// # Ok(()) }
/// ```
pub struct DocumentStream {
    length: Option<u64>,
    content_type: Option<String>,
    inner: BoxStream<'static, Result<Vec<u8>>>,
}

impl std::fmt::Debug for DocumentStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentStream")
            .field("length", &self.length)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl DocumentStream {
    /// A stream over `resp`'s body that fails with [`Error::Timeout`] when no chunk arrives
    /// for `idle`: a slow download keeps going, a stalled one does not hang.
    fn new(op: &'static str, resp: reqwest::Response, idle: std::time::Duration) -> Self {
        let length = resp.content_length();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.bytes_stream().boxed();
        let inner = futures::stream::unfold(Some(body), move |body| async move {
            let mut body = body?;
            match tokio::time::timeout(idle, body.next()).await {
                Ok(None) => None,
                Ok(Some(Ok(chunk))) => Some((Ok(chunk.to_vec()), Some(body))),
                Ok(Some(Err(e))) => Some((
                    Err(Error::Transport {
                        operation: op,
                        not_sent: false,
                        source: e,
                    }),
                    None,
                )),
                Err(_) => Some((
                    Err(Error::Timeout {
                        operation: op,
                        after: idle,
                    }),
                    None,
                )),
            }
        })
        .boxed();
        DocumentStream {
            length,
            content_type,
            inner,
        }
    }

    /// The size announced by the server (`Content-Length`), when it sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// The content type announced by the server.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Writes the rest of the stream to `writer` chunk by chunk and returns the number of bytes
    /// written.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin>(
        mut self,
        writer: &mut W,
    ) -> Result<u64> {
        let mut written = 0u64;
        while let Some(chunk) = self.inner.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(|e| Error::Io {
                path: None,
                source: e,
            })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|e| Error::Io {
            path: None,
            source: e,
        })?;
        Ok(written)
    }
}

impl futures::Stream for DocumentStream {
    type Item = Result<Vec<u8>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

fn document_path(id: &DocumentId) -> String {
    format!("/v2/documents/{}", encode_path(id.as_str()))
}

impl CamundaClient {
    /// Uploads `document` to store `store_id` (the cluster's only store when `None`) under
    /// `document_id` (a new id when `None`; an existing id is an error). The metadata part is
    /// sent as JSON, with the file name and content type filled in from the document.
    ///
    /// `POST /v2/documents` (operation `createDocument`). Not retried after an ambiguous
    /// failure.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::documents::{DocumentMetadata, NewDocument};
    ///
    /// let doc = NewDocument::new("invoice.pdf", std::fs::read("invoice.pdf").unwrap())
    ///     .with_content_type("application/pdf");
    /// let reference = client.create_document(&doc, None, None).await?;
    /// println!("stored as {}", reference.document_id);
    /// # Ok(()) }
    /// ```
    pub async fn create_document(
        &self,
        document: &NewDocument,
        store_id: Option<&str>,
        document_id: Option<&DocumentId>,
    ) -> Result<DocumentReference> {
        check_parts("document", std::slice::from_ref(&document.file))?;
        let metadata =
            serde_json::to_string(&document.metadata()).map_err(|e| Error::InvalidArgument {
                name: "metadata",
                message: e.to_string(),
            })?;
        let form = multipart_files(
            "file",
            vec![document.file.clone()],
            vec![("metadata", metadata, Some("application/json"))],
        );
        let call = Call::new(
            &crate::generated::ops::CREATE_DOCUMENT,
            Method::POST,
            "/v2/documents".into(),
        )
        .query("storeId", store_id.map(str::to_owned))
        .query("documentId", document_id.map(|d| d.as_str().to_owned()))
        .multipart(form);
        self.send_json(call).await
    }

    /// Uploads `documents` in one request to store `store_id`. The answer says, per file,
    /// whether it was stored: a partial success (HTTP 207) is `Ok` with the failures in
    /// [`BatchOutcome::failed`], each naming its file. Metadata the caller set is sent as the
    /// `metadataList` part (Camunda 8.8 and newer); without any, only the files are sent.
    ///
    /// `POST /v2/documents/batch` (operation `createDocuments`).
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::documents::NewDocument;
    ///
    /// let docs = vec![NewDocument::new("a.txt", "one"), NewDocument::new("b.txt", "two")];
    /// let outcome = client.create_documents(&docs, None).await?;
    /// for failure in &outcome.failed {
    ///     eprintln!("{} was not stored: {}", failure.file_name, failure.detail);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn create_documents(
        &self,
        documents: &[NewDocument],
        store_id: Option<&str>,
    ) -> Result<BatchOutcome> {
        let files: Vec<Resource> = documents.iter().map(|d| d.file.clone()).collect();
        check_parts("documents", &files)?;
        let mut extra = Vec::new();
        if documents
            .iter()
            .any(|d| d.metadata != DocumentMetadata::default())
        {
            let list: Vec<DocumentMetadata> = documents.iter().map(NewDocument::metadata).collect();
            let json = serde_json::to_string(&list).map_err(|e| Error::InvalidArgument {
                name: "metadata",
                message: e.to_string(),
            })?;
            extra.push(("metadataList", json, Some("application/json")));
        }
        let submitted = files.iter().map(|f| f.name().to_owned()).collect();
        let call = Call::new(
            &crate::generated::ops::CREATE_DOCUMENTS,
            Method::POST,
            "/v2/documents/batch".into(),
        )
        .query("storeId", store_id.map(str::to_owned))
        .multipart(multipart_files("files", files, extra));
        let answer: BatchResponse = self.send_json(call).await?;
        Ok(answer.into_outcome(submitted))
    }

    /// Downloads a document as a [`DocumentStream`] of chunks, for content too large to hold in
    /// memory. `store_id` and `content_hash` are sent when given (the store may require the
    /// hash from the document's reference).
    ///
    /// The client's request timeout bounds the wait for the download to start and each gap
    /// between chunks, not the whole download.
    ///
    /// `GET /v2/documents/{documentId}` (operation `getDocument`).
    pub async fn get_document_stream(
        &self,
        document_id: &DocumentId,
        store_id: Option<&str>,
        content_hash: Option<&str>,
    ) -> Result<DocumentStream> {
        let op = &crate::generated::ops::GET_DOCUMENT;
        let call = Call::new(op, Method::GET, document_path(document_id))
            .query("storeId", store_id.map(str::to_owned))
            .query("contentHash", content_hash.map(str::to_owned));
        let (resp, idle) = self.send_raw(call).await?;
        Ok(DocumentStream::new(op.id, resp, idle))
    }

    /// Downloads a document into the file at `path` (created or truncated) chunk by chunk,
    /// without holding it in memory, and returns the number of bytes written. If the download
    /// fails part-way, the partial file is removed.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
    /// let bytes = client.download_document_to(&id, "report.pdf", None, None).await?;
    /// println!("{bytes} bytes written");
    /// # Ok(()) }
    /// ```
    pub async fn download_document_to(
        &self,
        document_id: &DocumentId,
        path: impl AsRef<Path>,
        store_id: Option<&str>,
        content_hash: Option<&str>,
    ) -> Result<u64> {
        let path = path.as_ref();
        let stream = self
            .get_document_stream(document_id, store_id, content_hash)
            .await?;
        let file = tokio::fs::File::create(path)
            .await
            .map_err(|e| Error::io(path, e))?;
        let mut writer = tokio::io::BufWriter::new(file);
        match stream.write_to(&mut writer).await {
            Ok(n) => Ok(n),
            Err(e) => {
                drop(writer);
                let _ = tokio::fs::remove_file(path).await;
                Err(match e {
                    Error::Io { path: None, source } => Error::io(path, source),
                    other => other,
                })
            }
        }
    }
}

/// A document's content as a blocking iterator of chunks (and a [`std::io::Read`]); see
/// [`crate::CamundaClient::get_document_stream`].
///
/// ```no_run
/// # fn run(client: camunda_sdk::blocking::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
/// let mut chunks = client.get_document_stream(&id, None, None)?;
/// let mut out = std::fs::File::create("copy.bin").unwrap();
/// std::io::copy(&mut chunks, &mut out).unwrap();
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BlockingDocumentStream {
    client: crate::blocking::CamundaClient,
    stream: DocumentStream,
    /// The unread rest of the current chunk (for `Read`).
    pending: Vec<u8>,
    offset: usize,
}

impl BlockingDocumentStream {
    /// The size announced by the server, when it sent one.
    pub fn content_length(&self) -> Option<u64> {
        self.stream.content_length()
    }

    /// The content type announced by the server.
    pub fn content_type(&self) -> Option<&str> {
        self.stream.content_type()
    }
}

impl Iterator for BlockingDocumentStream {
    type Item = Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset < self.pending.len() {
            let rest = self.pending.split_off(self.offset);
            self.pending.clear();
            self.offset = 0;
            return Some(Ok(rest));
        }
        let stream = &mut self.stream;
        self.client
            .block_on(async { Ok(stream.next().await) })
            .unwrap_or_else(|e| Some(Err(e)))
    }
}

impl std::io::Read for BlockingDocumentStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.offset >= self.pending.len() {
            match Iterator::next(self) {
                Some(Ok(chunk)) => {
                    self.pending = chunk;
                    self.offset = 0;
                }
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.pending.len() - self.offset);
        buf[..n].copy_from_slice(&self.pending[self.offset..self.offset + n]);
        self.offset += n;
        Ok(n)
    }
}

impl crate::blocking::CamundaClient {
    /// Uploads one document (see [`crate::CamundaClient::create_document`]).
    ///
    /// ```no_run
    /// use camunda_sdk::documents::NewDocument;
    ///
    /// let client = camunda_sdk::blocking::CamundaClient::from_env()?;
    /// let reference = client.create_document(&NewDocument::new("a.txt", "hello"), None, None)?;
    /// # Ok::<(), camunda_sdk::Error>(())
    /// ```
    pub fn create_document(
        &self,
        document: &NewDocument,
        store_id: Option<&str>,
        document_id: Option<&DocumentId>,
    ) -> Result<DocumentReference> {
        self.block_on(
            self.inner()
                .create_document(document, store_id, document_id),
        )
    }

    /// Uploads several documents in one request (see
    /// [`crate::CamundaClient::create_documents`]).
    pub fn create_documents(
        &self,
        documents: &[NewDocument],
        store_id: Option<&str>,
    ) -> Result<BatchOutcome> {
        self.block_on(self.inner().create_documents(documents, store_id))
    }

    /// Downloads a document as a blocking iterator of chunks that is also a
    /// [`std::io::Read`] (see [`crate::CamundaClient::get_document_stream`]).
    pub fn get_document_stream(
        &self,
        document_id: &DocumentId,
        store_id: Option<&str>,
        content_hash: Option<&str>,
    ) -> Result<BlockingDocumentStream> {
        let stream = self.block_on(self.inner().get_document_stream(
            document_id,
            store_id,
            content_hash,
        ))?;
        Ok(BlockingDocumentStream {
            client: self.clone(),
            stream,
            pending: Vec::new(),
            offset: 0,
        })
    }

    /// Downloads a document into the file at `path` chunk by chunk (see
    /// [`crate::CamundaClient::download_document_to`]).
    ///
    /// ```no_run
    /// # fn run(client: camunda_sdk::blocking::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
    /// let bytes = client.download_document_to(&id, "report.pdf", None, None)?;
    /// # Ok(()) }
    /// ```
    pub fn download_document_to(
        &self,
        document_id: &DocumentId,
        path: impl AsRef<Path>,
        store_id: Option<&str>,
        content_hash: Option<&str>,
    ) -> Result<u64> {
        self.block_on(
            self.inner()
                .download_document_to(document_id, path, store_id, content_hash),
        )
    }
}
