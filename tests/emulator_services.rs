//! The emulator's product rules over real HTTP: LinkWAN join permissions and orders, Dysmsapi
//! letters of authorization, TOP data-bank applications and the TOP gateway's checks.

mod emulator_support;

use alibaba_openapi::emulator::accounts;
use alibaba_openapi::emulator::Emulator;
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};
use emulator_support::*;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// LinkWAN

#[tokio::test]
async fn second_grant_is_join_permission_already_authorized() {
    let emulator = Emulator::start().await.unwrap();
    let first = submit(&emulator, accounts::OWNER, "123", "some_user").await;
    assert_eq!(first.json["Data"], "1234");
    let second = submit(&emulator, accounts::OWNER, "123", "emulator_other").await;
    assert_eq!(
        (second.status, second.code()),
        (400, "JoinPermissionAlreadyAuthorized")
    );

    // Accepted still blocks; once cancelled the permission can be granted again.
    assert!(emulator.accept_order(1234));
    let third = submit(&emulator, accounts::OWNER, "123", "some_user").await;
    assert_eq!(third.code(), "JoinPermissionAlreadyAuthorized");
    assert!(emulator.cancel_order(1234));
    let fourth = submit(&emulator, accounts::OWNER, "123", "some_user").await;
    assert_eq!(fourth.json["Data"], "1235");
}

#[tokio::test]
async fn granting_someone_elses_permission_is_not_resource_owner_and_unknown_is_non_existent() {
    let emulator = Emulator::start().await.unwrap();
    let reply = submit(
        &emulator,
        accounts::OWNER,
        accounts::OTHER_JOIN_PERMISSION_ID,
        "some_user",
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "NotResourceOwner"));
    let reply = submit(&emulator, accounts::OWNER, "77777", "some_user").await;
    assert_eq!((reply.status, reply.code()), (400, "NonExistent"));
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "SubmitJoinPermissionAuthOrder",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "MissingParameter"));
    assert!(reply.json["Message"]
        .as_str()
        .unwrap()
        .contains("RenterAliyunId"));
}

#[tokio::test]
async fn five_unknown_renters_in_a_row_lock_the_caller_out() {
    let emulator = Emulator::start().await.unwrap();
    for i in 0..5 {
        let reply = submit(&emulator, accounts::OWNER, "123", &format!("ghost_{i}")).await;
        assert_eq!(reply.code(), "RenterDoesNotExist");
    }
    let reply = submit(&emulator, accounts::OWNER, "123", "some_user").await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "TooManyRenterNonExistentFailures")
    );
}

#[tokio::test]
async fn order_lifecycle_is_visible_to_owner_and_renter_only() {
    let emulator = Emulator::start().await.unwrap();
    submit(&emulator, accounts::OWNER, "124", "some_user").await;
    let get = |account| {
        linkwan(
            &emulator,
            account,
            "GetJoinPermissionAuthOrder",
            &[("OrderId", "1234")],
        )
    };

    let applying = get(accounts::OWNER).await;
    let data = &applying.json["Data"];
    assert_eq!(data["OrderState"], "APPLYING");
    assert_eq!(data["OrderId"], "1234");
    assert_eq!(data["JoinPermissionId"], "124");
    assert_eq!(data["OwnerAliyunId"], "emulator_owner");
    assert_eq!(data["RenterAliyunId"], "some_user");
    assert!(data["ApplyingMillis"].as_i64().unwrap() > 1_600_000_000_000);
    assert!(data.get("AcceptedMillis").is_none());

    assert!(emulator.accept_order(1234));
    assert!(
        !emulator.reject_order(1234),
        "an accepted order cannot be rejected"
    );
    let accepted = get(accounts::RENTER).await;
    assert_eq!(accepted.json["Data"]["OrderState"], "ACCEPTED");
    assert!(accepted.json["Data"]["AcceptedMillis"].is_i64());

    let outsider = get(accounts::OTHER).await;
    assert_eq!(
        (outsider.status, outsider.code()),
        (400, "NotResourceOwner")
    );
    let unknown = linkwan(
        &emulator,
        accounts::OWNER,
        "GetJoinPermissionAuthOrder",
        &[("OrderId", "999")],
    )
    .await;
    assert_eq!(unknown.code(), "NonExistent");
}

