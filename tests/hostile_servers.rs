//! The clients against servers that misbehave on purpose: redirects to another host, error
//! messages that echo the whole request, 5 MB messages, HTML error pages, bodies dripped a
//! byte at a time. Each server is a hand-written HTTP/1.1 loop on loopback that records what
//! reached it.

mod common;
mod hostile_support;

use std::time::{Duration, Instant};

use alibaba_openapi::aliyun::{self, linkwan, Credentials, SignatureVersion};
use alibaba_openapi::top::{self, databank};
use alibaba_openapi::transport::{CallOptions, RetryPolicy};
use alibaba_openapi::Error;
use hostile_support::{Captured, Reply, Server};
use percent_encoding::percent_decode_str;

const SECRET: &str = "HostileTestSecretValue0001";
const TOKEN: &str = "CAIS+hostile/Token=Value42";
const APP_SECRET: &str = "hostile-app-secret-0001";
const SK: &str = "databank-sk/secret+value=";

fn quick() -> RetryPolicy {
    RetryPolicy::standard().with_base_delay(Duration::from_millis(1))
}

fn aliyun_at(url: &str, version: SignatureVersion) -> aliyun::Client {
    aliyun::Client::builder()
        .region("cn-shanghai")
        .endpoint_url(url)
        .credentials(Credentials::new("STS.HostileKeyId", SECRET).with_security_token(TOKEN))
        .signature_version(version)
        .retry_policy(quick())
        .build()
        .unwrap()
}

fn top_at(url: &str) -> top::Client {
    top::Client::builder()
        .app_key("12345678")
        .app_secret(APP_SECRET)
        .gateway_url(format!("{url}/router/rest"))
        .retry_policy(quick())
        .build()
        .unwrap()
}

fn get_owned() -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id("123")
        .build()
        .unwrap()
}

fn submit() -> linkwan::SubmitJoinPermissionAuthOrder {
    linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id("123")
        .renter_aliyun_id("some_user")
        .build()
        .unwrap()
}

fn apply() -> databank::OpenAuthApply {
    databank::OpenAuthApply::builder()
        .context(
            databank::DataBankOpenContext::builder()
                .ak("lingyang_daas")
                .sk(SK)
                .build()
                .unwrap(),
        )
        .param(common::apply_param("111111"))
        .build()
        .unwrap()
}

fn redirect_to(target: String) -> impl Fn(&Captured) -> Reply {
    move |_| Reply::Full {
        status: 307,
        headers: vec![format!("Location: {target}/?moved=1")],
        body: Vec::new(),
    }
}

fn expect_redirect<C: alibaba_openapi::ErrorCode>(err: &Error<C>, status: u16, to: &Server) {
    let host = to.addr.to_string();
    assert!(
        matches!(err, Error::Redirect { status: s, location: Some(l), .. } if *s == status && *l == host),
        "{err:?}"
    );
    assert!(!err.is_retryable(), "{err:?}");
}

