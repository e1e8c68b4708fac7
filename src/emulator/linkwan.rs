//! LinkWAN: join permissions and their authorization orders.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::accounts::{self, OTHER, OWNER};
use super::gateway::{ApiError, ApiResult, Call};
use super::generic::Handler;
use super::limits::MAX_ORDERS;

/// The LinkWAN actions with state of their own: answered by these handlers, not by the generic
/// layer (which checks and answers every other modeled action).
pub(crate) const STATEFUL: &[(&str, Handler)] = &[
    ("SubmitJoinPermissionAuthOrder", |state, call| {
        state.linkwan.submit(call)
    }),
    ("GetJoinPermissionAuthOrder", |state, call| {
        state.linkwan.get_order(call)
    }),
    ("GetOwnedJoinPermission", |state, call| {
        state.linkwan.get_owned(call)
    }),
];

/// The first authorization order id handed out.
const FIRST_ORDER_ID: u64 = 1234;
/// Unknown renters in a row before an account is locked out of SubmitJoinPermissionAuthOrder.
const MAX_RENTER_FAILURES: u32 = 5;
/// How long the lockout lasts after the last failure.
const RENTER_LOCKOUT_MINUTES: i64 = 10;

/// A join permission (入网凭证).
#[derive(Debug, Clone)]
struct JoinPermission {
    owner: &'static str,
    name: &'static str,
    join_eui: &'static str,
    class_mode: &'static str,
    freq_band_plan_group_id: i64,
    data_rate: i64,
    rx_delay: i64,
    enabled: bool,
    multicast_enabled: bool,
    multicast_node_capacity: i64,
    multicast_node_count: i64,
    nodes_cnt: i64,
    data_dispatch_destination: &'static str,
    bound_product_name: Option<&'static str>,
    create_millis: i64,
}

/// The state of an authorization order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrderState {
    Applying,
    Accepted,
    Rejected,
    Canceled,
}

impl OrderState {
    fn as_str(self) -> &'static str {
        match self {
            OrderState::Applying => "APPLYING",
            OrderState::Accepted => "ACCEPTED",
            OrderState::Rejected => "REJECTED",
            OrderState::Canceled => "CANCELED",
        }
    }
}

/// An authorization order (授权工单).
#[derive(Debug, Clone)]
struct Order {
    permission_id: String,
    owner: String,
    renter: String,
    state: OrderState,
    applying_millis: i64,
    accepted_millis: Option<i64>,
    rejected_millis: Option<i64>,
    canceled_millis: Option<i64>,
}

/// LinkWAN's state.
#[derive(Debug)]
pub(crate) struct LinkWan {
    permissions: BTreeMap<String, JoinPermission>,
    orders: BTreeMap<u64, Order>,
    next_order_id: u64,
    /// Caller's Aliyun ID → (unknown renters in a row, time of the last one). Callers are
    /// authenticated accounts of [`accounts`], so this holds at most one entry per account.
    renter_failures: HashMap<String, (u32, DateTime<Utc>)>,
}

impl LinkWan {
    /// The seeded join permissions: `123` and `124` of OWNER, `900` of OTHER.
    pub fn seeded() -> LinkWan {
        let documented = JoinPermission {
            owner: OWNER.aliyun_id,
            name: "凭证1",
            join_eui: "0000000000000000",
            class_mode: "A",
            freq_band_plan_group_id: 102,
            data_rate: 4,
            rx_delay: 1,
            enabled: true,
            multicast_enabled: false,
            multicast_node_capacity: 1000,
            multicast_node_count: 10,
            nodes_cnt: 10,
            data_dispatch_destination: "IOT",
            bound_product_name: Some("产品名称"),
            create_millis: 1_514_736_000_000,
        };
        let second = JoinPermission {
            name: "凭证2",
            join_eui: "70B3D57ED0001A2B",
            multicast_node_count: 0,
            nodes_cnt: 0,
            bound_product_name: None,
            create_millis: 1_546_272_000_000,
            ..documented.clone()
        };
        let other = JoinPermission {
            owner: OTHER.aliyun_id,
            name: "other-permission",
            join_eui: "70B3D57ED0000900",
            nodes_cnt: 3,
            multicast_node_count: 0,
            bound_product_name: None,
            ..documented.clone()
        };
        let permissions = BTreeMap::from([
            (accounts::JOIN_PERMISSION_ID.to_owned(), documented),
            (accounts::SECOND_JOIN_PERMISSION_ID.to_owned(), second),
            (accounts::OTHER_JOIN_PERMISSION_ID.to_owned(), other),
        ]);
        LinkWan {
            permissions,
            orders: BTreeMap::new(),
            next_order_id: FIRST_ORDER_ID,
            renter_failures: HashMap::new(),
        }
    }

