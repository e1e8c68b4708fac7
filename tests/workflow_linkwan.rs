//! LinkWAN join permissions end to end with two accounts acting, each with its own keys: the
//! owner (`accounts::OWNER`) creates, edits, grants and deletes its permissions, the renter
//! (`accounts::RENTER`, `some_user`) accepts, rejects, uses and returns them, and each sees
//! the other's moves in its notifications. Over HTTP with the typed client, against the
//! emulator's state and its services' clock.

mod common;
#[path = "workflow_linkwan/notifications.rs"]
mod notifications;
#[path = "workflow_linkwan/orders.rs"]
mod orders;
#[path = "workflow_linkwan/permissions.rs"]
mod permissions;
#[path = "workflow_linkwan/rented.rs"]
mod rented;
#[path = "workflow_linkwan/support.rs"]
mod support;

use alibaba_openapi::aliyun::linkwan::{
    self, AuthState, ClassMode, HandleState, JoinPermissionType, NotificationCategory, OrderState,
};
use support::*;

#[tokio::test]
async fn a_permission_is_created_granted_used_returned_and_deleted_by_its_two_parties() {
    let p = start().await;

    // The owner creates a permission and finds it beside the seeded three.
    let id = created(&p.owner, create("网关凭证_A").rx_delay(2).data_rate(3)).await;
    let listed = owned_list(&p.owner, list_owned(10)).await;
    let ids: Vec<_> = listed
        .iter()
        .map(|i| i.join_permission_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["123", "124", "125", id.as_str()], "by creation time");
    let count = linkwan::CountOwnedJoinPermissions::builder()
        .build()
        .unwrap();
    assert_eq!(p.owner.send(&count).await.unwrap().data, Some(4));
    let mine = owned(&p.owner, &id).await.unwrap();
    assert_eq!(mine.join_permission_name.as_deref(), Some("网关凭证_A"));
    assert_eq!(mine.auth_state, Some(AuthState::New));
    assert_eq!((mine.rx_delay, mine.data_rate), (Some(2), Some(3)));
    assert_eq!(
        mine.join_eui.as_deref(),
        Some("0000000000000000"),
        "the default"
    );
    assert_eq!(mine.enabled, Some(true));

    // ... changes it, disables and enables it again ...
    let change = update(&id)
        .join_permission_name("网关凭证_B")
        .class_mode("C")
        .freq_band_plan_group_id(201)
        .join_eui("70b3d57ed0001abc")
        .rx_delay("5")
        .data_rate("1");
    p.owner.send(&change.build().unwrap()).await.unwrap();
    let mine = owned(&p.owner, &id).await.unwrap();
    assert_eq!(mine.join_permission_name.as_deref(), Some("网关凭证_B"));
    assert_eq!(mine.class_mode, Some(ClassMode::C));
    assert_eq!(mine.freq_band_plan_group_id, Some(201));
    assert_eq!(mine.join_eui.as_deref(), Some("70B3D57ED0001ABC"));
    assert_eq!((mine.rx_delay, mine.data_rate), (Some(5), Some(1)));
    set_enabled(&p.owner, &id, false).await.unwrap();
    let disabled = owned_list(&p.owner, list_owned(10).enabled(false)).await;
    assert_eq!(disabled.len(), 1);
    assert_eq!(disabled[0].join_permission_id.as_deref(), Some(id.as_str()));
    set_enabled(&p.owner, &id, true).await.unwrap();
    assert_eq!(owned(&p.owner, &id).await.unwrap().enabled, Some(true));

    // ... and offers it to the renter, who is told so.
    let order_id = submit(&p.owner, &id, RENTER).await.unwrap();
    let mine = owned(&p.owner, &id).await.unwrap();
    assert_eq!(mine.auth_state, Some(AuthState::Applying));
    assert_eq!(mine.renter_aliyun_id.as_deref(), Some(RENTER));
    let told = notifications(&p.renter, list_notifications(10)).await;
    assert_eq!(told.len(), 1);
    assert_eq!(
        told[0].category,
        Some(NotificationCategory::JoinPermissionAuthApplying)
    );
    assert_eq!(told[0].handle_state, Some(HandleState::Unhandled));
    let info = told[0].join_permission_auth_info.as_ref().unwrap();
    assert_eq!(info.order_id, Some(order_id.to_string()));
    assert_eq!(info.join_permission_id.as_deref(), Some(id.as_str()));
    assert_eq!(info.join_permission_name.as_deref(), Some("网关凭证_B"));
    assert_eq!(info.owner_aliyun_id.as_deref(), Some(OWNER));
    assert!(notifications(&p.owner, list_notifications(10))
        .await
        .is_empty());

    // The renter accepts: it rents the permission, and the owner is told.
    move_order(&p.renter, Move::Accept, &order_id.to_string())
        .await
        .unwrap();
    let rents = rented_list(&p.renter, list_rented(10)).await;
    assert_eq!(rents.len(), 1);
    assert_eq!(rents[0].join_permission_id.as_deref(), Some(id.as_str()));
    assert_eq!(rents[0].r#type, Some(JoinPermissionType::Local));
    assert_eq!(rents[0].owner_aliyun_id.as_deref(), Some(OWNER));
    assert_eq!(rents[0].freq_band_plan_group_id, Some(201));
    let used = rented(&p.renter, &id).await.unwrap();
    assert_eq!(used.join_permission_name.as_deref(), Some("网关凭证_B"));
    assert_eq!(used.join_eui.as_deref(), Some("70B3D57ED0001ABC"));
    let mine = owned(&p.owner, &id).await.unwrap();
    assert_eq!(mine.auth_state, Some(AuthState::Accepted));
    assert_eq!(mine.renter_aliyun_id.as_deref(), Some(RENTER));
    let by_renter = owned_list(&p.owner, list_owned(10).fuzzy_renter_aliyun_id("some_")).await;
    assert_eq!(by_renter.len(), 1);
    assert_eq!(by_renter[0].auth_state, Some(AuthState::Accepted));
    let told = notifications(&p.owner, list_notifications(10)).await;
    assert_eq!(told.len(), 1);
    assert_eq!(
        told[0].category,
        Some(NotificationCategory::JoinPermissionAuthAccepted)
    );
    assert_eq!(
        order(&p.owner, order_id).await.order_state,
        OrderState::Accepted
    );

    // Granted, it can be neither changed nor deleted.
    let again = update(&id)
        .join_permission_name("网关凭证_C")
        .build()
        .unwrap();
    let code = refusal(p.owner.send(&again).await);
    assert_eq!(code, "JoinPermissionAlreadyAuthorized");
    assert_eq!(
        refusal(delete(&p.owner, &id).await),
        "JoinPermissionAlreadyAuthorized"
    );

    // The renter gives it back: NEW again, no renter; the order stays ACCEPTED.
    give_back(&p.renter, &id, "LOCAL").await.unwrap();
    let mine = owned(&p.owner, &id).await.unwrap();
    assert_eq!(mine.auth_state, Some(AuthState::New));
    assert_eq!(mine.renter_aliyun_id, None);
    assert!(rented_list(&p.renter, list_rented(10)).await.is_empty());
    assert_eq!(
        order(&p.renter, order_id).await.order_state,
        OrderState::Accepted
    );

    // And the owner deletes it.
    delete(&p.owner, &id).await.unwrap();
    assert_eq!(refusal(owned(&p.owner, &id).await), "NonExistent");
    assert_eq!(p.owner.send(&count).await.unwrap().data, Some(3));
    assert_eq!(
        order(&p.owner, order_id).await.join_permission_id,
        id,
        "still readable"
    );
}
