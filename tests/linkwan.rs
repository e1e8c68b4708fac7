//! LinkWAN actions end to end against the emulator.

mod common;

use alibaba_openapi::aliyun::linkwan::{
    self, AuthState, ClassMode, DataDispatchDestination, ErrorCode, OrderState,
};
use alibaba_openapi::aliyun::RawRequest;
use alibaba_openapi::emulator::accounts;
use alibaba_openapi::Error;
use chrono::{DateTime, Utc};

fn submit(permission: &str, renter: &str) -> linkwan::SubmitJoinPermissionAuthOrder {
    linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(permission)
        .renter_aliyun_id(renter)
        .build()
        .unwrap()
}

fn get_order(id: u64) -> linkwan::GetJoinPermissionAuthOrder {
    linkwan::GetJoinPermissionAuthOrder::builder()
        .order_id(id)
        .build()
        .unwrap()
}

fn get_owned(id: &str) -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(id)
        .build()
        .unwrap()
}

/// An Alibaba Cloud request id as the emulator sends it: an upper-case UUID, nothing around it.
fn assert_request_id(id: &str) {
    assert_eq!(id.len(), 36, "{id:?}");
    assert!(
        id.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()),
        "{id:?}"
    );
}

/// Whether `at` lies between `before` and `after`, at the millisecond precision of `*Millis`.
fn within(at: Option<DateTime<Utc>>, before: DateTime<Utc>, after: DateTime<Utc>) -> bool {
    let at = at.expect("a timestamp").timestamp_millis();
    (before.timestamp_millis()..=after.timestamp_millis()).contains(&at)
}

#[tokio::test]
async fn submitted_order_reads_back_as_applying_with_every_field() {
    let env = common::start().await;
    let before = Utc::now();
    let submitted = env
        .aliyun
        .send(&submit(
            accounts::JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap();
    let after = Utc::now();
    assert_eq!(submitted.order_id, 1234, "the emulator's first order id");
    assert_request_id(&submitted.request_id);

    let answer = env
        .aliyun
        .send(&get_order(submitted.order_id))
        .await
        .unwrap();
    assert_request_id(&answer.request_id);
    assert_ne!(answer.request_id, submitted.request_id);
    let order = answer.order;
    assert_eq!(order.order_id, submitted.order_id);
    assert_eq!(order.join_permission_id, accounts::JOIN_PERMISSION_ID);
    assert_eq!(order.order_state, OrderState::Applying);
    assert_eq!(
        order.owner_aliyun_id.as_deref(),
        Some(accounts::OWNER.aliyun_id)
    );
    assert_eq!(
        order.renter_aliyun_id.as_deref(),
        Some(accounts::RENTER.aliyun_id)
    );
    assert!(
        within(order.applying_at, before, after),
        "{:?} not in {before}..{after}",
        order.applying_at
    );
    assert_eq!(
        (order.accepted_at, order.rejected_at, order.canceled_at),
        (None, None, None)
    );

    // The request went over the wire once, signed, with the documented parameters.
    let sent = env.emulator.requests();
    let wire = sent
        .iter()
        .find(|r| r.action == "SubmitJoinPermissionAuthOrder")
        .unwrap();
    assert_eq!(
        wire.params["JoinPermissionId"],
        accounts::JOIN_PERMISSION_ID
    );
    assert_eq!(wire.params["RenterAliyunId"], accounts::RENTER.aliyun_id);
    assert_eq!(wire.params["Version"], "2019-03-01");
    assert_eq!(wire.status, Some(200));
}

#[tokio::test]
async fn each_order_state_carries_its_own_timestamp_only() {
    let env = common::start().await;
    type Move = fn(&alibaba_openapi::emulator::Emulator, u64) -> bool;
    let moves: [(OrderState, Move); 3] = [
        (OrderState::Accepted, |e, id| e.accept_order(id)),
        (OrderState::Rejected, |e, id| e.reject_order(id)),
        (OrderState::Canceled, |e, id| e.cancel_order(id)),
    ];
    for (state, change) in moves {
        let before_submit = Utc::now();
        let id = env
            .aliyun
            .send(&submit(
                accounts::JOIN_PERMISSION_ID,
                accounts::RENTER.aliyun_id,
            ))
            .await
            .unwrap()
            .order_id;
        let before = Utc::now();
        assert!(change(&env.emulator, id), "{state:?}");
        let after = Utc::now();
        let order = env.aliyun.send(&get_order(id)).await.unwrap().order;
        assert_eq!(order.order_state, state);
        assert!(within(order.applying_at, before_submit, before));
        let stamps = [
            (OrderState::Accepted, order.accepted_at),
            (OrderState::Rejected, order.rejected_at),
            (OrderState::Canceled, order.canceled_at),
        ];
        for (which, at) in stamps {
            if which == state {
                assert!(within(at, before, after), "{which:?}: {at:?}");
                assert!(at >= order.applying_at);
            } else {
                assert_eq!(at, None, "{which:?} of a {state:?} order");
            }
        }
        // An accepted order blocks the permission until it is canceled.
        if state == OrderState::Accepted {
            assert!(env.emulator.cancel_order(id));
        }
    }
}

#[tokio::test]
async fn second_grant_is_join_permission_already_authorized() {
    let env = common::start().await;
    let request = submit(accounts::JOIN_PERMISSION_ID, accounts::RENTER.aliyun_id);
    env.aliyun.send(&request).await.unwrap();
    let err = env.aliyun.send(&request).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&ErrorCode::JoinPermissionAlreadyAuthorized)
    );
    let service = err.service_error().unwrap();
    assert_eq!(service.status(), 400);
    assert!(service.request_id().is_some_and(|id| !id.is_empty()));
    assert!(
        err.to_string().contains("JoinPermissionAlreadyAuthorized"),
        "{err}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn unknown_renter_is_renter_does_not_exist() {
    let env = common::start().await;
    let err = env
        .aliyun
        .send(&submit(accounts::JOIN_PERMISSION_ID, "nobody_here"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::RenterDoesNotExist));
}

#[tokio::test]
async fn granting_another_accounts_permission_is_not_resource_owner() {
    let env = common::start().await;
    let err = env
        .aliyun
        .send(&submit(
            accounts::OTHER_JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::NotResourceOwner));
}

#[tokio::test]
async fn unknown_order_is_non_existent() {
    let env = common::start().await;
    let err = env.aliyun.send(&get_order(987_654_321)).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::NonExistent));
}

