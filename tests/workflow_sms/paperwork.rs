//! Qualifications, letters of authorization, signatures and templates: review states, the
//! documented rules and codes, decisions by the Rust API and the control route.

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use alibaba_openapi::emulator::{
    accounts, AuditError, AuditState, DeliveryStatus, Emulator, Receipt,
};
use chrono::Duration;
use serde_json::json;

use crate::approved_qualification;
use crate::common;
use crate::sms_support::*;

#[tokio::test]
async fn paperwork_waits_in_review_until_approved_then_a_send_is_delivered_after_the_delay() {
    let env = common::start().await;
    let client = &env.aliyun;
    let qualification = approved_qualification(&env, "流程资质").await;
    let letter_id: i64 = client
        .send(&letter("流程授权书", &["流程签名"]))
        .await
        .unwrap()
        .authorization_letter_id
        .parse()
        .unwrap();

    let created = client
        .send(&sign("流程签名", qualification, Some(letter_id)))
        .await
        .unwrap();
    assert_eq!(created.sign_name.as_deref(), Some("流程签名"));
    assert!(created.order_id.is_some());
    let get = sms::GetSmsSign::builder()
        .sign_name("流程签名")
        .build()
        .unwrap();
    let pending = client.send(&get).await.unwrap();
    assert_eq!(pending.sign_status, Some(sms::SignStatus::InReview));
    assert_eq!(pending.authorization_letter_audit_pass, Some(false));
    let template_request = template(
        "通知",
        "尊敬的${name}，您的订单${order}已发货。",
        1,
        "流程签名",
    );
    assert_eq!(
        code_of(client.send(&template_request).await),
        (400, ErrorCode::AssocSignUnapproved),
        "a template needs an approved signature"
    );
    let letters = sms::QuerySmsAuthorizationLetter::builder()
        .authorization_letter_id_list([letter_id])
        .build()
        .unwrap();
    let state =
        |answer: sms::QuerySmsAuthorizationLetterResponse| answer.data.unwrap()[0].state.clone();
    assert_eq!(
        state(client.send(&letters).await.unwrap()),
        Some(sms::ReviewState::Pending)
    );

    // The Rust API approves the signature; the letter it cites passes with it.
    env.emulator.approve_sign("流程签名").unwrap();
    let approved = client.send(&get).await.unwrap();
    assert_eq!(approved.sign_status, Some(sms::SignStatus::Approved));
    assert!(approved
        .audit_info
        .unwrap()
        .audit_date
        .is_some_and(|d| d.len() == 19));
    assert_eq!(
        state(client.send(&letters).await.unwrap()),
        Some(sms::ReviewState::Passed)
    );
    assert_eq!(
        env.emulator.approve_sign("流程签名"),
        Err(AuditError::NotPending(AuditState::Approved))
    );

    // The control route approves the template.
    let code = client
        .send(&template_request)
        .await
        .unwrap()
        .template_code
        .unwrap();
    assert!(code.starts_with("SMS_"), "{code}");
    let message = send(
        "13800000001",
        "流程签名",
        &code,
        json!({"name":"张三","order":"A1"}),
    );
    assert_eq!(
        code_of(client.send(&message).await),
        (200, ErrorCode::SmsTemplateIllegal),
        "not approved yet"
    );
    let (status, _) = control(
        &env.emulator,
        "POST",
        "audits",
        Some(json!({"kind":"template","code":code})),
    )
    .await;
    assert_eq!(status, 200);
    let get_template = sms::GetSmsTemplate::builder()
        .template_code(&code)
        .build()
        .unwrap();
    let template_answer = client.send(&get_template).await.unwrap();
    assert_eq!(
        template_answer.template_status,
        Some(sms::TemplateStatus::Approved)
    );
    assert_eq!(template_answer.template_type.as_deref(), Some("1"));

    let sent = client.send(&message).await.unwrap();
    let biz_id = sent.biz_id.unwrap();
    assert!(
        biz_id.ends_with("^0")
            && biz_id[..biz_id.len() - 2]
                .bytes()
                .all(|b| b.is_ascii_digit())
    );
    let query = details("13800000001", &today(&env.emulator), 1, 10);
    let waiting = client.send(&query).await.unwrap();
    assert_eq!(waiting.total_count, Some(1));
    let item = &waiting.sms_send_detail_dtos.unwrap()[0];
    assert_eq!(item.send_status, Some(sms::SendStatus::WaitingForReceipt));
    assert_eq!(
        (item.err_code.as_deref(), item.receive_date.as_deref()),
        (None, None)
    );
    assert_eq!(
        item.content.as_deref(),
        Some("【流程签名】尊敬的张三，您的订单A1已发货。")
    );
    assert_eq!(item.template_code.as_deref(), Some(code.as_str()));

    env.emulator.advance_time(Duration::seconds(5));
    let delivered = client
        .send(&query)
        .await
        .unwrap()
        .sms_send_detail_dtos
        .unwrap();
    assert_eq!(delivered[0].send_status, Some(sms::SendStatus::Delivered));
    assert_eq!(delivered[0].err_code.as_deref(), Some("DELIVERED"));
    assert!(delivered[0]
        .receive_date
        .as_deref()
        .is_some_and(|d| d.len() == 19));
    let outbox = env.emulator.sms_outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        (outbox[0].biz_id.as_str(), &outbox[0].status),
        (biz_id.as_str(), &DeliveryStatus::Delivered)
    );
}

