//! Faults injected on demand (see [`Injection`]).

use std::fmt;
use std::time::Duration;

use serde_json::{json, Map, Value};

/// One kind of failure the emulator can produce instead of (or on top of) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Alibaba Cloud: HTTP 400 `Throttling.User`, with the header `x-acs-retry-after`
    /// (milliseconds) when `retry_after` is given. TOP: HTTP 200, code 7 `App Call Limited`,
    /// sub code `accesscontrol.limited-by-app-access-count`. The request is not processed.
    Throttling {
        /// The value of `x-acs-retry-after`, if any.
        retry_after: Option<Duration>,
    },
    /// Alibaba Cloud: HTTP 503 `ServiceUnavailable`. TOP: HTTP 200, code 10
    /// `Service Currently Unavailable`, sub code `isp.service-unavailable`. Not processed.
    ServiceUnavailable,
    /// HTTP 200 with a JSON body cut off in the middle. The request is not processed.
    MalformedBody,
    /// HTTP 200 with a business failure in the body (the request is not processed):
    /// Dysmsapi `{"RequestId","Code","Message"}` with `Code` = `code` (no `Success` field, the
    /// shape the SMS APIs use for `isv.*` failures); LinkWAN `{"RequestId","Success":false,"Code","Message"}`;
    /// TOP `error_response` code 15 with `sub_code` = `code`.
    BusinessFailure {
        /// The business code, e.g. `isv.BUSINESS_LIMIT_CONTROL`.
        code: String,
        /// The message that goes with it.
        message: String,
    },
    /// TOP only (Alibaba Cloud requests pass it by): HTTP 200 with this `error_response`.
    /// Use code 7 for app throttling, or code 15 with an `isp.*` sub code for a server-side error.
    TopError {
        /// The top-level `code`.
        code: i64,
        /// The `msg`.
        msg: String,
        /// The `sub_code`, if any.
        sub_code: Option<String>,
        /// The `sub_msg`, if any.
        sub_msg: Option<String>,
    },
    /// The connection is closed without an answer. The request is not processed.
    DropConnection,
    /// The request is processed normally (state changes happen), then the answer waits this long:
    /// a client that times out cannot know whether its request took effect.
    Delay(Duration),
}

impl Fault {
    /// [`Fault::Throttling`] with an optional `x-acs-retry-after`.
    pub fn throttling(retry_after: Option<Duration>) -> Fault {
        Fault::Throttling { retry_after }
    }

    /// The SMS business quota failure `isv.BUSINESS_LIMIT_CONTROL` (HTTP 200); never retryable.
    pub fn business_limit_control() -> Fault {
        Fault::BusinessFailure {
            code: "isv.BUSINESS_LIMIT_CONTROL".to_owned(),
            message: "触发分钟级流控Permits:1".to_owned(),
        }
    }

    /// TOP code 7, `App Call Limited`.
    pub fn top_app_call_limited() -> Fault {
        Fault::TopError {
            code: 7,
            msg: "App Call Limited".to_owned(),
            sub_code: Some("accesscontrol.limited-by-app-access-count".to_owned()),
            sub_msg: Some("This ban will last for 1 more seconds".to_owned()),
        }
    }

    /// TOP code 15, `Remote service error`, with a server-side (`isp.*`) sub code such as
    /// `isp.remote-service-timeout`.
    pub fn top_isp(sub_code: impl Into<String>) -> Fault {
        Fault::TopError {
            code: 15,
            msg: "Remote service error".to_owned(),
            sub_code: Some(sub_code.into()),
            sub_msg: Some("服务端异常".to_owned()),
        }
    }

    /// Whether this fault can fire on a request of this protocol.
    pub(crate) fn applies_to(&self, top: bool) -> bool {
        !matches!(self, Fault::TopError { .. }) || top
    }
}

