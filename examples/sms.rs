//! SMS: create a letter of authorization, and see AuthorizationLetterNameRepeat on a repeat.
//!
//! `cargo run --example sms --features emulator` (the emulator unless
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` is set).

#[path = "common/mod.rs"]
mod common;

use alibaba_openapi::aliyun::sms::ErrorCode;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = common::target().await?;
    let request = common::letter().build()?;

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
    let too_many = common::letter()
        .sign_list((0..101).map(|i| format!("签名{i}")))
        .build()
        .unwrap_err();
    println!("101 signatures: {too_many}");
    Ok(())
}
