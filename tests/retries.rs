//! Retries, timeouts and clock skew, proven under faults the emulator injects over real sockets.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use alibaba_openapi::aliyun::{self, linkwan, sms, Credentials, Idempotency};
use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection, RecordedRequest};
use alibaba_openapi::top;
use alibaba_openapi::transport::{CallOptions, RetryPolicy};
use alibaba_openapi::Error;
use common::letter;

/// Fast backoff so the suite stays quick; the policy's shape is what is tested.
fn quick() -> RetryPolicy {
    RetryPolicy::standard()
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(50))
}

fn client(emulator: &Emulator) -> aliyun::Client {
    aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(emulator.url())
        .retry_policy(quick())
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

fn top_client(emulator: &Emulator) -> top::Client {
    top::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret(accounts::TOP_APP_SECRET)
        .gateway_url(emulator.top_gateway_url())
        .retry_policy(quick())
        .build()
        .unwrap()
}

fn get_owned() -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap()
}

fn submit() -> linkwan::SubmitJoinPermissionAuthOrder {
    linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .renter_aliyun_id(accounts::RENTER.aliyun_id)
        .build()
        .unwrap()
}

fn of(emulator: &Emulator, action: &str) -> Vec<RecordedRequest> {
    emulator
        .requests()
        .into_iter()
        .filter(|r| r.action == action)
        .collect()
}

/// Requests that reached the service itself (no fault stood in for it).
fn processed(requests: &[RecordedRequest]) -> usize {
    requests.iter().filter(|r| !r.injected).count()
}

#[tokio::test]
async fn read_only_calls_recover_from_5xx_drops_and_throttling() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator);
    for fault in [
        Fault::ServiceUnavailable,
        Fault::DropConnection,
        Fault::throttling(None),
    ] {
        emulator.clear_requests();
        emulator.inject(fault.clone());
        let answer = client.send(&get_owned()).await;
        assert!(answer.is_ok(), "{fault:?}: {answer:?}");
        assert_eq!(
            of(&emulator, "GetOwnedJoinPermission").len(),
            2,
            "{fault:?}"
        );
    }
}

#[tokio::test]
async fn every_attempt_is_signed_afresh() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Injection::new(Fault::ServiceUnavailable).times(2));
    client(&emulator).send(&get_owned()).await.unwrap();
    let sent = of(&emulator, "GetOwnedJoinPermission");
    assert_eq!(sent.len(), 3);
    let nonces: BTreeSet<_> = sent.iter().map(|r| r.nonce.clone().unwrap()).collect();
    let signatures: BTreeSet<_> = sent.iter().map(|r| r.params["Signature"].clone()).collect();
    assert_eq!(nonces.len(), 3, "a retry reuses no nonce");
    assert_eq!(signatures.len(), 3);
}

#[tokio::test]
async fn server_retry_after_is_honoured() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::throttling(Some(Duration::from_millis(40))));
    let started = Instant::now();
    client(&emulator).send(&get_owned()).await.unwrap();
    // A lower bound only: the client waited at least what the server asked.
    assert!(started.elapsed() >= Duration::from_millis(40));
}

#[tokio::test]
async fn mutating_calls_are_sent_once_under_5xx_and_drops() {
    let emulator = Emulator::start().await.unwrap();
    let client = client(&emulator);
    for fault in [Fault::ServiceUnavailable, Fault::DropConnection] {
        emulator.clear_requests();
        emulator.inject(Injection::new(fault.clone()).for_action("SubmitJoinPermissionAuthOrder"));
        let err = client.send(&submit()).await.unwrap_err();
        assert!(
            matches!(err, Error::Service(_) | Error::Transport { .. }),
            "{fault:?}: {err:?}"
        );
        assert_eq!(
            of(&emulator, "SubmitJoinPermissionAuthOrder").len(),
            1,
            "{fault:?}"
        );

        emulator.inject(Injection::new(fault.clone()).for_action("CreateSmsAuthorizationLetter"));
        let name = format!("授权书{fault:?}").replace(['(', ')', ' ', '{', '}', ':', ','], "");
        let err = client
            .send(&letter(&name).build().unwrap())
            .await
            .unwrap_err();
        assert!(!err.is_throttling(), "{err:?}");
        assert_eq!(
            of(&emulator, "CreateSmsAuthorizationLetter").len(),
            1,
            "{fault:?}"
        );
    }
}

#[tokio::test]
async fn mutating_calls_that_time_out_are_not_resent() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::Delay(Duration::from_secs(2)));
    let err = client(&emulator).send(&submit()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // The emulator processed it (a Delay answers late): resending would grant twice.
    assert_eq!(of(&emulator, "SubmitJoinPermissionAuthOrder").len(), 1);
}

#[tokio::test]
async fn read_only_calls_recover_from_a_timeout() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::Delay(Duration::from_secs(2)));
    client(&emulator).send(&get_owned()).await.unwrap();
    assert_eq!(of(&emulator, "GetOwnedJoinPermission").len(), 2);
}

#[tokio::test]
async fn throttled_mutating_calls_are_retried_and_processed_once() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Injection::new(Fault::throttling(None)).times(2));
    let order = client(&emulator).send(&submit()).await.unwrap();
    let sent = of(&emulator, "SubmitJoinPermissionAuthOrder");
    assert_eq!(sent.len(), 3);
    assert_eq!(processed(&sent), 1);
    assert!(order.order_id > 0);
}

