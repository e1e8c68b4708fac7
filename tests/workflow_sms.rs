//! SMS from paperwork to receipt, over HTTP with the typed client: qualification, letter of
//! authorization, signature and template wait in review until the test decides (Rust API or
//! control route); sends are checked as the service checks them, flow-controlled per number
//! on the services' clock, and end in the outbox with a receipt `QuerySendDetails` reads.

mod common;
mod sms_support;

#[path = "workflow_sms/legacy.rs"]
mod legacy;
#[path = "workflow_sms/paperwork.rs"]
mod paperwork;
#[path = "workflow_sms/receipts.rs"]
mod receipts;
#[path = "workflow_sms/sends.rs"]
mod sends;

use sms_support::{qualification, sign, template};

/// Submits a qualification and approves it; its id.
pub async fn approved_qualification(env: &common::Env, name: &str) -> i64 {
    let id = env
        .aliyun
        .send(&qualification(name))
        .await
        .unwrap()
        .data
        .unwrap();
    let id: u64 = id.parse().unwrap();
    env.emulator.approve_qualification(id).unwrap();
    id as i64
}

/// An approved signature `name` and an approved template of `content` and `kind`; the code.
pub async fn approved_pair(env: &common::Env, name: &str, content: &str, kind: i64) -> String {
    let qualification = approved_qualification(env, &format!("{name}资质")).await;
    env.aliyun
        .send(&sign(name, qualification, None))
        .await
        .unwrap();
    env.emulator.approve_sign(name).unwrap();
    let created = env
        .aliyun
        .send(&template("t", content, kind, name))
        .await
        .unwrap();
    let code = created.template_code.unwrap();
    env.emulator.approve_template(&code).unwrap();
    code
}
