//! The renter's view: the join permissions an account rents (those whose order it accepted and
//! has not returned), read, listed, counted and returned over HTTP.

use serde_json::{json, Map, Value};

use super::orders::{Order, OrderState};
use super::permissions::{JoinPermission, SORTING_FIELDS};
use super::{checked, fuzzy, non_existent, not_resource_owner, sort_by_key, success, LinkWan};
use super::{done, Params};
use crate::emulator::gateway::{ApiError, ApiResult, Call};

/// The documented join permission types. The emulator keeps local ones only: `ROAMING` finds
/// nothing.
const TYPES: &[&str] = &["LOCAL", "ROAMING"];

/// The renter's listing filters, shared by `ListRentedJoinPermissions` and
/// `CountRentedJoinPermissions`.
struct RentedFilter<'a> {
    name: Option<&'a str>,
    join_eui: Option<&'a str>,
    owner: Option<&'a str>,
    enabled: Option<bool>,
    bound_node_group: Option<bool>,
    roaming: bool,
}

impl<'a> RentedFilter<'a> {
    fn read(params: &Params<'a>) -> Result<RentedFilter<'a>, ApiError> {
        Ok(RentedFilter {
            name: params.text("FuzzyJoinPermissionName"),
            join_eui: params.text("FuzzyJoinEui"),
            owner: params.text("FuzzyOwnerAliyunId"),
            enabled: params.flag("Enabled")?,
            bound_node_group: params.flag("BoundNodeGroup")?,
            roaming: params.one_of("Type", TYPES)? == Some("ROAMING"),
        })
    }

    fn matches(&self, p: &JoinPermission) -> bool {
        // No node group is bound in the emulator (node groups have no state).
        let bound = false;
        !self.roaming
            && fuzzy(&p.name, self.name)
            && fuzzy(&p.join_eui, self.join_eui)
            && fuzzy(&p.owner, self.owner)
            && self.enabled.is_none_or(|e| e == p.enabled)
            && self.bound_node_group.is_none_or(|b| b == bound)
    }
}

impl LinkWan {
    /// The permission `id` the caller rents, with its accepted order: `NonExistent` when there
    /// is no such permission, `NotResourceOwner` when the caller does not rent it (its owner
    /// included).
    fn rented(&self, id: &str, call: &Call<'_>) -> Result<(&JoinPermission, &Order), ApiError> {
        let p = self.permissions.get(id).ok_or_else(non_existent)?;
        p.current_order
            .and_then(|order| self.orders.get(&order))
            .filter(|o| o.state == OrderState::Accepted && o.renter == call.caller.aliyun_id)
            .map(|order| (p, order))
            .ok_or_else(not_resource_owner)
    }

    /// The permissions the caller rents matching the filters, sorted by creation (then id).
    fn rented_matching(
        &self,
        call: &Call<'_>,
        filter: &RentedFilter<'_>,
        ascending: bool,
    ) -> Vec<(&String, &JoinPermission)> {
        let mut found: Vec<_> = self
            .permissions
            .iter()
            .filter(|(id, _)| self.rented(id, call).is_ok())
            .filter(|(_, p)| filter.matches(p))
            .collect();
        sort_by_key(&mut found, ascending, |(id, p)| {
            (p.create_millis, id.parse::<u64>().unwrap_or(u64::MAX))
        });
        found
    }

    pub(super) fn get_rented(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "GetRentedJoinPermission", &[])?;
        let id = params.required("JoinPermissionId")?;
        let (p, _) = self.rented(id, call)?;
        let mut data = Map::new();
        data.insert("JoinPermissionId".into(), json!(id));
        data.insert("JoinPermissionName".into(), json!(p.name));
        data.insert("Type".into(), json!("LOCAL"));
        data.insert("JoinEui".into(), json!(p.join_eui));
        data.insert("ClassMode".into(), json!(p.class_mode));
        data.insert("Enabled".into(), json!(p.enabled));
        data.insert(
            "FreqBandPlanGroupId".into(),
            json!(p.freq_band_plan_group_id),
        );
        data.insert("RxDelay".into(), json!(p.rx_delay));
        data.insert("DataRate".into(), json!(p.data_rate));
        data.insert("CreateMillis".into(), json!(p.create_millis));
        data.insert("NodesCnt".into(), json!(p.nodes_cnt));
        for name in ["RxDailySum", "RxMonthSum", "TxDailySum", "TxMonthSum"] {
            data.insert(name.into(), json!(0));
        }
        Ok(success(Value::Object(data)))
    }

    pub(super) fn list_rented(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "ListRentedJoinPermissions", &[])?;
        let ascending = params.ascending(Some(SORTING_FIELDS))?;
        let filter = RentedFilter::read(&params)?;
        let found = self.rented_matching(call, &filter, ascending);
        params.page(found, |(id, p)| {
            // The model types these three as strings here (numbers in the owner's view).
            json!({
                "JoinPermissionId": id,
                "JoinPermissionName": p.name,
                "Type": "LOCAL",
                "OwnerAliyunId": p.owner,
                "JoinEui": p.join_eui,
                "ClassMode": p.class_mode,
                "Enabled": p.enabled,
                "BoundNodeGroup": false,
                "FreqBandPlanGroupId": p.freq_band_plan_group_id.to_string(),
                "RxDelay": p.rx_delay.to_string(),
                "DataRate": p.data_rate.to_string(),
            })
        })
    }

    pub(super) fn count_rented(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "CountRentedJoinPermissions", &[])?;
        let filter = RentedFilter::read(&params)?;
        let count = self.rented_matching(call, &filter, true).len();
        Ok(success(json!(count)))
    }

    /// The renter gives a permission back: it is NEW again, without a renter, and its owner may
    /// grant it anew. The order stays ACCEPTED (no state says "returned"); nobody is notified
    /// (no category says so either).
    pub(super) fn return_permission(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "ReturnJoinPermission", &[])?;
        let id = params.required("JoinPermissionId")?;
        let kind = params.one_of("JoinPermissionType", TYPES)?;
        if kind == Some("ROAMING") {
            // The emulator keeps no roaming permission.
            return Err(non_existent());
        }
        self.rented(id, call)?;
        if let Some(p) = self.permissions.get_mut(id) {
            p.current_order = None;
        }
        Ok(done())
    }
}
