//! STS: `AssumeRole` signed with source credentials (signature v1), `AssumeRoleWithOIDC`
//! (unsigned), the endpoint rule, and [`RamRoleArnProvider`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;

use super::cache::Cache;
use super::env::{vars, Env};
use super::http::{self, Http, Reply};
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::aliyun::sign::percent_encode;
use crate::aliyun::wire::{self, SignatureVersion, Unsigned};
use crate::aliyun::{ParamLocation, Params};

/// The STS API version.
const VERSION: &str = "2015-04-01";
/// STS refuses sessions shorter than this.
const MIN_DURATION: Duration = Duration::from_secs(900);
/// The session length asked for unless told otherwise.
pub(crate) const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

/// How long to wait for STS to accept a connection unless told otherwise (the official SDKs' 5 s).
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for STS to answer unless told otherwise (the official SDKs' 10 s).
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Where STS requests go: `explicit`, else `ALIBABA_CLOUD_ENDPOINT_URL_STS`, else
/// `ALIBABA_CLOUD_ENDPOINT_URL`, else `sts[-vpc].<region>.aliyuncs.com` with the region from
/// `region` or `ALIBABA_CLOUD_STS_REGION` (VPC from `vpc` or
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`), else `sts.aliyuncs.com`.
pub(crate) fn endpoint(
    explicit: Option<&str>,
    region: Option<&str>,
    vpc: Option<bool>,
    env: &Env,
) -> String {
    let url = explicit
        .map(str::to_owned)
        .or_else(|| env.var(vars::ENDPOINT_URL_STS))
        .or_else(|| env.var(vars::ENDPOINT_URL));
    if let Some(url) = url {
        return crate::aliyun::endpoint::normalize(&url);
    }
    let region = region
        .map(str::to_owned)
        .filter(|r| !r.trim().is_empty())
        .or_else(|| env.var(vars::STS_REGION));
    let vpc = vpc.unwrap_or_else(|| env.is_true(vars::VPC_ENDPOINT_ENABLED));
    match region {
        Some(region) if vpc => format!("https://sts-vpc.{region}.aliyuncs.com"),
        Some(region) => format!("https://sts.{region}.aliyuncs.com"),
        None => "https://sts.aliyuncs.com".to_owned(),
    }
}

/// `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else a name with the current time.
pub(crate) fn session_name(env: &Env) -> String {
    env.var(vars::ROLE_SESSION_NAME)
        .unwrap_or_else(|| format!("alibaba-openapi-rust-{}", Utc::now().timestamp_millis()))
}

/// Checks a session length against STS's minimum.
pub(crate) fn check_duration(duration: Duration) -> Result<(), CredentialsError> {
    if duration < MIN_DURATION {
        return Err(CredentialsError::new(format!(
            "the role session duration must be at least 900 seconds, got {}",
            duration.as_secs()
        )));
    }
    Ok(())
}

/// The role-session settings both role providers take: session name, duration, policy, and
/// where STS is. Their builders offer the same setters for them (`role_session_setters!`).
#[derive(Debug, Default)]
pub(crate) struct SessionSettings {
    pub(crate) session_name: Option<String>,
    pub(crate) duration: Option<Duration>,
    pub(crate) policy: Option<String>,
    pub(crate) sts_region: Option<String>,
    pub(crate) vpc: Option<bool>,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) env: Option<Env>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) read_timeout: Option<Duration>,
}

