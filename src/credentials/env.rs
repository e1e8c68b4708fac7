//! Where providers read variables and the home directory from, and the environment provider.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// The names of every environment variable the credentials providers read.
pub mod vars {
    /// The AccessKey ID (environment provider).
    pub const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    /// The AccessKey secret (environment provider).
    pub const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
    /// An STS security token (environment provider, optional).
    pub const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
    /// The RAM role to assume with an OIDC token.
    pub const ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
    /// The ARN of the OIDC identity provider.
    pub const OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
    /// The file holding the OIDC token, re-read at every refresh.
    pub const OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
    /// The role session name of AssumeRole / AssumeRoleWithOIDC.
    pub const ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
    /// The region whose STS endpoint is used (`sts.<region>.aliyuncs.com`).
    pub const STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
    /// `true`: use the VPC STS endpoint (`sts-vpc.<region>.aliyuncs.com`).
    pub const VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
    /// The CLI profile file (default `~/.aliyun/config.json`).
    pub const CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
    /// The profile to use, in the CLI file and the credentials file.
    pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
    /// `true`: skip the CLI profile file.
    pub const CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
    /// The INI credentials file (default `~/.alibabacloud/credentials`).
    pub const CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
    /// The ECS instance RAM role name (default: asked from the metadata service).
    pub const ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
    /// `true`: skip the ECS metadata service.
    pub const ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
    /// `true`: never call the metadata service without a session token (no IMDSv1 fallback).
    pub const IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
    /// A URL that answers credentials as JSON.
    pub const CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";
    /// The STS endpoint URL, ahead of the region rule.
    pub const ENDPOINT_URL_STS: &str = "ALIBABA_CLOUD_ENDPOINT_URL_STS";
    /// The endpoint URL of every product (STS included), after the product's own variable.
    pub const ENDPOINT_URL: &str = "ALIBABA_CLOUD_ENDPOINT_URL";
}

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// The environment a provider sees: variables and a home directory.
///
/// [`Env::process`] is the real one; tests give a map and a temporary directory instead, so no
/// test reads the real environment or home directory.
///
/// ```
/// use alibaba_openapi::credentials::Env;
/// let env = Env::from_vars([("ALIBABA_CLOUD_PROFILE", "dev")]).with_home("/tmp/home");
/// assert_eq!(env.var("ALIBABA_CLOUD_PROFILE").as_deref(), Some("dev"));
/// assert_eq!(env.var("HOME"), None);
/// assert_eq!(env.home().unwrap().to_str(), Some("/tmp/home"));
/// ```
#[derive(Clone)]
pub struct Env {
    lookup: Arc<Lookup>,
    home: Option<PathBuf>,
}

impl Env {
    /// The process environment; the home directory from `HOME` (`USERPROFILE` on Windows).
    pub fn process() -> Env {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Env {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            home,
        }
    }

    /// These variables and no others, and no home directory (see [`Env::with_home`]).
    pub fn from_vars<I, K, V>(vars: I) -> Env
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env::from_fn(move |name| map.get(name).cloned())
    }

    /// Variables from a function, and no home directory (see [`Env::with_home`]).
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Env {
        Env {
            lookup: Arc::new(lookup),
            home: None,
        }
    }

    /// Uses `dir` as the home directory (where `.aliyun/` and `.alibabacloud/` are looked for).
    pub fn with_home(mut self, dir: impl Into<PathBuf>) -> Env {
        self.home = Some(dir.into());
        self
    }

    /// A variable's value, trimmed; `None` when unset or blank.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Whether a variable is `true` (any case).
    pub fn is_true(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }
}

impl Default for Env {
    fn default() -> Env {
        Env::process()
    }
}

/// Shows the home directory; variables may hold secrets and are not shown.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

/// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, optionally,
/// `ALIBABA_CLOUD_SECURITY_TOKEN` on every call (from the process environment unless given
/// another [`Env`]).
///
/// ```
/// # tokio_test_block(async {
/// use alibaba_openapi::credentials::{Env, EnvironmentProvider, ProvideCredentials};
/// let env = Env::from_vars([
///     ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tExample"),
///     ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
/// ]);
/// let creds = EnvironmentProvider::with_env(env).provide_credentials().await.unwrap();
/// assert_eq!(creds.access_key_id(), "LTAI5tExample");
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EnvironmentProvider {
    env: Option<Env>,
}

impl EnvironmentProvider {
    /// A provider that reads the process environment.
    pub fn new() -> Self {
        EnvironmentProvider { env: None }
    }

    /// A provider that reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        EnvironmentProvider { env: Some(env) }
    }

    fn read(&self) -> Result<Credentials, CredentialsError> {
        let process;
        let env = match &self.env {
            Some(env) => env,
            None => {
                process = Env::process();
                &process
            }
        };
        from_env(env)
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.read();
        Box::pin(async move { result })
    }
}

/// Credentials from the three variables.
pub(crate) fn from_env(env: &Env) -> Result<Credentials, CredentialsError> {
    use vars::{ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN};
    match (env.var(ACCESS_KEY_ID), env.var(ACCESS_KEY_SECRET)) {
        (Some(id), Some(secret)) => {
            let creds = Credentials::new(id, secret);
            Ok(match env.var(SECURITY_TOKEN) {
                Some(token) => creds.with_security_token(token),
                None => creds,
            })
        }
        (Some(_), None) => Err(CredentialsError::new(format!(
            "{ACCESS_KEY_ID} is set but {ACCESS_KEY_SECRET} is not"
        ))),
        (None, Some(_)) => Err(CredentialsError::new(format!(
            "{ACCESS_KEY_SECRET} is set but {ACCESS_KEY_ID} is not"
        ))),
        (None, None) => Err(CredentialsError::not_configured(format!(
            "{ACCESS_KEY_ID} and {ACCESS_KEY_SECRET} are not set"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::vars::*;
    use super::*;

    #[test]
    fn environment_with_token_gives_sts_credentials() {
        let env = Env::from_vars([
            (ACCESS_KEY_ID, "id"),
            (ACCESS_KEY_SECRET, "secret"),
            (SECURITY_TOKEN, "token"),
        ]);
        let c = from_env(&env).unwrap();
        assert_eq!(c.access_key_id(), "id");
        assert_eq!(c.access_key_secret(), "secret");
        assert_eq!(c.security_token(), Some("token"));
    }

    #[test]
    fn missing_secret_names_the_variable() {
        let err = from_env(&Env::from_vars([(ACCESS_KEY_ID, "id")])).unwrap_err();
        assert!(err.message().contains(ACCESS_KEY_SECRET), "{err}");
        assert!(!err.is_not_configured());
        let err = from_env(&Env::from_vars([(ACCESS_KEY_ID, " ")])).unwrap_err();
        assert!(err.message().contains(ACCESS_KEY_ID), "{err}");
        assert!(err.is_not_configured(), "blank is unset");
    }

    #[test]
    fn flags_are_true_in_any_case() {
        let env = Env::from_vars([("A", "TRUE"), ("B", "1"), ("C", "true ")]);
        assert!(env.is_true("A") && !env.is_true("B") && env.is_true("C"));
        assert!(!env.is_true("D"));
        assert!(!format!("{env:?}").contains("TRUE"));
    }
}
