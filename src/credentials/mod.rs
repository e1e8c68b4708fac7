//! Alibaba Cloud credentials and where they come from.
//!
//! A [`Credentials`] value is an AccessKey pair, optionally with an STS security token.
//! Clients get them from a [`ProvideCredentials`] implementation, called before every request;
//! plain [`Credentials`] provide themselves, and [`EnvironmentProvider`] reads
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, optionally,
//! `ALIBABA_CLOUD_SECURITY_TOKEN`.
//!
//! Secrets never appear in `Debug` output:
//!
//! ```
//! use alibaba_openapi::credentials::Credentials;
//! let c = Credentials::new("LTAI5tExample", "my-secret").with_security_token("my-token");
//! let shown = format!("{c:?}");
//! assert!(shown.contains("LTAI5tExample"));
//! assert!(!shown.contains("my-secret") && !shown.contains("my-token"));
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::redact::{Secret, REDACTED};

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token (optional).
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// An AccessKey pair, optionally with an STS security token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
}

impl Credentials {
    /// Long-term credentials: an AccessKey ID and its secret.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret(access_key_secret.into()),
            security_token: None,
        }
    }

    /// Adds an STS security token, sent as the `SecurityToken` parameter.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret(token.into()));
        self
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret. Never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret.0
    }

    /// The STS security token, if any. Never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(|s| s.0.as_str())
    }

    /// Checks that the ID and secret are both present.
    pub(crate) fn validate(&self) -> Result<(), CredentialsError> {
        if self.access_key_id.trim().is_empty() {
            return Err(CredentialsError::new("the AccessKey ID is empty"));
        }
        if self.access_key_secret.0.is_empty() {
            return Err(CredentialsError::new(format!(
                "the AccessKey secret of {} is empty",
                self.access_key_id
            )));
        }
        Ok(())
    }

    /// Reads credentials from a variable lookup (the process environment in practice).
    pub(crate) fn from_lookup(
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, CredentialsError> {
        let non_empty = |name| lookup(name).filter(|v: &String| !v.is_empty());
        match (
            non_empty(ENV_ACCESS_KEY_ID),
            non_empty(ENV_ACCESS_KEY_SECRET),
        ) {
            (Some(id), Some(secret)) => {
                let creds = Credentials::new(id, secret);
                Ok(match non_empty(ENV_SECURITY_TOKEN) {
                    Some(token) => creds.with_security_token(token),
                    None => creds,
                })
            }
            (Some(_), None) => Err(CredentialsError::new(format!(
                "{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"
            ))),
            (None, _) => Err(CredentialsError::new(format!(
                "no credentials were given to the client builder and {ENV_ACCESS_KEY_ID} / \
                 {ENV_ACCESS_KEY_SECRET} are not set; set them, or pass \
                 `.credentials(Credentials::new(id, secret))`"
            ))),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &REDACTED)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| REDACTED),
            )
            .finish()
    }
}

/// Why credentials could not be provided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// A failure described by `message`: what is missing or wrong, and what to set.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
        }
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The future a [`ProvideCredentials`] implementation returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before every request. Implement it to plug in your own.
///
/// ```
/// use alibaba_openapi::credentials::{Credentials, ProvideCredentials, ProvideFuture};
///
/// #[derive(Debug)]
/// struct FromVault;
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> ProvideFuture<'_> {
///         Box::pin(async { Ok(Credentials::new("LTAI5tExample", "fetched-secret")) })
///     }
/// }
/// ```
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Returns credentials valid for the next request.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

/// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, optionally,
/// `ALIBABA_CLOUD_SECURITY_TOKEN` from the process environment on every call.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EnvironmentProvider;

impl EnvironmentProvider {
    /// A provider that reads the process environment.
    pub fn new() -> Self {
        EnvironmentProvider
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async { Credentials::from_lookup(&|name| std::env::var(name).ok()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn environment_with_token_gives_sts_credentials() {
        let c = Credentials::from_lookup(&lookup(&[
            (ENV_ACCESS_KEY_ID, "id"),
            (ENV_ACCESS_KEY_SECRET, "secret"),
            (ENV_SECURITY_TOKEN, "token"),
        ]))
        .unwrap();
        assert_eq!(c.access_key_id(), "id");
        assert_eq!(c.access_key_secret(), "secret");
        assert_eq!(c.security_token(), Some("token"));
    }

    #[test]
    fn missing_secret_names_the_variable() {
        let err = Credentials::from_lookup(&lookup(&[(ENV_ACCESS_KEY_ID, "id")])).unwrap_err();
        assert!(err.message().contains(ENV_ACCESS_KEY_SECRET), "{err}");
        let err = Credentials::from_lookup(&lookup(&[])).unwrap_err();
        assert!(err.message().contains(ENV_ACCESS_KEY_ID), "{err}");
    }

    #[test]
    fn empty_secret_is_rejected() {
        assert!(Credentials::new("id", "").validate().is_err());
        assert!(Credentials::new("", "s").validate().is_err());
        assert!(Credentials::new("id", "s").validate().is_ok());
    }
}
