//! From a model and its overlay to what the Rust code declares: names, types, checks, paging.
//! Every naming decision is made here; `emit` only writes it out.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Action, Field, Location, Model, Param, Style, Type};
use crate::names::{code_variant, pascal, snake, snake_plain};
use crate::overlay::{ActionOverlay, FieldOverlay, Overlay, ParamOverlay};

/// The gateway codes every product's `ErrorCode` already has (`aliyun_error_codes!`).
pub const GATEWAY_CODES: &[&str] = &[
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "ServiceUnavailable",
    "InternalError",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId.NotFound",
    "InvalidAccessKeyId.Inactive",
    "InvalidTimeStamp.Expired",
    "IllegalTimestamp",
    "SignatureNonceUsed",
    "MissingParameter",
    "InvalidParameter",
    "Forbidden.RAM",
    "InvalidSecurityToken.Expired",
    "InvalidVersion",
    "InvalidAction.NotFound",
];

/// Prefixes of the names of actions that only read.
const READ_PREFIXES: &[&str] = &["Get", "List", "Query", "Count", "Check", "Describe"];

pub struct ProductPlan {
    pub model_file: String,
    pub overlay_file: String,
    pub module: String,
    pub product: String,
    pub product_const: String,
    pub version: String,
    pub codes: Vec<CodePlan>,
    pub enums: Vec<EnumPlan>,
    pub actions: Vec<ActionPlan>,
}

pub struct CodePlan {
    pub wire: String,
    pub variant: String,
    pub doc: String,
}

pub struct EnumPlan {
    pub name: String,
    pub doc: String,
    /// (wire, variant, doc)
    pub values: Vec<(String, String, String)>,
}

pub struct ActionPlan {
    pub wire: String,
    /// The file (module) name.
    pub file: String,
    pub summary: String,
    pub doc: Option<String>,
    pub example: Option<String>,
    pub read_only: bool,
    pub params: Vec<ParamPlan>,
    /// Request types of `flatList` / `json` parameters whose items are objects.
    pub nested_requests: Vec<NestedRequest>,
    /// The response struct first, then the nested ones.
    pub responses: Vec<StructPlan>,
    pub paging: Option<PagingPlan>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scalar {
    Str,
    I64,
    I32,
    F64,
    Bool,
}

impl Scalar {
    pub fn rust(self) -> &'static str {
        match self {
            Scalar::Str => "String",
            Scalar::I64 => "i64",
            Scalar::I32 => "i32",
            Scalar::F64 => "f64",
            Scalar::Bool => "bool",
        }
    }
}

pub enum ParamKind {
    Scalar(Scalar),
    /// A string holding JSON text by convention: the setter takes `impl Serialize`.
    JsonText,
    /// `json` style, a list of scalars: the setter takes a list.
    JsonList(Scalar),
    /// `json` style, objects or maps: the setter takes `impl Serialize`.
    JsonValue,
    /// `Name.1`, `Name.2`.
    Repeat(Scalar),
    /// `Name.1.Field`: the items are the nested request type.
    FlatObjects(String),
    /// `Name.1.key`: the items are maps.
    FlatMaps,
}

pub struct ParamPlan {
    pub wire: String,
    pub rust: String,
    pub kind: ParamKind,
    pub required: bool,
    pub body: bool,
    pub rules: ParamOverlay,
}

pub struct NestedRequest {
    pub name: String,
    pub param: String,
    /// `json` style: serialized with serde, field names as on the wire.
    pub serialize: bool,
    /// (wire, rust, scalar, required)
    pub fields: Vec<(String, String, Scalar, bool)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RType {
    Scalar(Scalar),
    U64,
    U32,
    Millis,
    Eui,
    Enum(String),
    Value,
    Map,
    Struct(String),
    List(Box<RType>),
}

impl RType {
    pub fn rust(&self) -> String {
        match self {
            RType::Scalar(s) => s.rust().to_owned(),
            RType::U64 => "u64".into(),
            RType::U32 => "u32".into(),
            RType::Millis => "chrono::DateTime<chrono::Utc>".into(),
            RType::Eui => "String".into(),
            RType::Enum(name) => format!("super::{name}"),
            RType::Struct(name) => name.clone(),
            RType::Value => "serde_json::Value".into(),
            RType::Map => "std::collections::BTreeMap<String, serde_json::Value>".into(),
            RType::List(item) => format!("Vec<{}>", item.rust()),
        }
    }

