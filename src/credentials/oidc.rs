//! [`OidcRoleArnProvider`]: a RAM role assumed with an OIDC token (STS `AssumeRoleWithOIDC`),
//! as in ACK/Kubernetes RRSA.

use std::fmt;
use std::path::PathBuf;

use super::cache::Cache;
use super::env::vars;
use super::http::Http;
use super::sts;
use super::sts::{Session, SessionSettings};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// Assumes a RAM role with an OIDC token read from a file (STS `AssumeRoleWithOIDC`, which is
/// not signed), and caches the role's temporary credentials. The token file is read again at
/// every refresh, since whoever writes it rotates the token.
///
/// What the builder is not told comes from `ALIBABA_CLOUD_ROLE_ARN`,
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME`; the STS endpoint as for
/// [`RamRoleArnProvider`](super::RamRoleArnProvider).
///
/// ```
/// use alibaba_openapi::credentials::{Env, OidcRoleArnProvider};
/// let provider = OidcRoleArnProvider::builder()
///     .role_arn("acs:ram::1234567890123456:role/my-role")
///     .oidc_provider_arn("acs:ram::1234567890123456:oidc-provider/my-cluster")
///     .oidc_token_file("/var/run/secrets/tokens/oidc-token")
///     .env(Env::from_vars(Vec::<(String, String)>::new()))
///     .build()?;
/// # Ok::<(), alibaba_openapi::credentials::CredentialsError>(())
/// ```
pub struct OidcRoleArnProvider {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    session: Session,
    http: Http,
    cache: Cache,
}

impl fmt::Debug for OidcRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("oidc_token_file", &self.token_file)
            .field("session", &self.session)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl OidcRoleArnProvider {
    /// Starts building a provider.
    pub fn builder() -> OidcRoleArnProviderBuilder {
        OidcRoleArnProviderBuilder::default()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let path = self.token_file.display();
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            CredentialsError::new(format!("the OIDC token file {path} could not be read: {e}"))
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::new(format!(
                "the OIDC token file {path} is empty"
            )));
        }
        let mut fields = vec![
            ("RoleArn", self.role_arn.clone()),
            ("OIDCProviderArn", self.oidc_provider_arn.clone()),
            ("OIDCToken", token.to_owned()),
        ];
        self.session.push_fields(&mut fields);
        sts::assume_role_with_oidc(&self.http, &self.session.endpoint, &fields)
            .await
            .map_err(|e| {
                e.context(format_args!(
                    "assuming {} with an OIDC token",
                    self.role_arn
                ))
            })
    }
}

impl ProvideCredentials for OidcRoleArnProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get("OIDC role ARN", || self.fetch()))
    }
}

/// Builds an [`OidcRoleArnProvider`].
#[derive(Debug, Default)]
#[must_use]
pub struct OidcRoleArnProviderBuilder {
    role_arn: Option<String>,
    oidc_provider_arn: Option<String>,
    token_file: Option<PathBuf>,
    session: SessionSettings,
}

impl OidcRoleArnProviderBuilder {
    /// `RoleArn`: the role to assume (default: `ALIBABA_CLOUD_ROLE_ARN`).
    pub fn role_arn(mut self, arn: impl Into<String>) -> Self {
        self.role_arn = Some(arn.into()).filter(|v| !v.is_empty());
        self
    }

    /// `OIDCProviderArn` (default: `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`).
    pub fn oidc_provider_arn(mut self, arn: impl Into<String>) -> Self {
        self.oidc_provider_arn = Some(arn.into()).filter(|v| !v.is_empty());
        self
    }

    /// The file holding the OIDC token (default: `ALIBABA_CLOUD_OIDC_TOKEN_FILE`).
    pub fn oidc_token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token_file = Some(path.into()).filter(|p| !p.as_os_str().is_empty());
        self
    }

    role_session_setters!();

    /// Builds the provider. When the role ARN, the OIDC provider ARN or the token file is
    /// neither given nor in the environment, the error
    /// [is "not configured"](CredentialsError::is_not_configured) and names the variables.
    pub fn build(mut self) -> Result<OidcRoleArnProvider, CredentialsError> {
        let env = self.session.env();
        let role_arn = self.role_arn.or_else(|| env.var(vars::ROLE_ARN));
        let provider_arn = self
            .oidc_provider_arn
            .or_else(|| env.var(vars::OIDC_PROVIDER_ARN));
        let token_file = self
            .token_file
            .or_else(|| env.var(vars::OIDC_TOKEN_FILE).map(PathBuf::from));
        let (Some(role_arn), Some(oidc_provider_arn), Some(token_file)) =
            (role_arn.clone(), provider_arn.clone(), token_file.clone())
        else {
            let missing: Vec<&str> = [
                (role_arn.is_none(), vars::ROLE_ARN),
                (provider_arn.is_none(), vars::OIDC_PROVIDER_ARN),
                (token_file.is_none(), vars::OIDC_TOKEN_FILE),
            ]
            .into_iter()
            .filter_map(|(missing, name)| missing.then_some(name))
            .collect();
            let message = format!("{} not set", missing.join(", "));
            // Some but not all set is a mistake worth reporting as such.
            return Err(if missing.len() == 3 {
                CredentialsError::not_configured(format!("{message} (all three are needed)"))
            } else {
                CredentialsError::new(format!("{message} (all three are needed)"))
            });
        };
        let session = self.session.settle(&env)?;
        Ok(OidcRoleArnProvider {
            http: session.http(),
            session,
            role_arn,
            oidc_provider_arn,
            token_file,
            cache: Cache::default(),
        })
    }
}