/// One line a person can read: what the fault answers, on both gateways where they differ.
impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Throttling { retry_after } => {
                f.write_str("400 Throttling.User (TOP: code 7)")?;
                match retry_after {
                    Some(after) => write!(f, " with x-acs-retry-after {} ms", after.as_millis()),
                    None => Ok(()),
                }
            }
            Fault::ServiceUnavailable => f.write_str("503 ServiceUnavailable (TOP: code 10)"),
            Fault::MalformedBody => f.write_str("200 with a truncated JSON body"),
            Fault::BusinessFailure { code, .. } => write!(f, "200 with business failure {code}"),
            Fault::TopError { code, sub_code, .. } => {
                write!(f, "TOP error code {code}")?;
                match sub_code {
                    Some(sub_code) => write!(f, ", sub code {sub_code}"),
                    None => Ok(()),
                }
            }
            Fault::DropConnection => f.write_str("connection closed without an answer"),
            Fault::Delay(delay) => write!(f, "answer delayed by {} ms", delay.as_millis()),
        }
    }
}

/// A queued [`Fault`]: faults on demand test retry, timeout and error handling over real sockets.
///
/// An injection is queued with [`Emulator::inject`](crate::emulator::Emulator::inject). It fires on the
/// next request(s) that pass the gateway's checks (known key, valid timestamp, signature and nonce:
/// the point where a real gateway throttles a caller), optionally only for one action or TOP method,
/// and is used up after [`Injection::times`] requests. Injections are tried in the order they were
/// queued; the first that applies fires, and at most one fires per request.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use alibaba_openapi::emulator::{Emulator, Fault, Injection};
///
/// let emulator = Emulator::start().await?;
/// // The next two GetJoinPermissionAuthOrder calls are throttled.
/// emulator.inject(
///     Injection::new(Fault::throttling(Some(Duration::from_millis(50))))
///         .times(2)
///         .for_action("GetJoinPermissionAuthOrder"),
/// );
/// // The next request of any kind gets a 503.
/// emulator.inject(Fault::ServiceUnavailable);
/// # Ok(()) }
/// ```
///
/// `Injection::from(fault)` (or passing a bare [`Fault`] to `inject`) affects the next single
/// request of any action.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Injection {
    /// What happens.
    pub fault: Fault,
    /// How many more requests it affects.
    pub times: u32,
    /// Only requests with this `Action` (Alibaba Cloud) or `method` (TOP), when set.
    pub action: Option<String>,
}

impl Injection {
    /// Affects the next request, whatever its action.
    pub fn new(fault: Fault) -> Injection {
        Injection {
            fault,
            times: 1,
            action: None,
        }
    }

    /// Affects the next `times` matching requests instead of one.
    pub fn times(mut self, times: u32) -> Injection {
        self.times = times;
        self
    }

    /// Affects only requests of this action (`Action`, e.g. `CreateSmsAuthorizationLetter`) or
    /// TOP method (`method`, e.g. `alibaba.databank.open.auth.apply`).
    pub fn for_action(mut self, action: impl Into<String>) -> Injection {
        self.action = Some(action.into());
        self
    }

    fn matches(&self, top: bool, action: &str) -> bool {
        self.times > 0
            && self.fault.applies_to(top)
            && match self.action.as_deref() {
                Some(only) => only == action,
                None => true,
            }
    }
}

/// E.g. `503 ServiceUnavailable (TOP: code 10), next 2 requests of GetOwnedJoinPermission`.
impl fmt::Display for Injection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, ", self.fault)?;
        match self.times {
            u32::MAX => f.write_str("every request")?,
            1 => f.write_str("next request")?,
            n => write!(f, "next {n} requests")?,
        }
        match &self.action {
            Some(action) => write!(f, " of {action}"),
            None => Ok(()),
        }
    }
}

impl From<Fault> for Injection {
    fn from(fault: Fault) -> Injection {
        Injection::new(fault)
    }
}

/// Takes the fault, if any, that fires on this request, using up one of its times.
pub(crate) fn take(queue: &mut Vec<Injection>, top: bool, action: &str) -> Option<Fault> {
    let index = queue.iter().position(|i| i.matches(top, action))?;
    let entry = &mut queue[index];
    entry.times -= 1;
    let fault = entry.fault.clone();
    if entry.times == 0 {
        queue.remove(index);
    }
    Some(fault)
}

