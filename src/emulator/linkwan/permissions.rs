//! The owner's join permissions (入网凭证): the seeded ones, and those created, listed, counted,
//! read, changed, enabled or disabled and deleted over HTTP.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{
    already_authorized, checked, fuzzy, non_existent, not_resource_owner, number_if_decimal,
    sort_by_key, success, LinkWan, Params,
};
use crate::emulator::accounts::{self, OTHER, OWNER};
use crate::emulator::gateway::{ApiError, ApiResult, Call};
use crate::emulator::limits::MAX_LOCAL_JOIN_PERMISSIONS;

/// The frequency band plan groups a join permission may use: 101 (CN470 同频), 102 (CN470
/// 异频), 201 (AS923 同频), the ids the LinkWAN documentation names.
pub(crate) const FREQ_BAND_PLAN_GROUPS: [i64; 3] = [101, 102, 201];
/// The JoinEUI of a permission created with `UseDefaultJoinEui=true`: the documented example's.
const DEFAULT_JOIN_EUI: &str = "0000000000000000";
/// `RxDelay` and `DataRate` of a permission created without them.
const DEFAULT_RX_DELAY: i64 = 1;
const DEFAULT_DATA_RATE: i64 = 0;
/// The LoRaWAN classes a local join permission may use.
const CLASS_MODES: [&str; 3] = ["A", "B", "C"];
/// The documented sorting field of the owner's and the renter's listings.
pub(super) const SORTING_FIELDS: &[&str] = &["CREATED_MILLIS"];

/// A join permission.
#[derive(Debug, Clone)]
pub(super) struct JoinPermission {
    pub owner: String,
    pub name: String,
    pub join_eui: String,
    pub class_mode: String,
    pub freq_band_plan_group_id: i64,
    pub data_rate: i64,
    pub rx_delay: i64,
    pub enabled: bool,
    pub multicast_enabled: bool,
    pub multicast_node_capacity: i64,
    pub multicast_node_count: i64,
    pub nodes_cnt: i64,
    pub data_dispatch_destination: Option<&'static str>,
    pub bound_product_name: Option<&'static str>,
    pub create_millis: i64,
    /// The order that decides `AuthState`: APPLYING, or ACCEPTED and not returned. `None`: NEW.
    pub current_order: Option<u64>,
}

/// The seeded join permissions: `123`, `124` and `125` of OWNER, `900` of OTHER.
pub(super) fn seeded() -> BTreeMap<String, JoinPermission> {
    let documented = JoinPermission {
        owner: OWNER.aliyun_id.to_owned(),
        name: "凭证1".to_owned(),
        join_eui: "0000000000000000".to_owned(),
        class_mode: "A".to_owned(),
        freq_band_plan_group_id: 102,
        data_rate: 4,
        rx_delay: 1,
        enabled: true,
        multicast_enabled: false,
        multicast_node_capacity: 1000,
        multicast_node_count: 10,
        nodes_cnt: 10,
        data_dispatch_destination: Some("IOT"),
        bound_product_name: Some("产品名称"),
        create_millis: 1_514_736_000_000,
        current_order: None,
    };
    let second = JoinPermission {
        name: "凭证2".to_owned(),
        join_eui: "70B3D57ED0001A2B".to_owned(),
        multicast_node_count: 0,
        nodes_cnt: 0,
        bound_product_name: None,
        create_millis: 1_546_272_000_000,
        ..documented.clone()
    };
    let third = JoinPermission {
        name: "凭证3".to_owned(),
        join_eui: "70B3D57ED0001A2C".to_owned(),
        class_mode: "B".to_owned(),
        freq_band_plan_group_id: 201,
        data_rate: 2,
        rx_delay: 2,
        multicast_node_count: 0,
        nodes_cnt: 0,
        data_dispatch_destination: None,
        bound_product_name: None,
        create_millis: 1_577_808_000_000,
        ..documented.clone()
    };
    let other = JoinPermission {
        owner: OTHER.aliyun_id.to_owned(),
        name: "other-permission".to_owned(),
        join_eui: "70B3D57ED0000900".to_owned(),
        nodes_cnt: 3,
        multicast_node_count: 0,
        bound_product_name: None,
        ..documented.clone()
    };
    BTreeMap::from([
        (accounts::JOIN_PERMISSION_ID.to_owned(), documented),
        (accounts::SECOND_JOIN_PERMISSION_ID.to_owned(), second),
        (accounts::THIRD_JOIN_PERMISSION_ID.to_owned(), third),
        (accounts::OTHER_JOIN_PERMISSION_ID.to_owned(), other),
    ])
}

