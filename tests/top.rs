//! TOP `alibaba.databank.open.auth.apply` end to end against the emulator.

mod common;

use alibaba_openapi::emulator::accounts;
use alibaba_openapi::top::databank::{self, AuthStatus};
use alibaba_openapi::top::{self, ErrorCode, SignMethod};
use common::apply;

#[tokio::test]
async fn application_is_accepted_under_review() {
    let env = common::start().await;
    let answer = env
        .top
        .send(&apply(accounts::DATABANK_SK, "111111"))
        .await
        .unwrap();
    assert!(answer.result.is_success(), "{:?}", answer.result);
    let data = answer.result.data.expect("data of an accepted application");
    assert_eq!(data.apply_entity_id.as_deref(), Some("111111"));
    assert_eq!(data.apply_biz_name.as_deref(), Some("宝洁集团"));
    assert_eq!(data.auth_status, Some(AuthStatus::UnderReview));
    assert!(answer.request_id.is_some());
}

#[tokio::test]
async fn every_sign_method_is_accepted() {
    let env = common::start().await;
    for (i, method) in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256]
        .into_iter()
        .enumerate()
    {
        let client = top::Client::builder()
            .app_key(accounts::TOP_APP_KEY)
            .app_secret(accounts::TOP_APP_SECRET)
            .sign_method(method)
            .gateway_url(env.emulator.top_gateway_url())
            .build()
            .unwrap();
        let answer = client
            .send(&apply(accounts::DATABANK_SK, &format!("entity-{i}")))
            .await
            .unwrap();
        assert!(answer.result.is_success(), "{method}");
        let wire = env.emulator.requests();
        assert_eq!(wire.last().unwrap().params["sign_method"], method.as_str());
    }
}

#[tokio::test]
async fn business_failures_are_surfaced_in_the_result() {
    let env = common::start().await;
    let answer = env.top.send(&apply("wrong-sk", "222222")).await.unwrap();
    assert!(!answer.result.is_success());
    assert_ne!(answer.result.errcode, Some(0));
    assert!(answer.result.errmsg.is_some());
    assert!(answer.result.codeclass.is_some());
}

#[tokio::test]
async fn wrong_secret_is_invalid_signature() {
    let env = common::start().await;
    let client = top::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret("not-the-secret")
        .gateway_url(env.emulator.top_gateway_url())
        .build()
        .unwrap();
    let err = client
        .send(&apply(accounts::DATABANK_SK, "333333"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InvalidSignature));
    let service = err.service_error().unwrap();
    assert_eq!(service.raw_code(), "25");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn unknown_app_key_and_session_are_typed() {
    let env = common::start().await;
    let unknown = top::Client::builder()
        .app_key("99999999")
        .app_secret(accounts::TOP_APP_SECRET)
        .gateway_url(env.emulator.top_gateway_url())
        .build()
        .unwrap();
    let err = unknown
        .send(&apply(accounts::DATABANK_SK, "1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InvalidAppKey));

    let bad_session = top::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret(accounts::TOP_APP_SECRET)
        .session("not-a-session")
        .gateway_url(env.emulator.top_gateway_url())
        .build()
        .unwrap();
    let err = bad_session
        .send(&apply(accounts::DATABANK_SK, "2"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InvalidSession));
}

#[tokio::test]
async fn isp_sub_codes_are_retryable_and_keep_their_detail() {
    let env = common::start().await;
    env.emulator
        .inject(alibaba_openapi::emulator::Fault::top_isp(
            "isp.remote-service-timeout",
        ));
    let err = env
        .top
        .send(&apply(accounts::DATABANK_SK, "444444"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::RemoteServiceError));
    let service = err.service_error().unwrap();
    assert_eq!(service.sub_code(), Some("isp.remote-service-timeout"));
    assert!(service.sub_msg().is_some());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn raw_call_with_a_non_json_param_is_invalid_arguments_naming_it() {
    let env = common::start().await;
    let raw = top::RawRequest::new("alibaba.databank.open.auth.apply")
        .param(
            "context",
            format!(
                r#"{{"ak":"{}","sk":"{}"}}"#,
                accounts::DATABANK_AK,
                accounts::DATABANK_SK
            ),
        )
        .param("param", "not json");
    // A `param` that is not a JSON object is code 41 naming it (the emulator's documented
    // rule), not the 15 of a well-formed object with a bad field.
    let err = env.top.call(&raw).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::InvalidArguments), "{err}");
    let service = err.service_error().unwrap();
    assert_eq!(service.raw_code(), "41");
    assert_eq!(service.message(), "Invalid arguments:param");
    assert_eq!(service.sub_code(), None);
    assert!(!err.is_retryable());

    let missing = top::RawRequest::new("alibaba.databank.open.auth.apply");
    let err = env.top.call(&missing).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::MissingRequiredArguments));
    let service = err.service_error().unwrap();
    assert_eq!(service.raw_code(), "40");
    assert_eq!(service.message(), "Missing required arguments:context");
}

#[tokio::test]
async fn struct_parameters_are_required() {
    let err = databank::OpenAuthApply::builder()
        .context(
            databank::DataBankOpenContext::builder()
                .ak("a")
                .sk("x")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("`param`"), "{err}");
    let err = databank::DataAuthApplyParam::builder()
        .apply_biz_id("1")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("param."), "{err}");
    let err = databank::DataBankOpenContext::builder()
        .ak("a")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("context.sk"), "{err}");
}
