//! Authorization orders (授权工单): submitted by a join permission's owner, accepted or rejected
//! by the renter, canceled by the owner; over HTTP by the right account, or from the Rust
//! controls ([`Emulator::accept_order`](crate::emulator::Emulator::accept_order) and the like).

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::notifications::Notice;
use super::{
    already_authorized, checked, non_existent, not_resource_owner, numeric_id, success, LinkWan,
};
use crate::emulator::accounts;
use crate::emulator::gateway::{ApiError, ApiResult, Call};
use crate::emulator::limits::MAX_ORDERS;

/// Unknown renters in a row before an account is locked out of SubmitJoinPermissionAuthOrder.
const MAX_RENTER_FAILURES: u32 = 5;
/// How long the lockout lasts after the last failure.
const RENTER_LOCKOUT_MINUTES: i64 = 10;

/// The state of an authorization order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OrderState {
    Applying,
    Accepted,
    Rejected,
    Canceled,
}

impl OrderState {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Applying => "APPLYING",
            OrderState::Accepted => "ACCEPTED",
            OrderState::Rejected => "REJECTED",
            OrderState::Canceled => "CANCELED",
        }
    }
}

/// An authorization order.
#[derive(Debug, Clone)]
pub(super) struct Order {
    pub permission_id: String,
    pub owner: String,
    pub renter: String,
    pub state: OrderState,
    pub applying_millis: i64,
    pub accepted_millis: Option<i64>,
    pub rejected_millis: Option<i64>,
    pub canceled_millis: Option<i64>,
}

impl Order {
    /// The order's fields as `GetJoinPermissionAuthOrder` and a notification's
    /// `JoinPermissionAuthInfo` answer them: ids as strings, and only the times it has reached.
    pub fn fields(&self, id: u64) -> Map<String, Value> {
        let mut data = Map::new();
        data.insert("OrderId".into(), json!(id.to_string()));
        data.insert("JoinPermissionId".into(), json!(self.permission_id));
        data.insert("OrderState".into(), json!(self.state.as_str()));
        data.insert("OwnerAliyunId".into(), json!(self.owner));
        data.insert("RenterAliyunId".into(), json!(self.renter));
        data.insert("ApplyingMillis".into(), json!(self.applying_millis));
        for (name, millis) in [
            ("AcceptedMillis", self.accepted_millis),
            ("RejectedMillis", self.rejected_millis),
            ("CanceledMillis", self.canceled_millis),
        ] {
            if let Some(millis) = millis {
                data.insert(name.into(), json!(millis));
            }
        }
        data
    }
}

impl LinkWan {
    /// The renter accepts an APPLYING order (the Rust control).
    pub fn accept(&mut self, order_id: u64, now: DateTime<Utc>) -> bool {
        self.transition(order_id, OrderState::Accepted, None, now)
            .is_ok()
    }

    /// The renter rejects an APPLYING order (the Rust control).
    pub fn reject(&mut self, order_id: u64, now: DateTime<Utc>) -> bool {
        self.transition(order_id, OrderState::Rejected, None, now)
            .is_ok()
    }

    /// The owner cancels an APPLYING order, or an ACCEPTED one still in effect (the Rust
    /// control, broader than the HTTP action).
    pub fn cancel(&mut self, order_id: u64, now: DateTime<Utc>) -> bool {
        self.transition(order_id, OrderState::Canceled, None, now)
            .is_ok()
    }

    /// Whether order `id` is the one deciding its permission's `AuthState`: APPLYING, or
    /// ACCEPTED and not returned.
    pub(super) fn is_current(&self, id: u64) -> bool {
        self.orders.get(&id).is_some_and(|order| {
            self.permissions
                .get(&order.permission_id)
                .is_some_and(|p| p.current_order == Some(id))
        })
    }

    /// Moves order `id` to `to`. `caller` is the account acting over HTTP, which must be the
    /// renter (accept, reject) or the owner (cancel), and which may only move an APPLYING order;
    /// `None` is a Rust control, which needs no account and may also cancel an ACCEPTED order
    /// still in effect. The permission's `AuthState` follows, and the other party is notified.
    fn transition(
        &mut self,
        id: u64,
        to: OrderState,
        caller: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let current = self.is_current(id);
        let order = self.orders.get_mut(&id).ok_or_else(non_existent)?;
        if let Some(caller) = caller {
            let party = if to == OrderState::Canceled {
                &order.owner
            } else {
                &order.renter
            };
            if party != caller {
                return Err(not_resource_owner());
            }
        }
        let allowed = order.state == OrderState::Applying
            || (caller.is_none()
                && to == OrderState::Canceled
                && order.state == OrderState::Accepted
                && current);
        if !allowed {
            return Err(ApiError::bad_request(
                "IllegalOrderStateTransition",
                "The order status conversion is invalid.",
            ));
        }
        let millis = Some(now.timestamp_millis());
        order.state = to;
        match to {
            OrderState::Accepted => order.accepted_millis = millis,
            OrderState::Rejected => order.rejected_millis = millis,
            OrderState::Canceled => order.canceled_millis = millis,
            OrderState::Applying => {}
        }
        let order = order.clone();
        if to != OrderState::Accepted {
            // REJECTED and CANCELED leave the permission NEW, free to be granted again.
            if let Some(p) = self.permissions.get_mut(&order.permission_id) {
                if p.current_order == Some(id) {
                    p.current_order = None;
                }
            }
        }
        self.notify(id, &order, now);
        Ok(())
    }