/// A join permission's name: 4 to 30 characters, a Chinese character counting two, of Chinese
/// characters, ASCII letters, digits and `_`; else `InvalidName`.
pub(super) fn check_name(name: &str) -> Result<(), ApiError> {
    let allowed = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || is_chinese(c));
    let length = crate::builder::check_len("JoinPermissionName", name, Some(4), Some(30), true);
    if allowed && length.is_ok() {
        return Ok(());
    }
    Err(ApiError::bad_request(
        "InvalidName",
        "The specified name is invalid.",
    ))
}

/// CJK unified ideographs (with extension A, compatibility ideographs and the supplementary
/// planes' extensions): what the documentation calls a Chinese character.
fn is_chinese(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn check_class_mode(class_mode: &str) -> Result<(), ApiError> {
    if CLASS_MODES.contains(&class_mode) {
        return Ok(());
    }
    Err(super::invalid(
        "ClassMode",
        &format!("expected A, B or C, got {class_mode:?}"),
    ))
}

fn check_freq_band_plan(id: i64) -> Result<(), ApiError> {
    if FREQ_BAND_PLAN_GROUPS.contains(&id) {
        return Ok(());
    }
    Err(ApiError::bad_request(
        "InvalidFreqBandPlan",
        "The frequency band plan is invalid.",
    ))
}

/// A JoinEUI: 16 hex digits (the model's checks saw to the length), kept in upper case.
fn join_eui(eui: &str) -> Result<String, ApiError> {
    if eui.len() == 16 && eui.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(eui.to_ascii_uppercase());
    }
    Err(super::invalid("JoinEui", "expected 16 hex digits"))
}

/// The owner's listing filters, shared by `ListOwnedJoinPermissions` and
/// `CountOwnedJoinPermissions`.
struct OwnedFilter<'a> {
    name: Option<&'a str>,
    join_eui: Option<&'a str>,
    renter: Option<&'a str>,
    enabled: Option<bool>,
}

impl<'a> OwnedFilter<'a> {
    fn read(params: &Params<'a>) -> Result<OwnedFilter<'a>, ApiError> {
        Ok(OwnedFilter {
            name: params.text("FuzzyJoinPermissionName"),
            join_eui: params.text("FuzzyJoinEui"),
            renter: params.text("FuzzyRenterAliyunId"),
            enabled: params.flag("Enabled")?,
        })
    }
}

impl LinkWan {
    /// `AuthState` of a permission and its renter while granted or being granted.
    pub(super) fn auth(&self, p: &JoinPermission) -> (&'static str, Option<&str>) {
        match p.current_order.and_then(|id| self.orders.get(&id)) {
            Some(order) => (order.state.as_str(), Some(order.renter.as_str())),
            None => ("NEW", None),
        }
    }

    /// Whether the permission is APPLYING or ACCEPTED: then it cannot be edited or deleted.
    fn authorized(&self, p: &JoinPermission) -> bool {
        self.auth(p).0 != "NEW"
    }

    /// The caller's permission `id`: `NonExistent` when there is none, `NotResourceOwner` when
    /// it is another account's.
    fn owned(&self, id: &str, call: &Call<'_>) -> Result<&JoinPermission, ApiError> {
        let p = self.permissions.get(id).ok_or_else(non_existent)?;
        if p.owner != call.caller.aliyun_id {
            return Err(not_resource_owner());
        }
        Ok(p)
    }

