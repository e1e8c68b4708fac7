//! The owner's join permissions: every limit and code of create and update, the cap, what a grant locks, and the owner's listing.

use alibaba_openapi::aliyun::linkwan::{self, AuthState, ClassMode};
use alibaba_openapi::emulator::accounts;
use alibaba_openapi::Error;
use chrono::Duration;

use crate::support::*;

#[tokio::test]
async fn a_permission_being_granted_or_granted_cannot_be_edited_or_deleted_but_can_be_disabled() {
    let p = start().await;
    let id = created(&p.owner, create("locked")).await;
    let rename = update(&id).join_permission_name("renamed").build().unwrap();
    let order_id = submit(&p.owner, &id, RENTER).await.unwrap().to_string();
    for moment in ["applying", "accepted"] {
        let code = refusal(p.owner.send(&rename).await);
        assert_eq!(code, "JoinPermissionAlreadyAuthorized", "{moment}");
        let code = refusal(delete(&p.owner, &id).await);
        assert_eq!(code, "JoinPermissionAlreadyAuthorized", "{moment}");
        let code = refusal(submit(&p.owner, &id, OTHER).await);
        assert_eq!(code, "JoinPermissionAlreadyAuthorized", "{moment}");
        // Enabling and disabling stay the owner's, granted or not.
        set_enabled(&p.owner, &id, true).await.unwrap();
        set_enabled(&p.owner, &id, false).await.unwrap();
        if moment == "applying" {
            move_order(&p.renter, Move::Accept, &order_id)
                .await
                .unwrap();
        }
    }
    assert_eq!(rented(&p.renter, &id).await.unwrap().enabled, Some(false));
    let disabled = rented_list(&p.renter, list_rented(10).enabled(false)).await;
    assert_eq!(disabled.len(), 1, "the renter sees the owner's switch");
    give_back(&p.renter, &id, "LOCAL").await.unwrap();
    p.owner.send(&rename).await.unwrap();
    delete(&p.owner, &id).await.unwrap();
}

#[tokio::test]
async fn names_are_4_to_30_characters_a_chinese_one_counting_two_of_chinese_letters_digits_and_underscores(
) {
    let p = start().await;
    // The typed builder refuses a length out of bounds before sending ...
    let built = create("abc").build();
    assert!(
        matches!(&built, Err(Error::InvalidRequest { parameter, .. }) if parameter == "JoinPermissionName")
    );
    // ... the emulator answers `InvalidName` to a client that sends it.
    let long_chinese = "凭".repeat(15);
    let too_long_chinese = format!("{long_chinese}a");
    for (name, ok) in [
        ("abc", false),
        ("凭", false),
        ("凭证", true),
        ("abcd", true),
        (&"a".repeat(30), true),
        (&"b".repeat(31), false),
        (&long_chinese, true),
        (&too_long_chinese, false),
    ] {
        let request = raw(
            "CreateLocalJoinPermission",
            &[
                ("JoinPermissionName", name),
                ("ClassMode", "A"),
                ("FreqBandPlanGroupId", "101"),
                ("UseDefaultJoinEui", "true"),
            ],
        );
        let answer = p.owner.call(&request).await;
        if ok {
            answer.unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            assert_eq!(refusal(answer), "InvalidName", "{name}");
        }
    }
    // Characters other than Chinese ones, ASCII letters, digits and `_`.
    for name in ["ab-cd", "ab cd", "abc!", "ＡＢＣＤ", "かなかな", "ab.cd"] {
        let code = refusal(p.owner.send(&create(name).build().unwrap()).await);
        assert_eq!(code, "InvalidName", "{name}");
    }
    // The same rules on update, which leaves the permission as it was.
    let id = created(&p.owner, create("before")).await;
    for name in ["ab-cd", "凭证 1"] {
        let request = update(&id).join_permission_name(name).build().unwrap();
        assert_eq!(
            refusal(p.owner.send(&request).await),
            "InvalidName",
            "{name}"
        );
    }
    let short = raw(
        "UpdateOwnedLocalJoinPermission",
        &[("JoinPermissionId", &id), ("JoinPermissionName", "凭")],
    );
    assert_eq!(refusal(p.owner.call(&short).await), "InvalidName");
    let name = owned(&p.owner, &id).await.unwrap().join_permission_name;
    assert_eq!(name.as_deref(), Some("before"));
}