    /// The renter accepts an APPLYING order.
    pub fn accept(&mut self, order_id: u64, now: DateTime<Utc>) -> bool {
        self.transition(order_id, &[OrderState::Applying], |o| {
            o.state = OrderState::Accepted;
            o.accepted_millis = Some(now.timestamp_millis());
        })
    }

    /// The renter rejects an APPLYING order.
    pub fn reject(&mut self, order_id: u64, now: DateTime<Utc>) -> bool {
        self.transition(order_id, &[OrderState::Applying], |o| {
            o.state = OrderState::Rejected;
            o.rejected_millis = Some(now.timestamp_millis());
        })
    }

    /// The owner cancels an APPLYING or ACCEPTED order.
    pub fn cancel(&mut self, order_id: u64, now: DateTime<Utc>) -> bool {
        self.transition(
            order_id,
            &[OrderState::Applying, OrderState::Accepted],
            |o| {
                o.state = OrderState::Canceled;
                o.canceled_millis = Some(now.timestamp_millis());
            },
        )
    }

    fn transition(
        &mut self,
        id: u64,
        from: &[OrderState],
        change: impl FnOnce(&mut Order),
    ) -> bool {
        match self.orders.get_mut(&id) {
            Some(order) if from.contains(&order.state) => {
                change(order);
                true
            }
            _ => false,
        }
    }

    /// Beyond [`MAX_ORDERS`], forgets the oldest REJECTED or CANCELED orders. A new order needs
    /// its permission's previous one finished, so all but one order per permission are
    /// finished and the latest order of each permission, which decides its state, stays.
    fn forget_old_orders(&mut self) {
        while self.orders.len() > MAX_ORDERS {
            let oldest_finished = self
                .orders
                .iter()
                .find(|(_, o)| matches!(o.state, OrderState::Rejected | OrderState::Canceled))
                .map(|(id, _)| *id);
            match oldest_finished {
                Some(id) => self.orders.remove(&id),
                None => break,
            };
        }
    }

    /// The most recent order of a permission.
    fn latest_order(&self, permission_id: &str) -> Option<&Order> {
        self.orders
            .values()
            .rev()
            .find(|o| o.permission_id == permission_id)
    }

    fn submit(&mut self, call: &Call<'_>) -> ApiResult {
        let permission_id = call.required("JoinPermissionId")?;
        let renter = call.required("RenterAliyunId")?;
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

        if self
            .latest_order(permission_id)
            .is_some_and(|o| matches!(o.state, OrderState::Applying | OrderState::Accepted))
        {
            return Err(ApiError::bad_request(
                "JoinPermissionAlreadyAuthorized",
                "The specified join permission has already been granted to another renter.",
            ));
        }

        let id = self.next_order_id;
        self.next_order_id += 1;
        self.orders.insert(
            id,
            Order {
                permission_id: permission_id.to_owned(),
                owner: caller.to_owned(),
                renter: renter.to_owned(),
                state: OrderState::Applying,
                applying_millis: call.now.timestamp_millis(),
                accepted_millis: None,
                rejected_millis: None,
                canceled_millis: None,
            },
        );
        self.forget_old_orders();
        Ok(success(Value::String(id.to_string())))
    }

    fn get_order(&self, call: &Call<'_>) -> ApiResult {
        let order_id = call.required("OrderId")?;
        let (id, order) = order_id
            .parse::<u64>()
            .ok()
            .and_then(|id| Some((id, self.orders.get(&id)?)))
            .ok_or_else(non_existent)?;
        let caller = call.caller.aliyun_id;
        if order.owner != caller && order.renter != caller {
            return Err(not_resource_owner());
        }
        let mut data = Map::new();
        data.insert("OrderId".into(), json!(id.to_string()));
        data.insert("JoinPermissionId".into(), json!(order.permission_id));
        data.insert("OrderState".into(), json!(order.state.as_str()));
        data.insert("OwnerAliyunId".into(), json!(order.owner));
        data.insert("RenterAliyunId".into(), json!(order.renter));
        data.insert("ApplyingMillis".into(), json!(order.applying_millis));
        for (name, millis) in [
            ("AcceptedMillis", order.accepted_millis),
            ("RejectedMillis", order.rejected_millis),
            ("CanceledMillis", order.canceled_millis),
        ] {
            if let Some(millis) = millis {
                data.insert(name.into(), json!(millis));
            }
        }
        Ok(success(Value::Object(data)))
    }

