//! Deploying BPMN processes, DMN decisions, forms and other resources.
//!
//! `createDeployment` is a `multipart/form-data` operation, which the generator leaves out; it is
//! written here on the same transport pipeline as every other call (auth, tracing, retries,
//! error mapping). A deployment is all-or-nothing on the server and is not idempotent, so it is
//! never sent again after an ambiguous failure (timeout, 502, 504).
//!
//! ```no_run
//! # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
//! let deployment = client
//!     .deploy_resources_from_files(["order.bpmn", "discount.dmn"])
//!     .send()
//!     .await?;
//! for process in &deployment.processes {
//!     println!("{} v{} -> {}", process.process_definition_id, process.process_definition_version, process.process_definition_key);
//! }
//! # Ok(()) }
//! ```

use crate::keys::{DeploymentKey, TenantId};
use crate::request::{self, Async, AsyncFlavor, Blocking, Flavor, Response};
use crate::transport::{Call, Method, read};
use crate::{CamundaClient, Error, Result};
use futures::future::BoxFuture;
use std::fmt::Display;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file of a deployment: its name (which the server uses to tell BPMN, DMN and forms apart,
/// by extension), its bytes and its content type.
///
/// The bytes are shared (`Arc`), so cloning a resource or re-sending it on a retry does not copy
/// or re-read the file.
///
/// ```
/// use camunda_sdk::deploy::Resource;
///
/// let bpmn = Resource::new("order.bpmn", b"<definitions/>".to_vec());
/// assert_eq!(bpmn.content_type(), "application/xml");
/// let script = Resource::new("notes.txt", "hello").with_content_type("text/plain");
/// assert_eq!(script.content_type(), "text/plain");
/// ```
#[derive(Clone, Debug)]
pub struct Resource {
    name: String,
    content: Arc<[u8]>,
    content_type: String,
}

impl Resource {
    /// A resource named `name` (a file name such as `order.bpmn`) with `content`; the content
    /// type is inferred from the extension (see [`content_type_for`]).
    pub fn new(name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        let name = name.into();
        let content_type = content_type_for(&name).to_owned();
        Resource {
            name,
            content: Arc::from(content.into()),
            content_type,
        }
    }

    /// The same resource with an explicit content type (checked when the deployment is sent).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Reads the file at `path` without blocking the async runtime; the resource is named after
    /// the file. A missing path, a directory or an unreadable file is an [`Error::Io`] naming
    /// the path.
    pub async fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let meta = tokio::fs::metadata(path)
            .await
            .map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "is a directory, not a file to deploy",
                ),
            ));
        }
        let content = tokio::fs::read(path)
            .await
            .map_err(|e| Error::io(path, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Error::io(
                    path,
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, "has no file name"),
                )
            })?;
        Ok(Resource::new(name, content))
    }

    /// The file name sent to the server.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bytes.
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    /// The content type of the file part.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

