//! SMS: create a letter of authorization, and see AuthorizationLetterNameRepeat on a repeat.
//!
//! `cargo run --example sms --features emulator` (the emulator unless
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` is set).

#[path = "common/mod.rs"]
mod common;

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use chrono::{Datelike, Utc};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = common::target().await?;
    let request = letter().build()?;

    let created = t.aliyun.send(&request).await?;
    println!(
        "letter of authorization {} (request {})",
        created.authorization_letter_id, created.request_id
    );
    match t.aliyun.send(&request).await {
        Err(e) if e.code() == Some(&ErrorCode::AuthorizationLetterNameRepeat) => {
            println!("the same name again: {e}")
        }
        other => println!("the same name again unexpectedly gave {other:?}"),
    }

    // Limits the documentation states are checked before anything is sent.
    let too_many = letter()
        .sign_list((0..101).map(|i| format!("签名{i}")))
        .build()
        .unwrap_err();
    println!("101 signatures: {too_many}");
    Ok(())
}

/// A complete letter of authorization, valid from this year on.
fn letter() -> sms::CreateSmsAuthorizationLetterBuilder {
    let year = Utc::now().year();
    sms::CreateSmsAuthorizationLetter::builder()
        .authorization_letter_name("菜鸟公司授权书")
        .authorization_letter_pic("123456/test1719383196031.jpg")
        .authorization_letter_exp_date(format!("{year}-01-01~{}-01-01", year + 2))
        .authorization("菜鸟网络科技有限公司")
        .organization_code("9****************A")
        .proxy_authorization("支付宝(中国)网络技术有限公司")
        .sign_list(["菜鸟网络", "菜鸟裹裹"])
}
