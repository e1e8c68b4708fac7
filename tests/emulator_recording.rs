//! What the emulator records, and how much: a cap on the number of requests (newest kept),
//! summaries only for requests the gateway refused, and the `/_emulator/` control endpoints
//! that list and clear the recording over HTTP.

mod emulator_support;

use alibaba_openapi::emulator::accounts;
use alibaba_openapi::emulator::{Emulator, Protocol};
use emulator_support::*;
use serde_json::Value;

async fn get_owned(emulator: &Emulator) -> (Reply, String) {
    let params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", "123")],
    );
    let nonce = params
        .iter()
        .find(|(k, _)| k == "SignatureNonce")
        .map(|(_, v)| v.clone())
        .unwrap();
    let reply = post_signed(emulator, accounts::OWNER.access_key_secret, params).await;
    (reply, nonce)
}

async fn control(method: reqwest::Method, emulator: &Emulator, path: &str) -> Reply {
    let url = format!("{}/_emulator/{path}", emulator.url());
    send(reqwest::Client::new().request(method, url)).await
}

#[tokio::test]
async fn the_recording_keeps_at_most_its_cap_and_the_newest_requests() {
    let emulator = Emulator::builder()
        .max_recorded_requests(5)
        .start()
        .await
        .unwrap();
    let mut nonces = Vec::new();
    for _ in 0..8 {
        let (reply, nonce) = get_owned(&emulator).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        nonces.push(nonce);
    }
    let recorded: Vec<String> = emulator
        .requests()
        .into_iter()
        .map(|r| r.nonce.unwrap())
        .collect();
    assert_eq!(recorded, nonces[3..], "the five newest, in order");

    let nothing = Emulator::builder()
        .max_recorded_requests(0)
        .start()
        .await
        .unwrap();
    assert_eq!(get_owned(&nothing).await.0.status, 200);
    assert!(nothing.requests().is_empty());
}

#[tokio::test]
async fn by_default_ten_thousand_requests_are_kept() {
    let emulator = Emulator::start().await.unwrap();
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..4 {
        let client = client.clone();
        let url = format!("{}/?Action=Task{task}", emulator.url());
        tasks.spawn(async move {
            for _ in 0..2_510 {
                let response = client.get(&url).send().await.unwrap();
                assert_eq!(response.status(), 404);
                response.bytes().await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    assert_eq!(emulator.requests().len(), 10_000);
    let health = control(reqwest::Method::GET, &emulator, "health").await;
    assert_eq!(health.json["recorded_requests"], 10_000);
    assert_eq!(health.json["max_recorded_requests"], 10_000);
}

#[tokio::test]
async fn a_refused_request_is_recorded_as_a_summary_only() {
    let emulator = Emulator::start().await.unwrap();
    let params = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", "123"), ("Secretish", "do-not-keep")],
    );
    let reply = post_signed(&emulator, "not-the-secret", params).await;
    assert_eq!(reply.code(), "SignatureDoesNotMatch");
    let reply = send_v3(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        "2019-03-01",
        &[],
        |headers| headers.retain(|(k, _)| k != "x-acs-date"),
    )
    .await;
    assert_eq!(reply.code(), "MissingParameter");
    let reply = top_call(
        &emulator,
        alibaba_openapi::top::sign::SignMethod::Md5,
        &[("sign", "00")],
        &[("param", "{}")],
    )
    .await;
    assert_eq!(reply.top_code(), 25);

    let recorded = emulator.requests();
    assert_eq!(recorded.len(), 3);
    for request in &recorded {
        assert!(request.rejected, "{request:?}");
        assert!(request.params.is_empty(), "{request:?}");
        assert!(request.headers.is_empty(), "{request:?}");
        assert_eq!(request.nonce, None);
        // TOP answers its errors with HTTP 200.
        let status = if request.protocol == Protocol::Top {
            200
        } else {
            400
        };
        assert_eq!(request.status, Some(status));
    }
    assert_eq!(recorded[0].action, "GetOwnedJoinPermission");
    assert_eq!(recorded[0].code.as_deref(), Some("SignatureDoesNotMatch"));
    assert_eq!(recorded[1].code.as_deref(), Some("MissingParameter"));
    assert_eq!(recorded[2].protocol, Protocol::Top);
    assert_eq!(recorded[2].code.as_deref(), Some("25"));

    // A request that reached its product is kept in full, errors included.
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "900")],
    )
    .await;
    assert_eq!(reply.code(), "NotResourceOwner");
    let last = emulator.requests().pop().unwrap();
    assert!(!last.rejected);
    assert_eq!(last.params["JoinPermissionId"], "900");
    assert!(last.headers.contains_key("host"));
}

