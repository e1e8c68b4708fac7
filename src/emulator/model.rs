//! The API models the typed client is generated from (`models/*.json` and their overlays),
//! compiled into the emulator and read once, so the emulator answers exactly the actions, the
//! parameters and the response shapes the client was generated for.
//!
//! The serde types here mirror the model format of the `codegen` crate (`codegen/src/model.rs`,
//! `codegen/src/overlay.rs`) but read only what the emulator needs and ignore the rest, so a
//! field added for the generator's sake does not break the emulator.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::gateway::Product;
use super::paging::{self, Paging};

const LINKWAN_MODEL: &str = include_str!("../../models/linkwan-2019-03-01.json");
const LINKWAN_OVERLAY: &str = include_str!("../../models/linkwan-2019-03-01.overlay.json");
const DYSMSAPI_MODEL: &str = include_str!("../../models/dysmsapi-2017-05-25.json");
const DYSMSAPI_OVERLAY: &str = include_str!("../../models/dysmsapi-2017-05-25.overlay.json");

/// The kind of a node of a type tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Map,
    Any,
}

/// A type tree: a parameter's or a response's.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TypeNode {
    #[serde(rename = "type")]
    pub kind: Kind,
    /// The items of an `array`.
    #[serde(default)]
    pub items: Option<Box<TypeNode>>,
    /// The fields of an `object`.
    #[serde(default)]
    pub fields: Option<Vec<FieldNode>>,
    /// The values of a `map`.
    #[serde(default)]
    pub values: Option<Box<TypeNode>>,
}

impl TypeNode {
    /// The fields of an object (none for other kinds).
    pub fn fields(&self) -> &[FieldNode] {
        self.fields.as_deref().unwrap_or(&[])
    }

    /// Whether this is an object with at least one field.
    pub fn is_record(&self) -> bool {
        self.kind == Kind::Object && !self.fields().is_empty()
    }
}

/// A named field of an object.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct FieldNode {
    pub name: String,
    #[serde(flatten)]
    pub ty: TypeNode,
}

/// How a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Style {
    /// One parameter, the value as text.
    Scalar,
    /// `Name.1`, `Name.2`, ...
    RepeatList,
    /// `Name.1.Field`, ...
    FlatList,
    /// One parameter holding JSON.
    Json,
}

/// Limits of a parameter, as the overlay states them (the client's builders check the same).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Rules {
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub min_len: Option<usize>,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub wide_counts_two: bool,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub min_items: Option<usize>,
    #[serde(default)]
    pub max_items: Option<usize>,
    #[serde(default)]
    pub item_min_len: Option<usize>,
    #[serde(default)]
    pub item_max_len: Option<usize>,
    #[serde(default)]
    pub separator: Option<String>,
}

impl Rules {
    /// These rules with `over`'s keys winning (an action's rule over the product-wide one).
    fn merged(&self, over: &Rules) -> Rules {
        Rules {
            required: over.required.or(self.required),
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
        }
    }
}

#[derive(Deserialize)]
struct ModelFile {
    actions: Vec<ActionFile>,
}

#[derive(Deserialize)]
struct ActionFile {
    name: String,
    params: Vec<ParamFile>,
    response: TypeNode,
}

#[derive(Deserialize)]
struct ParamFile {
    name: String,
    #[serde(flatten)]
    ty: TypeNode,
    #[serde(default)]
    required: Option<bool>,
    style: Style,
    #[serde(default)]
    json_text: bool,
}

#[derive(Deserialize, Default)]
struct OverlayFile {
    #[serde(default)]
    enums: BTreeMap<String, EnumFile>,
    #[serde(default)]
    params: BTreeMap<String, Rules>,
    #[serde(default)]
    fields: BTreeMap<String, FieldRule>,
    #[serde(default)]
    actions: BTreeMap<String, ActionOverlayFile>,
}

#[derive(Deserialize)]
struct EnumFile {
    fields: Vec<String>,
    values: Vec<EnumValueFile>,
}

#[derive(Deserialize)]
struct EnumValueFile {
    wire: String,
}

#[derive(Deserialize, Default)]
struct ActionOverlayFile {
    #[serde(default)]
    params: BTreeMap<String, Rules>,
    #[serde(default)]
    response: BTreeMap<String, FieldRule>,
    #[serde(default)]
    paging: Option<PagingOverlay>,
}

/// What the overlay says of a response field: the type the client decodes it into.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct FieldRule {
    #[serde(default)]
    pub rust_type: Option<String>,
}

/// The overlay's help with an action's paging.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PagingOverlay {
    /// Response path of the items (`Data.List`).
    #[serde(default)]
    pub items: Option<String>,
    /// Response path of the total count.
    #[serde(default)]
    pub total: Option<String>,
    /// Not a paging action after all.
    #[serde(default)]
    pub none: bool,
}

/// One request parameter of an action, with its effective requiredness and limits.
#[derive(Debug)]
pub(crate) struct ParamSpec {
    pub name: String,
    pub ty: TypeNode,
    pub required: bool,
    pub style: Style,
    pub json_text: bool,
    pub rules: Rules,
    /// The current gateway's code for it missing: `Missing<Name>`.
    pub missing_code: String,
}