#[tokio::test]
async fn a_pending_qualification_cannot_back_a_signature_and_records_show_its_state() {
    let env = common::start().await;
    let client = &env.aliyun;
    let id: u64 = client
        .send(&qualification("待审资质"))
        .await
        .unwrap()
        .data
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        code_of(client.send(&sign("待审签名", id as i64, None)).await),
        (400, ErrorCode::InvalidQualification)
    );
    assert_eq!(
        code_of(client.send(&sign("待审签名", 777, None)).await),
        (404, ErrorCode::QualificationNotFound)
    );
    assert_eq!(
        code_of(client.send(&qualification("待审资质")).await),
        (400, ErrorCode::QualificationNameAlreadyExist)
    );
    let records = sms::QuerySmsQualificationRecord::builder()
        .state("INIT")
        .build()
        .unwrap();
    let list = client
        .send(&records)
        .await
        .unwrap()
        .data
        .unwrap()
        .list
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].state_name,
        Some(sms::QualificationRecordState::InReview)
    );
    env.emulator
        .reject_qualification(id, "营业执照模糊")
        .unwrap();
    let single = sms::QuerySingleSmsQualification::builder()
        .qualification_group_id(id as i64)
        .build()
        .unwrap();
    let data = client.send(&single).await.unwrap().data.unwrap();
    assert_eq!(data.state, Some(sms::ReviewState::Failed));
    assert_eq!(data.organization_code.as_deref(), Some(ORGANIZATION_CODE));
    let rejected = sms::QuerySmsQualificationRecord::builder()
        .state("NOT_PASS")
        .build()
        .unwrap();
    let list = client
        .send(&rejected)
        .await
        .unwrap()
        .data
        .unwrap()
        .list
        .unwrap();
    assert_eq!(list[0].audit_remark.as_deref(), Some("营业执照模糊"));
}

