//! Typed, signed calls to Alibaba Cloud OpenAPI (RPC style) and the Taobao Open Platform (TOP).
//!
//! - [`aliyun`]: Alibaba Cloud RPC APIs — [`aliyun::linkwan`], [`aliyun::sms`] — signed with
//!   signature v1 ([`aliyun::sign::v1`]).
//! - [`top`]: the Taobao Open Platform — [`top::databank`] — signed with md5, hmac or
//!   hmac-sha256 ([`top::sign`]).
//! - [`Error`]: one error model for every product, with typed codes you can `match` on.
//! - `emulator` (feature `emulator`): a local server that speaks all of the above, so examples
//!   and tests run with no account and no network.
//!
//! # Quick start
//!
//! ```
//! # #[cfg(feature = "emulator")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use alibaba_openapi::aliyun::{self, linkwan};
//! # let emulator = alibaba_openapi::emulator::Emulator::start().await?;
//! # let (key_id, secret) = (alibaba_openapi::emulator::accounts::OWNER.access_key_id, alibaba_openapi::emulator::accounts::OWNER.access_key_secret);
//!
//! let client = aliyun::Client::builder()
//!     .region("cn-shanghai")
//!     .credentials(aliyun::Credentials::new(key_id, secret))
//! #   .endpoint_url(emulator.url())
//!     .build()?;
//!
//! let request = linkwan::SubmitJoinPermissionAuthOrder::builder()
//!     .join_permission_id("123")
//!     .renter_aliyun_id("some_user")
//!     .build()?;
//! let order = client.send(&request).await?;
//! println!("order {} (request {})", order.order_id, order.request_id);
//!
//! // A second grant of the same permission is a typed error.
//! match client.send(&request).await {
//!     Err(e) if e.code() == Some(&linkwan::ErrorCode::JoinPermissionAlreadyAuthorized) => {}
//!     other => panic!("expected JoinPermissionAlreadyAuthorized, got {other:?}"),
//! }
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "emulator"))]
//! # fn main() {}
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The decoding helpers, macros and builder checks serve the products' generated code: with a
// product left out, some go unused.
#[macro_use]
#[cfg_attr(not(all(feature = "linkwan", feature = "sms")), allow(unused_macros))]
mod macros;
#[macro_use]
pub mod transport;

pub mod aliyun;
#[cfg_attr(not(all(feature = "linkwan", feature = "sms")), allow(dead_code))]
mod builder;
pub mod credentials;
#[cfg_attr(not(all(feature = "linkwan", feature = "sms")), allow(dead_code))]
mod decode;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
mod redact;
pub mod request;
pub mod top;

#[cfg(feature = "emulator")]
#[cfg_attr(docsrs, doc(cfg(feature = "emulator")))]
pub mod emulator;

pub use error::{Error, ErrorCode, ServiceError};

/// The README's snippets, compiled and run as doc tests.
#[cfg(all(doctest, feature = "emulator"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
