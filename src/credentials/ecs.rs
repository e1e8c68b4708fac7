//! [`EcsRamRoleProvider`]: the RAM role of an ECS instance, from the metadata service.

use std::fmt;
use std::time::Duration;

use super::cache::Cache;
use super::env::{vars, Env};
use super::http::{self, Http};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// The ECS metadata service.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
/// Asks for a session token (IMDSv2).
const TOKEN_PATH: &str = "/latest/api/token";
/// Lists the instance's RAM role; `<role>` after it gives its credentials.
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
/// How long a session token is asked to last, in seconds.
const TOKEN_TTL_SECONDS: &str = "21600";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";

/// Credentials of the RAM role attached to the ECS instance, from the metadata service
/// (`http://100.100.100.200`), cached and refreshed before they expire.
///
/// Each refresh first asks for a session token (`PUT /latest/api/token`, IMDSv2) and sends it
/// with the next requests; when that fails it goes on without one (IMDSv1), unless
/// `ALIBABA_CLOUD_IMDSV1_DISABLED=true` or [`imdsv1_disabled`](EcsRamRoleProviderBuilder::imdsv1_disabled).
/// The role name is `ALIBABA_CLOUD_ECS_METADATA` or asked from the service. Every request
/// has one second to connect and one to answer.
///
/// ```
/// use alibaba_openapi::credentials::{EcsRamRoleProvider, Env};
/// let provider = EcsRamRoleProvider::builder()
///     .role_name("my-instance-role")
///     .env(Env::from_vars(Vec::<(String, String)>::new()))
///     .build()?;
/// # Ok::<(), alibaba_openapi::credentials::CredentialsError>(())
/// ```
pub struct EcsRamRoleProvider {
    role_name: Option<String>,
    endpoint: String,
    imdsv1_disabled: bool,
    http: Http,
    cache: Cache,
}

impl fmt::Debug for EcsRamRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcsRamRoleProvider")
            .field("role_name", &self.role_name)
            .field("endpoint", &self.endpoint)
            .field("imdsv1_disabled", &self.imdsv1_disabled)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl EcsRamRoleProvider {
    /// Starts building a provider.
    pub fn builder() -> EcsRamRoleProviderBuilder {
        EcsRamRoleProviderBuilder::default()
    }

    fn what(&self) -> String {
        format!(
            "the ECS metadata service at {}",
            http::shown_url(&self.endpoint)
        )
    }

    async fn token(&self) -> Result<String, CredentialsError> {
        let request = self
            .http
            .client()?
            .put(format!("{}{TOKEN_PATH}", self.endpoint))
            .header(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS);
        let reply = http::send(request, &self.what()).await?;
        let token = reply.text().trim().to_owned();
        if reply.status != 200 || token.is_empty() {
            return Err(CredentialsError::new(format!(
                "{} answered HTTP {} to the session token request",
                self.what(),
                reply.status
            )));
        }
        Ok(token)
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<http::Reply, CredentialsError> {
        let mut request = self.http.client()?.get(format!("{}{path}", self.endpoint));
        if let Some(token) = token {
            request = request.header(TOKEN_HEADER, token);
        }
        http::send(request, &self.what()).await
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = match self.token().await {
            Ok(token) => Some(token),
            Err(e) if self.imdsv1_disabled => {
                return Err(e.context(format_args!(
                    "no metadata session token, and the IMDSv1 fallback is disabled \
                     ({}=true)",
                    vars::IMDSV1_DISABLED
                )))
            }
            Err(e) => {
                tracing::debug!(error = %e, "no metadata session token; falling back to IMDSv1");
                None
            }
        };
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => {
                let reply = self.get(CREDENTIALS_PATH, token.as_deref()).await?;
                let text = reply.text();
                let role = text.lines().map(str::trim).find(|l| !l.is_empty());
                match (reply.status, role) {
                    (200, Some(role)) => role.to_owned(),
                    (404, _) | (200, None) => {
                        return Err(CredentialsError::new(format!(
                            "{} knows no RAM role attached to this instance; attach one, or \
                             name it in {}",
                            self.what(),
                            vars::ECS_METADATA
                        )))
                    }
                    (status, _) => {
                        return Err(CredentialsError::new(format!(
                            "{} answered HTTP {status} when asked for the RAM role name",
                            self.what()
                        )))
                    }
                }
            }
        };
        let reply = self
            .get(&format!("{CREDENTIALS_PATH}{role}"), token.as_deref())
            .await?;
        http::credentials_json(&reply, &format!("{} (role {role})", self.what()))
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get("ECS RAM role", || self.fetch()))
    }
}

/// Builds an [`EcsRamRoleProvider`].
#[derive(Debug, Default)]
#[must_use]
pub struct EcsRamRoleProviderBuilder {
    role_name: Option<String>,
    endpoint: Option<String>,
    imdsv1_disabled: Option<bool>,
    env: Option<Env>,
}

impl EcsRamRoleProviderBuilder {
    /// The instance's RAM role (default: `ALIBABA_CLOUD_ECS_METADATA`, else asked from the
    /// metadata service).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into()).filter(|n| !n.trim().is_empty());
        self
    }

    /// The metadata service's base URL (default `http://100.100.100.200`).
    pub fn metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Never calls the metadata service without a session token (default:
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED`).
    pub fn imdsv1_disabled(mut self, disabled: bool) -> Self {
        self.imdsv1_disabled = Some(disabled);
        self
    }

    /// Reads variables from `env` instead of the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Builds the provider. With `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` the error
    /// [is "not configured"](CredentialsError::is_not_configured).
    pub fn build(self) -> Result<EcsRamRoleProvider, CredentialsError> {
        let env = self.env.unwrap_or_else(Env::process);
        if env.is_true(vars::ECS_METADATA_DISABLED) {
            return Err(CredentialsError::not_configured(format!(
                "disabled by {}=true",
                vars::ECS_METADATA_DISABLED
            )));
        }
        let endpoint = self
            .endpoint
            .map(|url| {
                // The metadata service speaks plain HTTP: a bare host gets `http://`.
                let url = url.trim().trim_end_matches('/');
                if url.contains("://") {
                    url.to_owned()
                } else {
                    format!("http://{url}")
                }
            })
            .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned());
        Ok(EcsRamRoleProvider {
            role_name: self.role_name.or_else(|| env.var(vars::ECS_METADATA)),
            endpoint,
            imdsv1_disabled: self
                .imdsv1_disabled
                .unwrap_or_else(|| env.is_true(vars::IMDSV1_DISABLED)),
            http: Http::new(Duration::from_secs(1), Duration::from_secs(1)).without_proxy(),
            cache: Cache::default(),
        })
    }
}