#[tokio::test]
async fn a_rejected_signature_shows_its_reason_and_only_then_can_be_updated_or_deleted() {
    let env = common::start().await;
    let client = &env.aliyun;
    let qualification = approved_qualification(&env, "驳回资质").await;
    client
        .send(&sign("驳回签名", qualification, None))
        .await
        .unwrap();
    let update = sms::UpdateSmsSign::builder()
        .sign_name("驳回签名")
        .sign_source(0)
        .qualification_id(qualification)
        .remark("补充材料")
        .build()
        .unwrap();
    let delete = sms::DeleteSmsSign::builder()
        .sign_name("驳回签名")
        .build()
        .unwrap();
    assert_eq!(
        code_of(client.send(&update).await),
        (400, ErrorCode::SmsStatusIllegal)
    );
    assert_eq!(
        code_of(client.send(&delete).await),
        (400, ErrorCode::SmsStatusIllegal)
    );

    let (status, _) = control(
        &env.emulator,
        "POST",
        "audits",
        Some(json!({"kind":"sign","name":"驳回签名","decision":"reject","reason":"签名与企业名称不符"})),
    )
    .await;
    assert_eq!(status, 200);
    let list = client
        .send(&sms::QuerySmsSignList::builder().build().unwrap())
        .await
        .unwrap();
    let item = list
        .sms_sign_list
        .unwrap()
        .into_iter()
        .find(|s| s.sign_name.as_deref() == Some("驳回签名"))
        .unwrap();
    assert_eq!(item.audit_status.as_deref(), Some("AUDIT_STATE_NOT_PASS"));
    assert_eq!(
        item.reason.unwrap().reject_info.as_deref(),
        Some("签名与企业名称不符")
    );
    let legacy = sms::QuerySmsSign::builder()
        .sign_name("驳回签名")
        .build()
        .unwrap();
    let legacy = client.send(&legacy).await.unwrap();
    assert_eq!(legacy.sign_status, Some(sms::SignStatus::Rejected));
    assert_eq!(legacy.reason.as_deref(), Some("签名与企业名称不符"));

    client.send(&update).await.unwrap();
    let get = sms::GetSmsSign::builder()
        .sign_name("驳回签名")
        .build()
        .unwrap();
    assert_eq!(
        client.send(&get).await.unwrap().sign_status,
        Some(sms::SignStatus::InReview)
    );
    env.emulator.approve_sign("驳回签名").unwrap();
    assert_eq!(
        code_of(client.send(&update).await),
        (400, ErrorCode::SmsStatusIllegal),
        "approved"
    );
    client.send(&delete).await.unwrap();
    assert_eq!(
        code_of(client.send(&get).await),
        (404, ErrorCode::SignatureNotFound)
    );
    assert_eq!(
        env.emulator.approve_sign("驳回签名"),
        Err(AuditError::NotFound)
    );
}

#[tokio::test]
async fn signature_rules_answer_their_documented_codes() {
    let env = common::start().await;
    let client = &env.aliyun;
    let qualification = approved_qualification(&env, "规则资质").await;
    for bad in ["测试签名", "MyTest", "12345", "阿里 云"] {
        assert_eq!(
            code_of(client.send(&sign(bad, qualification, None)).await),
            (400, ErrorCode::InvalidSignName),
            "{bad}"
        );
    }
    assert_eq!(
        code_of(
            client
                .send(&sign(accounts::SMS_SAMPLE_SIGN_NAME, qualification, None))
                .await
        ),
        (400, ErrorCode::SignNameExists)
    );
    let letter_id: i64 = client
        .send(&letter("规则授权书", &["规则签名"]))
        .await
        .unwrap()
        .authorization_letter_id
        .parse()
        .unwrap();
    let cases = [
        (
            sign("规则签名", qualification, Some(999)),
            ErrorCode::SmsAuthorizationLetterNotExist,
        ),
        (
            sign("别的签名", qualification, Some(letter_id)),
            ErrorCode::SmsSignNotAuthorized,
        ),
        (
            sign(
                "规则签名",
                accounts::SMS_SAMPLE_QUALIFICATION_ID as i64,
                Some(letter_id),
            ),
            ErrorCode::SmsAuthorizationLetterNotMatch,
        ),
    ];
    for (request, code) in cases {
        assert_eq!(code_of(client.send(&request).await), (400, code));
    }
    // Another account's name is its own.
    let other = common::aliyun_client(&env.emulator, accounts::OTHER);
    let answer = other.send(&sign("规则签名", qualification, None)).await;
    assert_eq!(
        code_of(answer),
        (404, ErrorCode::QualificationNotFound),
        "not its qualification"
    );
}

