//! Reading an Alibaba Cloud RPC answer: success, or one of its failure shapes.
//!
//! Failures: HTTP 4xx/5xx with `{RequestId, HostId, Code, Message, Recommend}`; HTTP 200 with
//! `"Success": false`; HTTP 200 whose `Code` is not the product's success code (Dysmsapi `OK`).

use serde::Deserialize;

use super::endpoint::Product;
use crate::error::{Error, ErrorCode, ServiceError};
use crate::redact::Secrets;
use crate::transport::Decoded;

/// What tells success from failure in a body, read before the typed output, and the request
/// id.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Markers {
    #[serde(rename = "Code", deserialize_with = "crate::decode::opt_string")]
    code: Option<String>,
    #[serde(rename = "Success", deserialize_with = "crate::decode::opt_bool")]
    success: Option<bool>,
    #[serde(rename = "RequestId", deserialize_with = "crate::decode::opt_string")]
    request_id: Option<String>,
}

/// The fields an error answer may carry, read only when the answer is an error.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Envelope {
    #[serde(rename = "RequestId", deserialize_with = "crate::decode::opt_string")]
    request_id: Option<String>,
    #[serde(rename = "HostId", deserialize_with = "crate::decode::opt_string")]
    host_id: Option<String>,
    #[serde(rename = "Code", deserialize_with = "crate::decode::opt_string")]
    code: Option<String>,
    #[serde(rename = "Message", deserialize_with = "crate::decode::opt_string")]
    message: Option<String>,
    #[serde(rename = "Recommend", deserialize_with = "crate::decode::opt_string")]
    recommend: Option<String>,
    #[serde(rename = "Success", deserialize_with = "crate::decode::opt_bool")]
    success: Option<bool>,
    #[serde(rename = "AccessDeniedDetail")]
    access_denied_detail: Option<serde_json::Value>,
}

/// Decodes an answer into the action's output, or into the error it reports, with `secrets`
/// removed from whatever of the body the error keeps.
pub(crate) fn decode<T, C>(
    product: &Product,
    status: u16,
    body: &[u8],
    secrets: &Secrets,
) -> Result<Decoded<T>, Error<C>>
where
    T: serde::de::DeserializeOwned,
    C: ErrorCode,
{
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        // An error status without a JSON body: a proxy's HTML page, typically.
        Err(_) if status >= 400 => return Err(Error::http_status(status, body, secrets)),
        Err(e) => {
            let what = format!("the body is not the expected JSON ({e})");
            return Err(Error::decode(status, what, body, secrets));
        }
    };
    let markers = Markers::deserialize(&value).unwrap_or_default();
    let failed_code = match (&markers.code, product.success_code()) {
        (Some(code), Some(ok)) => code != ok,
        _ => false,
    };
    if status >= 400 || markers.success == Some(false) || failed_code {
        // Should an error field have an odd type, the code and the verdict are still those
        // read above.
        let envelope = Envelope::deserialize(&value).unwrap_or_else(|_| Envelope {
            code: markers.code,
            success: markers.success,
            request_id: markers.request_id,
            ..Envelope::default()
        });
        return Err(service_error(envelope, status, body, secrets));
    }
    match crate::decode::lenient::from_value(value) {
        Ok(output) => Ok(Decoded {
            output,
            request_id: markers.request_id.map(|id| id.trim().to_owned()),
        }),
        Err(e) => Err(Error::decode(
            status,
            format!("the answer does not have the documented shape ({e})"),
            body,
            secrets,
        )),
    }
}

fn service_error<C: ErrorCode>(
    envelope: Envelope,
    status: u16,
    body: &[u8],
    secrets: &Secrets,
) -> Error<C> {
    let Some(code) = envelope.code.filter(|c| !c.is_empty()) else {
        if status >= 400 {
            return Error::http_status(status, body, secrets);
        }
        let what = "\"Success\": false without an error code";
        return Error::decode(status, what, body, secrets);
    };
    let mut e = ServiceError::new(code, envelope.message.unwrap_or_default(), status);
    e.transient |= matches!(e.raw_code.as_str(), "ServiceUnavailable" | "InternalError");
    e.clock_skew = matches!(
        e.raw_code.as_str(),
        "InvalidTimeStamp.Expired" | "IllegalTimestamp"
    );
    e.request_id = envelope.request_id.map(|id| id.trim().to_owned());
    e.host_id = envelope.host_id;
    e.recommend = envelope.recommend;
    e.access_denied_detail = envelope.access_denied_detail.map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    });
    Error::Service(Box::new(e.sanitized(secrets)))
}
