//! Untyped calls: any RPC action, on the same client, credentials and errors.

use super::{Action, ErrorCode, Idempotency, ParamLocation, Params, Product};

/// A request for an action this crate does not type yet. Its answer is the whole JSON body.
///
/// Failures are still typed errors (`Error<aliyun::ErrorCode>`, the gateway codes and
/// `Other`), including HTTP 200 bodies with `"Success": false` and, for Dysmsapi, a `Code`
/// other than `OK`.
///
/// ```
/// use alibaba_openapi::aliyun::{Idempotency, RawRequest};
/// let request = RawRequest::new("linkwan", "2019-03-01", "ListOwnedJoinPermissions")
///     .param("Limit", "10")
///     .param("Offset", "0")
///     .idempotency(Idempotency::ReadOnly);
/// assert_eq!(request.params().get("Limit"), Some("10"));
/// ```
#[derive(Debug, Clone)]
pub struct RawRequest {
    product: Product,
    action: String,
    params: Params,
    idempotency: Idempotency,
    location: ParamLocation,
}

impl RawRequest {
    /// An action of a product, by product code (`linkwan`, `dysmsapi`, `ecs`, ...) and API
    /// version. Known products keep their endpoint rules; others are served at
    /// `<code>.<region>.aliyuncs.com` unless an endpoint override applies.
    ///
    /// It is treated as [`Idempotency::Mutating`] unless told otherwise.
    pub fn new(product_code: &str, version: &str, action: impl Into<String>) -> Self {
        RawRequest {
            product: Product::custom(product_code, version.to_owned()),
            action: action.into(),
            params: Params::new(),
            idempotency: Idempotency::Mutating,
            location: ParamLocation::Query,
        }
    }

    /// Adds a parameter by its wire name. Empty values are not sent.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.is_empty() {
            self.params.push(name.into(), value);
        }
        self
    }

    /// States whether the action only reads state.
    pub fn idempotency(mut self, idempotency: Idempotency) -> Self {
        self.idempotency = idempotency;
        self
    }

    /// Sends the parameters in a form body instead of the query string.
    pub fn param_location(mut self, location: ParamLocation) -> Self {
        self.location = location;
        self
    }

    /// The parameters added so far.
    pub fn params(&self) -> &Params {
        &self.params
    }
}

impl Action for RawRequest {
    type Output = serde_json::Value;
    type ErrorCode = ErrorCode;

    fn product(&self) -> &Product {
        &self.product
    }
    fn action(&self) -> &str {
        &self.action
    }
    fn idempotency(&self) -> Idempotency {
        self.idempotency
    }
    fn write_params(&self, params: &mut Params) {
        for (name, value) in self.params.iter() {
            params.push(name.to_owned(), value);
        }
    }
    fn param_location(&self) -> ParamLocation {
        self.location
    }
}

impl super::Client {
    /// Sends an untyped request; the answer is the whole JSON body.
    ///
    /// The same as [`send`](super::Client::send) with a [`RawRequest`].
    pub async fn call(
        &self,
        request: &RawRequest,
    ) -> Result<serde_json::Value, crate::Error<ErrorCode>> {
        self.send(request).await
    }
}
