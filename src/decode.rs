//! Lenient decoding of response fields: be liberal in what we accept.
//!
//! The official documentation shows numbers as strings (`"Data":"1234"` for a Long), strings
//! as numbers (`"JoinPermissionId": 123`) and request ids with a trailing newline, so the
//! servers may send any of these. Each helper here accepts every such form and is used with
//! `#[serde(deserialize_with = "...")]`.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, Visitor};

/// A JSON scalar as it arrived.
enum Scalar {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

fn to_string(s: Scalar) -> Option<String> {
    match s {
        Scalar::Null => None,
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::U64(n) => Some(n.to_string()),
        Scalar::I64(n) => Some(n.to_string()),
        Scalar::F64(n) => Some(n.to_string()),
        Scalar::Str(s) => Some(s),
    }
}

fn to_i128<E: de::Error>(s: Scalar) -> Result<Option<i128>, E> {
    match s {
        Scalar::Null => Ok(None),
        Scalar::U64(n) => Ok(Some(n.into())),
        Scalar::I64(n) => Ok(Some(n.into())),
        Scalar::F64(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(n as i128)),
        Scalar::Str(s) if s.trim().is_empty() => Ok(None),
        Scalar::Str(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| E::custom(format_args!("expected an integer, got {s:?}"))),
        Scalar::F64(n) => Err(E::custom(format_args!("expected an integer, got {n}"))),
        Scalar::Bool(b) => Err(E::custom(format_args!("expected an integer, got {b}"))),
    }
}

fn integer<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    match to_i128::<D::Error>(scalar(d)?)? {
        None => Ok(None),
        Some(n) => T::try_from(n)
            .map(Some)
            .map_err(|_| de::Error::custom(format_args!("integer {n} out of range"))),
    }
}

fn required<T, E: de::Error>(v: Option<T>) -> Result<T, E> {
    v.ok_or_else(|| E::custom("expected a value, got null or an empty string"))
}

/// A string, or a number or boolean rendered as one.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    required(to_string(scalar(d)?))
}

/// An optional string, or a number or boolean rendered as one.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(to_string(scalar(d)?))
}

/// A request id: any scalar, surrounding white space removed.
pub(crate) fn request_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(to_string(scalar(d)?)
        .map(|s| s.trim().to_owned())
        .unwrap_or_default())
}

/// A required unsigned integer, from a number or a numeric string.
pub(crate) fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    required(integer(d)?)
}

/// An optional unsigned integer, from a number or a numeric string.
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    integer(d)
}

/// An optional unsigned 32-bit integer, from a number or a numeric string.
pub(crate) fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    integer(d)
}

/// An optional signed integer, from a number or a numeric string.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    integer(d)
}

/// An optional boolean, from `true`/`false`, `"true"`/`"false"` or `1`/`0`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::Bool(b) => Ok(Some(b)),
        Scalar::U64(n) if n <= 1 => Ok(Some(n == 1)),
        Scalar::Str(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Scalar::Str(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Scalar::Str(s) if s.is_empty() => Ok(None),
        _ => Err(de::Error::custom("expected a boolean")),
    }
}

/// An optional instant from Unix milliseconds (number or numeric string); 0 means "not set".
pub(crate) fn opt_millis<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match integer::<D, i64>(d)? {
        None | Some(0) => Ok(None),
        Some(ms) => DateTime::from_timestamp_millis(ms)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format_args!("timestamp {ms} out of range"))),
    }
}

/// A LoRaWAN EUI kept as 16 hex digits: a number (the server turned an all-decimal EUI into
/// one, e.g. `0`) is zero-padded back to 16 digits; a shorter string is zero-padded too.
pub(crate) fn opt_eui<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = match scalar(d)? {
        Scalar::U64(n) => format!("{n:016}"),
        Scalar::I64(n) if n >= 0 => format!("{n:016}"),
        Scalar::Null => return Ok(None),
        Scalar::Str(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            format!("{s:0>16}")
        }
        _ => return Err(de::Error::custom("expected a 16-digit hex EUI")),
    };
    if value.len() == 16 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Some(value))
    } else {
        Err(de::Error::custom(format_args!(
            "expected a 16-digit hex EUI, got {value:?}"
        )))
    }
}

/// An optional 32-bit signed integer, from a number or a numeric string.
pub(crate) fn opt_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    integer(d)
}

/// An optional floating-point number, from a number or a numeric string.
pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match scalar(d)? {
        Scalar::Null => Ok(None),
        Scalar::U64(n) => Ok(Some(n as f64)),
        Scalar::I64(n) => Ok(Some(n as f64)),
        Scalar::F64(n) => Ok(Some(n)),
        Scalar::Str(s) if s.trim().is_empty() => Ok(None),
        Scalar::Str(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format_args!("expected a number, got {s:?}"))),
        Scalar::Bool(b) => Err(de::Error::custom(format_args!(
            "expected a number, got {b}"
        ))),
    }
}

