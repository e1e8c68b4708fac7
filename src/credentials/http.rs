//! HTTP for the providers that fetch credentials: lazily built clients with the timeouts each
//! service calls for, bounded body reads, and the credentials JSON shared by the ECS metadata
//! service and credentials URIs.
//!
//! Two rules keep what these requests carry (a signed STS query with the source credentials'
//! security token and signature, a token in a credentials URI) out of errors and logs: no
//! `reqwest` error is kept with its URL, and no redirect is followed, so a signed request never
//! goes to a host other than the one configured.

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
            .read_timeout(self.read)
            .redirect(reqwest::redirect::Policy::none());
        if self.no_proxy {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            CredentialsError::new(format!(
                "the HTTP client could not be created: {}",
                error_chain(&e.without_url())
            ))
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
/// (e.g. `the metadata service at http://100.100.100.200`; see [`shown_url`]).
///
/// A redirect is an error naming the status and the host it points to: the request is not sent
/// again.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    what: &str,
) -> Result<Reply, CredentialsError> {
    let failed = |e: reqwest::Error| {
        // reqwest's message names the URL, query included: the signature and the security token
        // of an STS request, a token in a credentials URI.
        let e = e.without_url();
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
    if response.status().is_redirection() {
        return Err(CredentialsError::new(format!(
            "{what} answered HTTP {}, a redirect to {}, which requests for credentials do not \
             follow",
            response.status(),
            redirect_target(&response)
        )));
    }
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

/// Where a redirect points: the host and port of its `Location` (resolved against the request's
/// URL), never its path or query.
fn redirect_target(response: &reqwest::Response) -> String {
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| response.url().join(location).ok());
    match target
        .as_ref()
        .and_then(|url| Some((url.host_str()?, url.port())))
    {
        Some((host, Some(port))) => format!("{host}:{port}"),
        Some((host, None)) => host.to_owned(),
        None => "an unusable Location".to_owned(),
    }
}

/// A URL fit for a message: scheme, host, port and path, without user name, password, query or
/// fragment (where credentials services may carry a token).
pub(crate) fn shown_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(url) if url.has_host() => {
            let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
            if let Some(port) = url.port() {
                shown.push_str(&format!(":{port}"));
            }
            if url.path() != "/" || raw.trim_end().ends_with('/') {
                shown.push_str(url.path());
            }
            shown
        }
        _ => {
            // Not a URL the parser takes: cut the query and fragment, and any user info from
            // the authority (what comes before the first `/` after the scheme).
            let cut = raw.split(['?', '#']).next().unwrap_or_default();
            let (scheme, rest) = match cut.split_once("://") {
                Some((scheme, rest)) => (Some(scheme), rest),
                None => (None, cut),
            };
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority
                .rsplit_once('@')
                .map_or(authority, |(_, host)| host);
            match scheme {
                Some(scheme) => format!("{scheme}://{host}{path}"),
                None => format!("{host}{path}"),
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_urls_keep_scheme_host_port_and_path_only() {
        for (raw, shown) in [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("https://sts.aliyuncs.com", "https://sts.aliyuncs.com"),
            (
                "http://user:pa55@127.0.0.1:9/credentials?token=t0k#f",
                "http://127.0.0.1:9/credentials",
            ),
            ("http://100.100.100.200/", "http://100.100.100.200/"),
            ("not a url?token=t0k", "not a url"),
            ("odd://user:pa55@[bad/x@y?token=t0k", "odd://[bad/x@y"),
            ("user:pa55@[bad/x", "[bad/x"),
        ] {
            assert_eq!(shown_url(raw), shown, "{raw}");
        }
    }
}
