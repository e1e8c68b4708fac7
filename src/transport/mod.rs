//! The HTTP layer shared by every client: one `reqwest` connection pool, timeouts, a cap on
//! response size, the retry policy and the clock that learns the server's time.

#[cfg(feature = "blocking")]
mod blocking;
mod clock;
mod retry;

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::{BoxError, Error, ErrorCode};

#[cfg(feature = "blocking")]
pub(crate) use blocking::BlockingRuntime;
use clock::Clock;
pub(crate) use retry::AttemptFailure;
pub use retry::{CallOptions, RetryPolicy};

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed between reads of a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on the size of a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// How the HTTP layer behaves. Every client builder exposes these settings.
///
/// One attempt of a call is bounded three ways: connecting may take at most
/// `connect_timeout`; no single read may wait longer than `read_timeout`; and the whole
/// attempt (connecting, sending, the status line, headers and the last byte of the body)
/// ends after `attempt_timeout`, by default `connect_timeout + read_timeout`, so a server
/// that drips a byte every few seconds cannot hold a call for long.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TransportConfig {
    /// Time allowed to establish a connection (default 5 s).
    pub connect_timeout: Duration,
    /// Longest wait for any one read of an answer (default 10 s).
    pub read_timeout: Duration,
    /// Bound on one whole attempt, connecting included (default: `None`, meaning
    /// `connect_timeout + read_timeout`, 15 s).
    pub attempt_timeout: Option<Duration>,
    /// Largest response body accepted (default 10 MiB).
    pub max_response_bytes: usize,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            attempt_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl TransportConfig {
    /// The bound on one whole attempt.
    pub fn effective_attempt_timeout(&self) -> Duration {
        self.attempt_timeout
            .unwrap_or(self.connect_timeout + self.read_timeout)
    }
}

/// A decoded successful answer and its request id.
pub(crate) struct Decoded<T> {
    pub(crate) output: T,
    pub(crate) request_id: Option<String>,
}

/// What a client builder collects for its transport.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    pub(crate) config: TransportConfig,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) call_timeout: Option<Duration>,
}

/// The transport setters every client builder offers, on a field `transport: Settings`.
macro_rules! transport_setters {
    () => {
        /// Time allowed to establish a connection (default 5 s).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.transport.config.connect_timeout = timeout;
            self
        }

        /// Longest wait for any one read of an answer (default 10 s). With the connect
        /// timeout it also sets the default bound on a whole attempt (their sum).
        pub fn read_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.transport.config.read_timeout = timeout;
            self
        }

        /// Bounds one whole attempt: connecting, sending and reading the complete answer
        /// (default: connect timeout + read timeout, 15 s). Each retry gets its own.
        pub fn attempt_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.transport.config.attempt_timeout = Some(timeout);
            self
        }

        /// Largest response body accepted (default 10 MiB).
        pub fn max_response_bytes(mut self, bytes: usize) -> Self {
            self.transport.config.max_response_bytes = bytes;
            self
        }

        /// How failed calls are retried (default: [`RetryPolicy::standard`](crate::transport::RetryPolicy::standard)).
        pub fn retry_policy(mut self, policy: $crate::transport::RetryPolicy) -> Self {
            self.transport.retry_policy = policy;
            self
        }

        /// Bounds every call, all attempts and waits included (default: none; each attempt
        /// is still bound by the connect and read timeouts).
        pub fn call_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.transport.call_timeout = Some(timeout);
            self
        }

        /// Sends through this `reqwest::Client` (and its connection pool) instead of our own;
        /// its own connect timeout then applies, and ours bound each read and each attempt.
        ///
        /// Build it with `.redirect(reqwest::redirect::Policy::none())`: a signed call must
        /// not be re-sent to another host. Should it follow a redirect anyway, the answer is
        /// discarded and the call fails with [`Error::Redirect`](crate::Error::Redirect).
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.transport.http = Some(client);
            self
        }
    };
}

