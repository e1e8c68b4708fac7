//! The Alibaba Cloud RPC gateway: common parameters, signature v1, timestamp window, nonce reuse,
//! product and version routing, and the gateway's error bodies.

use std::sync::Mutex;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{json, Map, Value};

use super::accounts::{self, Account};
use super::fault::{self, Fault};
use super::state::State;
use super::sts::{self, Identity};
use super::wire::{request_id, Answer, Delivery, Incoming};
use super::{generic, lock, sts_service, v3};
use crate::aliyun::sign::v1;

/// The gateway's tolerance between a request's `Timestamp` and its own clock.
const TIMESTAMP_WINDOW_MINUTES: i64 = 15;

/// A product the gateway routes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Product {
    LinkWan,
    Dysmsapi,
    Sts,
}

impl Product {
    /// The product that serves an action, judged by the action name (the emulator serves every
    /// product on one address, where the real gateway tells them apart by host name).
    /// LinkWAN and Dysmsapi serve the actions of their models (`models/`), STS its own.
    fn for_action(action: &str) -> Option<Product> {
        if let Some(product) = generic::product_of(action) {
            Some(product)
        } else if sts_service::ACTIONS.contains(&action) {
            Some(Product::Sts)
        } else {
            None
        }
    }

    /// Guesses the product from a `Host` such as `linkwan.cn-shanghai.aliyuncs.com`.
    fn for_host(host: &str) -> Option<Product> {
        let host = host.to_ascii_lowercase();
        if host.starts_with("linkwan") {
            Some(Product::LinkWan)
        } else if host.starts_with("dysmsapi") {
            Some(Product::Dysmsapi)
        } else if host.starts_with("sts") {
            Some(Product::Sts)
        } else {
            None
        }
    }

    /// The product code used in `Recommend` links.
    pub fn name(self) -> &'static str {
        match self {
            Product::LinkWan => "LinkWAN",
            Product::Dysmsapi => "Dysmsapi",
            Product::Sts => "Sts",
        }
    }

    fn versions(self) -> &'static [&'static str] {
        match self {
            Product::LinkWan => &["2019-03-01", "2018-12-30"],
            Product::Dysmsapi => &["2017-05-25"],
            Product::Sts => &["2015-04-01"],
        }
    }

    fn default_host(self) -> &'static str {
        match self {
            Product::LinkWan => "linkwan.cn-shanghai.aliyuncs.com",
            Product::Dysmsapi => "dysmsapi.aliyuncs.com",
            Product::Sts => "sts.aliyuncs.com",
        }
    }
}

/// How a product error is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{"RequestId","HostId","Code","Message","Recommend"}`.
    Gateway,
    /// `{"RequestId","Code","Message","Success":false}` (Dysmsapi business rules).
    Business,
    /// `{"RequestId","Code","Message"}`: a Dysmsapi `isv.*` answer, as sends give them.
    Isv,
}

/// An error answer of a product action.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub shape: Shape,
}

impl ApiError {
    /// HTTP 400 in the gateway shape.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            code,
            message: message.into(),
            shape: Shape::Gateway,
        }
    }

    /// HTTP 400 `MissingParameter` naming the parameter.
    pub fn missing(name: &str) -> ApiError {
        ApiError::bad_request("MissingParameter", missing_message(name))
    }
}

/// What a product action answers on success: the body's fields other than `RequestId`.
pub(crate) type ApiResult = Result<Map<String, Value>, ApiError>;

/// An authenticated call handed to a product.
pub(crate) struct Call<'a> {
    pub caller: Account,
    pub request: &'a Incoming,
    pub now: DateTime<Utc>,
}

impl Call<'_> {
    /// A required parameter: present and non-empty, else `MissingParameter`.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        match self.request.param(name) {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(ApiError::missing(name)),
        }
    }
}

fn missing_message(name: &str) -> String {
    format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied.")
}

/// Renders a gateway-shaped error.
pub(crate) fn error(
    status: u16,
    code: &str,
    message: &str,
    product: Option<Product>,
    host: &str,
) -> Answer {
    let id = request_id();
    let host_id = if host.is_empty() {
        product.map_or("", Product::default_host)
    } else {
        host
    };
    let recommend = match product {
        Some(p) => format!(
            "https://api.aliyun.com/troubleshoot?q={code}&product={}&requestId={id}",
            p.name()
        ),
        None => format!("https://api.aliyun.com/troubleshoot?q={code}&requestId={id}"),
    };
    let body = json!({
        "RequestId": id,
        "HostId": host_id,
        "Code": code,
        "Message": message,
        "Recommend": recommend,
    });
    Answer::json(status, &body, Some(code.to_owned()))
}

/// Why the gateway refused a request before it reached the product.
#[derive(Debug, Clone)]
pub(crate) struct Rejection {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub product: Option<Product>,
}

impl Rejection {
    pub fn new(
        status: u16,
        code: &'static str,
        message: impl Into<String>,
        product: Option<Product>,
    ) -> Rejection {
        Rejection {
            status,
            code,
            message: message.into(),
            product,
        }
    }
}

