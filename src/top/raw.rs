//! Untyped TOP calls: any method, on the same client, signing and errors.

use super::{Idempotency, Method, Params};

/// A request for a method this crate does not type yet. Its answer is the JSON object inside
/// `<method>_response`.
///
/// ```
/// use alibaba_openapi::top::RawRequest;
/// let request = RawRequest::new("taobao.time.get");
/// let with_params = RawRequest::new("taobao.item.seller.get")
///     .param("fields", "num_iid,title")
///     .param("num_iid", "11223344");
/// assert_eq!(with_params.params().get("num_iid"), Some("11223344"));
/// ```
#[derive(Debug, Clone)]
pub struct RawRequest {
    method: String,
    params: Params,
    idempotency: Idempotency,
}

impl RawRequest {
    /// A call of `method`, treated as [`Idempotency::Mutating`] unless told otherwise.
    pub fn new(method: impl Into<String>) -> Self {
        RawRequest {
            method: method.into(),
            params: Params::new(),
            idempotency: Idempotency::Mutating,
        }
    }

    /// Adds a business parameter. Empty values are not sent.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.is_empty() {
            self.params.push(name.into(), value);
        }
        self
    }

    /// States whether the method only reads state.
    pub fn idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// The parameters added so far.
    pub fn params(&self) -> &Params {
        &self.params
    }
}

impl Method for RawRequest {
    type Output = serde_json::Value;

    fn method(&self) -> &str {
        &self.method
    }
    fn idempotency(&self) -> Idempotency {
        self.idempotency
    }
    fn write_params(&self, params: &mut Params) {
        for (name, value) in self.params.iter() {
            params.push(name.to_owned(), value);
        }
    }
}

impl super::Client {
    /// Sends an untyped request; the same as [`send`](super::Client::send) with a
    /// [`RawRequest`].
    pub async fn call(
        &self,
        request: &RawRequest,
    ) -> Result<serde_json::Value, crate::Error<super::ErrorCode>> {
        self.send(request).await
    }
}
