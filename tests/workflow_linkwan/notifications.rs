//! Notifications of orders to each party, their filters and handle states, and the services' clock behind every time.

use alibaba_openapi::aliyun::linkwan::{self, HandleState, NotificationCategory, OrderState};
use alibaba_openapi::emulator::accounts;
use chrono::Duration;

use crate::support::*;

#[tokio::test]
async fn each_party_is_told_what_the_other_did_and_marks_it_handled() {
    let p = start().await;
    let id = accounts::SECOND_JOIN_PERMISSION_ID;
    let accepted = submit(&p.owner, id, RENTER).await.unwrap();
    move_order(&p.renter, Move::Accept, &accepted.to_string())
        .await
        .unwrap();
    give_back(&p.renter, id, "LOCAL").await.unwrap();
    let rejected = submit(&p.owner, id, RENTER).await.unwrap();
    move_order(&p.renter, Move::Reject, &rejected.to_string())
        .await
        .unwrap();
    let canceled = submit(&p.owner, id, RENTER).await.unwrap();
    move_order(&p.owner, Move::Cancel, &canceled.to_string())
        .await
        .unwrap();

    let seen =
        |items: &[linkwan::ListNotificationsDataList]| -> Vec<(NotificationCategory, String)> {
            items
                .iter()
                .map(|n| {
                    let order = n
                        .join_permission_auth_info
                        .as_ref()
                        .unwrap()
                        .order_id
                        .clone()
                        .unwrap();
                    (n.category.clone().unwrap(), order)
                })
                .collect()
        };
    use NotificationCategory::*;
    let renter = notifications(&p.renter, list_notifications(10)).await;
    let expected = [
        (JoinPermissionAuthApplying, accepted.to_string()),
        (JoinPermissionAuthApplying, rejected.to_string()),
        (JoinPermissionAuthApplying, canceled.to_string()),
        (JoinPermissionAuthCanceled, canceled.to_string()),
    ];
    assert_eq!(
        seen(&renter),
        expected,
        "the renter: offers and cancellations"
    );
    let owner = notifications(&p.owner, list_notifications(10)).await;
    let expected = [
        (JoinPermissionAuthAccepted, accepted.to_string()),
        (JoinPermissionAuthRejected, rejected.to_string()),
    ];
    assert_eq!(seen(&owner), expected, "the owner: the renter's answers");
    assert!(notifications(&p.other, list_notifications(10))
        .await
        .is_empty());

    // The order as it is now, the permission as it was.
    let info = renter[0].join_permission_auth_info.as_ref().unwrap();
    assert_eq!(
        info.order_state,
        Some(OrderState::Accepted),
        "accepted since"
    );
    assert!(info.accepted_at.is_some() && info.applying_at.is_some());
    assert_eq!(info.join_permission_name.as_deref(), Some("凭证2"));
    assert_eq!(info.join_eui.as_deref(), Some("70B3D57ED0001A2B"));
    assert_eq!(
        (
            info.owner_aliyun_id.as_deref(),
            info.renter_aliyun_id.as_deref()
        ),
        (Some(OWNER), Some(RENTER))
    );

    // Reading one: the receiver's only.
    let get = |id: &str| {
        linkwan::GetNotification::builder()
            .notification_id(id)
            .build()
            .unwrap()
    };
    let first = renter[0].notification_id.clone().unwrap();
    let data = p.renter.send(&get(&first)).await.unwrap().data.unwrap();
    assert_eq!(data.category, Some(JoinPermissionAuthApplying));
    assert_eq!(data.handle_state, Some(HandleState::Unhandled));
    assert_eq!(data.handled_at, None);
    assert_eq!(
        refusal(p.owner.send(&get(&first)).await),
        "NotResourceOwner"
    );
    assert_eq!(refusal(p.renter.send(&get("99999")).await), "NonExistent");
    assert_eq!(refusal(p.renter.send(&get("first")).await), "NonExistent");

    // Marking them handled, and back.
    let ids = |items: &[linkwan::ListNotificationsDataList]| -> Vec<i64> {
        items
            .iter()
            .map(|n| n.notification_id.as_deref().unwrap().parse().unwrap())
            .collect()
    };
    let mark = |state: &str, ids: Vec<i64>| {
        linkwan::UpdateNotificationsHandleState::builder()
            .target_handle_state(state)
            .notification_id(ids)
            .build()
            .unwrap()
    };
    let renters = ids(&renter);
    let mixed = vec![renters[0], ids(&owner)[0]];
    assert_eq!(
        refusal(p.renter.send(&mark("HANDLED", mixed)).await),
        "NotResourceOwner"
    );
    assert_eq!(
        refusal(p.renter.send(&mark("HANDLED", vec![99999])).await),
        "NonExistent"
    );
    assert_eq!(
        refusal(p.renter.send(&mark("DONE", vec![renters[0]])).await),
        "InvalidParameter"
    );
    let unhandled = || linkwan::CountNotifications::builder().handle_state("UNHANDLED");
    assert_eq!(
        count_notifications(&p.renter, unhandled()).await,
        4,
        "nothing changed"
    );
    p.renter
        .send(&mark("HANDLED", renters[..2].to_vec()))
        .await
        .unwrap();
    assert_eq!(count_notifications(&p.renter, unhandled()).await, 2);
    let handled = notifications(&p.renter, list_notifications(10).handle_state("HANDLED")).await;
    assert_eq!(ids(&handled), renters[..2]);
    assert!(handled.iter().all(|n| n.handled_at.is_some()));
    p.renter
        .send(&mark("UNHANDLED", vec![renters[0]]))
        .await
        .unwrap();
    let back = p.renter.send(&get(&first)).await.unwrap().data.unwrap();
    assert_eq!(
        (back.handle_state, back.handled_at),
        (Some(HandleState::Unhandled), None)
    );
    assert_eq!(
        count_notifications(&p.owner, unhandled()).await,
        2,
        "the owner's untouched"
    );
}

