//! HTTP for the providers that fetch credentials: lazily built clients with the timeouts each
//! service calls for, bounded body reads, and the credentials JSON shared by the ECS metadata
//! service and credentials URIs.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Credentials, CredentialsError};

/// The largest answer read from a credentials service.
const MAX_BODY_BYTES: usize = 256 * 1024;

/// A `reqwest::Client` built on first use, with fixed timeouts.
pub(crate) struct Http {
    client: OnceLock<reqwest::Client>,
    connect: Duration,
    read: Duration,
    /// Link-local services (the metadata service) are never reached through a proxy.
    no_proxy: bool,
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("connect_timeout", &self.connect)
            .field("read_timeout", &self.read)
            .finish_non_exhaustive()
    }
}

impl Http {
    pub(crate) fn new(connect: Duration, read: Duration) -> Http {
        Http {
            client: OnceLock::new(),
            connect,
            read,
            no_proxy: false,
        }
    }

    /// The same settings with another connect timeout (before the client is built).
    pub(crate) fn with_connect_timeout(mut self, timeout: Duration) -> Http {
        self.connect = timeout;
        self
    }

    /// The same settings with another read timeout (before the client is built).
    pub(crate) fn with_read_timeout(mut self, timeout: Duration) -> Http {
        self.read = timeout;
        self
    }

    pub(crate) fn without_proxy(mut self) -> Http {
        self.no_proxy = true;
        self
    }

    pub(crate) fn client(&self) -> Result<&reqwest::Client, CredentialsError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect)
            .read_timeout(self.read);
        if self.no_proxy {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            CredentialsError::new(format!("the HTTP client could not be created: {e}"))
        })?;
        let _ = self.client.set(client);
        Ok(self.client.get().expect("set just above"))
    }
}

/// A complete answer.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends a request and reads its answer; `what` names the service in errors
/// (e.g. `the metadata service at http://100.100.100.200`).
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    what: &str,
) -> Result<Reply, CredentialsError> {
    let failed = |e: reqwest::Error| {
        let why = if e.is_timeout() {
            "did not answer in time"
        } else if e.is_connect() {
            "could not be reached"
        } else {
            "failed"
        };
        CredentialsError::new(format!("{what} {why}: {}", error_chain(&e)))
    };
    let mut response = request.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(CredentialsError::new(format!(
                "{what} answered more than {MAX_BODY_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply { status, body })
}

/// Parses an `Expiration` such as `2026-01-01T00:00:00Z`.
pub(crate) fn parse_expiration(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Reads `{Code: "Success", AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`, the
/// answer of the ECS metadata service and of a credentials URI.
pub(crate) fn credentials_json(reply: &Reply, what: &str) -> Result<Credentials, CredentialsError> {
    let bad = |why: String| CredentialsError::new(format!("{what} {why}"));
    if reply.status != 200 {
        return Err(bad(format!(
            "answered HTTP {}: {}",
            reply.status,
            crate::redact::snippet(&reply.body)
        )));
    }
    let json: Value = serde_json::from_slice(&reply.body)
        .map_err(|e| bad(format!("answered something other than JSON ({e})")))?;
    let field = |name: &str| json.get(name).and_then(Value::as_str).map(str::to_owned);
    if let Some(code) = field("Code").filter(|c| c != "Success") {
        return Err(bad(format!(
            "answered Code {code:?} instead of \"Success\""
        )));
    }
    let required = |name: &str| {
        field(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(format!("answered no {name}")))
    };
    let mut creds = Credentials::new(required("AccessKeyId")?, required("AccessKeySecret")?);
    if let Some(token) = field("SecurityToken").filter(|t| !t.is_empty()) {
        creds = creds.with_security_token(token);
    }
    if let Some(raw) = field("Expiration") {
        let at = parse_expiration(&raw).ok_or_else(|| {
            bad(format!(
                "answered an Expiration that is not a time: {raw:?}"
            ))
        })?;
        creds = creds.with_expiration(at);
    }
    Ok(creds)
}

/// An error and its causes, joined by `: `.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        source = cause_of(source);
    }
    text
}

fn cause_of<'a>(
    error: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    error.and_then(std::error::Error::source)
}