/// The content type for a file name, by extension: `.bpmn`, `.dmn` and `.xml` are
/// `application/xml`, `.form` and `.json` are `application/json`, anything else
/// `application/octet-stream`.
///
/// ```
/// assert_eq!(camunda_sdk::deploy::content_type_for("Order.BPMN"), "application/xml");
/// assert_eq!(camunda_sdk::deploy::content_type_for("signup.form"), "application/json");
/// assert_eq!(camunda_sdk::deploy::content_type_for("logo.png"), "application/octet-stream");
/// ```
pub fn content_type_for(name: &str) -> &'static str {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("bpmn" | "dmn" | "xml") => "application/xml",
        Some("form" | "json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// One entry of a [`DeploymentResult`]: exactly one of its fields is set (generated).
pub use crate::types::DeploymentMetadataResult as DeploymentItem;
/// The server's answer to a deployment, as sent (generated from the spec).
pub use crate::types::DeploymentResult;

/// A deployed BPMN process (generated from the spec).
pub type DeployedProcess = crate::types::DeploymentMetadataResultProcessDefinition;
/// A deployed DMN decision (generated from the spec).
pub type DeployedDecision = crate::types::DeploymentMetadataResultDecisionDefinition;
/// A deployed DMN decision requirements graph, one per DMN file (generated from the spec).
pub type DeployedDecisionRequirements = crate::types::DeploymentMetadataResultDecisionRequirements;
/// A deployed form (generated from the spec).
pub type DeployedForm = crate::types::DeploymentMetadataResultForm;
/// Another deployed resource (generated from the spec).
pub type DeployedResource = crate::types::DeploymentMetadataResultResource;

/// A completed deployment: the server's answer sorted into one typed list per kind of item.
///
/// ```no_run
/// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
/// use camunda_sdk::deploy::Resource;
///
/// let bpmn = Resource::new("order.bpmn", std::fs::read("order.bpmn").unwrap());
/// let deployment = client.create_deployment([bpmn]).send().await?;
/// println!("deployment {} to {}", deployment.key, deployment.tenant_id);
/// let key = &deployment.processes[0].process_definition_key;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Deployment {
    /// The deployment's key.
    pub key: DeploymentKey,
    /// The tenant the resources were deployed to.
    pub tenant_id: TenantId,
    /// The BPMN processes, in the server's order.
    pub processes: Vec<DeployedProcess>,
    /// The DMN decisions.
    pub decisions: Vec<DeployedDecision>,
    /// The DMN decision requirements graphs.
    pub decision_requirements: Vec<DeployedDecisionRequirements>,
    /// The forms.
    pub forms: Vec<DeployedForm>,
    /// Other resources.
    pub resources: Vec<DeployedResource>,
    /// The answer as the server sent it.
    pub result: DeploymentResult,
}

impl From<DeploymentResult> for Deployment {
    fn from(result: DeploymentResult) -> Self {
        let mut d = Deployment {
            key: result.deployment_key.clone(),
            tenant_id: result.tenant_id.clone(),
            processes: Vec::new(),
            decisions: Vec::new(),
            decision_requirements: Vec::new(),
            forms: Vec::new(),
            resources: Vec::new(),
            result,
        };
        for item in &d.result.deployments {
            d.processes.extend(item.process_definition.clone());
            d.decisions.extend(item.decision_definition.clone());
            d.decision_requirements
                .extend(item.decision_requirements.clone());
            d.forms.extend(item.form.clone());
            d.resources.extend(item.resource.clone());
        }
        d
    }
}

impl Deployment {
    /// The deployed process with BPMN id `id`, if any.
    pub fn process(&self, id: &str) -> Option<&DeployedProcess> {
        self.processes
            .iter()
            .find(|p| p.process_definition_id.as_str() == id)
    }

    /// The deployed decision with DMN id `id`, if any.
    pub fn decision(&self, id: &str) -> Option<&DeployedDecision> {
        self.decisions
            .iter()
            .find(|d| d.decision_definition_id.as_str() == id)
    }
}

/// Builds one multipart part; the content type was validated before.
fn file_part(field: &Resource) -> reqwest::multipart::Part {
    let part =
        || reqwest::multipart::Part::bytes(field.content.to_vec()).file_name(field.name.clone());
    part()
        .mime_str(&field.content_type)
        .unwrap_or_else(|_| part())
}

/// Rejects what the server would reject anyway, before anything is sent.
pub(crate) fn check_parts(what: &'static str, parts: &[Resource]) -> Result<()> {
    if parts.is_empty() {
        return Err(Error::InvalidArgument {
            name: what,
            message: "at least one file is needed".into(),
        });
    }
    for r in parts {
        if r.name.is_empty() {
            return Err(Error::InvalidArgument {
                name: what,
                message: "a file has an empty name".into(),
            });
        }
        if reqwest::multipart::Part::bytes(Vec::new())
            .mime_str(&r.content_type)
            .is_err()
        {
            return Err(Error::InvalidArgument {
                name: what,
                message: format!(
                    "`{}` has an invalid content type `{}`",
                    r.name, r.content_type
                ),
            });
        }
    }
    Ok(())
}

/// Builds the multipart body anew for each attempt from shared bytes.
pub(crate) fn multipart_files(
    field: &'static str,
    files: Vec<Resource>,
    extra: Vec<(&'static str, String, Option<&'static str>)>,
) -> Arc<dyn Fn() -> reqwest::multipart::Form + Send + Sync> {
    Arc::new(move || {
        let mut form = reqwest::multipart::Form::new();
        for f in &files {
            form = form.part(field, file_part(f));
        }
        for (name, value, content_type) in &extra {
            let part = reqwest::multipart::Part::text(value.clone());
            let part = match content_type {
                Some(ct) => match reqwest::multipart::Part::text(value.clone()).mime_str(ct) {
                    Ok(p) => p,
                    Err(_) => part,
                },
                None => part,
            };
            form = form.part(*name, part);
        }
        form
    })
}

