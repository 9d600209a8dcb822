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
//! let reference = client.create_document(invoice).send().await?;
//! let mut download = client.download_document_to(&reference.document_id, "copy.pdf");
//! if let Some(hash) = &reference.content_hash {
//!     download = download.content_hash(hash);
//! }
//! let written = download.send().await?;
//! # Ok(()) }
//! ```

use crate::deploy::Resource;
use crate::keys::{DocumentId, ProcessDefinitionId, ProcessInstanceKey};
use crate::{Error, Result};
use futures::StreamExt;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::AsyncWriteExt;

mod builders;
pub use builders::{
    CreateDocument, CreateDocuments, DownloadDocumentTo, GetDocumentStream, StreamFlavor,
};

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

/// A borrowed document uploads a copy; the bytes are shared, not copied.
impl From<&NewDocument> for NewDocument {
    fn from(document: &NewDocument) -> Self {
        document.clone()
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
/// let mut stream = client.get_document_stream(&id).send().await?;
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

/// A document's content as a blocking iterator of chunks (and a [`std::io::Read`]); see
/// [`crate::CamundaClient::get_document_stream`].
///
/// ```no_run
/// # fn run(client: camunda_sdk::blocking::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
/// let mut chunks = client.get_document_stream(&id).send()?;
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
