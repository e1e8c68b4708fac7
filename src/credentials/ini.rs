//! [`CredentialsFileProvider`]: the INI credentials file, `~/.alibabacloud/credentials`.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use super::env::{vars, Env};
use super::profile::{locate, read, Endpoints, Fields, RoleSpec};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// Credentials from the section `ALIBABA_CLOUD_PROFILE` (else `default`) of the INI file
/// `~/.alibabacloud/credentials` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`), as the official SDKs
/// read it:
///
/// ```ini
/// [default]
/// type = access_key                  # access_key_id, access_key_secret
/// access_key_id = LTAI5tExample
/// access_key_secret = ...
///
/// [instance]
/// type = ecs_ram_role                # role_name (optional: asked from the metadata service)
/// role_name = my-instance-role
///
/// [deploy]
/// type = ram_role_arn                # access_key_id, access_key_secret, role_arn; optional
/// access_key_id = LTAI5tExample      # role_session_name, policy, external_id,
/// access_key_secret = ...            # duration_seconds, sts_region, enable_vpc
/// role_arn = acs:ram::1234567890123456:role/deployer
/// ```
///
/// The file is read at the first call; the provider its section describes is kept from then on.
///
/// ```
/// use alibaba_openapi::credentials::{CredentialsFileProvider, Env};
/// let provider = CredentialsFileProvider::with_env(Env::from_vars([("ALIBABA_CLOUD_PROFILE", "deploy")]))
///     .path("/etc/my-app/credentials");
/// ```
pub struct CredentialsFileProvider {
    env: Env,
    path: Option<PathBuf>,
    profile: Option<String>,
    endpoints: Endpoints,
    inner: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl fmt::Debug for CredentialsFileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsFileProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("inner", &self.inner.get())
            .finish_non_exhaustive()
    }
}

impl Default for CredentialsFileProvider {
    fn default() -> Self {
        CredentialsFileProvider::new()
    }
}

impl CredentialsFileProvider {
    /// Reads the process environment and home directory.
    pub fn new() -> Self {
        CredentialsFileProvider::with_env(Env::process())
    }

    /// Reads `env` instead of the process environment and home directory.
    pub fn with_env(env: Env) -> Self {
        CredentialsFileProvider {
            env,
            path: None,
            profile: None,
            endpoints: Endpoints::default(),
            inner: OnceLock::new(),
        }
    }

    /// Reads this file (default: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else
    /// `~/.alibabacloud/credentials`).
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this section (default: `ALIBABA_CLOUD_PROFILE`, else `default`).
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Sends the STS requests of `ram_role_arn` sections to this URL.
    #[must_use]
    pub fn sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoints.sts = Some(url.into());
        self
    }

    /// Asks this metadata service for `ecs_ram_role` sections.
    #[must_use]
    pub fn metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoints.metadata = Some(url.into());
        self
    }

    pub(crate) fn set_endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    fn resolve(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        if let Some(inner) = self.inner.get() {
            return Ok(Arc::clone(inner));
        }
        let (path, named) = locate(
            self.path.as_deref(),
            &self.env,
            vars::CREDENTIALS_FILE,
            ".alibabacloud/credentials",
        )?;
        let text = read(&path, named, vars::CREDENTIALS_FILE)?;
        let shown = path.display();
        let options = ini::ParseOption {
            enabled_escape: false,
            ..ini::ParseOption::default()
        };
        let file = ini::Ini::load_from_str_opt(&text, options)
            .map_err(|e| CredentialsError::new(format!("{shown}: not a valid INI file: {e}")))?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.var(vars::PROFILE))
            .unwrap_or_else(|| "default".to_owned());
        let section = file.section(Some(name.as_str())).ok_or_else(|| {
            CredentialsError::new(format!("{shown}: there is no section [{name}]"))
        })?;
        let object: Map<String, Value> = section
            .iter()
            .map(|(k, v)| (k.trim().to_owned(), Value::String(v.to_owned())))
            .collect();
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        let fields = Fields {
            object: &object,
            place: format!("{shown}: profile [{name}] (type {kind})"),
        };
        let access_key = || -> Result<Credentials, CredentialsError> {
            Ok(Credentials::new(
                fields.required("access_key_id")?,
                fields.required("access_key_secret")?,
            ))
        };
        let env = &self.env;
        let provider: Arc<dyn ProvideCredentials> = match kind.as_str() {
            "access_key" => Arc::new(access_key()?),
            "ecs_ram_role" => self.endpoints.ecs(env, fields.string("role_name")?)?,
            "ram_role_arn" => {
                let spec = RoleSpec {
                    role_arn: fields.required("role_arn")?,
                    session_name: fields.string("role_session_name")?,
                    duration: fields.number("duration_seconds")?,
                    policy: fields.string("policy")?,
                    external_id: fields.string("external_id")?,
                    sts_region: fields.string("sts_region")?,
                    vpc: fields.boolean("enable_vpc")?,
                };
                self.endpoints
                    .ram_role(env, Arc::new(access_key()?), spec)
                    .map_err(|e| e.context(&fields.place))?
            }
            "" => {
                return Err(CredentialsError::new(format!(
                    "{shown}: profile [{name}] has no type (access_key, ecs_ram_role or \
                     ram_role_arn)"
                )))
            }
            other => {
                return Err(CredentialsError::new(format!(
                    "{shown}: profile [{name}] has type {other:?}, which is not supported \
                     (access_key, ecs_ram_role, ram_role_arn are)"
                )))
            }
        };
        Ok(Arc::clone(self.inner.get_or_init(|| provider)))
    }
}

impl ProvideCredentials for CredentialsFileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.resolve()?.provide_credentials().await })
    }
}
