//! The generic layer's checks of a request against its action's model, after the gateway has
//! authenticated it, in three passes, each HTTP 400 in the gateway's shape:
//! 1. every required parameter is present and not empty (a `repeatList` from `Name.1`, a
//!    `flatList` from any `Name.1.<Field>`): Dysmsapi `Missing<Name>` with `<Name> is mandatory
//!    for this action.`, LinkWAN `MissingParameter` as its seeded actions answer;
//! 2. every value has the model's type (`InvalidParameter`): integers and numbers parse, booleans
//!    are `true`/`false` in any case, `json` values are JSON of the modeled shape, JSON-text
//!    parameters are JSON, list entries are numbered 1 to n without gaps;
//! 3. the overlay's limits hold (`InvalidParameter`), checked by the very functions the client's
//!    builders call, so the two cannot disagree.
//!
//! A parameter sent empty counts as absent: it may be missing, but is never mistyped.

use std::collections::BTreeMap;

use serde_json::Value;

use super::gateway::{ApiError, Product};
use super::model::{ActionSpec, Kind, ParamSpec, Style, TypeNode};
use super::wire::Incoming;
use crate::builder::{
    check_each_len, check_items, check_json_items, check_len, check_range, check_separated,
    integer_text,
};
use crate::request::Invalid;

/// How long a value may be shown in a message, in characters.
const SHOWN_CHARS: usize = 40;

/// Checks a request against its action's model.
pub(crate) fn check(action: &'static ActionSpec, request: &Incoming) -> Result<(), ApiError> {
    check_except(action, request, &[])
}

/// [`check`], leaving the overlay's limits of the parameters named in `own` to the caller: a
/// stateful action whose business rule answers them with a documented code of its own (LinkWAN's
/// `InvalidName` for a name's length). Presence and types are still checked.
pub(crate) fn check_except(
    action: &'static ActionSpec,
    request: &Incoming,
    own: &[&str],
) -> Result<(), ApiError> {
    check_shape(action, request, &[])?;
    for p in action
        .params
        .iter()
        .filter(|p| !own.contains(&p.name.as_str()))
    {
        check_limits(p, request).map_err(|e| invalid(&p.name, &e.to_string()))?;
    }
    Ok(())
}

/// The first two passes only (required parameters, types), for a stateful handler that answers
/// the limits with the service's own codes; `own` names parameters whose type it checks itself
/// (a JSON-text `TemplateParam` the service answers `isv.INVALID_JSON_PARAM`).
pub(crate) fn check_shape(
    action: &'static ActionSpec,
    request: &Incoming,
    own: &[&str],
) -> Result<(), ApiError> {
    check_required(action, request, &[])?;
    for p in action
        .params
        .iter()
        .filter(|p| !own.contains(&p.name.as_str()))
    {
        check_type(p, request)?;
    }
    Ok(())
}

/// Only the first pass: every required parameter but those of `skip` present, else
/// `Missing<Name>` (Dysmsapi).
pub(crate) fn check_required(
    action: &'static ActionSpec,
    request: &Incoming,
    skip: &[&str],
) -> Result<(), ApiError> {
    let required = action.params.iter().filter(|p| p.required);
    for p in required.filter(|p| !skip.contains(&p.name.as_str())) {
        if !present(p, request) {
            return Err(missing(action.product, p));
        }
    }
    Ok(())
}

/// The request's parameters that belong to the action (`Name`, `Name.1`, `Name.1.Field`), by
/// wire name, empty ones left out: what the answer is seeded with.
pub(crate) fn business_params<'a>(
    action: &ActionSpec,
    request: &'a Incoming,
) -> BTreeMap<&'a str, &'a str> {
    let mut params = BTreeMap::new();
    for p in &action.params {
        match p.style {
            Style::Scalar | Style::Json => {
                if let Some((name, value)) = request.params.get_key_value(&p.name) {
                    params.insert(name.as_str(), value.as_str());
                }
            }
            Style::RepeatList | Style::FlatList => {
                for (name, value) in prefixed(request, &p.name) {
                    params.insert(name, value);
                }
            }
        }
    }
    params.retain(|_, value| !value.is_empty());
    params
}

/// The code for a required parameter that is missing.
fn missing(product: Product, p: &'static ParamSpec) -> ApiError {
    match product {
        Product::Dysmsapi => ApiError::bad_request(
            &p.missing_code,
            format!("{} is mandatory for this action.", p.name),
        ),
        _ => ApiError::missing(&p.name),
    }
}