/// What a deployment is made of: resources in memory, or files read when it is sent.
enum Parts {
    Resources(Vec<Resource>),
    Files(Vec<PathBuf>),
}

/// Request builder for a deployment (operation `createDeployment`), from
/// [`create_deployment`](CamundaClient::create_deployment) or
/// [`deploy_resources_from_files`](CamundaClient::deploy_resources_from_files) on either client:
/// set what you need, then `.send()`.
///
/// ```no_run
/// # async fn run(client: camunda_sdk::CamundaClient, blocking: camunda_sdk::blocking::CamundaClient) -> camunda_sdk::Result<()> {
/// let deployment = client.deploy_resources_from_files(["order.bpmn"]).tenant_id("tenant-a").send().await?;
/// let same_on_blocking = blocking.deploy_resources_from_files(["order.bpmn"]).tenant_id("tenant-a").send()?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is sent: call `.send()`"]
pub struct CreateDeployment<'a, F: Flavor<'a> = Async<'a>> {
    on: F,
    invalid: Option<Error>,
    parts: Parts,
    tenant_id: Option<TenantId>,
    _client: PhantomData<&'a ()>,
}

impl<'a, F: Flavor<'a>> CreateDeployment<'a, F> {
    fn new(on: F, parts: Parts) -> Self {
        CreateDeployment {
            on,
            invalid: None,
            parts,
            tenant_id: None,
            _client: PhantomData,
        }
    }

    /// Deploys to tenant `value` instead of the client's default tenant. An id that does not
    /// validate is reported by `send()` as [`Error::InvalidArgument`], before anything is read
    /// or sent.
    pub fn tenant_id(mut self, value: impl TryInto<TenantId, Error: Display>) -> Self {
        if let Some(tenant) = request::key(&mut self.invalid, "tenant_id", value) {
            self.tenant_id = Some(tenant);
        }
        self
    }

    /// The flavour and the future of the request: arguments checked, files read, parts
    /// validated, all before anything is sent.
    fn prepare(self) -> (F, impl Future<Output = Result<Call>> + Send + 'a) {
        let CreateDeployment {
            on,
            invalid,
            parts,
            tenant_id,
            ..
        } = self;
        let client = on.client();
        let call = async move {
            request::check(invalid)?;
            let resources = match parts {
                Parts::Resources(resources) => resources,
                Parts::Files(paths) => read_files(&paths).await?,
            };
            check_parts("resources", &resources)?;
            let extra = tenant_id
                .as_ref()
                .or(client.default_tenant())
                .map(|t| vec![("tenantId", t.as_str().to_owned(), None)])
                .unwrap_or_default();
            Ok(Call::new(
                &crate::generated::ops::CREATE_DEPLOYMENT,
                Method::POST,
                "/v2/deployments".into(),
            )
            .multipart(multipart_files("resources", resources, extra)))
        };
        (on, call)
    }

    /// Sends the deployment: a future on the async client, the answer on the blocking one.
    pub fn send(self) -> F::Output<Deployment> {
        let (on, call) = self.prepare();
        let client = on.client();
        on.run(async move {
            let result: DeploymentResult = client.send_json(call.await?).await?;
            Ok(result.into())
        })
    }

    /// Like [`send`](Self::send), with the answer's status and headers.
    pub fn send_with_response(self) -> F::Output<Response<Deployment>> {
        let (on, call) = self.prepare();
        let client = on.client();
        on.run(async move {
            let answer = client
                .send_full(call.await?, read::json::<DeploymentResult>)
                .await?;
            Ok(Response {
                status: answer.status,
                headers: answer.headers,
                body: answer.body.into(),
            })
        })
    }
}

impl<'a, F: AsyncFlavor<'a>> IntoFuture for CreateDeployment<'a, F> {
    type Output = Result<Deployment>;
    type IntoFuture = BoxFuture<'a, Result<Deployment>>;

    fn into_future(self) -> Self::IntoFuture {
        F::boxed(self.send())
    }
}

