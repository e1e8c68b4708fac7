//! A synchronous Alibaba Cloud client (feature `blocking`), for applications without an async
//! runtime.
//!
//! It is the async [`Client`](super::Client) driven by a small runtime of its own: the same
//! builder, requests, responses, errors, signing, retries and tracing; only the waiting differs.
//! Do not call it from inside an async runtime (use the async client there).
//!
//! ```no_run
//! use alibaba_openapi::aliyun::{blocking, linkwan};
//!
//! let client = blocking::Client::builder().region("cn-shanghai").build_blocking()?;
//! let request = linkwan::GetOwnedJoinPermission::builder().join_permission_id("123").build()?;
//! let permission = client.send(&request)?.join_permission;
//! println!("{}: {:?}", permission.join_permission_id, permission.join_eui);
//! # Ok::<(), alibaba_openapi::Error<linkwan::ErrorCode>>(())
//! ```

use std::fmt;

use super::{Action, ClientBuilder, ErrorCode, RawRequest, SignatureVersion};
use crate::transport::{BlockingRuntime, CallOptions};
use crate::Error;

/// A synchronous client for Alibaba Cloud RPC APIs. Cheap to clone, `Send + Sync`.
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
    pub fn send<A: Action>(&self, action: &A) -> Result<A::Output, Error<A::ErrorCode>> {
        self.runtime.block_on(self.inner.send(action))
    }

    /// Sends a request with settings for this call only. See [`super::Client::send_with`].
    pub fn send_with<A: Action>(
        &self,
        action: &A,
        options: &CallOptions,
    ) -> Result<A::Output, Error<A::ErrorCode>> {
        self.runtime.block_on(self.inner.send_with(action, options))
    }

    /// Sends an untyped request. See [`super::Client::call`].
    pub fn call(&self, request: &RawRequest) -> Result<serde_json::Value, Error<ErrorCode>> {
        self.runtime.block_on(self.inner.call(request))
    }

    /// This client, signing with `version` instead. See [`super::Client::with_signature_version`].
    pub fn with_signature_version(&self, version: SignatureVersion) -> Client {
        Client {
            inner: self.inner.with_signature_version(version),
            runtime: self.runtime.clone(),
        }
    }

    /// Walks a paging action to its end: an `Iterator` of answers, one call each, starting
    /// where `request` starts; [`Pages::items`] iterates over their items. See
    /// [`super::Client::paginate`].
    pub fn paginate<A>(&self, request: A) -> Pages<A>
    where
        A: super::Paginate,
        A::Output: Send,
    {
        Pages {
            pages: self.inner.paginate(request),
            runtime: self.runtime.clone(),
        }
    }

    /// The async client underneath, sharing the connection pool and credentials.
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

/// The pages of a listing, one call each: an `Iterator` of answers. Made by
/// [`Client::paginate`].
#[derive(Debug)]
pub struct Pages<A: super::Paginate> {
    pages: super::Pages<A>,
    runtime: BlockingRuntime,
}

impl<A> Pages<A>
where
    A: super::Paginate,
    A::Output: Send,
{
    /// The items of every page, in order.
    pub fn items(self) -> Items<A> {
        Items {
            items: self.pages.items(),
            runtime: self.runtime,
        }
    }
}

impl<A> Iterator for Pages<A>
where
    A: super::Paginate,
    A::Output: Send,
{
    type Item = Result<A::Output, Error<A::ErrorCode>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.pages.next())
    }
}

/// The items of every page of a listing, in order: an `Iterator`. Made by [`Pages::items`].
#[derive(Debug)]
pub struct Items<A: super::Paginate> {
    items: super::Items<A>,
    runtime: BlockingRuntime,
}

impl<A> Iterator for Items<A>
where
    A: super::Paginate,
    A::Output: Send,
{
    type Item = Result<A::Item, Error<A::ErrorCode>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.items.next())
    }
}
