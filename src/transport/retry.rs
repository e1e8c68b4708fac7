//! When a failed call is tried again, and how long to wait first.
//!
//! What is retried depends on the action's [`Idempotency`]:
//!
//! | failure | read-only | mutating |
//! |---|---|---|
//! | throttled (`Throttling*`, TOP 7, `accesscontrol.*`, a bare HTTP 429) | yes | yes: the request was refused |
//! | connection failed before the request was written | yes | yes: it never left |
//! | `SignatureNonceUsed` | yes | yes: refused; the next attempt has a new nonce |
//! | HTTP 5xx (with an error code or a proxy's HTML page), `ServiceUnavailable`, `InternalError`, TOP 10 and `isp.*` | yes | no |
//! | timeout, connection reset after sending | yes | no: it may have been processed |
//! | a redirection (HTTP 3xx: never followed) | no | no |
//! | anything else (`isv.*`, TOP 25/27/40/41, bad parameters, ...) | no | no |
//!
//! A rejected timestamp (`InvalidTimeStamp.Expired`, `IllegalTimestamp`, TOP 31) is retried once
//! more, whatever the policy, after the client learns the server's clock from its `Date` header.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::Instrument;

use super::Clock;
use crate::error::{Error, ErrorCode};
use crate::request::Idempotency;

/// How many times a call is attempted and how long to wait between attempts: exponential
/// backoff with full jitter, honouring the server's `x-acs-retry-after`.
///
/// ```
/// use std::time::Duration;
/// use alibaba_openapi::transport::RetryPolicy;
///
/// let patient = RetryPolicy::standard()
///     .with_max_attempts(5)
///     .with_base_delay(Duration::from_millis(200));
/// assert_eq!(patient.max_attempts(), 5);
/// assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::standard()
    }
}

impl RetryPolicy {
    /// Up to 3 attempts; the n-th retry waits a random time up to `100 ms × 2ⁿ⁻¹`, at most 20 s.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
        }
    }

    /// One attempt, no retries (a rejected timestamp is still corrected once).
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::standard()
        }
    }

    /// Sets the number of attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest wait between two attempts (a server's `x-acs-retry-after` included).
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before retry number `retry` (1 for the first retry): full jitter over the
    /// exponential bound, but never less than what the server asked for.
    pub(crate) fn delay(&self, retry: u32, server_asked: Option<Duration>) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let bound = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let jitter = Duration::from_nanos(fastrand::u64(..=bound.as_nanos() as u64));
        jitter.max(server_asked.unwrap_or_default().min(self.max_delay))
    }
}

/// Settings for one call, overriding the client's: `client.send_with(&request, &options)`.
///
/// ```
/// use std::time::Duration;
/// use alibaba_openapi::transport::{CallOptions, RetryPolicy};
/// let options = CallOptions::new()
///     .retry_policy(RetryPolicy::disabled())
///     .deadline(Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) deadline: Option<Duration>,
}

impl CallOptions {
    /// The client's settings.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Retries this call by `policy` instead of the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Bounds the whole call, every attempt and wait included; when it passes the call ends
    /// with [`Error::Timeout`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

/// The total deadline of a call passed.
#[derive(Debug, thiserror::Error)]
#[error("the call's deadline of {0:?} passed")]
struct DeadlineElapsed(Duration);

/// One failed attempt, with what the retry decision needs.
pub(crate) struct AttemptFailure<C> {
    pub(crate) error: Error<C>,
    /// The request certainly did not reach the server.
    pub(crate) not_sent: bool,
    /// What the server asked us to wait.
    pub(crate) retry_after: Option<Duration>,
    /// The server's clock, from its `Date` header.
    pub(crate) server_date: Option<DateTime<Utc>>,
}

impl<C: ErrorCode> AttemptFailure<C> {
    /// An attempt the server answered with an error.
    pub(crate) fn answered(error: Error<C>, response: &super::HttpResponse) -> Self {
        tracing::debug!(error = %error, "attempt failed");
        AttemptFailure {
            error,
            not_sent: false,
            retry_after: response.retry_after,
            server_date: response.date,
        }
    }
}

impl<C> From<Error<C>> for AttemptFailure<C> {
    fn from(error: Error<C>) -> Self {
        AttemptFailure {
            error,
            not_sent: true,
            retry_after: None,
            server_date: None,
        }
    }
}

impl<C: ErrorCode> From<super::Failure> for AttemptFailure<C> {
    fn from(failure: super::Failure) -> Self {
        AttemptFailure {
            not_sent: failure.not_sent,
            ..AttemptFailure::from(failure.into_error())
        }
    }
}

/// Why a failure may be retried, or `None`.
fn retry_reason<C: ErrorCode>(
    failure: &AttemptFailure<C>,
    idempotency: Idempotency,
) -> Option<&'static str> {
    let read_only = idempotency == Idempotency::ReadOnly;
    match &failure.error {
        _ if failure.error.is_throttling() => Some("throttled"),
        Error::Service(e) if e.raw_code() == "SignatureNonceUsed" => Some("nonce collision"),
        _ if failure.error.is_server_side() && read_only => Some("server-side failure"),
        Error::Timeout { .. } | Error::Transport { .. } if failure.not_sent => {
            Some("could not connect")
        }
        Error::Timeout { .. } if read_only => Some("timed out"),
        Error::Transport { .. } if read_only => Some("connection failed"),
        _ => None,
    }
}

/// Runs `attempt` (given the attempt number, from 1) until it succeeds, fails for good, or
/// the policy's attempts are spent, within the deadline. Each attempt runs in its own span.
pub(crate) async fn with_retries<T, C, F, Fut>(
    policy: &RetryPolicy,
    deadline: Option<Duration>,
    idempotency: Idempotency,
    clock: &Clock,
    mut attempt: F,
) -> Result<T, Error<C>>
where
    C: ErrorCode,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, AttemptFailure<C>>>,
{
    let run = async {
        let mut clock_corrected = false;
        let mut retries = 0;
        for number in 1.. {
            let span = tracing::debug_span!(
                "attempt",
                attempt = number,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            tracing::Span::current().record("attempts", number);
            let failure = match attempt(number).instrument(span).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let skewed = failure.error.service_error().is_some_and(|e| e.clock_skew);
            if skewed && !clock_corrected {
                if let Some(server_now) = failure.server_date {
                    clock.learn(server_now);
                    clock_corrected = true;
                    continue;
                }
            }
            let reason = retry_reason(&failure, idempotency);
            let Some(reason) = reason.filter(|_| retries + 1 < policy.max_attempts) else {
                return Err(failure.error);
            };
            retries += 1;
            let delay = policy.delay(retries, failure.retry_after);
            tracing::info!(
                attempt = number,
                reason,
                delay_ms = delay.as_millis() as u64,
                error = %failure.error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
        unreachable!("the attempt loop returns")
    };
    match deadline {
        None => run.await,
        Some(deadline) => tokio::time::timeout(deadline, run)
            .await
            .unwrap_or_else(|_| {
                Err(Error::Timeout {
                    source: Box::new(DeadlineElapsed(deadline)),
                })
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_the_server() {
        let policy = RetryPolicy::standard()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(2, None) <= Duration::from_millis(200));
            assert!(policy.delay(9, None) <= Duration::from_millis(350));
            let asked = policy.delay(1, Some(Duration::from_millis(300)));
            assert!(asked >= Duration::from_millis(300) && asked <= Duration::from_millis(350));
            assert_eq!(
                policy.delay(1, Some(Duration::from_secs(60))),
                Duration::from_millis(350)
            );
        }
    }
}
