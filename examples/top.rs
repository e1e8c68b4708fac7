//! Taobao Open Platform: apply for Data Bank data authorization, and see a signature error.
//!
//! `cargo run --example top --features emulator` (the emulator unless
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` is set; then TOP keys come from `TOP_APP_KEY` /
//! `TOP_APP_SECRET`).

#[path = "common/mod.rs"]
mod common;

use alibaba_openapi::top::{self, ErrorCode};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = common::target().await?;
    let request = common::auth_apply(&t)?;

    let answer = t.top.send(&request).await?;
    match (answer.result.is_success(), &answer.result.data) {
        (true, Some(data)) => println!(
            "application for {} accepted: status {:?}",
            data.apply_entity_name.as_deref().unwrap_or_default(),
            data.auth_status
        ),
        _ => println!(
            "Data Bank said {:?} {:?} ({:?})",
            answer.result.errcode, answer.result.errmsg, answer.result.codeclass
        ),
    }

    if let Some(emulator) = &t.emulator {
        let wrong = top::Client::builder()
            .app_key(alibaba_openapi::emulator::accounts::TOP_APP_KEY)
            .app_secret("not-the-secret")
            .gateway_url(emulator.top_gateway_url())
            .build()?;
        match wrong.send(&request).await {
            Err(e) if e.code() == Some(&ErrorCode::InvalidSignature) => {
                println!("with the wrong app secret: {e}")
            }
            other => println!("with the wrong app secret unexpectedly: {other:?}"),
        }
    }
    Ok(())
}
