//! Join permissions: `GetOwnedJoinPermission`.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{AuthState, ClassMode, DataDispatchDestination, ErrorCode};
use crate::aliyun::{required, Action, Idempotency, Params, Product};
use crate::Error;

/// `GetOwnedJoinPermission`: reads a private join permission the caller owns.
///
/// ```
/// use alibaba_openapi::aliyun::linkwan::GetOwnedJoinPermission;
/// let request = GetOwnedJoinPermission::builder()
///     .join_permission_id("123")
///     .iot_instance_id("iot-cn-0pp1n8t****")
///     .build()?;
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::aliyun::linkwan::ErrorCode>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOwnedJoinPermission {
    join_permission_id: String,
    iot_instance_id: Option<String>,
}

impl GetOwnedJoinPermission {
    /// Starts building the request.
    pub fn builder() -> GetOwnedJoinPermissionBuilder {
        GetOwnedJoinPermissionBuilder::default()
    }
}

/// Builds a [`GetOwnedJoinPermission`].
#[derive(Debug, Clone, Default)]
pub struct GetOwnedJoinPermissionBuilder {
    join_permission_id: Option<String>,
    iot_instance_id: Option<String>,
}

impl GetOwnedJoinPermissionBuilder {
    /// `JoinPermissionId` (required).
    pub fn join_permission_id(mut self, id: impl Into<String>) -> Self {
        self.join_permission_id = Some(id.into());
        self
    }

    /// `IotInstanceId` (optional): the IoT Platform instance; required when the instance has
    /// an id.
    pub fn iot_instance_id(mut self, id: impl Into<String>) -> Self {
        self.iot_instance_id = Some(id.into());
        self
    }

    /// Checks the required parameters.
    pub fn build(self) -> Result<GetOwnedJoinPermission, Error<ErrorCode>> {
        Ok(GetOwnedJoinPermission {
            join_permission_id: required("JoinPermissionId", self.join_permission_id)?,
            iot_instance_id: self.iot_instance_id.filter(|s| !s.is_empty()),
        })
    }
}

impl Action for GetOwnedJoinPermission {
    type Output = GetOwnedJoinPermissionResponse;
    type ErrorCode = ErrorCode;

    fn product(&self) -> &Product {
        &Product::LINKWAN
    }
    fn action(&self) -> &str {
        "GetOwnedJoinPermission"
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::ReadOnly
    }
    fn write_params(&self, params: &mut Params) {
        params.push("JoinPermissionId", self.join_permission_id.as_str());
        params.push_opt("IotInstanceId", self.iot_instance_id.as_deref());
    }
}

/// The answer to [`GetOwnedJoinPermission`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GetOwnedJoinPermissionResponse {
    /// `Data`: the join permission.
    #[serde(rename = "Data")]
    pub join_permission: OwnedJoinPermission,
    /// `RequestId`.
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "crate::decode::request_id"
    )]
    pub request_id: String,
}

/// A join permission the caller owns (`Data` of `GetOwnedJoinPermission`).
///
/// Fields the service may leave out are `Option`s.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OwnedJoinPermission {
    /// `JoinPermissionId` (documented as a string, sent as a number too).
    #[serde(
        rename = "JoinPermissionId",
        deserialize_with = "crate::decode::lenient_string"
    )]
    pub join_permission_id: String,
    /// `JoinPermissionName`.
    #[serde(
        rename = "JoinPermissionName",
        default,
        deserialize_with = "crate::decode::opt_string"
    )]
    pub join_permission_name: Option<String>,
    /// `JoinEui`: the JoinEUI as 16 hex digits (a numeric answer such as `0` is padded back).
    #[serde(
        rename = "JoinEui",
        default,
        deserialize_with = "crate::decode::opt_eui"
    )]
    pub join_eui: Option<String>,
    /// `AuthState`: whether it is granted to a renter.
    #[serde(rename = "AuthState", default)]
    pub auth_state: Option<AuthState>,
    /// `RenterAliyunId`: the renter's account, when granted.
    #[serde(
        rename = "RenterAliyunId",
        default,
        deserialize_with = "crate::decode::opt_string"
    )]
    pub renter_aliyun_id: Option<String>,
    /// `Enabled`: whether it is enabled.
    #[serde(
        rename = "Enabled",
        default,
        deserialize_with = "crate::decode::opt_bool"
    )]
    pub enabled: Option<bool>,
    /// `ClassMode`: the LoRaWAN class.
    #[serde(rename = "ClassMode", default)]
    pub class_mode: Option<ClassMode>,
    /// `FreqBandPlanGroupId`: the frequency band plan.
    #[serde(
        rename = "FreqBandPlanGroupId",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub freq_band_plan_group_id: Option<u64>,
    /// `DataRate`.
    #[serde(
        rename = "DataRate",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub data_rate: Option<u64>,
    /// `RxDelay`: the Class A receive window delay, in seconds.
    #[serde(
        rename = "RxDelay",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub rx_delay: Option<u64>,
    /// `DataDispatchDestination`.
    #[serde(rename = "DataDispatchDestination", default)]
    pub data_dispatch_destination: Option<DataDispatchDestination>,
    /// `BoundProductName`: the IoT Platform product data flows to, when configured.
    #[serde(
        rename = "BoundProductName",
        default,
        deserialize_with = "crate::decode::opt_string"
    )]
    pub bound_product_name: Option<String>,
    /// `NodesCnt`: how many nodes use it.
    #[serde(
        rename = "NodesCnt",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub nodes_count: Option<u64>,
    /// `MulticastEnabled`.
    #[serde(
        rename = "MulticastEnabled",
        default,
        deserialize_with = "crate::decode::opt_bool"
    )]
    pub multicast_enabled: Option<bool>,
    /// `MulticastNodeCapacity`.
    #[serde(
        rename = "MulticastNodeCapacity",
        default,
        deserialize_with = "crate::decode::opt_u32"
    )]
    pub multicast_node_capacity: Option<u32>,
    /// `MulticastNodeCount`: only when multicast is enabled.
    #[serde(
        rename = "MulticastNodeCount",
        default,
        deserialize_with = "crate::decode::opt_u32"
    )]
    pub multicast_node_count: Option<u32>,
    /// `RxDailySum`: uplink packets today.
    #[serde(
        rename = "RxDailySum",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub rx_daily_sum: Option<u64>,
    /// `RxMonthSum`: uplink packets this month.
    #[serde(
        rename = "RxMonthSum",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub rx_month_sum: Option<u64>,
    /// `TxDailySum`: downlink packets today.
    #[serde(
        rename = "TxDailySum",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub tx_daily_sum: Option<u64>,
    /// `TxMonthSum`: downlink packets this month.
    #[serde(
        rename = "TxMonthSum",
        default,
        deserialize_with = "crate::decode::opt_u64"
    )]
    pub tx_month_sum: Option<u64>,
    /// `CreateMillis`: when it was created.
    #[serde(
        rename = "CreateMillis",
        default,
        deserialize_with = "crate::decode::opt_millis"
    )]
    pub created_at: Option<DateTime<Utc>>,
}
