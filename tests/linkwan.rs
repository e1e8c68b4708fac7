//! LinkWAN actions end to end against the emulator.

mod common;

use alibaba_openapi::aliyun::linkwan::{
    self, AuthState, ClassMode, DataDispatchDestination, ErrorCode, OrderState,
};
use alibaba_openapi::emulator::accounts;
use alibaba_openapi::Error;

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

#[tokio::test]
async fn submitted_order_reads_back_as_applying() {
    let env = common::start().await;
    let submitted = env
        .aliyun
        .send(&submit(
            accounts::JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap();
    assert!(!submitted.request_id.is_empty());

    let order = env
        .aliyun
        .send(&get_order(submitted.order_id))
        .await
        .unwrap()
        .order;
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
    let applying = order.applying_at.expect("ApplyingMillis is set");
    assert!((chrono::Utc::now() - applying).num_seconds().abs() < 60);
    assert_eq!(order.accepted_at, None);

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
async fn accepted_order_carries_its_acceptance_time() {
    let env = common::start().await;
    let id = env
        .aliyun
        .send(&submit(
            accounts::JOIN_PERMISSION_ID,
            accounts::RENTER.aliyun_id,
        ))
        .await
        .unwrap()
        .order_id;
    assert!(env.emulator.accept_order(id));
    let order = env.aliyun.send(&get_order(id)).await.unwrap().order;
    assert_eq!(order.order_state, OrderState::Accepted);
    assert!(order.accepted_at.is_some());
    assert!(order.accepted_at >= order.applying_at);
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
async fn owned_join_permission_decodes_the_documented_quirks() {
    let env = common::start().await;
    let owned = env
        .aliyun
        .send(&get_owned(accounts::JOIN_PERMISSION_ID))
        .await
        .unwrap();
    let p = owned.join_permission;
    // Sent as the number 123 and the number 0, as the documentation shows.
    assert_eq!(p.join_permission_id, "123");
    assert_eq!(p.join_eui.as_deref(), Some("0000000000000000"));
    assert_eq!(p.class_mode, Some(ClassMode::A));
    assert_eq!(p.auth_state, Some(AuthState::New));
    assert_eq!(
        p.data_dispatch_destination,
        Some(DataDispatchDestination::Iot)
    );
    assert!(p.created_at.is_some());
    assert!(p.enabled.is_some());
    assert!(p.freq_band_plan_group_id.is_some());
    assert!(p.join_permission_name.is_some());

    let wire = env.emulator.requests();
    let body_kind = wire.last().unwrap();
    assert_eq!(body_kind.action, "GetOwnedJoinPermission");
    assert!(!body_kind.params.contains_key("IotInstanceId"));

    let second = env
        .aliyun
        .send(&get_owned(accounts::SECOND_JOIN_PERMISSION_ID))
        .await
        .unwrap()
        .join_permission;
    assert_eq!(second.join_eui.as_deref(), Some("70B3D57ED0001A2B"));
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