/// A request whose signature (and security token, if its key needs one) checked out.
pub(crate) struct Authenticated<'a> {
    /// The account the key acts as.
    pub caller: Account,
    /// The AccessKey ID that signed it (the nonce's scope).
    pub access_key_id: String,
    pub action: &'a str,
    pub product: Product,
    pub nonce: &'a str,
}

/// Finds the product of an action and checks the version (`names` are how the request carries
/// them: parameters for v1, headers for V3).
pub(crate) fn route<'a>(
    action: Option<&'a str>,
    version: Option<&str>,
    names: (&str, &str),
    guessed: Option<Product>,
) -> Result<(&'a str, Product), Rejection> {
    let Some(action) = action.filter(|a| !a.is_empty()) else {
        return Err(Rejection::new(
            400,
            "MissingParameter",
            missing_message(names.0),
            guessed,
        ));
    };
    let Some(product) = Product::for_action(action) else {
        return Err(Rejection::new(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
            guessed,
        ));
    };
    let Some(version) = version.filter(|v| !v.is_empty()) else {
        return Err(Rejection::new(
            400,
            "MissingParameter",
            missing_message(names.1),
            Some(product),
        ));
    };
    if !product.versions().contains(&version) {
        return Err(Rejection::new(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
            Some(product),
        ));
    }
    Ok((action, product))
}

/// What an AccessKey ID stands for (a long-term key of [`accounts`], else temporary
/// credentials), else `InvalidAccessKeyId.NotFound`.
pub(crate) fn known_key(
    state: &Mutex<State>,
    access_key_id: &str,
    product: Product,
) -> Result<Identity, Rejection> {
    let long_term = accounts::by_access_key_id(access_key_id).map(|account| Identity {
        account,
        secret: account.access_key_secret.to_owned(),
        temporary: None,
    });
    long_term
        .or_else(|| lock(state).sts.get(access_key_id))
        .ok_or_else(|| {
            Rejection::new(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
                Some(product),
            )
        })
}

/// Checks a `yyyy-MM-ddTHH:mm:ssZ` timestamp (parameter or header `name`) against the clock.
pub(crate) fn fresh(
    value: &str,
    name: &str,
    now: DateTime<Utc>,
    product: Product,
) -> Result<(), Rejection> {
    let Some(timestamp) = parse_timestamp(value) else {
        return Err(Rejection::new(
            400,
            "IllegalTimestamp",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied or is not in the format yyyy-MM-ddTHH:mm:ssZ."),
            Some(product),
        ));
    };
    if (now - timestamp).num_seconds().abs() > TIMESTAMP_WINDOW_MINUTES * 60 {
        return Err(Rejection::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired. Server time: {}.",
                now.format("%Y-%m-%dT%H:%M:%SZ")
            ),
            Some(product),
        ));
    }
    Ok(())
}

/// Signature v1: every common parameter in the query or form body.
fn authenticate_v1<'a>(
    state: &Mutex<State>,
    request: &'a Incoming,
    now: DateTime<Utc>,
    guessed: Option<Product>,
) -> Result<Authenticated<'a>, Rejection> {
    let (action, product) = route(
        request.param("Action"),
        request.param("Version"),
        ("Action", "Version"),
        guessed,
    )?;
    for name in [
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        if absent(request.param(name)) {
            return Err(Rejection::new(
                400,
                "MissingParameter",
                missing_message(name),
                Some(product),
            ));
        }
    }
    let Some(signature) = request.param("Signature").filter(|s| !s.is_empty()) else {
        return Err(Rejection::new(
            400,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards.",
            Some(product),
        ));
    };
    let param = |name: &str| request.param(name).unwrap_or_default();
    for (name, expected) in [
        ("SignatureMethod", v1::SIGNATURE_METHOD),
        ("SignatureVersion", v1::SIGNATURE_VERSION),
    ] {
        if param(name) != expected {
            return Err(Rejection::new(
                400,
                "InvalidParameter",
                format!("The specified parameter \"{name}\" is not valid: only {expected} is supported."),
                Some(product),
            ));
        }
    }
    let identity = known_key(state, param("AccessKeyId"), product)?;
    fresh(param("Timestamp"), "Timestamp", now, product)?;
    let string_to_sign = v1::string_to_sign(&request.method, request.pairs.iter().cloned());
    if v1::sign(&identity.secret, &string_to_sign) != signature {
        return Err(Rejection::new(
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
            Some(product),
        ));
    }
    sts::check_token(&identity, request.param("SecurityToken"), now, product)?;
    Ok(Authenticated {
        caller: identity.account,
        access_key_id: param("AccessKeyId").to_owned(),
        action,
        product,
        nonce: param("SignatureNonce"),
    })
}

