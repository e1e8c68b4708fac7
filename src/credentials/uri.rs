//! [`CredentialsUriProvider`]: credentials from a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`).

use std::fmt;
use std::time::Duration;

use super::cache::Cache;
use super::env::{vars, Env};
use super::http::{self, Http};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// Credentials from a URL that answers `GET` with the metadata service's JSON,
/// `{"Code":"Success","AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}`; cached
/// and refreshed before they expire.
///
/// ```
/// use alibaba_openapi::credentials::{CredentialsUriProvider, Env};
/// let env = Env::from_vars([("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:8080/credentials")]);
/// let provider = CredentialsUriProvider::from_env(&env)?;
/// assert_eq!(provider.uri(), "http://127.0.0.1:8080/credentials");
/// # Ok::<(), alibaba_openapi::credentials::CredentialsError>(())
/// ```
pub struct CredentialsUriProvider {
    uri: String,
    http: Http,
    cache: Cache,
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URI may carry a token in its query or user info: show only scheme, host and path.
        f.debug_struct("CredentialsUriProvider")
            .field("uri", &http::shown_url(&self.uri))
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl CredentialsUriProvider {
    /// Fetches credentials from `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        CredentialsUriProvider {
            uri: uri.into().trim().to_owned(),
            http: Http::new(Duration::from_secs(5), Duration::from_secs(10)),
            cache: Cache::default(),
        }
    }

    /// Fetches credentials from `ALIBABA_CLOUD_CREDENTIALS_URI`; when it is not set the error
    /// [is "not configured"](CredentialsError::is_not_configured).
    pub fn from_env(env: &Env) -> Result<Self, CredentialsError> {
        env.var(vars::CREDENTIALS_URI)
            .map(CredentialsUriProvider::new)
            .ok_or_else(|| {
                CredentialsError::not_configured(format!("{} is not set", vars::CREDENTIALS_URI))
            })
    }

    /// How long to wait for the service to accept the connection (default 5 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.http = self.http.with_connect_timeout(timeout);
        self
    }

    /// How long to wait for the service to answer once connected (default 10 s).
    #[must_use]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.http = self.http.with_read_timeout(timeout);
        self
    }

    /// The URI credentials are fetched from.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let what = format!("the credentials URI {}", http::shown_url(&self.uri));
        let request = self.http.client()?.get(&self.uri);
        let reply = http::send(request, &what).await?;
        http::credentials_json(&reply, &what)
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get("credentials URI", || self.fetch()))
    }
}
