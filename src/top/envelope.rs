//! Reading a TOP answer: `{"<method>_response": {...}}` or `{"error_response": {...}}`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::ErrorCode;
use crate::error::{Error, ServiceError};
use crate::redact::Secrets;
use crate::transport::Decoded;

#[derive(Deserialize)]
struct ErrorResponse {
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    msg: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    sub_code: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    sub_msg: Option<String>,
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    request_id: Option<String>,
}

/// The key of a method's answer: `taobao.` dropped, dots as underscores, `_response` added.
pub(crate) fn response_key(method: &str) -> String {
    let name = method.strip_prefix("taobao.").unwrap_or(method);
    let mut key = name.replace('.', "_");
    key.push_str("_response");
    key
}

/// The request id of a successful answer, read beside the typed output.
#[derive(Deserialize)]
struct RequestId {
    #[serde(default, deserialize_with = "crate::decode::opt_string")]
    request_id: Option<String>,
}

/// Decodes an answer into the method's output, or into the error it reports, with `secrets`
/// removed from whatever of the body the error keeps.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    method: &str,
    status: u16,
    body: &[u8],
    secrets: &Secrets,
) -> Result<Decoded<T>, Error<ErrorCode>> {
    let top: BTreeMap<&str, &RawValue> = match serde_json::from_slice(body) {
        Ok(top) => top,
        // An error status without a JSON body: a proxy's HTML page, typically.
        Err(_) if status >= 400 => return Err(Error::http_status(status, body, secrets)),
        Err(e) => {
            let what = format!("the body is not a TOP JSON answer ({e})");
            return Err(Error::decode(status, what, body, secrets));
        }
    };
    if let Some(raw) = top.get("error_response") {
        return Err(service_error(raw, status, body, secrets));
    }
    let key = response_key(method);
    let Some(raw) = top.get(key.as_str()) else {
        if status >= 400 {
            return Err(Error::http_status(status, body, secrets));
        }
        let what = format!("the answer has neither `{key}` nor `error_response`");
        return Err(Error::decode(status, what, body, secrets));
    };
    let output = crate::decode::lenient::from_slice(raw.get().as_bytes()).map_err(|e| {
        let what = format!("`{key}` does not have the documented shape ({e})");
        Error::decode(status, what, body, secrets)
    })?;
    let request_id = serde_json::from_str::<RequestId>(raw.get())
        .ok()
        .and_then(|r| r.request_id)
        .map(|id| id.trim().to_owned());
    Ok(Decoded { output, request_id })
}

fn service_error(raw: &RawValue, status: u16, body: &[u8], secrets: &Secrets) -> Error<ErrorCode> {
    let e: ErrorResponse = match serde_json::from_str(raw.get()) {
        Ok(e) => e,
        Err(err) => {
            let what = format!("`error_response` is not understood ({err})");
            return Error::decode(status, what, body, secrets);
        }
    };
    let code = e.code.unwrap_or_default();
    let mut service = ServiceError::new(code, e.msg.unwrap_or_default(), status);
    service.transient = service.code == ErrorCode::ServiceUnavailable
        || e.sub_code.as_deref().is_some_and(|s| s.starts_with("isp."));
    service.clock_skew = service.code == ErrorCode::InvalidTimestamp;
    service.sub_code = e.sub_code;
    service.sub_msg = e.sub_msg;
    service.request_id = e.request_id.map(|id| id.trim().to_owned());
    Error::Service(Box::new(service.sanitized(secrets)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_key_follows_the_platform_rule() {
        assert_eq!(
            response_key("alibaba.databank.open.auth.apply"),
            "alibaba_databank_open_auth_apply_response"
        );
        assert_eq!(response_key("taobao.time.get"), "time_get_response");
    }
}
