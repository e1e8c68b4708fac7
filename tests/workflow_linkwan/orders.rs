//! Authorization orders: each move from each state by each account, and the Rust controls.

use alibaba_openapi::aliyun::linkwan::{AuthState, NotificationCategory, OrderState};
use alibaba_openapi::emulator::accounts;

use crate::support::*;

#[tokio::test]
async fn each_order_move_is_allowed_from_applying_only_and_only_to_its_party() {
    let p = start().await;
    let id = created(&p.owner, create("matrix")).await;
    let accounts = [(OWNER, &p.owner), (RENTER, &p.renter), (OTHER, &p.other)];
    let states = [
        OrderState::Applying,
        OrderState::Accepted,
        OrderState::Rejected,
        OrderState::Canceled,
    ];
    for from in states {
        for to in [Move::Accept, Move::Reject, Move::Cancel] {
            for (who, client) in accounts {
                let order_id = submit(&p.owner, &id, RENTER).await.unwrap();
                let oid = order_id.to_string();
                match from {
                    OrderState::Accepted => move_order(&p.renter, Move::Accept, &oid).await,
                    OrderState::Rejected => move_order(&p.renter, Move::Reject, &oid).await,
                    OrderState::Canceled => move_order(&p.owner, Move::Cancel, &oid).await,
                    _ => Ok(()),
                }
                .unwrap();

                let party = if to == Move::Cancel { OWNER } else { RENTER };
                let result = move_order(client, to, &oid).await;
                let case = format!("{to:?} of a {from:?} order by {who}");
                let state = order(&p.owner, order_id).await.order_state;
                if who != party {
                    assert_eq!(refusal(result), "NotResourceOwner", "{case}");
                    assert_eq!(state, from, "{case}: unchanged");
                } else if from != OrderState::Applying {
                    assert_eq!(refusal(result), "IllegalOrderStateTransition", "{case}");
                    assert_eq!(state, from, "{case}: unchanged");
                } else {
                    result.unwrap_or_else(|e| panic!("{case}: {e}"));
                    let expected = match to {
                        Move::Accept => OrderState::Accepted,
                        Move::Reject => OrderState::Rejected,
                        Move::Cancel => OrderState::Canceled,
                    };
                    assert_eq!(state, expected, "{case}");
                }

                // The permission follows its order; free it for the next case.
                let auth = owned(&p.owner, &id).await.unwrap().auth_state;
                match state {
                    OrderState::Applying => {
                        assert_eq!(auth, Some(AuthState::Applying), "{case}");
                        move_order(&p.owner, Move::Cancel, &oid).await.unwrap();
                    }
                    OrderState::Accepted => {
                        assert_eq!(auth, Some(AuthState::Accepted), "{case}");
                        give_back(&p.renter, &id, "LOCAL").await.unwrap();
                    }
                    _ => assert_eq!(auth, Some(AuthState::New), "{case}"),
                }
            }
        }
    }
    for to in [Move::Accept, Move::Reject, Move::Cancel] {
        for unknown in ["987654321", "abc"] {
            let code = refusal(move_order(&p.owner, to, unknown).await);
            assert_eq!(code, "NonExistent", "{to:?} {unknown}");
        }
    }
}

#[tokio::test]
async fn the_rust_controls_move_orders_as_the_renter_and_the_owner_would() {
    let p = start().await;
    let id = accounts::SECOND_JOIN_PERMISSION_ID;
    let first = submit(&p.owner, id, RENTER).await.unwrap();
    assert!(p.emulator.accept_order(first));
    assert!(!p.emulator.accept_order(first), "once");
    assert!(rented(&p.renter, id).await.is_ok());
    let told = notifications(&p.owner, list_notifications(10)).await;
    assert_eq!(
        told[0].category,
        Some(NotificationCategory::JoinPermissionAuthAccepted)
    );

    // The control may also cancel an accepted order, which ends the grant.
    assert!(p.emulator.cancel_order(first));
    assert_eq!(
        owned(&p.owner, id).await.unwrap().auth_state,
        Some(AuthState::New)
    );
    assert_eq!(refusal(rented(&p.renter, id).await), "NotResourceOwner");
    let cancel = list_notifications(10).category(["JOIN_PERMISSION_AUTH_CANCELED"]);
    assert_eq!(notifications(&p.renter, cancel).await.len(), 1);

    let second = submit(&p.owner, id, RENTER).await.unwrap();
    assert!(p.emulator.reject_order(second));
    assert!(!p.emulator.cancel_order(second), "rejected is final");
    assert_eq!(
        order(&p.renter, second).await.order_state,
        OrderState::Rejected
    );
    assert!(!p.emulator.accept_order(31337), "unknown");
}