/// The setters of [`SessionSettings`], on a builder field `session`.
macro_rules! role_session_setters {
    () => {
        /// `RoleSessionName` (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
        /// `alibaba-openapi-rust-<milliseconds>`).
        pub fn role_session_name(mut self, name: impl Into<String>) -> Self {
            self.session.session_name = Some(name.into()).filter(|n| !n.is_empty());
            self
        }

        /// `DurationSeconds`: how long the credentials last (default one hour, at least 900 s).
        pub fn duration(mut self, duration: std::time::Duration) -> Self {
            self.session.duration = Some(duration);
            self
        }

        /// `Policy`: a policy that further restricts the session.
        pub fn policy(mut self, policy: impl Into<String>) -> Self {
            self.session.policy = Some(policy.into()).filter(|p| !p.is_empty());
            self
        }

        /// Uses `sts.<region>.aliyuncs.com` (default: `ALIBABA_CLOUD_STS_REGION`, else the
        /// central `sts.aliyuncs.com`).
        pub fn sts_region(mut self, region: impl Into<String>) -> Self {
            self.session.sts_region = Some(region.into());
            self
        }

        /// Uses the VPC endpoint `sts-vpc.<region>.aliyuncs.com` (default:
        /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).
        pub fn vpc_endpoint(mut self, enabled: bool) -> Self {
            self.session.vpc = Some(enabled);
            self
        }

        /// Sends STS requests to this URL, e.g. an emulator's (default:
        /// `ALIBABA_CLOUD_ENDPOINT_URL_STS`, then `ALIBABA_CLOUD_ENDPOINT_URL`, then the region's).
        pub fn sts_endpoint(mut self, url: impl Into<String>) -> Self {
            self.session.sts_endpoint = Some(url.into());
            self
        }

        /// Reads variables from `env` instead of the process environment.
        pub fn env(mut self, env: $crate::credentials::Env) -> Self {
            self.session.env = Some(env);
            self
        }

        /// How long to wait for STS to accept the connection (default 5 s, as the official
        /// SDKs).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.session.connect_timeout = Some(timeout);
            self
        }

        /// How long to wait for STS to answer once connected (default 10 s, as the official
        /// SDKs).
        pub fn read_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.session.read_timeout = Some(timeout);
            self
        }
    };
}

/// Settled session settings.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) session_name: String,
    pub(crate) duration: Duration,
    pub(crate) policy: Option<String>,
    pub(crate) endpoint: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
}

impl SessionSettings {
    /// The environment to read: the one given, else the process's.
    pub(crate) fn env(&mut self) -> Env {
        self.env.take().unwrap_or_else(Env::process)
    }

    /// Fills the defaults from `env`; fails on a duration under 900 seconds.
    pub(crate) fn settle(self, env: &Env) -> Result<Session, CredentialsError> {
        let duration = self.duration.unwrap_or(DEFAULT_DURATION);
        check_duration(duration)?;
        Ok(Session {
            session_name: self.session_name.unwrap_or_else(|| session_name(env)),
            duration,
            policy: self.policy,
            endpoint: endpoint(
                self.sts_endpoint.as_deref(),
                self.sts_region.as_deref(),
                self.vpc,
                env,
            ),
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
        })
    }
}

impl Session {
    /// The HTTP client STS is called with, with the session's timeouts.
    pub(crate) fn http(&self) -> Http {
        Http::new(self.connect_timeout, self.read_timeout)
    }

