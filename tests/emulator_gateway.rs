//! The emulator's Alibaba Cloud RPC gateway over real HTTP: signature v1 and V3, timestamps,
//! nonces, routing, security tokens. Requests are signed by hand (see `emulator_support`).

mod emulator_support;

use alibaba_openapi::aliyun::sign::v1;
use alibaba_openapi::emulator::accounts;
use alibaba_openapi::emulator::Emulator;
use emulator_support::*;

#[tokio::test]
async fn request_signed_by_hand_from_the_vector_parameters_is_accepted() {
    let emulator = Emulator::start().await.unwrap();
    let case = vector_case("rpc_v1.json", "linkwan-SubmitJoinPermissionAuthOrder");
    let mut params = vector_params(&case);
    // The signer reproduces the vector, so signing by hand below is the documented algorithm.
    assert_eq!(
        v1::signature("POST", params.iter().cloned(), "testsecret"),
        case["signature"].as_str().unwrap()
    );
    // Same parameters (RegionId and an empty SignatureType included), but a known key and now.
    for (name, value) in params.iter_mut() {
        match name.as_str() {
            "AccessKeyId" => *value = accounts::OWNER.access_key_id.to_owned(),
            "Timestamp" => *value = rpc_timestamp(chrono::Utc::now()),
            "SignatureNonce" => *value = nonce(),
            _ => {}
        }
    }
    let reply = post_signed(&emulator, accounts::OWNER.access_key_secret, params).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["Success"], true);
    assert_eq!(reply.json["Data"], "1234");
    assert!(reply.json["RequestId"].as_str().unwrap().len() >= 32);
}

#[tokio::test]
async fn bad_signature_is_signature_does_not_match_with_the_server_string_to_sign() {
    let emulator = Emulator::start().await.unwrap();
    let params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", "123")],
    );
    let reply = post_signed(&emulator, "not-the-secret", params).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), "SignatureDoesNotMatch");
    let message = reply.json["Message"].as_str().unwrap();
    assert!(message.starts_with("Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D"), "{message}");
    assert!(reply.json["HostId"].as_str().is_some());
    assert!(reply.json["Recommend"]
        .as_str()
        .unwrap()
        .contains("q=SignatureDoesNotMatch&product=LinkWAN"));
}

#[tokio::test]
async fn unknown_access_key_is_invalid_access_key_id_not_found() {
    let emulator = Emulator::start().await.unwrap();
    let mut stranger = accounts::OWNER;
    stranger.access_key_id = "LTAI5tNobodyKnowsMe00001";
    let reply = linkwan(
        &emulator,
        stranger,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.code(), "InvalidAccessKeyId.NotFound");
}

#[tokio::test]
async fn stale_timestamp_is_invalid_timestamp_expired_and_bad_format_is_illegal_timestamp() {
    let emulator = Emulator::start().await.unwrap();
    let stale = rpc_timestamp(chrono::Utc::now() - chrono::Duration::minutes(20));
    let mut params = common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01");
    params.retain(|(k, _)| k != "Timestamp");
    params.push(("Timestamp".into(), stale));
    params.push(("JoinPermissionId".into(), "123".into()));
    let reply = post_signed(&emulator, accounts::OWNER.access_key_secret, params.clone()).await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidTimeStamp.Expired")
    );

    params.retain(|(k, _)| k != "Timestamp");
    params.push(("Timestamp".into(), "2016-02-23 12:46:24".into()));
    let reply = post_signed(&emulator, accounts::OWNER.access_key_secret, params).await;
    assert_eq!((reply.status, reply.code()), (400, "IllegalTimestamp"));
}

#[tokio::test]
async fn reused_nonce_is_signature_nonce_used() {
    let emulator = Emulator::start().await.unwrap();
    let params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", "123")],
    );
    let first = post_signed(&emulator, accounts::OWNER.access_key_secret, params.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let second = post_signed(&emulator, accounts::OWNER.access_key_secret, params).await;
    assert_eq!((second.status, second.code()), (400, "SignatureNonceUsed"));
}

