//! The legacy actions (`AddSmsSign`, `ModifySmsSign`, `QuerySmsSign`, `AddSmsTemplate`,
//! `ModifySmsTemplate`, `QuerySmsTemplate`): the same reviews and rules, their own codes and
//! state representations.

use alibaba_openapi::aliyun::sms::{self, ErrorCode};

use crate::common;
use crate::sms_support::*;

fn files(suffixes: &[&str]) -> Vec<sms::AddSmsSignSignFileList> {
    suffixes
        .iter()
        .map(|suffix| {
            sms::AddSmsSignSignFileList::builder()
                .file_contents("aGVsbG8=")
                .file_suffix(*suffix)
                .build()
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn legacy_applications_are_reviewed_and_changed_like_the_current_ones() {
    let env = common::start().await;
    let client = &env.aliyun;
    let add = |name: &str| {
        sms::AddSmsSign::builder()
            .sign_name(name)
            .sign_source(1)
            .remark("官网")
            .sign_file_list(files(&["jpg", "png"]))
            .build()
            .unwrap()
    };
    let (status, code) = code_of(client.send(&add("老签名测试")).await);
    assert_eq!((status, code), (200, ErrorCode::SignNameIllegal));
    client.send(&add("老签名")).await.unwrap();
    let query = sms::QuerySmsSign::builder()
        .sign_name("老签名")
        .build()
        .unwrap();
    let pending = client.send(&query).await.unwrap();
    assert_eq!(pending.sign_status, Some(sms::SignStatus::InReview));
    assert_eq!(pending.reason.as_deref(), Some("无审核备注"));
    env.emulator
        .reject_sign("老签名", "证明文件不清晰")
        .unwrap();
    let modify = sms::ModifySmsSign::builder()
        .sign_name("老签名")
        .sign_source(1)
        .remark("补充证明")
        .sign_file_list([sms::ModifySmsSignSignFileList::builder()
            .file_contents("aGVsbG8=")
            .file_suffix("jpg")
            .build()
            .unwrap()])
        .build()
        .unwrap();
    client.send(&modify).await.unwrap();
    assert_eq!(
        client.send(&query).await.unwrap().sign_status,
        Some(sms::SignStatus::InReview)
    );
    env.emulator.approve_sign("老签名").unwrap();
    let get = sms::GetSmsSign::builder()
        .sign_name("老签名")
        .build()
        .unwrap();
    let sign = client.send(&get).await.unwrap();
    assert_eq!(sign.sign_tag, Some(sms::SignTag::UserCreated));
    assert_eq!(sign.file_url_list.map(|urls| urls.len()), Some(1));
    assert_eq!(
        code_of(client.send(&modify).await),
        (400, ErrorCode::SmsStatusIllegal)
    );

    let template = sms::AddSmsTemplate::builder()
        .template_name("老模板")
        .template_content("验证码${code}")
        .template_type(0)
        .remark("登录")
        .build()
        .unwrap();
    let code = client.send(&template).await.unwrap().template_code.unwrap();
    env.emulator.reject_template(&code, "缺少签名").unwrap();
    let modify = sms::ModifySmsTemplate::builder()
        .template_code(&code)
        .template_name("老模板")
        .template_content("您的验证码${code}，5分钟内有效")
        .template_type(0)
        .remark("登录")
        .build()
        .unwrap();
    client.send(&modify).await.unwrap();
    let query = sms::QuerySmsTemplate::builder()
        .template_code(&code)
        .build()
        .unwrap();
    let answer = client.send(&query).await.unwrap();
    assert_eq!(answer.template_status, Some(sms::TemplateStatus::InReview));
    assert_eq!(answer.template_type, Some(0));
    assert_eq!(
        answer.template_content.as_deref(),
        Some("您的验证码${code}，5分钟内有效")
    );
}