/// A value that can stand in a list or an optional field of an answer, decoded leniently:
/// `None` for null (and for an empty string where the type has no empty value).
///
/// Implemented for the scalars, JSON values and maps here, for every response struct by
/// [`element!`](crate::element), and for every response enum by `string_enum!`.
pub(crate) trait Element: Sized {
    fn element<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

macro_rules! scalar_elements {
    ($($ty:ty => $helper:path),* $(,)?) => {
        $(impl Element for $ty {
            fn element<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                $helper(d)
            }
        })*
    };
}

scalar_elements! {
    String => opt_string,
    i64 => opt_i64,
    i32 => opt_i32,
    u64 => opt_u64,
    u32 => opt_u32,
    f64 => opt_f64,
    bool => opt_bool,
}

impl Element for serde_json::Value {
    fn element<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
        Ok((!value.is_null()).then_some(value))
    }
}

impl Element for BTreeMap<String, serde_json::Value> {
    fn element<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        match <serde_json::Value as serde::Deserialize>::deserialize(d)? {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) if s.is_empty() => Ok(None),
            serde_json::Value::Object(map) => Ok(Some(map.into_iter().collect())),
            other => Err(de::Error::custom(format_args!(
                "expected an object, got {}",
                kind(&other)
            ))),
        }
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// An optional struct, enum, map or scalar of an answer.
pub(crate) fn opt_element<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Element,
{
    T::element(d)
}

/// An optional list of an answer, whatever shape it arrives in: a JSON array (null items
/// are dropped), one item where a list was expected (what an XML-to-JSON conversion makes of a
/// list of one), or null or an empty string (`None`).
pub(crate) fn opt_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Element,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
    items(value).map_err(de::Error::custom)
}

/// [`opt_list`] for a list the service nests in a wrapper object whose only entry is the list
/// (`{"SmsSendDetailDTO": [...]}`, as the XML-minded Dysmsapi answers nest lists) or its one
/// item; the bare list is accepted too.
pub(crate) fn opt_wrapped_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Element,
{
    let value = match <serde_json::Value as serde::Deserialize>::deserialize(d)? {
        // An empty wrapper: the list it wraps is empty.
        serde_json::Value::Object(map) if map.is_empty() => serde_json::Value::Array(Vec::new()),
        serde_json::Value::Object(map) if map.len() == 1 => {
            map.into_iter().next().map(|(_, v)| v).unwrap_or_default()
        }
        other => other,
    };
    items(value).map_err(de::Error::custom)
}

fn items<T: Element>(value: serde_json::Value) -> Result<Option<Vec<T>>, serde_json::Error> {
    use serde::de::IntoDeserializer;
    let items = match value {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::String(s) if s.is_empty() => return Ok(None),
        serde_json::Value::Array(items) => items,
        one => vec![one],
    };
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        list.extend(T::element(item.into_deserializer())?);
    }
    Ok(Some(list))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::opt_u64")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "super::opt_string")]
        s: Option<String>,
        #[serde(default, deserialize_with = "super::opt_eui")]
        eui: Option<String>,
        #[serde(default, deserialize_with = "super::request_id")]
        id: String,
    }

    fn t(json: &str) -> T {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_and_strings_are_interchangeable() {
        assert_eq!(t(r#"{"n":"1234"}"#).n, Some(1234));
        assert_eq!(t(r#"{"n":1234}"#).n, Some(1234));
        assert_eq!(t(r#"{"n":18446744073709551615}"#).n, Some(u64::MAX));
        assert_eq!(t(r#"{"s":123}"#).s.as_deref(), Some("123"));
        assert_eq!(t(r#"{"id":"A-B\n"}"#).id, "A-B");
        assert!(serde_json::from_str::<T>(r#"{"n":"12x"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"n":-1}"#).is_err());
    }

    #[test]
    fn eui_keeps_sixteen_hex_digits() {
        assert_eq!(t(r#"{"eui":0}"#).eui.as_deref(), Some("0000000000000000"));
        assert_eq!(t(r#"{"eui":12}"#).eui.as_deref(), Some("0000000000000012"));
        assert_eq!(
            t(r#"{"eui":"D896E0FFFE000001"}"#).eui.as_deref(),
            Some("D896E0FFFE000001")
        );
        assert!(serde_json::from_str::<T>(r#"{"eui":"xyz"}"#).is_err());
    }
}
