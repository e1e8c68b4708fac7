//! What the emulator records of each request: in full when a product (or the metadata service)
//! handled it, as a summary when the gateway refused it; at most
//! [`EmulatorBuilder::max_recorded_requests`](super::EmulatorBuilder::max_recorded_requests)
//! requests and [`MAX_RECORDED_BYTES`](super::limits::MAX_RECORDED_BYTES), oldest first out.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::limits::{truncate, MAX_SUMMARY_FIELD_BYTES};
use super::metadata;
use super::wire::{Answer, Delivery, Incoming};

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
    fn as_str(self) -> &'static str {
        match self {
            Protocol::Rpc => "rpc",
            Protocol::Top => "top",
            Protocol::Metadata => "metadata",
        }
    }
}

/// One request the emulator received, with how it answered.
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

/// What a record costs beyond its text, roughly: the struct and its allocations.
const RECORD_OVERHEAD_BYTES: usize = 256;
/// What one parameter or header costs beyond its text, roughly: a map entry and two strings.
const ENTRY_OVERHEAD_BYTES: usize = 64;

impl RecordedRequest {
    /// The record of `incoming`, answered with `answer`.
    pub(crate) fn new(
        incoming: Incoming,
        answer: &Answer,
        protocol: Protocol,
        received_at: DateTime<Utc>,
    ) -> RecordedRequest {
        let action = match protocol {
            Protocol::Top => incoming.param("method"),
            Protocol::Metadata => Some(metadata::action(&incoming.path)),
            Protocol::Rpc => incoming.param("Action").or(incoming.header("x-acs-action")),
        };
        let action = action.unwrap_or_default();
        let status = (answer.delivery != Delivery::Drop).then_some(answer.status);
        if answer.rejected {
            let cut = |text: &str| truncate(text, MAX_SUMMARY_FIELD_BYTES).to_owned();
            return RecordedRequest {
                protocol,
                action: cut(action),
                http_method: cut(&incoming.method),
                path: cut(&incoming.path),
                params: BTreeMap::new(),
                body_params: BTreeMap::new(),
                nonce: None,
                headers: BTreeMap::new(),
                status,
                code: answer.code.clone(),
                injected: answer.injected,
                rejected: true,
                received_at,
            };
        }
        let action = action.to_owned();
        let nonce = incoming
            .params
            .get("SignatureNonce")
            .or(incoming.headers.get("x-acs-signature-nonce"))
            .cloned();
        RecordedRequest {
            protocol,
            action,
            http_method: incoming.method,
            path: incoming.path,
            params: incoming.params,
            body_params: incoming.body_params,
            nonce,
            headers: incoming.headers,
            status,
            code: answer.code.clone(),
            injected: answer.injected,
            rejected: false,
            received_at,
        }
    }

    /// Roughly how many bytes the record holds, for the recording's byte budget.
    pub(crate) fn size(&self) -> usize {
        let entries = |map: &BTreeMap<String, String>| {
            map.iter()
                .map(|(k, v)| k.len() + v.len() + ENTRY_OVERHEAD_BYTES)
                .sum::<usize>()
        };
        RECORD_OVERHEAD_BYTES
            + self.action.len()
            + self.http_method.len()
            + self.path.len()
            + self.nonce.as_ref().map_or(0, String::len)
            + self.code.as_ref().map_or(0, String::len)
            + entries(&self.params)
            + entries(&self.body_params)
            + entries(&self.headers)
    }

    /// The summary served by `GET /_emulator/requests`: no parameters, headers or nonce.
    pub(crate) fn summary(&self) -> Value {
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
        })
    }
}
