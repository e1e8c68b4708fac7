//! What the emulator records of each request: in full when a product (or the metadata service)
//! handled it, as a summary when the gateway refused it; at most
//! [`EmulatorBuilder::max_recorded_requests`](super::EmulatorBuilder::max_recorded_requests)
//! requests and [`MAX_RECORDED_BYTES`](super::limits::MAX_RECORDED_BYTES), oldest first out.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::limits::{truncate, MAX_SUMMARY_FIELD_BYTES};
use super::metadata;
use super::wire::{decode_form, Answer, Delivery, Incoming};

/// Which gateway a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// The Alibaba Cloud RPC gateway ([`Emulator::url`](super::Emulator::url)).
    Rpc,
    /// The Taobao Open Platform gateway ([`Emulator::top_gateway_url`](super::Emulator::top_gateway_url)).
    Top,
    /// The ECS metadata service ([`Emulator::metadata_url`](super::Emulator::metadata_url)) or
    /// the credentials URI ([`Emulator::credentials_uri`](super::Emulator::credentials_uri));
    /// recorded with the action `EcsMetadata` or `CredentialsUri`.
    Metadata,
}

impl Protocol {
    /// `rpc`, `top` or `metadata`, as `GET /_emulator/requests` names it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Protocol::Rpc => "rpc",
            Protocol::Top => "top",
            Protocol::Metadata => "metadata",
        }
    }
}

/// One request the emulator received, with how it answered.
///
/// [`business_params`](Self::business_params) are the parameters the application chose (what a
/// test asserts on), [`param`](Self::param) one of them or of the common ones, and
/// [`json_param`](Self::json_param) decodes a JSON-text parameter (`TemplateParam`, `SignList`,
/// a TOP struct parameter):
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use alibaba_openapi::emulator::Emulator;
///
/// let emulator = Emulator::start().await?;
/// // ... the code under test sends an SMS ...
/// let sent = emulator.requests_for("SendSms");
/// let last = sent.last().expect("one SendSms");
/// assert_eq!(last.param("PhoneNumbers"), Some("13800138000"));
/// let template: serde_json::Value = last.json_param("TemplateParam").unwrap().unwrap();
/// assert_eq!(template["code"], "1234");
/// assert!(!last.business_params().contains_key("Signature"));
/// # Ok(()) }
/// ```
///
/// A request the gateway refused before any product saw it (bad or missing signature, unknown
/// key, stale timestamp, reused nonce, unknown action or path, failed TOP checks, a metadata
/// token refused, an unsigned `AssumeRoleWithOIDC` that failed, a malformed, oversized or too
/// slow body) is kept as a summary: [`rejected`](Self::rejected) is `true`, `params`,
/// `body_params`, `headers` and `nonce` are empty, and `action` and `path` are cut to 256
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Which gateway it went to.
    pub protocol: Protocol,
    /// `Action` or the `x-acs-action` header (Alibaba Cloud), `method` (TOP); empty when absent.
    pub action: String,
    /// The HTTP method.
    pub http_method: String,
    /// The URL path.
    pub path: String,
    /// Every parameter from the query string and form body, decoded (first value of a repeated
    /// name), including `Signature` / `sign`. Empty for a rejected request.
    pub params: BTreeMap<String, String>,
    /// The parameters that arrived in an `application/x-www-form-urlencoded` body, decoded
    /// (first value of a repeated name): their names are a subset of [`params`](Self::params)'
    /// (a name sent in both the query and the body has the query's value there, the body's
    /// here). With the query's, they tell where each parameter travelled. Empty when there was
    /// no form body, and for a rejected request.
    pub body_params: BTreeMap<String, String>,
    /// `SignatureNonce` (or the `x-acs-signature-nonce` header), when sent. `None` for a
    /// rejected request.
    pub nonce: Option<String>,
    /// Request headers, with lower-case names. Empty for a rejected request.
    pub headers: BTreeMap<String, String>,
    /// The HTTP status answered; `None` when the connection was dropped by an injected fault.
    pub status: Option<u16>,
    /// The error code answered, `None` on success: the gateway's or product's `Code`, a TOP
    /// `code` as decimal text (`"25"`), or a data-bank `codeclass` (`"BIZ_ERROR"`) for a
    /// business failure.
    pub code: Option<String>,
    /// Whether an injected [`Fault`](super::Fault) shaped the answer.
    pub injected: bool,
    /// Whether the gateway refused it before a product handled it: only a summary is kept.
    pub rejected: bool,
    /// When it arrived, by the emulator's clock.
    pub received_at: DateTime<Utc>,
}