#[tokio::test]
async fn template_rules_answer_their_documented_codes_and_a_rejected_one_is_updated() {
    let env = common::start().await;
    let client = &env.aliyun;
    let sample = accounts::SMS_SAMPLE_SIGN_NAME;
    let cases = [
        (
            template("t", "验证码${code}，${minutes}分钟内有效", 0, sample),
            (400, ErrorCode::TemplateVarLimitExceeded),
        ),
        (
            template("t", "验证码${code", 0, sample),
            (400, ErrorCode::InvalidTemplateContentFormat),
        ),
        (
            template("t", "您好${name}", 1, "无此签名"),
            (404, ErrorCode::SmsSignatureNotFound),
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(code_of(client.send(&request).await), expected);
    }
    let bad_rule = sms::CreateSmsTemplate::builder()
        .template_name("t")
        .template_content("您好${name}")
        .template_type(1)
        .related_sign_name(sample)
        .template_rule("not json")
        .build()
        .unwrap();
    assert_eq!(
        code_of(client.send(&bad_rule).await),
        (400, ErrorCode::InvalidTemplateRuleFormat)
    );
    let no_sign = raw("CreateSmsTemplate")
        .param("TemplateName", "t")
        .param("TemplateContent", "您好${name}")
        .param("TemplateType", "1");
    let (status, code, _, _) = refusal(client, &no_sign).await;
    assert_eq!((status, code.as_str()), (400, "MissingRelatedSignName"));
    let legacy = sms::AddSmsTemplate::builder()
        .template_name("t")
        .template_content("验证码${a}${b}")
        .template_type(0)
        .remark("r")
        .build()
        .unwrap();
    assert_eq!(
        code_of(client.send(&legacy).await),
        (400, ErrorCode::TemplateParameterCountIllegal)
    );

    let code = client
        .send(&template("通知", "您好${name}", 1, sample))
        .await
        .unwrap()
        .template_code
        .unwrap();
    let delete = sms::DeleteSmsTemplate::builder()
        .template_code(&code)
        .build()
        .unwrap();
    assert_eq!(
        code_of(client.send(&delete).await),
        (400, ErrorCode::SmsStatusIllegal)
    );
    env.emulator.reject_template(&code, "变量不规范").unwrap();
    let get = sms::GetSmsTemplate::builder()
        .template_code(&code)
        .build()
        .unwrap();
    let rejected = client.send(&get).await.unwrap();
    assert_eq!(
        rejected.template_status,
        Some(sms::TemplateStatus::Rejected)
    );
    assert_eq!(
        rejected.audit_info.unwrap().reject_info.as_deref(),
        Some("变量不规范")
    );
    let update = sms::UpdateSmsTemplate::builder()
        .template_code(&code)
        .template_name("通知")
        .template_content("您好${name}，欢迎。")
        .template_type(1)
        .related_sign_name(sample)
        .build()
        .unwrap();
    client.send(&update).await.unwrap();
    let again = client.send(&get).await.unwrap();
    assert_eq!(again.template_status, Some(sms::TemplateStatus::InReview));
    assert_eq!(
        again.template_content.as_deref(),
        Some("您好${name}，欢迎。")
    );
    env.emulator.withdraw_template(&code).unwrap();
    let list = client
        .send(&sms::QuerySmsTemplateList::builder().build().unwrap())
        .await
        .unwrap();
    let item = list
        .sms_template_list
        .unwrap()
        .into_iter()
        .find(|t| t.template_code.as_deref() == Some(code.as_str()))
        .unwrap();
    assert_eq!(item.audit_status.as_deref(), Some("AUDIT_STATE_CANCEL"));
    assert_eq!(
        (item.template_type, item.outer_template_type),
        (Some(0), Some(1))
    );
    client.send(&delete).await.unwrap();
    assert_eq!(
        code_of(client.send(&get).await),
        (404, ErrorCode::TemplateNotFound)
    );
}

#[tokio::test]
async fn letters_are_filtered_and_turn_invalid_when_their_period_ends() {
    let env = common::start().await;
    let client = &env.aliyun;
    let created = client
        .send(&letter("有效授权书", &["有效签名"]))
        .await
        .unwrap();
    let id: i64 = created.authorization_letter_id.parse().unwrap();
    let query = |state: &str, sign: &str| {
        sms::QuerySmsAuthorizationLetter::builder()
            .state(state)
            .sign_name(sign)
            .build()
            .unwrap()
    };
    let found = client
        .send(&query("INT", "有效签名"))
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].authorization_letter_id, Some(id));
    assert_eq!(found[0].status, Some(sms::AuthorizationLetterStatus::Valid));
    assert_eq!(found[0].sign_scope.as_deref(), Some("有效签名"));
    assert!(client
        .send(&query("PASSED", "有效签名"))
        .await
        .unwrap()
        .data
        .unwrap()
        .is_empty());
    let seeded = client
        .send(&query("PASSED", "sample"))
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(
        seeded[0].authorization_letter_id,
        Some(accounts::SMS_SAMPLE_LETTER_ID as i64)
    );
    env.emulator.approve_letter(id as u64).unwrap();
    env.emulator.advance_time(Duration::days(3 * 366));
    let all = client
        .send(&sms::QuerySmsAuthorizationLetter::builder().build().unwrap())
        .await
        .unwrap();
    let mine = all
        .data
        .unwrap()
        .into_iter()
        .find(|l| l.authorization_letter_id == Some(id))
        .unwrap();
    assert_eq!(
        (mine.state, mine.status),
        (
            Some(sms::ReviewState::Passed),
            Some(sms::AuthorizationLetterStatus::Expired)
        )
    );
    // A missing parameter is named as the gateway names it for every Dysmsapi action.
    let incomplete = raw("CreateSmsAuthorizationLetter").param("AuthorizationLetterName", "缺参数");
    let (status, code, message, _) = refusal(client, &incomplete).await;
    assert_eq!((status, code.as_str()), (400, "MissingAuthorization"));
    assert_eq!(message, "Authorization is mandatory for this action.");
}

