//! Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`).
//!
//! ```text
//! CanonicalRequest = METHOD \n PATH \n canonical query \n canonical headers \n signed header names \n payload SHA-256
//! StringToSign     = "ACS3-HMAC-SHA256" \n hex(SHA-256(CanonicalRequest))
//! Signature        = hex(HMAC-SHA256(secret, StringToSign))
//! Authorization    = ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>
//! ```
//!
//! Canonical headers are the signed headers with lower-case names, sorted, values trimmed; names
//! that differ only in case are merged, their values sorted and joined with `,`. By default the
//! signed headers are `host`, `content-type` and every `x-acs-*` header
//! ([`default_signed_headers`]); a verifier recomputes over exactly the names a request's
//! `SignedHeaders` lists.
//!
//! ```
//! use alibaba_openapi::aliyun::sign::v3;
//!
//! let headers = [("host", "ecs.cn-shanghai.aliyuncs.com"), ("x-acs-action", "RunInstances")];
//! let signed = v3::default_signed_headers(headers);
//! let canonical = v3::canonical_request("POST", "/", [("RegionId", "cn-shanghai")], headers, &signed, v3::EMPTY_PAYLOAD_SHA256);
//! let signature = v3::sign("secret", &v3::string_to_sign(&canonical));
//! let authorization = v3::authorization("LTAI5tExample", &signed, &signature);
//! assert!(authorization.starts_with("ACS3-HMAC-SHA256 Credential=LTAI5tExample,SignedHeaders=host;x-acs-action,Signature="));
//! ```

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::percent_encode_into;

/// The algorithm name, first word of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";
/// Hex SHA-256 of an empty body.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Hex SHA-256 of a body, for `x-acs-content-sha256`.
pub fn payload_sha256(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// The names of the headers signed by default: `host`, `content-type` and `x-acs-*`, lower-case,
/// sorted, without duplicates.
pub fn default_signed_headers<I, K, V>(headers: I) -> Vec<String>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut names: Vec<String> = headers
        .into_iter()
        .map(|(k, _)| k.as_ref().to_ascii_lowercase())
        .filter(|n| n == "host" || n == "content-type" || n.starts_with("x-acs-"))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Builds the canonical request over the headers named in `signed_headers` (any case; those not
/// among `headers` sign as empty values).
pub fn canonical_request<Q, QK, QV, H, HK, HV>(
    method: &str,
    pathname: &str,
    query: Q,
    headers: H,
    signed_headers: &[String],
    payload_sha256: &str,
) -> String
where
    Q: IntoIterator<Item = (QK, QV)>,
    QK: AsRef<str>,
    QV: AsRef<str>,
    H: IntoIterator<Item = (HK, HV)>,
    HK: AsRef<str>,
    HV: AsRef<str>,
{
    let mut out = String::with_capacity(512);
    out.push_str(method);
    out.push('\n');
    out.push_str(if pathname.is_empty() { "/" } else { pathname });
    out.push('\n');

    let mut pairs: Vec<(QK, QV)> = query.into_iter().collect();
    pairs.sort_unstable_by(|a, b| (a.0.as_ref(), a.1.as_ref()).cmp(&(b.0.as_ref(), b.1.as_ref())));
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, name.as_ref());
        out.push('=');
        percent_encode_into(&mut out, value.as_ref());
    }
    out.push('\n');

    let wanted = normalized_names(signed_headers);
    // Borrowed (name, trimmed value) pairs of the signed headers, sorted: names that differ
    // only in case end up together, their values in order.
    let headers: Vec<(HK, HV)> = headers.into_iter().collect();
    let mut signed: Vec<(Cow<'_, str>, &str)> = headers
        .iter()
        .filter_map(|(name, value)| {
            let name = lower(name.as_ref());
            wanted
                .binary_search(&name)
                .is_ok()
                .then(|| (name, value.as_ref().trim()))
        })
        .collect();
    signed.sort_unstable();
    let mut values = signed.iter().peekable();
    for name in &wanted {
        out.push_str(name);
        out.push(':');
        let mut first = true;
        while let Some((_, value)) = values.next_if(|(n, _)| n == name) {
            if !first {
                out.push(',');
            }
            out.push_str(value);
            first = false;
        }
        out.push('\n');
    }
    out.push('\n');
    for (i, name) in wanted.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    out.push_str(payload_sha256);
    out
}

/// A name in lower case, borrowed when it already is.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Header names in lower case, sorted, without duplicates.
fn normalized_names(names: &[String]) -> Vec<Cow<'_, str>> {
    let mut names: Vec<Cow<'_, str>> = names.iter().map(|n| lower(n)).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// `ACS3-HMAC-SHA256\n` followed by the hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + 65);
    out.push_str(ALGORITHM);
    out.push('\n');
    let mut hex_digest = [0u8; 64];
    hex::encode_to_slice(
        Sha256::digest(canonical_request.as_bytes()),
        &mut hex_digest,
    )
    .expect("64 hex digits hold a SHA-256");
    out.push_str(std::str::from_utf8(&hex_digest).expect("hex is ASCII"));
    out
}

/// Hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Authorization` header value.
pub fn authorization(access_key_id: &str, signed_headers: &[String], signature: &str) -> String {
    let names = normalized_names(signed_headers);
    let mut out = String::with_capacity(
        ALGORITHM.len() + access_key_id.len() + signature.len() + 40 + names.len() * 16,
    );
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(access_key_id);
    out.push_str(",SignedHeaders=");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push_str(",Signature=");
    out.push_str(signature);
    out
}

/// The parts of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParsedAuthorization {
    /// `Credential`: the AccessKey ID.
    pub access_key_id: String,
    /// `SignedHeaders`, split on `;`.
    pub signed_headers: Vec<String>,
    /// `Signature`, hex.
    pub signature: String,
}

/// Parses an `Authorization: ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`
/// header; `None` when it is not one.
pub fn parse_authorization(value: &str) -> Option<ParsedAuthorization> {
    let rest = value.trim().strip_prefix(ALGORITHM)?.trim_start();
    let (mut id, mut headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => id = Some(v.to_owned()),
            "SignedHeaders" => {
                headers = Some(
                    v.split(';')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }
            "Signature" => signature = Some(v.to_owned()),
            _ => {}
        }
    }
    Some(ParsedAuthorization {
        access_key_id: id?,
        signed_headers: headers?,
        signature: signature?,
    })
}