    /// The caller's permissions matching the filters, sorted by creation (then id).
    fn owned_matching(
        &self,
        call: &Call<'_>,
        filter: &OwnedFilter<'_>,
        ascending: bool,
    ) -> Vec<(&String, &JoinPermission)> {
        let mut found: Vec<_> = self
            .permissions
            .iter()
            .filter(|(_, p)| p.owner == call.caller.aliyun_id)
            .filter(|(_, p)| {
                let renter = self.auth(p).1;
                fuzzy(&p.name, filter.name)
                    && fuzzy(&p.join_eui, filter.join_eui)
                    && (filter.renter.is_none() || renter.is_some_and(|r| fuzzy(r, filter.renter)))
                    && filter.enabled.is_none_or(|e| e == p.enabled)
            })
            .collect();
        sort_by_key(&mut found, ascending, |(id, p)| {
            (p.create_millis, id.parse::<u64>().unwrap_or(u64::MAX))
        });
        found
    }

    pub(super) fn create_local(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "CreateLocalJoinPermission", &["JoinPermissionName"])?;
        let name = params.required("JoinPermissionName")?;
        check_name(name)?;
        let class_mode = params.required("ClassMode")?;
        check_class_mode(class_mode)?;
        let plan = params.int("FreqBandPlanGroupId")?.unwrap_or_default();
        check_freq_band_plan(plan)?;
        let eui = match params.flag("UseDefaultJoinEui")? {
            Some(false) => join_eui(params.required("JoinEui")?)?,
            _ => DEFAULT_JOIN_EUI.to_owned(),
        };
        let caller = call.caller.aliyun_id;
        let mine = || self.permissions.values().filter(|p| p.owner == caller);
        if mine().any(|p| p.name == name) {
            return Err(name_duplicated());
        }
        if mine().count() >= MAX_LOCAL_JOIN_PERMISSIONS {
            return Err(ApiError::bad_request(
                "ExceedLocalJoinPermissionLimit",
                "The maximum number of local join permissions that you can create is exceeded.",
            ));
        }
        let id = self.next_permission_id.to_string();
        self.next_permission_id += 1;
        let permission = JoinPermission {
            owner: caller.to_owned(),
            name: name.to_owned(),
            join_eui: eui,
            class_mode: class_mode.to_owned(),
            freq_band_plan_group_id: plan,
            data_rate: params.int("DataRate")?.unwrap_or(DEFAULT_DATA_RATE),
            rx_delay: params.int("RxDelay")?.unwrap_or(DEFAULT_RX_DELAY),
            enabled: true,
            multicast_enabled: false,
            multicast_node_capacity: 1000,
            multicast_node_count: 0,
            nodes_cnt: 0,
            data_dispatch_destination: None,
            bound_product_name: None,
            create_millis: call.now.timestamp_millis(),
            current_order: None,
        };
        self.permissions.insert(id.clone(), permission);
        Ok(success(json!(id)))
    }

    pub(super) fn update_owned(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(
            call,
            "UpdateOwnedLocalJoinPermission",
            &["JoinPermissionName"],
        )?;
        let id = params.required("JoinPermissionId")?;
        let p = self.owned(id, call)?;
        if self.authorized(p) {
            return Err(already_authorized());
        }
        let name = params.text("JoinPermissionName");
        if let Some(name) = name {
            check_name(name)?;
        }
        let class_mode = params.text("ClassMode");
        if let Some(class_mode) = class_mode {
            check_class_mode(class_mode)?;
        }
        let plan = params.int("FreqBandPlanGroupId")?;
        if let Some(plan) = plan {
            check_freq_band_plan(plan)?;
        }
        let eui = params.text("JoinEui").map(join_eui).transpose()?;
        let rx_delay = params.int("RxDelay")?;
        let data_rate = params.int("DataRate")?;
        if let Some(name) = name {
            let taken = self
                .permissions
                .iter()
                .any(|(other, o)| other != id && o.owner == p.owner && o.name == name);
            if taken {
                return Err(name_duplicated());
            }
        }

        let Some(p) = self.permissions.get_mut(id) else {
            return Err(non_existent());
        };
        if let Some(name) = name {
            p.name = name.to_owned();
        }
        if let Some(class_mode) = class_mode {
            p.class_mode = class_mode.to_owned();
        }
        if let Some(plan) = plan {
            p.freq_band_plan_group_id = plan;
        }
        if let Some(eui) = eui {
            p.join_eui = eui;
        }
        if let Some(rx_delay) = rx_delay {
            p.rx_delay = rx_delay;
        }
        if let Some(data_rate) = data_rate {
            p.data_rate = data_rate;
        }
        Ok(super::done())
    }