#[tokio::test]
async fn names_are_unique_per_owner_on_create_and_update() {
    let p = start().await;
    let id = created(&p.owner, create("dup_name")).await;
    let again = create("dup_name").build().unwrap();
    assert_eq!(
        refusal(p.owner.send(&again).await),
        "JoinPermissionNameDuplicated"
    );
    assert_eq!(
        refusal(p.owner.send(&create("凭证1").build().unwrap()).await),
        "JoinPermissionNameDuplicated",
        "a seeded permission's name"
    );
    created(&p.other, create("dup_name")).await;
    let taken = update(accounts::SECOND_JOIN_PERMISSION_ID).join_permission_name("凭证1");
    let code = refusal(p.owner.send(&taken.build().unwrap()).await);
    assert_eq!(code, "JoinPermissionNameDuplicated");
    let same = update(accounts::JOIN_PERMISSION_ID).join_permission_name("凭证1");
    p.owner.send(&same.build().unwrap()).await.unwrap();
    delete(&p.owner, &id).await.unwrap();
    created(&p.owner, create("dup_name")).await;
}

#[tokio::test]
async fn class_mode_rx_delay_data_rate_band_plan_and_join_eui_are_checked_on_create_and_update() {
    let p = start().await;
    let send = |request: linkwan::CreateLocalJoinPermissionBuilder| {
        let client = p.owner.clone();
        async move { client.send(&request.build().unwrap()).await }
    };
    for mode in ["D", "a", "AB"] {
        let code = refusal(send(create("mode_x").class_mode(mode)).await);
        assert_eq!(code, "InvalidParameter", "{mode}");
    }
    for (i, mode) in ["A", "B", "C"].into_iter().enumerate() {
        send(create(&format!("mode_{i}")).class_mode(mode))
            .await
            .unwrap();
    }
    for plan in [0, 1, 103, 999] {
        let code = refusal(send(create("plan_x").freq_band_plan_group_id(plan)).await);
        assert_eq!(code, "InvalidFreqBandPlan", "{plan}");
    }
    for plan in [101, 102, 201] {
        send(create(&format!("plan_{plan}")).freq_band_plan_group_id(plan))
            .await
            .unwrap();
    }
    // The builder keeps RxDelay to 1..=15 and DataRate to 0..=5; the emulator too.
    assert!(create("x_rx").rx_delay(16).build().is_err());
    let base = [
        ("ClassMode", "A"),
        ("FreqBandPlanGroupId", "101"),
        ("UseDefaultJoinEui", "true"),
    ];
    for (name, value) in [
        ("RxDelay", "0"),
        ("RxDelay", "16"),
        ("DataRate", "-1"),
        ("DataRate", "6"),
    ] {
        let mut params = base.to_vec();
        params.extend([("JoinPermissionName", "range_x"), (name, value)]);
        let code = refusal(
            p.owner
                .call(&raw("CreateLocalJoinPermission", &params))
                .await,
        );
        assert_eq!(code, "InvalidParameter", "{name}={value}");
    }
    send(create("range_ok").rx_delay(15).data_rate(5))
        .await
        .unwrap();
    // A JoinEUI of one's own: required, 16 hex digits.
    let own = create("own_eui").use_default_join_eui(false);
    assert_eq!(refusal(send(own.clone()).await), "MissingParameter");
    let code = refusal(send(own.clone().join_eui("ZZZZZZZZZZZZZZZZ")).await);
    assert_eq!(code, "InvalidParameter");
    let id = send(own.join_eui("70b3d57ed000abcd"))
        .await
        .unwrap()
        .data
        .unwrap();
    let eui = owned(&p.owner, &id).await.unwrap().join_eui;
    assert_eq!(eui.as_deref(), Some("70B3D57ED000ABCD"));

    // Update: the same checks, on a permission the caller owns.
    let bad = [
        (update(&id).class_mode("Z"), "InvalidParameter"),
        (
            update(&id).freq_band_plan_group_id(7),
            "InvalidFreqBandPlan",
        ),
        (update(&id).join_eui("70B3D57ED000ABCG"), "InvalidParameter"),
        (update("31337").class_mode("A"), "NonExistent"),
        (
            update(accounts::OTHER_JOIN_PERMISSION_ID).class_mode("A"),
            "NotResourceOwner",
        ),
    ];
    for (request, expected) in bad {
        let request = request.build().unwrap();
        assert_eq!(
            refusal(p.owner.send(&request).await),
            expected,
            "{request:?}"
        );
    }
    for (name, value) in [("RxDelay", "0"), ("DataRate", "9"), ("RxDelay", "soon")] {
        let request = raw(
            "UpdateOwnedLocalJoinPermission",
            &[("JoinPermissionId", &id), (name, value)],
        );
        assert_eq!(
            refusal(p.owner.call(&request).await),
            "InvalidParameter",
            "{name}={value}"
        );
    }
    let unchanged = owned(&p.owner, &id).await.unwrap();
    assert_eq!(unchanged.class_mode, Some(ClassMode::A));
    assert_eq!(unchanged.freq_band_plan_group_id, Some(101));
}

