//! Request signing for Alibaba Cloud RPC-style APIs.
//!
//! The signers are pure functions from request parts to strings: no clock, no randomness and
//! no I/O, so they can be checked against the official test vectors and reused by anything
//! that needs to verify a signature (the emulator does).

pub mod v1;
pub mod v3;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// The RFC 3986 set Alibaba Cloud uses: everything but `A-Z a-z 0-9 - _ . ~` is escaped.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `value` the way Alibaba Cloud canonicalizes it (RFC 3986).
///
/// Unreserved characters stay, a space becomes `%20` (never `+`), `*` becomes `%2A`, and every
/// other UTF-8 byte becomes `%XY` in upper-case hex.
///
/// ```
/// use alibaba_openapi::aliyun::sign::percent_encode;
/// assert_eq!(percent_encode("a b*c~d/é"), "a%20b%2Ac~d%2F%C3%A9");
/// ```
pub fn percent_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, RFC3986).to_string()
}

/// Appends the percent-encoding of `value` to `out`, without an intermediate allocation.
pub(crate) fn percent_encode_into(out: &mut String, value: &str) {
    for chunk in percent_encoding::utf8_percent_encode(value, RFC3986) {
        out.push_str(chunk);
    }
}
