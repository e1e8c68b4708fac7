//! [`CliProfileProvider`]: the Alibaba Cloud CLI's profile file, `~/.aliyun/config.json`.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::{Map, Value};

use super::env::{vars, Env};
use super::{
    Credentials, CredentialsError, EcsRamRoleProvider, OidcRoleArnProvider, ProvideCredentials,
    ProvideFuture, RamRoleArnProvider,
};

/// Endpoints handed to the providers a profile turns into.
#[derive(Debug, Clone, Default)]
pub(crate) struct Endpoints {
    pub sts: Option<String>,
    pub metadata: Option<String>,
}

/// How a profile assumes a role (RamRoleArn, ChainableRamRoleArn, INI ram_role_arn).
pub(crate) struct RoleSpec {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub duration: Option<u64>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
    pub sts_region: Option<String>,
    pub vpc: Option<bool>,
}

impl Endpoints {
    pub(crate) fn ram_role(
        &self,
        env: &Env,
        source: Arc<dyn ProvideCredentials>,
        spec: RoleSpec,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let mut builder = RamRoleArnProvider::builder_arc(source, spec.role_arn).env(env.clone());
        if let Some(name) = spec.session_name {
            builder = builder.role_session_name(name);
        }
        if let Some(seconds) = spec.duration {
            builder = builder.duration(Duration::from_secs(seconds));
        }
        if let Some(policy) = spec.policy {
            builder = builder.policy(policy);
        }
        if let Some(id) = spec.external_id {
            builder = builder.external_id(id);
        }
        if let Some(region) = spec.sts_region.filter(|r| !r.is_empty()) {
            builder = builder.sts_region(region);
        }
        if let Some(vpc) = spec.vpc {
            builder = builder.vpc_endpoint(vpc);
        }
        if let Some(url) = &self.sts {
            builder = builder.sts_endpoint(url.clone());
        }
        Ok(Arc::new(builder.build()?))
    }

    pub(crate) fn ecs(
        &self,
        env: &Env,
        role_name: Option<String>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let mut builder = EcsRamRoleProvider::builder().env(env.clone());
        if let Some(role) = role_name {
            builder = builder.role_name(role);
        }
        if let Some(url) = &self.metadata {
            builder = builder.metadata_endpoint(url.clone());
        }
        Ok(Arc::new(builder.build()?))
    }
}

/// Where a profile file is, and whether the user named it (a missing file the user named is a
/// failure; a missing default file only means there is nothing to read).
pub(crate) fn locate(
    explicit: Option<&Path>,
    env: &Env,
    variable: &str,
    default: &str,
) -> Result<(PathBuf, bool), CredentialsError> {
    if let Some(path) = explicit {
        return Ok((path.to_owned(), true));
    }
    if let Some(path) = env.var(variable) {
        return Ok((PathBuf::from(path), true));
    }
    match env.home() {
        Some(home) => Ok((home.join(default), false)),
        None => Err(CredentialsError::not_configured(format!(
            "no home directory to look for ~/{default} in (set {variable})"
        ))),
    }
}

/// Reads a profile file; a missing default file is "not configured".
pub(crate) fn read(path: &Path, named: bool, variable: &str) -> Result<String, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => Err(
            CredentialsError::not_configured(format!("{} does not exist", path.display())),
        ),
        Err(e) => Err(CredentialsError::new(format!(
            "{} could not be read (named by {variable} or the builder): {e}",
            path.display()
        ))),
    }
}

/// Credentials as the Alibaba Cloud CLI finds them: the profile `ALIBABA_CLOUD_PROFILE`, else
/// the file's `current`, of `~/.aliyun/config.json` (or `ALIBABA_CLOUD_CONFIG_FILE`).
///
/// Modes: `AK` (`access_key_id`, `access_key_secret`), `StsToken` (and `sts_token`),
/// `RamRoleArn` (an AccessKey and `ram_role_arn`, optional `ram_session_name`,
/// `expired_seconds`, `policy`, `external_id`, `sts_region`, `enable_vpc`), `EcsRamRole`
/// (`ram_role_name`, optional), `OIDC` (`ram_role_arn`, `oidc_provider_arn`, `oidc_token_file`),
/// `ChainableRamRoleArn` (`source_profile` whose credentials assume `ram_role_arn`). The file is
/// read at the first call; the provider it describes is kept from then on. With
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` it provides nothing.
///
/// ```
/// use alibaba_openapi::credentials::{CliProfileProvider, Env};
/// let provider = CliProfileProvider::with_env(Env::from_vars([("ALIBABA_CLOUD_PROFILE", "dev")]))
///     .path("/etc/my-app/aliyun-config.json");
/// ```
pub struct CliProfileProvider {
    env: Env,
    path: Option<PathBuf>,
    profile: Option<String>,
    endpoints: Endpoints,
    inner: OnceLock<Arc<dyn ProvideCredentials>>,
}

