//! Notifications (消息通知) of authorization orders: one to the other party each time an order
//! is submitted, accepted, rejected or canceled, listed, counted, read and marked handled over
//! HTTP by the account that received it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::orders::{Order, OrderState};
use super::{checked, non_existent, not_resource_owner, numeric_id, sort_by_key, success};
use super::{done, LinkWan, Params};
use crate::emulator::gateway::{ApiError, ApiResult, Call};
use crate::emulator::limits::MAX_NOTIFICATIONS;

/// The documented categories; the emulator sends the four about orders.
const CATEGORIES: &[&str] = &[
    "JOIN_PERMISSION_AUTH_APPLYING",
    "JOIN_PERMISSION_AUTH_ACCEPTED",
    "JOIN_PERMISSION_AUTH_REJECTED",
    "JOIN_PERMISSION_AUTH_CANCELED",
    "GATEWAY_OFFLINE",
];
const HANDLE_STATES: &[&str] = &["HANDLED", "UNHANDLED"];

/// What a notification tells: an order, as it was when the notification was sent, and who
/// receives it.
#[derive(Debug, Clone)]
pub(super) struct Notice {
    pub recipient: String,
    pub order_id: u64,
    /// The order when the notice was sent; shown once the order itself is forgotten.
    pub order: Order,
    pub permission_name: String,
    pub join_eui: String,
    pub notice_millis: i64,
}

#[derive(Debug)]
struct Notification {
    notice: Notice,
    /// What happened: the order's state when the notice was sent.
    category: OrderState,
    /// When it was marked HANDLED; `None` while UNHANDLED.
    handled_millis: Option<i64>,
}

impl Notification {
    fn category(&self) -> String {
        format!("JOIN_PERMISSION_AUTH_{}", self.category.as_str())
    }

    fn handle_state(&self) -> &'static str {
        if self.handled_millis.is_some() {
            "HANDLED"
        } else {
            "UNHANDLED"
        }
    }
}

/// Every notification, of every account, by id (from 1, in the order they were sent), within
/// [`MAX_NOTIFICATIONS`].
#[derive(Debug, Default)]
pub(super) struct Notifications {
    items: BTreeMap<u64, Notification>,
    /// The ids of the HANDLED ones, forgotten first beyond the cap.
    handled: BTreeSet<u64>,
    last_id: u64,
}

impl Notifications {
    /// Sends a notice as a new UNHANDLED notification. Beyond [`MAX_NOTIFICATIONS`] the oldest
    /// HANDLED one is forgotten, or the oldest of all when none is handled.
    pub fn push(&mut self, notice: Notice) {
        self.last_id += 1;
        let category = notice.order.state;
        self.items.insert(
            self.last_id,
            Notification {
                notice,
                category,
                handled_millis: None,
            },
        );
        while self.items.len() > MAX_NOTIFICATIONS {
            let oldest = self.handled.pop_first();
            match oldest.or_else(|| self.items.keys().next().copied()) {
                Some(id) => self.items.remove(&id),
                None => break,
            };
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    #[cfg(test)]
    pub fn ids(&self) -> Vec<u64> {
        self.items.keys().copied().collect()
    }

    #[cfg(test)]
    pub fn mark_handled(&mut self, id: u64, millis: i64) {
        if let Some(n) = self.items.get_mut(&id) {
            n.handled_millis = Some(millis);
            self.handled.insert(id);
        }
    }
}

/// The filters of `ListNotifications` and `CountNotifications`.
struct NoticeFilter<'a> {
    categories: Vec<&'a str>,
    handle_state: Option<&'a str>,
    begin: Option<i64>,
    end: Option<i64>,
}

impl<'a> NoticeFilter<'a> {
    fn read(params: &Params<'a>) -> Result<NoticeFilter<'a>, ApiError> {
        let categories = params.list("Category");
        if let Some(other) = categories.iter().find(|c| !CATEGORIES.contains(c)) {
            return Err(super::invalid(
                "Category",
                &format!("expected one of {}, got {other:?}", CATEGORIES.join(", ")),
            ));
        }
        Ok(NoticeFilter {
            categories,
            handle_state: params.one_of("HandleState", HANDLE_STATES)?,
            begin: params.int("BeginMillis")?,
            end: params.int("EndMillis")?,
        })
    }

    fn matches(&self, n: &Notification) -> bool {
        let at = n.notice.notice_millis;
        (self.categories.is_empty() || self.categories.contains(&n.category().as_str()))
            && self.handle_state.is_none_or(|s| s == n.handle_state())
            && self.begin.is_none_or(|begin| at >= begin)
            && self.end.is_none_or(|end| at <= end)
    }
}

impl LinkWan {
    /// The caller's notifications matching the filter, by the time they were sent (then id).
    fn notifications_matching(
        &self,
        call: &Call<'_>,
        filter: &NoticeFilter<'_>,
        ascending: bool,
    ) -> Vec<(u64, &Notification)> {
        let mut found: Vec<(u64, &Notification)> = self
            .notifications
            .items
            .iter()
            .filter(|(_, n)| n.notice.recipient == call.caller.aliyun_id && filter.matches(n))
            .map(|(id, n)| (*id, n))
            .collect();
        sort_by_key(&mut found, ascending, |(id, n)| {
            (n.notice.notice_millis, *id)
        });
        found
    }

