//! The Taobao Open Platform gateway (`/router/rest`) and the data-bank methods behind it.

use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Map, Value};

use super::accounts::{DATABANK_AK, DATABANK_SK, TOP_APP_KEY, TOP_APP_SECRET, TOP_SESSION};
use super::fault::{self, Fault};
use super::limits::{Bounded, MAX_APPLICATIONS, MAX_APPLICATION_BYTES};
use super::lock;
use super::state::State;
use super::wire::{top_request_id, Answer, Delivery, Incoming};
use crate::top::sign::{self as top_sign, SignMethod};

/// The TOP methods the emulator serves.
pub(crate) const METHODS: &[&str] = &["alibaba.databank.open.auth.apply"];

/// The gateway's tolerance between `timestamp` and its own clock.
const TIMESTAMP_WINDOW_MINUTES: i64 = 10;

/// The required fields of `param` (DataAuthApplyParam); all strings but `smart_id`, a number.
const PARAM_FIELDS: [&str; 10] = [
    "apply_biz_id",
    "apply_biz_name",
    "smart_code",
    "brand_id",
    "apply_entity_id",
    "apply_entity_name",
    "apply_source",
    "data_type",
    "apply_biz_user_id",
    "apply_biz_user_name",
];

/// The fields of `param` an application keeps: those its answers carry.
const KEPT_FIELDS: [&str; 5] = [
    "smart_code",
    "apply_biz_id",
    "apply_biz_name",
    "apply_entity_id",
    "apply_entity_name",
];

/// A data-authorization application.
#[derive(Debug, Clone)]
struct Application {
    /// The values of [`KEPT_FIELDS`], in that order.
    fields: [String; 5],
    auth_status: i64,
}

impl Application {
    fn field(&self, name: &str) -> &str {
        KEPT_FIELDS
            .iter()
            .position(|n| *n == name)
            .map_or("", |i| &self.fields[i])
    }

    fn data(&self) -> Value {
        let mut data = Map::new();
        for (name, value) in KEPT_FIELDS.iter().zip(&self.fields) {
            data.insert((*name).into(), json!(value));
        }
        data.insert("auth_status".into(), json!(self.auth_status));
        Value::Object(data)
    }

    /// What it costs to keep, roughly, in bytes.
    fn size(&self) -> usize {
        self.fields.iter().map(|f| f.len() + 24).sum::<usize>() + 8
    }
}

/// The data bank's state.
#[derive(Debug)]
pub(crate) struct Databank {
    /// At most [`MAX_APPLICATIONS`] applications and [`MAX_APPLICATION_BYTES`] of their fields,
    /// the oldest forgotten first (the same pair may then apply again).
    applications: Bounded<Application>,
}

impl Default for Databank {
    fn default() -> Self {
        Databank {
            applications: Bounded::new(MAX_APPLICATIONS, MAX_APPLICATION_BYTES),
        }
    }
}

/// A TOP failure: `error_response` with HTTP 200.
struct TopError {
    code: i64,
    msg: String,
    sub_code: Option<String>,
    sub_msg: Option<String>,
}

impl TopError {
    fn new(code: i64, msg: impl Into<String>) -> TopError {
        TopError {
            code,
            msg: msg.into(),
            sub_code: None,
            sub_msg: None,
        }
    }

    fn sub(mut self, sub_code: impl Into<String>, sub_msg: impl Into<String>) -> TopError {
        self.sub_code = Some(sub_code.into());
        self.sub_msg = Some(sub_msg.into());
        self
    }

    fn answer(self) -> Answer {
        let mut inner = Map::new();
        inner.insert("code".into(), json!(self.code));
        inner.insert("msg".into(), json!(self.msg));
        if let Some(sub_code) = self.sub_code {
            inner.insert("sub_code".into(), json!(sub_code));
        }
        if let Some(sub_msg) = self.sub_msg {
            inner.insert("sub_msg".into(), json!(sub_msg));
        }
        inner.insert("request_id".into(), json!(top_request_id()));
        let body = json!({ "error_response": inner });
        let mut answer = Answer::json(200, &body, Some(self.code.to_string()));
        answer.headers = vec![("content-type", "application/json;charset=UTF-8".to_owned())];
        answer
    }
}

/// Handles a request to `/router/rest`: the gateway's checks (a failure is a rejection, recorded
/// as a summary), then the method.
pub(crate) fn handle(state: &Mutex<State>, request: &Incoming) -> Answer {
    let method = match check(state, request) {
        Ok(method) => method,
        Err(error) => return error.answer().rejected(),
    };
    match serve(state, request, method) {
        Ok(answer) => answer,
        Err(error) => error.answer(),
    }
}