impl fmt::Debug for CliProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfileProvider")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("inner", &self.inner.get())
            .finish_non_exhaustive()
    }
}

impl Default for CliProfileProvider {
    fn default() -> Self {
        CliProfileProvider::new()
    }
}

impl CliProfileProvider {
    /// Reads the process environment and home directory.
    pub fn new() -> Self {
        CliProfileProvider::with_env(Env::process())
    }

    /// Reads `env` instead of the process environment and home directory.
    pub fn with_env(env: Env) -> Self {
        CliProfileProvider {
            env,
            path: None,
            profile: None,
            endpoints: Endpoints::default(),
            inner: OnceLock::new(),
        }
    }

    /// Reads this file (default: `ALIBABA_CLOUD_CONFIG_FILE`, else `~/.aliyun/config.json`).
    #[must_use]
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile (default: `ALIBABA_CLOUD_PROFILE`, else the file's `current`).
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Sends the STS requests of role profiles to this URL.
    #[must_use]
    pub fn sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoints.sts = Some(url.into());
        self
    }

    /// Asks this metadata service for `EcsRamRole` profiles (default `http://100.100.100.200`).
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
        if self.env.is_true(vars::CLI_PROFILE_DISABLED) {
            return Err(CredentialsError::not_configured(format!(
                "disabled by {}=true",
                vars::CLI_PROFILE_DISABLED
            )));
        }
        let (path, named) = locate(
            self.path.as_deref(),
            &self.env,
            vars::CONFIG_FILE,
            ".aliyun/config.json",
        )?;
        let text = read(&path, named, vars::CONFIG_FILE)?;
        let file = ConfigFile::parse(&path, &text)?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.var(vars::PROFILE))
            .or(file.current.clone())
            .unwrap_or_else(|| "default".to_owned());
        let provider = file.provider(&name, self, &mut HashSet::new())?;
        Ok(Arc::clone(self.inner.get_or_init(|| provider)))
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.resolve()?.provide_credentials().await })
    }
}

/// `{"current": "...", "profiles": [{"name": "...", "mode": "...", ...}]}`.
struct ConfigFile<'a> {
    path: &'a Path,
    current: Option<String>,
    profiles: Vec<Map<String, Value>>,
}