/// The span of one call, with the fields every attempt records on it: `attempts`, `status`,
/// `latency_ms` and `request_id` (of the last attempt), declared up front so that they are
/// kept at INFO, where the per-attempt spans (DEBUG) are off.
macro_rules! call_span {
    ($name:literal, $($field:tt)*) => {
        tracing::info_span!(
            $name,
            $($field)*,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
        )
    };
}

/// Records an answered attempt on the call's span and on the attempt's own.
pub(crate) fn record_outcome(
    call: &tracing::Span,
    status: u16,
    started: std::time::Instant,
    request_id: Option<&str>,
) {
    let latency_ms = started.elapsed().as_millis() as u64;
    for span in [call, &tracing::Span::current()] {
        span.record("status", status);
        span.record("latency_ms", latency_ms);
        if let Some(id) = request_id {
            span.record("request_id", id);
        }
    }
}

/// A response read in full, with the headers the retry logic reads.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) body: bytes::Bytes,
    /// `Date`: the server's clock.
    pub(crate) date: Option<DateTime<Utc>>,
    /// `x-acs-retry-after` (milliseconds) or `Retry-After` (seconds).
    pub(crate) retry_after: Option<Duration>,
}

/// Why a request got no complete answer.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The request certainly did not reach the server (the connection was never made).
    pub(crate) not_sent: bool,
    error: FailureError,
}

#[derive(Debug)]
enum FailureError {
    Timeout(BoxError),
    Transport(BoxError),
    TooLarge {
        status: u16,
        limit: usize,
    },
    Redirect {
        status: u16,
        location: Option<String>,
    },
}

impl Failure {
    /// The error the caller sees.
    pub(crate) fn into_error<C: ErrorCode>(self) -> Error<C> {
        match self.error {
            FailureError::Timeout(source) => Error::Timeout { source },
            FailureError::Transport(source) => Error::Transport { source },
            FailureError::Redirect { status, location } => Error::Redirect { status, location },
            FailureError::TooLarge { status, limit } => Error::Decode {
                status,
                message: format!(
                    "the response is larger than the {limit}-byte limit; raise it with \
                     `max_response_bytes` on the client builder"
                ),
                snippet: String::new(),
            },
        }
    }
}

/// The HTTP client of one API client: connection pool, timeouts, retries, clock.
pub(crate) struct Transport {
    http: reqwest::Client,
    config: TransportConfig,
    /// Bounds each read of a body ourselves: only for a caller's `reqwest::Client`, whose
    /// own read timeout we could not set.
    chunk_timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    call_timeout: Option<Duration>,
    clock: Clock,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .field("retry_policy", &self.retry_policy)
            .field("call_timeout", &self.call_timeout)
            .field("clock_offset_ms", &self.clock.offset_ms())
            .finish_non_exhaustive()
    }
}

const USER_AGENT: &str = concat!("alibaba-openapi-rust/", env!("CARGO_PKG_VERSION"));