#[tokio::test]
async fn a_large_unauthenticated_body_is_not_retained() {
    let emulator = Emulator::start().await.unwrap();
    // Just under 1 MiB of distinct parameters, unsigned.
    let mut body = String::from("Action=GetOwnedJoinPermission&Version=2019-03-01");
    let mut i = 0;
    while body.len() < 1_000_000 {
        body.push_str(&format!("&p{i}={i:0>8}"));
        i += 1;
    }
    let action_long = "A".repeat(10_000);
    let reply = send(
        reqwest::Client::new()
            .post(format!("{}/?Junk={action_long}", emulator.url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-padding", "x".repeat(8_000))
            .body(body),
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "MissingParameter"));
    let reply = send(
        reqwest::Client::new()
            .post(format!("{}/?Action={action_long}", emulator.url()))
            .body("x=1"),
    )
    .await;
    assert_eq!(reply.status, 404);

    let recorded = emulator.requests();
    assert_eq!(recorded.len(), 2);
    assert!(recorded
        .iter()
        .all(|r| r.rejected && r.params.is_empty() && r.headers.is_empty()));
    assert_eq!(recorded[0].action, "GetOwnedJoinPermission");
    assert_eq!(recorded[1].action.len(), 256, "a summary's action is cut");
}

#[tokio::test]
async fn control_endpoints_list_and_clear_the_recording() {
    let emulator = Emulator::start().await.unwrap();
    assert_eq!(get_owned(&emulator).await.0.status, 200);
    let reply = post_signed(
        &emulator,
        "not-the-secret",
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
    )
    .await;
    assert_eq!(reply.status, 400);

    let health = control(reqwest::Method::GET, &emulator, "health").await;
    assert_eq!(health.status, 200, "{}", health.text);
    assert_eq!(health.json["status"], "ok");
    assert_eq!(health.json["recorded_requests"], 2);
    assert_eq!(health.json["max_connections"], 512);
    assert!(health.json["connections"].as_u64().unwrap() >= 1);

    let listed = control(reqwest::Method::GET, &emulator, "requests").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let requests = listed.json["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "control requests are not recorded");
    assert_eq!(requests[0]["action"], "GetOwnedJoinPermission");
    assert_eq!(requests[0]["protocol"], "rpc");
    assert_eq!(requests[0]["status"], 200);
    assert_eq!(requests[0]["code"], Value::Null);
    assert_eq!(requests[0]["rejected"], false);
    assert_eq!(requests[1]["code"], "SignatureDoesNotMatch");
    assert_eq!(requests[1]["rejected"], true);
    assert!(requests[1]["received_at"].as_str().unwrap().ends_with('Z'));
    assert!(
        !listed.text.contains("Signature\""),
        "summaries carry no parameters"
    );

    let cleared = control(reqwest::Method::DELETE, &emulator, "requests").await;
    assert_eq!(
        (cleared.status, cleared.json["cleared"].as_u64()),
        (200, Some(2))
    );
    assert!(emulator.requests().is_empty());
    let listed = control(reqwest::Method::GET, &emulator, "requests").await;
    assert_eq!(listed.json["requests"].as_array().unwrap().len(), 0);

    let index = control(reqwest::Method::GET, &emulator, "").await;
    assert!(index.text.contains("/_emulator/requests"), "{}", index.text);
    let unknown = control(reqwest::Method::GET, &emulator, "nothing").await;
    assert_eq!(unknown.status, 404);
    let wrong = control(reqwest::Method::POST, &emulator, "requests").await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.headers["allow"], "GET, DELETE");
    assert!(emulator.requests().is_empty(), "still nothing recorded");
}
