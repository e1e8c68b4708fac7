//! Lenient decoding of answers: be liberal in what we accept.
//!
//! The official documentation shows numbers as strings (`"Data":"1234"` for a Long), strings
//! as numbers (`"JoinPermissionId": 123`) and request ids with a trailing newline, so the
//! servers may send any of these. Every answer is decoded through [`lenient`], which gives each
//! field the type it asks for; the helpers here add what a type alone cannot say (a trimmed
//! request id, milliseconds as a time, a 16-digit EUI, a list in a wrapper object) and serve
//! the hand-written types through `#[serde(deserialize_with = "...")]`.

mod fields;
pub(crate) mod lenient;

#[cfg_attr(not(any(feature = "linkwan", feature = "sms")), allow(unused_imports))]
pub(crate) use fields::Fields;

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

/// An optional list the service nests in a wrapper object whose only entry is the list
/// (`{"SmsSendDetailDTO": [...]}`, as the XML-minded Dysmsapi answers nest lists) or its one
/// item; the bare list (or its one item) is accepted too, and an empty wrapper is an empty list.
pub(crate) fn opt_wrapped_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = match <serde_json::Value as serde::Deserialize>::deserialize(d)? {
        serde_json::Value::Object(map) if map.is_empty() => serde_json::Value::Array(Vec::new()),
        serde_json::Value::Object(map) if map.len() == 1 => {
            map.into_iter().next().map(|(_, v)| v).unwrap_or_default()
        }
        other => other,
    };
    lenient::from_value(value).map_err(de::Error::custom)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::lenient;

    /// Plain types, decoded through `lenient` as every answer is, and the helpers that add what
    /// a type cannot say.
    #[derive(Deserialize, Debug)]
    struct T {
        #[serde(default)]
        n: Option<u64>,
        #[serde(default)]
        i: Option<i32>,
        #[serde(default)]
        f: Option<f64>,
        #[serde(default)]
        b: Option<bool>,
        #[serde(default)]
        s: Option<String>,
        #[serde(default)]
        list: Option<Vec<String>>,
        #[serde(default, deserialize_with = "super::opt_eui")]
        eui: Option<String>,
        #[serde(default, deserialize_with = "super::request_id")]
        id: String,
        #[serde(default, deserialize_with = "super::opt_wrapped_list")]
        wrapped: Option<Vec<u32>>,
    }

    fn t(json: &str) -> T {
        lenient::from_slice(json.as_bytes()).unwrap()
    }

    fn fails(json: &str) -> bool {
        lenient::from_slice::<T>(json.as_bytes()).is_err()
    }

    #[test]
    fn numbers_and_strings_are_interchangeable() {
        assert_eq!(t(r#"{"n":"1234"}"#).n, Some(1234));
        assert_eq!(t(r#"{"n":1234}"#).n, Some(1234));
        assert_eq!(t(r#"{"n":1234.0}"#).n, Some(1234));
        assert_eq!(t(r#"{"n":18446744073709551615}"#).n, Some(u64::MAX));
        assert_eq!(t(r#"{"i":" -7 "}"#).i, Some(-7));
        assert_eq!(t(r#"{"f":"1.5"}"#).f, Some(1.5));
        assert_eq!(t(r#"{"s":123}"#).s.as_deref(), Some("123"));
        assert_eq!(t(r#"{"s":true}"#).s.as_deref(), Some("true"));
        assert_eq!(t(r#"{"id":"A-B\n"}"#).id, "A-B");
        assert!(fails(r#"{"n":"12x"}"#));
        assert!(fails(r#"{"n":-1}"#));
        assert!(fails(r#"{"i":3000000000}"#));
        assert!(fails(r#"{"s":{}}"#));
    }

    #[test]
    fn booleans_absent_values_and_lists_take_every_documented_form() {
        for (json, b) in [
            ("true", true),
            (r#""False""#, false),
            ("1", true),
            (r#""0""#, false),
        ] {
            assert_eq!(t(&format!(r#"{{"b":{json}}}"#)).b, Some(b), "{json}");
        }
        assert!(fails(r#"{"b":"yes"}"#));
        let absent = t(r#"{"n":"","b":null,"s":"","list":""}"#);
        assert_eq!(
            (absent.n, absent.b, absent.s, absent.list),
            (None, None, None, None)
        );
        assert_eq!(t(r#"{"list":["a",1,null]}"#).list.unwrap(), ["a", "1"]);
        assert_eq!(t(r#"{"list":"one"}"#).list.unwrap(), ["one"]);
        assert_eq!(
            t(r#"{"wrapped":{"Item":[1,"2"]}}"#).wrapped.unwrap(),
            [1, 2]
        );
        assert_eq!(t(r#"{"wrapped":{"Item":3}}"#).wrapped.unwrap(), [3]);
        assert_eq!(t(r#"{"wrapped":[4]}"#).wrapped.unwrap(), [4]);
        assert_eq!(t(r#"{"wrapped":{}}"#).wrapped.unwrap(), Vec::<u32>::new());
    }

    #[test]
    fn eui_keeps_sixteen_hex_digits() {
        assert_eq!(t(r#"{"eui":0}"#).eui.as_deref(), Some("0000000000000000"));
        assert_eq!(t(r#"{"eui":12}"#).eui.as_deref(), Some("0000000000000012"));
        assert_eq!(
            t(r#"{"eui":"D896E0FFFE000001"}"#).eui.as_deref(),
            Some("D896E0FFFE000001")
        );
        assert!(fails(r#"{"eui":"xyz"}"#));
    }
}
