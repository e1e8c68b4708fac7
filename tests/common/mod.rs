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
