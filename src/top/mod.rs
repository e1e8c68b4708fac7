//! The Taobao Open Platform (TOP): the [`Client`], the [`Method`] trait every request
//! implements, signing ([`sign`]), answer envelopes and the platform's error codes.
//!
//! Methods: [`databank`] (`alibaba.databank.*`). Methods we do not type yet go through
//! [`RawRequest`] on the same client.

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
pub mod databank;
pub(crate) mod envelope;
mod raw;
pub mod sign;

use serde::de::DeserializeOwned;

pub use crate::request::{Idempotency, Params};
pub use client::{
    Client, ClientBuilder, DEFAULT_GATEWAY_URL, ENV_APP_KEY, ENV_APP_SECRET, ENV_GATEWAY_URL,
    ENV_SESSION,
};
pub use raw::RawRequest;
pub use sign::SignMethod;

/// A TOP API method: what [`Client::send`] needs to send a request and decode its answer.
pub trait Method: Send + Sync {
    /// The typed answer: the object inside `<method>_response`.
    type Output: DeserializeOwned;

    /// The method name, e.g. `alibaba.databank.open.auth.apply`.
    fn method(&self) -> &str;
    /// Whether the method only reads state.
    fn idempotency(&self) -> Idempotency;
    /// Writes the business parameters by wire name (struct parameters as compact JSON).
    fn write_params(&self, params: &mut Params);
}

error_codes! {
    /// TOP platform error codes (`code` of `error_response`), with an `Other` fallback.
    ///
    /// The detailed reason is in [`ServiceError::sub_code`](crate::ServiceError::sub_code):
    /// `isv.*` codes are the caller's to fix, `isp.*` codes are server-side and retryable.
    pub enum ErrorCode {
        /// 7, App Call Limited: the app's call quota or rate is exceeded; back off.
        AppCallLimited = "7",
        /// 10, Service Currently Unavailable.
        ServiceUnavailable = "10",
        /// 11, Insufficient ISV Permissions: the app may not call this method.
        InsufficientIsvPermissions = "11",
        /// 12, Insufficient User Permissions: the user did not authorize this.
        InsufficientUserPermissions = "12",
        /// 15, Remote Service Error: the business service failed; see the sub code.
        RemoteServiceError = "15",
        /// 21, Missing Method.
        MissingMethod = "21",
        /// 22, Invalid Method: the method does not exist.
        InvalidMethod = "22",
        /// 24, Missing Signature.
        MissingSignature = "24",
        /// 25, Invalid Signature: the sign does not match (check the app secret and sign method).
        InvalidSignature = "25",
        /// 26, Missing Session: the method needs a user's authorization (`session`).
        MissingSession = "26",
        /// 27, Invalid Session: the session is unknown or expired.
        InvalidSession = "27",
        /// 28, Missing App Key.
        MissingAppKey = "28",
        /// 29, Invalid App Key.
        InvalidAppKey = "29",
        /// 30, Missing Timestamp.
        MissingTimestamp = "30",
        /// 31, Invalid Timestamp: malformed, or more than 10 minutes off (GMT+8).
        InvalidTimestamp = "31",
        /// 32, Missing Version.
        MissingVersion = "32",
        /// 33, Invalid Version.
        InvalidVersion = "33",
        /// 34, Unsupported Version.
        UnsupportedVersion = "34",
        /// 40, Missing Required Arguments.
        MissingRequiredArguments = "40",
        /// 41, Invalid Arguments.
        InvalidArguments = "41",
        /// 42, Forbidden Request.
        ForbiddenRequest = "42",
        /// 43, Parameter Error.
        ParameterError = "43",
        /// 50, Remote service error: what the `alibaba.databank.open.auth.apply` page shows
        /// for a business service that refused the call (other pages use 15); see the sub code.
        RemoteServiceError50 = "50",
        /// 53, Insufficient Security Level.
        InsufficientSecurityLevel = "53",
    }
    throttling = [AppCallLimited];
}
