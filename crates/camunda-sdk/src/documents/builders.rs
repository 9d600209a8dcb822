//! The request builders of the hand-written document operations (multipart uploads, streamed
//! downloads), shaped like the generated ones: one type per operation serving both clients.

use super::{
    BatchOutcome, BatchResponse, BlockingDocumentStream, DocumentMetadata, DocumentReference,
    DocumentStream, NewDocument,
};
use crate::deploy::{Resource, check_parts, multipart_files};
use crate::keys::DocumentId;
use crate::request::{self, Async, AsyncFlavor, Blocking, Flavor, Response};
use crate::transport::{Call, Method, encode_path, read};
use crate::{CamundaClient, Error, Result};
use futures::future::BoxFuture;
use std::fmt::Display;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// What a streamed download is on each client: a [`DocumentStream`] on the async one, a
/// [`BlockingDocumentStream`] (an iterator and a [`std::io::Read`]) on the blocking one.
pub trait StreamFlavor<'a>: Flavor<'a> + 'a {
    /// The stream [`GetDocumentStream::send`] hands back.
    type Stream: Send + 'a;

    /// The async stream as this client reads it.
    fn stream(self, stream: DocumentStream) -> Self::Stream;
}

impl<'a> StreamFlavor<'a> for Async<'a> {
    type Stream = DocumentStream;

    fn stream(self, stream: DocumentStream) -> DocumentStream {
        stream
    }
}

impl<'a> StreamFlavor<'a> for Blocking<'a> {
    type Stream = BlockingDocumentStream;

    fn stream(self, stream: DocumentStream) -> BlockingDocumentStream {
        BlockingDocumentStream {
            client: self.0.clone(),
            stream,
            pending: Vec::new(),
            offset: 0,
        }
    }
}

fn serialised(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::InvalidArgument {
        name: "metadata",
        message: e.to_string(),
    })
}

/// Request builder for [`create_document`](CamundaClient::create_document) (operation
/// `createDocument`) on either client: set what you need, then `.send()`.
#[must_use = "a request does nothing until it is sent: call `.send()`"]
pub struct CreateDocument<'a, F: Flavor<'a> = Async<'a>> {
    on: F,
    invalid: Option<Error>,
    document: NewDocument,
    store_id: Option<String>,
    document_id: Option<DocumentId>,
    _client: PhantomData<&'a ()>,
}

impl<'a, F: Flavor<'a>> CreateDocument<'a, F> {
    fn new(on: F, document: NewDocument) -> Self {
        CreateDocument {
            on,
            invalid: None,
            document,
            store_id: None,
            document_id: None,
            _client: PhantomData,
        }
    }

    /// Stores the document in store `value` (without it: the cluster's only store).
    pub fn store_id(mut self, value: impl Into<String>) -> Self {
        self.store_id = Some(value.into());
        self
    }

    /// Stores the document under id `value` (without it: a new id; an existing id is an
    /// error). An id that does not validate is reported by `send()` as
    /// [`Error::InvalidArgument`].
    pub fn document_id(mut self, value: impl TryInto<DocumentId, Error: Display>) -> Self {
        if let Some(id) = request::key(&mut self.invalid, "document_id", value) {
            self.document_id = Some(id);
        }
        self
    }

    fn call(self) -> (F, Result<Call>) {
        let CreateDocument {
            on,
            invalid,
            document,
            store_id,
            document_id,
            ..
        } = self;
        let call = request::check(invalid).and_then(|()| {
            check_parts("document", std::slice::from_ref(&document.file))?;
            let metadata = serialised(&document.metadata())?;
            let form = multipart_files(
                "file",
                vec![document.file],
                vec![("metadata", metadata, Some("application/json"))],
            );
            Ok(Call::new(
                &crate::generated::ops::CREATE_DOCUMENT,
                Method::POST,
                "/v2/documents".into(),
            )
            .query("storeId", store_id)
            .query("documentId", document_id.map(|d| d.as_str().to_owned()))
            .multipart(form))
        });
        (on, call)
    }

    /// Uploads the document: a future on the async client, the answer on the blocking one.
    pub fn send(self) -> F::Output<DocumentReference> {
        let (on, call) = self.call();
        let client = on.client();
        on.run(async move { client.send_json(call?).await })
    }

    /// Like [`send`](Self::send), with the answer's status and headers.
    pub fn send_with_response(self) -> F::Output<Response<DocumentReference>> {
        let (on, call) = self.call();
        let client = on.client();
        on.run(async move { client.send_full(call?, read::json).await })
    }
}

