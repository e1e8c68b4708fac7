//! `alibaba.databank.open.auth.apply`: apply for data authorization.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::redact::REDACTED;
use crate::request::required;
use crate::top::{ErrorCode, Idempotency, Method, Params};
use crate::Error;

/// `context` of `alibaba.databank.open.auth.apply` (`DataBankOpenContext`): the Data Bank
/// access key pair. `sk` is a secret and never printed.
///
/// ```
/// use alibaba_openapi::top::databank::DataBankOpenContext;
/// let ctx = DataBankOpenContext::builder().ak("lingyang_daas").sk("w3343wer44e").build()?;
/// assert!(!format!("{ctx:?}").contains("w3343wer44e"));
/// # Ok::<(), alibaba_openapi::Error<alibaba_openapi::top::ErrorCode>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct DataBankOpenContext {
    ak: String,
    sk: String,
}

impl fmt::Debug for DataBankOpenContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataBankOpenContext")
            .field("ak", &self.ak)
            .field("sk", &REDACTED)
            .finish()
    }
}

impl DataBankOpenContext {
    /// Starts building the context.
    pub fn builder() -> DataBankOpenContextBuilder {
        DataBankOpenContextBuilder::default()
    }
}

/// Builds a [`DataBankOpenContext`].
#[derive(Clone, Default)]
pub struct DataBankOpenContextBuilder {
    ak: Option<String>,
    sk: Option<String>,
}

impl fmt::Debug for DataBankOpenContextBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataBankOpenContextBuilder")
            .field("ak", &self.ak)
            .field("sk", &self.sk.as_ref().map(|_| REDACTED))
            .finish()
    }
}

impl DataBankOpenContextBuilder {
    /// `ak` (required): the AK Data Bank assigned.
    pub fn ak(mut self, ak: impl Into<String>) -> Self {
        self.ak = Some(ak.into());
        self
    }

    /// `sk` (required): its secret.
    pub fn sk(mut self, sk: impl Into<String>) -> Self {
        self.sk = Some(sk.into());
        self
    }

    /// Checks that both are set.
    pub fn build(self) -> Result<DataBankOpenContext, Error<ErrorCode>> {
        Ok(DataBankOpenContext {
            ak: required("context.ak", self.ak)?,
            sk: required("context.sk", self.sk)?,
        })
    }
}

/// Declares `DataAuthApplyParam` and its builder from one list of string fields, so the wire
/// order (the official SDKs' order) is written once.
macro_rules! auth_apply_param {
    ($( $(#[$doc:meta])* $field:ident, )*) => {
        /// `param` of `alibaba.databank.open.auth.apply` (`DataAuthApplyParam`): who applies
        /// for which data. Every field is required.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub struct DataAuthApplyParam {
            $( $field: String, )*
            smart_id: i64,
        }

        /// Builds a [`DataAuthApplyParam`].
        #[derive(Debug, Clone, Default)]
        pub struct DataAuthApplyParamBuilder {
            $( $field: Option<String>, )*
            smart_id: Option<i64>,
        }

        impl DataAuthApplyParamBuilder {
            $(
                $(#[$doc])*
                pub fn $field(mut self, value: impl Into<String>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*

            /// `smart_id` (required): the brand owner's id.
            pub fn smart_id(mut self, id: i64) -> Self {
                self.smart_id = Some(id);
                self
            }

            /// Checks that every field is set.
            pub fn build(self) -> Result<DataAuthApplyParam, Error<ErrorCode>> {
                Ok(DataAuthApplyParam {
                    $( $field: required(concat!("param.", stringify!($field)), self.$field)?, )*
                    smart_id: self
                        .smart_id
                        .ok_or_else(|| Error::invalid("param.smart_id", "is required but was not set"))?,
                })
            }
        }
    };
}

auth_apply_param! {
    /// `apply_biz_id`: the applying business (enterprise) id.
    apply_biz_id,
    /// `apply_biz_name`: the applying business (enterprise) name.
    apply_biz_name,
    /// `smart_code`: the brand owner's code.
    smart_code,
    /// `brand_id`: the brand id.
    brand_id,
    /// `apply_entity_id`: the entity (data package) applied for.
    apply_entity_id,
    /// `apply_entity_name`: the data package name.
    apply_entity_name,
    /// `apply_source`: the application source, assigned by Data Bank.
    apply_source,
    /// `data_type`: the data type, assigned by Data Bank (e.g. `BRAND_DATA`).
    data_type,
    /// `apply_biz_user_id`: the operator's id.
    apply_biz_user_id,
    /// `apply_biz_user_name`: the operator's name.
    apply_biz_user_name,
}

impl DataAuthApplyParam {
    /// Starts building the parameter.
    pub fn builder() -> DataAuthApplyParamBuilder {
        DataAuthApplyParamBuilder::default()
    }
}

/// `alibaba.databank.open.auth.apply`: applies for authorization to a brand's data package.
///
/// `context` and `param` travel as one form field each, holding compact JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct OpenAuthApply {
    context: String,
    param: String,
    ak: String,
    /// Kept apart so that it can be scrubbed from anything a server echoes back.
    sk: String,
}

impl fmt::Debug for OpenAuthApply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAuthApply")
            .field("context.ak", &self.ak)
            .field("context.sk", &REDACTED)
            .field("param", &self.param)
            .finish()
    }
}

impl OpenAuthApply {
    /// Starts building the request.
    pub fn builder() -> OpenAuthApplyBuilder {
        OpenAuthApplyBuilder::default()
    }
}

/// Builds an [`OpenAuthApply`].
#[derive(Debug, Clone, Default)]
pub struct OpenAuthApplyBuilder {
    context: Option<DataBankOpenContext>,
    param: Option<DataAuthApplyParam>,
}

impl OpenAuthApplyBuilder {
    /// `context` (required).
    pub fn context(mut self, context: DataBankOpenContext) -> Self {
        self.context = Some(context);
        self
    }

    /// `param` (required).
    pub fn param(mut self, param: DataAuthApplyParam) -> Self {
        self.param = Some(param);
        self
    }

    /// Checks that both are set.
    pub fn build(self) -> Result<OpenAuthApply, Error<ErrorCode>> {
        let context = self
            .context
            .ok_or_else(|| Error::invalid("context", "is required but was not set"))?;
        let param = self
            .param
            .ok_or_else(|| Error::invalid("param", "is required but was not set"))?;
        Ok(OpenAuthApply {
            context: serde_json::to_string(&context).expect("strings serialize"),
            param: serde_json::to_string(&param).expect("strings serialize"),
            ak: context.ak,
            sk: context.sk,
        })
    }
}

impl Method for OpenAuthApply {
    type Output = OpenAuthApplyResponse;

    fn method(&self) -> &str {
        "alibaba.databank.open.auth.apply"
    }
    fn idempotency(&self) -> Idempotency {
        Idempotency::Mutating
    }
    fn write_params(&self, params: &mut Params) {
        params.push("context", self.context.as_str());
        params.push("param", self.param.as_str());
        params.mark_secret(self.sk.as_str());
    }
}

/// The answer to [`OpenAuthApply`] (`alibaba_databank_open_auth_apply_response`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OpenAuthApplyResponse {
    /// `result`: the business result (`RCode`).
    pub result: AuthApplyResult,
    /// `request_id`.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub request_id: Option<String>,
}

