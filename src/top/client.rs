//! The Taobao Open Platform client.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;

use super::sign::{self, SignMethod};
use super::{envelope, ErrorCode, Method, Params};
use crate::aliyun::sign::percent_encode_into;
use crate::error::Error;
use crate::redact::{Secret, Secrets, REDACTED};
use crate::transport::{record_outcome, AttemptFailure, CallOptions, Settings, Transport};

/// The default gateway.
pub const DEFAULT_GATEWAY_URL: &str = "https://gw.api.taobao.com/router/rest";
/// Environment variable overriding the gateway URL.
pub const ENV_GATEWAY_URL: &str = "TOP_GATEWAY_URL";
/// Environment variable holding the app key.
pub const ENV_APP_KEY: &str = "TOP_APP_KEY";
/// Environment variable holding the app secret.
pub const ENV_APP_SECRET: &str = "TOP_APP_SECRET";
/// Environment variable holding a user's session key (optional).
pub const ENV_SESSION: &str = "TOP_SESSION";

/// A client for the Taobao Open Platform. Cheap to clone (an `Arc` inside), `Send + Sync`,
/// and every clone shares one connection pool.
///
/// ```
/// use alibaba_openapi::top::{Client, SignMethod};
/// let client = Client::builder()
///     .app_key("12345678")
///     .app_secret("my-app-secret")
///     .sign_method(SignMethod::Md5)
///     .build()?;
/// assert!(!format!("{client:?}").contains("my-app-secret"));
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::top::ErrorCode>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    gateway_url: String,
    app_key: String,
    app_secret: Secret,
    session: Option<Secret>,
    sign_method: SignMethod,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("gateway_url", &inner.gateway_url)
            .field("app_key", &inner.app_key)
            .field("app_secret", &REDACTED)
            .field("session", &inner.session.as_ref().map(|_| REDACTED))
            .field("sign_method", &inner.sign_method)
            .field("transport", &inner.transport)
            .finish()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Sends a request and decodes its typed answer, with the client's retry policy.
    ///
    /// System parameters (`method`, `app_key`, `timestamp` in GMT+8, `v`, `sign_method`,
    /// `format=json`, `session`) travel in the query with `sign`; business parameters in a
    /// form body. An `error_response` becomes [`Error::Service`] with the TOP code, sub code
    /// and request id. Every attempt is signed afresh; what is retried depends on the
    /// method's [`Idempotency`](super::Idempotency): see [`RetryPolicy`](crate::transport::RetryPolicy).
    pub async fn send<M: Method>(&self, request: &M) -> Result<M::Output, Error<ErrorCode>> {
        self.send_with(request, &CallOptions::default()).await
    }

    /// Sends a request with settings for this call only (retry policy, total deadline).
    pub async fn send_with<M: Method>(
        &self,
        request: &M,
        options: &CallOptions,
    ) -> Result<M::Output, Error<ErrorCode>> {
        let span = call_span!("alibaba_openapi.top_call", method = request.method());
        self.inner
            .transport
            .call(options, request.idempotency(), |_| {
                self.attempt(request, &span)
            })
            .instrument(span.clone())
            .await
    }

    async fn attempt<M: Method>(
        &self,
        request: &M,
        call: &tracing::Span,
    ) -> Result<M::Output, AttemptFailure<ErrorCode>> {
        let inner = &self.inner;
        let mut business = Params::new();
        request.write_params(&mut business);
        let timestamp = sign::timestamp(inner.transport.now());
        let mut system: Vec<(&str, &str)> = vec![
            ("method", request.method()),
            ("app_key", &inner.app_key),
            ("timestamp", &timestamp),
            ("v", "2.0"),
            ("sign_method", inner.sign_method.as_str()),
            ("format", "json"),
        ];
        if let Some(session) = &inner.session {
            system.push(("session", &session.0));
        }
        let sign = sign::sign(
            inner.sign_method,
            &inner.app_secret.0,
            system.iter().copied().chain(business.iter()),
        );
        system.push(("sign", &sign));
        let session = inner.session.as_ref().map_or("", |s| s.0.as_str());
        let mut secrets = Secrets::new([inner.app_secret.0.as_str(), session, sign.as_str()]);
        secrets.extend(business.secrets());

        let mut url = String::with_capacity(inner.gateway_url.len() + 256);
        url.push_str(&inner.gateway_url);
        url.push(if inner.gateway_url.contains('?') {
            '&'
        } else {
            '?'
        });
        encode_pairs(&mut url, system.iter().copied());
        let mut body = String::new();
        encode_pairs(&mut body, business.iter().filter(|(_, v)| !v.is_empty()));

        let started = Instant::now();
        let http = inner
            .transport
            .http()
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded;charset=UTF-8",
            )
            .body(body);
        let response = inner.transport.execute(http).await?;
        let decoded = envelope::decode(request.method(), response.status, &response.body, &secrets);
        let request_id = match &decoded {
            Ok(d) => d.request_id.as_deref(),
            Err(e) => e.request_id(),
        };
        record_outcome(call, response.status, started, request_id);
        match decoded {
            Ok(decoded) => Ok(decoded.output),
            Err(error) => Err(AttemptFailure::answered(error, &response)),
        }
    }
}