impl<'a, F: AsyncFlavor<'a>> IntoFuture for CreateDocument<'a, F> {
    type Output = Result<DocumentReference>;
    type IntoFuture = BoxFuture<'a, Result<DocumentReference>>;

    fn into_future(self) -> Self::IntoFuture {
        F::boxed(self.send())
    }
}

/// Request builder for [`create_documents`](CamundaClient::create_documents) (operation
/// `createDocuments`) on either client: set what you need, then `.send()`.
#[must_use = "a request does nothing until it is sent: call `.send()`"]
pub struct CreateDocuments<'a, F: Flavor<'a> = Async<'a>> {
    on: F,
    documents: Vec<NewDocument>,
    store_id: Option<String>,
    _client: PhantomData<&'a ()>,
}

impl<'a, F: Flavor<'a>> CreateDocuments<'a, F> {
    fn new(on: F, documents: Vec<NewDocument>) -> Self {
        CreateDocuments {
            on,
            documents,
            store_id: None,
            _client: PhantomData,
        }
    }

    /// Stores the documents in store `value` (without it: the cluster's only store).
    pub fn store_id(mut self, value: impl Into<String>) -> Self {
        self.store_id = Some(value.into());
        self
    }

    /// The flavour, the request and the file names it submits (to account for each in the
    /// outcome).
    fn call(self) -> (F, Result<(Call, Vec<String>)>) {
        let CreateDocuments {
            on,
            documents,
            store_id,
            ..
        } = self;
        let build = || {
            let files: Vec<Resource> = documents.iter().map(|d| d.file.clone()).collect();
            check_parts("documents", &files)?;
            let mut extra = Vec::new();
            // Without metadata only the files go out, which servers before 8.8 also accept.
            if documents
                .iter()
                .any(|d| d.metadata != DocumentMetadata::default())
            {
                let list: Vec<DocumentMetadata> =
                    documents.iter().map(NewDocument::metadata).collect();
                extra.push(("metadataList", serialised(&list)?, Some("application/json")));
            }
            let submitted = files.iter().map(|f| f.name().to_owned()).collect();
            let call = Call::new(
                &crate::generated::ops::CREATE_DOCUMENTS,
                Method::POST,
                "/v2/documents/batch".into(),
            )
            .query("storeId", store_id)
            .multipart(multipart_files("files", files, extra));
            Ok((call, submitted))
        };
        (on, build())
    }

    /// Uploads the documents in one request: a future on the async client, the answer on the
    /// blocking one. A partial success (HTTP 207) is `Ok`, with the failures in
    /// [`BatchOutcome::failed`].
    pub fn send(self) -> F::Output<BatchOutcome> {
        let (on, call) = self.call();
        let client = on.client();
        on.run(async move {
            let (call, submitted) = call?;
            let answer: BatchResponse = client.send_json(call).await?;
            Ok(answer.into_outcome(submitted))
        })
    }

    /// Like [`send`](Self::send), with the answer's status (200, or 207 for a partial
    /// success) and headers.
    pub fn send_with_response(self) -> F::Output<Response<BatchOutcome>> {
        let (on, call) = self.call();
        let client = on.client();
        on.run(async move {
            let (call, submitted) = call?;
            let answer = client.send_full(call, read::json::<BatchResponse>).await?;
            Ok(Response {
                status: answer.status,
                headers: answer.headers,
                body: answer.body.into_outcome(submitted),
            })
        })
    }
}

