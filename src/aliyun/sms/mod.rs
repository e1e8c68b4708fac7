//! Short Message Service (Dysmsapi, API version `2017-05-25`).
//!
//! | action | request | answer |
//! |---|---|---|
//! | `CreateSmsAuthorizationLetter` | [`CreateSmsAuthorizationLetter`] | [`CreateSmsAuthorizationLetterResponse`] |
//!
//! Endpoint: `dysmsapi.aliyuncs.com`, or a regional host (see [`Product::DYSMSAPI`](crate::aliyun::Product::DYSMSAPI)).
//! Dysmsapi reports business failures with HTTP 200 and a `Code` other than `OK`: those are
//! errors here too.

mod authorization_letter;

pub use authorization_letter::{
    CreateSmsAuthorizationLetter, CreateSmsAuthorizationLetterBuilder,
    CreateSmsAuthorizationLetterResponse, MAX_SIGNS,
};

aliyun_error_codes! {
    /// Dysmsapi error codes: those its API pages document, the gateway codes, and `Other`.
    pub enum ErrorCode {
        /// `AuthorizationLetterNameRepeat`: a letter with this name exists already.
        AuthorizationLetterNameRepeat = "AuthorizationLetterNameRepeat",
        /// `AuthorizationLetterDateNotMatchRegex`: the validity period is not `YYYY-MM-DD~YYYY-MM-DD`.
        AuthorizationLetterDateNotMatchRegex = "AuthorizationLetterDateNotMatchRegex",
        /// `AuthorizationLetterDateNotValid`: today is not within the validity period.
        AuthorizationLetterDateNotValid = "AuthorizationLetterDateNotValid",
        /// `AuthorizationLetterNameNotMatchRegex`: the name is empty, only digits, or has symbols.
        AuthorizationLetterNameNotMatchRegex = "AuthorizationLetterNameNotMatchRegex",
        /// `AuthorizationLetterNameOverLimit`: the name is over 100 characters.
        AuthorizationLetterNameOverLimit = "AuthorizationLetterNameOverLimit",
        /// `AuthorizationNotMatchRegex`: the authorizer name is empty, only digits, or has symbols.
        AuthorizationNotMatchRegex = "AuthorizationNotMatchRegex",
        /// `AuthorizationOssFileNotUploadError`: the letter's file has not been uploaded.
        AuthorizationOssFileNotUploadError = "AuthorizationOssFileNotUploadError",
        /// `AuthorizationOverLimit`: the authorizer name is too long.
        AuthorizationOverLimit = "AuthorizationOverLimit",
        /// `ProxyAuthorizationOverLimit`: the authorized party's name is too long.
        ProxyAuthorizationOverLimit = "ProxyAuthorizationOverLimit",
        /// `ProxyAuthorizationNotMatchRegex`: the authorized party's name has symbols or only digits.
        ProxyAuthorizationNotMatchRegex = "ProxyAuthorizationNotMatchRegex",
        /// `SignNumOverLimit`: more than 100 signatures.
        SignNumOverLimit = "SignNumOverLimit",
        /// `SignNotMatchRegex`: a signature is not 2 to 12 characters or has unsupported characters.
        SignNotMatchRegex = "SignNotMatchRegex",
        /// `OrganizationCodeOverLimit`: the organization code is over 150 characters.
        OrganizationCodeOverLimit = "OrganizationCodeOverLimit",
        /// `isv.BUSINESS_LIMIT_CONTROL`: a business quota was reached (not a gateway throttle:
        /// do not retry).
        BusinessLimitControl = "isv.BUSINESS_LIMIT_CONTROL",
    }
}

impl From<crate::Error<crate::aliyun::ErrorCode>> for crate::Error<ErrorCode> {
    fn from(e: crate::Error<crate::aliyun::ErrorCode>) -> Self {
        e.map_code()
    }
}
