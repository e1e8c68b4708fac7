//! `SendSms` and `SendBatchSms`: every check with its `isv.*` code, and flow control per number
//! in rolling windows on the services' clock.

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use alibaba_openapi::emulator::accounts;
use chrono::Duration;
use serde_json::json;

use crate::approved_pair;
use crate::common;
use crate::sms_support::*;

#[tokio::test]
async fn each_send_check_answers_its_isv_code_in_an_http_200_body() {
    let env = common::start().await;
    let client = &env.aliyun;
    let many: Vec<String> = (0..1001).map(|i| format!("138{i:08}")).collect();
    let test_sign = accounts::SMS_TEST_SIGN_NAME;
    let verification = |code: &str| {
        raw("SendSms")
            .param("PhoneNumbers", "13800000002")
            .param("SignName", test_sign)
            .param("TemplateCode", accounts::SMS_TEST_TEMPLATE_CODE)
            .param("TemplateParam", format!(r#"{{"code":"{code}"}}"#))
    };
    let long_id = "x".repeat(256);
    let cases = [
        (
            raw_send("13800000002", &[("SignName", "无此签名")]),
            ErrorCode::SmsSignatureIllegal,
            "短信签名不合法",
        ),
        (
            raw_send("13800000002", &[("TemplateCode", "SMS_1")]),
            ErrorCode::SmsTemplateIllegal,
            "模板不合法(不存在或被拉黑)",
        ),
        (
            raw_send("13800000002", &[("TemplateParam", "{}")]),
            ErrorCode::TemplateMissingParameters,
            "模版缺少变量",
        ),
        (
            raw_send("13800000002", &[("TemplateParam", "code=1")]),
            ErrorCode::InvalidJsonParam,
            "JSON参数不合法，只接受字符串值",
        ),
        (
            raw_send("13800000002", &[("TemplateParam", r#"{"code":1234}"#)]),
            ErrorCode::InvalidJsonParam,
            "JSON参数不合法，只接受字符串值",
        ),
        (
            raw_send("13800000002,139523483377", &[]),
            ErrorCode::MobileNumberIllegal,
            "139523483377invalid mobile number",
        ),
        (
            raw_send(&many.join(","), &[]),
            ErrorCode::MobileCountOverLimit,
            "手机号码数量超过限制",
        ),
        (
            raw_send("13800000002", &[("OutId", &long_id)]),
            ErrorCode::InvalidParameters,
            "OutId must be shorter than 256 characters.",
        ),
        (
            verification("12-34"),
            ErrorCode::InvalidParameters,
            "params must be [a-zA-Z0-9] for verification sms",
        ),
        (
            verification("123"),
            ErrorCode::ParamLengthLimit,
            "参数超出长度限制",
        ),
        (
            raw_send("13800000002", &[("SignName", test_sign)]),
            ErrorCode::SmsSignatureSceneIllegal,
            "签名和模板类型不一致",
        ),
    ];
    for (request, code, message) in cases {
        let (status, got, text, gateway_shaped) = refusal(client, &request).await;
        assert_eq!((status, &got, text.as_str()), (200, &code, message));
        assert!(
            !gateway_shaped,
            "{code:?}: a business body, not the gateway's"
        );
    }
    assert!(
        env.emulator.sms_outbox().is_empty(),
        "nothing refused was sent"
    );
    // Missing parameters are the gateway's, and a 255-character OutId is fine.
    let (status, code, message, _) =
        refusal(client, &raw("SendSms").param("PhoneNumbers", "13800000002")).await;
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (
            400,
            "MissingSignName",
            "SignName is mandatory for this action."
        )
    );
    let out_id = "x".repeat(255);
    client
        .call(&raw_send("+8613800000002", &[("OutId", &out_id)]))
        .await
        .unwrap();
    assert_eq!(env.emulator.sms_outbox()[0].phone_number, "13800000002");
}

#[tokio::test]
async fn verification_codes_are_limited_per_minute_hour_and_day_in_rolling_windows() {
    let env = common::start().await;
    let client = &env.aliyun;
    let code = |phone: &str| {
        send(
            phone,
            accounts::SMS_TEST_SIGN_NAME,
            accounts::SMS_TEST_TEMPLATE_CODE,
            json!({"code":"1234"}),
        )
    };
    let limited = |result| match code_of(result) {
        (200, ErrorCode::BusinessLimitControl) => (),
        other => panic!("{other:?}"),
    };
    let message = |result: Result<_, alibaba_openapi::Error<ErrorCode>>| {
        result
            .unwrap_err()
            .service_error()
            .unwrap()
            .message()
            .to_owned()
    };
    let phone = "13900000001";
    client.send(&code(phone)).await.unwrap();
    assert_eq!(
        message(client.send(&code(phone)).await),
        "触发分钟级流控Permits:1"
    );
    client.send(&code("13900000002")).await.unwrap();
    env.emulator.advance_time(Duration::seconds(59));
    limited(client.send(&code(phone)).await);
    env.emulator.advance_time(Duration::seconds(1));
    for _ in 0..4 {
        client.send(&code(phone)).await.unwrap();
        env.emulator.advance_time(Duration::minutes(1));
    }
    // 5 sends within the hour: the 6th waits until the first is an hour old.
    assert_eq!(
        message(client.send(&code(phone)).await),
        "触发小时级流控Permits:5"
    );
    env.emulator.advance_time(Duration::minutes(56));
    client.send(&code(phone)).await.unwrap();
    for _ in 0..4 {
        env.emulator.advance_time(Duration::minutes(15));
        client.send(&code(phone)).await.unwrap();
    }
    env.emulator.advance_time(Duration::minutes(15));
    // 10 sends within the rolling day.
    assert_eq!(
        message(client.send(&code(phone)).await),
        "触发天级流控Permits:10"
    );
    env.emulator.advance_time(Duration::hours(22));
    client.send(&code(phone)).await.unwrap();
    assert_eq!(env.emulator.sms_outbox().len(), 12);
}

#[tokio::test]
async fn forty_verification_codes_a_day_reach_a_number_from_every_sender_together() {
    let env = common::start().await;
    let phone = "13900000003";
    let senders: Vec<_> = accounts::ALL
        .iter()
        .map(|a| common::aliyun_client(&env.emulator, *a))
        .collect();
    let code = send(
        phone,
        accounts::SMS_TEST_SIGN_NAME,
        accounts::SMS_TEST_TEMPLATE_CODE,
        json!({"code":"1234"}),
    );
    for _ in 0..10 {
        for sender in &senders[..4] {
            sender.send(&code).await.unwrap();
        }
        env.emulator.advance_time(Duration::minutes(15));
    }
    let err = senders[4].send(&code).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::BusinessLimitControl));
    assert_eq!(
        err.service_error().unwrap().message(),
        "触发天级流控Permits:40"
    );
}

#[tokio::test]
async fn notifications_are_limited_to_fifty_a_day_per_signature_and_template() {
    let env = common::start().await;
    let client = &env.aliyun;
    let other_template = approved_pair(&env, "通知签名", "您的包裹${code}已签收。", 1).await;
    let phone = "13900000004";
    let sample = send(phone, "sample", "sample", json!({"code":"A1"}));
    for _ in 0..50 {
        client.send(&sample).await.unwrap();
    }
    let err = client.send(&sample).await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().message(),
        "触发天级流控Permits:50"
    );
    client
        .send(&send(
            phone,
            "通知签名",
            &other_template,
            json!({"code":"B2"}),
        ))
        .await
        .unwrap();
    env.emulator.advance_time(Duration::hours(24));
    client.send(&sample).await.unwrap();
}

#[tokio::test]
async fn batch_checks_answer_their_codes_and_a_good_batch_sends_one_message_per_number() {
    let env = common::start().await;
    let client = &env.aliyun;
    let batch = |phones: &str, signs: &str, params: &str| {
        raw("SendBatchSms")
            .param("TemplateCode", "sample")
            .param("PhoneNumberJson", phones)
            .param("SignNameJson", signs)
            .param("TemplateParamJson", params)
    };
    let hundred_one =
        serde_json::to_string(&(0..101).map(|i| format!("139{i:08}")).collect::<Vec<_>>()).unwrap();
    let cases = [
        (
            batch(
                r#"["13900000005","13900000006"]"#,
                r#"["sample"]"#,
                r#"[{"code":"1"},{"code":"2"}]"#,
            ),
            ErrorCode::InvalidParameters,
        ),
        (
            batch(
                r#"["13900000005"]"#,
                r#"["sample"]"#,
                r#"[{"code":"1"},{"code":"2"}]"#,
            ),
            ErrorCode::InvalidParameters,
        ),
        (
            batch(&hundred_one, r#"["sample"]"#, "[]"),
            ErrorCode::MobileCountOverLimit,
        ),
        (
            batch(
                r#"["13900000005","13900000006"]"#,
                r#"["sample","无此签名"]"#,
                r#"[{"code":"1"},{"code":"2"}]"#,
            ),
            ErrorCode::SmsSignatureIllegal,
        ),
        (
            batch(
                r#"["13900000005","13900000006"]"#,
                r#"["sample","sample"]"#,
                r#"[{"code":"1"},{}]"#,
            ),
            ErrorCode::TemplateMissingParameters,
        ),
        (
            batch(
                r#"["13900000005","1390000000"]"#,
                r#"["sample","sample"]"#,
                r#"[{"code":"1"},{"code":"2"}]"#,
            ),
            ErrorCode::MobileNumberIllegal,
        ),
        (
            batch(r#"["13900000005"]"#, r#"["sample"]"#, r#"{"code":"1"}"#),
            ErrorCode::InvalidJsonParam,
        ),
    ];
    for (request, code) in cases {
        let (status, got, _, _) = refusal(client, &request).await;
        assert_eq!((status, got), (200, code));
    }
    let good = sms::SendBatchSms::builder()
        .phone_number_json(["13900000005", "+8613900000006"])
        .sign_name_json(["sample", accounts::SMS_SAMPLE_SIGN_NAME])
        .template_code("sample")
        .template_param_json([json!({"code":"X1"}), json!({"code":"X2"})])
        .out_id("batch-1")
        .build()
        .unwrap();
    let biz_id = client.send(&good).await.unwrap().biz_id.unwrap();
    let outbox = env.emulator.sms_outbox();
    assert_eq!(outbox.len(), 2);
    assert!(outbox
        .iter()
        .all(|m| m.biz_id == biz_id && m.out_id.as_deref() == Some("batch-1")));
    assert_eq!(outbox[1].phone_number, "13900000006");
    assert_eq!(
        outbox[1].content,
        "【sample】您的订单X2已发货，请注意查收。"
    );
    assert_eq!(outbox[1].template_param["code"], "X2");
}
