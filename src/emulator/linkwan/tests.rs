use std::collections::BTreeMap;

use chrono::Utc;

use super::notifications::Notice;
use super::orders::{Order, OrderState};
use super::*;
use crate::emulator::accounts::{Account, OTHER, OWNER, RENTER};
use crate::emulator::gateway::ApiResult;
use crate::emulator::limits::{MAX_LOCAL_JOIN_PERMISSIONS, MAX_NOTIFICATIONS, MAX_ORDERS};
use crate::emulator::wire::Incoming;

/// Calls `handler` as `caller` with the parameters of `query`: the answer's `Data`, or the
/// error code.
fn call(
    linkwan: &mut LinkWan,
    caller: Account,
    query: &str,
    handler: fn(&mut LinkWan, &Call<'_>) -> ApiResult,
) -> Result<Value, &'static str> {
    let request = Incoming::new("POST", "/", Some(query), BTreeMap::new(), b"");
    let call = Call {
        caller,
        request: &request,
        now: Utc::now(),
    };
    let body = handler(linkwan, &call).map_err(|e| e.code)?;
    Ok(body.get("Data").cloned().unwrap_or(Value::Null))
}

/// Submits an order of `permission` to the renter; its id, or the error code.
fn submit(linkwan: &mut LinkWan, permission: &str) -> Result<u64, &'static str> {
    let query = format!(
        "JoinPermissionId={permission}&RenterAliyunId={}",
        RENTER.aliyun_id
    );
    let data = call(linkwan, OWNER, &query, |l, c| l.submit(c))?;
    Ok(data.as_str().and_then(|id| id.parse().ok()).unwrap())
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
    // Every submission and cancellation told the renter; the notifications stay within theirs.
    assert_eq!(linkwan.notifications.len(), MAX_NOTIFICATIONS);
}

#[test]
fn an_accepted_order_in_effect_is_never_forgotten_but_a_returned_one_is() {
    let mut linkwan = LinkWan::seeded();
    let accepted = submit(&mut linkwan, accounts::SECOND_JOIN_PERMISSION_ID).unwrap();
    assert!(linkwan.accept(accepted, Utc::now()));
    for _ in 0..MAX_ORDERS {
        let id = submit(&mut linkwan, accounts::JOIN_PERMISSION_ID).unwrap();
        assert!(linkwan.reject(id, Utc::now()));
    }
    assert!(linkwan.orders.contains_key(&accepted));
    let query = format!(
        "JoinPermissionId={}&JoinPermissionType=LOCAL",
        accounts::SECOND_JOIN_PERMISSION_ID
    );
    call(&mut linkwan, RENTER, &query, |l, c| l.return_permission(c)).unwrap();
    assert!(!linkwan.is_current(accepted), "returned");
    let id = submit(&mut linkwan, accounts::JOIN_PERMISSION_ID).unwrap();
    assert!(linkwan.orders.contains_key(&id));
    assert!(
        !linkwan.orders.contains_key(&accepted),
        "the returned order was the oldest no longer in effect"
    );
    assert!(
        !linkwan.cancel(accepted, Utc::now()),
        "a forgotten order cannot be canceled"
    );
}

#[test]
fn the_control_cannot_cancel_a_returned_order() {
    let mut linkwan = LinkWan::seeded();
    let id = submit(&mut linkwan, accounts::JOIN_PERMISSION_ID).unwrap();
    assert!(linkwan.accept(id, Utc::now()));
    let query = format!(
        "JoinPermissionId={}&JoinPermissionType=LOCAL",
        accounts::JOIN_PERMISSION_ID
    );
    call(&mut linkwan, RENTER, &query, |l, c| l.return_permission(c)).unwrap();
    let next = submit(&mut linkwan, accounts::JOIN_PERMISSION_ID).unwrap();
    assert!(!linkwan.cancel(id, Utc::now()), "over once returned");
    assert_eq!(linkwan.orders[&id].state, OrderState::Accepted);
    assert!(linkwan.is_current(next), "the new order was not touched");
}

#[test]
fn beyond_the_cap_handled_notifications_are_forgotten_first() {
    let mut linkwan = LinkWan::seeded();
    let order = Order {
        permission_id: "123".into(),
        owner: OWNER.aliyun_id.into(),
        renter: RENTER.aliyun_id.into(),
        state: OrderState::Applying,
        applying_millis: 0,
        accepted_millis: None,
        rejected_millis: None,
        canceled_millis: None,
    };
    let notice = Notice {
        recipient: RENTER.aliyun_id.into(),
        order_id: 1,
        order,
        permission_name: "凭证1".into(),
        join_eui: "0000000000000000".into(),
        notice_millis: 0,
    };
    let store = &mut linkwan.notifications;
    for _ in 0..MAX_NOTIFICATIONS {
        store.push(notice.clone());
    }
    store.mark_handled(5, 1);
    store.push(notice.clone());
    assert_eq!(store.len(), MAX_NOTIFICATIONS);
    let ids = store.ids();
    assert_eq!(&ids[..5], [1, 2, 3, 4, 6], "the handled one went first");
    store.push(notice);
    assert_eq!(store.ids()[0], 2, "then the oldest");
}

#[test]
fn each_account_owns_at_most_the_cap_the_seeded_included() {
    let mut linkwan = LinkWan::seeded();
    let create = |l: &mut LinkWan, who: Account, i: usize| {
        let query = format!(
            "JoinPermissionName=perm_{i}&ClassMode=A&FreqBandPlanGroupId=101&UseDefaultJoinEui=true"
        );
        call(l, who, &query, |l, c| l.create_local(c))
    };
    for i in 3..MAX_LOCAL_JOIN_PERMISSIONS {
        create(&mut linkwan, OWNER, i).unwrap();
    }
    assert_eq!(
        create(&mut linkwan, OWNER, 0),
        Err("ExceedLocalJoinPermissionLimit")
    );
    create(&mut linkwan, OTHER, 0).unwrap();
    assert_eq!(
        linkwan.permissions.len(),
        MAX_LOCAL_JOIN_PERMISSIONS + 2,
        "OWNER's cap, and OTHER's two"
    );
}

#[test]
fn names_are_chinese_letters_digits_and_underscores_of_4_to_30_counting_chinese_twice() {
    use super::permissions::check_name;
    for good in [
        "abcd",
        "凭证",
        "a_1B",
        "凭证_abcdefghijklmnopqrstuvwxy",
        "𠀀𠀀",
    ] {
        assert!(check_name(good).is_ok(), "{good}");
    }
    for bad in [
        "abc",
        "凭",
        "a b c d",
        "abc-d",
        "ＡＢＣＤ",
        "かなかな",
        "凭证_abcdefghijklmnopqrstuvwxyz",
        "",
    ] {
        assert_eq!(
            check_name(bad).map_err(|e| e.code),
            Err("InvalidName"),
            "{bad}"
        );
    }
}

#[test]
fn every_stateful_action_is_modeled() {
    for (action, _) in STATEFUL {
        assert!(model::find(action).is_some(), "{action}");
    }
}
