//! The emulator's fault injection, request recording and lifetime, over real HTTP.

mod emulator_support;

use emulator_support::*;
use std::time::Duration;

use alibaba_openapi::aliyun::sign::v1;
use alibaba_openapi::emulator::accounts;
use alibaba_openapi::emulator::{cli, Emulator, Fault, Injection, Protocol};
use alibaba_openapi::top::sign::SignMethod;

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

#[tokio::test]
async fn command_line_settings_queue_faults_and_skew_before_the_first_request() {
    let settings = cli::parse_args([
        "--clock-skew",
        "-3600",
        "--fault",
        "throttling=250:2:GetOwnedJoinPermission",
        "--fault",
        "top-isp=isp.remote-service-timeout",
    ])
    .unwrap();
    let emulator = settings.apply(Emulator::builder()).start().await.unwrap();
    let behind = chrono::Utc::now() - emulator.now();
    assert!((behind - chrono::Duration::hours(1)).num_seconds().abs() < 5);

    let queued = emulator.faults();
    assert_eq!(queued.len(), 2);
    assert_eq!(
        queued[0].to_string(),
        "400 Throttling.User (TOP: code 7) with x-acs-retry-after 250 ms, \
         next 2 requests of GetOwnedJoinPermission"
    );
    assert_eq!(
        queued[1].to_string(),
        "TOP error code 15, sub code isp.remote-service-timeout, next request"
    );

    emulator.set_clock_skew(chrono::Duration::zero());
    let reply = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    )
    .await;
    assert_eq!((reply.status, reply.code()), (400, "Throttling.User"));
    assert_eq!(reply.headers["x-acs-retry-after"], "250");
    assert_eq!(emulator.faults()[0].times, 1, "one of two used");
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
