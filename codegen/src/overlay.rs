//! The hand-kept overlay beside each model (`models/<code>-<version>.overlay.json`): what we
//! decide, and what the metadata gets wrong or does not say. Everything is optional but the
//! product's names and each action's one-line summary.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// The module under `aliyun` (`linkwan`, `sms`), also the Cargo feature's name.
    pub module: String,
    /// The `aliyun::Product` constant, e.g. `LINKWAN`.
    pub product_const: String,
    /// Error codes beyond the model's (codes of pages the metadata misses, the SMS send codes),
    /// and docs for the model's own codes, by wire code.
    #[serde(default)]
    pub codes: BTreeMap<String, CodeOverlay>,
    /// Enumerated response values, by the enum's Rust name.
    #[serde(default)]
    pub enums: BTreeMap<String, EnumOverlay>,
    /// Rules for a request parameter of this wire name in every action (an action's own rule
    /// for it wins, key by key).
    #[serde(default)]
    pub params: BTreeMap<String, ParamOverlay>,
    /// Rules for a response field of this wire name in every action.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldOverlay>,
    /// Every action of the model, by wire name.
    pub actions: BTreeMap<String, ActionOverlay>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeOverlay {
    /// What the code means, in our words (one line).
    #[serde(default)]
    pub doc: Option<String>,
    /// The variant's name, when the rule (`isv.BUSINESS_LIMIT_CONTROL` → `BusinessLimitControl`)
    /// does not give a good one.
    #[serde(default)]
    pub variant: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumOverlay {
    /// One line: what the value says.
    pub doc: String,
    /// Wire names of the response fields whose values this enum holds (in every action).
    pub fields: Vec<String>,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub wire: String,
    pub variant: String,
    pub doc: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionOverlay {
    /// One line, in our own words: what the action does.
    pub summary: String,
    /// More paragraphs for the request type's docs.
    #[serde(default)]
    pub doc: Option<String>,
    /// A doc-tested example for the request type (the seed actions keep theirs).
    #[serde(default)]
    pub example: Option<String>,
    /// `read_only` or `mutating`, when the name's prefix does not tell (Get, List, Query, Count,
    /// Check and Describe read; everything else mutates).
    #[serde(default)]
    pub idempotency: Option<String>,
    /// By wire parameter name.
    #[serde(default)]
    pub params: BTreeMap<String, ParamOverlay>,
    /// By response path: wire field names joined by `.`, `[]` after a list
    /// (`Data`, `Data.CreateMillis`, `Data.List[].JoinEui`).
    #[serde(default)]
    pub response: BTreeMap<String, FieldOverlay>,
    /// Response struct names by path (`Data` → `OwnedJoinPermission`); the default is the
    /// action's name followed by the path's names.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Paging, when the generator's reading of the model needs help.
    #[serde(default)]
    pub paging: Option<PagingOverlay>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamOverlay {
    /// The setter's doc, in our words (after the wire name).
    #[serde(default)]
    pub doc: Option<String>,
    /// Overrides the model's requiredness.
    #[serde(default)]
    pub required: Option<bool>,
    /// `display`: the setter takes `impl Display` (ids a service returns as numbers).
    #[serde(default)]
    pub setter: Option<String>,
    /// The setter's argument name (default: `value`).
    #[serde(default)]
    pub arg: Option<String>,
    /// Length bounds of a string, in characters.
    #[serde(default)]
    pub min_len: Option<usize>,
    #[serde(default)]
    pub max_len: Option<usize>,
    /// Count a CJK character as two toward `min_len` / `max_len`.
    #[serde(default)]
    pub wide_counts_two: bool,
    /// Bounds of a number.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Bounds of a list's length.
    #[serde(default)]
    pub min_items: Option<usize>,
    #[serde(default)]
    pub max_items: Option<usize>,
    /// Length bounds of each string of a list, in characters.
    #[serde(default)]
    pub item_min_len: Option<usize>,
    #[serde(default)]
    pub item_max_len: Option<usize>,
    /// Items of a list separated by this in one string (`PhoneNumbers`: `,`); the item bounds
    /// and `max_items` then apply to the pieces.
    #[serde(default)]
    pub separator: Option<String>,
    /// A hand-written check in the product module's `checks`, called as
    /// `checks::<name>("<WireName>", &value)`.
    #[serde(default)]
    pub check: Option<String>,
    /// The value the generated every-action test sends, where the type and the limits do not
    /// make a good one (a date format, an id the emulator knows).
    #[serde(default)]
    pub sample: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOverlay {
    /// The Rust field name.
    #[serde(default)]
    pub rename: Option<String>,
    /// The field's doc, in our words (after the wire name).
    #[serde(default)]
    pub doc: Option<String>,
    /// `u64`, `u32`, `i64`, `String`, `eui` (16 hex digits), `millis` (a time), or the name of
    /// one of the overlay's enums.
    #[serde(default)]
    pub rust_type: Option<String>,
    /// A value the service always sends: not an `Option`.
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingOverlay {
    /// Response path of the list of items.
    #[serde(default)]
    pub items: Option<String>,
    /// Response path of the total count.
    #[serde(default)]
    pub total: Option<String>,
    /// Not a paging action after all.
    #[serde(default)]
    pub none: bool,
}

impl ParamOverlay {
    /// This rule, with `over`'s keys winning.
    pub fn merged(&self, over: &ParamOverlay) -> ParamOverlay {
        ParamOverlay {
            doc: over.doc.clone().or_else(|| self.doc.clone()),
            required: over.required.or(self.required),
            setter: over.setter.clone().or_else(|| self.setter.clone()),
            arg: over.arg.clone().or_else(|| self.arg.clone()),
            min_len: over.min_len.or(self.min_len),
            max_len: over.max_len.or(self.max_len),
            wide_counts_two: over.wide_counts_two || self.wide_counts_two,
            min: over.min.or(self.min),
            max: over.max.or(self.max),
            min_items: over.min_items.or(self.min_items),
            max_items: over.max_items.or(self.max_items),
            item_min_len: over.item_min_len.or(self.item_min_len),
            item_max_len: over.item_max_len.or(self.item_max_len),
            separator: over.separator.clone().or_else(|| self.separator.clone()),
            check: over.check.clone().or_else(|| self.check.clone()),
            sample: over.sample.clone().or_else(|| self.sample.clone()),
        }
    }
}

impl FieldOverlay {
    /// This rule, with `over`'s keys winning.
    pub fn merged(&self, over: &FieldOverlay) -> FieldOverlay {
        FieldOverlay {
            rename: over.rename.clone().or_else(|| self.rename.clone()),
            doc: over.doc.clone().or_else(|| self.doc.clone()),
            rust_type: over.rust_type.clone().or_else(|| self.rust_type.clone()),
            required: over.required || self.required,
        }
    }
}
