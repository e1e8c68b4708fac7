//! Walking the API models in tests: sample requests for any action, and a check that an answer
//! has the modeled shape. Reads the model JSON as plain `serde_json::Value`s, independently of
//! the crate's own reading of it.
#![allow(dead_code)]

use alibaba_openapi::aliyun::{self, RawRequest};
use serde_json::{json, Map, Value};

/// Product code, version, model and overlay of each modeled product.
pub const PRODUCTS: [(&str, &str, &str, &str); 2] = [
    ("linkwan", "2019-03-01", LINKWAN_MODEL, LINKWAN_OVERLAY),
    ("dysmsapi", "2017-05-25", DYSMSAPI_MODEL, DYSMSAPI_OVERLAY),
];

const LINKWAN_MODEL: &str = include_str!("../../models/linkwan-2019-03-01.json");
const LINKWAN_OVERLAY: &str = include_str!("../../models/linkwan-2019-03-01.overlay.json");
const DYSMSAPI_MODEL: &str = include_str!("../../models/dysmsapi-2017-05-25.json");
const DYSMSAPI_OVERLAY: &str = include_str!("../../models/dysmsapi-2017-05-25.overlay.json");

/// The actions with state of their own, answered before the generic layer.
pub const SEEDS: &[&str] = &[
    // LinkWAN join permissions, their orders, the renter's view and notifications.
    "CreateLocalJoinPermission",
    "ListOwnedJoinPermissions",
    "CountOwnedJoinPermissions",
    "GetOwnedJoinPermission",
    "UpdateOwnedLocalJoinPermission",
    "UpdateOwnedLocalJoinPermissionEnablingState",
    "DeleteLocalJoinPermission",
    "SubmitJoinPermissionAuthOrder",
    "GetJoinPermissionAuthOrder",
    "AcceptJoinPermissionAuthOrder",
    "RejectJoinPermissionAuthOrder",
    "CancelJoinPermissionAuthOrder",
    "GetRentedJoinPermission",
    "ListRentedJoinPermissions",
    "CountRentedJoinPermissions",
    "ReturnJoinPermission",
    "ListNotifications",
    "CountNotifications",
    "GetNotification",
    "UpdateNotificationsHandleState",
    // Dysmsapi: letters, qualifications, signatures, templates, sends (see `emulator::sms`).
    "CreateSmsAuthorizationLetter",
    "QuerySmsAuthorizationLetter",
    "SubmitSmsQualification",
    "QuerySmsQualificationRecord",
    "QuerySingleSmsQualification",
    "CreateSmsSign",
    "AddSmsSign",
    "GetSmsSign",
    "QuerySmsSign",
    "QuerySmsSignList",
    "UpdateSmsSign",
    "ModifySmsSign",
    "DeleteSmsSign",
    "CreateSmsTemplate",
    "AddSmsTemplate",
    "GetSmsTemplate",
    "QuerySmsTemplate",
    "QuerySmsTemplateList",
    "UpdateSmsTemplate",
    "ModifySmsTemplate",
    "DeleteSmsTemplate",
    "SendSms",
    "SendBatchSms",
    "QuerySendDetails",
];

/// A raw LinkWAN request.
pub fn linkwan_raw(action: &str) -> RawRequest {
    RawRequest::new("linkwan", "2019-03-01", action)
}

/// A raw Dysmsapi request.
pub fn sms_raw(action: &str) -> RawRequest {
    RawRequest::new("dysmsapi", "2017-05-25", action)
}

/// Sends a raw request that should fail; its (HTTP status, code, message).
pub async fn refused(client: &aliyun::Client, request: RawRequest) -> (u16, String, String) {
    let err = client.call(&request).await.unwrap_err();
    let e = err.service_error().unwrap_or_else(|| panic!("{err:?}"));
    (e.status(), e.raw_code().to_owned(), e.message().to_owned())
}