    /// Whether the type (not counting nested structs) has no `Eq`.
    pub fn has_float(&self) -> bool {
        match self {
            RType::Scalar(Scalar::F64) => true,
            RType::List(item) => item.has_float(),
            _ => false,
        }
    }
}

pub struct FieldPlan {
    pub wire: String,
    pub rust: String,
    pub ty: RType,
    pub required: bool,
    pub doc: String,
    /// The whole top-level `RequestId`.
    pub request_id: bool,
    /// A list the service nests in a wrapper object (which the field stands for).
    pub wrapped: bool,
}

pub struct StructPlan {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldPlan>,
    /// Whether `Eq` can be derived (no float here or in a nested struct).
    pub eq: bool,
}

pub enum CursorKind {
    Offset,
    Page,
    Token,
}

pub struct PagingPlan {
    pub cursor: CursorKind,
    /// The request parameter holding the cursor, and its plan's index.
    pub cursor_param: usize,
    pub size_param: Option<usize>,
    /// Rust field path to the items, and the item type.
    pub items: Vec<(String, bool)>,
    pub item_type: String,
    pub total: Option<(Vec<(String, bool)>, RType)>,
    pub next_token: Option<Vec<(String, bool)>>,
}

pub fn plan(
    model: &Model,
    overlay: &Overlay,
    model_file: &str,
    overlay_file: &str,
) -> Result<ProductPlan, String> {
    for name in overlay.actions.keys() {
        if !model.actions.iter().any(|a| &a.name == name) {
            return Err(format!(
                "the overlay names an action the model lacks: {name}"
            ));
        }
    }
    let mut actions = Vec::new();
    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    for action in &model.actions {
        let over = overlay.actions.get(&action.name).ok_or_else(|| {
            format!(
                "the overlay has no entry (and no summary) for {}",
                action.name
            )
        })?;
        let planned =
            plan_action(action, over, overlay).map_err(|e| format!("{}: {e}", action.name))?;
        let mut names = vec![planned.wire.clone(), format!("{}Builder", planned.wire)];
        names.extend(
            planned
                .nested_requests
                .iter()
                .flat_map(|n| [n.name.clone(), format!("{}Builder", n.name)]),
        );
        names.extend(planned.responses.iter().map(|s| s.name.clone()));
        for name in names {
            if let Some(other) = type_names.insert(name.clone(), action.name.clone()) {
                return Err(format!("the type name {name} is used by {other} and {}; rename one in the overlay's `types`", action.name));
            }
        }
        actions.push(planned);
    }
    for name in overlay.enums.keys().chain(["ErrorCode".to_owned()].iter()) {
        if let Some(action) = type_names.get(name) {
            return Err(format!(
                "the type name {name} of {action} is also an enum's"
            ));
        }
    }
    Ok(ProductPlan {
        model_file: model_file.to_owned(),
        overlay_file: overlay_file.to_owned(),
        module: overlay.module.clone(),
        product: model.product.clone(),
        product_const: overlay.product_const.clone(),
        version: model.version.clone(),
        codes: plan_codes(model, overlay)?,
        enums: overlay
            .enums
            .iter()
            .map(|(name, e)| EnumPlan {
                name: name.clone(),
                doc: e.doc.clone(),
                values: e
                    .values
                    .iter()
                    .map(|v| (v.wire.clone(), v.variant.clone(), v.doc.clone()))
                    .collect(),
            })
            .collect(),
        actions,
    })
}

fn plan_codes(model: &Model, overlay: &Overlay) -> Result<Vec<CodePlan>, String> {
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for action in &model.actions {
        for e in &action.errors {
            used.entry(e.code.clone())
                .or_default()
                .push(format!("`{}` (HTTP {})", action.name, e.status));
        }
    }
    let all: BTreeSet<String> = used.keys().chain(overlay.codes.keys()).cloned().collect();
    let mut codes = Vec::new();
    let mut variants = BTreeMap::new();
    for wire in all {
        if GATEWAY_CODES.contains(&wire.as_str()) {
            if overlay.codes.contains_key(&wire) {
                return Err(format!("the overlay documents the gateway code {wire}"));
            }
            continue;
        }
        let over = overlay.codes.get(&wire).cloned().unwrap_or_default();
        let variant = over.variant.clone().unwrap_or_else(|| code_variant(&wire));
        if let Some(other) = variants.insert(variant.clone(), wire.clone()) {
            return Err(format!(
                "the codes {other} and {wire} both make the variant {variant}"
            ));
        }
        let mut doc = format!("`{wire}`");
        match &over.doc {
            Some(text) => doc.push_str(&format!(": {text}")),
            None => doc.push('.'),
        }
        if let Some(actions) = used.get(&wire) {
            let shown: Vec<&str> = actions.iter().map(String::as_str).take(4).collect();
            let more = actions.len().saturating_sub(shown.len());
            doc.push_str(&format!(" Answered by {}", shown.join(", ")));
            if more > 0 {
                doc.push_str(&format!(" and {more} more"));
            }
            doc.push('.');
        }
        codes.push(CodePlan { wire, variant, doc });
    }
    Ok(codes)
}

fn plan_action(
    action: &Action,
    over: &ActionOverlay,
    overlay: &Overlay,
) -> Result<ActionPlan, String> {
    if over.summary.trim().is_empty() {
        return Err("empty summary".into());
    }
    for name in over.params.keys() {
        if !action.params.iter().any(|p| &p.name == name) {
            return Err(format!(
                "the overlay names a parameter the model lacks: {name}"
            ));
        }
    }
    let read_only = match over.idempotency.as_deref() {
        Some("read_only") => true,
        Some("mutating") => false,
        Some(other) => return Err(format!("unknown idempotency {other:?}")),
        None => READ_PREFIXES.iter().any(|p| action.name.starts_with(p)),
    };
    let mut params = Vec::new();
    let mut nested_requests = Vec::new();
    let mut rust_names = BTreeSet::new();
    for param in &action.params {
        let rules = overlay
            .params
            .get(&param.name)
            .cloned()
            .unwrap_or_default()
            .merged(&over.params.get(&param.name).cloned().unwrap_or_default());
        let planned = plan_param(&action.name, param, rules, &mut nested_requests)?;
        if !rust_names.insert(planned.rust.clone()) || planned.rust == "build" {
            return Err(format!("two parameters make the setter {}", planned.rust));
        }
        params.push(planned);
    }
    let mut responses = Vec::new();
    let mut ctx = ResponseCtx {
        action: &action.name,
        over,
        overlay,
        structs: &mut responses,
        seen_paths: BTreeSet::new(),
    };
    let fields = action
        .response
        .fields
        .as_deref()
        .ok_or("the response is not an object")?;
    ctx.plan_struct(
        format!("{}Response", action.name),
        "",
        fields,
        format!("The answer to [`{}`].", action.name),
        true,
    )?;
    for path in over.response.keys().chain(over.types.keys()) {
        if !ctx.seen_paths.contains(path) {
            return Err(format!(
                "the overlay names a response path the model lacks: {path}"
            ));
        }
    }
    // The answer is the first struct planned: move it to the front.
    let last = responses.len() - 1;
    let answer = responses.remove(last);
    responses.insert(0, answer);
    mark_eq(&mut responses);
    let paging = plan_paging(action, over, &params, &responses)?;
    Ok(ActionPlan {
        wire: action.name.clone(),
        file: snake_plain(&action.name),
        summary: over.summary.trim().to_owned(),
        doc: over.doc.clone(),
        example: over.example.clone(),
        read_only,
        params,
        nested_requests,
        responses,
        paging,
    })
}

pub fn scalar_of(ty: &Type) -> Option<Scalar> {
    Some(match (ty.kind.as_str(), ty.format.as_deref()) {
        ("string", _) => Scalar::Str,
        ("integer", Some("int32")) => Scalar::I32,
        ("integer", _) => Scalar::I64,
        ("number", _) => Scalar::F64,
        ("boolean", _) => Scalar::Bool,
        _ => return None,
    })
}

fn plan_param(
    action: &str,
    param: &Param,
    rules: ParamOverlay,
    nested: &mut Vec<NestedRequest>,
) -> Result<ParamPlan, String> {
    let what = || {
        format!(
            "parameter {} ({} {:?})",
            param.name, param.ty.kind, param.style
        )
    };
    let items = param.ty.items.as_deref();
    let kind = match param.style {
        Style::Scalar if param.json_text => ParamKind::JsonText,
        Style::Scalar => ParamKind::Scalar(scalar_of(&param.ty).ok_or_else(what)?),
        Style::RepeatList => ParamKind::Repeat(items.and_then(scalar_of).ok_or_else(what)?),
        Style::Json => match items.and_then(scalar_of) {
            Some(s) if param.ty.kind == "array" => ParamKind::JsonList(s),
            _ => {
                if let Some(fields) = items.and_then(|i| i.fields.as_deref()) {
                    nested.push(nested_request(action, param, fields, true)?);
                }
                ParamKind::JsonValue
            }
        },
        Style::FlatList => match items {
            Some(item) if item.kind == "object" => {
                let fields = item.fields.as_deref().ok_or_else(what)?;
                let request = nested_request(action, param, fields, false)?;
                let name = request.name.clone();
                nested.push(request);
                ParamKind::FlatObjects(name)
            }
            Some(item) if item.kind == "map" => ParamKind::FlatMaps,
            _ => return Err(what()),
        },
    };
    Ok(ParamPlan {
        wire: param.name.clone(),
        rust: snake(&param.name),
        kind,
        required: rules.required.or(param.required).unwrap_or(false),
        body: param.location == Location::Body,
        rules,
    })
}

fn nested_request(
    action: &str,
    param: &Param,
    fields: &[Field],
    serialize: bool,
) -> Result<NestedRequest, String> {
    let mut planned = Vec::new();
    for f in fields {
        let scalar =
            scalar_of(&f.ty).ok_or_else(|| format!("{}.{}: not a scalar", param.name, f.name))?;
        planned.push((
            f.name.clone(),
            snake(&f.name),
            scalar,
            f.required.unwrap_or(false),
        ));
    }
    Ok(NestedRequest {
        name: format!("{action}{}", pascal(&param.name)),
        param: param.name.clone(),
        serialize,
        fields: planned,
    })
}

struct ResponseCtx<'a> {
    action: &'a str,
    over: &'a ActionOverlay,
    overlay: &'a Overlay,
    structs: &'a mut Vec<StructPlan>,
    seen_paths: BTreeSet<String>,
}

