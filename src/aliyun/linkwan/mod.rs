//! LinkWAN (API version `2019-03-01`): private join permissions and their authorization orders.
//!
//! | action | request | answer |
//! |---|---|---|
//! | `SubmitJoinPermissionAuthOrder` | [`SubmitJoinPermissionAuthOrder`] | [`SubmitJoinPermissionAuthOrderResponse`] |
//! | `GetJoinPermissionAuthOrder` | [`GetJoinPermissionAuthOrder`] | [`GetJoinPermissionAuthOrderResponse`] |
//! | `GetOwnedJoinPermission` | [`GetOwnedJoinPermission`] | [`GetOwnedJoinPermissionResponse`] |
//!
//! Endpoint: `linkwan.<region>.aliyuncs.com` (`cn-shanghai`, `cn-hangzhou`).

mod auth_order;
mod join_permission;

pub use auth_order::{
    GetJoinPermissionAuthOrder, GetJoinPermissionAuthOrderBuilder,
    GetJoinPermissionAuthOrderResponse, JoinPermissionAuthOrder, SubmitJoinPermissionAuthOrder,
    SubmitJoinPermissionAuthOrderBuilder, SubmitJoinPermissionAuthOrderResponse,
};
pub use join_permission::{
    GetOwnedJoinPermission, GetOwnedJoinPermissionBuilder, GetOwnedJoinPermissionResponse,
    OwnedJoinPermission,
};

aliyun_error_codes! {
    /// LinkWAN error codes: those its API pages document, the gateway codes, and `Other`.
    ///
    /// ```
    /// use alibaba_openapi::aliyun::linkwan::ErrorCode;
    /// use alibaba_openapi::ErrorCode as _;
    /// assert_eq!(ErrorCode::from_wire("RenterDoesNotExist"), ErrorCode::RenterDoesNotExist);
    /// assert_eq!(ErrorCode::from_wire("Throttling.User").as_str(), "Throttling.User");
    /// assert_eq!(ErrorCode::from_wire("Brand.New"), ErrorCode::Other("Brand.New".into()));
    /// ```
    pub enum ErrorCode {
        /// `ForbiddenByRam`: the RAM user lacks the permission for this operation.
        ForbiddenByRam = "ForbiddenByRam",
        /// `ForbiddenByRiskControl`: refused because of security risks.
        ForbiddenByRiskControl = "ForbiddenByRiskControl",
        /// `NonExistent`: the specified resource does not exist.
        NonExistent = "NonExistent",
        /// `NotResourceOwner`: the caller may not use this resource.
        NotResourceOwner = "NotResourceOwner",
        /// `CloudProductNotActivated`: the Link WAN service has not been activated.
        CloudProductNotActivated = "CloudProductNotActivated",
        /// `FeatureNotActivated`: the feature has not been activated.
        FeatureNotActivated = "FeatureNotActivated",
        /// `TooManyRenterNonExistentFailures`: too many unknown renter names; try again later.
        TooManyRenterNonExistentFailures = "TooManyRenterNonExistentFailures",
        /// `JoinPermissionAlreadyAuthorized`: the join permission is already granted to a renter.
        JoinPermissionAlreadyAuthorized = "JoinPermissionAlreadyAuthorized",
        /// `RenterDoesNotExist`: the renter account does not exist.
        RenterDoesNotExist = "RenterDoesNotExist",
    }
}

impl From<crate::Error<crate::aliyun::ErrorCode>> for crate::Error<ErrorCode> {
    fn from(e: crate::Error<crate::aliyun::ErrorCode>) -> Self {
        e.map_code()
    }
}

string_enum! {
    /// The state of an authorization order (`OrderState`).
    pub enum OrderState {
        /// `APPLYING`: submitted, waiting for the renter.
        Applying = "APPLYING",
        /// `ACCEPTED`: the renter accepted it.
        Accepted = "ACCEPTED",
        /// `REJECTED`: the renter rejected it.
        Rejected = "REJECTED",
        /// `CANCELED`: the owner canceled it.
        Canceled = "CANCELED",
    }
}

string_enum! {
    /// The authorization state of a join permission (`AuthState`).
    pub enum AuthState {
        /// `NEW`: not granted to anyone.
        New = "NEW",
        /// `APPLYING`: an authorization order waits for the renter.
        Applying = "APPLYING",
        /// `ACCEPTED`: granted to a renter.
        Accepted = "ACCEPTED",
    }
}

string_enum! {
    /// The LoRaWAN class of a join permission (`ClassMode`).
    pub enum ClassMode {
        /// Class A.
        A = "A",
        /// Class B.
        B = "B",
        /// Class C.
        C = "C",
    }
}

string_enum! {
    /// Where a join permission's data is dispatched (`DataDispatchDestination`).
    pub enum DataDispatchDestination {
        /// `IOT`: the IoT Platform.
        Iot = "IOT",
        /// `ONS`: Message Queue.
        Ons = "ONS",
    }
}