/// Reads every file before anything is sent, so a bad path costs no request.
async fn read_files(paths: &[PathBuf]) -> Result<Vec<Resource>> {
    if paths.is_empty() {
        return Err(Error::InvalidArgument {
            name: "paths",
            message: "at least one file is needed".into(),
        });
    }
    let mut resources = Vec::with_capacity(paths.len());
    for path in paths {
        resources.push(Resource::from_file(path).await?);
    }
    Ok(resources)
}

fn to_paths<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Parts {
    Parts::Files(
        paths
            .into_iter()
            .map(|p| p.as_ref().to_path_buf())
            .collect(),
    )
}

impl CamundaClient {
    /// Deploys `resources` (BPMN, DMN, forms, other files) in one all-or-nothing deployment,
    /// to the tenant set with [`tenant_id`](CreateDeployment::tenant_id), or else the client's
    /// default tenant (or else the server's default).
    ///
    /// An empty list is an [`Error::InvalidArgument`]. Not retried after an ambiguous failure.
    ///
    /// `POST /v2/deployments` (operation `createDeployment`).
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::deploy::Resource;
    ///
    /// let form = Resource::new("signup.form", r#"{"id":"signup","components":[]}"#);
    /// let deployment = client.create_deployment([form]).send().await?;
    /// assert_eq!(deployment.forms.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn create_deployment(
        &self,
        resources: impl IntoIterator<Item = Resource>,
    ) -> CreateDeployment<'_> {
        CreateDeployment::new(
            Async(self),
            Parts::Resources(resources.into_iter().collect()),
        )
    }

    /// Reads the files at `paths` (without blocking the runtime) and deploys them in one
    /// deployment, like [`create_deployment`](Self::create_deployment).
    ///
    /// Every file is checked and read at `send()`, before anything is sent: a missing path, a
    /// directory or an unreadable file is an [`Error::Io`] naming the path, and no request is
    /// made. An empty list is an [`Error::InvalidArgument`].
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// let deployment = client
    ///     .deploy_resources_from_files(["order.bpmn", "discount.dmn", "signup.form"])
    ///     .tenant_id("tenant-a")
    ///     .send()
    ///     .await?;
    /// println!("{} processes", deployment.processes.len());
    /// # Ok(()) }
    /// ```
    pub fn deploy_resources_from_files<P: AsRef<Path>>(
        &self,
        paths: impl IntoIterator<Item = P>,
    ) -> CreateDeployment<'_> {
        CreateDeployment::new(Async(self), to_paths(paths))
    }
}

impl crate::blocking::CamundaClient {
    /// Deploys `resources` in one all-or-nothing deployment (see
    /// [`crate::CamundaClient::create_deployment`]).
    ///
    /// ```no_run
    /// use camunda_sdk::blocking::CamundaClient;
    /// use camunda_sdk::deploy::Resource;
    ///
    /// let client = CamundaClient::from_env()?;
    /// let bpmn = Resource::new("order.bpmn", std::fs::read("order.bpmn").unwrap());
    /// let deployment = client.create_deployment([bpmn]).send()?;
    /// println!("{:?}", deployment.processes);
    /// # Ok::<(), camunda_sdk::Error>(())
    /// ```
    pub fn create_deployment(
        &self,
        resources: impl IntoIterator<Item = Resource>,
    ) -> CreateDeployment<'_, Blocking<'_>> {
        CreateDeployment::new(
            Blocking(self),
            Parts::Resources(resources.into_iter().collect()),
        )
    }

    /// Reads the files at `paths` and deploys them (see
    /// [`crate::CamundaClient::deploy_resources_from_files`]); nothing is sent unless every file
    /// can be read.
    ///
    /// ```no_run
    /// let client = camunda_sdk::blocking::CamundaClient::from_env()?;
    /// let deployment = client.deploy_resources_from_files(["order.bpmn"]).send()?;
    /// # Ok::<(), camunda_sdk::Error>(())
    /// ```
    pub fn deploy_resources_from_files<P: AsRef<Path>>(
        &self,
        paths: impl IntoIterator<Item = P>,
    ) -> CreateDeployment<'_, Blocking<'_>> {
        CreateDeployment::new(Blocking(self), to_paths(paths))
    }
}
