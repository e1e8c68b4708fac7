//! Dysmsapi `CreateSmsAuthorizationLetter` end to end against the emulator.

mod common;

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use alibaba_openapi::aliyun::{self};
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

type Builder = sms::CreateSmsAuthorizationLetterBuilder;

/// Sets one required parameter: to a valid value, or, when `blank`, to whitespace (an empty
/// list for `SignList`).
type Setter = fn(Builder, bool) -> Builder;

/// Every required parameter of `CreateSmsAuthorizationLetter`, by wire name.
const REQUIRED: [(&str, Setter); 7] = [
    ("AuthorizationLetterPic", |b, blank| {
        b.authorization_letter_pic(if blank { " " } else { "123456/a.jpg" })
    }),
    ("SignList", |b, blank| {
        b.sign_list(if blank { vec![] } else { vec!["菜鸟网络"] })
    }),
    ("AuthorizationLetterExpDate", |b, blank| {
        b.authorization_letter_exp_date(if blank {
            " ".to_owned()
        } else {
            common::period()
        })
    }),
    ("Authorization", |b, blank| {
        b.authorization(if blank {
            " "
        } else {
            "菜鸟网络科技有限公司"
        })
    }),
    ("OrganizationCode", |b, blank| {
        b.organization_code(if blank { " " } else { "9****************A" })
    }),
    ("ProxyAuthorization", |b, blank| {
        b.proxy_authorization(if blank {
            " "
        } else {
            "支付宝(中国)网络技术有限公司"
        })
    }),
    ("AuthorizationLetterName", |b, blank| {
        b.authorization_letter_name(if blank { " " } else { "名称" })
    }),
];

/// A builder with every required parameter set but `skip`, which is left out or, when
/// `blank`, set to whitespace.
fn letter_without(skip: &str, blank: bool) -> Builder {
    REQUIRED.iter().fold(
        sms::CreateSmsAuthorizationLetter::builder(),
        |b, (name, set)| match (*name == skip, blank) {
            (false, _) => set(b, false),
            (true, true) => set(b, true),
            (true, false) => b,
        },
    )
}

fn invalid_parameter(err: &Error<ErrorCode>) -> Option<&str> {
    match err {
        Error::InvalidRequest { parameter, .. } => Some(parameter.as_ref()),
        _ => None,
    }
}

#[tokio::test]
async fn every_required_parameter_is_named_when_missing_or_blank_and_nothing_is_sent() {
    let env = common::start().await;
    assert!(
        letter_without("none", false).build().is_ok(),
        "the full set builds"
    );
    for (name, _) in REQUIRED {
        for blank in [false, true] {
            let outcome = match letter_without(name, blank).build() {
                Ok(request) => Ok(env.aliyun.send(&request).await),
                Err(e) => Err(e),
            };
            let err = outcome.expect_err("refused by build()");
            assert_eq!(
                invalid_parameter(&err),
                Some(name),
                "{name} (blank: {blank}): {err}"
            );
            assert!(err.to_string().contains(name), "{err}");
        }
    }
    let err = sms::CreateSmsAuthorizationLetter::builder()
        .build()
        .unwrap_err();
    assert!(invalid_parameter(&err).is_some(), "{err}");
    assert_eq!(env.emulator.requests(), vec![], "nothing reached the wire");
}

/// `n` copies of a three-byte character: `n` characters, `3n` bytes.
fn chars(n: usize) -> String {
    "菜".repeat(n)
}

#[test]
fn signature_names_are_2_to_12_characters_counted_as_characters() {
    for good in [
        chars(2),
        chars(12),
        "ab".to_owned(),
        "abcdefghijkl".to_owned(),
    ] {
        assert!(
            letter("名称").sign_list([good.as_str()]).build().is_ok(),
            "{good:?} ({} bytes) is accepted",
            good.len()
        );
    }
    for bad in [
        chars(1),
        chars(13),
        "a".to_owned(),
        "abcdefghijklm".to_owned(),
    ] {
        let err = letter("名称")
            .sign_list(["菜鸟网络", bad.as_str()])
            .build()
            .unwrap_err();
        assert_eq!(invalid_parameter(&err), Some("SignList"), "{bad:?}: {err}");
        assert!(err.to_string().contains("2 to 12"), "{err}");
    }
}

#[test]
fn authorizer_and_authorized_party_are_at_most_150_characters() {
    type Set = fn(Builder, String) -> Builder;
    let cases: [(&str, Set); 2] = [
        ("Authorization", |b, v| b.authorization(v)),
        ("ProxyAuthorization", |b, v| b.proxy_authorization(v)),
    ];
    for (name, set) in cases {
        // 150 characters are 450 bytes: the limit counts characters.
        assert!(set(letter("名称"), chars(150)).build().is_ok(), "{name}");
        let err = set(letter("名称"), chars(151)).build().unwrap_err();
        assert_eq!(invalid_parameter(&err), Some(name), "{err}");
        assert!(err.to_string().contains("150"), "{err}");
    }
}

#[tokio::test]
async fn the_emulator_accepts_what_the_builder_accepts_at_the_limits() {
    let env = common::start().await;
    let request = letter("边界授权书")
        .authorization(chars(150))
        .proxy_authorization(chars(150))
        .sign_list([chars(2), chars(12)])
        .build()
        .unwrap();
    let created = env.aliyun.send(&request).await.unwrap();
    assert_eq!(created.authorization_letter_id, "100000001");
}

/// `CreateSmsAuthorizationLetter` sent untyped, with `field` set to `value`: what the builder
/// would refuse reaches the service.
fn raw_letter(field: &str, value: &str) -> aliyun::RawRequest {
    let mut params = vec![
        (
            "AuthorizationLetterPic",
            "123456/test1719383196031.jpg".to_owned(),
        ),
        ("SignList", r#"["菜鸟网络"]"#.to_owned()),
        ("AuthorizationLetterExpDate", common::period()),
        ("Authorization", "菜鸟网络科技有限公司".to_owned()),
        ("OrganizationCode", "9****************A".to_owned()),
        (
            "ProxyAuthorization",
            "支付宝(中国)网络技术有限公司".to_owned(),
        ),
        ("AuthorizationLetterName", "超长授权书".to_owned()),
    ];
    for (name, v) in &mut params {
        if *name == field {
            *v = value.to_owned();
        }
    }
    params.into_iter().fold(
        aliyun::RawRequest::new("dysmsapi", "2017-05-25", "CreateSmsAuthorizationLetter"),
        |r, (name, v)| r.param(name, v),
    )
}

#[tokio::test]
async fn over_long_parties_are_refused_by_the_service_with_their_typed_codes() {
    let env = common::start().await;
    for (field, code) in [
        ("Authorization", ErrorCode::AuthorizationOverLimit),
        ("ProxyAuthorization", ErrorCode::ProxyAuthorizationOverLimit),
    ] {
        let err: Error<ErrorCode> = env
            .aliyun
            .call(&raw_letter(field, &chars(151)))
            .await
            .unwrap_err()
            .map_code();
        assert_eq!(err.code(), Some(&code), "{err}");
        let service = err.service_error().unwrap();
        assert_eq!(service.status(), 400);
        let id = service.request_id().expect("a request id");
        assert_eq!(id.len(), 36, "an upper-case UUID, newline trimmed: {id:?}");
        assert_eq!(
            env.emulator.requests().last().unwrap().code.as_deref(),
            Some(code.as_str())
        );
    }
}