/// The fields of an injection in JSON, for `POST`/`GET /_emulator/faults`: `kind`, its own
/// fields, `times` (a positive number or `"*"`, default 1) and `action` (optional).
const KINDS: &str =
    "throttling, unavailable, malformed, drop, delay, business, top-limited, top-isp, top-error";

/// Reads an injection from the JSON of `POST /_emulator/faults`, e.g.
/// `{"kind":"throttling","retry_after_ms":500,"times":2,"action":"SendSms"}`. `Err` is one line
/// naming what is wrong: an unknown kind or field, a field of the wrong type, a missing one.
pub(crate) fn injection_from_json(value: &Value) -> Result<Injection, String> {
    let Some(object) = value.as_object() else {
        return Err("a fault is a JSON object with a \"kind\"".to_owned());
    };
    let mut fields = Fields {
        object,
        // `about` is what `GET` adds: ignored, so a listed entry posts back as it is.
        used: vec!["kind", "times", "action", "about"],
    };
    let kind = fields.string("kind")?.ok_or("\"kind\" is required")?;
    let fault = match kind {
        "throttling" => Fault::throttling(fields.millis("retry_after_ms")?),
        "unavailable" => Fault::ServiceUnavailable,
        "malformed" => Fault::MalformedBody,
        "drop" => Fault::DropConnection,
        "delay" => Fault::Delay(
            fields
                .millis("delay_ms")?
                .ok_or("\"delay\" needs \"delay_ms\"")?,
        ),
        "business" => {
            let code = fields
                .string("code")?
                .filter(|c| !c.is_empty())
                .ok_or("\"business\" needs a \"code\", e.g. isv.BUSINESS_LIMIT_CONTROL")?;
            let documented = Fault::business_limit_control();
            match (fields.string("message")?, &documented) {
                (Some(message), _) => Fault::BusinessFailure {
                    code: code.to_owned(),
                    message: message.to_owned(),
                },
                (None, Fault::BusinessFailure { code: known, .. }) if known == code => documented,
                (None, _) => Fault::BusinessFailure {
                    code: code.to_owned(),
                    message: "Injected business failure.".to_owned(),
                },
            }
        }
        "top-limited" => Fault::top_app_call_limited(),
        "top-isp" => Fault::top_isp(
            fields
                .string("sub_code")?
                .filter(|c| !c.is_empty())
                .ok_or("\"top-isp\" needs a \"sub_code\", e.g. isp.remote-service-timeout")?,
        ),
        "top-error" => Fault::TopError {
            code: fields
                .integer("code")?
                .ok_or("\"top-error\" needs a numeric \"code\"")?,
            msg: fields.string("msg")?.unwrap_or_default().to_owned(),
            sub_code: fields.string("sub_code")?.map(str::to_owned),
            sub_msg: fields.string("sub_msg")?.map(str::to_owned),
        },
        other => return Err(format!("unknown kind {other:?}; one of {KINDS}")),
    };
    let times = match object.get("times") {
        None | Some(Value::Null) => 1,
        Some(Value::String(all)) if all == "*" => u32::MAX,
        Some(n) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n > 0 => n,
            _ => return Err("\"times\" is a positive number or \"*\" (every request)".to_owned()),
        },
    };
    let mut injection = Injection::new(fault).times(times);
    match fields.string("action")? {
        Some("") => return Err("\"action\" is empty".to_owned()),
        Some(action) => injection = injection.for_action(action),
        None => {}
    }
    if let Some(unknown) = object.keys().find(|k| !fields.used.contains(&k.as_str())) {
        return Err(format!("{unknown:?} is not a field of a {kind:?} fault"));
    }
    Ok(injection)
}

