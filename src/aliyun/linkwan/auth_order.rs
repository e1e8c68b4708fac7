//! Authorization orders: `SubmitJoinPermissionAuthOrder`, `GetJoinPermissionAuthOrder`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{ErrorCode, OrderState};
use crate::aliyun::{required, Action, Idempotency, Params, Product};
use crate::Error;

/// `SubmitJoinPermissionAuthOrder`: offers a private join permission to a renter (a solution
/// provider). The grant completes when the renter accepts the order.
///
/// ```
/// use alibaba_openapi::aliyun::linkwan::SubmitJoinPermissionAuthOrder;
/// let request = SubmitJoinPermissionAuthOrder::builder()
///     .join_permission_id("123")
///     .renter_aliyun_id("some_user")
///     .build()?;
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::aliyun::linkwan::ErrorCode>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitJoinPermissionAuthOrder {
    join_permission_id: String,
    renter_aliyun_id: String,
}

impl SubmitJoinPermissionAuthOrder {
    /// Starts building the request.
    pub fn builder() -> SubmitJoinPermissionAuthOrderBuilder {
        SubmitJoinPermissionAuthOrderBuilder::default()
    }
}

/// Builds a [`SubmitJoinPermissionAuthOrder`].
#[derive(Debug, Clone, Default)]
pub struct SubmitJoinPermissionAuthOrderBuilder {
    join_permission_id: Option<String>,
    renter_aliyun_id: Option<String>,
}

impl SubmitJoinPermissionAuthOrderBuilder {
    /// `JoinPermissionId` (required): the join permission to grant.
    pub fn join_permission_id(mut self, id: impl Into<String>) -> Self {
        self.join_permission_id = Some(id.into());
        self
    }

    /// `RenterAliyunId` (required): the Alibaba Cloud account to grant it to.
    pub fn renter_aliyun_id(mut self, id: impl Into<String>) -> Self {
        self.renter_aliyun_id = Some(id.into());
        self
    }

    /// Checks the required parameters.
    pub fn build(self) -> Result<SubmitJoinPermissionAuthOrder, Error<ErrorCode>> {
        Ok(SubmitJoinPermissionAuthOrder {
            join_permission_id: required("JoinPermissionId", self.join_permission_id)?,
            renter_aliyun_id: required("RenterAliyunId", self.renter_aliyun_id)?,
        })
    }
}

impl Action for SubmitJoinPermissionAuthOrder {
    type Output = SubmitJoinPermissionAuthOrderResponse;
    type ErrorCode = ErrorCode;

    fn product(&self) -> &Product {
        &Product::LINKWAN
    }
    fn action(&self) -> &str {
        "SubmitJoinPermissionAuthOrder"
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::Mutating
    }
    fn write_params(&self, params: &mut Params) {
        params.push("JoinPermissionId", self.join_permission_id.as_str());
        params.push("RenterAliyunId", self.renter_aliyun_id.as_str());
    }
}

/// The answer to [`SubmitJoinPermissionAuthOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SubmitJoinPermissionAuthOrderResponse {
    /// `Data`: the id of the new authorization order (sent as a number or a numeric string).
    #[serde(rename = "Data", deserialize_with = "crate::decode::u64")]
    pub order_id: u64,
    /// `RequestId`.
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "crate::decode::request_id"
    )]
    pub request_id: String,
}

/// `GetJoinPermissionAuthOrder`: reads an authorization order.
///
/// ```
/// use alibaba_openapi::aliyun::linkwan::GetJoinPermissionAuthOrder;
/// let request = GetJoinPermissionAuthOrder::builder().order_id(1234).build()?;
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::aliyun::linkwan::ErrorCode>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetJoinPermissionAuthOrder {
    order_id: String,
}

impl GetJoinPermissionAuthOrder {
    /// Starts building the request.
    pub fn builder() -> GetJoinPermissionAuthOrderBuilder {
        GetJoinPermissionAuthOrderBuilder::default()
    }
}

/// Builds a [`GetJoinPermissionAuthOrder`].
#[derive(Debug, Clone, Default)]
pub struct GetJoinPermissionAuthOrderBuilder {
    order_id: Option<String>,
}

impl GetJoinPermissionAuthOrderBuilder {
    /// `OrderId` (required): the order, as returned by
    /// [`SubmitJoinPermissionAuthOrder`](super::SubmitJoinPermissionAuthOrder) (a number or a
    /// string).
    pub fn order_id(mut self, id: impl ToString) -> Self {
        self.order_id = Some(id.to_string());
        self
    }

    /// Checks the required parameters.
    pub fn build(self) -> Result<GetJoinPermissionAuthOrder, Error<ErrorCode>> {
        Ok(GetJoinPermissionAuthOrder {
            order_id: required("OrderId", self.order_id)?,
        })
    }
}

impl Action for GetJoinPermissionAuthOrder {
    type Output = GetJoinPermissionAuthOrderResponse;
    type ErrorCode = ErrorCode;

    fn product(&self) -> &Product {
        &Product::LINKWAN
    }
    fn action(&self) -> &str {
        "GetJoinPermissionAuthOrder"
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::ReadOnly
    }
    fn write_params(&self, params: &mut Params) {
        params.push("OrderId", self.order_id.as_str());
    }
}

/// The answer to [`GetJoinPermissionAuthOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GetJoinPermissionAuthOrderResponse {
    /// `Data`: the order.
    #[serde(rename = "Data")]
    pub order: JoinPermissionAuthOrder,
    /// `RequestId`.
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "crate::decode::request_id"
    )]
    pub request_id: String,
}

/// An authorization order (`Data` of `GetJoinPermissionAuthOrder`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct JoinPermissionAuthOrder {
    /// `OrderId`.
    #[serde(rename = "OrderId", deserialize_with = "crate::decode::u64")]
    pub order_id: u64,
    /// `JoinPermissionId`: the join permission being granted.
    #[serde(
        rename = "JoinPermissionId",
        deserialize_with = "crate::decode::lenient_string"
    )]
    pub join_permission_id: String,
    /// `OrderState`.
    #[serde(rename = "OrderState")]
    pub order_state: OrderState,
    /// `OwnerAliyunId`: the account that owns the join permission.
    #[serde(
        rename = "OwnerAliyunId",
        default,
        deserialize_with = "crate::decode::opt_string"
    )]
    pub owner_aliyun_id: Option<String>,
    /// `RenterAliyunId`: the account it is granted to.
    #[serde(
        rename = "RenterAliyunId",
        default,
        deserialize_with = "crate::decode::opt_string"
    )]
    pub renter_aliyun_id: Option<String>,
    /// `ApplyingMillis`: when the order was submitted.
    #[serde(
        rename = "ApplyingMillis",
        default,
        deserialize_with = "crate::decode::opt_millis"
    )]
    pub applying_at: Option<DateTime<Utc>>,
    /// `AcceptedMillis`: when the renter accepted it.
    #[serde(
        rename = "AcceptedMillis",
        default,
        deserialize_with = "crate::decode::opt_millis"
    )]
    pub accepted_at: Option<DateTime<Utc>>,
    /// `RejectedMillis`: when the renter rejected it.
    #[serde(
        rename = "RejectedMillis",
        default,
        deserialize_with = "crate::decode::opt_millis"
    )]
    pub rejected_at: Option<DateTime<Utc>>,
    /// `CanceledMillis`: when it was canceled.
    #[serde(
        rename = "CanceledMillis",
        default,
        deserialize_with = "crate::decode::opt_millis"
    )]
    pub canceled_at: Option<DateTime<Utc>>,
}
