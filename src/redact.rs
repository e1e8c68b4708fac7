//! Keeping secrets out of `Debug`, `Display`, logs and error snippets.

use std::fmt;

/// What stands in for a secret wherever one would be printed.
pub(crate) const REDACTED: &str = "** redacted **";

/// Names whose values are never printed (compared case-insensitively).
const SECRET_NAMES: &[&str] = &[
    "accesskeysecret",
    "securitytoken",
    "signature",
    "sign",
    "session",
    "app_secret",
    "sk",
    "authorization",
    "x-acs-security-token",
];

/// Whether a parameter or field of this name holds a secret.
pub(crate) fn is_secret(name: &str) -> bool {
    SECRET_NAMES.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// A string that prints as [`REDACTED`].
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Replaces every occurrence of each secret in `text`, in every form listed by [`Secrets`].
pub(crate) fn scrub(text: &mut String, secrets: &[&str]) {
    Secrets::new(secrets.iter().copied()).scrub(text);
}

/// Every secret value one call used (the AccessKey secret, the security token, the signature,
/// the TOP `sign` and session, a Data Bank `sk`, ...), in every form a server may echo it
/// back: raw, percent-encoded once (as sent in a query or form body) and twice (as in a string
/// to sign), with lower-case hex digits, and JSON-escaped.
///
/// Values shorter than 4 bytes are not secrets worth the false positives.
#[derive(Default)]
pub(crate) struct Secrets<'a> {
    values: Vec<&'a str>,
    /// Every form of every value, longest first (so that a form containing another is
    /// replaced whole): made on the first scrub, which only an error needs.
    forms: std::cell::OnceCell<Vec<String>>,
}

impl<'a> Secrets<'a> {
    pub(crate) fn new(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut secrets = Secrets::default();
        secrets.extend(values);
        secrets
    }

    /// Adds more secret values.
    pub(crate) fn extend(&mut self, values: impl IntoIterator<Item = &'a str>) {
        self.values
            .extend(values.into_iter().filter(|v| v.len() >= 4));
        self.forms = std::cell::OnceCell::new();
    }

    fn forms(&self) -> &[String] {
        self.forms.get_or_init(|| {
            use crate::aliyun::sign::percent_encode;
            let mut forms: Vec<String> = Vec::new();
            for value in &self.values {
                let once = percent_encode(value);
                let twice = percent_encode(&once);
                let json = value
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('/', "\\/");
                for form in [
                    once.to_ascii_lowercase(),
                    twice.to_ascii_lowercase(),
                    once,
                    twice,
                    json,
                    (*value).to_owned(),
                ] {
                    if !forms.contains(&form) {
                        forms.push(form);
                    }
                }
            }
            forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
            forms
        })
    }

    /// Replaces every form of every secret in `text`.
    pub(crate) fn scrub(&self, text: &mut String) {
        if self.values.is_empty() {
            return;
        }
        for form in self.forms() {
            if text.contains(form.as_str()) {
                *text = text.replace(form.as_str(), REDACTED);
            }
        }
    }
}

/// Longest text of one field (a message, a recommendation, a TOP `sub_msg`) kept in an error.
pub(crate) const MAX_MESSAGE_LEN: usize = 1024;
/// Longest code, request id or host id kept in an error.
pub(crate) const MAX_ID_LEN: usize = 256;

/// Cuts `text` to at most `max` bytes on a character boundary, marking the cut with `…`.
pub(crate) fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
}

/// Longest snippet of a body kept in an error.
pub(crate) const SNIPPET_LEN: usize = 256;

/// The start of a body, lossily decoded, truncated on a character boundary, with the values
/// of secret-named JSON fields and query parameters replaced.
pub(crate) fn snippet(body: &[u8]) -> String {
    snippet_scrubbed(body, &Secrets::default())
}

/// [`snippet`], with `secrets` removed before the cut (so that no part of a secret that
/// straddles the cut survives).
pub(crate) fn snippet_scrubbed(body: &[u8], secrets: &Secrets) -> String {
    let head = &body[..body.len().min(SNIPPET_LEN * 4)];
    let text = String::from_utf8_lossy(head);
    let mut redacted = redact_text(&text);
    secrets.scrub(&mut redacted);
    if redacted.len() > SNIPPET_LEN {
        truncate(&mut redacted, SNIPPET_LEN);
    } else if body.len() > head.len() {
        redacted.push('…');
    }
    redacted
}

/// Replaces the values of secret-named fields in JSON (`"name":"value"`) and in query or form
/// text (`name=value`).
pub(crate) fn redact_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let Some((name_end, value_start, quoted)) = secret_value_at(text, i) else {
            i += 1;
            continue;
        };
        let value_end = if quoted {
            let mut j = value_start;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            j.min(bytes.len())
        } else {
            bytes[value_start..]
                .iter()
                .position(|b| matches!(b, b'&' | b',' | b'}' | b' ' | b'\n'))
                .map_or(bytes.len(), |p| value_start + p)
        };
        out.push_str(&text[copied..value_start]);
        out.push_str(REDACTED);
        copied = value_end;
        i = value_end.max(name_end + 1);
    }
    out.push_str(&text[copied..]);
    out
}

/// If a secret-named field starts at `i`, returns where its name ends, where its value starts,
/// and whether the value is a quoted JSON string.
fn secret_value_at(text: &str, i: usize) -> Option<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let quoted_name = bytes[i] == b'"';
    let start = if quoted_name { i + 1 } else { i };
    if !quoted_name && i > 0 && !matches!(bytes[i - 1], b'&' | b'?' | b' ' | b'\n') {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .unwrap_or(bytes.len() - start);
    if len == 0 || !is_secret(&text[start..start + len]) {
        return None;
    }
    let mut j = start + len;
    if quoted_name {
        if bytes.get(j) != Some(&b'"') {
            return None;
        }
        j += 1;
        while bytes.get(j) == Some(&b' ') {
            j += 1;
        }
        if bytes.get(j) != Some(&b':') {
            return None;
        }
        j += 1;
        while bytes.get(j) == Some(&b' ') {
            j += 1;
        }
        if bytes.get(j) == Some(&b'"') {
            Some((start + len, j + 1, true))
        } else {
            Some((start + len, j, false))
        }
    } else if bytes.get(j) == Some(&b'=') {
        Some((start + len, j + 1, false))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_query_secrets_are_replaced() {
        let text = r#"{"AccessKeySecret": "s3cr3t", "SecurityToken":"tok\"en", "Code":"X"} a=1&Signature=abc%3D&sign=F00&x=2"#;
        let out = redact_text(text);
        for secret in ["s3cr3t", "tok", "abc%3D", "F00"] {
            assert!(!out.contains(secret), "{secret} leaked in {out}");
        }
        assert!(out.contains(r#""Code":"X""#));
        assert!(out.contains("x=2"));
    }

    #[test]
    fn scrub_replaces_raw_and_encoded_forms() {
        let mut text = "a tok/en+1 b tok%2Fen%2B1 c tok%252Fen%252B1".to_owned();
        scrub(&mut text, &["tok/en+1", ""]);
        assert!(!text.contains("tok"), "{text}");
        assert_eq!(text.matches(REDACTED).count(), 3);
    }

    #[test]
    fn snippet_is_truncated_on_a_char_boundary() {
        let body = "宝".repeat(400);
        let s = snippet(body.as_bytes());
        assert!(s.ends_with('…'));
        assert!(s.len() <= SNIPPET_LEN + '…'.len_utf8());
    }
}
