//! Dysmsapi `CreateSmsAuthorizationLetter` end to end against the emulator.

mod common;

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use alibaba_openapi::emulator::Fault;
use alibaba_openapi::Error;
use common::letter;

#[tokio::test]
async fn created_letter_returns_its_id_and_a_trimmed_request_id() {
    let env = common::start().await;
    let created = env
        .aliyun
        .send(&letter("菜鸟公司授权书").build().unwrap())
        .await
        .unwrap();
    assert!(!created.authorization_letter_id.is_empty());
    // The emulator sends "RequestId": "...\n" like the documented example.
    assert!(!created.request_id.is_empty());
    assert_eq!(created.request_id, created.request_id.trim());

    let wire = env.emulator.requests();
    let sent = wire.last().unwrap();
    assert_eq!(sent.params["SignList"], r#"["菜鸟网络","abc"]"#);
    assert_eq!(sent.params["Version"], "2017-05-25");
}

#[tokio::test]
async fn repeated_name_is_authorization_letter_name_repeat() {
    let env = common::start().await;
    let request = letter("重复的授权书").build().unwrap();
    env.aliyun.send(&request).await.unwrap();
    let err = env.aliyun.send(&request).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::AuthorizationLetterNameRepeat));
    assert_eq!(err.service_error().unwrap().status(), 400);
}

#[tokio::test]
async fn expired_period_is_authorization_letter_date_not_valid() {
    let env = common::start().await;
    let request = letter("过期授权书")
        .authorization_letter_exp_date("2019-01-01~2020-01-01")
        .build()
        .unwrap();
    let err = env.aliyun.send(&request).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&ErrorCode::AuthorizationLetterDateNotValid)
    );
}

#[tokio::test]
async fn business_failure_with_http_200_is_an_error() {
    let env = common::start().await;
    env.emulator.inject(Fault::business_limit_control());
    let err = env
        .aliyun
        .send(&letter("限流授权书").build().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::BusinessLimitControl));
    assert_eq!(err.service_error().unwrap().status(), 200);
    assert!(!err.is_retryable(), "a business quota is not a throttle");
}

#[tokio::test]
async fn sign_list_limits_are_checked_before_sending() {
    let empty = letter("x")
        .sign_list(Vec::<String>::new())
        .build()
        .unwrap_err();
    assert!(
        matches!(&empty, Error::InvalidRequest { parameter, .. } if parameter == "SignList"),
        "{empty}"
    );
    let too_many = letter("x")
        .sign_list((0..101).map(|i| format!("签名{i}")))
        .build()
        .unwrap_err();
    assert!(too_many.to_string().contains("SignList"), "{too_many}");
    assert!(letter("x")
        .sign_list((0..100).map(|i| format!("签名{i}")))
        .build()
        .is_ok());
}

#[tokio::test]
async fn malformed_dates_are_refused_before_sending() {
    for bad in [
        "2023-01-01",
        "2023/01/01~2026/01/01",
        "2026-01-01~2023-01-01",
    ] {
        let err = letter("x")
            .authorization_letter_exp_date(bad)
            .build()
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "AuthorizationLetterExpDate"),
            "{bad}: {err}"
        );
    }
}

#[tokio::test]
async fn every_required_parameter_is_named_when_missing() {
    let full = || letter("名称");
    let cases: [(&str, sms::CreateSmsAuthorizationLetterBuilder); 2] = [
        (
            "AuthorizationLetterPic",
            full().authorization_letter_pic(""),
        ),
        ("ProxyAuthorization", full().proxy_authorization(" ")),
    ];
    for (name, builder) in cases {
        let err = builder.build().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == name),
            "{name}: {err}"
        );
    }
    let err = sms::CreateSmsAuthorizationLetter::builder()
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
}