/// The business result of an application (`RCode`). Data Bank reports business failures
/// here, inside a successful call: check [`is_success`](AuthApplyResult::is_success).
///
/// The method's page shows `errcode`, `errmsg` and `codeclass` beside `data` in its example
/// and inside `data` in its field table; both places are read, `result` first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "WireResult")]
#[non_exhaustive]
pub struct AuthApplyResult {
    /// `data`: the application.
    pub data: Option<AuthResult>,
    /// `errcode` (of `result`, else of `data`): 0 when the application succeeded.
    pub errcode: Option<i64>,
    /// `errmsg` (of `result`, else of `data`): the business message.
    pub errmsg: Option<String>,
    /// `codeclass` (of `result`, else of `data`): the error class, e.g. `INTERNAL_ERROR`.
    pub codeclass: Option<String>,
}

impl AuthApplyResult {
    /// Whether Data Bank accepted the application: an `errcode` of 0 was sent. An answer
    /// without any `errcode` is not taken for a success.
    pub fn is_success(&self) -> bool {
        self.errcode == Some(0)
    }
}

/// `result` as it arrives, before the business fields are looked up in both places.
#[derive(Deserialize)]
struct WireResult {
    #[serde(default)]
    data: Option<AuthResult>,
    #[serde(default, deserialize_with = "crate::decode::opt_i64")]
    errcode: Option<i64>,
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    errmsg: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    codeclass: Option<String>,
}

impl From<WireResult> for AuthApplyResult {
    fn from(wire: WireResult) -> Self {
        let data = wire.data.as_ref();
        AuthApplyResult {
            errcode: wire.errcode.or_else(|| data.and_then(|d| d.errcode)),
            errmsg: wire.errmsg.or_else(|| data.and_then(|d| d.errmsg.clone())),
            codeclass: wire
                .codeclass
                .or_else(|| data.and_then(|d| d.codeclass.clone())),
            data: wire.data,
        }
    }
}

/// An application (`AuthResultDTO`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthResult {
    /// `smart_code`: the brand owner's code.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub smart_code: Option<String>,
    /// `apply_biz_id`: the applying business id.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub apply_biz_id: Option<String>,
    /// `apply_biz_name`: the applying business name.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub apply_biz_name: Option<String>,
    /// `apply_entity_id`: the data package id.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub apply_entity_id: Option<String>,
    /// `apply_entity_name`: the data package name.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub apply_entity_name: Option<String>,
    /// `auth_status`: where the application stands (`None` when absent, null or empty).
    #[serde(default, deserialize_with = "opt_auth_status")]
    pub auth_status: Option<AuthStatus>,
    /// `errcode`, where the method's field table puts it.
    #[serde(default, deserialize_with = "crate::decode::opt_i64")]
    pub errcode: Option<i64>,
    /// `errmsg`, where the method's field table puts it.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub errmsg: Option<String>,
    /// `codeclass`, where the method's field table puts it.
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    pub codeclass: Option<String>,
}

/// `auth_status` of an application. Only `0` is documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthStatus {
    /// `0`: under review (审批中).
    UnderReview,
    /// A status this version of the crate does not know, as sent.
    Unknown(i64),
}

impl AuthStatus {
    /// The wire number.
    pub fn as_i64(self) -> i64 {
        match self {
            AuthStatus::UnderReview => 0,
            AuthStatus::Unknown(n) => n,
        }
    }
}

/// `auth_status`: a number or a numeric string; absent, null or `""` is `None`.
fn opt_auth_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<AuthStatus>, D::Error> {
    Ok(crate::decode::opt_i64(d)?.map(|n| match n {
        0 => AuthStatus::UnderReview,
        n => AuthStatus::Unknown(n),
    }))
}