impl<'a, F: AsyncFlavor<'a>> IntoFuture for CreateDocuments<'a, F> {
    type Output = Result<BatchOutcome>;
    type IntoFuture = BoxFuture<'a, Result<BatchOutcome>>;

    fn into_future(self) -> Self::IntoFuture {
        F::boxed(self.send())
    }
}

/// What a download asks for; shared by the stream and the download to a file.
struct Download {
    invalid: Option<Error>,
    document_id: Option<DocumentId>,
    store_id: Option<String>,
    content_hash: Option<String>,
}

impl Download {
    fn new(document_id: impl TryInto<DocumentId, Error: Display>) -> Self {
        let mut invalid = None;
        let document_id = request::key(&mut invalid, "documentId", document_id);
        Download {
            invalid,
            document_id,
            store_id: None,
            content_hash: None,
        }
    }

    /// Starts the download: the answer's headers are in, the body is read as it arrives.
    async fn open(self, client: &CamundaClient) -> Result<DocumentStream> {
        request::check(self.invalid)?;
        let document_id = self
            .document_id
            .ok_or_else(|| request::missing("documentId"))?;
        let op = &crate::generated::ops::GET_DOCUMENT;
        let path = format!("/v2/documents/{}", encode_path(document_id.as_str()));
        let call = Call::new(op, Method::GET, path)
            .query("storeId", self.store_id)
            .query("contentHash", self.content_hash);
        let (resp, idle) = client.send_raw(call).await?;
        Ok(DocumentStream::new(op.id, resp, idle))
    }
}

/// Request builder for [`get_document_stream`](CamundaClient::get_document_stream)
/// (operation `getDocument`, read as a stream) on either client: set what you need, then
/// `.send()`.
#[must_use = "a request does nothing until it is sent: call `.send()`"]
pub struct GetDocumentStream<'a, F: Flavor<'a> = Async<'a>> {
    on: F,
    download: Download,
    _client: PhantomData<&'a ()>,
}

impl<'a, F: Flavor<'a>> GetDocumentStream<'a, F> {
    fn new(on: F, document_id: impl TryInto<DocumentId, Error: Display>) -> Self {
        GetDocumentStream {
            on,
            download: Download::new(document_id),
            _client: PhantomData,
        }
    }

    /// Reads the document from store `value`.
    pub fn store_id(mut self, value: impl Into<String>) -> Self {
        self.download.store_id = Some(value.into());
        self
    }

    /// Presents content hash `value` (from the document's reference), which the store may
    /// require.
    pub fn content_hash(mut self, value: impl Into<String>) -> Self {
        self.download.content_hash = Some(value.into());
        self
    }
}

impl<'a, F: StreamFlavor<'a>> GetDocumentStream<'a, F> {
    /// Starts the download and returns the stream once the answer's headers are in: a future
    /// of a [`DocumentStream`] on the async client, a [`BlockingDocumentStream`] on the
    /// blocking one.
    pub fn send(self) -> F::Output<F::Stream> {
        let on = self.on;
        let client = on.client();
        let download = self.download;
        on.run(async move { Ok(on.stream(download.open(client).await?)) })
    }
}

impl<'a, F: AsyncFlavor<'a> + StreamFlavor<'a>> IntoFuture for GetDocumentStream<'a, F> {
    type Output = Result<F::Stream>;
    type IntoFuture = BoxFuture<'a, Result<F::Stream>>;

    fn into_future(self) -> Self::IntoFuture {
        F::boxed(self.send())
    }
}

