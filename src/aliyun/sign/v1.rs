//! Alibaba Cloud RPC signature version 1.0 (`SignatureMethod=HMAC-SHA1`).
//!
//! ```text
//! canonical      = sorted(name=value for every parameter but Signature), RFC 3986-encoded, joined by '&'
//! string_to_sign = METHOD + "&" + "%2F" + "&" + percent_encode(canonical)
//! Signature      = Base64(HMAC-SHA1(key = secret + "&", string_to_sign))
//! ```
//!
//! ```
//! use alibaba_openapi::aliyun::sign::v1;
//!
//! let params = [("Action", "DescribeRegions"), ("AccessKeyId", "testid")];
//! let string_to_sign = v1::string_to_sign("GET", params);
//! assert_eq!(string_to_sign, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions");
//! let signature = v1::sign("testsecret", &string_to_sign);
//! assert_eq!(signature.len(), 28); // Base64 of a 20-byte HMAC-SHA1
//! ```

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::percent_encode_into;

/// The value of the `SignatureMethod` common parameter for this scheme.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The value of the `SignatureVersion` common parameter for this scheme.
pub const SIGNATURE_VERSION: &str = "1.0";

/// Builds the canonicalized query string: every parameter except `Signature`, sorted by the
/// byte order of the raw name, each name and value RFC 3986-encoded, joined with `&`.
///
/// Parameters may come in any order; the result does not depend on it.
pub fn canonical_query<I, K, V>(params: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut pairs: Vec<(K, V)> = params
        .into_iter()
        .filter(|(name, _)| name.as_ref() != "Signature")
        .collect();
    pairs.sort_unstable_by(|a, b| (a.0.as_ref(), a.1.as_ref()).cmp(&(b.0.as_ref(), b.1.as_ref())));
    let mut out = String::with_capacity(pairs.len() * 24);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, name.as_ref());
        out.push('=');
        percent_encode_into(&mut out, value.as_ref());
    }
    out
}

/// Builds the string to sign: `METHOD&%2F&` followed by the canonical query, encoded again.
pub fn string_to_sign<I, K, V>(method: &str, params: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    string_to_sign_from_canonical(method, &canonical_query(params))
}

/// Builds the string to sign from an already [canonicalized](canonical_query) query.
pub fn string_to_sign_from_canonical(method: &str, canonical_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 5 + canonical_query.len() * 5 / 4);
    out.push_str(method);
    out.push_str("&%2F&");
    percent_encode_into(&mut out, canonical_query);
    out
}

/// Signs a string to sign: Base64 of HMAC-SHA1 keyed with `secret + "&"`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut key = Vec::with_capacity(secret.len() + 1);
    key.extend_from_slice(secret.as_bytes());
    key.push(b'&');
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Computes the `Signature` parameter of a request in one step.
///
/// `params` holds every parameter that is sent (common parameters, the action's parameters and
/// any form body fields); a `Signature` entry among them is ignored.
pub fn signature<I, K, V>(method: &str, params: I, secret: &str) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    sign(secret, &string_to_sign(method, params))
}
