//! The API model format kept in `models/<code>-<version>.json`: wire facts only (names, types,
//! requiredness, locations, styles, response trees, error codes), one file per product-version.
//! `import` derives it from the collected metadata in `shared/models/`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The format version written in every model file.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub format: u32,
    /// The product's name, e.g. `LinkWAN`.
    pub product: String,
    /// The lower-case product code used in host names and `ALIBABA_CLOUD_ENDPOINT_URL_<CODE>`.
    pub code: String,
    pub version: String,
    pub endpoint: Endpoint,
    /// Sorted by name.
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// `regional` (`<code>.<region>.aliyuncs.com`) or `central` (one host, with exceptions).
    pub rule: String,
    /// Region → host, where the rule does not give it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hosts: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub name: String,
    pub method: String,
    pub params: Vec<Param>,
    pub response: Type,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorCode>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    pub status: u16,
    pub code: String,
    /// The message the service sends with it, as sent.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Style {
    /// One parameter, the value as text.
    Scalar,
    /// `Name.1`, `Name.2`, ...
    RepeatList,
    /// `Name.1.Field`, ...
    FlatList,
    /// One parameter holding compact JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Location {
    Query,
    Body,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    #[serde(flatten)]
    pub ty: Type,
    /// `None` when no source says.
    #[serde(default)]
    pub required: Option<bool>,
    pub location: Location,
    pub style: Style,
    /// A string whose value is JSON text by convention (`TemplateParam`, `PhoneNumberJson`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json_text: bool,
    /// The keys the official SDK produced for a sample value.
    pub wire_keys: Vec<String>,
}

/// A type tree: `string`, `integer`, `number`, `boolean`, `array` (with `items`), `object`
/// (with `fields`), `map` (with `values`), `any`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Type {
    #[serde(rename = "type")]
    pub kind: String,
    /// `int32`, `int64`, `float`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Type>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Box<Type>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(flatten)]
    pub ty: Type,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

impl Model {
    pub fn file_name(&self) -> String {
        format!("{}-{}.json", self.code, self.version)
    }
}

/// Derives a model from one file of the collected metadata (`shared/models/*.json`), keeping
/// only wire facts: no descriptions, sources, SDK names or metadata verdicts.
pub fn import(shared: &Value) -> Result<Model, String> {
    let text = |v: &Value, key: &str| -> Result<String, String> {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("`{key}` missing"))
    };
    let product = text(shared, "product")?;
    let endpoint_map = shared.get("endpoint_map").ok_or("`endpoint_map` missing")?;
    let endpoint = Endpoint {
        rule: text(endpoint_map, "rule")?,
        hosts: endpoint_map
            .get("map")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut actions = Vec::new();
    let all = shared
        .get("actions")
        .and_then(Value::as_object)
        .ok_or("`actions` missing")?;
    for (name, action) in all {
        actions.push(import_action(name, action).map_err(|e| format!("{name}: {e}"))?);
    }
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Model {
        format: FORMAT,
        code: product.to_ascii_lowercase(),
        product,
        version: text(shared, "version")?,
        endpoint,
        actions,
    })
}

fn import_action(name: &str, action: &Value) -> Result<Action, String> {
    let method = action
        .pointer("/http/method")
        .and_then(Value::as_str)
        .ok_or("`http.method` missing")?
        .to_owned();
    let mut params = Vec::new();
    for p in action
        .get("request")
        .and_then(Value::as_array)
        .ok_or("`request` missing")?
    {
        let pname = p.get("name").and_then(Value::as_str).ok_or("param name")?;
        let style: Style = serde_json::from_value(p.get("style").cloned().ok_or("style")?)
            .map_err(|e| format!("{pname}: style: {e}"))?;
        let location: Location =
            serde_json::from_value(p.get("location").cloned().ok_or("location")?)
                .map_err(|e| format!("{pname}: location: {e}"))?;
        params.push(Param {
            name: pname.to_owned(),
            ty: import_type(p)?,
            required: p.get("required").and_then(Value::as_bool),
            location,
            style,
            json_text: p
                .get("value_is_json_text")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            wire_keys: p
                .get("wire_example")
                .and_then(Value::as_array)
                .map(|keys| {
                    keys.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    let response = import_type(action.get("response").ok_or("`response` missing")?)?;
    let mut errors: Vec<ErrorCode> = action
        .get("error_codes")
        .and_then(Value::as_array)
        .map(|codes| {
            codes
                .iter()
                .filter_map(|e| {
                    Some(ErrorCode {
                        status: e.get("http_status")?.as_u64()? as u16,
                        code: e.get("code")?.as_str()?.to_owned(),
                        message: e
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    errors.sort_by(|a, b| a.code.cmp(&b.code));
    errors.dedup_by(|a, b| a.code == b.code);
    Ok(Action {
        name: name.to_owned(),
        method,
        params,
        response,
        errors,
    })
}

fn import_type(v: &Value) -> Result<Type, String> {
    let kind = match v.get("type").and_then(Value::as_str) {
        Some("long") => "integer",
        Some(kind) => kind,
        None => return Err("a type without `type`".into()),
    };
    let known = [
        "string", "integer", "number", "boolean", "array", "object", "map", "any",
    ];
    if !known.contains(&kind) {
        return Err(format!("unknown type {kind:?}"));
    }
    let fields = match v.get("fields").and_then(Value::as_array) {
        Some(fields) => Some(
            fields
                .iter()
                .map(|f| {
                    Ok(Field {
                        name: f
                            .get("name")
                            .and_then(Value::as_str)
                            .ok_or("field name")?
                            .to_owned(),
                        ty: import_type(f)?,
                        required: f.get("required").and_then(Value::as_bool),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?,
        ),
        None => None,
    };
    Ok(Type {
        kind: kind.to_owned(),
        format: v.get("format").and_then(Value::as_str).map(str::to_owned),
        items: v.get("items").map(import_type).transpose()?.map(Box::new),
        fields,
        values: v.get("values").map(import_type).transpose()?.map(Box::new),
    })
}