/// Handles a request to the RPC endpoint (any path but the TOP gateway's).
pub(crate) fn handle(state: &Mutex<State>, request: &Incoming) -> Answer {
    let host = request.host.as_str();
    let guessed = Product::for_host(host);
    if request.path != "/" {
        return error(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
            guessed,
            host,
        )
        .rejected();
    }
    if sts_service::is_unsigned_oidc(request) && !v3::is_v3(request) {
        return sts_service::handle_unsigned(state, request);
    }
    let now = lock(state).now();
    let authenticated = if v3::is_v3(request) {
        v3::authenticate(state, request, now, guessed)
    } else {
        authenticate_v1(state, request, now, guessed)
    };
    let Authenticated {
        caller,
        access_key_id,
        action,
        product,
        nonce,
    } = match authenticated {
        Ok(authenticated) => authenticated,
        Err(r) => return error(r.status, r.code, &r.message, r.product, host).rejected(),
    };

    let mut guard = lock(state);
    if !guard.use_nonce(&access_key_id, nonce, now) {
        return error(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
            Some(product),
            host,
        )
        .rejected();
    }
    let delivery = match fault::take(&mut guard.faults, false, action) {
        None => Delivery::Now,
        Some(Fault::Delay(delay)) => Delivery::After(delay),
        Some(fault) => return injected_answer(fault, product, host),
    };
    // Products keep their business on the services' clock; STS issues credentials that the
    // gateway checks, on the gateway's.
    let now = match product {
        Product::Sts => now,
        Product::LinkWan | Product::Dysmsapi => {
            now.checked_add_signed(guard.time_offset).unwrap_or(now)
        }
    };
    let call = Call {
        caller,
        request,
        now,
    };
    let result = match product {
        Product::LinkWan | Product::Dysmsapi => generic::serve(&mut guard, product, action, &call),
        Product::Sts => sts_service::handle(&mut guard, action, &call),
    };
    drop(guard);
    let mut answer = render(product, result, host);
    if delivery != Delivery::Now {
        answer.delivery = delivery;
        answer.injected = true;
    }
    answer
}

/// Renders a product's result.
pub(crate) fn render(product: Product, result: ApiResult, host: &str) -> Answer {
    let mut id = request_id();
    if product == Product::Dysmsapi {
        // The documented Dysmsapi responses end their RequestId with a newline.
        id.push('\n');
    }
    match result {
        Ok(mut fields) => {
            fields.insert("RequestId".to_owned(), Value::String(id));
            Answer::json(200, &Value::Object(fields), None)
        }
        Err(e) if e.shape == Shape::Gateway => {
            error(e.status, e.code, &e.message, Some(product), host)
        }
        Err(e) if e.shape == Shape::Isv => {
            let body = json!({ "RequestId": id, "Code": e.code, "Message": e.message });
            Answer::json(e.status, &body, Some(e.code.to_owned()))
        }
        Err(e) => {
            let body = json!({
                "RequestId": id,
                "Code": e.code,
                "Message": e.message,
                "Success": false,
            });
            Answer::json(e.status, &body, Some(e.code.to_owned()))
        }
    }
}

/// The answer an injected fault gives instead of the product's.
pub(crate) fn injected_answer(fault: Fault, product: Product, host: &str) -> Answer {
    let mut answer = match fault {
        Fault::Throttling { retry_after } => {
            let mut answer = error(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
                Some(product),
                host,
            );
            if let Some(after) = retry_after {
                answer
                    .headers
                    .push(("x-acs-retry-after", after.as_millis().to_string()));
            }
            answer
        }
        Fault::ServiceUnavailable => error(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
            Some(product),
            host,
        ),
        Fault::MalformedBody => Answer::malformed(format!(
            "{{\"RequestId\":\"{}\",\"Data\":{{\"Ord",
            request_id()
        )),
        Fault::BusinessFailure { code, message } => {
            let body = match product {
                Product::Dysmsapi => json!({
                    "RequestId": format!("{}\n", request_id()),
                    "Code": code,
                    "Message": message,
                }),
                Product::LinkWan | Product::Sts => json!({
                    "RequestId": request_id(),
                    "Success": false,
                    "Code": code,
                    "Message": message,
                }),
            };
            Answer::json(200, &body, Some(code))
        }
        Fault::DropConnection => Answer::dropped(),
        // Delay is handled by the caller; TopError never applies to RPC.
        Fault::Delay(_) | Fault::TopError { .. } => {
            error(500, "InternalError", "Injected fault.", Some(product), host)
        }
    };
    answer.injected = true;
    answer
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ` strictly (UTC, no fraction, no offset).
fn parse_timestamp(value: &str) -> Option<DateTime<Utc>> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|t| t.and_utc())
}

/// Whether a parameter is absent or empty.
fn absent(value: Option<&str>) -> bool {
    value.unwrap_or_default().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_parsed_strictly() {
        assert!(parse_timestamp("2016-02-23T12:46:24Z").is_some());
        assert!(parse_timestamp("2016-02-23T12:46:24").is_none());
        assert!(parse_timestamp("2016-2-23T12:46:24Z").is_none());
        assert!(parse_timestamp("2016-02-23 12:46:24Z").is_none());
        assert!(parse_timestamp("2016-02-30T12:46:24Z").is_none());
        assert!(parse_timestamp("２016-02-23T12:46:24Z").is_none());
    }
}