impl<'a> ConfigFile<'a> {
    fn parse(path: &'a Path, text: &str) -> Result<Self, CredentialsError> {
        let bad = |why: String| CredentialsError::new(format!("{}: {why}", path.display()));
        let json: Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
        let current = match json.get("current") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()).filter(|s| !s.is_empty()),
            Some(_) => return Err(bad("\"current\" is not a string".to_owned())),
        };
        let profiles = match json.get("profiles") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    p.as_object()
                        .cloned()
                        .ok_or_else(|| bad(format!("profiles[{i}] is not an object")))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(bad("\"profiles\" is not a list".to_owned())),
        };
        Ok(ConfigFile {
            path,
            current,
            profiles,
        })
    }

    fn provider(
        &self,
        name: &str,
        settings: &CliProfileProvider,
        visited: &mut HashSet<String>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let path = self.path.display();
        if !visited.insert(name.to_owned()) {
            return Err(CredentialsError::new(format!(
                "{path}: profile \"{name}\" is its own source_profile, through a loop"
            )));
        }
        let object = self
            .profiles
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| {
                CredentialsError::new(format!("{path}: there is no profile named \"{name}\""))
            })?;
        let mode = object
            .get("mode")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .unwrap_or("AK");
        let fields = Fields {
            object,
            place: format!("{path}: profile \"{name}\" (mode {mode})"),
        };
        let env = &settings.env;
        let endpoints = &settings.endpoints;
        let access_key = || -> Result<Credentials, CredentialsError> {
            Ok(Credentials::new(
                fields.required("access_key_id")?,
                fields.required("access_key_secret")?,
            ))
        };
        let role = |fields: &Fields| -> Result<RoleSpec, CredentialsError> {
            Ok(RoleSpec {
                role_arn: fields.required("ram_role_arn")?,
                session_name: fields.string("ram_session_name")?,
                duration: fields.number("expired_seconds")?,
                policy: fields.string("policy")?,
                external_id: fields.string("external_id")?,
                sts_region: fields.string("sts_region")?,
                vpc: fields.boolean("enable_vpc")?,
            })
        };
        let provider: Arc<dyn ProvideCredentials> = match mode {
            "AK" => Arc::new(access_key()?),
            "StsToken" => {
                Arc::new(access_key()?.with_security_token(fields.required("sts_token")?))
            }
            "RamRoleArn" => endpoints
                .ram_role(env, Arc::new(access_key()?), role(&fields)?)
                .map_err(|e| e.context(&fields.place))?,
            "EcsRamRole" => endpoints.ecs(env, fields.string("ram_role_name")?)?,
            "OIDC" => {
                let mut builder = OidcRoleArnProvider::builder()
                    .env(env.clone())
                    .role_arn(fields.required("ram_role_arn")?)
                    .oidc_provider_arn(fields.required("oidc_provider_arn")?)
                    .oidc_token_file(fields.required("oidc_token_file")?);
                if let Some(name) = fields.string("ram_session_name")? {
                    builder = builder.role_session_name(name);
                }
                if let Some(seconds) = fields.number("expired_seconds")? {
                    builder = builder.duration(Duration::from_secs(seconds));
                }
                if let Some(policy) = fields.string("policy")? {
                    builder = builder.policy(policy);
                }
                if let Some(region) = fields.string("sts_region")? {
                    builder = builder.sts_region(region);
                }
                if let Some(vpc) = fields.boolean("enable_vpc")? {
                    builder = builder.vpc_endpoint(vpc);
                }
                if let Some(url) = &endpoints.sts {
                    builder = builder.sts_endpoint(url.clone());
                }
                Arc::new(builder.build().map_err(|e| e.context(&fields.place))?)
            }
            "ChainableRamRoleArn" => {
                let source_name = fields.required("source_profile")?;
                let source = self.provider(&source_name, settings, visited)?;
                endpoints
                    .ram_role(env, source, role(&fields)?)
                    .map_err(|e| e.context(&fields.place))?
            }
            other => {
                return Err(CredentialsError::new(format!(
                    "{path}: profile \"{name}\" has mode {other:?}, which is not supported \
                     (AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn are)"
                )))
            }
        };
        Ok(provider)
    }
}

/// The fields of one profile, with errors that name the file, the profile and the field.
pub(crate) struct Fields<'a> {
    pub object: &'a Map<String, Value>,
    /// `<file>: profile "<name>" (mode <mode>)`.
    pub place: String,
}

impl Fields<'_> {
    fn invalid(&self, field: &str, expected: &str) -> CredentialsError {
        CredentialsError::new(format!("{}: field {field} is not {expected}", self.place))
    }

    /// A string field (a number is taken as its text); empty is absent.
    pub fn string(&self, field: &str) -> Result<Option<String>, CredentialsError> {
        match self.object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(self.invalid(field, "a string")),
        }
    }

    pub fn required(&self, field: &str) -> Result<String, CredentialsError> {
        self.string(field)?.ok_or_else(|| {
            CredentialsError::new(format!("{}: field {field} is missing or empty", self.place))
        })
    }

    /// A whole number of seconds (a numeric string is accepted); zero is absent.
    pub fn number(&self, field: &str) -> Result<Option<u64>, CredentialsError> {
        let value = match self.object.get(field) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => s.trim().parse().ok(),
            Some(_) => None,
        };
        match value {
            Some(0) => Ok(None),
            Some(n) => Ok(Some(n)),
            None => Err(self.invalid(field, "a whole number of seconds")),
        }
    }

    pub fn boolean(&self, field: &str) -> Result<Option<bool>, CredentialsError> {
        match self.object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") || s.is_empty() => {
                Ok(Some(false))
            }
            Some(_) => Err(self.invalid(field, "true or false")),
        }
    }
}
