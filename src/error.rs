//! One error model for every product: [`Error`] around a product's typed [`ServiceError`].

use std::error::Error as StdError;
use std::fmt;
use std::hash::Hash;

/// A boxed error kept as the `source()` of an [`Error`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A product's error-code enum: every documented code, the gateway codes, and a fallback that
/// keeps any code we do not know yet.
///
/// Implemented by `aliyun::ErrorCode`, each product's `ErrorCode` and `top::ErrorCode`.
pub trait ErrorCode: fmt::Debug + Clone + PartialEq + Eq + Hash + Send + Sync + 'static {
    /// Maps a wire code to its variant, or to the fallback variant holding the raw string.
    fn from_wire(code: &str) -> Self;
    /// The wire string of this code.
    fn as_str(&self) -> &str;
    /// Whether this code says the caller was throttled (safe to retry after a pause).
    fn is_throttling(&self) -> bool;
}

/// Everything that can go wrong with a call. `C` is the product's [`ErrorCode`] type.
///
/// ```
/// use alibaba_openapi::aliyun::linkwan;
/// use alibaba_openapi::Error;
///
/// let err = linkwan::SubmitJoinPermissionAuthOrder::builder()
///     .join_permission_id("123")
///     .build()
///     .unwrap_err();
/// assert!(matches!(err, Error::InvalidRequest { ref parameter, .. } if parameter == "RenterAliyunId"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C> {
    /// The request was built wrong; nothing was sent.
    #[non_exhaustive]
    InvalidRequest {
        /// The offending parameter, by its wire name (or the builder setting's name).
        parameter: String,
        /// What is wrong with it.
        message: String,
    },
    /// No credentials could be obtained, or they are unusable.
    #[non_exhaustive]
    Credentials {
        /// What is missing or wrong, and what to set.
        message: String,
    },
    /// The service answered with an error code.
    Service(Box<ServiceError<C>>),
    /// The call did not complete in time.
    #[non_exhaustive]
    Timeout {
        /// The underlying error.
        source: BoxError,
    },
    /// The request could not be delivered or its answer not read: connect, TLS, reset.
    #[non_exhaustive]
    Transport {
        /// The underlying error.
        source: BoxError,
    },
    /// An answer arrived that could not be understood.
    #[non_exhaustive]
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// What did not parse.
        message: String,
        /// The start of the body, truncated, with secrets redacted.
        snippet: String,
    },
}

impl<C: ErrorCode> Error<C> {
    /// The typed error code, when the service answered with one.
    pub fn code(&self) -> Option<&C> {
        match self {
            Error::Service(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError<C>> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The request id the service gave, when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.request_id())
    }

    /// Whether the service throttled the call: a throttling code (`Throttling*`, TOP 7) or a
    /// TOP `accesscontrol.*` sub code.
    pub fn is_throttling(&self) -> bool {
        self.service_error().is_some_and(|e| {
            e.code.is_throttling()
                || e.sub_code
                    .as_deref()
                    .is_some_and(|s| s.starts_with("accesscontrol."))
        })
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the same request may succeed if tried again later: throttling, a server-side
    /// failure (HTTP 5xx), a timeout or a transport failure. Whether it is *safe* to resend
    /// depends on the action too; the client decides that.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(e) => self.is_throttling() || e.transient,
            Error::Timeout { .. } | Error::Transport { .. } => true,
            _ => false,
        }
    }

    /// Converts the error to another product's code type, keeping everything else.
    ///
    /// Every product's codes include the gateway codes, so an error from building a client
    /// (`Error<aliyun::ErrorCode>`) converts into any product's error with `?`.
    pub fn map_code<D: ErrorCode>(self) -> Error<D> {
        match self {
            Error::InvalidRequest { parameter, message } => {
                Error::InvalidRequest { parameter, message }
            }
            Error::Credentials { message } => Error::Credentials { message },
            Error::Service(e) => Error::Service(Box::new(e.map_code())),
            Error::Timeout { source } => Error::Timeout { source },
            Error::Transport { source } => Error::Transport { source },
            Error::Decode {
                status,
                message,
                snippet,
            } => Error::Decode {
                status,
                message,
                snippet,
            },
        }
    }

    /// Removes every occurrence of the given secrets from the text the service sent back
    /// (a gateway may echo the string it signed, security token included).
    pub(crate) fn scrub(mut self, secrets: &[&str]) -> Self {
        use crate::redact::scrub;
        match &mut self {
            Error::Service(e) => {
                scrub(&mut e.message, secrets);
                let optional = [
                    &mut e.recommend,
                    &mut e.access_denied_detail,
                    &mut e.sub_msg,
                ];
                for text in optional.into_iter().flatten() {
                    scrub(text, secrets);
                }
            }
            Error::Decode { snippet, .. } => scrub(snippet, secrets),
            _ => {}
        }
        self
    }

