//! SMS paperwork for tests: complete requests for qualifications, letters, signatures,
//! templates and sends, raw requests for what the builders refuse, and the emulator's SMS
//! control routes over HTTP.
#![allow(dead_code)]

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use alibaba_openapi::aliyun::{self, RawRequest};
use alibaba_openapi::emulator::Emulator;
use alibaba_openapi::Error;
use serde_json::{json, Value};

/// The organization code every test qualification and letter uses.
pub const ORGANIZATION_CODE: &str = "91110000MA01TEST01";

/// A complete qualification named `name` for [`ORGANIZATION_CODE`].
pub fn qualification(name: &str) -> sms::SubmitSmsQualification {
    sms::SubmitSmsQualification::builder()
        .qualification_name(name)
        .company_name(format!("{name}科技有限公司"))
        .company_type("COMPANY")
        .organization_code(ORGANIZATION_CODE)
        .bussiness_license_exp_date("2099-12-31")
        .business_license_pics(json!([{ "LicensePic": "123456/license.jpg", "Type": "licenseA" }]))
        .legal_person_name("李四")
        .legal_person_id_card_type("identityCard")
        .legal_person_id_card_no("110101199001011234")
        .legal_person_id_card_eff_time("2099-12-31")
        .admin_name("王五")
        .admin_id_card_type("identityCard")
        .admin_id_card_no(format!("11010119900101{:04}", name.len()))
        .admin_id_card_exp_date("2099-12-31")
        .admin_id_card_front_face("123456/front.jpg")
        .admin_id_card_pic("123456/back.jpg")
        .admin_phone_no("13800000000")
        .certify_code("123456")
        .use_by_self(false)
        .whether_share(false)
        .build()
        .unwrap()
}

/// A letter named `name` covering `signs`, for [`ORGANIZATION_CODE`].
pub fn letter(name: &str, signs: &[&str]) -> sms::CreateSmsAuthorizationLetter {
    crate::common::letter(name)
        .organization_code(ORGANIZATION_CODE)
        .sign_list(signs.iter().copied())
        .build()
        .unwrap()
}

/// A general signature application backed by `qualification` (and `letter`, if any).
pub fn sign(name: &str, qualification: i64, letter: Option<i64>) -> sms::CreateSmsSign {
    let builder = sms::CreateSmsSign::builder()
        .sign_name(name)
        .sign_source(0)
        .sign_type(1)
        .qualification_id(qualification)
        .third_party(letter.is_some())
        .remark("emulator test");
    match letter {
        Some(id) => builder.authorization_letter_id(id),
        None => builder,
    }
    .build()
    .unwrap()
}

/// A template application: `kind` 0 verification code, 1 notification, 2 promotion.
pub fn template(name: &str, content: &str, kind: i64, sign: &str) -> sms::CreateSmsTemplate {
    sms::CreateSmsTemplate::builder()
        .template_name(name)
        .template_content(content)
        .template_type(kind)
        .related_sign_name(sign)
        .remark("emulator test")
        .build()
        .unwrap()
}

/// `SendSms` to `phones` with these variables.
pub fn send(phones: &str, sign: &str, template: &str, params: Value) -> sms::SendSms {
    sms::SendSms::builder()
        .phone_numbers(phones)
        .sign_name(sign)
        .template_code(template)
        .template_param(params)
        .build()
        .unwrap()
}

/// `QuerySendDetails` for `phone` on `day` (`yyyyMMdd`).
pub fn details(phone: &str, day: &str, page: i64, size: i64) -> sms::QuerySendDetails {
    sms::QuerySendDetails::builder()
        .phone_number(phone)
        .send_date(day)
        .current_page(page)
        .page_size(size)
        .build()
        .unwrap()
}

/// Today in China on the emulator's services' clock, `yyyyMMdd`.
pub fn today(emulator: &Emulator) -> String {
    day(emulator, 0)
}

/// `days` after today in China on the services' clock (negative: before), `yyyyMMdd`.
pub fn day(emulator: &Emulator, days: i64) -> String {
    let china = emulator.business_now() + chrono::Duration::hours(8) + chrono::Duration::days(days);
    china.format("%Y%m%d").to_string()
}

/// A raw Dysmsapi request, for what the typed builders refuse before sending.
pub fn raw(action: &str) -> RawRequest {
    RawRequest::new("dysmsapi", "2017-05-25", action)
}

/// A raw `SendSms` of the seeded sample signature and template to `phones`, with `changes`
/// to those parameters (or added ones).
pub fn raw_send(phones: &str, changes: &[(&str, &str)]) -> RawRequest {
    let mut params = vec![
        ("PhoneNumbers", phones),
        ("SignName", "sample"),
        ("TemplateCode", "sample"),
        ("TemplateParam", r#"{"code":"A1"}"#),
    ];
    for (name, value) in changes {
        match params.iter_mut().find(|(n, _)| n == name) {
            Some(param) => param.1 = value,
            None => params.push((name, value)),
        }
    }
    params
        .into_iter()
        .fold(raw("SendSms"), |request, (name, value)| {
            request.param(name, value)
        })
}

/// The refusal of a raw request: (HTTP status, typed code, message, whether it has the
/// gateway's `HostId`).
pub async fn refusal(
    client: &aliyun::Client,
    request: &RawRequest,
) -> (u16, ErrorCode, String, bool) {
    let err: Error<ErrorCode> = client.call(request).await.unwrap_err().map_code();
    let e = err.service_error().unwrap_or_else(|| panic!("{err:?}"));
    (
        e.status(),
        e.code().clone(),
        e.message().to_owned(),
        e.host_id().is_some(),
    )
}

/// The typed code of a failed call, with its HTTP status.
pub fn code_of<T: std::fmt::Debug>(result: Result<T, Error<ErrorCode>>) -> (u16, ErrorCode) {
    let err = result.unwrap_err();
    let e = err.service_error().unwrap_or_else(|| panic!("{err:?}"));
    (e.status(), e.code().clone())
}

/// A control route: (status, JSON body).
pub async fn control(
    emulator: &Emulator,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}/_emulator/sms/{path}", emulator.url());
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, url);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
    )
}
