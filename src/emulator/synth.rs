//! Success bodies of the generic layer: every field of an action's modeled answer, with a
//! deterministic, plausible value of the model's type.
//!
//! Values come from a seed (a hash of the action and its business parameters), so the same
//! request gets the same answer and another request another one. What a field holds is read
//! from the overlay first (`eui`, `millis`, an enum's wire values), then from its name:
//! `*Eui` 16 hex digits, `*Millis` Unix milliseconds near the emulator's clock, `*Time` and
//! `*Date` a `yyyy-MM-dd HH:mm:ss` time in China, `Phone*`/`Mobile*` a mainland number,
//! `*AliyunId` a seeded account, `BizId` as SMS sends give it, `*Id` a numeric id, `*Url` a URL;
//! otherwise a short string made from the name, a small positive integer, `true` (or the
//! request's `false` for a field of the same name).
//! A scalar field named like a scalar request parameter echoes the request's value where it
//! fits (`GetGateway`'s `GwEui` is the one asked for).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Map, Number, Value};

use super::accounts;
use super::gateway::Product;
use super::model::{ActionSpec, Kind, ProductModel, TypeNode};
use super::paging::{Page, COLLECTION_SIZE};

/// How many items a list that does not page gets.
const LIST_LEN: u64 = 2;
/// How far back synthesized times reach, in milliseconds (30 days).
const TIME_SPAN_MILLIS: u64 = 30 * 24 * 60 * 60 * 1000;

/// FNV-1a over `bytes`, started from `seed`, then finalized (splitmix64): stable across runs,
/// platforms and Rust versions, unlike `std`'s hasher.
pub(crate) fn mix(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The seed of an action and a set of parameters, whatever their order.
pub(crate) fn seed_of(action: &str, params: &BTreeMap<&str, &str>) -> u64 {
    let mut seed = mix(0, action.as_bytes());
    for (name, value) in params {
        seed = mix(seed, name.as_bytes());
        seed = mix(seed, &[0]);
        seed = mix(seed, value.as_bytes());
        seed = mix(seed, &[0xff]);
    }
    seed
}

/// What a field holds, beyond its JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint<'a> {
    Enum(&'a [String]),
    Eui,
    Millis,
    Time,
    Phone,
    AliyunId,
    BizId,
    Id,
    Url,
    TemplateCode,
    ReceiptCode,
    Count,
    Plain,
}

/// Where a value sits: its seeds and its serial number among items of the same path.
#[derive(Debug, Clone, Copy)]
struct Spot {
    /// Seeds ids: the same for every item of a collection, so `serial` keeps them distinct.
    id_seed: u64,
    /// Seeds everything else.
    seed: u64,
    serial: u64,
}

/// Builds the success body of one action for one request.
pub(crate) struct Synth<'a> {
    pub product: &'a ProductModel,
    pub action: &'a ActionSpec,
    pub now: DateTime<Utc>,
    /// The request's scalar business parameters, echoed into fields of the same name.
    pub echo: BTreeMap<String, String>,
    /// The page to answer, and the seed of its collection, for a paging action.
    pub page: Option<(Page, u64)>,
}