#[tokio::test]
async fn auto_approve_approves_every_application_at_submission() {
    let emulator = Emulator::builder()
        .sms_auto_approve(true)
        .start()
        .await
        .unwrap();
    let client = common::aliyun_client(&emulator, accounts::OWNER);
    let id = client
        .send(&qualification("自动资质"))
        .await
        .unwrap()
        .data
        .unwrap();
    client
        .send(&sign("自动签名", id.parse().unwrap(), None))
        .await
        .unwrap();
    let code = client
        .send(&template("t", "您好${name}", 1, "自动签名"))
        .await
        .unwrap()
        .template_code
        .unwrap();
    client
        .send(&send(
            "13900000014",
            "自动签名",
            &code,
            json!({"name":"王"}),
        ))
        .await
        .unwrap();
    assert!(emulator.pending_audits().is_empty());
    emulator.set_sms_auto_approve(false);
    client.send(&qualification("手动资质")).await.unwrap();
    assert_eq!(emulator.pending_audits().len(), 1);
}

#[tokio::test]
async fn reset_forgets_paperwork_and_sends_but_keeps_the_started_settings() {
    let emulator = Emulator::builder()
        .sms_auto_approve(true)
        .start()
        .await
        .unwrap();
    let client = common::aliyun_client(&emulator, accounts::OWNER);
    let id = client
        .send(&qualification("重置资质"))
        .await
        .unwrap()
        .data
        .unwrap();
    client
        .send(&sign("重置签名", id.parse().unwrap(), None))
        .await
        .unwrap();
    client
        .send(&send(
            "13900000015",
            accounts::SMS_TEST_SIGN_NAME,
            accounts::SMS_TEST_TEMPLATE_CODE,
            json!({"code":"1234"}),
        ))
        .await
        .unwrap();
    emulator.set_receipt("13900000015", Receipt::Never);
    emulator.set_sms_auto_approve(false);
    assert_eq!(emulator.sms_outbox().len(), 1);

    emulator.reset();

    assert!(emulator.sms_outbox().is_empty(), "the outbox is emptied");
    let gone = client
        .send(
            &sms::GetSmsSign::builder()
                .sign_name("重置签名")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some(&ErrorCode::SignatureNotFound));
    // The seeds are back, and the chosen receipt is forgotten: delivered again.
    client
        .send(&send(
            "13900000015",
            accounts::SMS_TEST_SIGN_NAME,
            accounts::SMS_TEST_TEMPLATE_CODE,
            json!({"code":"1234"}),
        ))
        .await
        .unwrap();
    emulator.advance_time(Duration::seconds(5));
    assert_eq!(
        emulator.sms_outbox()[0].status,
        DeliveryStatus::Delivered,
        "{:?}",
        emulator.sms_outbox()
    );
    // Automatic approval is what the emulator was started with, not what was set since.
    client.send(&qualification("重置后资质")).await.unwrap();
    assert!(emulator.pending_audits().is_empty());
}