#[tokio::test]
async fn a_redirect_to_another_host_is_never_followed_nor_retried() {
    let other =
        Server::start(|_| Reply::json(200, r#"{"RequestId":"other","Success":true,"Data":"99"}"#))
            .await;
    let first = Server::start(redirect_to(other.url.clone())).await;

    // V3 with a security token, a read-only action (retried after a 5xx, not after a 3xx).
    let err = aliyun_at(&first.url, SignatureVersion::V3)
        .send(&get_owned())
        .await
        .unwrap_err();
    expect_redirect(&err, 307, &other);
    // A mutating call, signed v1.
    let err = aliyun_at(&first.url, SignatureVersion::V1)
        .send(&submit())
        .await
        .unwrap_err();
    expect_redirect(&err, 307, &other);
    // TOP, with a Data Bank `sk` in the form body.
    let err = top_at(&first.url).send(&apply()).await.unwrap_err();
    expect_redirect(&err, 307, &other);

    assert_eq!(first.requests().len(), 3, "one attempt each");
    assert!(other.requests().is_empty(), "{:?}", other.requests());
}

#[tokio::test]
async fn a_moved_permanently_is_a_redirect_error_too() {
    let other = Server::start(|_| Reply::json(200, "{}")).await;
    let target = other.url.clone();
    let first = Server::start(move |_| Reply::Full {
        status: 301,
        headers: vec![format!("Location: {target}/")],
        body: b"<html>Moved</html>".to_vec(),
    })
    .await;
    let err = aliyun_at(&first.url, SignatureVersion::V1)
        .send(&get_owned())
        .await
        .unwrap_err();
    expect_redirect(&err, 301, &other);
    assert!(other.requests().is_empty());
}

#[tokio::test]
async fn an_answer_from_a_host_a_callers_client_was_redirected_to_is_discarded() {
    let other = Server::start(|_| {
        Reply::json(
            200,
            r#"{"RequestId":"other","Success":true,"Data":{"JoinPermissionId":"123"}}"#,
        )
    })
    .await;
    let first = Server::start(redirect_to(other.url.clone())).await;
    // reqwest's default client follows redirects.
    let client = aliyun::Client::builder()
        .region("cn-shanghai")
        .endpoint_url(&first.url)
        .credentials(Credentials::new("LTAI5tHostile", SECRET))
        .http_client(reqwest::Client::new())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.send(&get_owned()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { location: Some(l), .. } if *l == other.addr.to_string()),
        "{err:?}"
    );
}

/// Answers every request with an error whose texts hold the whole request, raw and decoded.
fn echo_aliyun(request: &Captured) -> Reply {
    let whole = request.whole();
    let decoded = percent_decode_str(&whole).decode_utf8_lossy().into_owned();
    let echo = format!("{whole} || {decoded}");
    let body = serde_json::json!({
        "RequestId": "echo-request",
        "Code": "SignatureDoesNotMatch",
        "Message": echo,
        "Recommend": echo,
        "HostId": "linkwan.cn-shanghai.aliyuncs.com",
        "AccessDeniedDetail": {"echo": echo},
    });
    Reply::json(400, body.to_string())
}

fn echo_top(request: &Captured) -> Reply {
    let whole = request.whole();
    let decoded = percent_decode_str(&whole).decode_utf8_lossy().into_owned();
    let echo = format!("{whole} || {decoded}");
    let body = serde_json::json!({"error_response": {
        "code": 25, "msg": echo, "sub_code": "isv.echo", "sub_msg": echo, "request_id": "echo",
    }});
    Reply::json(200, body.to_string())
}

/// Every form a value was sent in, and the raw value.
fn forms(raw: &str) -> Vec<String> {
    let once: String =
        percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC).to_string();
    vec![raw.to_owned(), once]
}

fn assert_absent<C: alibaba_openapi::ErrorCode>(err: &Error<C>, secrets: &[String]) {
    let shown = format!("{err} {err:?}");
    for secret in secrets {
        for form in forms(secret) {
            assert!(!shown.contains(&form), "{form:?} leaked in {shown}");
        }
    }
    assert!(shown.contains("redacted"), "{shown}");
}

fn query_value(query: &str, name: &str) -> String {
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in {query}"));
    percent_decode_str(raw).decode_utf8().unwrap().into_owned()
}

#[tokio::test]
async fn echoed_requests_keep_no_secret_in_errors() {
    let server = Server::start(echo_aliyun).await;

    let err = aliyun_at(&server.url, SignatureVersion::V1)
        .send(&get_owned())
        .await
        .unwrap_err();
    let sent = &server.requests()[0];
    let signature = query_value(sent.query(), "Signature");
    assert!(signature.len() >= 20, "{signature}");
    assert_absent(&err, &[SECRET.into(), TOKEN.into(), signature]);

    let err = aliyun_at(&server.url, SignatureVersion::V3)
        .send(&get_owned())
        .await
        .unwrap_err();
    let sent = &server.requests()[1];
    let authorization = sent
        .headers
        .iter()
        .find_map(|h| h.strip_prefix("authorization: "))
        .expect("an Authorization header");
    let signature = authorization
        .rsplit("Signature=")
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(signature.len(), 64, "{authorization}");
    assert_absent(&err, &[SECRET.into(), TOKEN.into(), signature]);
}

