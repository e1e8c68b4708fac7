//! Alibaba Cloud RPC-style APIs: the [`Client`], the [`Action`] trait every request implements,
//! endpoint resolution, response envelopes and the gateway error codes.
//!
//! Products: [`linkwan`] (LinkWAN, `2019-03-01`) and [`sms`] (Dysmsapi, `2017-05-25`).
//! Actions we do not type yet go through [`RawRequest`] on the same client.

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
pub(crate) mod endpoint;
pub(crate) mod envelope;
#[cfg(feature = "linkwan")]
#[cfg_attr(docsrs, doc(cfg(feature = "linkwan")))]
pub mod linkwan;
mod paginate;
mod raw;
pub mod sign;
#[cfg(feature = "sms")]
#[cfg_attr(docsrs, doc(cfg(feature = "sms")))]
pub mod sms;
pub(crate) mod wire;

use serde::de::DeserializeOwned;

pub use crate::credentials::Credentials;
pub use crate::request::{Idempotency, Params};
pub use client::{Client, ClientBuilder};
pub use endpoint::Product;
pub use paginate::{Cursor, Items, PageInfo, Pages, Paginate};
pub use raw::RawRequest;
pub use wire::SignatureVersion;

aliyun_error_codes! {
    /// The gateway error codes common to every Alibaba Cloud product, with an `Other` fallback.
    ///
    /// Errors of untyped calls ([`RawRequest`]) and of building a client carry this type;
    /// `Error::map_code` converts them to any product's codes.
    pub enum ErrorCode {}
}

/// An Alibaba Cloud RPC action: what [`Client::send`] needs to know to send a request and
/// decode its answer.
///
/// Every request struct of this crate implements it; implement it yourself for an action the
/// crate does not cover yet, or use [`RawRequest`].
pub trait Action: Send + Sync {
    /// The typed answer.
    type Output: DeserializeOwned;
    /// The product's error codes.
    type ErrorCode: crate::ErrorCode;

    /// The product this action belongs to (endpoint, API version, envelope rules).
    fn product(&self) -> &Product;
    /// The action name, e.g. `SubmitJoinPermissionAuthOrder`.
    fn action(&self) -> &str;
    /// Whether the action only reads state.
    fn idempotency(&self) -> Idempotency;
    /// Writes the action's own parameters (not the common ones) by wire name.
    fn write_params(&self, params: &mut Params);
    /// Where the action's own parameters travel: the query string (the default, and what
    /// every action of this crate uses) or a form body.
    fn param_location(&self) -> ParamLocation {
        ParamLocation::Query
    }
}

/// Where an action's own parameters travel. Signatures cover them either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ParamLocation {
    /// In the query string.
    #[default]
    Query,
    /// In an `application/x-www-form-urlencoded` body.
    Body,
}
