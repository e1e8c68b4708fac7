//! Letters of authorization: `CreateSmsAuthorizationLetter`.

use chrono::NaiveDate;
use serde::Deserialize;

use super::ErrorCode;
use crate::aliyun::{required, Action, Idempotency, Params, Product};
use crate::Error;

/// The most signatures one letter of authorization may list.
pub const MAX_SIGNS: usize = 100;
/// The longest letter name the service accepts, in characters.
const MAX_NAME_CHARS: usize = 100;
/// The longest organization code the service accepts, in characters.
const MAX_ORGANIZATION_CODE_CHARS: usize = 150;
/// The longest authorizer or authorized party the service accepts, in characters (the
/// parameter table's limit; the error table's messages speak of 1000).
const MAX_PARTY_CHARS: usize = 150;
/// How long one signature name may be, in characters.
const SIGN_CHARS: std::ops::RangeInclusive<usize> = 2..=12;

/// `CreateSmsAuthorizationLetter`: registers a letter of authorization from a third party
/// whose names your SMS signatures use.
///
/// `build()` checks every required parameter and the limits the API page documents, all counted
/// in characters (not bytes): `SignList` holds 1 to 100 names of 2 to 12 characters each;
/// `AuthorizationLetterExpDate` is `YYYY-MM-DD~YYYY-MM-DD` with real dates in order;
/// `AuthorizationLetterName` is at most 100 characters; `Authorization`, `ProxyAuthorization`
/// and `OrganizationCode` at most 150. The page's content rules (which symbols a name may hold,
/// words such as "test") are left to the service, which answers them with their own codes.
///
/// ```
/// use alibaba_openapi::aliyun::sms::CreateSmsAuthorizationLetter;
/// let request = CreateSmsAuthorizationLetter::builder()
///     .authorization_letter_name("菜鸟公司授权书")
///     .authorization_letter_pic("123456/test1719383196031.jpg")
///     .authorization_letter_exp_date("2023-01-01~2026-01-01")
///     .authorization("菜鸟网络科技有限公司")
///     .organization_code("9****************A")
///     .proxy_authorization("支付宝(中国)网络技术有限公司")
///     .sign_list(["菜鸟网络", "abc"])
///     .build()?;
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::aliyun::sms::ErrorCode>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateSmsAuthorizationLetter {
    authorization_letter_pic: String,
    sign_list: String,
    authorization_letter_exp_date: String,
    authorization: String,
    organization_code: String,
    proxy_authorization: String,
    authorization_letter_name: String,
}

impl CreateSmsAuthorizationLetter {
    /// Starts building the request.
    pub fn builder() -> CreateSmsAuthorizationLetterBuilder {
        CreateSmsAuthorizationLetterBuilder::default()
    }
}

/// Builds a [`CreateSmsAuthorizationLetter`].
#[derive(Debug, Clone, Default)]
pub struct CreateSmsAuthorizationLetterBuilder {
    authorization_letter_pic: Option<String>,
    sign_list: Option<Vec<String>>,
    authorization_letter_exp_date: Option<String>,
    authorization: Option<String>,
    organization_code: Option<String>,
    proxy_authorization: Option<String>,
    authorization_letter_name: Option<String>,
}

impl CreateSmsAuthorizationLetterBuilder {
    /// `AuthorizationLetterPic` (required): the file key of the uploaded letter.
    pub fn authorization_letter_pic(mut self, file_key: impl Into<String>) -> Self {
        self.authorization_letter_pic = Some(file_key.into());
        self
    }

    /// `SignList` (required): the SMS signature names the letter authorizes, 1 to 100, each 2 to
    /// 12 characters. Sent as one parameter holding a compact JSON array.
    pub fn sign_list<I, S>(mut self, signs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.sign_list = Some(signs.into_iter().map(Into::into).collect());
        self
    }

    /// `AuthorizationLetterExpDate` (required): the validity period, `YYYY-MM-DD~YYYY-MM-DD`.
    pub fn authorization_letter_exp_date(mut self, period: impl Into<String>) -> Self {
        self.authorization_letter_exp_date = Some(period.into());
        self
    }

    /// `Authorization` (required): the authorizer, owner of the signature names (at most 150
    /// characters).
    pub fn authorization(mut self, authorizer: impl Into<String>) -> Self {
        self.authorization = Some(authorizer.into());
        self
    }

    /// `OrganizationCode` (required): the authorizer's Unified Social Credit Code (at most
    /// 150 characters).
    pub fn organization_code(mut self, code: impl Into<String>) -> Self {
        self.organization_code = Some(code.into());
        self
    }

    /// `ProxyAuthorization` (required): the authorized party, applicant of the signatures (at
    /// most 150 characters).
    pub fn proxy_authorization(mut self, party: impl Into<String>) -> Self {
        self.proxy_authorization = Some(party.into());
        self
    }

    /// `AuthorizationLetterName` (required): unique among your letters, at most 100 characters.
    pub fn authorization_letter_name(mut self, name: impl Into<String>) -> Self {
        self.authorization_letter_name = Some(name.into());
        self
    }