/// The common parameters of an Alibaba Cloud RPC request: not business parameters.
const RPC_COMMON_PARAMS: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
];
/// The system parameters of a TOP request: not business parameters.
const TOP_SYSTEM_PARAMS: &[&str] = &[
    "app_key",
    "format",
    "method",
    "partner_id",
    "session",
    "sign",
    "sign_method",
    "simplify",
    "target_app_key",
    "timestamp",
    "v",
];
/// What replaces a secret in `GET /_emulator/requests`.
const REDACTED: &str = "<redacted>";

/// What a record costs beyond its text, roughly: the struct and its allocations.
const RECORD_OVERHEAD_BYTES: usize = 256;

/// How the emulator keeps a request until it is read: its strings one after another in a
/// single allocation (the raw query string, the headers and a form body as received), decoded
/// into a [`RecordedRequest`] only when a test asks. A request kept with its parameters and
/// headers in maps took some 30 allocations and 2.4 KB for a typical signed call, and ten
/// thousand of them churning through the allocator grew the emulator's memory under load;
/// this takes two allocations and about a third of the bytes.
#[derive(Debug)]
pub(crate) struct Record {
    pub protocol: Protocol,
    pub status: Option<u16>,
    pub injected: bool,
    pub rejected: bool,
    pub received_at: DateTime<Utc>,
    code: Option<Box<str>>,
    /// The action, the HTTP method, the path, the raw query string, the headers (`name:value`
    /// lines: names never hold `:`, values never a line feed) and the form body, one after
    /// another.
    text: Box<str>,
    /// Where each part but the last ends in `text`.
    ends: [u32; 5],
}

/// The parts of [`Record::text`], in order.
const ACTION: usize = 0;
const METHOD: usize = 1;
const PATH: usize = 2;
const QUERY: usize = 3;
const HEADERS: usize = 4;
const FORM: usize = 5;

