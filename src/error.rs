//! One error model for every product: [`Error`] around a product's typed [`ServiceError`].

use std::error::Error as StdError;
use std::fmt;
use std::hash::Hash;

use crate::redact::{snippet_scrubbed, truncate, Secrets, MAX_ID_LEN, MAX_MESSAGE_LEN};

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
/// `Display` is one line about this error; the cause, when there is one, is returned by
/// [`source()`](std::error::Error::source) and not repeated in `Display`, so that error
/// reporters (`anyhow`, `eyre`, ...) print each cause once.
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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<C> {
    /// The request was built wrong; nothing was sent.
    #[non_exhaustive]
    #[error("invalid request: `{parameter}` {message}; nothing was sent")]
    InvalidRequest {
        /// The offending parameter, by its wire name (or the builder setting's name).
        parameter: String,
        /// What is wrong with it.
        message: String,
    },
    /// No credentials could be obtained, or they are unusable.
    #[non_exhaustive]
    #[error("no usable credentials: {message}")]
    Credentials {
        /// What is missing or wrong, and what to set.
        message: String,
    },
    /// The service answered with an error code.
    #[error(transparent)]
    Service(Box<ServiceError<C>>),
    /// The call did not complete in time: the connect timeout, the attempt timeout, a read
    /// that waited longer than the read timeout, or the call's deadline.
    #[non_exhaustive]
    #[error("the call timed out")]
    Timeout {
        /// What timed out.
        source: BoxError,
    },
    /// The request could not be delivered or its answer not read: connect, TLS, reset.
    #[non_exhaustive]
    #[error("the request could not be delivered")]
    Transport {
        /// The underlying error.
        source: BoxError,
    },
    /// The server answered with a redirection (HTTP 3xx). An API gateway never redirects a
    /// signed call, so the client follows none: the request, its signature and its security
    /// token go to no other host. Not retried.
    #[non_exhaustive]
    #[error(
        "the server redirected the call (HTTP {status}) to {}; signed calls are never followed",
        location.as_deref().unwrap_or("no named host")
    )]
    Redirect {
        /// The HTTP status of the redirection.
        status: u16,
        /// The host (and port) the server redirected to, when it named one.
        location: Option<String>,
    },
    /// The server answered an HTTP error status without an error code of the API: typically
    /// the HTML page of a proxy or load balancer (502, 503, 504). A 5xx is retried like any
    /// server-side failure (read-only actions only), a 429 like throttling.
    #[non_exhaustive]
    #[error(
        "the server answered HTTP {status} without an API error code; body starts {snippet:?}"
    )]
    HttpStatus {
        /// The HTTP status.
        status: u16,
        /// The start of the body, truncated to 256 bytes, with secrets redacted.
        snippet: String,
    },
    /// An answer arrived that could not be understood.
    #[non_exhaustive]
    #[error("could not understand the answer (HTTP {status}): {message}; body starts {snippet:?}")]
    Decode {
        /// The HTTP status of the answer.
        status: u16,
        /// What did not parse.
        message: String,
        /// The start of the body, truncated to 256 bytes, with secrets redacted.
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

    /// Whether the service throttled the call: a throttling code (`Throttling*`, TOP 7), a
    /// TOP `accesscontrol.*` sub code, or a bare HTTP 429.
    pub fn is_throttling(&self) -> bool {
        match self {
            Error::Service(e) => {
                e.code.is_throttling()
                    || e.sub_code
                        .as_deref()
                        .is_some_and(|s| s.starts_with("accesscontrol."))
            }
            Error::HttpStatus { status, .. } => *status == 429,
            _ => false,
        }
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the same request may succeed if tried again later: throttling, a server-side
    /// failure (HTTP 5xx, with or without an error code), a timeout or a transport failure.
    /// Whether it is *safe* to resend depends on the action too; the client decides that.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(e) => self.is_throttling() || e.transient,
            Error::HttpStatus { status, .. } => self.is_throttling() || *status >= 500,
            Error::Timeout { .. } | Error::Transport { .. } => true,
            _ => false,
        }
    }

    /// Whether the server failed on its side (so the request may have been processed): a
    /// transient service error or an HTTP 5xx without an error code.
    pub(crate) fn is_server_side(&self) -> bool {
        match self {
            Error::Service(e) => e.transient,
            Error::HttpStatus { status, .. } => *status >= 500,
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
            Error::Redirect { status, location } => Error::Redirect { status, location },
            Error::HttpStatus { status, snippet } => Error::HttpStatus { status, snippet },
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

    pub(crate) fn invalid(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            parameter: parameter.into(),
            message: message.into(),
        }
    }

    /// An answer that could not be understood; the snippet of `body` has `secrets` removed.
    pub(crate) fn decode(
        status: u16,
        message: impl Into<String>,
        body: &[u8],
        secrets: &Secrets,
    ) -> Self {
        let mut message = message.into();
        truncate(&mut message, MAX_MESSAGE_LEN);
        Error::Decode {
            status,
            message,
            snippet: snippet_scrubbed(body, secrets),
        }
    }

    /// An HTTP error status without an API error code.
    pub(crate) fn http_status(status: u16, body: &[u8], secrets: &Secrets) -> Self {
        Error::HttpStatus {
            status,
            snippet: snippet_scrubbed(body, secrets),
        }
    }
}

/// An error answer from a service: the typed code and everything the service said with it.
///
/// What the service sent is kept bounded: the code, request id and host id up to 256 bytes,
/// each message (`Message`, `Recommend`, `AccessDeniedDetail`, TOP `sub_msg`) up to 1024 bytes,
/// cut on a character boundary and marked with `…`; every secret the call used (AccessKey
/// secret, security token, signature, TOP `sign` and session, a Data Bank `sk`), in every
/// encoding it was sent in, is replaced before the cut.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error(
    "the service answered {raw_code}{}{} (HTTP {status}{})",
    sub_code_part(.sub_code),
    message_part(.sub_msg, .message),
    request_id_part(.request_id)
)]
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
        let mut raw_code = raw_code.into();
        truncate(&mut raw_code, MAX_ID_LEN);
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

    /// Removes `secrets` from every text the service sent, then bounds each text's length.
    pub(crate) fn sanitized(mut self, secrets: &Secrets) -> Self {
        let ids = [&mut self.request_id, &mut self.host_id];
        for text in ids.into_iter().flatten() {
            secrets.scrub(text);
            truncate(text, MAX_ID_LEN);
        }
        secrets.scrub(&mut self.message);
        truncate(&mut self.message, MAX_MESSAGE_LEN);
        let optional = [
            &mut self.recommend,
            &mut self.access_denied_detail,
            &mut self.sub_code,
            &mut self.sub_msg,
        ];
        for text in optional.into_iter().flatten() {
            secrets.scrub(text);
            truncate(text, MAX_MESSAGE_LEN);
        }
        self
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

fn sub_code_part(sub_code: &Option<String>) -> String {
    sub_code
        .as_deref()
        .map_or_else(String::new, |sub| format!(" ({sub})"))
}

fn message_part(sub_msg: &Option<String>, message: &str) -> String {
    let message = sub_msg.as_deref().unwrap_or(message);
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

fn request_id_part(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map_or_else(String::new, |id| format!(", request id {id}"))
}
