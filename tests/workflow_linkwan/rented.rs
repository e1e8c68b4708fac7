//! The renter's view: its listing, reading and returning what it rents.

use alibaba_openapi::aliyun::linkwan::{self, ClassMode, JoinPermissionType, OrderState};
use alibaba_openapi::emulator::accounts;
use chrono::Duration;

use crate::support::*;

#[tokio::test]
async fn the_renters_listing_shows_what_it_accepted_with_filters_sorting_and_paging() {
    let p = start().await;
    let mut mine = Vec::new();
    for name in ["rent_a", "rent_b", "rent_c"] {
        p.emulator.advance_time(Duration::minutes(1));
        let id = created(&p.owner, create(name)).await;
        let order_id = submit(&p.owner, &id, RENTER).await.unwrap();
        if name != "rent_c" {
            move_order(&p.renter, Move::Accept, &order_id.to_string())
                .await
                .unwrap();
        }
        mine.push(id);
    }
    let from_other = submit(&p.other, accounts::OTHER_JOIN_PERMISSION_ID, RENTER)
        .await
        .unwrap();
    move_order(&p.renter, Move::Accept, &from_other.to_string())
        .await
        .unwrap();
    set_enabled(&p.owner, &mine[1], false).await.unwrap();

    let walked = |items: Vec<linkwan::ListRentedJoinPermissionsDataList>| -> Vec<String> {
        items
            .into_iter()
            .map(|i| i.join_permission_id.unwrap())
            .collect()
    };
    // 900 was created in 2018; rent_c is still APPLYING, not rented.
    let all = ["900", mine[0].as_str(), mine[1].as_str()];
    let items = rented_list(&p.renter, list_rented(1)).await;
    assert_eq!(walked(items.clone()), all);
    let first = &items[1];
    assert_eq!(first.r#type, Some(JoinPermissionType::Local));
    assert_eq!(first.owner_aliyun_id.as_deref(), Some(OWNER));
    assert_eq!(first.join_permission_name.as_deref(), Some("rent_a"));
    assert_eq!(
        (
            first.freq_band_plan_group_id,
            first.rx_delay,
            first.data_rate
        ),
        (Some(101), Some(1), Some(0))
    );
    assert_eq!(
        (
            first.class_mode.clone(),
            first.enabled,
            first.bound_node_group
        ),
        (Some(ClassMode::A), Some(true), Some(false))
    );
    assert_eq!(items[0].owner_aliyun_id.as_deref(), Some(OTHER));
    let descending = list_rented(2)
        .sorting_field("CREATED_MILLIS")
        .ascending(false);
    let mut newest_first = all.to_vec();
    newest_first.reverse();
    assert_eq!(
        walked(rented_list(&p.renter, descending).await),
        newest_first
    );
    let wrong = list_rented(2)
        .sorting_field("RENTED_MILLIS")
        .build()
        .unwrap();
    assert_eq!(refusal(p.renter.send(&wrong).await), "InvalidParameter");

    type Filter =
        fn(linkwan::ListRentedJoinPermissionsBuilder) -> linkwan::ListRentedJoinPermissionsBuilder;
    type CountFilter = fn(
        linkwan::CountRentedJoinPermissionsBuilder,
    ) -> linkwan::CountRentedJoinPermissionsBuilder;
    let cases: [(Filter, CountFilter, Vec<&str>); 7] = [
        (
            |r| r.fuzzy_owner_aliyun_id("OTHER"),
            |r| r.fuzzy_owner_aliyun_id("OTHER"),
            vec!["900"],
        ),
        (
            |r| r.fuzzy_join_permission_name("rent_"),
            |r| r.fuzzy_join_permission_name("rent_"),
            vec![mine[0].as_str(), mine[1].as_str()],
        ),
        (
            |r| r.fuzzy_join_eui("0900"),
            |r| r.fuzzy_join_eui("0900"),
            vec!["900"],
        ),
        (
            |r| r.enabled(false),
            |r| r.enabled(false),
            vec![mine[1].as_str()],
        ),
        (
            |r| r.r#type("LOCAL").bound_node_group(false),
            |r| r.r#type("LOCAL").bound_node_group(false),
            all.to_vec(),
        ),
        (|r| r.r#type("ROAMING"), |r| r.r#type("ROAMING"), vec![]),
        (
            |r| r.bound_node_group(true),
            |r| r.bound_node_group(true),
            vec![],
        ),
    ];
    for (i, (filter, count_filter, expected)) in cases.into_iter().enumerate() {
        let found = walked(rented_list(&p.renter, filter(list_rented(2))).await);
        assert_eq!(found, expected, "filter {i}");
        let count = count_filter(linkwan::CountRentedJoinPermissions::builder())
            .build()
            .unwrap();
        assert_eq!(
            p.renter.send(&count).await.unwrap().data,
            Some(expected.len() as i64),
            "count {i}"
        );
    }
    let bad_type = list_rented(2).r#type("LOCALE").build().unwrap();
    assert_eq!(refusal(p.renter.send(&bad_type).await), "InvalidParameter");
    assert!(
        rented_list(&p.owner, list_rented(10)).await.is_empty(),
        "the owner rents nothing"
    );
}

#[tokio::test]
async fn only_the_renter_reads_or_returns_what_it_rents() {
    let p = start().await;
    let id = accounts::JOIN_PERMISSION_ID;
    let order_id = submit(&p.owner, id, RENTER).await.unwrap();
    assert_eq!(
        refusal(rented(&p.renter, id).await),
        "NotResourceOwner",
        "not accepted yet"
    );
    assert_eq!(
        refusal(give_back(&p.renter, id, "LOCAL").await),
        "NotResourceOwner"
    );
    move_order(&p.renter, Move::Accept, &order_id.to_string())
        .await
        .unwrap();

    let data = rented(&p.renter, id).await.unwrap();
    assert_eq!(data.join_permission_id.as_deref(), Some(id));
    assert_eq!(data.r#type, Some(JoinPermissionType::Local));
    assert_eq!(
        data.create_at,
        chrono::DateTime::from_timestamp_millis(1_514_736_000_000)
    );
    assert_eq!(
        (data.nodes_cnt, data.freq_band_plan_group_id),
        (Some(10), Some(102))
    );
    for client in [&p.owner, &p.other] {
        assert_eq!(refusal(rented(client, id).await), "NotResourceOwner");
        assert_eq!(
            refusal(give_back(client, id, "LOCAL").await),
            "NotResourceOwner"
        );
    }
    assert_eq!(refusal(rented(&p.renter, "31337").await), "NonExistent");
    assert_eq!(
        refusal(give_back(&p.renter, "31337", "LOCAL").await),
        "NonExistent"
    );
    assert_eq!(
        refusal(give_back(&p.renter, id, "ROAMING").await),
        "NonExistent"
    );
    assert_eq!(
        refusal(give_back(&p.renter, id, "local").await),
        "InvalidParameter"
    );

    give_back(&p.renter, id, "LOCAL").await.unwrap();
    assert_eq!(
        refusal(give_back(&p.renter, id, "LOCAL").await),
        "NotResourceOwner",
        "once"
    );
    assert_eq!(refusal(rented(&p.renter, id).await), "NotResourceOwner");
    assert_eq!(
        order(&p.owner, order_id).await.order_state,
        OrderState::Accepted
    );
    // Free again: the owner may grant it anew, to anyone.
    let next = submit(&p.owner, id, OTHER).await.unwrap();
    assert_eq!(
        owned(&p.owner, id)
            .await
            .unwrap()
            .renter_aliyun_id
            .as_deref(),
        Some(OTHER)
    );
    assert!(next > order_id);
}
