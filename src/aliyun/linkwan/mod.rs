//! LinkWAN (API version `2019-03-01`): LoRaWAN networks — join permissions and their
//! authorization orders, gateways, nodes and node groups, notifications, packets.
//!
//! Endpoint: `linkwan.<region>.aliyuncs.com` (`cn-shanghai`, `cn-hangzhou`). Every action
//! answers `{"RequestId", "Success", "Data"}`; `"Success": false` is an error.
//!
//! The types below are generated from `models/linkwan-2019-03-01.json` and its overlay
//! (`cargo run -p codegen`): one request type per action with its builder, one answer type,
//! and [`ErrorCode`] with every documented code.
//!
//! ```
//! use alibaba_openapi::aliyun::linkwan::ErrorCode;
//! use alibaba_openapi::ErrorCode as _;
//! assert_eq!(ErrorCode::from_wire("RenterDoesNotExist"), ErrorCode::RenterDoesNotExist);
//! assert_eq!(ErrorCode::from_wire("Throttling.User").as_str(), "Throttling.User");
//! assert_eq!(ErrorCode::from_wire("Brand.New"), ErrorCode::Other("Brand.New".into()));
//! ```
//!
#![doc = include_str!("actions/ACTIONS.md")]

mod actions;

pub use actions::*;

impl From<crate::Error<crate::aliyun::ErrorCode>> for crate::Error<ErrorCode> {
    fn from(e: crate::Error<crate::aliyun::ErrorCode>) -> Self {
        e.map_code()
    }
}