    /// A notification as the service answers it. `JoinPermissionAuthInfo` shows the order as
    /// it is now while the emulator keeps it (as it was when sent, once forgotten), with the
    /// permission's name and JoinEUI as they were when sent.
    fn render(&self, id: u64, n: &Notification) -> Value {
        let notice = &n.notice;
        let order = self.orders.get(&notice.order_id).unwrap_or(&notice.order);
        let mut auth = order.fields(notice.order_id);
        auth.insert("JoinPermissionName".into(), json!(notice.permission_name));
        auth.insert("JoinEui".into(), json!(notice.join_eui));
        let mut data = Map::new();
        data.insert("NotificationId".into(), json!(id.to_string()));
        data.insert("Category".into(), json!(n.category()));
        data.insert("HandleState".into(), json!(n.handle_state()));
        data.insert("NoticeMillis".into(), json!(notice.notice_millis));
        if let Some(handled) = n.handled_millis {
            data.insert("HandledMillis".into(), json!(handled));
        }
        data.insert("JoinPermissionAuthInfo".into(), Value::Object(auth));
        Value::Object(data)
    }

    /// The caller's notification `id`: `NonExistent` when unknown (or forgotten),
    /// `NotResourceOwner` when another account received it.
    fn notification(&self, id: &str, call: &Call<'_>) -> Result<(u64, &Notification), ApiError> {
        let id = numeric_id(id)?;
        let n = self.notifications.items.get(&id).ok_or_else(non_existent)?;
        if n.notice.recipient != call.caller.aliyun_id {
            return Err(not_resource_owner());
        }
        Ok((id, n))
    }

    pub(super) fn list_notifications(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "ListNotifications", &[])?;
        // No sorting field is documented for notifications: any is accepted, and they are
        // ordered by the time they were sent.
        let ascending = params.ascending(None)?;
        let filter = NoticeFilter::read(&params)?;
        let found = self.notifications_matching(call, &filter, ascending);
        params.page(found, |(id, n)| self.render(id, n))
    }

    pub(super) fn count_notifications(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "CountNotifications", &[])?;
        let filter = NoticeFilter::read(&params)?;
        let count = self.notifications_matching(call, &filter, true).len();
        Ok(success(json!(count)))
    }

    pub(super) fn get_notification(&self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "GetNotification", &[])?;
        let (id, n) = self.notification(params.required("NotificationId")?, call)?;
        Ok(success(self.render(id, n)))
    }

    /// Marks the caller's notifications HANDLED (at the services' time; one already handled
    /// keeps its time) or UNHANDLED. Every id must be the caller's, else nothing changes.
    pub(super) fn update_notifications_handle_state(&mut self, call: &Call<'_>) -> ApiResult {
        let params = checked(call, "UpdateNotificationsHandleState", &[])?;
        let handled = params.one_of("TargetHandleState", HANDLE_STATES)? == Some("HANDLED");
        let mut ids = Vec::new();
        for id in params.list("NotificationId") {
            ids.push(self.notification(id, call)?.0);
        }
        let now = call.now.timestamp_millis();
        let store = &mut self.notifications;
        for id in ids {
            if let Some(n) = store.items.get_mut(&id) {
                if handled {
                    n.handled_millis.get_or_insert(now);
                    store.handled.insert(id);
                } else {
                    n.handled_millis = None;
                    store.handled.remove(&id);
                }
            }
        }
        Ok(done())
    }
}