    /// Tells the other party of what just happened to an order: the renter of a submission or
    /// a cancellation, the owner of an acceptance or a rejection.
    fn notify(&mut self, id: u64, order: &Order, now: DateTime<Utc>) {
        let recipient = match order.state {
            OrderState::Applying | OrderState::Canceled => &order.renter,
            OrderState::Accepted | OrderState::Rejected => &order.owner,
        };
        let (name, join_eui) = self
            .permissions
            .get(&order.permission_id)
            .map(|p| (p.name.clone(), p.join_eui.clone()))
            .unwrap_or_default();
        self.notifications.push(Notice {
            recipient: recipient.clone(),
            order_id: id,
            order: order.clone(),
            permission_name: name,
            join_eui,
            notice_millis: now.timestamp_millis(),
        });
    }

    /// Beyond [`MAX_ORDERS`], forgets the oldest orders that no longer decide their
    /// permission's state (REJECTED, CANCELED, or ACCEPTED and returned). A permission has at
    /// most one order in effect, so those that do always stay.
    fn forget_old_orders(&mut self) {
        while self.orders.len() > MAX_ORDERS {
            let oldest_over = self.orders.keys().copied().find(|id| !self.is_current(*id));
            match oldest_over {
                Some(id) => self.orders.remove(&id),
                None => break,
            };
        }
    }

    pub(super) fn submit(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "SubmitJoinPermissionAuthOrder", &[])?;
        let permission_id = params.required("JoinPermissionId")?;
        let renter = params.required("RenterAliyunId")?;
        let caller = call.caller.aliyun_id;
        let permission = self
            .permissions
            .get(permission_id)
            .ok_or_else(non_existent)?;
        if permission.owner != caller {
            return Err(not_resource_owner());
        }

        let failures = self
            .renter_failures
            .get(caller)
            .copied()
            .filter(|(_, last)| call.now - *last < Duration::minutes(RENTER_LOCKOUT_MINUTES));
        if failures.is_some_and(|(count, _)| count >= MAX_RENTER_FAILURES) {
            return Err(ApiError::bad_request(
                "TooManyRenterNonExistentFailures",
                "You have entered invalid renter usernames for several times. Try again later.",
            ));
        }
        if !accounts::aliyun_id_exists(renter) {
            let count = failures.map_or(0, |(count, _)| count) + 1;
            self.renter_failures
                .insert(caller.to_owned(), (count, call.now));
            return Err(ApiError::bad_request(
                "RenterDoesNotExist",
                "The specified renter does not exist.",
            ));
        }
        self.renter_failures.remove(caller);

        if permission.current_order.is_some() {
            return Err(already_authorized());
        }

        let id = self.next_order_id;
        self.next_order_id += 1;
        let order = Order {
            permission_id: permission_id.to_owned(),
            owner: caller.to_owned(),
            renter: renter.to_owned(),
            state: OrderState::Applying,
            applying_millis: call.now.timestamp_millis(),
            accepted_millis: None,
            rejected_millis: None,
            canceled_millis: None,
        };
        self.orders.insert(id, order.clone());
        if let Some(p) = self.permissions.get_mut(permission_id) {
            p.current_order = Some(id);
        }
        self.notify(id, &order, call.now);
        self.forget_old_orders();
        Ok(success(Value::String(id.to_string())))
    }

    pub(super) fn get_order(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "GetJoinPermissionAuthOrder", &[])?;
        let id = numeric_id(params.required("OrderId")?)?;
        let order = self.orders.get(&id).ok_or_else(non_existent)?;
        let caller = call.caller.aliyun_id;
        if order.owner != caller && order.renter != caller {
            return Err(not_resource_owner());
        }
        Ok(success(Value::Object(order.fields(id))))
    }

    /// `AcceptJoinPermissionAuthOrder` and `RejectJoinPermissionAuthOrder` (by the renter),
    /// `CancelJoinPermissionAuthOrder` (by the owner).
    pub(super) fn answer_order(&mut self, call: &Call<'_>, action: &str) -> ApiResult {
        let params = checked(call, action, &[])?;
        let id = numeric_id(params.required("OrderId")?)?;
        let to = match action {
            "AcceptJoinPermissionAuthOrder" => OrderState::Accepted,
            "RejectJoinPermissionAuthOrder" => OrderState::Rejected,
            _ => OrderState::Canceled,
        };
        self.transition(id, to, Some(call.caller.aliyun_id), call.now)?;
        Ok(super::done())
    }
}