/// Request builder for [`download_document_to`](CamundaClient::download_document_to)
/// (operation `getDocument`, written to a file) on either client: set what you need, then
/// `.send()`.
#[must_use = "a request does nothing until it is sent: call `.send()`"]
pub struct DownloadDocumentTo<'a, F: Flavor<'a> = Async<'a>> {
    on: F,
    download: Download,
    path: PathBuf,
    _client: PhantomData<&'a ()>,
}

impl<'a, F: Flavor<'a>> DownloadDocumentTo<'a, F> {
    fn new(
        on: F,
        document_id: impl TryInto<DocumentId, Error: Display>,
        path: impl AsRef<Path>,
    ) -> Self {
        DownloadDocumentTo {
            on,
            download: Download::new(document_id),
            path: path.as_ref().to_path_buf(),
            _client: PhantomData,
        }
    }

    /// Reads the document from store `value`.
    pub fn store_id(mut self, value: impl Into<String>) -> Self {
        self.download.store_id = Some(value.into());
        self
    }

    /// Presents content hash `value` (from the document's reference), which the store may
    /// require.
    pub fn content_hash(mut self, value: impl Into<String>) -> Self {
        self.download.content_hash = Some(value.into());
        self
    }

    /// Downloads into the file and returns the number of bytes written: a future on the async
    /// client, the count on the blocking one.
    pub fn send(self) -> F::Output<u64> {
        let DownloadDocumentTo {
            on, download, path, ..
        } = self;
        let client = on.client();
        on.run(async move { write_file(download.open(client).await?, &path).await })
    }
}

impl<'a, F: AsyncFlavor<'a>> IntoFuture for DownloadDocumentTo<'a, F> {
    type Output = Result<u64>;
    type IntoFuture = BoxFuture<'a, Result<u64>>;

    fn into_future(self) -> Self::IntoFuture {
        F::boxed(self.send())
    }
}

/// Writes `stream` into the file at `path` (created or truncated); on failure the partial file
/// is removed.
async fn write_file(stream: DocumentStream, path: &Path) -> Result<u64> {
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

impl CamundaClient {
    /// Uploads `document` (a [`NewDocument`], owned or borrowed). The metadata part is sent as
    /// JSON, with the file name and content type filled in from the document. Set the store
    /// with [`store_id`](CreateDocument::store_id) and the id with
    /// [`document_id`](CreateDocument::document_id).
    ///
    /// `POST /v2/documents` (operation `createDocument`). Not retried after an ambiguous
    /// failure.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::documents::NewDocument;
    ///
    /// let doc = NewDocument::new("invoice.pdf", std::fs::read("invoice.pdf").unwrap())
    ///     .with_content_type("application/pdf");
    /// let reference = client.create_document(doc).store_id("in-memory").send().await?;
    /// println!("stored as {}", reference.document_id);
    /// # Ok(()) }
    /// ```
    pub fn create_document(&self, document: impl Into<NewDocument>) -> CreateDocument<'_> {
        CreateDocument::new(Async(self), document.into())
    }

    /// Uploads `documents` in one request. The answer says, per file, whether it was stored: a
    /// partial success (HTTP 207) is `Ok` with the failures in [`BatchOutcome::failed`], each
    /// naming its file. Metadata the caller set is sent as the `metadataList` part (Camunda
    /// 8.8 and newer); without any, only the files are sent.
    ///
    /// `POST /v2/documents/batch` (operation `createDocuments`).
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::documents::NewDocument;
    ///
    /// let docs = [NewDocument::new("a.txt", "one"), NewDocument::new("b.txt", "two")];
    /// let outcome = client.create_documents(&docs).send().await?;
    /// for failure in &outcome.failed {
    ///     eprintln!("{} was not stored: {}", failure.file_name, failure.detail);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create_documents<D: Into<NewDocument>>(
        &self,
        documents: impl IntoIterator<Item = D>,
    ) -> CreateDocuments<'_> {
        CreateDocuments::new(Async(self), documents.into_iter().map(Into::into).collect())
    }

    /// Downloads a document as a [`DocumentStream`] of chunks, for content too large to hold in
    /// memory. Set [`store_id`](GetDocumentStream::store_id) and
    /// [`content_hash`](GetDocumentStream::content_hash) when the store needs them.
    ///
    /// The client's request timeout bounds the wait for the download to start and each gap
    /// between chunks, not the whole download.
    ///
    /// `GET /v2/documents/{documentId}` (operation `getDocument`).
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient, reference: camunda_sdk::documents::DocumentReference) -> camunda_sdk::Result<()> {
    /// let mut stream = client
    ///     .get_document_stream(&reference.document_id)
    ///     .store_id(&reference.store_id)
    ///     .send()
    ///     .await?;
    /// println!("{:?} bytes coming", stream.content_length());
    /// # Ok(()) }
    /// ```
    pub fn get_document_stream(
        &self,
        document_id: impl TryInto<DocumentId, Error: Display>,
    ) -> GetDocumentStream<'_> {
        GetDocumentStream::new(Async(self), document_id)
    }

    /// Downloads a document into the file at `path` (created or truncated) chunk by chunk,
    /// without holding it in memory; `send()` returns the number of bytes written. If the
    /// download fails part-way, the partial file is removed.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
    /// let bytes = client.download_document_to(&id, "report.pdf").send().await?;
    /// println!("{bytes} bytes written");
    /// # Ok(()) }
    /// ```
    pub fn download_document_to(
        &self,
        document_id: impl TryInto<DocumentId, Error: Display>,
        path: impl AsRef<Path>,
    ) -> DownloadDocumentTo<'_> {
        DownloadDocumentTo::new(Async(self), document_id, path)
    }
}

