//! The HTTP layer shared by every client: one `reqwest` connection pool, timeouts and a cap on
//! response size.

use std::fmt;
use std::time::Duration;

use crate::error::{BoxError, Error, ErrorCode};

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed between reads of a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on the size of a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// How the HTTP layer behaves. Every client builder exposes these settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TransportConfig {
    /// Time allowed to establish a connection (default 5 s).
    pub connect_timeout: Duration,
    /// Time allowed between reads of a response (default 10 s).
    pub read_timeout: Duration,
    /// Largest response body accepted (default 10 MiB).
    pub max_response_bytes: usize,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

/// A response read in full.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) body: bytes::Bytes,
}

/// The shared HTTP client. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    config: TransportConfig,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

const USER_AGENT: &str = concat!("alibaba-openapi-rust/", env!("CARGO_PKG_VERSION"));

impl Transport {
    /// Builds the transport, on the caller's `reqwest::Client` when one is given (its own
    /// timeouts then apply to connecting; ours still bound reading).
    pub(crate) fn new<C: ErrorCode>(
        config: TransportConfig,
        http: Option<reqwest::Client>,
    ) -> Result<Self, Error<C>> {
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .read_timeout(config.read_timeout)
                .user_agent(USER_AGENT)
                .build()
                .map_err(|e| Error::Transport {
                    source: Box::new(e),
                })?,
        };
        Ok(Transport { http, config })
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends a request and reads the whole answer, refusing bodies over the size cap.
    pub(crate) async fn execute<C: ErrorCode>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<HttpResponse, Error<C>> {
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let limit = self.config.max_response_bytes;
        if let Some(len) = response.content_length() {
            if len > limit as u64 {
                return Err(too_large(status, limit));
            }
        }
        let mut body = bytes::BytesMut::new();
        loop {
            let chunk = tokio::time::timeout(self.config.read_timeout, response.chunk())
                .await
                .map_err(|elapsed| Error::Timeout {
                    source: Box::new(elapsed),
                })?
                .map_err(classify)?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > limit {
                return Err(too_large(status, limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            body: body.freeze(),
        })
    }
}

fn too_large<C: ErrorCode>(status: u16, limit: usize) -> Error<C> {
    Error::Decode {
        status,
        message: format!(
            "the response is larger than the {limit}-byte limit; raise it with \
             `max_response_bytes` on the client builder"
        ),
        snippet: String::new(),
    }
}

/// Sorts a `reqwest` failure into a timeout or a transport failure.
fn classify<C: ErrorCode>(e: reqwest::Error) -> Error<C> {
    // The URL may carry signed query parameters; keep it out of messages.
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout {
            source: Box::new(e) as BoxError,
        }
    } else {
        Error::Transport {
            source: Box::new(e),
        }
    }
}