/// One action of a model, ready to check requests and answer them.
#[derive(Debug)]
pub(crate) struct ActionSpec {
    pub name: String,
    pub product: Product,
    pub params: Vec<ParamSpec>,
    pub response: TypeNode,
    /// The overlay's response rules by path (`Data.List[].JoinEui`).
    pub response_rules: BTreeMap<String, FieldRule>,
    pub paging: Option<Paging>,
}

/// One product's model and overlay.
#[derive(Debug)]
pub(crate) struct ProductModel {
    pub product: Product,
    /// The wire values of enumerated response fields, by field wire name.
    pub enums_by_field: BTreeMap<String, Vec<String>>,
    /// The same values by the enum's name (what a response rule's `rust_type` names).
    pub enums_by_name: BTreeMap<String, Vec<String>>,
    /// The overlay's response rules for a field of this wire name in every action.
    pub field_rules: BTreeMap<String, FieldRule>,
    pub actions: BTreeMap<String, ActionSpec>,
}

/// Every modeled product.
#[derive(Debug, Default)]
pub(crate) struct Models {
    pub products: Vec<ProductModel>,
}

impl Models {
    /// The action of this name and its product's model.
    pub fn find(&self, action: &str) -> Option<(&ProductModel, &ActionSpec)> {
        self.products
            .iter()
            .find_map(|p| p.actions.get(action).map(|a| (p, a)))
    }
}

/// The models, read on first use. The texts are compiled in and a unit test reads them, so
/// they always parse; should one not, its product has no modeled actions (only the stateful
/// ones are served) rather than a panic inside a request.
pub(crate) fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| {
        let products = [
            (Product::LinkWan, LINKWAN_MODEL, LINKWAN_OVERLAY),
            (Product::Dysmsapi, DYSMSAPI_MODEL, DYSMSAPI_OVERLAY),
        ];
        Models {
            products: products
                .into_iter()
                .filter_map(|(product, model, overlay)| load(product, model, overlay).ok())
                .collect(),
        }
    })
}

/// The action of this name in any model, with its product's model.
pub(crate) fn find(action: &str) -> Option<(&'static ProductModel, &'static ActionSpec)> {
    models().find(action)
}

/// Reads one product's model and overlay.
fn load(product: Product, model: &str, overlay: &str) -> Result<ProductModel, String> {
    let model: ModelFile = serde_json::from_str(model).map_err(|e| format!("model: {e}"))?;
    let mut overlay: OverlayFile =
        serde_json::from_str(overlay).map_err(|e| format!("overlay: {e}"))?;
    let mut enums_by_field = BTreeMap::new();
    let mut enums_by_name = BTreeMap::new();
    for (name, e) in &overlay.enums {
        let values: Vec<String> = e.values.iter().map(|v| v.wire.clone()).collect();
        for field in &e.fields {
            enums_by_field.insert(field.clone(), values.clone());
        }
        enums_by_name.insert(name.clone(), values);
    }
    let mut actions = BTreeMap::new();
    for action in model.actions {
        let over = overlay.actions.remove(&action.name).unwrap_or_default();
        let params = action
            .params
            .into_iter()
            .map(|p| {
                let rules = overlay
                    .params
                    .get(&p.name)
                    .cloned()
                    .unwrap_or_default()
                    .merged(&over.params.get(&p.name).cloned().unwrap_or_default());
                ParamSpec {
                    required: rules.required.or(p.required).unwrap_or(false),
                    missing_code: format!("Missing{}", p.name),
                    name: p.name,
                    ty: p.ty,
                    style: p.style,
                    json_text: p.json_text,
                    rules,
                }
            })
            .collect::<Vec<_>>();
        let paging = paging::detect(&params, &action.response, over.paging.as_ref());
        actions.insert(
            action.name.clone(),
            ActionSpec {
                name: action.name,
                product,
                params,
                response: action.response,
                response_rules: over.response,
                paging,
            },
        );
    }
    Ok(ProductModel {
        product,
        enums_by_field,
        enums_by_name,
        field_rules: overlay.fields,
        actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_models_and_overlays_parse_with_every_action() {
        for (product, model, overlay, count) in [
            (Product::LinkWan, LINKWAN_MODEL, LINKWAN_OVERLAY, 96),
            (Product::Dysmsapi, DYSMSAPI_MODEL, DYSMSAPI_OVERLAY, 79),
        ] {
            let loaded = load(product, model, overlay).unwrap();
            assert_eq!(loaded.actions.len(), count, "{product:?}");
        }
        assert_eq!(models().products.len(), 2);
    }

    #[test]
    fn overlay_rules_merge_over_the_product_wide_ones() {
        let (_, action) = find("ListOwnedJoinPermissions").unwrap();
        let limit = action.params.iter().find(|p| p.name == "Limit").unwrap();
        assert_eq!((limit.rules.min, limit.rules.max), (Some(1), Some(200)));
        assert!(limit.required);
        let (product, _) = find("QuerySendDetails").unwrap();
        assert_eq!(product.product, Product::Dysmsapi);
        assert!(product.enums_by_field["SendStatus"].contains(&"3".to_owned()));
    }
}