#[tokio::test]
async fn another_accounts_order_is_not_resource_owner() {
    let env = common::start().await;
    let other = common::aliyun_client(&env.emulator, accounts::OTHER);
    let id = other
        .send(&submit(
            accounts::OTHER_JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap()
        .order_id;
    let err = env.aliyun.send(&get_order(id)).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::NotResourceOwner));
}

#[tokio::test]
async fn owned_join_permission_decodes_every_seeded_field() {
    let env = common::start().await;
    let owned = env
        .aliyun
        .send(&get_owned(accounts::JOIN_PERMISSION_ID))
        .await
        .unwrap();
    assert_request_id(&owned.request_id);
    let p = owned.join_permission;
    // Sent as the numbers 123 and 0, as the documented example shows (see the raw answer below).
    assert_eq!(p.join_permission_id, "123");
    assert_eq!(p.join_eui.as_deref(), Some("0000000000000000"));
    assert_eq!(p.join_permission_name.as_deref(), Some("凭证1"));
    assert_eq!(p.auth_state, Some(AuthState::New));
    assert_eq!(p.renter_aliyun_id, None, "no order yet");
    assert_eq!(p.enabled, Some(true));
    assert_eq!(p.class_mode, Some(ClassMode::A));
    assert_eq!(p.freq_band_plan_group_id, Some(102));
    assert_eq!(p.data_rate, Some(4));
    assert_eq!(p.rx_delay, Some(1));
    assert_eq!(
        p.data_dispatch_destination,
        Some(DataDispatchDestination::Iot)
    );
    assert_eq!(p.bound_product_name.as_deref(), Some("产品名称"));
    assert_eq!(p.nodes_count, Some(10));
    assert_eq!(p.multicast_enabled, Some(false));
    assert_eq!(p.multicast_node_capacity, Some(1000));
    assert_eq!(p.multicast_node_count, Some(10));
    assert_eq!(
        (
            p.rx_daily_sum,
            p.rx_month_sum,
            p.tx_daily_sum,
            p.tx_month_sum
        ),
        (Some(0), Some(0), Some(0), Some(0))
    );
    assert_eq!(
        p.created_at,
        DateTime::from_timestamp_millis(1_514_736_000_000),
        "2018-01-01T00:00:00+08:00"
    );

    let wire = env.emulator.requests();
    let sent = wire.last().unwrap();
    assert_eq!(sent.action, "GetOwnedJoinPermission");
    assert!(!sent.params.contains_key("IotInstanceId"));

    // The quirk itself: the wire carries numbers where the page types strings.
    let raw = env
        .aliyun
        .call(
            &RawRequest::new("linkwan", "2019-03-01", "GetOwnedJoinPermission")
                .param("JoinPermissionId", accounts::JOIN_PERMISSION_ID),
        )
        .await
        .unwrap();
    assert_eq!(raw["Data"]["JoinEui"], serde_json::json!(0));
    assert_eq!(raw["Data"]["JoinPermissionId"], serde_json::json!(123));

    let second = env
        .aliyun
        .send(&get_owned(accounts::SECOND_JOIN_PERMISSION_ID))
        .await
        .unwrap()
        .join_permission;
    assert_eq!(second.join_permission_id, "124");
    assert_eq!(second.join_eui.as_deref(), Some("70B3D57ED0001A2B"));
    assert_eq!(second.join_permission_name.as_deref(), Some("凭证2"));
    assert_eq!(second.bound_product_name, None);
    assert_eq!(
        (second.nodes_count, second.multicast_node_count),
        (Some(0), Some(0))
    );
    assert_eq!(
        second.created_at,
        DateTime::from_timestamp_millis(1_546_272_000_000)
    );
    assert_eq!(second.auth_state, Some(AuthState::New));
}