/// The gateway's checks, in order; the method on success.
fn check<'a>(state: &Mutex<State>, request: &'a Incoming) -> Result<&'a str, TopError> {
    let param = |name: &str| request.param(name).filter(|v| !v.is_empty());
    let method = param("method").ok_or_else(|| TopError::new(21, "Missing method"))?;
    let app_key = param("app_key").ok_or_else(|| TopError::new(28, "Missing app key"))?;
    if app_key != TOP_APP_KEY {
        return Err(
            TopError::new(29, "Invalid app Key").sub("isv.appkey-not-exists", "不存在的AppKey")
        );
    }
    if !METHODS.contains(&method) {
        return Err(
            TopError::new(22, "Invalid method").sub("isv.method-not-exists", "不存在的方法名")
        );
    }
    let sign = param("sign").ok_or_else(|| TopError::new(24, "Missing signature"))?;
    let timestamp = param("timestamp").ok_or_else(|| TopError::new(30, "Missing timestamp"))?;
    let now = lock(state).now();
    let within_window = parse_timestamp(timestamp)
        .is_some_and(|t| (now - t).num_seconds().abs() <= TIMESTAMP_WINDOW_MINUTES * 60);
    if !within_window {
        return Err(TopError::new(31, "Invalid timestamp").sub(
            "isv.invalid-timestamp",
            format!(
                "timestamp must be yyyy-MM-dd HH:mm:ss in GMT+8 within 10 minutes of the server time ({})",
                top_sign::timestamp(now)
            ),
        ));
    }
    match param("v") {
        None => return Err(TopError::new(32, "Missing version")),
        Some("2.0") => {}
        Some(v) if is_version_like(v) => return Err(TopError::new(34, "Unsupported version")),
        Some(_) => return Err(TopError::new(33, "Invalid version")),
    }
    if let Some(format) = param("format") {
        // Only JSON answers are produced; an `xml` request gets JSON too.
        if !format.eq_ignore_ascii_case("json") && !format.eq_ignore_ascii_case("xml") {
            return Err(TopError::new(23, "Invalid format"));
        }
    }
    let sign_method = match param("sign_method") {
        None => SignMethod::Md5,
        Some(value) => SignMethod::from_wire(value).ok_or_else(|| {
            TopError::new(25, "Invalid signature")
                .sub("isv.invalid-signature", "unsupported sign_method")
        })?,
    };
    let expected = top_sign::sign(sign_method, TOP_APP_SECRET, request.pairs.iter().cloned());
    if !expected.eq_ignore_ascii_case(sign) {
        return Err(TopError::new(25, "Invalid signature"));
    }
    if let Some(session) = param("session") {
        if session != TOP_SESSION {
            return Err(
                TopError::new(27, "Invalid session").sub("invalid-sessionkey", "SessionKey非法")
            );
        }
    }
    Ok(method)
}

/// Runs the method of a request that passed the gateway's checks.
fn serve(state: &Mutex<State>, request: &Incoming, method: &str) -> Result<Answer, TopError> {
    let mut guard = lock(state);
    let delivery = match fault::take(&mut guard.faults, true, method) {
        None => Delivery::Now,
        Some(Fault::Delay(delay)) => Delivery::After(delay),
        Some(fault) => return Ok(injected_answer(fault, method)),
    };
    let result = apply(&mut guard.databank, request)?;
    drop(guard);
    let (result, code) = result;
    let request_id = top_request_id();
    let body = if request.param("simplify") == Some("true") {
        json!({ "result": result, "request_id": request_id })
    } else {
        json!({ response_name(method): { "result": result, "request_id": request_id } })
    };
    let mut answer = Answer::json(200, &body, code);
    answer.headers = vec![("content-type", "application/json;charset=UTF-8".to_owned())];
    if let Delivery::After(_) = delivery {
        answer.delivery = delivery;
        answer.injected = true;
    }
    Ok(answer)
}

