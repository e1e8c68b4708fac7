//! What every request has, whatever the protocol: its parameters by wire name, whether it may
//! be resent, and the checks its builder makes.

use std::borrow::Cow;
use std::fmt;

use crate::redact::{is_secret, redact_text, Secrets, REDACTED};

use crate::{Error, ErrorCode};

/// Whether an action may be sent again after it may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// Reads state only (`Get*`, `Query*`, `List*`): safe to resend.
    ReadOnly,
    /// Changes state (`Submit*`, `Create*`, `Send*`): resent only when the server certainly
    /// did not process it (throttled, or the connection failed before the request was written).
    Mutating,
}

/// The parameters of one request, in the order they were added, by wire name.
///
/// Values are the raw strings; encoding and signing happen later. `Debug` hides the values of
/// secret parameters (`Signature`, `sign`, `session`, `SecurityToken`, a JSON `sk`, ...).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(Cow<'static, str>, String)>,
    /// Values (or parts of values) that are secrets, such as the `sk` inside a JSON parameter.
    secrets: Vec<String>,
    /// Indexes into `pairs` of the parameters that travel in the form body.
    body: Vec<usize>,
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.iter() {
            if is_secret(name) {
                map.entry(&name, &REDACTED);
            } else {
                let mut shown = redact_text(value);
                Secrets::new(self.secrets()).scrub(&mut shown);
                map.entry(&name, &shown);
            }
        }
        map.finish()
    }
}

impl Params {
    /// An empty set of parameters.
    pub fn new() -> Self {
        Params::default()
    }

    /// Adds a parameter.
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.pairs.push((name.into(), value.into()));
    }

    /// Adds a parameter that travels in the form body (the others travel in the query string,
    /// unless the action sends every parameter in the body).
    pub fn push_body(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.body.push(self.pairs.len());
        self.push(name, value);
    }

    /// Whether the parameter at `index` (in the order of [`iter`](Params::iter)) was added
    /// with [`push_body`](Params::push_body).
    pub fn is_body(&self, index: usize) -> bool {
        self.body.contains(&index)
    }

    /// The parameters added with [`push`](Params::push), for the query string.
    pub fn query_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter()
            .enumerate()
            .filter(|(i, _)| !self.is_body(*i))
            .map(|(_, pair)| pair)
    }

    /// The parameters added with [`push_body`](Params::push_body), for the form body.
    pub fn body_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter()
            .enumerate()
            .filter(|(i, _)| self.is_body(*i))
            .map(|(_, pair)| pair)
    }

    /// Adds a parameter when a value is present and not empty (empty values are not sent).
    pub fn push_opt(&mut self, name: impl Into<Cow<'static, str>>, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.push(name, v);
        }
    }

    /// Declares `value` a secret carried inside a parameter (the `sk` of a Data Bank context
    /// in a JSON parameter, say): whatever a server echoes back of it, in any encoding, is
    /// removed from errors, and `Debug` never shows it.
    pub fn mark_secret(&mut self, value: impl Into<String>) {
        self.secrets.push(value.into());
    }

    /// The values declared with [`mark_secret`](Params::mark_secret).
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.secrets.iter().map(String::as_str)
    }

    /// The parameters as `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// The value of a parameter, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// How many parameters there are.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// A builder's verdict on one parameter, converted into [`Error::InvalidRequest`] by `?`.
#[derive(Debug)]
pub(crate) struct Invalid {
    parameter: &'static str,
    message: String,
}

impl Invalid {
    pub(crate) fn new(parameter: &'static str, message: impl Into<String>) -> Self {
        Invalid {
            parameter,
            message: message.into(),
        }
    }
}

/// The verdict alone, without the parameter's name: the emulator words its own message around
/// it, with the same checks as the builders.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl<C: ErrorCode> From<Invalid> for Error<C> {
    fn from(e: Invalid) -> Self {
        Error::invalid(e.parameter, e.message)
    }
}

const MISSING: &str = "is required but was not set";

/// Checks a required string parameter of a request builder: set and not blank.
pub(crate) fn required(parameter: &'static str, value: Option<String>) -> Result<String, Invalid> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        Some(_) => Err(Invalid::new(parameter, "must not be empty")),
        None => Err(Invalid::new(parameter, MISSING)),
    }
}

/// Checks a required parameter of a request builder: set.
pub(crate) fn required_value<T>(parameter: &'static str, value: Option<T>) -> Result<T, Invalid> {
    value.ok_or_else(|| Invalid::new(parameter, MISSING))
}

/// Checks a required list parameter of a request builder: set and not empty.
pub(crate) fn required_list<T>(
    parameter: &'static str,
    value: Option<Vec<T>>,
) -> Result<Vec<T>, Invalid> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => Err(Invalid::new(parameter, "must hold at least one item")),
        None => Err(Invalid::new(parameter, MISSING)),
    }
}

/// Serializes a value given to a setter as compact JSON (raw UTF-8, no `\u` escapes); the
/// error, if any, waits for `build()`.
pub(crate) fn to_json(value: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// A list of strings or numbers as compact JSON (`["a","b"]`, `[1,2]`).
pub(crate) fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    // Strings and numbers always serialize.
    serde_json::to_string(items).unwrap_or_default()
}