#[tokio::test]
async fn owned_join_permission_follows_its_latest_order() {
    let env = common::start().await;
    let id = env
        .aliyun
        .send(&submit(
            accounts::SECOND_JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap()
        .order_id;
    let request = get_owned(accounts::SECOND_JOIN_PERMISSION_ID);
    let read = || env.aliyun.send(&request);
    let p = read().await.unwrap().join_permission;
    assert_eq!(p.auth_state, Some(AuthState::Applying));
    assert_eq!(
        p.renter_aliyun_id.as_deref(),
        Some(accounts::RENTER.aliyun_id)
    );
    assert!(env.emulator.accept_order(id));
    let p = read().await.unwrap().join_permission;
    assert_eq!(p.auth_state, Some(AuthState::Accepted));
    assert_eq!(
        p.renter_aliyun_id.as_deref(),
        Some(accounts::RENTER.aliyun_id)
    );
    assert!(env.emulator.cancel_order(id));
    let p = read().await.unwrap().join_permission;
    assert_eq!(
        p.auth_state,
        Some(AuthState::New),
        "CANCELED is not an AuthState"
    );
    assert_eq!(p.renter_aliyun_id, None);
}

#[tokio::test]
async fn iot_instance_id_is_sent_when_given() {
    let env = common::start().await;
    let request = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .iot_instance_id("iot-cn-0pp1n8t")
        .build()
        .unwrap();
    env.aliyun.send(&request).await.unwrap();
    let wire = env.emulator.requests();
    assert_eq!(
        wire.last().unwrap().params["IotInstanceId"],
        "iot-cn-0pp1n8t"
    );
}

#[tokio::test]
async fn reading_another_accounts_permission_is_not_resource_owner() {
    let env = common::start().await;
    let err = env
        .aliyun
        .send(&get_owned(accounts::OTHER_JOIN_PERMISSION_ID))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::NotResourceOwner));
    let err = env.aliyun.send(&get_owned("31337")).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::NonExistent));
}

#[tokio::test]
async fn missing_parameters_are_refused_before_sending() {
    let err = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .renter_aliyun_id("some_user")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "JoinPermissionId"),
        "{err}"
    );
    let err = linkwan::GetJoinPermissionAuthOrder::builder()
        .order_id("  ")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("OrderId"), "{err}");
    let err = linkwan::GetOwnedJoinPermission::builder()
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("JoinPermissionId"), "{err}");
}

/// A documented LinkWAN refusal as the service sends it: the typed code, HTTP 400 and a request
/// id, and the emulator recorded that code for the request.
fn assert_refused(env: &common::Env, err: &Error<ErrorCode>, code: ErrorCode, action: &str) {
    assert_eq!(err.code(), Some(&code), "{action}: {err}");
    let service = err.service_error().unwrap();
    assert_eq!(service.status(), 400, "{action}");
    assert_request_id(service.request_id().expect("a request id"));
    assert!(!err.is_retryable(), "{action}: {err}");
    let recorded = env.emulator.requests();
    let last = recorded.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.code.as_deref()),
        (action, Some(code.as_str()))
    );
}