impl Record {
    /// The record of `incoming` (whose raw query string was `query`), answered with `answer`.
    /// A request the gateway refused keeps only its action, method and path, each cut to
    /// [`MAX_SUMMARY_FIELD_BYTES`].
    pub(crate) fn new(
        incoming: &Incoming,
        query: Option<&str>,
        answer: &Answer,
        protocol: Protocol,
        received_at: DateTime<Utc>,
    ) -> Record {
        let action = match protocol {
            Protocol::Top => incoming.param("method"),
            Protocol::Metadata => Some(metadata::action(&incoming.path)),
            Protocol::Rpc => incoming.param("Action").or(incoming.header("x-acs-action")),
        };
        let action = action.unwrap_or_default();
        let status = (answer.delivery != Delivery::Drop).then_some(answer.status);
        let mut parts: [&str; 6] = [action, &incoming.method, &incoming.path, "", "", ""];
        let form;
        if answer.rejected {
            for part in &mut parts[..=PATH] {
                *part = truncate(part, MAX_SUMMARY_FIELD_BYTES);
            }
        } else {
            parts[QUERY] = query.unwrap_or_default();
            // The body as the parameters were read from it: only a form body gave any.
            if !incoming.body_params.is_empty() {
                form = String::from_utf8_lossy(&incoming.body);
                parts[FORM] = &form;
            }
        }
        let header_bytes: usize = if answer.rejected {
            0
        } else {
            incoming
                .headers
                .iter()
                .map(|(k, v)| k.len() + v.len() + 2)
                .sum()
        };
        let mut text =
            String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + header_bytes);
        let mut ends = [0u32; 5];
        for (index, part) in parts.iter().enumerate() {
            if index == HEADERS && !answer.rejected {
                for (name, value) in &incoming.headers {
                    text.push_str(name);
                    text.push(':');
                    text.push_str(value);
                    text.push('\n');
                }
            } else {
                text.push_str(part);
            }
            if let Some(end) = ends.get_mut(index) {
                // At most 1 MiB of body and far less of head: always fits.
                *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
            }
        }
        Record {
            protocol,
            status,
            injected: answer.injected,
            rejected: answer.rejected,
            received_at,
            code: answer.code.as_deref().map(Box::from),
            text: text.into_boxed_str(),
            ends,
        }
    }

    fn part(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] as usize,
        };
        let end = self
            .ends
            .get(index)
            .map_or(self.text.len(), |e| *e as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    /// `Action` or `x-acs-action`, TOP `method`, `EcsMetadata` / `CredentialsUri`.
    pub(crate) fn action(&self) -> &str {
        self.part(ACTION)
    }

    pub(crate) fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Roughly how many bytes the record holds, for the recording's byte budget.
    pub(crate) fn size(&self) -> usize {
        RECORD_OVERHEAD_BYTES + self.text.len() + self.code.as_ref().map_or(0, |c| c.len())
    }

    /// The request as the Rust API shows it: every parameter and header decoded.
    pub(crate) fn to_request(&self) -> RecordedRequest {
        let mut params = BTreeMap::new();
        let mut body_params = BTreeMap::new();
        let mut headers = BTreeMap::new();
        if !self.rejected {
            // As `Incoming` reads them: the query's first, then the body's; the first value of
            // a repeated name.
            let mut pairs = Vec::new();
            decode_form(self.part(QUERY), &mut pairs);
            for (name, value) in pairs {
                params.entry(name).or_insert(value);
            }
            let mut pairs = Vec::new();
            decode_form(self.part(FORM), &mut pairs);
            for (name, value) in pairs {
                if !params.contains_key(&name) {
                    params.insert(name.clone(), value.clone());
                }
                body_params.entry(name).or_insert(value);
            }
            for line in self.part(HEADERS).lines() {
                if let Some((name, value)) = line.split_once(':') {
                    headers.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let nonce = params
            .get("SignatureNonce")
            .or(headers.get("x-acs-signature-nonce"))
            .cloned();
        RecordedRequest {
            protocol: self.protocol,
            action: self.action().to_owned(),
            http_method: self.part(METHOD).to_owned(),
            path: self.part(PATH).to_owned(),
            params,
            body_params,
            nonce,
            headers,
            status: self.status,
            code: self.code.as_deref().map(str::to_owned),
            injected: self.injected,
            rejected: self.rejected,
            received_at: self.received_at,
        }
    }
}

impl RecordedRequest {
    /// A parameter (business or common) by name, as received (the query's value when it came
    /// in both the query and the body). `None` when it was not sent, and for a rejected request.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// The parameters the caller chose, by name: [`params`](Self::params) without the
    /// protocol's own. Left out for Alibaba Cloud RPC: `AccessKeyId`, `Action`, `Format`,
    /// `SecurityToken`, `Signature`, `SignatureMethod`, `SignatureNonce`, `SignatureType`,
    /// `SignatureVersion`, `Timestamp`, `Version`; for TOP: `app_key`, `format`, `method`,
    /// `partner_id`, `session`, `sign`, `sign_method`, `simplify`, `target_app_key`,
    /// `timestamp`, `v`. `RegionId` counts as a business parameter. Empty for a rejected request
    /// and for the metadata service.
    ///
    /// `GET /_emulator/requests` serves these as `params`, with secrets redacted.
    pub fn business_params(&self) -> BTreeMap<&str, &str> {
        let common: &[&str] = match self.protocol {
            Protocol::Rpc => RPC_COMMON_PARAMS,
            Protocol::Top => TOP_SYSTEM_PARAMS,
            Protocol::Metadata => &[],
        };
        self.params
            .iter()
            .filter(|(name, _)| !common.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect()
    }

    /// A JSON-text parameter decoded into `T` (a `serde_json::Value`, a map, the test's own
    /// struct): `TemplateParam`, `SignList`, TOP's `context` and `param`. `None` when it was not
    /// sent, `Some(Err)` when it is not JSON of that shape.
    pub fn json_param<T: DeserializeOwned>(&self, name: &str) -> Option<serde_json::Result<T>> {
        self.param(name).map(serde_json::from_str)
    }

    /// The summary served by `GET /_emulator/requests`: no headers, no nonce, and of the
    /// parameters only the [business ones](Self::business_params), with every secret replaced
    /// by `<redacted>` (see [`redacted`]).
    pub(crate) fn summary(&self) -> Value {
        let params: Map<String, Value> = self
            .business_params()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), Value::String(redacted(name, value))))
            .collect();
        json!({
            "protocol": self.protocol.as_str(),
            "action": self.action,
            "http_method": self.http_method,
            "path": self.path,
            "status": self.status,
            "code": self.code,
            "injected": self.injected,
            "rejected": self.rejected,
            "received_at": self.received_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "params": params,
        })
    }
}

/// Whether a parameter or JSON field of this name holds a secret: one named like `*secret*`,
/// `*password*` or `*token*` (any case) but `NextToken`, and the Data Bank context's `sk`.
fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "sk"
        || lower.contains("secret")
        || lower.contains("password")
        || (lower.contains("token") && lower != "nexttoken")
}