/// `alibaba.databank.open.auth.apply`: the `result` object and, for a business failure, its
/// `codeclass`.
fn apply(databank: &mut Databank, request: &Incoming) -> Result<(Value, Option<String>), TopError> {
    let context = struct_param(request, "context")?;
    let param = struct_param(request, "param")?;
    let ak = string_field(&context, "context", "ak")?;
    let sk = string_field(&context, "context", "sk")?;
    for name in PARAM_FIELDS {
        string_field(&param, "param", name)?;
    }
    match param.get("smart_id") {
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        Some(Value::String(s)) if s.parse::<i64>().is_ok() => {}
        _ => return Err(invalid_field("param", "smart_id")),
    }

    if ak != DATABANK_AK || sk != DATABANK_SK {
        let result = json!({
            "errcode": 1001,
            "errmsg": "ak or sk is invalid",
            "codeclass": "PARAM_ERROR",
        });
        return Ok((result, Some("PARAM_ERROR".to_owned())));
    }
    let application = Application {
        // Every kept field is one of PARAM_FIELDS, checked above.
        fields: KEPT_FIELDS.map(|name| string_field(&param, "param", name).unwrap_or_default()),
        auth_status: 0,
    };
    let same = |a: &&Application| {
        a.field("apply_biz_id") == application.field("apply_biz_id")
            && a.field("apply_entity_id") == application.field("apply_entity_id")
    };
    if let Some(existing) = databank.applications.iter().find(same) {
        let result = json!({
            "data": existing.data(),
            "errcode": 2001,
            "errmsg": "apply already exists",
            "codeclass": "BIZ_ERROR",
        });
        return Ok((result, Some("BIZ_ERROR".to_owned())));
    }
    let result = json!({
        "data": application.data(),
        "errcode": 0,
        "errmsg": "success",
        "codeclass": "SUCCESS",
    });
    let size = application.size();
    databank.applications.push(application, size);
    Ok((result, None))
}

/// A struct parameter: one field holding a JSON object. Absent → 40, not an object → 41.
fn struct_param(request: &Incoming, name: &str) -> Result<Map<String, Value>, TopError> {
    let raw = request
        .param(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| TopError::new(40, format!("Missing required arguments:{name}")))?;
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(TopError::new(41, format!("Invalid arguments:{name}"))),
    }
}

/// A required string field of a struct parameter (a number is taken as its decimal text).
fn string_field(map: &Map<String, Value>, parent: &str, name: &str) -> Result<String, TopError> {
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        _ => Err(invalid_field(parent, name)),
    }
}

/// A missing or mistyped field inside a struct parameter: code 15 with `isv.invalid-parameter`,
/// the error the method's documentation shows (there with code 50).
fn invalid_field(parent: &str, name: &str) -> TopError {
    TopError::new(15, "Remote service error")
        .sub("isv.invalid-parameter", format!("非法参数:{parent}.{name}"))
}

/// The answer an injected fault gives instead of the method's.
fn injected_answer(fault: Fault, method: &str) -> Answer {
    let mut answer = match fault {
        Fault::Throttling { .. } => TopError::new(7, "App Call Limited")
            .sub(
                "accesscontrol.limited-by-app-access-count",
                "This ban will last for 1 more seconds",
            )
            .answer(),
        Fault::ServiceUnavailable => TopError::new(10, "Service Currently Unavailable")
            .sub("isp.service-unavailable", "服务不可用")
            .answer(),
        Fault::MalformedBody => Answer::malformed(format!(
            "{{\"{}\":{{\"result\":{{\"da",
            response_name(method)
        )),
        Fault::BusinessFailure { code, message } => TopError::new(15, "Remote service error")
            .sub(code, message)
            .answer(),
        Fault::TopError {
            code,
            msg,
            sub_code,
            sub_msg,
        } => TopError {
            code,
            msg,
            sub_code,
            sub_msg,
        }
        .answer(),
        Fault::DropConnection => Answer::dropped(),
        Fault::Delay(_) => TopError::new(15, "Remote service error").answer(),
    };
    answer.injected = true;
    answer
}

/// `alibaba.databank.open.auth.apply` → `alibaba_databank_open_auth_apply_response`.
fn response_name(method: &str) -> String {
    let name = method.strip_prefix("taobao.").unwrap_or(method);
    format!("{}_response", name.replace('.', "_"))
}

/// `yyyy-MM-dd HH:mm:ss` in GMT+8, or milliseconds since the epoch.
fn parse_timestamp(value: &str) -> Option<DateTime<Utc>> {
    if let Some(t) = top_sign::parse_timestamp(value) {
        return Some(t);
    }
    if value.len() == 13 && value.bytes().all(|b| b.is_ascii_digit()) {
        let millis = value.parse::<i64>().ok()?;
        return Utc.timestamp_millis_opt(millis).single();
    }
    None
}

fn is_version_like(v: &str) -> bool {
    v.split_once('.').is_some_and(|(major, minor)| {
        !major.is_empty()
            && !minor.is_empty()
            && major
                .bytes()
                .chain(minor.bytes())
                .all(|b| b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_names_follow_the_method() {
        assert_eq!(
            response_name("alibaba.databank.open.auth.apply"),
            "alibaba_databank_open_auth_apply_response"
        );
        assert_eq!(response_name("taobao.time.get"), "time_get_response");
    }

    #[test]
    fn timestamps_in_gmt8_or_millis() {
        assert!(parse_timestamp("2016-01-01 12:00:00").is_some());
        assert!(parse_timestamp("1451620800000").is_some());
        assert!(parse_timestamp("2016-01-01T12:00:00Z").is_none());
    }
}