impl ResponseCtx<'_> {
    /// Plans the struct at `path` (`""` for the answer itself) and every struct under it.
    fn plan_struct(
        &mut self,
        name: String,
        path: &str,
        fields: &[Field],
        doc: String,
        top: bool,
    ) -> Result<(), String> {
        let mut planned = Vec::new();
        let mut rust_names = BTreeSet::new();
        for field in fields {
            let field_path = if path.is_empty() {
                field.name.clone()
            } else {
                format!("{path}.{}", field.name)
            };
            self.seen_paths.insert(field_path.clone());
            let rules = self
                .overlay
                .fields
                .get(&field.name)
                .cloned()
                .unwrap_or_default()
                .merged(
                    &self
                        .over
                        .response
                        .get(&field_path)
                        .cloned()
                        .unwrap_or_default(),
                );
            let request_id = top && field.name == "RequestId";
            let (ty, wrapped) = if request_id {
                (RType::Scalar(Scalar::Str), None)
            } else {
                self.field_type(&field_path, &field.ty, &field.name, &rules)?
            };
            let millis = ty == RType::Millis;
            let rust = match &rules.rename {
                Some(name) => name.clone(),
                None if millis && field.name.ends_with("Millis") => {
                    format!("{}_at", snake_plain(field.name.trim_end_matches("Millis")))
                }
                None => snake(&field.name),
            };
            if !rust_names.insert(rust.clone()) {
                return Err(format!("two fields of {name} make {rust}"));
            }
            let mut doc = match &wrapped {
                Some(inner) => format!("`{}.{inner}`", field.name),
                None => format!("`{}`", field.name),
            };
            match (&rules.doc, millis, &wrapped) {
                (Some(text), _, _) => doc.push_str(&format!(": {text}")),
                (None, true, _) => doc.push_str(", as a time (sent as Unix milliseconds)."),
                (None, false, Some(_)) => doc.push_str(": the list inside the wrapper object."),
                (None, false, None) if request_id => {
                    doc.push_str(": the id of this request, for support.")
                }
                (None, false, None) => doc.push('.'),
            }
            planned.push(FieldPlan {
                wire: field.name.clone(),
                rust,
                ty,
                required: rules.required || request_id,
                doc,
                request_id,
                wrapped: wrapped.is_some(),
            });
        }
        self.structs.push(StructPlan {
            name,
            doc,
            fields: planned,
            eq: true,
        });
        Ok(())
    }

    /// The Rust type of a response field, and the wrapper's inner name when a wrapper object
    /// (an object whose only field is a list) stands for its list.
    fn field_type(
        &mut self,
        path: &str,
        ty: &Type,
        wire: &str,
        rules: &FieldOverlay,
    ) -> Result<(RType, Option<String>), String> {
        if let Some(forced) = &rules.rust_type {
            let t = match forced.as_str() {
                "u64" => RType::U64,
                "u32" => RType::U32,
                "i64" => RType::Scalar(Scalar::I64),
                "String" => RType::Scalar(Scalar::Str),
                "eui" => RType::Eui,
                "millis" => RType::Millis,
                name if self.overlay.enums.contains_key(name) => RType::Enum(name.to_owned()),
                other => return Err(format!("{path}: unknown rust_type {other:?}")),
            };
            return Ok((t, None));
        }
        if let Some((name, _)) = self
            .overlay
            .enums
            .iter()
            .find(|(_, e)| e.fields.iter().any(|f| f == wire))
        {
            if matches!(ty.kind.as_str(), "string" | "integer") {
                return Ok((RType::Enum(name.clone()), None));
            }
        }
        match ty.kind.as_str() {
            "integer" if wire.ends_with("Millis") => Ok((RType::Millis, None)),
            "string" | "integer" | "number" | "boolean" => {
                Ok((RType::Scalar(scalar_of(ty).expect("a scalar")), None))
            }
            "any" => Ok((RType::Value, None)),
            "map" => Ok((RType::Map, None)),
            "array" => {
                let item = ty
                    .items
                    .as_deref()
                    .ok_or_else(|| format!("{path}: a list without items"))?;
                let item_path = format!("{path}[]");
                self.seen_paths.insert(item_path.clone());
                let (item_ty, _) = self.item_type(&item_path, item, wire)?;
                Ok((RType::List(Box::new(item_ty)), None))
            }
            "object" => {
                let fields = ty.fields.as_deref().unwrap_or(&[]);
                if fields.is_empty() {
                    return Ok((RType::Value, None));
                }
                if let [only] = fields {
                    if only.ty.kind == "array" && !self.over.types.contains_key(path) {
                        // A wrapper object: the list stands for it.
                        let inner_path = format!("{path}.{}", only.name);
                        self.seen_paths.insert(inner_path.clone());
                        let (list, _) = self.field_type(
                            &inner_path,
                            &only.ty,
                            &only.name,
                            &FieldOverlay::default(),
                        )?;
                        return Ok((list, Some(only.name.clone())));
                    }
                }
                let name = self.type_name(path);
                let doc = format!("`{path}` of [`{}Response`].", self.action);
                self.plan_struct(name.clone(), path, fields, doc, false)?;
                Ok((RType::Struct(name), None))
            }
            other => Err(format!("{path}: unknown type {other}")),
        }
    }

    fn item_type(
        &mut self,
        path: &str,
        item: &Type,
        wire: &str,
    ) -> Result<(RType, Option<String>), String> {
        match item.kind.as_str() {
            "object" if item.fields.as_deref().is_some_and(|f| !f.is_empty()) => {
                let name = self.type_name(path);
                let doc = format!(
                    "An item of `{}` of [`{}Response`].",
                    path.trim_end_matches("[]"),
                    self.action
                );
                self.plan_struct(
                    name.clone(),
                    path,
                    item.fields.as_deref().unwrap_or(&[]),
                    doc,
                    false,
                )?;
                Ok((RType::Struct(name), None))
            }
            _ => self.field_type(path, item, wire, &FieldOverlay::default()),
        }
    }

    /// The overlay's name for the struct at `path`, or the action's name followed by the
    /// path's names (`ListOwnedJoinPermissionsDataList`).
    fn type_name(&self, path: &str) -> String {
        if let Some(name) = self.over.types.get(path) {
            return name.clone();
        }
        let parts: Vec<&str> = path.split('.').map(|p| p.trim_end_matches("[]")).collect();
        let mut name = self.action.to_owned();
        for (i, part) in parts.iter().enumerate() {
            // A wrapper named after its items (`SmsSendDetailDTOs.SmsSendDetailDTO`,
            // `TagResources.TagResource`) adds nothing to the name.
            if parts.get(i + 1).is_some_and(|next| part.starts_with(next)) {
                continue;
            }
            name.push_str(&pascal(part));
        }
        name
    }
}