/// The JSON a setter serialized, or the reason it could not: it must be an object or a list
/// (a JSON string here is almost always JSON text given as a string).
pub(crate) fn json(
    parameter: &'static str,
    value: Option<Result<String, String>>,
) -> Result<Option<String>, Invalid> {
    match value {
        None => Ok(None),
        Some(Err(e)) => Err(Invalid::new(
            parameter,
            format!("could not be serialized to JSON: {e}"),
        )),
        Some(Ok(json)) if json.starts_with('{') || json.starts_with('[') => Ok(Some(json)),
        Some(Ok(json)) => {
            Err(Invalid::new(
                parameter,
                format!(
                "must be a JSON object or list, got {}; give a value (a map, a list, a struct, \
                 `serde_json::json!(..)`), or wrap JSON text in `serde_json::value::RawValue`",
                if json.starts_with('"') { "a string" } else { "a scalar" }
            ),
            ))
        }
    }
}

/// The length of `value` in characters, a CJK character counting two when `wide_counts_two`.
fn length(value: &str, wide_counts_two: bool) -> usize {
    value
        .chars()
        .map(|c| if wide_counts_two && is_wide(c) { 2 } else { 1 })
        .sum()
}

/// CJK ideographs, kana, hangul and full-width forms.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Checks the length of a string parameter, in characters.
pub(crate) fn check_len(
    parameter: &'static str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    wide_counts_two: bool,
) -> Result<(), Invalid> {
    let len = length(value, wide_counts_two);
    let unit = if wide_counts_two {
        "characters (a CJK character counts as two)"
    } else {
        "characters"
    };
    let short = min.is_some_and(|min| len < min);
    let long = max.is_some_and(|max| len > max);
    if !(short || long) {
        return Ok(());
    }
    let bounds = match (min, max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => unreachable!("checked above"),
    };
    Err(Invalid::new(
        parameter,
        format!("must be {bounds} {unit}, got {len}"),
    ))
}

/// Checks the length of each string of a list parameter, naming the entry at fault.
pub(crate) fn check_each_len<S: AsRef<str>>(
    parameter: &'static str,
    items: &[S],
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Invalid> {
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        check_len(parameter, item, min, max, false).map_err(|e| {
            Invalid::new(
                parameter,
                format!("entry {} ({item:?}) {}", i + 1, e.message),
            )
        })?;
    }
    Ok(())
}

/// A number given as text (a parameter the model types as a string).
pub(crate) fn integer_text(parameter: &'static str, value: &str) -> Result<i64, Invalid> {
    value
        .trim()
        .parse()
        .map_err(|_| Invalid::new(parameter, format!("must be a whole number, got {value:?}")))
}

/// Checks a number parameter's bounds.
pub(crate) fn check_range(
    parameter: &'static str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Invalid> {
    if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
        let bounds = match (min, max) {
            (Some(min), Some(max)) => format!("from {min} to {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => unreachable!("checked above"),
        };
        return Err(Invalid::new(
            parameter,
            format!("must be {bounds}, got {value}"),
        ));
    }
    Ok(())
}

/// Checks how many items a list parameter holds.
pub(crate) fn check_items(
    parameter: &'static str,
    count: usize,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), Invalid> {
    if let Some(min) = min.filter(|min| count < *min) {
        return Err(Invalid::new(
            parameter,
            format!("must hold at least {min} items, got {count}"),
        ));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        return Err(Invalid::new(
            parameter,
            format!("must hold at most {max} items, got {count}"),
        ));
    }
    Ok(())
}

/// Checks a list given as one string with `separator` between its items (`PhoneNumbers`).
pub(crate) fn check_separated(
    parameter: &'static str,
    value: &str,
    separator: &str,
    min_items: Option<usize>,
    max_items: Option<usize>,
    item_min_len: Option<usize>,
    item_max_len: Option<usize>,
) -> Result<(), Invalid> {
    let items: Vec<&str> = value.split(separator).map(str::trim).collect();
    check_items(parameter, items.len(), min_items, max_items)?;
    for item in items {
        check_len(
            parameter,
            item,
            item_min_len.or(Some(1)),
            item_max_len,
            false,
        )?;
    }
    Ok(())
}

/// Checks the items of a JSON list a parameter holds (`PhoneNumberJson`, `SignList`): their
/// number, and the length of those that are strings.
pub(crate) fn check_json_items(
    parameter: &'static str,
    json: &str,
    min_items: Option<usize>,
    max_items: Option<usize>,
    item_min_len: Option<usize>,
    item_max_len: Option<usize>,
) -> Result<(), Invalid> {
    let items: Vec<serde_json::Value> =
        serde_json::from_str(json).map_err(|_| Invalid::new(parameter, "must be a JSON list"))?;
    check_items(parameter, items.len(), min_items, max_items)?;
    let texts: Vec<&str> = items.iter().filter_map(serde_json::Value::as_str).collect();
    check_each_len(parameter, &texts, item_min_len, item_max_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secret_parameters_and_json_secrets() {
        let mut params = Params::new();
        params.push("SecurityToken", "tok-123");
        params.push("context", r#"{"ak":"a","sk":"sk-456"}"#);
        params.push("JoinPermissionId", "123");
        let shown = format!("{params:?}");
        assert!(
            !shown.contains("tok-123") && !shown.contains("sk-456"),
            "{shown}"
        );
        assert!(
            shown.contains("123") && shown.contains(r#"\"ak\":\"a\""#),
            "{shown}"
        );
    }
}
