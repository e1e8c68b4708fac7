//! What the emulator reads off the wire and what it writes back, independent of any product.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use percent_encoding::percent_decode_str;

/// A request as received: decoded parameters from the query string and a form body.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The URL path, e.g. `/` or `/router/rest`.
    pub path: String,
    /// The `Host` header (empty when absent).
    pub host: String,
    /// Headers, lower-case names; a repeated header keeps its first value.
    pub headers: BTreeMap<String, String>,
    /// Every parameter in arrival order (query first, then form body), duplicates kept: what the
    /// sender signed.
    pub pairs: Vec<(String, String)>,
    /// The same parameters by name; for a repeated name the first value wins.
    pub params: BTreeMap<String, String>,
    /// The parameters of the query string alone (what signature V3 canonicalizes).
    pub query_pairs: Vec<(String, String)>,
    /// The parameters of a form body alone, by name (for a repeated name the first value).
    pub body_params: BTreeMap<String, String>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Incoming {
    /// Builds a request from its parts, decoding the query and, when it is a form, the body.
    pub fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: BTreeMap<String, String>,
        body: &[u8],
    ) -> Incoming {
        let mut pairs = Vec::new();
        if let Some(query) = query {
            decode_form(query, &mut pairs);
        }
        let query_pairs = pairs.clone();
        let content_type = headers
            .get("content-type")
            .map(|v| v.to_ascii_lowercase())
            .unwrap_or_default();
        let is_form = content_type.starts_with("application/x-www-form-urlencoded")
            || (content_type.is_empty() && !body.is_empty());
        let mut body_params = BTreeMap::new();
        if is_form && !body.is_empty() {
            let mut body_pairs = Vec::new();
            decode_form(&String::from_utf8_lossy(body), &mut body_pairs);
            for (name, value) in &body_pairs {
                body_params
                    .entry(name.clone())
                    .or_insert_with(|| value.clone());
            }
            pairs.extend(body_pairs);
        }
        let mut params = BTreeMap::new();
        for (name, value) in &pairs {
            params.entry(name.clone()).or_insert_with(|| value.clone());
        }
        Incoming {
            method: method.to_owned(),
            path: path.to_owned(),
            host: headers.get("host").cloned().unwrap_or_default(),
            headers,
            pairs,
            params,
            query_pairs,
            body_params,
            body: body.to_vec(),
        }
    }

    /// A parameter's value, if it was sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// A header's value, if it was sent (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Decodes `a=1&b=x+y` into pairs: `+` is a space, `%XY` a byte, invalid UTF-8 replaced.
pub(crate) fn decode_form(input: &str, out: &mut Vec<(String, String)>) {
    for part in input.split('&') {
        if part.is_empty() {
            continue;
        }
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        out.push((decode_component(name), decode_component(value)));
    }
}

fn decode_component(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// What happens after the answer is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// Send it now.
    Now,
    /// Send it after this long.
    After(Duration),
    /// Close the connection instead.
    Drop,
}

/// The emulator's answer to one request.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    /// The error code the answer carries (`None` for a success): a gateway or business code,
    /// or a TOP code as a decimal string.
    pub code: Option<String>,
    pub delivery: Delivery,
    /// Whether an injected fault shaped this answer.
    pub injected: bool,
    /// Whether the gateway refused the request before a product handled it (authentication,
    /// routing, a malformed or oversized body): only a summary of it is recorded.
    pub rejected: bool,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: &serde_json::Value, code: Option<String>) -> Answer {
        Answer {
            status,
            headers: vec![("content-type", "application/json;charset=utf-8".to_owned())],
            body: body.to_string(),
            code,
            delivery: Delivery::Now,
            injected: false,
            rejected: false,
        }
    }

    /// The same answer, marked as a rejection by the gateway.
    pub fn rejected(mut self) -> Answer {
        self.rejected = true;
        self
    }

    /// No answer at all: the connection is dropped.
    pub fn dropped() -> Answer {
        Answer {
            status: 0,
            headers: Vec::new(),
            body: String::new(),
            code: None,
            delivery: Delivery::Drop,
            injected: true,
            rejected: false,
        }
    }

    /// HTTP 200 with this text as its (truncated, invalid) JSON body.
    pub fn malformed(truncated_body: String) -> Answer {
        let mut answer = Answer::json(200, &serde_json::Value::Null, None);
        answer.body = truncated_body;
        answer.injected = true;
        answer
    }
}

/// A fresh Alibaba Cloud style request id: an upper-case UUID, e.g.
/// `89EF6CAA-958F-4F32-BE45-FE003C6DE097`.
pub(crate) fn request_id() -> String {
    format!(
        "{:08X}-{:04X}-{:04X}-{:04X}-{:012X}",
        fastrand::u32(..),
        fastrand::u16(..),
        0x4000 | (fastrand::u16(..) & 0x0FFF),
        0x8000 | (fastrand::u16(..) & 0x3FFF),
        fastrand::u64(..) & 0xFFFF_FFFF_FFFF,
    )
}

/// A fresh TOP style request id: 13 lower-case letters and digits.
pub(crate) fn top_request_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..13)
        .map(|_| char::from(ALPHABET[fastrand::usize(..ALPHABET.len())]))
        .collect()
}

/// Formats an instant as an HTTP `Date` (RFC 7231 IMF-fixdate).
pub(crate) fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding_treats_plus_as_space_and_keeps_encoded_plus() {
        let mut pairs = Vec::new();
        decode_form("a=x+y&b=%2B%E9%98%BF&c&=v&&d=", &mut pairs);
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "x y".into()),
                ("b".into(), "+阿".into()),
                ("c".into(), "".into()),
                ("".into(), "v".into()),
                ("d".into(), "".into()),
            ]
        );
    }

    #[test]
    fn request_ids_look_like_upper_case_uuids() {
        let id = request_id();
        assert_eq!(id.len(), 36);
        assert!(id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
    }
}