/// Sets `eq` on every struct whose fields, nested structs included, hold no float.
fn mark_eq(structs: &mut [StructPlan]) {
    let mut floaty: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = floaty.len();
        for s in structs.iter() {
            let nested_float = |t: &RType| -> bool {
                match t {
                    RType::Struct(n) => floaty.contains(n),
                    RType::List(item) => matches!(&**item, RType::Struct(n) if floaty.contains(n)),
                    _ => false,
                }
            };
            if s.fields
                .iter()
                .any(|f| f.ty.has_float() || nested_float(&f.ty))
            {
                floaty.insert(s.name.clone());
            }
        }
        if floaty.len() == before {
            break;
        }
    }
    for s in structs {
        s.eq = !floaty.contains(&s.name);
    }
}

fn plan_paging(
    action: &Action,
    over: &ActionOverlay,
    params: &[ParamPlan],
    responses: &[StructPlan],
) -> Result<Option<PagingPlan>, String> {
    if over.paging.as_ref().is_some_and(|p| p.none) {
        return Ok(None);
    }
    let find = |names: &[&str]| params.iter().position(|p| names.contains(&p.wire.as_str()));
    let (cursor, cursor_param, size_param) =
        if let (Some(c), Some(s)) = (find(&["Offset"]), find(&["Limit"])) {
            (CursorKind::Offset, c, Some(s))
        } else if let (Some(c), Some(s)) = (
            find(&["PageNumber", "PageIndex", "CurrentPage", "PageNo"]),
            find(&["PageSize"]),
        ) {
            (CursorKind::Page, c, Some(s))
        } else if let Some(c) = find(&["NextToken"]) {
            (CursorKind::Token, c, find(&["MaxResults", "PageSize"]))
        } else {
            if over.paging.is_some() {
                return Err("paging in the overlay, but no paging parameters".into());
            }
            return Ok(None);
        };
    // Walk the response structs by wire path.
    let answer = &responses[0];
    let by_name: BTreeMap<&str, &StructPlan> =
        responses.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut lists = Vec::new();
    let mut totals = Vec::new();
    let mut tokens = Vec::new();
    let mut stack = vec![(answer, Vec::<(String, bool)>::new(), String::new())];
    while let Some((s, rust_path, wire_path)) = stack.pop() {
        for f in &s.fields {
            let mut rp = rust_path.clone();
            rp.push((f.rust.clone(), f.required));
            let wp = if wire_path.is_empty() {
                f.wire.clone()
            } else {
                format!("{wire_path}.{}", f.wire)
            };
            match &f.ty {
                RType::List(item) => {
                    if let RType::Struct(n) = &**item {
                        lists.push((wp, rp, n.clone()));
                    }
                }
                RType::Struct(n) => stack.push((by_name[n.as_str()], rp, wp)),
                t if ["TotalCount", "Total", "TotalSize"].contains(&f.wire.as_str()) => {
                    totals.push((wp, rp, t.clone()))
                }
                RType::Scalar(Scalar::Str) if f.wire == "NextToken" => tokens.push(rp),
                _ => {}
            }
        }
    }
    let wanted_items = over.paging.as_ref().and_then(|p| p.items.clone());
    let list =
        match wanted_items {
            Some(path) => lists
                .into_iter()
                .find(|(wp, _, _)| *wp == path)
                .ok_or_else(|| format!("paging items {path} not found"))?,
            None => match lists.len() {
                1 => lists.remove(0),
                0 => return Err(
                    "a paging action without a list of items in its answer; say so in the overlay"
                        .into(),
                ),
                _ => {
                    return Err(format!(
                        "several lists in the answer ({}); name one in the overlay's paging.items",
                        lists
                            .iter()
                            .map(|l| l.0.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            },
        };
    let wanted_total = over.paging.as_ref().and_then(|p| p.total.clone());
    let total = match wanted_total {
        Some(path) => Some(
            totals
                .into_iter()
                .find(|(wp, _, _)| *wp == path)
                .ok_or_else(|| format!("paging total {path} not found"))?,
        ),
        None if totals.len() == 1 => Some(totals.remove(0)),
        None => None,
    };
    if matches!(cursor, CursorKind::Token) && tokens.is_empty() {
        return Err("a NextToken parameter without a NextToken in the answer".into());
    }
    let _ = action;
    Ok(Some(PagingPlan {
        cursor,
        cursor_param,
        size_param,
        items: list.1,
        item_type: list.2,
        total: total.map(|(_, rp, t)| (rp, t)),
        next_token: tokens.into_iter().next(),
    }))
}