/// Calls each of the three LinkWAN actions as `account` and checks each is refused with
/// `code`, whatever the resource (one the caller's account owns, one it does not, none).
async fn every_action_is_refused(env: &common::Env, account: accounts::Account, code: ErrorCode) {
    let order = env
        .aliyun
        .send(&submit(
            accounts::SECOND_JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap()
        .order_id;
    let client = common::aliyun_client(&env.emulator, account);
    for permission in [
        accounts::JOIN_PERMISSION_ID,
        accounts::OTHER_JOIN_PERMISSION_ID,
        "31337",
    ] {
        let err = client
            .send(&submit(permission, accounts::RENTER.aliyun_id))
            .await
            .unwrap_err();
        assert_refused(env, &err, code.clone(), "SubmitJoinPermissionAuthOrder");
        let err = client.send(&get_owned(permission)).await.unwrap_err();
        assert_refused(env, &err, code.clone(), "GetOwnedJoinPermission");
    }
    for id in [order, 987_654_321] {
        let err = client.send(&get_order(id)).await.unwrap_err();
        assert_refused(env, &err, code.clone(), "GetJoinPermissionAuthOrder");
    }
    // Nothing was granted on the refused calls' behalf.
    let p = env
        .aliyun
        .send(&get_owned(accounts::JOIN_PERMISSION_ID))
        .await
        .unwrap()
        .join_permission;
    assert_eq!(p.auth_state, Some(AuthState::New));
}

#[tokio::test]
async fn ram_user_without_a_linkwan_policy_is_forbidden_by_ram() {
    let env = common::start().await;
    every_action_is_refused(
        &env,
        accounts::RAM_USER_WITHOUT_LINKWAN,
        ErrorCode::ForbiddenByRam,
    )
    .await;
    // The key itself is good: its policy allows Dysmsapi.
    let ram = common::aliyun_client(&env.emulator, accounts::RAM_USER_WITHOUT_LINKWAN);
    let letter = common::letter("RAM用户授权书").build().unwrap();
    ram.send(&letter).await.unwrap();
}

#[tokio::test]
async fn account_that_has_not_activated_linkwan_is_cloud_product_not_activated() {
    let env = common::start().await;
    every_action_is_refused(
        &env,
        accounts::LINKWAN_NOT_ACTIVATED,
        ErrorCode::CloudProductNotActivated,
    )
    .await;
    // It is a real account all the same: it can be named as a renter.
    env.aliyun
        .send(&submit(
            accounts::JOIN_PERMISSION_ID,
            accounts::LINKWAN_NOT_ACTIVATED.aliyun_id,
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn account_flagged_by_risk_control_is_forbidden_by_risk_control() {
    let env = common::start().await;
    every_action_is_refused(
        &env,
        accounts::RISK_CONTROLLED,
        ErrorCode::ForbiddenByRiskControl,
    )
    .await;
    let flagged = common::aliyun_client(&env.emulator, accounts::RISK_CONTROLLED);
    let letter = common::letter("风控账号授权书").build().unwrap();
    flagged.send(&letter).await.unwrap();
}

#[tokio::test]
async fn advancing_the_services_clock_moves_business_times_but_not_the_gateways() {
    let env = common::start().await;
    env.emulator.advance_time(chrono::Duration::hours(3));
    let later = env.emulator.business_now();
    assert!(later - env.emulator.now() >= chrono::Duration::minutes(179));
    // Requests signed with the real time still pass the gateway.
    let submitted = env
        .aliyun
        .send(
            &alibaba_openapi::aliyun::linkwan::SubmitJoinPermissionAuthOrder::builder()
                .join_permission_id(accounts::JOIN_PERMISSION_ID)
                .renter_aliyun_id(accounts::RENTER.aliyun_id)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let order = env
        .aliyun
        .send(
            &alibaba_openapi::aliyun::linkwan::GetJoinPermissionAuthOrder::builder()
                .order_id(submitted.order_id)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .order;
    let applied = order.applying_at.unwrap();
    assert!(
        (applied - later).num_seconds().abs() <= 5,
        "{applied} is on the services' clock ({later})"
    );
}
