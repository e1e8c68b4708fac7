//! LinkWAN: join permissions, their authorization orders, the renter's view of what it rents
//! and the notifications the orders send. The rules are documented in the module documentation
//! of [`emulator`](super), section "LinkWAN".
//!
//! - [`permissions`]: the owner's join permissions (create, list, count, get, update, enable,
//!   delete) and the seeded ones;
//! - [`orders`]: authorization orders and their state machine, over HTTP and from the Rust
//!   controls;
//! - [`rented`]: the renter's view (get, list, count, return);
//! - [`notifications`]: what each party is told of an order.

mod notifications;
mod orders;
mod permissions;
mod rented;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::accounts;
use super::checks;
use super::gateway::{ApiError, Call};
use super::generic::Handler;
use super::model;

use notifications::Notifications;
use orders::Order;
use permissions::JoinPermission;

/// The LinkWAN actions with state of their own: answered by these handlers, not by the generic
/// layer (which checks and answers every other modeled action).
pub(crate) const STATEFUL: &[(&str, Handler)] = &[
    // The owner's join permissions.
    ("CreateLocalJoinPermission", |state, call| {
        state.linkwan.create_local(call)
    }),
    ("ListOwnedJoinPermissions", |state, call| {
        state.linkwan.list_owned(call)
    }),
    ("CountOwnedJoinPermissions", |state, call| {
        state.linkwan.count_owned(call)
    }),
    ("GetOwnedJoinPermission", |state, call| {
        state.linkwan.get_owned(call)
    }),
    ("UpdateOwnedLocalJoinPermission", |state, call| {
        state.linkwan.update_owned(call)
    }),
    (
        "UpdateOwnedLocalJoinPermissionEnablingState",
        |state, call| state.linkwan.update_enabling_state(call),
    ),
    ("DeleteLocalJoinPermission", |state, call| {
        state.linkwan.delete_local(call)
    }),
    // Authorization orders.
    ("SubmitJoinPermissionAuthOrder", |state, call| {
        state.linkwan.submit(call)
    }),
    ("GetJoinPermissionAuthOrder", |state, call| {
        state.linkwan.get_order(call)
    }),
    ("AcceptJoinPermissionAuthOrder", |state, call| {
        state
            .linkwan
            .answer_order(call, "AcceptJoinPermissionAuthOrder")
    }),
    ("RejectJoinPermissionAuthOrder", |state, call| {
        state
            .linkwan
            .answer_order(call, "RejectJoinPermissionAuthOrder")
    }),
    ("CancelJoinPermissionAuthOrder", |state, call| {
        state
            .linkwan
            .answer_order(call, "CancelJoinPermissionAuthOrder")
    }),
    // The renter's view.
    ("GetRentedJoinPermission", |state, call| {
        state.linkwan.get_rented(call)
    }),
    ("ListRentedJoinPermissions", |state, call| {
        state.linkwan.list_rented(call)
    }),
    ("CountRentedJoinPermissions", |state, call| {
        state.linkwan.count_rented(call)
    }),
    ("ReturnJoinPermission", |state, call| {
        state.linkwan.return_permission(call)
    }),
    // Notifications.
    ("ListNotifications", |state, call| {
        state.linkwan.list_notifications(call)
    }),
    ("CountNotifications", |state, call| {
        state.linkwan.count_notifications(call)
    }),
    ("GetNotification", |state, call| {
        state.linkwan.get_notification(call)
    }),
    ("UpdateNotificationsHandleState", |state, call| {
        state.linkwan.update_notifications_handle_state(call)
    }),
];

/// LinkWAN's state.
#[derive(Debug)]
pub(crate) struct LinkWan {
    /// By id: the seeded `123`, `124`, `125`, `900`, then those created, from
    /// [`FIRST_PERMISSION_ID`].
    permissions: BTreeMap<String, JoinPermission>,
    next_permission_id: u64,
    /// By id, in submission order.
    orders: BTreeMap<u64, Order>,
    next_order_id: u64,
    /// Caller's Aliyun ID → (unknown renters in a row, time of the last one). Callers are
    /// authenticated accounts of [`accounts`], so this holds at most one entry per account.
    renter_failures: HashMap<String, (u32, DateTime<Utc>)>,
    notifications: Notifications,
}

/// The first id given to a created join permission (the seeded ones are `123` to `125`, `900`).
const FIRST_PERMISSION_ID: u64 = 1000;
/// The first authorization order id handed out.
const FIRST_ORDER_ID: u64 = 1234;

impl LinkWan {
    /// The seeded state: join permissions `123`, `124` and `125` of OWNER, `900` of OTHER; no
    /// order, no notification.
    pub fn seeded() -> LinkWan {
        LinkWan {
            permissions: permissions::seeded(),
            next_permission_id: FIRST_PERMISSION_ID,
            orders: BTreeMap::new(),
            next_order_id: FIRST_ORDER_ID,
            renter_failures: HashMap::new(),
            notifications: Notifications::default(),
        }
    }
}