    fn get_owned(&self, call: &Call<'_>) -> ApiResult {
        let permission_id = call.required("JoinPermissionId")?;
        let p = self
            .permissions
            .get(permission_id)
            .ok_or_else(non_existent)?;
        if p.owner != call.caller.aliyun_id {
            return Err(not_resource_owner());
        }
        // AuthState has three documented values: a REJECTED or CANCELED latest order leaves the
        // permission NEW again, free to be granted.
        let live = self
            .latest_order(permission_id)
            .filter(|o| matches!(o.state, OrderState::Applying | OrderState::Accepted));
        let auth_state = live.map_or("NEW", |o| o.state.as_str());
        let renter = live.map(|o| o.renter.as_str());

        let mut data = Map::new();
        // The documented example answers these two String fields as JSON numbers.
        data.insert("JoinPermissionId".into(), number_if_decimal(permission_id));
        data.insert("JoinEui".into(), number_if_decimal(p.join_eui));
        data.insert("JoinPermissionName".into(), json!(p.name));
        data.insert("AuthState".into(), json!(auth_state));
        data.insert("ClassMode".into(), json!(p.class_mode));
        data.insert("CreateMillis".into(), json!(p.create_millis));
        data.insert(
            "DataDispatchDestination".into(),
            json!(p.data_dispatch_destination),
        );
        if let Some(product) = p.bound_product_name {
            data.insert("BoundProductName".into(), json!(product));
        }
        data.insert("DataRate".into(), json!(p.data_rate));
        data.insert("Enabled".into(), json!(p.enabled));
        data.insert(
            "FreqBandPlanGroupId".into(),
            json!(p.freq_band_plan_group_id),
        );
        data.insert("MulticastEnabled".into(), json!(p.multicast_enabled));
        data.insert(
            "MulticastNodeCapacity".into(),
            json!(p.multicast_node_capacity),
        );
        data.insert("MulticastNodeCount".into(), json!(p.multicast_node_count));
        data.insert("NodesCnt".into(), json!(p.nodes_cnt));
        if let Some(renter) = renter {
            data.insert("RenterAliyunId".into(), json!(renter));
        }
        data.insert("RxDelay".into(), json!(p.rx_delay));
        for name in ["RxDailySum", "RxMonthSum", "TxDailySum", "TxMonthSum"] {
            data.insert(name.into(), json!(0));
        }
        Ok(success(Value::Object(data)))
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

fn success(data: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("Success".into(), Value::Bool(true));
    body.insert("Data".into(), data);
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

fn non_existent() -> ApiError {
    ApiError::bad_request("NonExistent", "The specified resource does not exist.")
}

fn not_resource_owner() -> ApiError {
    ApiError::bad_request(
        "NotResourceOwner",
        "You are not authorized to use this resource.",
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::emulator::wire::Incoming;

    /// Submits an order of `permission` to the renter; its id, or the error code.
    fn submit(linkwan: &mut LinkWan, permission: &str) -> Result<u64, &'static str> {
        let query = format!(
            "JoinPermissionId={permission}&RenterAliyunId={}",
            accounts::RENTER.aliyun_id
        );
        let request = Incoming::new("POST", "/", Some(&query), BTreeMap::new(), b"");
        let call = Call {
            caller: OWNER,
            request: &request,
            now: Utc::now(),
        };
        let body = linkwan.submit(&call).map_err(|e| e.code)?;
        Ok(body["Data"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .unwrap())
    }

    #[test]
    fn beyond_the_cap_old_finished_orders_are_forgotten_and_active_ones_stay() {
        let mut linkwan = LinkWan::seeded();
        let applying = submit(&mut linkwan, accounts::SECOND_JOIN_PERMISSION_ID).unwrap();
        for _ in 0..MAX_ORDERS + 5 {
            let id = submit(&mut linkwan, accounts::JOIN_PERMISSION_ID).unwrap();
            assert!(linkwan.cancel(id, Utc::now()));
        }
        assert_eq!(linkwan.orders.len(), MAX_ORDERS);
        assert!(
            linkwan.orders.contains_key(&applying),
            "the oldest order is active"
        );
        assert!(
            !linkwan.orders.contains_key(&(applying + 1)),
            "finished, forgotten"
        );
        assert_eq!(
            submit(&mut linkwan, accounts::SECOND_JOIN_PERMISSION_ID),
            Err("JoinPermissionAlreadyAuthorized")
        );
    }
}
