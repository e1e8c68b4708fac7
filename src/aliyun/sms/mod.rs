//! Short Message Service (Dysmsapi, API version `2017-05-25`): sending messages and reading
//! their receipts, signatures, templates, letters of authorization, qualifications, card and
//! digital messages, short URLs, tags.
//!
//! Endpoint: `dysmsapi.aliyuncs.com`, or a regional host (see [`Product::DYSMSAPI`](crate::aliyun::Product::DYSMSAPI)).
//! Dysmsapi reports business failures with HTTP 200 and a `Code` other than `OK` (for
//! example `isv.BUSINESS_LIMIT_CONTROL` when a number's flow control is reached): those are
//! errors here too, with their typed [`ErrorCode`].
//!
//! The types below are generated from `models/dysmsapi-2017-05-25.json` and its overlay
//! (`cargo run -p codegen`): one request type per action with its builder, one answer type,
//! and [`ErrorCode`] with every documented code.
//!
//! Lists that the service nests in a wrapper object (`SmsSendDetailDTOs.SmsSendDetailDTO[]`,
//! `TagResources.TagResource[]`, `Data.queryResult[]`) are the field itself: an object whose
//! only field is a list is typed as that list, named after the wrapper
//! (`sms_send_detail_dtos: Option<Vec<QuerySendDetailsSmsSendDetailDTO>>`), and decoded from
//! the wrapper, a bare list, or a single item alike.
//!
#![doc = include_str!("actions/ACTIONS.md")]

mod actions;
pub(crate) mod checks;

pub use actions::*;

/// The most signatures one letter of authorization may list (`SignList` of
/// [`CreateSmsAuthorizationLetter`]).
pub const MAX_SIGNS: usize = 100;

impl From<crate::Error<crate::aliyun::ErrorCode>> for crate::Error<ErrorCode> {
    fn from(e: crate::Error<crate::aliyun::ErrorCode>) -> Self {
        e.map_code()
    }
}
