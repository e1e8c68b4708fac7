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
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Invalid {
    pub(crate) parameter: &'static str,
    pub(crate) message: String,
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
impl<C: ErrorCode> From<Invalid> for Error<C> {
    fn from(e: Invalid) -> Self {
        Error::invalid(e.parameter, e.message)
    }
}

/// What a builder says of a required parameter that was not set.
pub(crate) const MISSING: &str = "is required but was not set";

/// Checks a required string parameter of a request builder: set and not blank.
pub(crate) fn required(parameter: &'static str, value: Option<String>) -> Result<String, Invalid> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        Some(_) => Err(Invalid::new(parameter, "must not be empty")),
        None => Err(Invalid::new(parameter, MISSING)),
    }
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