#[tokio::test]
async fn missing_parameters_unknown_actions_and_wrong_versions_get_gateway_codes() {
    let emulator = Emulator::start().await.unwrap();
    let mut params = common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01");
    params.retain(|(k, _)| k != "SignatureNonce");
    let reply = post_signed(&emulator, accounts::OWNER.access_key_secret, params).await;
    assert_eq!((reply.status, reply.code()), (400, "MissingParameter"));
    assert!(reply.json["Message"]
        .as_str()
        .unwrap()
        .contains("SignatureNonce"));

    let reply = linkwan(&emulator, accounts::OWNER, "DescribeNothing", &[]).await;
    assert_eq!(
        (reply.status, reply.code()),
        (404, "InvalidAction.NotFound")
    );

    let params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2017-05-25"),
        &[("JoinPermissionId", "123")],
    );
    let reply = post_signed(&emulator, accounts::OWNER.access_key_secret, params).await;
    assert_eq!((reply.status, reply.code()), (400, "InvalidVersion"));

    let params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2018-12-30"),
        &[("JoinPermissionId", "123")],
    );
    let reply = post_signed(&emulator, accounts::OWNER.access_key_secret, params).await;
    assert_eq!(reply.status, 200, "the older LinkWAN version is served too");

    let unsigned = query_string(&common(
        accounts::OWNER,
        "GetOwnedJoinPermission",
        "2019-03-01",
    ));
    let reply = send(reqwest::Client::new().post(format!("{}/?{unsigned}", emulator.url()))).await;
    assert_eq!((reply.status, reply.code()), (400, "IncompleteSignature"));
}

#[tokio::test]
async fn signature_v3_request_of_the_official_sms_client_is_accepted_when_re_signed() {
    let emulator = Emulator::start().await.unwrap();
    let case = vector_case(
        "acs3.json",
        "sms-CreateSmsAuthorizationLetter-official-client",
    );
    let mut query: Vec<(String, String)> = case["query"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    for (name, value) in query.iter_mut() {
        if name == "AuthorizationLetterExpDate" {
            *value = "2023-01-01~2099-01-01".to_owned();
        }
    }
    let action = case["headers"]["x-acs-action"].as_str().unwrap();
    let version = case["headers"]["x-acs-version"].as_str().unwrap();
    let reply = send_v3(&emulator, accounts::OWNER, action, version, &query, |_| {}).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.code(), "OK");
    let recorded = emulator.requests();
    assert_eq!(recorded[0].action, "CreateSmsAuthorizationLetter");
    assert!(recorded[0].nonce.is_some());
}

#[tokio::test]
async fn signature_v3_with_a_wrong_signature_or_garbled_header_is_refused() {
    let emulator = Emulator::start().await.unwrap();
    let query = vec![("JoinPermissionId".to_owned(), "123".to_owned())];
    let reply = send_v3(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        "2019-03-01",
        &query,
        |_| {},
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    let reply = send_v3(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        "2019-03-01",
        &query,
        |headers| {
            for (name, value) in headers.iter_mut() {
                if name == "x-acs-credentials-provider" {
                    *value = "tampered".to_owned();
                }
            }
        },
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "SignatureDoesNotMatch"));

    let reply = send(
        reqwest::Client::new()
            .post(format!("{}/?JoinPermissionId=123", emulator.url()))
            .header("x-acs-action", "GetOwnedJoinPermission")
            .header("x-acs-version", "2019-03-01")
            .header("authorization", "ACS3-HMAC-SHA256 garbage"),
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "IncompleteSignature"));
}

#[tokio::test]
async fn parameters_in_a_form_body_or_a_get_query_are_verified_alike() {
    let emulator = Emulator::start().await.unwrap();
    // Form body, '+' for spaces as browsers and many SDKs send it.
    let mut params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", "123")],
    );
    let signature = v1::signature(
        "POST",
        params.iter().cloned(),
        accounts::OWNER.access_key_secret,
    );
    params.push(("Signature".into(), signature));
    let body = query_string(&params).replace("%20", "+");
    let reply = send(
        reqwest::Client::new()
            .post(emulator.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    // GET, everything in the query.
    let mut params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", "124")],
    );
    let signature = v1::signature(
        "GET",
        params.iter().cloned(),
        accounts::OWNER.access_key_secret,
    );
    params.push(("Signature".into(), signature));
    let reply =
        send(reqwest::Client::new().get(format!("{}/?{}", emulator.url(), query_string(&params))))
            .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn every_answer_has_a_date_header_from_the_skewed_clock() {
    let skew = chrono::Duration::hours(2);
    let emulator = Emulator::builder().clock_skew(skew).start().await.unwrap();
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!(
        reply.code(),
        "InvalidTimeStamp.Expired",
        "our clock is 2 hours behind the emulator's"
    );
    let date = reply.headers["date"].to_str().unwrap();
    let date = chrono::DateTime::parse_from_rfc2822(date).unwrap();
    let learned = date.signed_duration_since(chrono::Utc::now());
    assert!(
        (learned - skew).num_seconds().abs() < 5,
        "learned skew {learned}"
    );
}