#[tokio::test]
async fn notifications_filter_by_category_state_and_time_and_page() {
    let p = start().await;
    let start_at = p.emulator.business_now();
    let mut orders = Vec::new();
    for hour in 0..4 {
        p.emulator.advance_time(Duration::hours(1));
        let id = submit(&p.owner, accounts::JOIN_PERMISSION_ID, RENTER)
            .await
            .unwrap();
        let to = if hour % 2 == 0 {
            Move::Cancel
        } else {
            Move::Accept
        };
        let client = if to == Move::Cancel {
            &p.owner
        } else {
            &p.renter
        };
        move_order(client, to, &id.to_string()).await.unwrap();
        if to == Move::Accept {
            give_back(&p.renter, accounts::JOIN_PERMISSION_ID, "LOCAL")
                .await
                .unwrap();
        }
        orders.push(id);
    }
    // The renter holds 4 offers and 2 cancellations, an hour apart.
    let all = notifications(&p.renter, list_notifications(1)).await;
    assert_eq!(all.len(), 6);
    let times: Vec<_> = all.iter().map(|n| n.notice_at.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    let newest_first = notifications(
        &p.renter,
        list_notifications(4).ascending(false).sorting_field("ANY"),
    )
    .await;
    let mut reversed = all.clone();
    reversed.reverse();
    let id_of = |n: &linkwan::ListNotificationsDataList| n.notification_id.clone().unwrap();
    assert_eq!(
        newest_first.iter().map(id_of).collect::<Vec<_>>(),
        reversed.iter().map(id_of).collect::<Vec<_>>()
    );

    let category = |c: &[&str]| list_notifications(2).category(c.to_vec());
    assert_eq!(
        notifications(&p.renter, category(&["JOIN_PERMISSION_AUTH_CANCELED"]))
            .await
            .len(),
        2
    );
    let both = [
        "JOIN_PERMISSION_AUTH_CANCELED",
        "JOIN_PERMISSION_AUTH_APPLYING",
    ];
    assert_eq!(notifications(&p.renter, category(&both)).await.len(), 6);
    assert!(notifications(&p.renter, category(&["GATEWAY_OFFLINE"]))
        .await
        .is_empty());
    let bad = category(&["JOIN_PERMISSION_AUTH"]).build().unwrap();
    assert_eq!(refusal(p.renter.send(&bad).await), "InvalidParameter");
    let bad = list_notifications(2).handle_state("NEW").build().unwrap();
    assert_eq!(refusal(p.renter.send(&bad).await), "InvalidParameter");

    // Between two times, both included: the second hour's order only.
    let begin = start_at + Duration::minutes(90);
    let end = start_at + Duration::minutes(150);
    let window = list_notifications(5)
        .begin_millis(begin.timestamp_millis())
        .end_millis(end.timestamp_millis());
    let found = notifications(&p.renter, window).await;
    assert_eq!(found.len(), 1);
    let order_id = found[0]
        .join_permission_auth_info
        .as_ref()
        .unwrap()
        .order_id
        .clone();
    assert_eq!(order_id, Some(orders[1].to_string()));
    let exact = all[0].notice_at.unwrap().timestamp_millis();
    let count = linkwan::CountNotifications::builder()
        .begin_millis(exact)
        .end_millis(exact);
    assert_eq!(count_notifications(&p.renter, count).await, 1);
    let since = linkwan::CountNotifications::builder().begin_millis(begin.timestamp_millis());
    assert_eq!(count_notifications(&p.renter, since).await, 4);
    let owner_accepted =
        linkwan::CountNotifications::builder().category(["JOIN_PERMISSION_AUTH_ACCEPTED"]);
    assert_eq!(count_notifications(&p.owner, owner_accepted).await, 2);
}

#[tokio::test]
async fn every_time_follows_the_services_clock() {
    let p = start().await;
    p.emulator.advance_time(Duration::days(3));
    let id = created(&p.owner, create("clock_work")).await;
    let created_at = owned(&p.owner, &id).await.unwrap().created_at;
    assert!(
        near(created_at, p.emulator.business_now()),
        "{created_at:?}"
    );

    p.emulator.advance_time(Duration::hours(5));
    let order_id = submit(&p.owner, &id, RENTER).await.unwrap();
    let applied = p.emulator.business_now();
    p.emulator.advance_time(Duration::hours(7));
    move_order(&p.renter, Move::Accept, &order_id.to_string())
        .await
        .unwrap();
    let accepted = p.emulator.business_now();
    let read = order(&p.renter, order_id).await;
    assert!(
        near(read.applying_at, applied) && near(read.accepted_at, accepted),
        "{read:?}"
    );
    assert_eq!(rented(&p.renter, &id).await.unwrap().create_at, created_at);

    let offer = notifications(&p.renter, list_notifications(1))
        .await
        .remove(0);
    assert!(near(offer.notice_at, applied));
    let answer = notifications(&p.owner, list_notifications(1))
        .await
        .remove(0);
    assert!(near(answer.notice_at, accepted));
    let info = answer.join_permission_auth_info.unwrap();
    assert!(near(info.applying_at, applied) && near(info.accepted_at, accepted));

    p.emulator.advance_time(Duration::days(1));
    let handled_when = p.emulator.business_now();
    let id_number: i64 = offer.notification_id.unwrap().parse().unwrap();
    let mark = linkwan::UpdateNotificationsHandleState::builder()
        .target_handle_state("HANDLED")
        .notification_id([id_number])
        .build()
        .unwrap();
    p.renter.send(&mark).await.unwrap();
    p.emulator.advance_time(Duration::days(1));
    p.renter.send(&mark).await.unwrap();
    let handled = notifications(&p.renter, list_notifications(1))
        .await
        .remove(0);
    assert!(
        near(handled.handled_at, handled_when),
        "the first time it was handled"
    );
    let real = chrono::Utc::now();
    assert!(
        handled.handled_at.unwrap() - real > Duration::days(4),
        "not the real clock"
    );
}