impl crate::blocking::CamundaClient {
    /// Uploads one document (see [`crate::CamundaClient::create_document`]).
    ///
    /// ```no_run
    /// use camunda_sdk::documents::NewDocument;
    ///
    /// let client = camunda_sdk::blocking::CamundaClient::from_env()?;
    /// let reference = client.create_document(NewDocument::new("a.txt", "hello")).send()?;
    /// # Ok::<(), camunda_sdk::Error>(())
    /// ```
    pub fn create_document(
        &self,
        document: impl Into<NewDocument>,
    ) -> CreateDocument<'_, Blocking<'_>> {
        CreateDocument::new(Blocking(self), document.into())
    }

    /// Uploads several documents in one request (see
    /// [`crate::CamundaClient::create_documents`]).
    pub fn create_documents<D: Into<NewDocument>>(
        &self,
        documents: impl IntoIterator<Item = D>,
    ) -> CreateDocuments<'_, Blocking<'_>> {
        CreateDocuments::new(
            Blocking(self),
            documents.into_iter().map(Into::into).collect(),
        )
    }

    /// Downloads a document as a blocking iterator of chunks that is also a
    /// [`std::io::Read`] (see [`crate::CamundaClient::get_document_stream`]).
    pub fn get_document_stream(
        &self,
        document_id: impl TryInto<DocumentId, Error: Display>,
    ) -> GetDocumentStream<'_, Blocking<'_>> {
        GetDocumentStream::new(Blocking(self), document_id)
    }

    /// Downloads a document into the file at `path` chunk by chunk (see
    /// [`crate::CamundaClient::download_document_to`]).
    ///
    /// ```no_run
    /// # fn run(client: camunda_sdk::blocking::CamundaClient, id: camunda_sdk::keys::DocumentId) -> camunda_sdk::Result<()> {
    /// let bytes = client.download_document_to(&id, "report.pdf").content_hash("h1").send()?;
    /// # Ok(()) }
    /// ```
    pub fn download_document_to(
        &self,
        document_id: impl TryInto<DocumentId, Error: Display>,
        path: impl AsRef<Path>,
    ) -> DownloadDocumentTo<'_, Blocking<'_>> {
        DownloadDocumentTo::new(Blocking(self), document_id, path)
    }
}
