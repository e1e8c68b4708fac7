//! Failure shapes common to every product, over real HTTP against the emulator.

mod common;

use std::time::Duration;

use alibaba_openapi::aliyun::{self, linkwan, Credentials, Idempotency, RawRequest};
use alibaba_openapi::emulator::{accounts, Fault};
use alibaba_openapi::transport::{CallOptions, RetryPolicy};
use alibaba_openapi::Error;

/// One attempt only: these tests look at the error itself, not at recovery (tests/retries.rs).
fn once() -> CallOptions {
    CallOptions::new().retry_policy(RetryPolicy::disabled())
}

fn get_owned() -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap()
}

#[tokio::test]
async fn wrong_secret_is_signature_does_not_match() {
    let env = common::start().await;
    let client = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            "wrong-secret",
        ))
        .endpoint_url(env.emulator.url())
        .build()
        .unwrap();
    let err = client.send(&get_owned()).await.unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::SignatureDoesNotMatch));
    assert!(!err.to_string().contains("wrong-secret"));
}

#[tokio::test]
async fn unknown_access_key_is_invalid_access_key_id_not_found() {
    let env = common::start().await;
    let client = aliyun::Client::builder()
        .credentials(Credentials::new("LTAI5tNobody", "secret"))
        .endpoint_url(env.emulator.url())
        .build()
        .unwrap();
    let err = client.send(&get_owned()).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&linkwan::ErrorCode::InvalidAccessKeyIdNotFound)
    );
    assert_eq!(err.service_error().unwrap().status(), 404);
}

#[tokio::test]
async fn service_unavailable_is_a_retryable_service_error() {
    let env = common::start().await;
    env.emulator.inject(Fault::ServiceUnavailable);
    let err = env
        .aliyun
        .send_with(&get_owned(), &once())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::ServiceUnavailable));
    assert_eq!(err.service_error().unwrap().status(), 503);
    assert!(err.is_retryable());
    assert!(!err.is_throttling());
}

#[tokio::test]
async fn throttling_is_typed_and_flagged() {
    let env = common::start().await;
    env.emulator
        .inject(Fault::throttling(Some(Duration::from_millis(20))));
    let err = env
        .aliyun
        .send_with(&get_owned(), &once())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::ThrottlingUser));
    assert!(err.is_throttling());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn success_false_with_http_200_is_an_error() {
    let env = common::start().await;
    env.emulator.inject(Fault::BusinessFailure {
        code: "FeatureNotActivated".into(),
        message: "The feature has not been activated.".into(),
    });
    let err = env.aliyun.send(&get_owned()).await.unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::FeatureNotActivated));
    assert_eq!(err.service_error().unwrap().status(), 200);
}

#[tokio::test]
async fn malformed_body_is_a_decode_error_with_a_snippet() {
    let env = common::start().await;
    env.emulator.inject(Fault::MalformedBody);
    let err = env.aliyun.send(&get_owned()).await.unwrap_err();
    match &err {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(*status, 200);
            assert!(!snippet.is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let env = common::start().await;
    env.emulator.inject(Fault::DropConnection);
    let err = env
        .aliyun
        .send_with(&get_owned(), &once())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn slow_answer_is_a_timeout() {
    let env = common::start().await;
    let client = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(env.emulator.url())
        .read_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    env.emulator.inject(Fault::Delay(Duration::from_secs(3)));
    let err = client.send_with(&get_owned(), &once()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn oversized_answers_are_refused() {
    let env = common::start().await;
    let client = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(env.emulator.url())
        .max_response_bytes(64)
        .build()
        .unwrap();
    let err = client.send(&get_owned()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("64-byte limit")),
        "{err:?}"
    );
}

#[tokio::test]
async fn raw_call_shares_the_client_and_its_errors() {
    let env = common::start().await;
    let ok = RawRequest::new("linkwan", "2019-03-01", "GetOwnedJoinPermission")
        .param("JoinPermissionId", accounts::JOIN_PERMISSION_ID)
        .idempotency(Idempotency::ReadOnly);
    let body = env.aliyun.call(&ok).await.unwrap();
    assert_eq!(body["Success"], true);
    assert_eq!(body["Data"]["JoinPermissionId"], 123);

    let unknown = RawRequest::new("linkwan", "2019-03-01", "NoSuchAction");
    let err = env.aliyun.call(&unknown).await.unwrap_err();
    assert_eq!(err.code(), Some(&aliyun::ErrorCode::InvalidActionNotFound));
    assert_eq!(
        err.service_error().unwrap().raw_code(),
        "InvalidAction.NotFound"
    );
}

#[tokio::test]
async fn linkwan_without_a_region_or_endpoint_is_refused_before_sending() {
    let client = aliyun::Client::builder()
        .credentials(Credentials::new("id", "secret"))
        .build()
        .unwrap();
    let err = client.send(&get_owned()).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "region"),
        "{err}"
    );
}

#[test]
fn malformed_endpoints_are_refused_when_the_client_is_built() {
    for bad in [
        "http://exa mple.com",
        "ftp://example.com",
        "http://h/prefix",
        "http://u:p@h",
    ] {
        let err = aliyun::Client::builder()
            .credentials(Credentials::new("id", "secret"))
            .endpoint_url(bad)
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, message, .. }
                if parameter == "endpoint_url" && message.contains(bad)),
            "{bad}: {err}"
        );
    }
    let err = alibaba_openapi::top::Client::builder()
        .app_key("k")
        .app_secret("s")
        .gateway_url("gw.api.taobao.com/router/rest")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "gateway_url"),
        "{err}"
    );
}