    pub(super) fn update_enabling_state(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "UpdateOwnedLocalJoinPermissionEnablingState", &[])?;
        let id = params.required("JoinPermissionId")?;
        let enabled = params.flag("Enabled")?.unwrap_or(true);
        self.owned(id, call)?;
        if let Some(p) = self.permissions.get_mut(id) {
            p.enabled = enabled;
        }
        Ok(super::done())
    }

    pub(super) fn delete_local(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "DeleteLocalJoinPermission", &[])?;
        let id = params.required("JoinPermissionId")?;
        let p = self.owned(id, call)?;
        if self.authorized(p) {
            return Err(already_authorized());
        }
        self.permissions.remove(id);
        Ok(super::done())
    }

    pub(super) fn get_owned(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "GetOwnedJoinPermission", &[])?;
        let permission_id = params.required("JoinPermissionId")?;
        let p = self.owned(permission_id, call)?;
        // AuthState has three documented values: a REJECTED or CANCELED order, or a returned
        // one, leaves the permission NEW again, free to be granted.
        let (auth_state, renter) = self.auth(p);

        let mut data = Map::new();
        // The documented example answers these two String fields as JSON numbers.
        data.insert("JoinPermissionId".into(), number_if_decimal(permission_id));
        data.insert("JoinEui".into(), number_if_decimal(&p.join_eui));
        data.insert("JoinPermissionName".into(), json!(p.name));
        data.insert("AuthState".into(), json!(auth_state));
        data.insert("ClassMode".into(), json!(p.class_mode));
        data.insert("CreateMillis".into(), json!(p.create_millis));
        if let Some(destination) = p.data_dispatch_destination {
            data.insert("DataDispatchDestination".into(), json!(destination));
        }
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

    pub(super) fn list_owned(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "ListOwnedJoinPermissions", &[])?;
        let ascending = params.ascending(Some(SORTING_FIELDS))?;
        let filter = OwnedFilter::read(&params)?;
        let found = self.owned_matching(call, &filter, ascending);
        params.page(found, |(id, p)| {
            let (auth_state, renter) = self.auth(p);
            let mut item = Map::new();
            item.insert("JoinPermissionId".into(), json!(id));
            item.insert("JoinPermissionName".into(), json!(p.name));
            item.insert("JoinEui".into(), json!(p.join_eui));
            item.insert(
                "FreqBandPlanGroupId".into(),
                json!(p.freq_band_plan_group_id),
            );
            item.insert("ClassMode".into(), json!(p.class_mode));
            item.insert("Enabled".into(), json!(p.enabled));
            item.insert("RxDelay".into(), json!(p.rx_delay));
            item.insert("DataRate".into(), json!(p.data_rate));
            if let Some(renter) = renter {
                item.insert("RenterAliyunId".into(), json!(renter));
            }
            item.insert("AuthState".into(), json!(auth_state));
            Value::Object(item)
        })
    }

    pub(super) fn count_owned(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "CountOwnedJoinPermissions", &[])?;
        let filter = OwnedFilter::read(&params)?;
        let count = self.owned_matching(call, &filter, true).len();
        Ok(success(json!(count)))
    }
}

fn name_duplicated() -> ApiError {
    ApiError::bad_request(
        "JoinPermissionNameDuplicated",
        "The specified join permission name already exists.",
    )
}
