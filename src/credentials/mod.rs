//! Alibaba Cloud credentials and where they come from.
//!
//! A [`Credentials`] value is an AccessKey pair, optionally with an STS security token and an
//! expiration. Clients get them from a [`ProvideCredentials`] implementation, asked before every
//! request. Plain [`Credentials`] provide themselves; [`DefaultChain`] looks for them the way the
//! official Alibaba Cloud CLI and SDKs do, in this order:
//!
//! 1. the environment ([`EnvironmentProvider`]): `ALIBABA_CLOUD_ACCESS_KEY_ID`,
//!    `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN`;
//! 2. an OIDC role ([`OidcRoleArnProvider`]): `ALIBABA_CLOUD_ROLE_ARN`,
//!    `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (STS
//!    `AssumeRoleWithOIDC`, token file re-read at every refresh);
//! 3. the CLI's `~/.aliyun/config.json` ([`CliProfileProvider`]; `ALIBABA_CLOUD_CONFIG_FILE`,
//!    `ALIBABA_CLOUD_PROFILE`; off with `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`);
//! 4. the INI file `~/.alibabacloud/credentials` ([`CredentialsFileProvider`];
//!    `ALIBABA_CLOUD_CREDENTIALS_FILE`, `ALIBABA_CLOUD_PROFILE`);
//! 5. the ECS instance RAM role from the metadata service ([`EcsRamRoleProvider`];
//!    `ALIBABA_CLOUD_ECS_METADATA`; off with `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`;
//!    IMDSv1 fallback off with `ALIBABA_CLOUD_IMDSV1_DISABLED=true`);
//! 6. `ALIBABA_CLOUD_CREDENTIALS_URI` ([`CredentialsUriProvider`]).
//!
//! [`RamRoleArnProvider`] (STS `AssumeRole`, signed with source credentials) serves the
//! `RamRoleArn` / `ChainableRamRoleArn` profiles and can be used on its own. Temporary
//! credentials are cached and refreshed when less than three minutes remain, one refresh at a
//! time; a failed refresh keeps using credentials that are still valid.
//!
//! Every provider reads its variables and home directory from an [`Env`] (the process's by
//! default), and takes its STS and metadata endpoints as settings, so it can be tested
//! without touching the real environment.
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

mod cache;
mod chain;
mod ecs;
mod env;
mod http;
mod ini;
#[macro_use]
mod sts;
mod oidc;
mod profile;
mod uri;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};

use crate::redact::{Secret, REDACTED};

pub use cache::CachedProvider;
pub use chain::{DefaultChain, DefaultChainBuilder};
pub use ecs::{EcsRamRoleProvider, EcsRamRoleProviderBuilder, DEFAULT_METADATA_ENDPOINT};
pub use env::{vars, Env, EnvironmentProvider};
pub use ini::CredentialsFileProvider;
pub use oidc::{OidcRoleArnProvider, OidcRoleArnProviderBuilder};
pub use profile::CliProfileProvider;
pub use sts::{RamRoleArnProvider, RamRoleArnProviderBuilder};
pub use uri::CredentialsUriProvider;

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = vars::ACCESS_KEY_ID;
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = vars::ACCESS_KEY_SECRET;
/// Environment variable holding an STS security token (optional).
pub const ENV_SECURITY_TOKEN: &str = vars::SECURITY_TOKEN;

/// An AccessKey pair, optionally with an STS security token and an expiration.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    expiration: Option<DateTime<Utc>>,
}

impl Credentials {
    /// Long-term credentials: an AccessKey ID and its secret.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret(access_key_secret.into()),
            security_token: None,
            expiration: None,
        }
    }

    /// Adds an STS security token, sent as the `SecurityToken` parameter.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret(token.into()));
        self
    }

    /// Adds the instant the credentials stop working. Caching providers refresh them when less
    /// than three minutes remain.
    ///
    /// ```
    /// use alibaba_openapi::credentials::Credentials;
    /// let at = chrono::Utc::now() + chrono::Duration::hours(1);
    /// let c = Credentials::new("STS.example", "secret").with_expiration(at);
    /// assert_eq!(c.expiration(), Some(at));
    /// ```
    pub fn with_expiration(mut self, expiration: DateTime<Utc>) -> Self {
        self.expiration = Some(expiration);
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

    /// When the credentials stop working; `None` for long-term credentials.
    pub fn expiration(&self) -> Option<DateTime<Utc>> {
        self.expiration
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
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// Why credentials could not be provided.
///
/// Its `Display` is the whole description, causes included (an I/O error, an HTTP failure, what
/// STS answered), and `source()` is always `None`: the causes are already in the text, so a
/// report that walks the chain does not print them twice. Descriptions never hold a secret nor
/// a URL's query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CredentialsError {
    message: String,
    not_configured: bool,
}

impl CredentialsError {
    /// A failure described by `message`: what is missing or wrong, and what to set.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_configured: false,
        }
    }

    /// The provider has nothing to offer here (its variables are not set, its file does not
    /// exist, it is disabled): [`DefaultChain`] reports it as skipped rather than failed.
    pub fn not_configured(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_configured: true,
        }
    }

    /// Whether the provider was simply not configured (see [`CredentialsError::not_configured`]).
    pub fn is_not_configured(&self) -> bool {
        self.not_configured
    }

    /// The description.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, its message prefixed with `context: `.
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

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

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_secret_is_rejected() {
        assert!(Credentials::new("id", "").validate().is_err());
        assert!(Credentials::new("", "s").validate().is_err());
        assert!(Credentials::new("id", "s").validate().is_ok());
    }

    #[test]
    fn errors_show_their_message_once_and_have_no_separate_source() {
        let err = CredentialsError::new("STS could not be reached: connection refused")
            .context("assuming acs:ram::1:role/r");
        assert_eq!(
            err.to_string(),
            "assuming acs:ram::1:role/r: STS could not be reached: connection refused"
        );
        assert!(std::error::Error::source(&err).is_none());
        assert!(CredentialsError::not_configured("x").is_not_configured());
    }

    #[test]
    fn expiration_is_shown_but_secrets_are_not() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let c = Credentials::new("id", "s3cr3t-value")
            .with_security_token("t0k3n-value")
            .with_expiration(at);
        let shown = format!("{c:?}");
        assert!(shown.contains("2027"), "{shown}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("t0k3n"));
    }
}