#[tokio::test]
async fn attempts_are_bounded_by_the_policy() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Injection::new(Fault::throttling(None)).times(10));
    let err = client(&emulator).send(&get_owned()).await.unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::ThrottlingUser));
    assert_eq!(of(&emulator, "GetOwnedJoinPermission").len(), 3);

    emulator.clear_requests();
    let once = CallOptions::new().retry_policy(RetryPolicy::disabled());
    let err = client(&emulator)
        .send_with(&get_owned(), &once)
        .await
        .unwrap_err();
    assert!(err.is_throttling());
    assert_eq!(of(&emulator, "GetOwnedJoinPermission").len(), 1);
}

#[tokio::test]
async fn business_quota_and_caller_errors_are_never_retried() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Fault::business_limit_control());
    let err = client(&emulator)
        .send(&letter("限流授权书").build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&sms::ErrorCode::BusinessLimitControl));
    assert_eq!(of(&emulator, "CreateSmsAuthorizationLetter").len(), 1);

    let unknown = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id("31337")
        .build()
        .unwrap();
    client(&emulator).send(&unknown).await.unwrap_err();
    assert_eq!(of(&emulator, "GetOwnedJoinPermission").len(), 1);
}

#[tokio::test]
async fn a_deadline_bounds_all_retries() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Injection::new(Fault::throttling(Some(Duration::from_millis(200)))).times(10));
    let patient = CallOptions::new()
        .retry_policy(RetryPolicy::standard().with_max_attempts(10))
        .deadline(Duration::from_millis(300));
    let err = client(&emulator)
        .send_with(&get_owned(), &patient)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let cause = std::error::Error::source(&err).expect("the timeout says what passed");
    assert!(cause.to_string().contains("deadline"), "{cause}");
    assert!(of(&emulator, "GetOwnedJoinPermission").len() < 10);
}

#[tokio::test]
async fn clock_skew_is_learned_from_the_date_header_and_kept() {
    let emulator = Emulator::builder()
        .clock_skew(chrono::Duration::minutes(20))
        .start()
        .await
        .unwrap();
    let client = client(&emulator);
    let once = CallOptions::new().retry_policy(RetryPolicy::disabled());
    client.send_with(&get_owned(), &once).await.unwrap();
    let sent = of(&emulator, "GetOwnedJoinPermission");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].code.as_deref(), Some("InvalidTimeStamp.Expired"));
    // The next call is right the first time.
    client.send(&get_owned()).await.unwrap();
    assert_eq!(of(&emulator, "GetOwnedJoinPermission").len(), 3);
    assert!(
        format!("{client:?}").contains("clock_offset_ms: 1"),
        "{client:?}"
    );
}

#[tokio::test]
async fn top_clock_skew_is_corrected_too() {
    let emulator = Emulator::builder()
        .clock_skew(chrono::Duration::minutes(-20))
        .start()
        .await
        .unwrap();
    let answer = top_client(&emulator)
        .send(&common::apply(accounts::DATABANK_SK, "skewed"))
        .await
        .unwrap();
    assert!(answer.result.is_success());
    let sent = of(&emulator, "alibaba.databank.open.auth.apply");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].code.as_deref(), Some("31"));
}

#[tokio::test]
async fn top_throttling_is_retried_and_signature_errors_are_not() {
    let emulator = Emulator::start().await.unwrap();
    let top = top_client(&emulator);
    emulator.inject(Fault::top_app_call_limited());
    let answer = top
        .send(&common::apply(accounts::DATABANK_SK, "limited"))
        .await
        .unwrap();
    assert!(answer.result.is_success());
    assert_eq!(of(&emulator, "alibaba.databank.open.auth.apply").len(), 2);

    emulator.clear_requests();
    emulator.inject(Fault::top_isp("isp.remote-service-timeout"));
    let err = top
        .send(&common::apply(accounts::DATABANK_SK, "isp"))
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().unwrap().sub_code(),
        Some("isp.remote-service-timeout")
    );
    assert_eq!(
        of(&emulator, "alibaba.databank.open.auth.apply").len(),
        1,
        "a mutating method is not resent after a server-side failure"
    );

    emulator.clear_requests();
    emulator.inject(Fault::top_isp("isp.remote-service-timeout"));
    let read = top::RawRequest::new("alibaba.databank.open.auth.apply")
        .param("context", "{}")
        .idempotency(Idempotency::ReadOnly);
    let _ = top.call(&read).await;
    assert_eq!(of(&emulator, "alibaba.databank.open.auth.apply").len(), 2);

    emulator.clear_requests();
    let wrong = top::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret("wrong")
        .gateway_url(emulator.top_gateway_url())
        .retry_policy(quick())
        .build()
        .unwrap();
    let err = wrong
        .send(&common::apply(accounts::DATABANK_SK, "wrong"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&top::ErrorCode::InvalidSignature));
    assert_eq!(of(&emulator, "alibaba.databank.open.auth.apply").len(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_mutating_calls() {
    // Nobody listens on the port yet: the first attempts cannot reach a server, so even a
    // mutating call is safe to resend. The emulator comes up on that port shortly after.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let late = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(30)).await;
        Emulator::builder().listen(addr).start().await.unwrap()
    });
    let client = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(format!("http://{addr}"))
        .retry_policy(
            RetryPolicy::standard()
                .with_max_attempts(12)
                .with_base_delay(Duration::from_millis(50))
                .with_max_delay(Duration::from_millis(400)),
        )
        .build()
        .unwrap();
    let order = client.send(&submit()).await;
    let emulator = late.await.unwrap();
    assert!(order.is_ok(), "{order:?}");
    assert_eq!(of(&emulator, "SubmitJoinPermissionAuthOrder").len(), 1);
}