#[tokio::test]
async fn echoed_top_requests_keep_no_sign_secret_or_sk_in_errors() {
    let server = Server::start(echo_top).await;
    let err = top_at(&server.url).send(&apply()).await.unwrap_err();
    let sent = &server.requests()[0];
    let sign = query_value(sent.query(), "sign");
    assert!(
        sent.body
            .contains("sk%22%3A%22databank-sk%2Fsecret%2Bvalue%3D"),
        "{}",
        sent.body
    );
    let service = err.service_error().expect("a service error");
    assert!(service.sub_msg().is_some_and(|m| m.contains("redacted")));
    assert_absent(&err, &[APP_SECRET.into(), sign, SK.into()]);
}

#[tokio::test]
async fn service_texts_are_bounded() {
    let server = Server::start(|_| {
        let huge = "消息".repeat(450_000); // 2.7 MB, twice
        let body = serde_json::json!({
            "RequestId": "r".repeat(10_000),
            "Code": "Huge.".repeat(100_000),
            "Message": huge,
            "Recommend": huge,
        });
        Reply::json(400, body.to_string())
    })
    .await;
    let err = aliyun_at(&server.url, SignatureVersion::V1)
        .send(&submit())
        .await
        .unwrap_err();
    let service = err.service_error().expect("a service error");
    assert!(
        service.message().len() <= 1024 + 3,
        "{}",
        service.message().len()
    );
    assert!(service.message().ends_with('…'));
    assert!(service.recommend().unwrap().len() <= 1024 + 3);
    assert!(service.raw_code().len() <= 256 + 3);
    assert!(service.request_id().unwrap().len() <= 256 + 3);
    assert!(
        err.to_string().len() < 2 * 1024,
        "{}",
        err.to_string().len()
    );
    assert!(format!("{err:?}").len() < 4 * 1024);
}

fn bad_gateway(_: &Captured) -> Reply {
    Reply::Full {
        status: 502,
        headers: vec!["Content-Type: text/html".to_owned()],
        body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
    }
}

#[tokio::test]
async fn an_html_5xx_is_a_server_failure_retried_only_for_reads() {
    let server = Server::start(bad_gateway).await;
    let client = aliyun_at(&server.url, SignatureVersion::V1);

    let err = client.send(&get_owned()).await.unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status: 502, snippet, .. } if snippet.contains("Bad Gateway")),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 3, "a read is retried after a 5xx");

    let err = client.send(&submit()).await.unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status: 502, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 4, "a mutating call is sent once");

    let err = top_at(&server.url)
        .send(&top::RawRequest::new("taobao.time.get").idempotency(top::Idempotency::ReadOnly))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::HttpStatus { status: 502, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 7);
}

#[tokio::test]
async fn a_bare_429_is_throttling() {
    let server = Server::start(|_| Reply::Full {
        status: 429,
        headers: vec!["Content-Type: text/plain".to_owned()],
        body: b"Too Many Requests".to_vec(),
    })
    .await;
    let err = aliyun_at(&server.url, SignatureVersion::V1)
        .send(&submit())
        .await
        .unwrap_err();
    assert!(err.is_throttling(), "{err:?}");
    assert_eq!(
        server.requests().len(),
        3,
        "refused, so safe to resend even when mutating"
    );
}