/// The body without its `RequestId`, which is fresh on every answer.
pub fn without_request_id(mut body: Value) -> Value {
    body.as_object_mut().unwrap().remove("RequestId");
    body
}

/// An overlay's rules for a parameter: the product-wide ones, the action's winning.
pub fn rules(overlay: &Value, action: &str, param: &str) -> Map<String, Value> {
    let mut merged = overlay["params"][param]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if let Some(own) = overlay["actions"][action]["params"][param].as_object() {
        merged.extend(own.clone());
    }
    merged
}

/// A sample value of a scalar type, within the rules.
pub fn scalar_sample(ty: &str, rules: &Map<String, Value>) -> String {
    let int = |key: &str| rules.get(key).and_then(Value::as_i64);
    let (min, max) = (int("min"), int("max"));
    if min.is_some() || max.is_some() {
        let low = min.unwrap_or(1);
        return max.map_or(low, |high| low.min(high)).to_string();
    }
    match ty {
        "integer" => "1".into(),
        "number" => "1.5".into(),
        "boolean" => "true".into(),
        _ if rules.contains_key("separator") => "13800000000".into(),
        _ => {
            let min_len = int("min_len").unwrap_or(6) as usize;
            let max_len = int("max_len").map_or(usize::MAX, |m| m as usize);
            "a".repeat(min_len.max(6).min(max_len).max(min_len))
        }
    }
}

/// A JSON sample of a type tree.
pub fn json_sample(ty: &Value) -> Value {
    match ty["type"].as_str().unwrap() {
        "integer" => json!(1),
        "number" => json!(1.5),
        "boolean" => json!(true),
        "array" => json!([json_sample(&ty["items"])]),
        "object" => Value::Object(
            ty["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| (f["name"].as_str().unwrap().to_owned(), json_sample(f)))
                .collect(),
        ),
        "map" => json!({"k": "v"}),
        _ => json!("sample"),
    }
}

/// The wire parameters of one model parameter, filled with samples.
pub fn sample(param: &Value, rules: &Map<String, Value>) -> Vec<(String, String)> {
    let name = param["name"].as_str().unwrap();
    let ty = param["type"].as_str().unwrap();
    let items = &param["items"];
    match param["style"].as_str().unwrap() {
        "scalar" if param["json_text"] == true => vec![(name.into(), "[\"sample\"]".into())],
        "scalar" => vec![(name.into(), scalar_sample(ty, rules))],
        "json" => vec![(name.into(), json_sample(param).to_string())],
        "repeatList" => vec![(
            format!("{name}.1"),
            scalar_sample(items["type"].as_str().unwrap(), &Map::new()),
        )],
        _ if items["type"] == "map" => vec![(format!("{name}.1.k"), "v".into())],
        _ => items["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let field = f["name"].as_str().unwrap();
                let value = scalar_sample(f["type"].as_str().unwrap(), &Map::new());
                (format!("{name}.1.{field}"), value)
            })
            .collect(),
    }
}

/// Asserts that `body` has every field of the modeled type `ty`, of the modeled JSON type.
pub fn assert_conforms(ty: &Value, body: &Value, path: &str) {
    let kind = ty["type"].as_str().unwrap();
    let ok = match kind {
        "string" => body.is_string(),
        "integer" => body.is_i64() || body.is_u64(),
        "number" => body.is_number(),
        "boolean" => body.is_boolean(),
        "array" => body.is_array(),
        "object" | "map" => body.is_object(),
        _ => !body.is_null(),
    };
    assert!(ok, "{path}: expected {kind}, got {body}");
    if kind == "array" {
        for item in body.as_array().unwrap() {
            assert_conforms(&ty["items"], item, &format!("{path}[]"));
        }
    }
    for field in ty["fields"].as_array().into_iter().flatten() {
        let name = field["name"].as_str().unwrap();
        let value = body
            .get(name)
            .unwrap_or_else(|| panic!("{path}.{name} missing in {body}"));
        assert_conforms(field, value, &format!("{path}.{name}"));
    }
}