    /// The STS fields every role session sends, after the role's own.
    pub(crate) fn push_fields(&self, fields: &mut Vec<(&'static str, String)>) {
        fields.push(("RoleSessionName", self.session_name.clone()));
        fields.push(("DurationSeconds", self.duration.as_secs().to_string()));
        if let Some(policy) = &self.policy {
            fields.push(("Policy", policy.clone()));
        }
    }
}

/// Calls `AssumeRole` signed with `source`.
pub(crate) async fn assume_role(
    http: &Http,
    endpoint: &str,
    source: &Credentials,
    fields: &[(&str, String)],
) -> Result<Credentials, CredentialsError> {
    let mut params = Params::new();
    for (name, value) in fields {
        params.push(name.to_string(), value.as_str());
    }
    let nonce = wire::nonce();
    let signed = Unsigned {
        endpoint,
        action: "AssumeRole",
        version: VERSION,
        params: &params,
        location: ParamLocation::Body,
        now: Utc::now(),
        nonce: &nonce,
    }
    .sign(SignatureVersion::V1, source);
    let secrets = [
        source.access_key_secret(),
        source.security_token().unwrap_or_default(),
    ];
    let body = signed.body.unwrap_or_default();
    post(http, signed.url, body, "AssumeRole", endpoint, &secrets).await
}

/// Calls `AssumeRoleWithOIDC` (no signature: the OIDC token is the proof).
pub(crate) async fn assume_role_with_oidc(
    http: &Http,
    endpoint: &str,
    fields: &[(&str, String)],
) -> Result<Credentials, CredentialsError> {
    let timestamp = wire::timestamp(Utc::now());
    let query = [
        ("Action", "AssumeRoleWithOIDC"),
        ("Format", "JSON"),
        ("Timestamp", timestamp.as_str()),
        ("Version", VERSION),
    ];
    let url = format!("{endpoint}/?{}", form(query));
    let token = fields
        .iter()
        .find(|(k, _)| *k == "OIDCToken")
        .map_or("", |(_, v)| v.as_str());
    let body = form(fields.iter().map(|(k, v)| (*k, v.as_str())));
    post(http, url, body, "AssumeRoleWithOIDC", endpoint, &[token]).await
}

fn form<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn post(
    http: &Http,
    url: String,
    body: String,
    action: &str,
    endpoint: &str,
    secrets: &[&str],
) -> Result<Credentials, CredentialsError> {
    let what = format!("STS {action} at {}", http::shown_url(endpoint));
    let request = http
        .client()?
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    // Whatever the failure, no secret of the request survives in its message (belt and braces:
    // `http::send` keeps no URL, and `parse` redacts the answer).
    let scrubbed = |e: CredentialsError| {
        let mut message = e.message().to_owned();
        crate::redact::scrub(&mut message, secrets);
        CredentialsError::new(message)
    };
    let reply = http::send(request, &what).await.map_err(scrubbed)?;
    parse(&reply, &what).map_err(scrubbed)
}

/// Reads `{"Credentials":{"AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}}`, or
/// the error envelope `{"Code","Message","RequestId"}`.
fn parse(reply: &Reply, what: &str) -> Result<Credentials, CredentialsError> {
    let json: Option<Value> = serde_json::from_slice(&reply.body).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|j| j.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    if reply.status != 200 {
        let code = field("Code");
        if code.is_empty() {
            return Err(CredentialsError::new(format!(
                "{what} answered HTTP {}: {}",
                reply.status,
                crate::redact::snippet(&reply.body)
            )));
        }
        return Err(CredentialsError::new(format!(
            "{what} answered HTTP {} {code}: {} (request id {})",
            reply.status,
            field("Message"),
            field("RequestId")
        )));
    }
    let creds = json.as_ref().and_then(|j| j.get("Credentials"));
    let get = |name: &str| {
        creds
            .and_then(|c| c.get(name))
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "{what} answered no Credentials.{name}: {}",
                    crate::redact::snippet(&reply.body)
                ))
            })
    };
    let expiration = get("Expiration")?;
    let expiration = http::parse_expiration(expiration).ok_or_else(|| {
        CredentialsError::new(format!(
            "{what} answered an Expiration that is not a time: {expiration:?}"
        ))
    })?;
    Ok(
        Credentials::new(get("AccessKeyId")?, get("AccessKeySecret")?)
            .with_security_token(get("SecurityToken")?)
            .with_expiration(expiration),
    )
}