#[tokio::test]
async fn a_dripping_server_cannot_hold_an_attempt_past_its_bound() {
    // 100 bytes, one every 200 ms: each read is quick, the whole answer takes 20 s.
    let server = Server::start(|_| Reply::Drip {
        len: 100,
        every: Duration::from_millis(200),
    })
    .await;
    let client = aliyun::Client::builder()
        .region("cn-shanghai")
        .endpoint_url(&server.url)
        .credentials(Credentials::new("LTAI5tHostile", SECRET))
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let once = CallOptions::new().retry_policy(RetryPolicy::disabled());
    let err = client.send_with(&get_owned(), &once).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let cause = std::error::Error::source(&err).unwrap().to_string();
    assert!(cause.contains("1.5s"), "{cause}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );

    // The same bound applies to a caller's own reqwest client.
    let client = aliyun::Client::builder()
        .region("cn-shanghai")
        .endpoint_url(&server.url)
        .credentials(Credentials::new("LTAI5tHostile", SECRET))
        .http_client(reqwest::Client::new())
        .attempt_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send_with(&get_owned(), &once).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn linkwan_2018_12_30_carries_its_parameters_in_a_form_body() {
    let server = Server::start(|_| {
        Reply::json(
            200,
            r#"{"RequestId":"r","Success":true,"Data":{"OrderId":"1234","JoinPermissionId":"123","OrderState":"APPLYING"}}"#,
        )
    })
    .await;
    let request = linkwan::GetJoinPermissionAuthOrder::builder()
        .order_id(1234)
        .build()
        .unwrap();
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = aliyun::Client::builder()
            .region("cn-shanghai")
            .endpoint_url(&server.url)
            .credentials(Credentials::new("LTAI5tHostile", SECRET))
            .signature_version(version)
            .api_version("linkwan", "2018-12-30")
            .build()
            .unwrap();
        let order = client.send(&request).await.unwrap().order;
        assert_eq!(order.order_id, 1234);
    }
    for sent in server.requests() {
        assert_eq!(sent.body, "OrderId=1234", "{}", sent.whole());
        assert!(!sent.query().contains("OrderId"), "{}", sent.line);
        assert!(
            sent.headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case("content-type: application/x-www-form-urlencoded")),
            "{:?}",
            sent.headers
        );
    }

    // The default version keeps them in the query.
    let client = aliyun_at(&server.url, SignatureVersion::V1);
    client.send(&request).await.unwrap();
    let sent = server.requests().pop().unwrap();
    assert!(sent.query().contains("OrderId=1234") && sent.body.is_empty());
}

#[tokio::test]
async fn databank_results_are_read_where_the_field_table_puts_them() {
    let server = Server::start(|request| {
        let body = if request.body.contains("entity-a") {
            r#"{"alibaba_databank_open_auth_apply_response":{"result":{"data":{"apply_entity_id":"entity-a","auth_status":"","errcode":1001,"errmsg":"bad ak","codeclass":"PARAM_ERROR"}},"request_id":"r1"}}"#
        } else {
            r#"{"alibaba_databank_open_auth_apply_response":{"result":{"data":{"auth_status":0}},"request_id":"r2"}}"#
        };
        Reply::json(200, body)
    })
    .await;
    let client = top_at(&server.url);
    let with = |entity: &str| {
        databank::OpenAuthApply::builder()
            .context(
                databank::DataBankOpenContext::builder()
                    .ak("lingyang_daas")
                    .sk(SK)
                    .build()
                    .unwrap(),
            )
            .param(common::apply_param(entity))
            .build()
            .unwrap()
    };
    let inside = client.send(&with("entity-a")).await.unwrap().result;
    assert_eq!(inside.errcode, Some(1001));
    assert_eq!(inside.errmsg.as_deref(), Some("bad ak"));
    assert_eq!(inside.codeclass.as_deref(), Some("PARAM_ERROR"));
    assert!(!inside.is_success());
    assert_eq!(
        inside.data.unwrap().auth_status,
        None,
        "an empty auth_status is none"
    );

    let silent = client.send(&with("entity-b")).await.unwrap().result;
    assert_eq!(silent.errcode, None);
    assert!(!silent.is_success(), "no errcode anywhere is not a success");
}
