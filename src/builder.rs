//! The checks and conversions the generated request builders call: required values and
//! lists, lengths in characters, number ranges, list sizes, JSON values given to setters.
//! Each turns a bad value into [`Invalid`], which names the wire parameter.

use crate::request::{Invalid, MISSING};

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