/// The fields of one JSON object, remembering which were read (the others are unknown).
struct Fields<'a> {
    object: &'a Map<String, Value>,
    used: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    fn string(&mut self, name: &'static str) -> Result<Option<&'a str>, String> {
        self.used.push(name);
        match self.object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("{name:?} is a string")),
        }
    }

    fn integer(&mut self, name: &'static str) -> Result<Option<i64>, String> {
        self.used.push(name);
        match self.object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n
                .as_i64()
                .map(Some)
                .ok_or(format!("{name:?} is a whole number")),
        }
    }

    fn millis(&mut self, name: &'static str) -> Result<Option<Duration>, String> {
        self.used.push(name);
        match self.object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n
                .as_u64()
                .map(|ms| Some(Duration::from_millis(ms)))
                .ok_or(format!("{name:?} is whole milliseconds, e.g. 500")),
        }
    }
}

/// An injection as `GET /_emulator/faults` lists it: the fields [`injection_from_json`] reads
/// (so an entry can be posted back as it is), with `about`, one line a person can read.
pub(crate) fn injection_to_json(injection: &Injection) -> Value {
    let mut entry = match &injection.fault {
        Fault::Throttling { retry_after } => json!({
            "kind": "throttling",
            "retry_after_ms": retry_after.map(|d| d.as_millis() as u64),
        }),
        Fault::ServiceUnavailable => json!({ "kind": "unavailable" }),
        Fault::MalformedBody => json!({ "kind": "malformed" }),
        Fault::DropConnection => json!({ "kind": "drop" }),
        Fault::Delay(delay) => json!({ "kind": "delay", "delay_ms": delay.as_millis() as u64 }),
        Fault::BusinessFailure { code, message } => {
            json!({ "kind": "business", "code": code, "message": message })
        }
        Fault::TopError {
            code,
            msg,
            sub_code,
            sub_msg,
        } => json!({
            "kind": "top-error",
            "code": code,
            "msg": msg,
            "sub_code": sub_code,
            "sub_msg": sub_msg,
        }),
    };
    if let Value::Object(fields) = &mut entry {
        let times = match injection.times {
            u32::MAX => json!("*"),
            n => json!(n),
        };
        fields.insert("times".to_owned(), times);
        fields.insert("action".to_owned(), json!(injection.action));
        fields.insert("about".to_owned(), json!(injection.to_string()));
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_goes_to_json_and_back() {
        let faults = [
            Fault::throttling(None),
            Fault::throttling(Some(Duration::from_millis(1500))),
            Fault::ServiceUnavailable,
            Fault::MalformedBody,
            Fault::DropConnection,
            Fault::Delay(Duration::from_millis(250)),
            Fault::business_limit_control(),
            Fault::top_app_call_limited(),
            Fault::top_isp("isp.remote-service-timeout"),
        ];
        for fault in faults {
            for injection in [
                Injection::new(fault.clone()),
                Injection::new(fault.clone())
                    .times(u32::MAX)
                    .for_action("SendSms"),
            ] {
                let listed = injection_to_json(&injection);
                assert_eq!(injection_from_json(&listed), Ok(injection), "{listed}");
            }
        }
    }

    #[test]
    fn json_faults_are_read_strictly() {
        let read = |text: &str| injection_from_json(&serde_json::from_str(text).unwrap());
        let throttled =
            read(r#"{"kind":"throttling","retry_after_ms":500,"times":2,"action":"SendSms"}"#)
                .unwrap();
        assert_eq!(
            throttled,
            Injection::new(Fault::throttling(Some(Duration::from_millis(500))))
                .times(2)
                .for_action("SendSms")
        );
        assert_eq!(
            read(r#"{"kind":"business","code":"isv.BUSINESS_LIMIT_CONTROL"}"#)
                .unwrap()
                .fault,
            Fault::business_limit_control()
        );
        for bad in [
            r#"[]"#,
            r#"{}"#,
            r#"{"kind":"teapot"}"#,
            r#"{"kind":"drop","times":0}"#,
            r#"{"kind":"drop","times":"all"}"#,
            r#"{"kind":"drop","action":""}"#,
            r#"{"kind":"drop","delay_ms":5}"#,
            r#"{"kind":"delay"}"#,
            r#"{"kind":"delay","delay_ms":-1}"#,
            r#"{"kind":"business"}"#,
            r#"{"kind":"top-isp"}"#,
            r#"{"kind":"top-error","code":"7"}"#,
            r#"{"kind":"throttling","retry_after":5}"#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }
}
