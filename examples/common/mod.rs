//! What the examples share: real services when credentials are in the environment, the bundled
//! emulator otherwise.
#![allow(dead_code)]

use alibaba_openapi::aliyun::{self, sms, Credentials};
use alibaba_openapi::emulator::{accounts, Emulator};
use alibaba_openapi::top;
use alibaba_openapi::top::databank;
use chrono::{Datelike, Utc};

/// Where the examples send their requests.
pub struct Target {
    pub aliyun: aliyun::Client,
    pub top: top::Client,
    /// The emulator, while it serves (None against the real services).
    pub emulator: Option<Emulator>,
    pub join_permission_id: String,
    pub renter_aliyun_id: String,
    pub databank_ak: String,
    pub databank_sk: String,
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// The real services when `ALIBABA_CLOUD_ACCESS_KEY_ID` is set (region, credentials and TOP
/// keys from the usual variables; the ids to use from `EXAMPLE_*`), the emulator otherwise.
pub async fn target() -> Result<Target, Box<dyn std::error::Error>> {
    if std::env::var_os("ALIBABA_CLOUD_ACCESS_KEY_ID").is_some() {
        println!("ALIBABA_CLOUD_ACCESS_KEY_ID is set: using the real services.\n");
        return Ok(Target {
            aliyun: aliyun::Client::builder()
                .region(var("ALIBABA_CLOUD_REGION_ID", "cn-shanghai"))
                .build()?,
            top: top::Client::builder().build()?,
            emulator: None,
            join_permission_id: var("EXAMPLE_JOIN_PERMISSION_ID", "123"),
            renter_aliyun_id: var("EXAMPLE_RENTER_ALIYUN_ID", "some_user"),
            databank_ak: var("EXAMPLE_DATABANK_AK", "lingyang_daas"),
            databank_sk: var("EXAMPLE_DATABANK_SK", ""),
        });
    }
    let emulator = Emulator::start().await?;
    println!(
        "No ALIBABA_CLOUD_ACCESS_KEY_ID: using the bundled emulator at {}.\n",
        emulator.url()
    );
    Ok(Target {
        aliyun: aliyun::Client::builder()
            .region("cn-shanghai")
            .endpoint_url(emulator.url())
            .credentials(Credentials::new(
                accounts::OWNER.access_key_id,
                accounts::OWNER.access_key_secret,
            ))
            .build()?,
        top: top::Client::builder()
            .app_key(accounts::TOP_APP_KEY)
            .app_secret(accounts::TOP_APP_SECRET)
            .gateway_url(emulator.top_gateway_url())
            .build()?,
        emulator: Some(emulator),
        join_permission_id: accounts::JOIN_PERMISSION_ID.to_owned(),
        renter_aliyun_id: accounts::RENTER.aliyun_id.to_owned(),
        databank_ak: accounts::DATABANK_AK.to_owned(),
        databank_sk: accounts::DATABANK_SK.to_owned(),
    })
}

/// Prints a step's title.
pub fn step(n: u32, title: &str) {
    println!("{n}. {title}");
}

/// A complete letter of authorization, valid from this year on for two years.
pub fn letter() -> sms::CreateSmsAuthorizationLetterBuilder {
    let year = Utc::now().year();
    sms::CreateSmsAuthorizationLetter::builder()
        .authorization_letter_name(format!("菜鸟公司授权书{year}"))
        .authorization_letter_pic("123456/test1719383196031.jpg")
        .authorization_letter_exp_date(format!("{year}-01-01~{}-01-01", year + 2))
        .authorization("菜鸟网络科技有限公司")
        .organization_code("9****************A")
        .proxy_authorization("支付宝(中国)网络技术有限公司")
        .sign_list(["菜鸟网络", "菜鸟裹裹"])
}

/// The documentation's example application for Data Bank data authorization.
pub fn auth_apply(t: &Target) -> Result<databank::OpenAuthApply, Box<dyn std::error::Error>> {
    Ok(databank::OpenAuthApply::builder()
        .context(
            databank::DataBankOpenContext::builder()
                .ak(&t.databank_ak)
                .sk(&t.databank_sk)
                .build()?,
        )
        .param(
            databank::DataAuthApplyParam::builder()
                .apply_biz_id("123445")
                .apply_biz_name("宝洁集团")
                .smart_code("sre43wf2454")
                .brand_id("123344")
                .apply_entity_id("111111")
                .apply_entity_name("AIPL数据包")
                .apply_source("DaaS")
                .data_type("BRAND_DATA")
                .apply_biz_user_id("112222")
                .apply_biz_user_name("张三")
                .smart_id(12344)
                .build()?,
        )
        .build()?)
}