/// The product-wide refusals every LinkWAN action documents, checked before the action reads
/// its parameters: a RAM user whose policy does not grant LinkWAN (`ForbiddenByRam`), an
/// account under risk control (`ForbiddenByRiskControl`), an account that has not activated
/// LinkWAN (`CloudProductNotActivated`). All HTTP 400, like every LinkWAN error.
pub(crate) fn admit(call: &Call<'_>) -> Result<(), ApiError> {
    if call.caller == accounts::RAM_USER_WITHOUT_LINKWAN {
        return Err(ApiError::bad_request(
            "ForbiddenByRam",
            "User not authorized to operate on the specified resource, or this API does not support RAM.",
        ));
    }
    if call.caller.aliyun_id == accounts::RISK_CONTROLLED.aliyun_id {
        return Err(ApiError::bad_request(
            "ForbiddenByRiskControl",
            "This operation cannot be performed because of security risks.",
        ));
    }
    if call.caller.aliyun_id == accounts::LINKWAN_NOT_ACTIVATED.aliyun_id {
        return Err(ApiError::bad_request(
            "CloudProductNotActivated",
            "The Link WAN service has not been activated.",
        ));
    }
    Ok(())
}

/// The request checked against the action's model (required parameters, types, the overlay's
/// limits but those of `own`), then its parameters as the handler reads them.
fn checked<'a>(call: &'a Call<'a>, action: &str, own: &[&str]) -> Result<Params<'a>, ApiError> {
    if let Some((_, spec)) = model::find(action) {
        checks::check_except(spec, call.request, own)?;
    }
    Ok(Params { call })
}

/// A request's parameters, once the model's checks have passed; an empty one counts as absent.
struct Params<'a> {
    call: &'a Call<'a>,
}

impl<'a> Params<'a> {
    fn text(&self, name: &str) -> Option<&'a str> {
        self.call.request.param(name).filter(|v| !v.is_empty())
    }

    /// A required parameter (the checks saw that it is there).
    fn required(&self, name: &str) -> Result<&'a str, ApiError> {
        self.text(name).ok_or_else(|| ApiError::missing(name))
    }

    fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.text(name)
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| invalid(name, "expected an integer"))
            })
            .transpose()
    }

    fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.text(name)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(invalid(name, "expected true or false")),
            })
            .transpose()
    }

    /// A parameter that must be one of `values` when sent.
    fn one_of(&self, name: &str, values: &[&str]) -> Result<Option<&'a str>, ApiError> {
        match self.text(name) {
            Some(v) if !values.contains(&v) => Err(invalid(
                name,
                &format!("expected one of {}, got {v:?}", values.join(", ")),
            )),
            v => Ok(v),
        }
    }

    /// The entries `Name.1`, `Name.2`, ... of a list parameter (the checks saw them numbered
    /// without gaps), empty ones left out.
    fn list(&self, name: &str) -> Vec<&'a str> {
        (1..)
            .map_while(|i| self.call.request.param(&format!("{name}.{i}")))
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// `Ascending` (default true) of a listing whose `SortingField`, when sent, must be one of
    /// `sorting_fields` (`None`: any is accepted).
    fn ascending(&self, sorting_fields: Option<&[&str]>) -> Result<bool, ApiError> {
        if let Some(fields) = sorting_fields {
            self.one_of("SortingField", fields)?;
        }
        Ok(self.flag("Ascending")?.unwrap_or(true))
    }

    /// The page `Offset` / `Limit` asks for, of `items` already filtered and sorted, each
    /// rendered by `render`, as `{"TotalCount","List"}`. The model's checks saw to `Offset` ≥ 0
    /// and `Limit` 1 to 200.
    fn page<T>(
        &self,
        items: Vec<T>,
        render: impl FnMut(T) -> Value,
    ) -> Result<Map<String, Value>, ApiError> {
        let offset = self.int("Offset")?.unwrap_or(0).max(0);
        let limit = self.int("Limit")?.unwrap_or(0).max(0);
        let total = items.len();
        let skip = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        let list: Vec<Value> = items
            .into_iter()
            .skip(skip)
            .take(take)
            .map(render)
            .collect();
        Ok(success(json!({"TotalCount": total, "List": list})))
    }
}

/// Whether `text` contains `needle`, ASCII letters in any case; no needle matches everything.
fn fuzzy(text: &str, needle: Option<&str>) -> bool {
    needle.is_none_or(|needle| {
        text.to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
    })
}

/// Sorts by `key`, ascending or not (keys end with the id, so equal times keep a fixed order).
fn sort_by_key<T, K: Ord>(items: &mut [T], ascending: bool, key: impl Fn(&T) -> K) {
    items.sort_by(|a, b| {
        let order = key(a).cmp(&key(b));
        if ascending {
            order
        } else {
            order.reverse()
        }
    });
}

fn success(data: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("Success".into(), Value::Bool(true));
    body.insert("Data".into(), data);
    body
}

/// `{"RequestId","Success":true}`, the answer of an action that returns nothing.
fn done() -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("Success".into(), Value::Bool(true));
    body
}

/// A JSON number when the text is all decimal digits and fits (so `0000000000000000` is `0`),
/// else the text.
fn number_if_decimal(text: &str) -> Value {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<u64>() {
            return json!(n);
        }
    }
    json!(text)
}

/// A numeric id as the path to it: `NonExistent` when it is not one.
fn numeric_id(text: &str) -> Result<u64, ApiError> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| text.parse().ok())
        .flatten()
        .ok_or_else(non_existent)
}

fn invalid(name: &str, why: &str) -> ApiError {
    checks::invalid(name, why)
}

fn non_existent() -> ApiError {
    ApiError::bad_request("NonExistent", "The specified resource does not exist.")
}

fn not_resource_owner() -> ApiError {
    ApiError::bad_request(
        "NotResourceOwner",
        "You are not authorized to use this resource.",
    )
}

fn already_authorized() -> ApiError {
    ApiError::bad_request(
        "JoinPermissionAlreadyAuthorized",
        "The specified join permission has already been granted to another renter.",
    )
}

#[cfg(test)]
mod tests;
