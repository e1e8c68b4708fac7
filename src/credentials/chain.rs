//! [`DefaultChain`]: the official default credentials chain.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use super::env::{self, vars, Env};
use super::profile::Endpoints;
use super::{
    CliProfileProvider, CredentialsError, CredentialsFileProvider, CredentialsUriProvider,
    EcsRamRoleProvider, OidcRoleArnProvider, ProvideCredentials, ProvideFuture,
};

/// The index of the ECS step, whose failures get a hint.
const ECS_STEP: usize = 4;

/// One provider of the chain, or why it could not even be set up.
struct Step {
    name: &'static str,
    provider: Result<Arc<dyn ProvideCredentials>, CredentialsError>,
}

/// Looks for credentials the way the official Alibaba Cloud CLI and SDKs do, in this order:
///
/// 1. environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional
///    `ALIBABA_CLOUD_SECURITY_TOKEN` ([`EnvironmentProvider`](super::EnvironmentProvider));
/// 2. OIDC role: `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` ([`OidcRoleArnProvider`]);
/// 3. CLI profile: `~/.aliyun/config.json` ([`CliProfileProvider`]);
/// 4. credentials file: `~/.alibabacloud/credentials` ([`CredentialsFileProvider`]);
/// 5. ECS instance RAM role: the metadata service ([`EcsRamRoleProvider`]);
/// 6. credentials URI: `ALIBABA_CLOUD_CREDENTIALS_URI` ([`CredentialsUriProvider`]).
///
/// The first that provides credentials is remembered and asked alone from then on (its own
/// cache refreshes temporary credentials; its errors are returned as they are). Until one
/// works, every call walks the chain, one walk at a time; when none works the error lists each
/// provider, why it was skipped or how it failed, and what to set.
///
/// Variables are read when the chain is built (the environment step reads them at every call
/// until a provider is remembered), files at the first call that reaches them.
///
/// ```
/// use alibaba_openapi::credentials::{DefaultChain, Env};
/// // What `aliyun::Client` uses when given no credentials:
/// let chain = DefaultChain::new();
/// // In tests: no real environment, no real home directory, a local STS and metadata service.
/// let chain = DefaultChain::builder()
///     .env(Env::from_vars([("ALIBABA_CLOUD_PROFILE", "dev")]))
///     .home("/tmp/test-home")
///     .sts_endpoint("http://127.0.0.1:8080")
///     .metadata_endpoint("http://127.0.0.1:8080")
///     .build();
/// ```
pub struct DefaultChain {
    env: Env,
    steps: Vec<Step>,
    /// The index of the step that worked.
    chosen: Mutex<Option<usize>>,
    /// Held while walking the chain, so concurrent first calls walk it once.
    walking: tokio::sync::Mutex<()>,
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chosen = self.chosen();
        f.debug_struct("DefaultChain")
            .field(
                "providers",
                &self.steps.iter().map(|s| s.name).collect::<Vec<_>>(),
            )
            .field("chosen", &chosen.map(|i| self.steps[i].name))
            .field("provider", &chosen.map(|i| &self.steps[i].provider))
            .finish_non_exhaustive()
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        DefaultChain::new()
    }
}

impl DefaultChain {
    /// The chain over the process environment, the real home directory and the real endpoints.
    pub fn new() -> Self {
        DefaultChain::builder().build()
    }

    /// Configures a chain: its environment, home directory and endpoints.
    pub fn builder() -> DefaultChainBuilder {
        DefaultChainBuilder::default()
    }