/// Assumes a RAM role with STS `AssumeRole`, signed with source credentials (an AccessKey, or
/// temporary credentials from another provider), and caches the role's temporary credentials.
///
/// The session name defaults to `ALIBABA_CLOUD_ROLE_SESSION_NAME`; the endpoint follows
/// `ALIBABA_CLOUD_ENDPOINT_URL_STS`, `ALIBABA_CLOUD_ENDPOINT_URL`, `ALIBABA_CLOUD_STS_REGION`
/// and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` unless set on the builder.
///
/// ```
/// use alibaba_openapi::credentials::{Credentials, RamRoleArnProvider};
/// let provider = RamRoleArnProvider::builder(
///     Credentials::new("LTAI5tExample", "source-secret"),
///     "acs:ram::1234567890123456:role/my-role",
/// )
/// .role_session_name("nightly-job")
/// .sts_region("cn-hangzhou")
/// .build()?;
/// assert!(!format!("{provider:?}").contains("source-secret"));
/// # Ok::<(), alibaba_openapi::credentials::CredentialsError>(())
/// ```
pub struct RamRoleArnProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session: Session,
    external_id: Option<String>,
    http: Http,
    cache: Cache,
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("session", &self.session)
            .field("source", &self.source)
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` with credentials from `source`.
    pub fn builder(
        source: impl ProvideCredentials + 'static,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProvider::builder_arc(Arc::new(source), role_arn.into())
    }

    pub(crate) fn builder_arc(
        source: Arc<dyn ProvideCredentials>,
        role_arn: String,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder {
            source,
            role_arn,
            session: SessionSettings::default(),
            external_id: None,
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await.map_err(|e| {
            CredentialsError::new(format!(
                "the source credentials to assume {} could not be obtained: {e}",
                self.role_arn
            ))
        })?;
        let mut fields = vec![("RoleArn", self.role_arn.clone())];
        self.session.push_fields(&mut fields);
        if let Some(external_id) = &self.external_id {
            fields.push(("ExternalId", external_id.clone()));
        }
        assume_role(&self.http, &self.session.endpoint, &source, &fields)
            .await
            .map_err(|e| e.context(format_args!("assuming {}", self.role_arn)))
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get("RAM role ARN", || self.fetch()))
    }
}

/// Builds a [`RamRoleArnProvider`].
#[must_use]
pub struct RamRoleArnProviderBuilder {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session: SessionSettings,
    external_id: Option<String>,
}

impl fmt::Debug for RamRoleArnProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProviderBuilder")
            .field("role_arn", &self.role_arn)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnProviderBuilder {
    role_session_setters!();

    /// `ExternalId`, when the role's trust policy asks for one.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into()).filter(|p| !p.is_empty());
        self
    }

    /// Builds the provider; fails on an empty role ARN or a duration under 900 seconds.
    pub fn build(mut self) -> Result<RamRoleArnProvider, CredentialsError> {
        if self.role_arn.trim().is_empty() {
            return Err(CredentialsError::new("the role ARN to assume is empty"));
        }
        let env = self.session.env();
        let session = self.session.settle(&env)?;
        Ok(RamRoleArnProvider {
            source: self.source,
            role_arn: self.role_arn,
            http: session.http(),
            session,
            external_id: self.external_id,
            cache: Cache::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_follows_overrides_then_region_then_vpc() {
        let env = |vars: &[(&str, &str)]| Env::from_vars(vars.iter().copied());
        assert_eq!(
            endpoint(None, None, None, &env(&[])),
            "https://sts.aliyuncs.com"
        );
        let regional = env(&[(vars::STS_REGION, "cn-hangzhou")]);
        assert_eq!(
            endpoint(None, None, None, &regional),
            "https://sts.cn-hangzhou.aliyuncs.com"
        );
        let vpc = env(&[
            (vars::STS_REGION, "cn-hangzhou"),
            (vars::VPC_ENDPOINT_ENABLED, "true"),
        ]);
        assert_eq!(
            endpoint(None, None, None, &vpc),
            "https://sts-vpc.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            endpoint(None, Some("cn-beijing"), Some(false), &vpc),
            "https://sts.cn-beijing.aliyuncs.com"
        );
        let global = env(&[(vars::ENDPOINT_URL, "http://127.0.0.1:9")]);
        assert_eq!(endpoint(None, None, None, &global), "http://127.0.0.1:9");
        let both = env(&[
            (vars::ENDPOINT_URL, "http://127.0.0.1:9"),
            (vars::ENDPOINT_URL_STS, "sts.example.com/"),
        ]);
        assert_eq!(endpoint(None, None, None, &both), "https://sts.example.com");
        assert_eq!(
            endpoint(Some("http://x:1"), None, None, &both),
            "http://x:1"
        );
    }

    #[test]
    fn short_sessions_are_refused_before_any_call() {
        let err = RamRoleArnProvider::builder(Credentials::new("id", "s"), "acs:ram::1:role/r")
            .duration(Duration::from_secs(60))
            .env(Env::from_vars(Vec::<(String, String)>::new()))
            .build()
            .unwrap_err();
        assert!(err.message().contains("900"), "{err}");
    }
}