#[tokio::test]
async fn owned_join_permission_reproduces_the_documented_number_quirks() {
    let emulator = Emulator::start().await.unwrap();
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    let data = &reply.json["Data"];
    assert_eq!(data["JoinPermissionId"], json!(123));
    assert_eq!(data["JoinEui"], json!(0));
    assert_eq!(data["AuthState"], "NEW");
    assert_eq!(data["ClassMode"], "A");
    assert_eq!(data["DataDispatchDestination"], "IOT");
    assert_eq!(data["FreqBandPlanGroupId"], 102);
    for field in [
        "CreateMillis",
        "DataRate",
        "RxDelay",
        "NodesCnt",
        "RxDailySum",
        "TxMonthSum",
        "MulticastNodeCapacity",
    ] {
        assert!(data[field].is_i64(), "{field}");
    }

    submit(&emulator, accounts::OWNER, "124", "some_user").await;
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "124")],
    )
    .await;
    assert_eq!(reply.json["Data"]["JoinEui"], "70B3D57ED0001A2B");
    assert_eq!(reply.json["Data"]["AuthState"], "APPLYING");
    assert_eq!(reply.json["Data"]["RenterAliyunId"], "some_user");

    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "900")],
    )
    .await;
    assert_eq!(reply.code(), "NotResourceOwner");
}

// ---------------------------------------------------------------------------------------------
// Dysmsapi

#[tokio::test]
async fn letter_of_authorization_is_created_with_the_documented_shape() {
    let emulator = Emulator::start().await.unwrap();
    let reply = create_letter(&emulator, accounts::OWNER, letter("菜鸟公司授权书", &[])).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["Code"], "OK");
    assert_eq!(reply.json["Success"], true);
    assert!(reply.json["Data"].as_str().unwrap().parse::<u64>().is_ok());
    assert!(reply.json["RequestId"].as_str().unwrap().ends_with('\n'));
}

#[tokio::test]
async fn letter_name_is_unique_per_account_authorization_letter_name_repeat() {
    let emulator = Emulator::start().await.unwrap();
    create_letter(&emulator, accounts::OWNER, letter("授权书一", &[])).await;
    let again = create_letter(&emulator, accounts::OWNER, letter("授权书一", &[])).await;
    assert_eq!(
        (again.status, again.code()),
        (400, "AuthorizationLetterNameRepeat")
    );
    assert_eq!(again.json["Success"], false);
    let other_account = create_letter(&emulator, accounts::OTHER, letter("授权书一", &[])).await;
    assert_eq!(other_account.status, 200);
}

