//! The emulator itself, over real HTTP: plain `reqwest`, requests signed by hand with the pure
//! signer functions, so these tests do not depend on the crate's clients.

use std::time::Duration;

use alibaba_openapi::aliyun::sign::{percent_encode, v1, v3};
use alibaba_openapi::emulator::accounts::{self, Account};
use alibaba_openapi::emulator::{Emulator, Fault, Injection, Protocol};
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers

/// An answer: status, headers, raw body and the body as JSON (Null when it is not JSON).
struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
    json: Value,
}

impl Reply {
    fn code(&self) -> &str {
        self.json["Code"].as_str().unwrap_or_default()
    }
    fn top_code(&self) -> i64 {
        self.json["error_response"]["code"].as_i64().unwrap_or(0)
    }
}

async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

fn nonce() -> String {
    format!("{:032x}", fastrand::u128(..))
}

fn rpc_timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The common parameters of a signature v1 request (without `Signature`).
fn common(account: Account, action: &str, version: &str) -> Vec<(String, String)> {
    [
        ("AccessKeyId", account.access_key_id.to_owned()),
        ("Action", action.to_owned()),
        ("Format", "JSON".to_owned()),
        ("SignatureMethod", "HMAC-SHA1".to_owned()),
        ("SignatureNonce", nonce()),
        ("SignatureVersion", "1.0".to_owned()),
        ("Timestamp", rpc_timestamp(chrono::Utc::now())),
        ("Version", version.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn query_string(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs `params` with `secret` and POSTs them all in the query string, as LinkWAN calls are sent.
async fn post_signed(
    emulator: &Emulator,
    secret: &str,
    mut params: Vec<(String, String)>,
) -> Reply {
    let signature = v1::signature("POST", params.iter().cloned(), secret);
    params.push(("Signature".to_owned(), signature));
    let url = format!("{}/?{}", emulator.url(), query_string(&params));
    send(reqwest::Client::new().post(url)).await
}

fn with(mut params: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    params.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    params
}

async fn linkwan(
    emulator: &Emulator,
    account: Account,
    action: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let params = with(common(account, action, "2019-03-01"), extra);
    post_signed(emulator, account.access_key_secret, params).await
}

async fn submit(emulator: &Emulator, account: Account, permission: &str, renter: &str) -> Reply {
    linkwan(
        emulator,
        account,
        "SubmitJoinPermissionAuthOrder",
        &[("JoinPermissionId", permission), ("RenterAliyunId", renter)],
    )
    .await
}

/// Valid CreateSmsAuthorizationLetter parameters with this name; `overrides` replace or add.
fn letter(name: &str, overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("AuthorizationLetterPic", "123456/test1719383196031.jpg"),
        ("SignList", r#"["菜鸟网络","abc"]"#),
        ("AuthorizationLetterExpDate", "2023-01-01~2099-01-01"),
        ("Authorization", "菜鸟网络科技有限公司"),
        ("OrganizationCode", "91330100MA27XXXXXA"),
        ("ProxyAuthorization", "支付宝(中国)网络技术有限公司"),
        ("AuthorizationLetterName", name),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (name, value) in overrides {
        params.retain(|(k, _)| k != name);
        params.push(((*name).to_owned(), (*value).to_owned()));
    }
    params
}

async fn create_letter(
    emulator: &Emulator,
    account: Account,
    params: Vec<(String, String)>,
) -> Reply {
    let mut all = common(account, "CreateSmsAuthorizationLetter", "2017-05-25");
    all.extend(params);
    post_signed(emulator, account.access_key_secret, all).await
}

/// A TOP call: system parameters in the query, business parameters in a form body.
async fn top_call(
    emulator: &Emulator,
    sign_method: SignMethod,
    system: &[(&str, &str)],
    business: &[(&str, &str)],
) -> Reply {
    let now = top_sign::timestamp(chrono::Utc::now());
    let mut sys: Vec<(String, String)> = vec![
        ("method".into(), "alibaba.databank.open.auth.apply".into()),
        ("app_key".into(), accounts::TOP_APP_KEY.into()),
        ("timestamp".into(), now),
        ("format".into(), "json".into()),
        ("v".into(), "2.0".into()),
        ("sign_method".into(), sign_method.as_str().into()),
    ];
    for (name, value) in system {
        sys.retain(|(k, _)| k != name);
        sys.push(((*name).to_owned(), (*value).to_owned()));
    }
    let biz: Vec<(String, String)> = business
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if !sys.iter().any(|(k, _)| k == "sign") {
        let sign = top_sign::sign(
            sign_method,
            accounts::TOP_APP_SECRET,
            sys.iter().chain(biz.iter()).cloned(),
        );
        sys.push(("sign".into(), sign));
    }
    let url = format!("{}?{}", emulator.top_gateway_url(), query_string(&sys));
    send(
        reqwest::Client::new()
            .post(url)
            .header(
                "content-type",
                "application/x-www-form-urlencoded;charset=UTF-8",
            )
            .body(query_string(&biz)),
    )
    .await
}

const CONTEXT: &str = r#"{"ak":"lingyang_daas","sk":"w3343wer44e"}"#;

fn apply_param(biz_id: &str, entity_id: &str) -> String {
    json!({
        "apply_biz_id": biz_id, "apply_biz_name": "宝洁集团", "smart_code": "sre43wf2454",
        "brand_id": "123344", "apply_entity_id": entity_id, "apply_entity_name": "AIPL数据包",
        "apply_source": "DaaS", "data_type": "BRAND_DATA", "apply_biz_user_id": "112222",
        "apply_biz_user_name": "张三", "smart_id": 12344
    })
    .to_string()
}

fn vector_case(file: &str, name: &str) -> Value {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
    doc["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["name"] == name).cloned())
        .unwrap_or_else(|| panic!("no case {name} in {file}"))
}

fn vector_params(case: &Value) -> Vec<(String, String)> {
    case["params"]
        .as_object()
        .expect("params")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Alibaba Cloud RPC gateway

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

/// Signs a V3 request the way the official SDKs do (every header sent is signed) and sends it.
async fn send_v3(
    emulator: &Emulator,
    account: Account,
    action: &str,
    version: &str,
    query: &[(String, String)],
    tamper: impl FnOnce(&mut Vec<(String, String)>),
) -> Reply {
    let headers: Vec<(String, String)> = [
        ("accept", "application/json".to_owned()),
        ("host", emulator.local_addr().to_string()),
        (
            "user-agent",
            "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2".to_owned(),
        ),
        ("x-acs-action", action.to_owned()),
        ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256.to_owned()),
        ("x-acs-credentials-provider", "static_ak".to_owned()),
        ("x-acs-date", rpc_timestamp(chrono::Utc::now())),
        ("x-acs-signature-nonce", nonce()),
        ("x-acs-version", version.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let signed: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let canonical = v3::canonical_request(
        "POST",
        "/",
        query.iter().cloned(),
        headers.iter().cloned(),
        &signed,
        v3::EMPTY_PAYLOAD_SHA256,
    );
    let signature = v3::sign(account.access_key_secret, &v3::string_to_sign(&canonical));
    let mut headers = headers;
    headers.push((
        "authorization".to_owned(),
        v3::authorization(account.access_key_id, &signed, &signature),
    ));
    tamper(&mut headers);
    let mut request =
        reqwest::Client::new().post(format!("{}/?{}", emulator.url(), query_string(query)));
    for (name, value) in headers.iter().filter(|(k, _)| k != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    send(request).await
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

// ---------------------------------------------------------------------------------------------
// Fault injection

#[tokio::test]
async fn injected_throttling_carries_retry_after_and_only_hits_its_action() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(
        Injection::new(Fault::throttling(Some(Duration::from_millis(1500))))
            .times(2)
            .for_action("GetJoinPermissionAuthOrder"),
    );
    let other = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!(other.status, 200);
    for _ in 0..2 {
        let reply = linkwan(
            &emulator,
            accounts::OWNER,
            "GetJoinPermissionAuthOrder",
            &[("OrderId", "1")],
        )
        .await;
        assert_eq!((reply.status, reply.code()), (400, "Throttling.User"));
        assert_eq!(reply.headers["x-acs-retry-after"], "1500");
    }
    let after = linkwan(
        &emulator,
        accounts::OWNER,
        "GetJoinPermissionAuthOrder",
        &[("OrderId", "1")],
    )
    .await;
    assert_eq!(after.code(), "NonExistent", "the injection is used up");
}

#[tokio::test]
async fn injected_503_malformed_body_and_business_failure() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::ServiceUnavailable);
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!((reply.status, reply.code()), (503, "ServiceUnavailable"));

    emulator.inject(Fault::MalformedBody);
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.json.is_null(), "not JSON: {}", reply.text);

    emulator.inject(Fault::business_limit_control());
    let reply = create_letter(&emulator, accounts::OWNER, letter("限流测", &[])).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.code(), "isv.BUSINESS_LIMIT_CONTROL");
    let reply = create_letter(&emulator, accounts::OWNER, letter("限流测", &[])).await;
    assert_eq!(reply.code(), "OK", "the failed call created nothing");
}

#[tokio::test]
async fn injected_dropped_connection_and_delay() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::DropConnection);
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
    let url = format!("{}/?{}", emulator.url(), query_string(&params));
    let result = reqwest::Client::new().post(url).send().await;
    assert!(
        result.is_err(),
        "the connection is closed without an answer"
    );

    // A delayed mutating call still takes effect: the client times out, the order exists.
    emulator.inject(Fault::Delay(Duration::from_millis(800)));
    let mut params = with(
        common(
            accounts::OWNER,
            "SubmitJoinPermissionAuthOrder",
            "2019-03-01",
        ),
        &[("JoinPermissionId", "123"), ("RenterAliyunId", "some_user")],
    );
    let signature = v1::signature(
        "POST",
        params.iter().cloned(),
        accounts::OWNER.access_key_secret,
    );
    params.push(("Signature".into(), signature));
    let url = format!("{}/?{}", emulator.url(), query_string(&params));
    let result = reqwest::Client::new()
        .post(url)
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    assert!(
        emulator.accept_order(1234),
        "the order was created despite the timeout"
    );
}

#[tokio::test]
async fn injected_top_faults_use_top_codes() {
    let emulator = Emulator::start().await.unwrap();
    let param = apply_param("1", "2");
    let business = [("context", CONTEXT), ("param", param.as_str())];
    emulator.inject(Fault::top_app_call_limited());
    emulator.inject(Fault::top_isp("isp.remote-service-timeout"));
    emulator.inject(Fault::ServiceUnavailable);
    let first = top_call(&emulator, SignMethod::Md5, &[], &business).await;
    assert_eq!(first.top_code(), 7);
    let second = top_call(&emulator, SignMethod::Md5, &[], &business).await;
    assert_eq!(second.top_code(), 15);
    assert_eq!(
        second.json["error_response"]["sub_code"],
        "isp.remote-service-timeout"
    );
    let third = top_call(&emulator, SignMethod::Md5, &[], &business).await;
    assert_eq!(third.top_code(), 10);
}

// ---------------------------------------------------------------------------------------------
// Recording and lifetime

#[tokio::test]
async fn requests_are_recorded_in_order_with_their_answers() {
    let emulator = Emulator::start().await.unwrap();
    submit(&emulator, accounts::OWNER, "123", "some_user").await;
    submit(&emulator, accounts::OWNER, "123", "some_user").await;
    let param = apply_param("1", "2");
    top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", CONTEXT), ("param", &param)],
    )
    .await;

    let requests = emulator.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].protocol, Protocol::Rpc);
    assert_eq!(requests[0].action, "SubmitJoinPermissionAuthOrder");
    assert_eq!(requests[0].http_method, "POST");
    assert_eq!(requests[0].params["RenterAliyunId"], "some_user");
    assert_eq!(requests[0].status, Some(200));
    assert_eq!(requests[0].code, None);
    assert!(requests[0].nonce.is_some());
    assert_ne!(requests[0].nonce, requests[1].nonce);
    assert_eq!(
        requests[1].code.as_deref(),
        Some("JoinPermissionAlreadyAuthorized")
    );
    assert_eq!(requests[2].protocol, Protocol::Top);
    assert_eq!(requests[2].action, "alibaba.databank.open.auth.apply");
    assert!(
        requests[2].params.contains_key("context"),
        "form fields are recorded"
    );

    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn dropping_the_emulator_stops_the_server() {
    let emulator = Emulator::start().await.unwrap();
    let addr = emulator.local_addr();
    assert_eq!(emulator.url(), format!("http://{addr}"));
    assert_eq!(
        emulator.top_gateway_url(),
        format!("http://{addr}/router/rest")
    );
    drop(emulator);
    tokio::task::yield_now().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