#[tokio::test]
async fn an_account_owns_at_most_100_local_permissions_the_seeded_included() {
    let p = start().await;
    let mut last = String::new();
    for i in 3..100 {
        last = created(&p.owner, create(&format!("cap_{i}"))).await;
    }
    let count = linkwan::CountOwnedJoinPermissions::builder()
        .build()
        .unwrap();
    assert_eq!(p.owner.send(&count).await.unwrap().data, Some(100));
    let one_more = create("cap_100").build().unwrap();
    let code = refusal(p.owner.send(&one_more).await);
    assert_eq!(code, "ExceedLocalJoinPermissionLimit");
    created(&p.other, create("cap_other")).await;
    delete(&p.owner, &last).await.unwrap();
    p.owner.send(&one_more).await.unwrap();
}

#[tokio::test]
async fn the_owners_listing_filters_sorts_pages_and_counts_alike() {
    let p = start().await;
    let euis = ["70B3D57ED00000A1", "70B3D57ED00000B2", "70B3D57ED00000A3"];
    let mut ids = vec!["123".to_owned(), "124".to_owned(), "125".to_owned()];
    for (i, eui) in euis.iter().enumerate() {
        p.emulator.advance_time(Duration::minutes(1));
        let request = create(&format!("alpha_{i}"))
            .use_default_join_eui(false)
            .join_eui(*eui);
        ids.push(created(&p.owner, request).await);
    }
    p.emulator.advance_time(Duration::minutes(1));
    ids.push(created(&p.owner, create("beta_0")).await);
    set_enabled(&p.owner, &ids[3], false).await.unwrap();
    set_enabled(&p.owner, &ids[6], false).await.unwrap();
    let applying = submit(&p.owner, &ids[4], RENTER).await.unwrap();
    let accepted = submit(&p.owner, &ids[5], RENTER).await.unwrap();
    move_order(&p.renter, Move::Accept, &accepted.to_string())
        .await
        .unwrap();
    assert!(applying < accepted);

    let walked = |items: Vec<linkwan::ListOwnedJoinPermissionsDataList>| -> Vec<String> {
        items
            .into_iter()
            .map(|i| i.join_permission_id.unwrap())
            .collect()
    };
    // Oldest first by default and with CREATED_MILLIS; newest first when not ascending.
    assert_eq!(walked(owned_list(&p.owner, list_owned(2)).await), ids);
    let sorted = list_owned(4)
        .sorting_field("CREATED_MILLIS")
        .ascending(true);
    assert_eq!(walked(owned_list(&p.owner, sorted).await), ids);
    let mut newest_first = ids.clone();
    newest_first.reverse();
    let descending = list_owned(3)
        .sorting_field("CREATED_MILLIS")
        .ascending(false);
    assert_eq!(walked(owned_list(&p.owner, descending).await), newest_first);
    assert_eq!(
        walked(owned_list(&p.owner, list_owned(1).ascending(false)).await),
        newest_first
    );
    let by_name = list_owned(3).sorting_field("NAME").build().unwrap();
    assert_eq!(refusal(p.owner.send(&by_name).await), "InvalidParameter");

    // Pages of `Limit` to the total, which every page tells.
    let pages = p
        .owner
        .paginate(list_owned(2).build().unwrap())
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages
        .iter()
        .map(|page| page.data.as_ref().unwrap().list.as_ref().unwrap().len())
        .collect();
    assert_eq!(sizes, [2, 2, 2, 1]);
    assert!(pages
        .iter()
        .all(|page| page.data.as_ref().unwrap().total_count == Some(7)));
    let past = raw(
        "ListOwnedJoinPermissions",
        &[("Offset", "50"), ("Limit", "10")],
    );
    let body = p.owner.call(&past).await.unwrap();
    assert_eq!(
        (
            body["Data"]["TotalCount"].as_i64(),
            body["Data"]["List"].as_array().map(Vec::len)
        ),
        (Some(7), Some(0))
    );
    let over = raw(
        "ListOwnedJoinPermissions",
        &[("Offset", "0"), ("Limit", "201")],
    );
    assert_eq!(refusal(p.owner.call(&over).await), "InvalidParameter");

    // Each filter, in the listing and in the count.
    type Filter =
        fn(linkwan::ListOwnedJoinPermissionsBuilder) -> linkwan::ListOwnedJoinPermissionsBuilder;
    type CountFilter =
        fn(linkwan::CountOwnedJoinPermissionsBuilder) -> linkwan::CountOwnedJoinPermissionsBuilder;
    let cases: [(Filter, CountFilter, Vec<&String>); 5] = [
        (
            |r| r.fuzzy_join_permission_name("ALPHA"),
            |r| r.fuzzy_join_permission_name("ALPHA"),
            vec![&ids[3], &ids[4], &ids[5]],
        ),
        (
            |r| r.fuzzy_join_eui("00a"),
            |r| r.fuzzy_join_eui("00a"),
            vec![&ids[3], &ids[5]],
        ),
        (
            |r| r.fuzzy_renter_aliyun_id("some"),
            |r| r.fuzzy_renter_aliyun_id("some"),
            vec![&ids[4], &ids[5]],
        ),
        (
            |r| r.enabled(false),
            |r| r.enabled(false),
            vec![&ids[3], &ids[6]],
        ),
        (
            |r| r.enabled(true).fuzzy_join_permission_name("_0"),
            |r| r.enabled(true).fuzzy_join_permission_name("_0"),
            vec![],
        ),
    ];
    for (i, (filter, count_filter, expected)) in cases.into_iter().enumerate() {
        let found = walked(owned_list(&p.owner, filter(list_owned(1))).await);
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(found, expected, "filter {i}");
        let count = count_filter(linkwan::CountOwnedJoinPermissions::builder())
            .build()
            .unwrap();
        assert_eq!(
            p.owner.send(&count).await.unwrap().data,
            Some(expected.len() as i64),
            "count {i}"
        );
    }
    let granted = owned_list(&p.owner, list_owned(10).fuzzy_renter_aliyun_id("SOME")).await;
    let states: Vec<_> = granted
        .iter()
        .map(|i| i.auth_state.clone().unwrap())
        .collect();
    assert_eq!(states, [AuthState::Applying, AuthState::Accepted]);

    // Each account lists its own only.
    assert!(owned_list(&p.renter, list_owned(10)).await.is_empty());
    let others = walked(owned_list(&p.other, list_owned(10)).await);
    assert_eq!(others, [accounts::OTHER_JOIN_PERMISSION_ID]);
}