impl Transport {
    /// Builds the transport, on the caller's `reqwest::Client` when one is given (its own
    /// timeouts then apply to connecting; ours still bound reading).
    pub(crate) fn new<C: ErrorCode>(settings: Settings) -> Result<Self, Error<C>> {
        let Settings {
            config,
            http,
            retry_policy,
            call_timeout,
        } = settings;
        let chunk_timeout = http.is_some().then_some(config.read_timeout);
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .read_timeout(config.read_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(USER_AGENT)
                .build()
                .map_err(|e| Error::Transport {
                    source: Box::new(e),
                })?,
        };
        Ok(Transport {
            http,
            config,
            chunk_timeout,
            retry_policy,
            call_timeout,
            clock: Clock::default(),
        })
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Now, corrected by what the server's clock taught us: the time to sign with.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Runs a call's attempts under the client's retry policy and deadline, or the call's own.
    pub(crate) async fn call<T, C, F, Fut>(
        &self,
        options: &CallOptions,
        idempotency: crate::request::Idempotency,
        attempt: F,
    ) -> Result<T, Error<C>>
    where
        C: ErrorCode,
        F: FnMut(u32) -> Fut,
        Fut: std::future::Future<Output = Result<T, AttemptFailure<C>>>,
    {
        let policy = options.retry_policy.as_ref().unwrap_or(&self.retry_policy);
        let deadline = options.deadline.or(self.call_timeout);
        retry::with_retries(policy, deadline, idempotency, &self.clock, attempt).await
    }

    /// Sends a request and reads the whole answer within the attempt timeout, refusing
    /// bodies over the size cap and redirections.
    pub(crate) async fn execute(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<HttpResponse, Failure> {
        let request = request.build().map_err(|e| Failure {
            not_sent: true,
            ..classify(e)
        })?;
        let limit = self.config.effective_attempt_timeout();
        match tokio::time::timeout(limit, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(Failure {
                not_sent: false,
                error: FailureError::Timeout(Box::new(AttemptElapsed(limit))),
            }),
        }
    }

    async fn exchange(&self, request: reqwest::Request) -> Result<HttpResponse, Failure> {
        let sent_to = request.url().clone();
        let mut response = self
            .bounded(self.http.execute(request))
            .await?
            .map_err(classify)?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| sent_to.join(v).ok());
            return Err(redirected(status, location.as_ref()));
        }
        if response.url() != &sent_to {
            // A caller's `reqwest::Client` followed a redirection: discard the other host's answer.
            return Err(redirected(status, Some(response.url())));
        }
        let limit = self.config.max_response_bytes;
        let too_large = || Failure {
            not_sent: false,
            error: FailureError::TooLarge { status, limit },
        };
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(too_large());
        }
        let headers = response.headers();
        let date = headers
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
            .map(|d| d.with_timezone(&Utc));
        let retry_after = header_number(headers, "x-acs-retry-after")
            .map(Duration::from_millis)
            .or_else(|| header_number(headers, "retry-after").map(Duration::from_secs));
        let mut body = bytes::BytesMut::new();
        loop {
            let chunk = self.bounded(response.chunk()).await?.map_err(classify)?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            body: body.freeze(),
            date,
            retry_after,
        })
    }
}

impl Transport {
    /// Waits for `step` of an exchange, within the read timeout when the `reqwest::Client` is
    /// the caller's (ours enforces it itself).
    async fn bounded<T>(&self, step: impl std::future::Future<Output = T>) -> Result<T, Failure> {
        match self.chunk_timeout {
            None => Ok(step.await),
            Some(limit) => tokio::time::timeout(limit, step)
                .await
                .map_err(|elapsed| Failure {
                    not_sent: false,
                    error: FailureError::Timeout(Box::new(elapsed)),
                }),
        }
    }
}

/// A redirection, named by its target's host and port only (the rest of a URL may carry
/// anything, our own signed query included).
fn redirected(status: u16, target: Option<&reqwest::Url>) -> Failure {
    let location = target.and_then(|url| {
        let host = url.host_str()?;
        Some(match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        })
    });
    Failure {
        not_sent: false,
        error: FailureError::Redirect { status, location },
    }
}

/// One attempt took longer than its bound.
#[derive(Debug, thiserror::Error)]
#[error("the attempt did not complete within {0:?}")]
struct AttemptElapsed(Duration);

fn header_number(headers: &reqwest::header::HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Sorts a `reqwest` failure: did the request leave, and was it a timeout.
fn classify(e: reqwest::Error) -> Failure {
    let not_sent = e.is_connect();
    // The URL may carry signed query parameters; keep it out of messages.
    let e = e.without_url();
    let error = if e.is_timeout() {
        FailureError::Timeout(Box::new(e))
    } else {
        FailureError::Transport(Box::new(e))
    };
    Failure { not_sent, error }
}
