//! Taobao Open Platform (TOP) request signing.
//!
//! Every parameter (system and business) except `sign` and file parameters, with empty values
//! dropped, is sorted by name in byte order and concatenated as `name` + `value` with no
//! separator. Then, as upper-case hex:
//!
//! - `md5`: MD5(secret + concatenation + secret)
//! - `hmac`: HMAC-MD5(key = secret, concatenation)
//! - `hmac-sha256`: HMAC-SHA256(key = secret, concatenation)
//!
//! The values signed are the raw values, not their URL encoding.
//!
//! ```
//! use alibaba_openapi::top::sign::{sign, SignMethod};
//!
//! let params = [("method", "taobao.time.get"), ("app_key", "12345678")];
//! let sign = sign(SignMethod::Md5, "secret", params);
//! assert_eq!(sign.len(), 32);
//! ```

use std::fmt;

use chrono::{DateTime, FixedOffset, Utc};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

/// How a TOP request is signed: the value of the `sign_method` system parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SignMethod {
    /// `md5`: MD5 of the secret, the concatenated parameters and the secret again.
    Md5,
    /// `hmac`: HMAC-MD5 keyed with the secret.
    Hmac,
    /// `hmac-sha256`: HMAC-SHA256 keyed with the secret (the strongest; the default).
    #[default]
    HmacSha256,
}

impl SignMethod {
    /// The wire value of `sign_method`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Md5 => "md5",
            SignMethod::Hmac => "hmac",
            SignMethod::HmacSha256 => "hmac-sha256",
        }
    }

    /// Parses a wire value of `sign_method` (case-insensitive).
    pub fn from_wire(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "md5" => Some(SignMethod::Md5),
            "hmac" => Some(SignMethod::Hmac),
            "hmac-sha256" => Some(SignMethod::HmacSha256),
            _ => None,
        }
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Concatenates the parameters as TOP signs them: sorted by name, `sign` and empty values
/// left out, each `name` immediately followed by its `value`.
pub fn string_to_sign<I, K, V>(params: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut pairs: Vec<(K, V)> = params
        .into_iter()
        .filter(|(name, value)| name.as_ref() != "sign" && !value.as_ref().is_empty())
        .collect();
    pairs.sort_unstable_by(|a, b| (a.0.as_ref(), a.1.as_ref()).cmp(&(b.0.as_ref(), b.1.as_ref())));
    let len = pairs
        .iter()
        .map(|(k, v)| k.as_ref().len() + v.as_ref().len())
        .sum();
    let mut out = String::with_capacity(len);
    for (name, value) in &pairs {
        out.push_str(name.as_ref());
        out.push_str(value.as_ref());
    }
    out
}

/// Computes the `sign` system parameter over every parameter that is sent.
pub fn sign<I, K, V>(method: SignMethod, secret: &str, params: I) -> String
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    sign_string(method, secret, &string_to_sign(params))
}

/// Signs an already concatenated string (see [`string_to_sign`]).
pub fn sign_string(method: SignMethod, secret: &str, string_to_sign: &str) -> String {
    let digest = match method {
        SignMethod::Md5 => {
            let mut md5 = Md5::new();
            md5.update(secret.as_bytes());
            md5.update(string_to_sign.as_bytes());
            md5.update(secret.as_bytes());
            md5.finalize().to_vec()
        }
        SignMethod::Hmac => {
            let mut mac = Hmac::<Md5>::new_from_slice(secret.as_bytes())
                .expect("HMAC accepts keys of any length");
            mac.update(string_to_sign.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        SignMethod::HmacSha256 => {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
                .expect("HMAC accepts keys of any length");
            mac.update(string_to_sign.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
    };
    hex::encode_upper(digest)
}

/// Formats an instant as the TOP `timestamp`: `yyyy-MM-dd HH:mm:ss` in GMT+8, whatever the
/// host's time zone.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use alibaba_openapi::top::sign::timestamp;
/// let t = Utc.with_ymd_and_hms(2016, 1, 1, 4, 0, 0).unwrap();
/// assert_eq!(timestamp(t), "2016-01-01 12:00:00");
/// ```
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&gmt8())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Parses a TOP `timestamp` (`yyyy-MM-dd HH:mm:ss`, GMT+8).
pub fn parse_timestamp(value: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S")
        .ok()?
        .and_local_timezone(gmt8())
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn gmt8() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("GMT+8 is a valid offset")
}
