//! Serving a LinkWAN or Dysmsapi action once the gateway has let it through: its stateful
//! handler when the emulator keeps state for it, else the generic layer, which answers every
//! action of the models the client is generated from.
//!
//! The generic layer checks the request against the model ([`checks`](super::checks)) and
//! answers a success body of the modeled shape ([`synth`](super::synth)), a page of a seeded
//! collection for a listing ([`paging`](super::paging)). To give an action state of its own,
//! add its handler to its product's `STATEFUL` table (`linkwan::STATEFUL`, `sms::STATEFUL`):
//! the table is looked up first, so the generic answer steps aside.

use std::collections::BTreeMap;

use super::gateway::{ApiError, ApiResult, Call, Product};
use super::model::{self, ActionSpec, ProductModel, Style};
use super::state::State;
use super::synth::{seed_of, Synth};
use super::{checks, linkwan, paging, sms};

/// A stateful handler: answers one action from (and into) the emulator's state.
pub(crate) type Handler = fn(&mut State, &Call<'_>) -> ApiResult;

/// The stateful handler of an action, if it has one.
pub(crate) fn stateful(product: Product, action: &str) -> Option<Handler> {
    let table = match product {
        Product::LinkWan => linkwan::STATEFUL,
        Product::Dysmsapi => sms::STATEFUL,
        Product::Sts => &[],
    };
    table
        .iter()
        .find(|(name, _)| *name == action)
        .map(|(_, handler)| *handler)
}

/// The product of a modeled action, or of one with a stateful handler.
pub(crate) fn product_of(action: &str) -> Option<Product> {
    if let Some((model, _)) = model::find(action) {
        return Some(model.product);
    }
    [Product::LinkWan, Product::Dysmsapi]
        .into_iter()
        .find(|p| stateful(*p, action).is_some())
}

/// Serves an authenticated LinkWAN or Dysmsapi call.
pub(crate) fn serve(
    state: &mut State,
    product: Product,
    action: &str,
    call: &Call<'_>,
) -> ApiResult {
    if product == Product::LinkWan {
        // Every LinkWAN page documents these refusals, before any parameter is read.
        linkwan::admit(call)?;
    }
    if let Some(handler) = stateful(product, action) {
        return handler(state, call);
    }
    match model::find(action) {
        Some((model, spec)) if model.product == product => answer(model, spec, call),
        _ => Err(ApiError {
            status: 404,
            code: "InvalidAction.NotFound",
            message: "Specified api is not found, please check your url and method.".into(),
            shape: super::gateway::Shape::Gateway,
        }),
    }
}

/// The generic answer: the request checked against the model, then a body of the model's
/// shape seeded by the action and its business parameters.
fn answer(model: &'static ProductModel, spec: &'static ActionSpec, call: &Call<'_>) -> ApiResult {
    checks::check(spec, call.request)?;
    let params = checks::business_params(spec, call.request);
    let mut echo: BTreeMap<String, String> = spec
        .params
        .iter()
        .filter(|p| p.style == Style::Scalar && !p.json_text)
        .filter_map(|p| Some((p.name.clone(), params.get(p.name.as_str())?.to_string())))
        .collect();
    let page = match &spec.paging {
        Some(paging) => {
            // The collection is the same whatever page is asked for.
            let filters: BTreeMap<&str, &str> = params
                .iter()
                .filter(|(name, _)| !paging.is_paging_param(name))
                .map(|(name, value)| (*name, *value))
                .collect();
            let collection = seed_of(&spec.name, &filters);
            let page = paging::page(paging, &params, collection)?;
            for (name, value) in &page.echo {
                echo.insert(name.clone(), value.to_string());
            }
            Some((page, collection))
        }
        None => None,
    };
    let synth = Synth {
        product: model,
        action: spec,
        now: call.now,
        echo,
        page,
    };
    Ok(synth.body(seed_of(&spec.name, &params)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stateful_action_is_modeled_in_its_product() {
        for product in [Product::LinkWan, Product::Dysmsapi] {
            let table = match product {
                Product::LinkWan => linkwan::STATEFUL,
                _ => sms::STATEFUL,
            };
            for (action, _) in table {
                let (model, _) = model::find(action).unwrap();
                assert_eq!(model.product, product, "{action}");
            }
        }
        assert_eq!(product_of("ListTagResources"), Some(Product::Dysmsapi));
        assert_eq!(product_of("ListGateways"), Some(Product::LinkWan));
        assert_eq!(product_of("AssumeRole"), None);
    }
}