impl Synth<'_> {
    /// The body's fields but `RequestId` (the gateway adds it), in the product's envelope:
    /// LinkWAN `"Success": true`; Dysmsapi `"Code": "OK"`, `"Message": "OK"` (and `"Success":
    /// true` where modeled). LinkWAN's error fields `Code` and `ErrorMessage`, which some
    /// answers model beside `Success`, are left out of a success.
    pub fn body(&self, seed: u64) -> Map<String, Value> {
        let spot = Spot {
            id_seed: seed,
            seed,
            serial: 0,
        };
        let mut body = Map::new();
        for field in self.action.response.fields() {
            let name = field.name.as_str();
            let value = match (self.product.product, name) {
                (_, "RequestId") => continue,
                (Product::LinkWan, "Code" | "ErrorMessage" | "Message") => continue,
                (_, "Success") => Value::Bool(true),
                (Product::Dysmsapi, "Code" | "Message") => json!("OK"),
                // As the seeded CreateSmsAuthorizationLetter answers it.
                (Product::Dysmsapi, "AccessDeniedDetail") => json!("无"),
                _ => self.value(&field.ty, name, &mut vec![name.to_owned()], spot),
            };
            body.insert(name.to_owned(), value);
        }
        match self.product.product {
            Product::LinkWan => {
                body.entry("Success").or_insert(Value::Bool(true));
            }
            Product::Dysmsapi => {
                body.entry("Code").or_insert(json!("OK"));
                body.entry("Message").or_insert(json!("OK"));
            }
            Product::Sts => {}
        }
        body
    }

    /// The value at `path` (wire names from the root), of type `ty`, named `name`.
    fn value(&self, ty: &TypeNode, name: &str, path: &mut Vec<String>, spot: Spot) -> Value {
        if let Some((page, collection)) = &self.page {
            if let Some(paging) = &self.action.paging {
                if paging.items == *path {
                    let item = ty.items.as_deref().unwrap_or(ty);
                    return Value::Array(
                        (page.start..page.start + page.len)
                            .map(|i| {
                                let spot = Spot {
                                    id_seed: *collection,
                                    seed: mix(*collection, &i.to_be_bytes()),
                                    serial: i,
                                };
                                self.item(item, name, path, spot)
                            })
                            .collect(),
                    );
                }
                if paging.total.as_ref() == Some(path) {
                    return typed_number(ty.kind, COLLECTION_SIZE as i64);
                }
                if paging.next_token.as_ref() == Some(path) {
                    return json!(page.next_token.clone().unwrap_or_default());
                }
            }
        }
        match ty.kind {
            Kind::Object => {
                let mut object = Map::new();
                for field in ty.fields() {
                    path.push(field.name.clone());
                    let value = self.value(&field.ty, &field.name, path, spot);
                    path.pop();
                    object.insert(field.name.clone(), value);
                }
                Value::Object(object)
            }
            Kind::Array => {
                let item = ty.items.as_deref().unwrap_or(ty);
                Value::Array(
                    (0..LIST_LEN)
                        .map(|j| {
                            let spot = Spot {
                                id_seed: spot.id_seed,
                                seed: mix(spot.seed, &j.to_be_bytes()),
                                serial: spot.serial * LIST_LEN + j,
                            };
                            self.item(item, name, path, spot)
                        })
                        .collect(),
                )
            }
            Kind::Map => {
                let mut map = Map::new();
                let values = ty.values.as_deref();
                path.push("key1".to_owned());
                let value = match values {
                    Some(v) => self.value(v, "Value", path, spot),
                    None => self.scalar(Kind::String, "Value", path, spot),
                };
                path.pop();
                map.insert("key1".to_owned(), value);
                Value::Object(map)
            }
            Kind::Any => self.scalar(Kind::String, name, path, spot),
            kind => self.scalar(kind, name, path, spot),
        }
    }

    /// An item of the list `name` at `path`; a scalar item is named after the list
    /// (`FileUrlList` → `FileUrl`, `Mobiles` → `Mobile`).
    fn item(&self, item: &TypeNode, name: &str, path: &mut Vec<String>, spot: Spot) -> Value {
        let last = path.len() - 1;
        path[last].push_str("[]");
        let singular = name
            .strip_suffix("List")
            .or_else(|| name.strip_suffix('s'))
            .filter(|s| !s.is_empty())
            .unwrap_or(name);
        let value = self.value(item, singular, path, spot);
        let len = path[last].len() - 2;
        path[last].truncate(len);
        value
    }

    fn scalar(&self, kind: Kind, name: &str, path: &[String], spot: Spot) -> Value {
        if kind == Kind::Boolean {
            // `true`, unless the request filtered on the field (`Enabled=false`).
            let asked = self.echo.get(name).map(|v| v.eq_ignore_ascii_case("false"));
            return Value::Bool(asked != Some(true));
        }
        let joined = path.join(".");
        // The value follows the overlay's type where the model's drifts (a number the model
        // types as a string here is a numeric string); it is written in the model's type.
        let value_kind = self.overlay_kind(name, &joined).unwrap_or(kind);
        let hint = self.hint(value_kind, name, &joined);
        if let Some(echoed) = self.echo(kind, name, hint) {
            return echoed;
        }
        let value = self.synthesize(value_kind, name, hint, &joined, spot);
        match (kind, &value) {
            (Kind::Integer | Kind::Number, Value::Number(_)) | (Kind::String, Value::String(_)) => {
                value
            }
            // A name that suggests text on a number: the number the text holds, else a plain one.
            (Kind::Integer | Kind::Number, Value::String(s)) => match s.parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => self.synthesize(kind, name, Hint::Plain, &joined, spot),
            },
            _ => json!(value.to_string()),
        }
    }

    /// A value for `hint`, of `kind` where the hint allows.
    fn synthesize(
        &self,
        kind: Kind,
        name: &str,
        hint: Hint<'_>,
        joined: &str,
        spot: Spot,
    ) -> Value {
        let h = mix(spot.seed, joined.as_bytes());
        let id = 100_000_000 + mix(spot.id_seed, joined.as_bytes()) % 800_000_000 + spot.serial;
        let text = |s: String| match kind {
            Kind::Integer | Kind::Number => s.parse::<i64>().map_or(json!(s), |n| json!(n)),
            _ => json!(s),
        };
        match hint {
            Hint::Enum(values) if !values.is_empty() => {
                text(values[(h % values.len() as u64) as usize].clone())
            }
            Hint::Eui => json!(format!(
                "{:016X}",
                mix(spot.id_seed, joined.as_bytes()).wrapping_add(spot.serial)
            )),
            Hint::Millis => {
                let back = h % TIME_SPAN_MILLIS + spot.serial * 60_000;
                typed_number(kind, self.anchor_millis() - back as i64)
            }
            Hint::Time if kind != Kind::String => {
                let back = h % TIME_SPAN_MILLIS;
                typed_number(kind, self.anchor_millis() - back as i64)
            }
            Hint::Time => {
                let millis = self.anchor_millis() - (h % TIME_SPAN_MILLIS) as i64;
                let at = DateTime::from_timestamp_millis(millis).unwrap_or(self.now);
                let format = "%Y-%m-%d %H:%M:%S";
                // Times in China, where the services run.
                json!(match FixedOffset::east_opt(8 * 3600) {
                    Some(china) => at.with_timezone(&china).format(format).to_string(),
                    None => at.format(format).to_string(),
                })
            }
            Hint::Phone => json!(format!(
                "1{}{:09}",
                [3, 5, 7, 8, 9][(h % 5) as usize],
                (h / 5 + spot.serial) % 1_000_000_000
            )),
            Hint::AliyunId => {
                let all = accounts::ALL;
                json!(all[((h + spot.serial) % all.len() as u64) as usize].aliyun_id)
            }
            Hint::BizId => json!(format!("{}^0", 100_000_000_000_000_000 + id)),
            Hint::Id => typed_number(kind, id as i64),
            Hint::TemplateCode => json!(format!("SMS_{id}")),
            Hint::ReceiptCode => json!("DELIVERED"),
            Hint::Url => json!(format!(
                "https://emulator.example.com/{}/{:08x}",
                kebab(name),
                h & 0xffff_ffff
            )),
            Hint::Count => typed_number(kind, COLLECTION_SIZE as i64),
            Hint::Enum(_) | Hint::Plain => match kind {
                Kind::Integer => typed_number(kind, (1 + h % 100) as i64),
                Kind::Number => {
                    let base = match name {
                        "Longitude" => 120.0,
                        "Latitude" => 30.0,
                        _ => 1.0,
                    };
                    Number::from_f64(base + (h % 10_000) as f64 / 10_000.0)
                        .map_or(json!(1), Value::Number)
                }
                _ => json!(format!("{}-{:04x}", kebab(name), h & 0xffff)),
            },
        }
    }

    /// Where synthesized times count back from: the start of the emulator's current UTC day,
    /// so that the same request gets the same times all day long, none in the future.
    fn anchor_millis(&self) -> i64 {
        const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;
        let now = self.now.timestamp_millis();
        now - now.rem_euclid(DAY_MILLIS)
    }

    /// The Rust type the overlay gives the field at `path` (wire name `name`): the action's
    /// rule for that path first, then the product's rule for that name.
    fn rust_type(&self, name: &str, path: &str) -> Option<&str> {
        self.action
            .response_rules
            .get(path)
            .and_then(|r| r.rust_type.as_deref())
            .or_else(|| {
                self.product
                    .field_rules
                    .get(name)
                    .and_then(|r| r.rust_type.as_deref())
            })
    }

    /// The kind the overlay gives a field where the model's type drifts (LinkWAN `DataRate`
    /// is a string in one answer, a number in the others; the client types it as a number).
    fn overlay_kind(&self, name: &str, path: &str) -> Option<Kind> {
        match self.rust_type(name, path)? {
            "u64" | "u32" | "i64" | "millis" => Some(Kind::Integer),
            "String" => Some(Kind::String),
            _ => None,
        }
    }

    /// What a scalar field holds: the overlay's word first, then its name.
    fn hint(&self, kind: Kind, name: &str, path: &str) -> Hint<'_> {
        match self.rust_type(name, path) {
            Some("eui") => return Hint::Eui,
            Some("millis") => return Hint::Millis,
            Some(other) => {
                if let Some(values) = self.product.enums_by_name.get(other) {
                    return Hint::Enum(values);
                }
            }
            None => {}
        }
        if matches!(kind, Kind::String | Kind::Integer) {
            if let Some(values) = self.product.enums_by_field.get(name) {
                return Hint::Enum(values);
            }
        }
        let action = self.action.name.as_str();
        if path == "Data" {
            // An answer whose whole data is one value: what the action's name says it is.
            if action.starts_with("Count") && kind == Kind::Integer {
                return Hint::Count;
            }
            if action.ends_with("Url") {
                return Hint::Url;
            }
            if ["Create", "Submit", "Apply", "Add"]
                .iter()
                .any(|p| action.starts_with(p))
            {
                return Hint::Id;
            }
        }
        match name {
            "BizId" => Hint::BizId,
            "TemplateCode" => Hint::TemplateCode,
            "ErrCode" => Hint::ReceiptCode,
            _ if name.ends_with("Eui") => Hint::Eui,
            _ if name.ends_with("Millis") => Hint::Millis,
            _ if name.ends_with("Time") || name.ends_with("Date") => Hint::Time,
            _ if name.starts_with("Phone") || name.starts_with("Mobile") => Hint::Phone,
            _ if name.ends_with("AliyunId") => Hint::AliyunId,
            _ if name.ends_with("Id") || name.ends_with("ID") => Hint::Id,
            _ if name.ends_with("Url") => Hint::Url,
            _ => Hint::Plain,
        }
    }

    /// The request's value of the parameter named like the field, where it fits the field.
    fn echo(&self, kind: Kind, name: &str, hint: Hint<'_>) -> Option<Value> {
        let given = self.echo.get(name)?;
        let fits = match hint {
            Hint::Millis | Hint::Time | Hint::Count | Hint::ReceiptCode => false,
            Hint::Eui => given.len() == 16 && given.bytes().all(|b| b.is_ascii_hexdigit()),
            Hint::Enum(values) => values.contains(given),
            _ => true,
        };
        if !fits {
            return None;
        }
        match kind {
            Kind::Integer => given.trim().parse::<i64>().ok().map(|n| json!(n)),
            Kind::Number => given
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number),
            _ => Some(json!(given)),
        }
    }
}

/// A number as the model types it: a JSON number, or a numeric string for a `string` field.
fn typed_number(kind: Kind, n: i64) -> Value {
    match kind {
        Kind::String | Kind::Any => json!(n.to_string()),
        _ => json!(n),
    }
}

/// `JoinPermissionName` → `join-permission-name`.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('-');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_ignore_parameter_order_and_tell_inputs_apart() {
        let a = BTreeMap::from([("A", "1"), ("B", "2")]);
        let b = BTreeMap::from([("B", "2"), ("A", "1")]);
        let c = BTreeMap::from([("A", "12")]);
        assert_eq!(seed_of("X", &a), seed_of("X", &b));
        assert_ne!(seed_of("X", &a), seed_of("X", &c));
        assert_ne!(seed_of("X", &a), seed_of("Y", &a));
        assert_eq!(kebab("JoinPermissionName"), "join-permission-name");
        assert_eq!(kebab("GwEUI"), "gw-eui");
    }
}