    pub(crate) fn invalid(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            parameter: parameter.into(),
            message: message.into(),
        }
    }

    pub(crate) fn decode(status: u16, message: impl Into<String>, body: &[u8]) -> Self {
        Error::Decode {
            status,
            message: message.into(),
            snippet: crate::redact::snippet(body),
        }
    }
}

impl<C: ErrorCode> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { parameter, message } => {
                write!(f, "invalid request: `{parameter}` {message}; nothing was sent")
            }
            Error::Credentials { message } => write!(f, "no usable credentials: {message}"),
            Error::Service(e) => fmt::Display::fmt(e, f),
            Error::Timeout { source } => write!(f, "the call timed out: {source}"),
            Error::Transport { source } => {
                write!(f, "the request could not be delivered: {source}")?;
                let mut cause = source.source();
                while let Some(c) = cause {
                    write!(f, ": {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::Decode {
                status,
                message,
                snippet,
            } => write!(
                f,
                "could not understand the answer (HTTP {status}): {message}; body starts {snippet:?}"
            ),
        }
    }
}

impl<C: ErrorCode> StdError for Error<C> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Timeout { source } | Error::Transport { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// An error answer from a service: the typed code and everything the service said with it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError<C> {
    pub(crate) code: C,
    pub(crate) raw_code: String,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
    pub(crate) status: u16,
    pub(crate) host_id: Option<String>,
    pub(crate) recommend: Option<String>,
    pub(crate) access_denied_detail: Option<String>,
    pub(crate) sub_code: Option<String>,
    pub(crate) sub_msg: Option<String>,
    /// A server-side failure that may pass: HTTP 5xx, `ServiceUnavailable`, `InternalError`,
    /// TOP 10 or an `isp.*` sub code.
    pub(crate) transient: bool,
    /// The server rejected the request's timestamp.
    pub(crate) clock_skew: bool,
}

impl<C: ErrorCode> ServiceError<C> {
    pub(crate) fn new(
        raw_code: impl Into<String>,
        message: impl Into<String>,
        status: u16,
    ) -> Self {
        let raw_code = raw_code.into();
        ServiceError {
            code: C::from_wire(&raw_code),
            raw_code,
            message: message.into(),
            request_id: None,
            status,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            sub_code: None,
            sub_msg: None,
            transient: status >= 500,
            clock_skew: false,
        }
    }

    /// The typed code.
    pub fn code(&self) -> &C {
        &self.code
    }
    /// The code exactly as the service sent it.
    pub fn raw_code(&self) -> &str {
        &self.raw_code
    }
    /// The service's message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The request id (`RequestId`, TOP `request_id`), trimmed.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// Alibaba Cloud `HostId`.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }
    /// Alibaba Cloud `Recommend`: usually a link to the diagnosis page of this request.
    pub fn recommend(&self) -> Option<&str> {
        self.recommend.as_deref()
    }
    /// Alibaba Cloud `AccessDeniedDetail`, as the JSON text the service sent.
    pub fn access_denied_detail(&self) -> Option<&str> {
        self.access_denied_detail.as_deref()
    }
    /// TOP `sub_code`: the detailed reason (`isv.*` is the caller's, `isp.*` the server's).
    pub fn sub_code(&self) -> Option<&str> {
        self.sub_code.as_deref()
    }
    /// TOP `sub_msg`.
    pub fn sub_msg(&self) -> Option<&str> {
        self.sub_msg.as_deref()
    }

    /// Converts to another product's code type.
    pub fn map_code<D: ErrorCode>(self) -> ServiceError<D> {
        ServiceError {
            code: D::from_wire(&self.raw_code),
            raw_code: self.raw_code,
            message: self.message,
            request_id: self.request_id,
            status: self.status,
            host_id: self.host_id,
            recommend: self.recommend,
            access_denied_detail: self.access_denied_detail,
            sub_code: self.sub_code,
            sub_msg: self.sub_msg,
            transient: self.transient,
            clock_skew: self.clock_skew,
        }
    }
}

impl<C: ErrorCode> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered {}", self.raw_code)?;
        if let Some(sub) = &self.sub_code {
            write!(f, " ({sub})")?;
        }
        let message = self.sub_msg.as_deref().unwrap_or(&self.message);
        if !message.is_empty() {
            write!(f, ": {message}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl<C: ErrorCode> StdError for ServiceError<C> {}