/// Parses a gateway URL: `http(s)://host[:port]/path`, with no user information or fragment.
/// `source` names where it came from, for the error.
fn parse_gateway_url(value: &str, source: &str) -> Result<String, Error<ErrorCode>> {
    let trimmed = value.trim();
    let bad = |why: String| Error::invalid(source, format!("{why}, got {trimmed:?}"));
    let url = url::Url::parse(trimmed).map_err(|e| {
        bad(format!(
            "must be a gateway URL such as `{DEFAULT_GATEWAY_URL}` ({e})"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad(
            "must be an http:// or https:// URL with a host".to_owned()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(bad(
            "must not carry user information or a fragment".to_owned()
        ));
    }
    Ok(url.into())
}

/// Appends `name=value` pairs joined by `&`, each side percent-encoded.
fn encode_pairs<'a>(out: &mut String, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    for (i, (name, value)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(out, name);
        out.push('=');
        percent_encode_into(out, value);
    }
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    app_key: Option<String>,
    app_secret: Option<Secret>,
    session: Option<Secret>,
    sign_method: SignMethod,
    gateway_url: Option<String>,
    transport: Settings,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("app_key", &self.app_key)
            .field("app_secret", &self.app_secret)
            .field("session", &self.session)
            .field("sign_method", &self.sign_method)
            .field("gateway_url", &self.gateway_url)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The app key (default: `TOP_APP_KEY`).
    pub fn app_key(mut self, app_key: impl Into<String>) -> Self {
        self.app_key = Some(app_key.into());
        self
    }

    /// The app secret (default: `TOP_APP_SECRET`). Never printed.
    pub fn app_secret(mut self, app_secret: impl Into<String>) -> Self {
        self.app_secret = Some(Secret(app_secret.into()));
        self
    }

    /// A user's session key, for methods that act for a user (default: `TOP_SESSION`).
    /// Never printed.
    pub fn session(mut self, session: impl Into<String>) -> Self {
        self.session = Some(Secret(session.into()));
        self
    }

    /// How requests are signed (default: `hmac-sha256`).
    pub fn sign_method(mut self, method: SignMethod) -> Self {
        self.sign_method = method;
        self
    }

    /// The gateway URL (default: `TOP_GATEWAY_URL`, else
    /// `https://gw.api.taobao.com/router/rest`). Checked by [`build`](ClientBuilder::build).
    pub fn gateway_url(mut self, url: impl Into<String>) -> Self {
        self.gateway_url = Some(url.into());
        self
    }

    transport_setters!();

    /// Builds the client, reading `TOP_APP_KEY`, `TOP_APP_SECRET`, `TOP_SESSION` and
    /// `TOP_GATEWAY_URL` for what was not set. Fails when the app key or secret is missing, or
    /// the gateway URL (from the builder or `TOP_GATEWAY_URL`) is not an http(s) URL.
    pub fn build(self) -> Result<Client, Error<ErrorCode>> {
        self.build_with(&|name| std::env::var(name).ok())
    }

    fn build_with(
        self,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Client, Error<ErrorCode>> {
        let lookup = |name| lookup(name).filter(|v: &String| !v.trim().is_empty());
        let app_key = self
            .app_key
            .or_else(|| lookup(ENV_APP_KEY))
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::Credentials {
                message: format!("no TOP app key: call `.app_key(..)` or set {ENV_APP_KEY}"),
            })?;
        let app_secret = self
            .app_secret
            .or_else(|| lookup(ENV_APP_SECRET).map(Secret))
            .filter(|s| !s.0.is_empty())
            .ok_or_else(|| Error::Credentials {
                message: format!(
                    "no TOP app secret for app key {app_key}: call `.app_secret(..)` or set \
                     {ENV_APP_SECRET}"
                ),
            })?;
        let session = self
            .session
            .or_else(|| lookup(ENV_SESSION).map(Secret))
            .filter(|s| !s.0.is_empty());
        let gateway_url = match (self.gateway_url, lookup(ENV_GATEWAY_URL)) {
            (Some(url), _) => parse_gateway_url(&url, "gateway_url")?,
            (None, Some(url)) => parse_gateway_url(&url, ENV_GATEWAY_URL)?,
            (None, None) => DEFAULT_GATEWAY_URL.to_owned(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport::new(self.transport)?,
                gateway_url,
                app_key,
                app_secret,
                session,
                sign_method: self.sign_method,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_secret_is_a_credentials_error_naming_the_variable() {
        let err = Client::builder()
            .app_key("12345678")
            .build_with(&|_| None)
            .unwrap_err();
        assert!(
            matches!(&err, Error::Credentials { message } if message.contains(ENV_APP_SECRET)),
            "{err}"
        );
    }

    #[test]
    fn a_malformed_gateway_variable_is_refused_naming_the_variable() {
        let env = |name: &str| (name == ENV_GATEWAY_URL).then(|| "http://[::1".to_owned());
        let err = Client::builder()
            .app_key("k")
            .app_secret("s")
            .build_with(&env)
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == ENV_GATEWAY_URL),
            "{err}"
        );
    }

    #[test]
    fn environment_fills_what_the_builder_left_out() {
        let env = |name: &str| match name {
            ENV_APP_KEY => Some("k".to_owned()),
            ENV_APP_SECRET => Some("s".to_owned()),
            ENV_GATEWAY_URL => Some("http://127.0.0.1:1/router/rest".to_owned()),
            _ => None,
        };
        let client = Client::builder().build_with(&env).unwrap();
        assert_eq!(client.inner.app_key, "k");
        assert_eq!(client.inner.gateway_url, "http://127.0.0.1:1/router/rest");
    }
}