pub(crate) fn invalid(name: &str, why: &str) -> ApiError {
    ApiError::bad_request(
        "InvalidParameter",
        format!("The specified value of parameter \"{name}\" is not valid: {why}."),
    )
}

/// Every `Name.<rest>` parameter, in name order.
fn prefixed<'a>(request: &'a Incoming, name: &str) -> impl Iterator<Item = (&'a str, &'a str)> {
    let prefix = format!("{name}.");
    request
        .params
        .range(prefix.clone()..)
        .take_while(move |(key, _)| key.starts_with(&prefix))
        .map(|(key, value)| (key.as_str(), value.as_str()))
}

/// The entries of a `repeatList` (`Name.N`) or `flatList` (`Name.N.Field`) parameter.
struct Entries<'a> {
    /// Index → (field, full key, value); the field is empty for a `repeatList`.
    by_index: BTreeMap<u64, Vec<(&'a str, &'a str, &'a str)>>,
}

impl<'a> Entries<'a> {
    fn read(p: &ParamSpec, request: &'a Incoming) -> Result<Entries<'a>, ApiError> {
        let mut by_index: BTreeMap<u64, Vec<_>> = BTreeMap::new();
        for (key, value) in prefixed(request, &p.name) {
            let rest = &key[p.name.len() + 1..];
            let (index, field) = match p.style {
                Style::FlatList => match rest.split_once('.') {
                    Some((index, field)) if !field.is_empty() => (index, field),
                    _ => return Err(bad_key(key, &p.name, "Name.1.Field")),
                },
                _ => (rest, ""),
            };
            let index = canonical_index(index).ok_or_else(|| {
                let shape = if field.is_empty() {
                    "Name.1"
                } else {
                    "Name.1.Field"
                };
                bad_key(key, &p.name, shape)
            })?;
            by_index.entry(index).or_default().push((field, key, value));
        }
        if let Some((&last, _)) = by_index.last_key_value() {
            if last != by_index.len() as u64 {
                return Err(invalid(
                    &p.name,
                    &format!(
                        "its entries must be numbered from 1 without gaps, got {}",
                        by_index
                            .keys()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        Ok(Entries { by_index })
    }

    fn count(&self) -> usize {
        self.by_index.len()
    }

    /// The values of a `repeatList`, in index order.
    fn values(&self) -> Vec<&'a str> {
        self.by_index
            .values()
            .filter_map(|entries| entries.first().map(|(_, _, value)| *value))
            .collect()
    }
}

fn bad_key(key: &str, name: &str, shape: &str) -> ApiError {
    invalid(
        key,
        &format!(
            "entries of {name} are sent as {}",
            shape.replacen("Name", name, 1)
        ),
    )
}

/// `1`, `2`, ... (no sign, no leading zero).
fn canonical_index(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits || text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

fn present(p: &ParamSpec, request: &Incoming) -> bool {
    let non_empty = |key: &str| request.param(key).is_some_and(|v| !v.is_empty());
    match p.style {
        Style::Scalar | Style::Json => non_empty(&p.name),
        Style::RepeatList => non_empty(&format!("{}.1", p.name)),
        Style::FlatList => {
            prefixed(request, &format!("{}.1", p.name)).any(|(_, value)| !value.is_empty())
        }
    }
}

fn shown(value: &str) -> String {
    let mut cut: String = value.chars().take(SHOWN_CHARS).collect();
    if cut.len() < value.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// Whether a text parameter reads as the scalar type `kind`.
fn scalar_fits(kind: Kind, value: &str) -> Result<(), String> {
    let ok = match kind {
        Kind::Integer => value.parse::<i64>().is_ok(),
        Kind::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
        Kind::Boolean => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let expected = match kind {
        Kind::Integer => "an integer",
        Kind::Number => "a number",
        _ => "true or false",
    };
    Err(format!("expected {expected}, got {}", shown(value)))
}

/// Whether an entry of a JSON list fits the modeled item type (a numeric string passes for a
/// number, as the services read them leniently).
fn json_item_fits(item: &TypeNode, value: &Value) -> bool {
    match (item.kind, value) {
        (Kind::Object | Kind::Map, Value::Object(_)) => true,
        (Kind::Object | Kind::Map, _) => false,
        (Kind::Any, _) => true,
        (_, Value::Array(_) | Value::Object(_)) => false,
        (Kind::String, _) => true,
        (kind, Value::String(s)) => scalar_fits(kind, s).is_ok(),
        (Kind::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Kind::Number, Value::Number(_)) => true,
        (Kind::Boolean, Value::Bool(_)) => true,
        _ => false,
    }
}

fn check_type(p: &ParamSpec, request: &Incoming) -> Result<(), ApiError> {
    match p.style {
        Style::Scalar => {
            let Some(value) = request.param(&p.name).filter(|v| !v.is_empty()) else {
                return Ok(());
            };
            if p.json_text {
                return serde_json::from_str::<Value>(value)
                    .map(drop)
                    .map_err(|_| invalid(&p.name, "expected JSON text"));
            }
            scalar_fits(p.ty.kind, value).map_err(|why| invalid(&p.name, &why))
        }
        Style::Json => {
            let Some(value) = request.param(&p.name).filter(|v| !v.is_empty()) else {
                return Ok(());
            };
            let parsed: Value =
                serde_json::from_str(value).map_err(|_| invalid(&p.name, "expected JSON"))?;
            match (p.ty.kind, &parsed) {
                (Kind::Array, Value::Array(items)) => {
                    let item = p.ty.items.as_deref();
                    match item {
                        Some(item) if !items.iter().all(|v| json_item_fits(item, v)) => {
                            Err(invalid(
                                &p.name,
                                &format!("expected a JSON list of {}", kind_name(item)),
                            ))
                        }
                        _ => Ok(()),
                    }
                }
                (Kind::Array, _) => Err(invalid(&p.name, "expected a JSON list")),
                (Kind::Object | Kind::Map, Value::Object(_)) => Ok(()),
                (Kind::Object | Kind::Map, _) => Err(invalid(&p.name, "expected a JSON object")),
                _ => Ok(()),
            }
        }
        Style::RepeatList => {
            let entries = Entries::read(p, request)?;
            let kind = p.ty.items.as_deref().map_or(Kind::String, |i| i.kind);
            for entry in entries.by_index.values().flatten() {
                let (_, key, value) = *entry;
                if !value.is_empty() {
                    scalar_fits(kind, value).map_err(|why| invalid(key, &why))?;
                }
            }
            Ok(())
        }
        Style::FlatList => {
            let entries = Entries::read(p, request)?;
            let fields = p.ty.items.as_deref().map_or(&[][..], TypeNode::fields);
            for (field, key, value) in entries.by_index.values().flatten() {
                let kind = fields.iter().find(|f| f.name == *field).map(|f| f.ty.kind);
                if let Some(kind) = kind.filter(|_| !value.is_empty()) {
                    scalar_fits(kind, value).map_err(|why| invalid(key, &why))?;
                }
            }
            Ok(())
        }
    }
}

fn kind_name(item: &TypeNode) -> &'static str {
    match item.kind {
        Kind::Object | Kind::Map => "objects",
        Kind::Integer => "integers",
        Kind::Number => "numbers",
        Kind::Boolean => "booleans",
        Kind::String => "strings",
        _ => "values",
    }
}

/// The overlay's limits, as the generated builders apply them (see `codegen`'s `build_param`).
fn check_limits(p: &'static ParamSpec, request: &Incoming) -> Result<(), Invalid> {
    let name = p.name.as_str();
    let r = &p.rules;
    let value = request.param(name).filter(|v| !v.is_empty());
    let item_kind = p.ty.items.as_deref().map(|i| i.kind);
    match p.style {
        Style::Scalar => {
            let Some(v) = value else { return Ok(()) };
            let is_str = p.ty.kind == Kind::String && !p.json_text;
            if is_str && (r.min_len.is_some() || r.max_len.is_some()) && r.separator.is_none() {
                check_len(name, v, r.min_len, r.max_len, r.wide_counts_two)?;
            }
            if let Some(sep) = &r.separator {
                check_separated(
                    name,
                    v,
                    sep,
                    r.min_items,
                    r.max_items,
                    r.item_min_len,
                    r.item_max_len,
                )?;
            }
            if r.min.is_some() || r.max.is_some() {
                let number = match p.ty.kind {
                    Kind::Integer => v.parse::<i64>().ok(),
                    Kind::String if !p.json_text => Some(integer_text(name, v)?),
                    _ => None,
                };
                if let Some(n) = number {
                    check_range(name, n, r.min, r.max)?;
                }
            }
            if p.json_text && has_item_rules(p) {
                check_json_items(
                    name,
                    v,
                    r.min_items,
                    r.max_items,
                    r.item_min_len,
                    r.item_max_len,
                )?;
            }
            Ok(())
        }
        Style::Json => {
            let Some(v) = value else { return Ok(()) };
            let scalar_items = p.ty.kind == Kind::Array
                && item_kind.is_some_and(|k| !matches!(k, Kind::Object | Kind::Map | Kind::Any));
            if !scalar_items {
                if has_item_rules(p) {
                    check_json_items(
                        name,
                        v,
                        r.min_items,
                        r.max_items,
                        r.item_min_len,
                        r.item_max_len,
                    )?;
                }
                return Ok(());
            }
            let items: Vec<Value> = serde_json::from_str(v).unwrap_or_default();
            check_list(p, items.len(), || {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
        }
        Style::RepeatList | Style::FlatList => {
            // The entries were read and checked for gaps in the type pass.
            let Ok(entries) = Entries::read(p, request) else {
                return Ok(());
            };
            check_list(p, entries.count(), || {
                if p.style == Style::RepeatList {
                    entries.values().into_iter().map(str::to_owned).collect()
                } else {
                    Vec::new()
                }
            })
        }
    }
}

fn has_item_rules(p: &ParamSpec) -> bool {
    let r = &p.rules;
    r.min_items.is_some()
        || r.max_items.is_some()
        || r.item_min_len.is_some()
        || r.item_max_len.is_some()
}

/// The count and item-length limits of a list of `count` entries (none sent: no limits,
/// unless the list is required, which the first pass saw to).
fn check_list(
    p: &'static ParamSpec,
    count: usize,
    strings: impl FnOnce() -> Vec<String>,
) -> Result<(), Invalid> {
    let name = p.name.as_str();
    let r = &p.rules;
    if count == 0 && !p.required {
        return Ok(());
    }
    if r.min_items.is_some() || r.max_items.is_some() {
        check_items(name, count, r.min_items, r.max_items)?;
    }
    let string_items =
        p.ty.items
            .as_deref()
            .is_some_and(|i| i.kind == Kind::String);
    if string_items && (r.item_min_len.is_some() || r.item_max_len.is_some()) {
        check_each_len(name, &strings(), r.item_min_len, r.item_max_len)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::model::find;

    fn request(query: &str) -> Incoming {
        Incoming::new("POST", "/", Some(query), BTreeMap::new(), b"")
    }

    fn code(action: &str, query: &str) -> Option<String> {
        let (_, spec) = find(action).unwrap();
        check(spec, &request(query))
            .err()
            .map(|e| e.code.to_owned())
    }

    #[test]
    fn list_entries_are_numbered_from_one_without_gaps() {
        let action = "UpdateNotificationsHandleState";
        let ok = "TargetHandleState=HANDLED&NotificationId.1=5&NotificationId.2=6";
        assert_eq!(code(action, ok), None);
        let gap = "TargetHandleState=HANDLED&NotificationId.1=5&NotificationId.3=6";
        assert_eq!(code(action, gap).as_deref(), Some("InvalidParameter"));
        let zero = "TargetHandleState=HANDLED&NotificationId.1=5&NotificationId.01=6";
        assert_eq!(code(action, zero).as_deref(), Some("InvalidParameter"));
        let typed = "TargetHandleState=HANDLED&NotificationId.1=five";
        assert_eq!(code(action, typed).as_deref(), Some("InvalidParameter"));
        let only_second = "TargetHandleState=HANDLED&NotificationId.2=5";
        assert_eq!(
            code(action, only_second).as_deref(),
            Some("MissingParameter")
        );
    }

    #[test]
    fn business_parameters_are_those_the_model_names() {
        let (_, spec) = find("ListTagResources").unwrap();
        let incoming = request("RegionId=cn&ResourceType=TEMPLATE&Tag.1.Key=k&ResourceId.1=r&Action=X&Other=1&OwnerId=");
        let params = business_params(spec, &incoming);
        let names: Vec<&str> = params.keys().copied().collect();
        assert_eq!(
            names,
            ["RegionId", "ResourceId.1", "ResourceType", "Tag.1.Key"]
        );
    }
}