    /// The name of the provider that worked, once one has.
    ///
    /// One of `environment`, `OIDC role`, `CLI profile`, `credentials file`,
    /// `ECS instance RAM role`, `credentials URI`.
    pub fn chosen_provider(&self) -> Option<&'static str> {
        self.chosen().map(|i| self.steps[i].name)
    }

    fn chosen(&self) -> Option<usize> {
        *self.chosen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn provide(&self) -> Result<super::Credentials, CredentialsError> {
        if let Some(i) = self.chosen() {
            return self.ask(i).await;
        }
        let _walking = self.walking.lock().await;
        if let Some(i) = self.chosen() {
            return self.ask(i).await;
        }
        let mut report = Vec::with_capacity(self.steps.len());
        for (i, step) in self.steps.iter().enumerate() {
            let outcome = match self.ask(i).await {
                Ok(credentials) => {
                    *self.chosen.lock().unwrap_or_else(PoisonError::into_inner) = Some(i);
                    tracing::debug!(provider = step.name, "credentials found");
                    return Ok(credentials);
                }
                Err(e) if e.is_not_configured() => format!("skipped, {e}"),
                Err(e) if i == ECS_STEP => format!(
                    "failed, {e} (not on ECS? set {}=true to skip it)",
                    vars::ECS_METADATA_DISABLED
                ),
                Err(e) => format!("failed, {e}"),
            };
            report.push(format!("({}) {}: {outcome}", i + 1, step.name));
        }
        Err(CredentialsError::new(format!(
            "no Alibaba Cloud credentials were found; tried, in order: {}. Set {} and {} \
             (and {} for STS credentials), name a profile in {} or {}, or give the client \
             builder credentials",
            report.join("; "),
            vars::ACCESS_KEY_ID,
            vars::ACCESS_KEY_SECRET,
            vars::SECURITY_TOKEN,
            vars::CONFIG_FILE,
            vars::CREDENTIALS_FILE,
        )))
    }

    async fn ask(&self, i: usize) -> Result<super::Credentials, CredentialsError> {
        if i == 0 {
            // The environment is read at every call, as the official SDKs do.
            return env::from_env(&self.env);
        }
        match &self.steps[i].provider {
            Ok(provider) => provider.provide_credentials().await,
            Err(e) => Err(e.clone()),
        }
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.provide())
    }
}

/// Builds a [`DefaultChain`]. Everything left unset is the real thing: the process
/// environment, the home directory of `HOME`, STS at its regional rule, the metadata service at
/// `http://100.100.100.200`.
#[derive(Debug, Default)]
#[must_use]
pub struct DefaultChainBuilder {
    env: Option<Env>,
    home: Option<PathBuf>,
    endpoints: Endpoints,
}

impl DefaultChainBuilder {
    /// Reads variables (and the home directory, unless [`home`](Self::home) is set) from `env`
    /// instead of the process.
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Uses `dir` as the home directory (`.aliyun/config.json`, `.alibabacloud/credentials`).
    pub fn home(mut self, dir: impl Into<PathBuf>) -> Self {
        self.home = Some(dir.into());
        self
    }

    /// Sends every STS request (`AssumeRole`, `AssumeRoleWithOIDC`) to this URL, ahead of
    /// `ALIBABA_CLOUD_ENDPOINT_URL_STS`, `ALIBABA_CLOUD_ENDPOINT_URL` and the region rule.
    pub fn sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoints.sts = Some(url.into());
        self
    }

    /// Asks this ECS metadata service (default `http://100.100.100.200`).
    pub fn metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoints.metadata = Some(url.into());
        self
    }

    /// Builds the chain. Nothing is read from disk or the network yet.
    pub fn build(self) -> DefaultChain {
        let mut env = self.env.unwrap_or_else(Env::process);
        if let Some(home) = self.home {
            env = env.with_home(home);
        }
        let endpoints = self.endpoints;
        let oidc = {
            let mut builder = OidcRoleArnProvider::builder().env(env.clone());
            if let Some(url) = &endpoints.sts {
                builder = builder.sts_endpoint(url.clone());
            }
            builder.build().map(arc)
        };
        let ecs = {
            let mut builder = EcsRamRoleProvider::builder().env(env.clone());
            if let Some(url) = &endpoints.metadata {
                builder = builder.metadata_endpoint(url.clone());
            }
            builder.build().map(arc)
        };
        let steps = vec![
            Step {
                name: "environment",
                // Read at every call: see `DefaultChain::ask`.
                provider: Err(CredentialsError::not_configured("")),
            },
            Step {
                name: "OIDC role",
                provider: oidc,
            },
            Step {
                name: "CLI profile",
                provider: Ok(arc(
                    CliProfileProvider::with_env(env.clone()).set_endpoints(endpoints.clone())
                )),
            },
            Step {
                name: "credentials file",
                provider: Ok(arc(
                    CredentialsFileProvider::with_env(env.clone()).set_endpoints(endpoints.clone())
                )),
            },
            Step {
                name: "ECS instance RAM role",
                provider: ecs,
            },
            Step {
                name: "credentials URI",
                provider: CredentialsUriProvider::from_env(&env).map(arc),
            },
        ];
        DefaultChain {
            env,
            steps,
            chosen: Mutex::new(None),
            walking: tokio::sync::Mutex::new(()),
        }
    }
}

fn arc(provider: impl ProvideCredentials + 'static) -> Arc<dyn ProvideCredentials> {
    Arc::new(provider)
}