    /// Checks required parameters and documented limits.
    pub fn build(self) -> Result<CreateSmsAuthorizationLetter, Error<ErrorCode>> {
        let name = required("AuthorizationLetterName", self.authorization_letter_name)?;
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(
                "AuthorizationLetterName",
                format!("must be at most {MAX_NAME_CHARS} characters"),
            ));
        }
        let organization_code = required("OrganizationCode", self.organization_code)?;
        if organization_code.chars().count() > MAX_ORGANIZATION_CODE_CHARS {
            return Err(Error::invalid(
                "OrganizationCode",
                format!("must be at most {MAX_ORGANIZATION_CODE_CHARS} characters"),
            ));
        }
        let period = required(
            "AuthorizationLetterExpDate",
            self.authorization_letter_exp_date,
        )?;
        check_period(&period)?;
        let signs = self.sign_list.unwrap_or_default();
        if signs.is_empty() || signs.len() > MAX_SIGNS {
            return Err(Error::invalid(
                "SignList",
                format!(
                    "must hold 1 to {MAX_SIGNS} signature names, got {}",
                    signs.len()
                ),
            ));
        }
        if let Some(blank) = signs.iter().position(|s| s.trim().is_empty()) {
            return Err(Error::invalid(
                "SignList",
                format!("entry {} is empty", blank + 1),
            ));
        }
        for (i, sign) in signs.iter().enumerate() {
            let count = sign.chars().count();
            if !SIGN_CHARS.contains(&count) {
                return Err(Error::invalid(
                    "SignList",
                    format!(
                        "entry {} ({sign:?}) must be {} to {} characters, got {count}",
                        i + 1,
                        SIGN_CHARS.start(),
                        SIGN_CHARS.end()
                    ),
                ));
            }
        }
        let authorization = party("Authorization", self.authorization)?;
        let proxy_authorization = party("ProxyAuthorization", self.proxy_authorization)?;
        Ok(CreateSmsAuthorizationLetter {
            authorization_letter_pic: required(
                "AuthorizationLetterPic",
                self.authorization_letter_pic,
            )?,
            sign_list: serde_json::to_string(&signs).expect("a list of strings serializes"),
            authorization_letter_exp_date: period,
            authorization,
            organization_code,
            proxy_authorization,
            authorization_letter_name: name,
        })
    }
}

/// A required authorizer or authorized party of at most [`MAX_PARTY_CHARS`] characters.
fn party(parameter: &'static str, value: Option<String>) -> Result<String, Error<ErrorCode>> {
    let value = required(parameter, value)?;
    if value.chars().count() > MAX_PARTY_CHARS {
        return Err(Error::invalid(
            parameter,
            format!("must be at most {MAX_PARTY_CHARS} characters"),
        ));
    }
    Ok(value)
}

/// Checks `YYYY-MM-DD~YYYY-MM-DD` with real dates, the first not after the second.
fn check_period(period: &str) -> Result<(), Error<ErrorCode>> {
    let invalid = |why: &str| {
        Error::invalid(
            "AuthorizationLetterExpDate",
            format!("must be `YYYY-MM-DD~YYYY-MM-DD` ({why}), got {period:?}"),
        )
    };
    let (from, to) = period
        .split_once('~')
        .ok_or_else(|| invalid("no `~` between the dates"))?;
    let date = |s: &str| {
        if s.len() != 10 {
            return None;
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    };
    let (Some(from), Some(to)) = (date(from), date(to)) else {
        return Err(invalid("not two valid dates"));
    };
    if from > to {
        return Err(invalid("the period ends before it starts"));
    }
    Ok(())
}

impl Action for CreateSmsAuthorizationLetter {
    type Output = CreateSmsAuthorizationLetterResponse;
    type ErrorCode = ErrorCode;

    fn product(&self) -> &Product {
        &Product::DYSMSAPI
    }
    fn action(&self) -> &str {
        "CreateSmsAuthorizationLetter"
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::Mutating
    }
    fn write_params(&self, params: &mut Params) {
        params.push(
            "AuthorizationLetterPic",
            self.authorization_letter_pic.as_str(),
        );
        params.push("SignList", self.sign_list.as_str());
        params.push(
            "AuthorizationLetterExpDate",
            self.authorization_letter_exp_date.as_str(),
        );
        params.push("Authorization", self.authorization.as_str());
        params.push("OrganizationCode", self.organization_code.as_str());
        params.push("ProxyAuthorization", self.proxy_authorization.as_str());
        params.push(
            "AuthorizationLetterName",
            self.authorization_letter_name.as_str(),
        );
    }
}

/// The answer to [`CreateSmsAuthorizationLetter`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CreateSmsAuthorizationLetterResponse {
    /// `Data`: the id of the new letter of authorization.
    #[serde(rename = "Data", deserialize_with = "crate::decode::lenient_string")]
    pub authorization_letter_id: String,
    /// `RequestId`, without the trailing newline the service may send.
    #[serde(
        rename = "RequestId",
        default,
        deserialize_with = "crate::decode::request_id"
    )]
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_must_be_two_ordered_dates() {
        assert!(check_period("2023-01-01~2026-01-01").is_ok());
        assert!(check_period("2023-01-01~2023-01-01").is_ok());
        for bad in [
            "2023-01-01",
            "2023-1-1~2026-01-01",
            "2023-02-30~2026-01-01",
            "2026-01-01~2023-01-01",
            "2023-01-01 ~ 2026-01-01",
        ] {
            assert!(check_period(bad).is_err(), "{bad}");
        }
    }
}