#[tokio::test]
async fn secret_less_clients_are_refused() {
    let err = aliyun::Client::builder()
        .credentials(Credentials::new("LTAI5tExample", ""))
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Credentials { message, .. } if message.contains("secret")),
        "{err}"
    );
    let err = alibaba_openapi::top::Client::builder()
        .app_key("12345678")
        .app_secret("")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err}");
}

#[tokio::test]
async fn client_builder_errors_convert_into_product_errors() {
    async fn run() -> Result<(), Error<linkwan::ErrorCode>> {
        let _client = aliyun::Client::builder()
            .credentials(Credentials::new("id", ""))
            .build()?;
        Ok(())
    }
    assert!(matches!(run().await, Err(Error::Credentials { .. })));
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_display() {
    let env = common::start().await;
    let secret = "Top-Secret-Value-0123";
    let token = "Sts-Token-Value-4567";
    let client = aliyun::Client::builder()
        .credentials(
            Credentials::new(accounts::OWNER.access_key_id, secret).with_security_token(token),
        )
        .endpoint_url(env.emulator.url())
        .build()
        .unwrap();
    let top = alibaba_openapi::top::Client::builder()
        .app_key("12345678")
        .app_secret(secret)
        .session(token)
        .gateway_url(env.emulator.top_gateway_url())
        .build()
        .unwrap();
    let aliyun_err = client.send(&get_owned()).await.unwrap_err();
    let top_err = top
        .call(&alibaba_openapi::top::RawRequest::new("taobao.time.get"))
        .await
        .unwrap_err();
    let context = alibaba_openapi::top::databank::DataBankOpenContext::builder()
        .ak("ak")
        .sk(secret)
        .build()
        .unwrap();
    let request = alibaba_openapi::top::databank::OpenAuthApply::builder()
        .context(context.clone())
        .param(common::apply_param("e"))
        .build()
        .unwrap();
    let printed = [
        format!("{client:?}"),
        format!("{top:?}"),
        format!("{aliyun_err:?}"),
        format!("{aliyun_err}"),
        format!("{top_err:?}"),
        format!("{top_err}"),
        format!("{context:?}"),
        format!("{request:?}"),
        format!(
            "{:?}",
            Credentials::new("id", secret).with_security_token(token)
        ),
    ];
    for text in printed {
        assert!(!text.contains(secret), "secret printed: {text}");
        assert!(!text.contains(token), "token printed: {text}");
    }
    // And none of them left the machine unsigned: the wire carried a signature, not a secret.
    for request in env.emulator.requests() {
        assert!(request.params.values().all(|v| !v.contains(secret)));
    }
}

#[tokio::test]
async fn a_callers_own_http_client_is_still_bound_by_the_read_timeout() {
    let env = common::start().await;
    let client = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(env.emulator.url())
        .http_client(reqwest::Client::new())
        .read_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let answer = client.send_with(&get_owned(), &once()).await;
    assert!(answer.is_ok(), "{answer:?}");
    env.emulator.inject(Fault::Delay(Duration::from_secs(3)));
    let err = client.send_with(&get_owned(), &once()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}