/// A business parameter's value as `GET /_emulator/requests` shows it: `<redacted>` when its
/// name says it is a secret; a JSON object or array with such fields at any depth (TOP's
/// `context` with its `sk`) comes back compact with those fields redacted; anything else as
/// received.
pub(crate) fn redacted(name: &str, value: &str) -> String {
    if is_secret_name(name) {
        return REDACTED.to_owned();
    }
    let trimmed = value.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(mut json) = serde_json::from_str::<Value>(value) {
            if redact_json(&mut json) {
                return json.to_string();
            }
        }
    }
    value.to_owned()
}

/// Replaces the values of secret fields at any depth; whether it replaced any.
fn redact_json(value: &mut Value) -> bool {
    match value {
        Value::Object(fields) => {
            let mut any = false;
            for (name, field) in fields.iter_mut() {
                if is_secret_name(name) {
                    *field = Value::String(REDACTED.to_owned());
                    any = true;
                } else {
                    any |= redact_json(field);
                }
            }
            any
        }
        Value::Array(items) => {
            // Every item, not only up to the first with a secret.
            let mut any = false;
            for item in items {
                any |= redact_json(item);
            }
            any
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incoming(query: &str, body: &str) -> Incoming {
        let headers: BTreeMap<String, String> = [
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "127.0.0.1:8080"),
            ("x-odd", "a: b, c"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        Incoming::new("POST", "/", Some(query), headers, body.as_bytes())
    }

    #[test]
    fn a_record_reads_back_what_the_request_carried() {
        let query = "Action=SendSms&SignatureNonce=n%201&Dup=q&Dup=q2&Name=%E9%98%BF+x";
        let request = incoming(query, "Dup=b&Only=body&Name=other");
        let answer = Answer::json(200, &Value::Null, None);
        let record = Record::new(&request, Some(query), &answer, Protocol::Rpc, Utc::now());
        let read = record.to_request();
        assert_eq!(read.action, "SendSms");
        assert_eq!(
            (read.http_method.as_str(), read.path.as_str()),
            ("POST", "/")
        );
        assert_eq!(read.params, request.params);
        assert_eq!(read.body_params, request.body_params);
        assert_eq!(read.headers, request.headers);
        assert_eq!(read.nonce.as_deref(), Some("n 1"));
        assert_eq!(read.params["Name"], "阿 x");
        assert_eq!(record.action(), "SendSms");
        assert!(record.size() < 1024, "{}", record.size());

        let refused =
            Answer::json(400, &Value::Null, Some("SignatureDoesNotMatch".into())).rejected();
        let long = format!("Action={}", "A".repeat(1000));
        let request = incoming(&long, "x=1");
        let record = Record::new(&request, Some(&long), &refused, Protocol::Rpc, Utc::now());
        let read = record.to_request();
        assert!(read.rejected && read.params.is_empty() && read.headers.is_empty());
        assert_eq!(read.action.len(), MAX_SUMMARY_FIELD_BYTES);
        assert_eq!(read.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(read.nonce, None);
    }

    #[test]
    fn secrets_are_redacted_by_name_at_any_depth() {
        assert_eq!(redacted("PhoneNumbers", "13800138000"), "13800138000");
        assert_eq!(redacted("AccessKeySecret", "s3cr3t"), REDACTED);
        assert_eq!(redacted("NextToken", "abc"), "abc");
        assert_eq!(
            redacted("context", r#"{"ak":"lingyang_daas","sk":"w3343wer44e"}"#),
            r#"{"ak":"lingyang_daas","sk":"<redacted>"}"#
        );
        let list: Value =
            serde_json::from_str(&redacted("List", r#"[{"Password":"x","Name":"n"}]"#)).unwrap();
        assert_eq!(list, json!([{"Name": "n", "Password": REDACTED}]));
        let template = r#"{"code": "1234"}"#;
        assert_eq!(redacted("TemplateParam", template), template, "as received");
    }
}