#[tokio::test]
async fn letter_rules_answer_their_documented_codes() {
    let emulator = Emulator::start().await.unwrap();
    let many: Vec<String> = (0..101).map(|i| format!("签名{i}")).collect();
    let many = serde_json::to_string(&many).unwrap();
    let long_name = "名".repeat(101);
    let long_code = "9".repeat(151);
    let cases: Vec<(&str, Vec<(String, String)>)> = vec![
        ("SignNumOverLimit", letter("a1", &[("SignList", &many)])),
        (
            "SignNotMatchRegex",
            letter("a2", &[("SignList", r#"["【菜鸟】"]"#)]),
        ),
        (
            "SignNotMatchRegex",
            letter("a3", &[("SignList", r#"["x"]"#)]),
        ),
        ("AuthorizationLetterNameNotMatchRegex", letter("12345", &[])),
        ("AuthorizationLetterNameNotMatchRegex", letter("名字!", &[])),
        ("AuthorizationLetterNameOverLimit", letter(&long_name, &[])),
        (
            "AuthorizationLetterDateNotMatchRegex",
            letter(
                "a4",
                &[("AuthorizationLetterExpDate", "2023/01/01-2026/01/01")],
            ),
        ),
        (
            "AuthorizationLetterDateNotValid",
            letter(
                "a5",
                &[("AuthorizationLetterExpDate", "2020-01-01~2021-01-01")],
            ),
        ),
        (
            "AuthorizationNotMatchRegex",
            letter("a6", &[("Authorization", "菜鸟@网络")]),
        ),
        (
            "ProxyAuthorizationNotMatchRegex",
            letter("a7", &[("ProxyAuthorization", "123")]),
        ),
        (
            "OrganizationCodeOverLimit",
            letter("a8", &[("OrganizationCode", &long_code)]),
        ),
        (
            "AuthorizationOssFileNotUploadError",
            letter("a9", &[("AuthorizationLetterPic", "nofile")]),
        ),
    ];
    for (code, params) in cases {
        let reply = create_letter(&emulator, accounts::OWNER, params).await;
        assert_eq!((reply.status, reply.code()), (400, code), "{}", reply.text);
        assert_eq!(reply.json["Success"], false);
    }
}

// ---------------------------------------------------------------------------------------------
// Taobao Open Platform

#[tokio::test]
async fn top_apply_succeeds_with_every_sign_method_and_repeats_are_reported() {
    let emulator = Emulator::start().await.unwrap();
    for (i, method) in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256]
        .into_iter()
        .enumerate()
    {
        let param = apply_param("123445", &format!("11111{i}"));
        let reply = top_call(
            &emulator,
            method,
            &[],
            &[("context", CONTEXT), ("param", &param)],
        )
        .await;
        let result = &reply.json["alibaba_databank_open_auth_apply_response"]["result"];
        assert_eq!(result["errcode"], 0, "{}", reply.text);
        assert_eq!(result["codeclass"], "SUCCESS");
        assert_eq!(result["data"]["apply_entity_id"], format!("11111{i}"));
        assert_eq!(result["data"]["auth_status"], 0);
    }
    let param = apply_param("123445", "111110");
    let again = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", CONTEXT), ("param", &param)],
    )
    .await;
    let result = &again.json["alibaba_databank_open_auth_apply_response"]["result"];
    assert_eq!(result["errcode"], 2001);
    assert_eq!(result["codeclass"], "BIZ_ERROR");
}

#[tokio::test]
async fn top_vector_parameters_signed_by_hand_are_accepted() {
    let emulator = Emulator::start().await.unwrap();
    let case = vector_case("top.json", "databank-open-auth-apply-md5");
    let params = vector_params(&case);
    let get = |name: &str| params.iter().find(|(k, _)| k == name).unwrap().1.clone();
    let (context, param) = (get("context"), get("param"));
    let reply = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", &context), ("param", &param)],
    )
    .await;
    assert_eq!(
        reply.json["alibaba_databank_open_auth_apply_response"]["result"]["errcode"], 0,
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn top_gateway_rejects_bad_sign_unknown_app_key_old_timestamp_and_bad_session() {
    let emulator = Emulator::start().await.unwrap();
    let param = apply_param("1", "2");
    let business = [("context", CONTEXT), ("param", param.as_str())];
    let old = top_sign::timestamp(chrono::Utc::now() - chrono::Duration::minutes(11));
    let cases: Vec<(i64, Vec<(&str, &str)>)> = vec![
        (25, vec![("sign", "0123456789ABCDEF0123456789ABCDEF")]),
        (29, vec![("app_key", "99999999")]),
        (31, vec![("timestamp", old.as_str())]),
        (27, vec![("session", "stolen-session")]),
        (22, vec![("method", "taobao.nothing.get")]),
        (34, vec![("v", "1.0")]),
    ];
    for (code, system) in cases {
        let reply = top_call(&emulator, SignMethod::HmacSha256, &system, &business).await;
        assert_eq!(reply.status, 200, "TOP answers errors with 200");
        assert_eq!(reply.top_code(), code, "{}", reply.text);
        assert!(reply.json["error_response"]["request_id"].is_string());
    }
    let reply = top_call(
        &emulator,
        SignMethod::Md5,
        &[("session", accounts::TOP_SESSION)],
        &business,
    )
    .await;
    assert_eq!(
        reply.top_code(),
        0,
        "a valid session is accepted: {}",
        reply.text
    );
}

#[tokio::test]
async fn top_apply_checks_its_struct_parameters_and_databank_keys() {
    let emulator = Emulator::start().await.unwrap();
    let param = apply_param("1", "2");
    let reply = top_call(&emulator, SignMethod::Md5, &[], &[("param", &param)]).await;
    assert_eq!(reply.top_code(), 40);
    assert_eq!(
        reply.json["error_response"]["msg"],
        "Missing required arguments:context"
    );

    let reply = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", "ak=x"), ("param", &param)],
    )
    .await;
    assert_eq!(reply.top_code(), 41);

    let reply = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", CONTEXT), ("param", r#"{"apply_biz_id":"1"}"#)],
    )
    .await;
    assert_eq!(reply.top_code(), 15);
    assert_eq!(
        reply.json["error_response"]["sub_code"],
        "isv.invalid-parameter"
    );

    let wrong = r#"{"ak":"lingyang_daas","sk":"guess"}"#;
    let reply = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", wrong), ("param", &param)],
    )
    .await;
    let result = &reply.json["alibaba_databank_open_auth_apply_response"]["result"];
    assert_eq!(result["errcode"], 1001);
    assert_eq!(result["codeclass"], "PARAM_ERROR");
}
