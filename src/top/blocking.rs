//! A synchronous Taobao Open Platform client (feature `blocking`), for applications without an
//! async runtime.
//!
//! It is the async [`Client`](super::Client) driven by a small runtime of its own: the same
//! builder, requests, responses, errors, signing and retries; only the waiting differs. Do not
//! call it from inside an async runtime.
//!
//! ```no_run
//! use alibaba_openapi::top::{blocking, RawRequest};
//!
//! let client = blocking::Client::builder()
//!     .app_key("12345678")
//!     .app_secret("...")
//!     .build_blocking()?;
//! let now = client.call(&RawRequest::new("taobao.time.get"))?;
//! # Ok::<(), alibaba_openapi::Error<alibaba_openapi::top::ErrorCode>>(())
//! ```

use std::fmt;

use super::{ClientBuilder, ErrorCode, Method, RawRequest};
use crate::transport::{BlockingRuntime, CallOptions};
use crate::Error;

/// A synchronous TOP client. Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: super::Client,
    runtime: BlockingRuntime,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.inner)
            .finish()
    }
}

impl Client {
    /// Starts building a client: the same builder as the async client's; finish it with
    /// [`ClientBuilder::build_blocking`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Wraps an async client; its connection pool is driven by this client's runtime.
    pub fn from_async(client: super::Client) -> Result<Self, Error<ErrorCode>> {
        Ok(Client {
            inner: client,
            runtime: BlockingRuntime::new()?,
        })
    }

    /// Sends a request and waits for its typed answer. See [`super::Client::send`].
    pub fn send<M: Method>(&self, request: &M) -> Result<M::Output, Error<ErrorCode>> {
        self.runtime.block_on(self.inner.send(request))
    }

    /// Sends a request with settings for this call only. See [`super::Client::send_with`].
    pub fn send_with<M: Method>(
        &self,
        request: &M,
        options: &CallOptions,
    ) -> Result<M::Output, Error<ErrorCode>> {
        self.runtime
            .block_on(self.inner.send_with(request, options))
    }

    /// Sends an untyped request. See [`super::Client::call`].
    pub fn call(&self, request: &RawRequest) -> Result<serde_json::Value, Error<ErrorCode>> {
        self.runtime.block_on(self.inner.call(request))
    }

    /// The async client underneath.
    pub fn as_async(&self) -> &super::Client {
        &self.inner
    }
}

impl ClientBuilder {
    /// Builds a [`blocking::Client`](Client): the same settings, a synchronous API.
    pub fn build_blocking(self) -> Result<Client, Error<ErrorCode>> {
        Client::from_async(self.build()?)
    }
}
