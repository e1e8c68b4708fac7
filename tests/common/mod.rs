//! Shared set-up: an emulator on loopback and clients pointed at it, as a user would write.
#![allow(dead_code)]

use alibaba_openapi::aliyun::{self, Credentials};
use alibaba_openapi::emulator::accounts::{self, Account};
use alibaba_openapi::emulator::Emulator;
use alibaba_openapi::top;

/// A running emulator and clients signed as its seeded identities.
pub struct Env {
    pub emulator: Emulator,
    /// Signed as the owner of join permissions 123 and 124.
    pub aliyun: aliyun::Client,
    /// Signed with the seeded TOP app.
    pub top: top::Client,
}

pub async fn start() -> Env {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let aliyun = aliyun_client(&emulator, accounts::OWNER);
    let top = top::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret(accounts::TOP_APP_SECRET)
        .gateway_url(emulator.top_gateway_url())
        .build()
        .expect("the TOP client builds");
    Env {
        emulator,
        aliyun,
        top,
    }
}

pub fn aliyun_client(emulator: &Emulator, account: Account) -> aliyun::Client {
    aliyun::Client::builder()
        .region("cn-shanghai")
        .credentials(Credentials::new(
            account.access_key_id,
            account.access_key_secret,
        ))
        .endpoint_url(emulator.url())
        .build()
        .expect("the client builds")
}

/// The documented example `param` of `alibaba.databank.open.auth.apply`, for entity `entity`.
pub fn apply_param(entity: &str) -> top::databank::DataAuthApplyParam {
    top::databank::DataAuthApplyParam::builder()
        .apply_biz_id("123445")
        .apply_biz_name("宝洁集团")
        .smart_code("sre43wf2454")
        .brand_id("123344")
        .apply_entity_id(entity)
        .apply_entity_name("AIPL数据包")
        .apply_source("DaaS")
        .data_type("BRAND_DATA")
        .apply_biz_user_id("112222")
        .apply_biz_user_name("张三")
        .smart_id(12344)
        .build()
        .unwrap()
}

/// An application with the seeded Data Bank AK and the given `sk`.
pub fn apply(sk: &str, entity: &str) -> top::databank::OpenAuthApply {
    top::databank::OpenAuthApply::builder()
        .context(
            top::databank::DataBankOpenContext::builder()
                .ak(accounts::DATABANK_AK)
                .sk(sk)
                .build()
                .unwrap(),
        )
        .param(apply_param(entity))
        .build()
        .unwrap()
}

/// A letter's validity period from the start of last year to the end of next year.
pub fn period() -> String {
    use chrono::Datelike;
    let year = chrono::Utc::now().year();
    format!("{}-01-01~{}-12-31", year - 1, year + 1)
}

/// A complete letter of authorization named `name`, valid from last year to next year.
pub fn letter(name: &str) -> alibaba_openapi::aliyun::sms::CreateSmsAuthorizationLetterBuilder {
    alibaba_openapi::aliyun::sms::CreateSmsAuthorizationLetter::builder()
        .authorization_letter_name(name)
        .authorization_letter_pic("123456/test1719383196031.jpg")
        .authorization_letter_exp_date(period())
        .authorization("菜鸟网络科技有限公司")
        .organization_code("9****************A")
        .proxy_authorization("支付宝(中国)网络技术有限公司")
        .sign_list(["菜鸟网络", "abc"])
}
