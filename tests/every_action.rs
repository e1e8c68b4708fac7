//! Every action of every model, end to end: the test walks `models/*.json`, and for each
//! action sends its typed request (every parameter set, from `tests/generated/every_action.rs`)
//! through the real client to the emulator, signed v1 and V3, and gets its typed answer. Then
//! it checks, key by key, that the parameters arrived under the keys the official SDK produced
//! (`wire_keys` in the models, list positions written `N`) and in the place the model says
//! (query string or form body).
//!
//! Dysmsapi keeps state (reviews, flow control): the actions that change the seeded sample
//! records ([`OWN_EMULATOR`]) are each sent to a freshly seeded emulator, first put in the state
//! their sample needs (see [`prepare_sms`]). A few samples are refused whatever the state;
//! [`REFUSED_SAMPLES`] names them with the documented code.

mod common;
#[path = "generated/every_action.rs"]
mod generated;

use std::collections::BTreeSet;

use alibaba_openapi::aliyun::{linkwan, sms, SignatureVersion};
use alibaba_openapi::emulator::accounts;
use serde_json::Value;

/// Every model file of the repository.
fn models() -> Vec<Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/models");
    let mut models: Vec<Value> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".json") && !name.ends_with(".overlay.json")
        })
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    models.sort_by_key(|m| m["code"].as_str().unwrap().to_owned());
    models
}

/// A wire key with its list positions written `N`: `Tag.2.Key` → `Tag.N.Key`.
fn shape(key: &str) -> String {
    key.split('.')
        .map(|part| {
            if part.bytes().all(|b| b.is_ascii_digit()) {
                "N"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The common parameters of signature v1, not the action's own.
const COMMON: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "SecurityToken",
    "Timestamp",
    "Version",
];

fn submit(permission: &str, renter: &str) -> linkwan::SubmitJoinPermissionAuthOrder {
    linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(permission)
        .renter_aliyun_id(renter)
        .build()
        .unwrap()
}

/// Samples the SMS service refuses whatever its state, each with the documented code it
/// answers; either that code or a success passes (the wire keys are checked all the same).
/// `UpdateSmsTemplate` and `ModifySmsTemplate` change the sample template `sample`, which is
/// approved, and only a rejected template may change; no control makes an approved template
/// rejected (`tests/workflow_sms.rs` sees both succeed on a rejected one).
const REFUSED_SAMPLES: &[(&str, &str)] = &[
    ("UpdateSmsTemplate", "SMS_STATUS_ILLEGAL"),
    ("ModifySmsTemplate", "SMS_STATUS_ILLEGAL"),
];

/// The Dysmsapi actions that get an emulator of their own: their samples change or need to
/// change the seeded records (or the services' clock) that the other samples rely on.
const OWN_EMULATOR: &[&str] = &[
    "AddSmsSign",
    "CreateSmsSign",
    "ModifySmsSign",
    "UpdateSmsSign",
    "DeleteSmsSign",
    "DeleteSmsTemplate",
    "QuerySendDetails",
];

/// The day a `QuerySendDetails` sample asks about: the services' clock is moved to it, since
/// only the last 30 days can be queried.
const SAMPLE_SEND_DATE: (i32, u32, u32) = (2024, 1, 1);

/// Puts a freshly seeded emulator in the state the sample request of a Dysmsapi action needs.
/// The seeds (`accounts::SMS_SAMPLE_*`) hold the approved signature `sample`, template
/// `sample`, qualification 1 and letter 1 the samples name; these actions need more.
async fn prepare_sms(env: &common::Env, action: &str) {
    let sample = accounts::SMS_SAMPLE_SIGN_NAME;
    match action {
        // The sample applies for `sample`, which the seeds hold already.
        "AddSmsSign" | "CreateSmsSign" => {
            let delete = sms::DeleteSmsSign::builder()
                .sign_name(sample)
                .build()
                .unwrap();
            env.aliyun.send(&delete).await.unwrap();
        }
        // Only a rejected application may be changed: apply for `sample` again, and reject it.
        "ModifySmsSign" | "UpdateSmsSign" => {
            let delete = sms::DeleteSmsSign::builder()
                .sign_name(sample)
                .build()
                .unwrap();
            env.aliyun.send(&delete).await.unwrap();
            let apply = sms::CreateSmsSign::builder()
                .sign_name(sample)
                .sign_source(0)
                .qualification_id(accounts::SMS_SAMPLE_QUALIFICATION_ID as i64)
                .authorization_letter_id(accounts::SMS_SAMPLE_LETTER_ID as i64)
                .build()
                .unwrap();
            env.aliyun.send(&apply).await.unwrap();
            env.emulator.reject_sign(sample, "sample").unwrap();
        }
        "QuerySendDetails" => {
            let (y, m, d) = SAMPLE_SEND_DATE;
            let noon_in_china = chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(4, 0, 0)
                .unwrap()
                .and_utc();
            env.emulator
                .advance_time(noon_in_china - env.emulator.business_now());
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_modeled_action_is_typed_sent_and_answered() {
    let models = models();
    let modeled: usize = models
        .iter()
        .map(|m| m["actions"].as_array().unwrap().len())
        .sum();
    assert_eq!(modeled, 96 + 79, "LinkWAN and Dysmsapi");
    assert_eq!(
        generated::ACTIONS.len(),
        modeled,
        "one typed request per action"
    );

    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let env = common::start().await;
        let client = env.aliyun.with_signature_version(version);
        // What the stateful LinkWAN actions' samples name. Order 1234 (the emulator's first),
        // of the caller's permission 123 to the renter, which `GetJoinPermissionAuthOrder`
        // reads and `CancelJoinPermissionAuthOrder` cancels.
        let order = submit(accounts::JOIN_PERMISSION_ID, accounts::RENTER.aliyun_id);
        assert_eq!(client.send(&order).await.unwrap().order_id, 1234);
        // Order 1235, of OTHER's permission 900 to the caller, which the caller accepts, reads
        // as rented and returns (the caller's notification 2 tells of it).
        let other =
            common::aliyun_client(&env.emulator, accounts::OTHER).with_signature_version(version);
        let to_caller = submit(
            accounts::OTHER_JOIN_PERMISSION_ID,
            accounts::OWNER.aliyun_id,
        );
        assert_eq!(other.send(&to_caller).await.unwrap().order_id, 1235);
        // Order 1236, of the renter's own permission 1000 to the caller, which the caller
        // rejects (notification 3). The permission the caller creates is then 1001.
        let renter =
            common::aliyun_client(&env.emulator, accounts::RENTER).with_signature_version(version);
        let create = linkwan::CreateLocalJoinPermission::builder()
            .join_permission_name("renter_permission")
            .class_mode("A")
            .freq_band_plan_group_id(101)
            .use_default_join_eui(true)
            .build()
            .unwrap();
        let created = renter.send(&create).await.unwrap().data;
        assert_eq!(created.as_deref(), Some("1000"));
        let to_caller = submit("1000", accounts::OWNER.aliyun_id);
        assert_eq!(renter.send(&to_caller).await.unwrap().order_id, 1236);

        let mut sent = 0;
        for model in &models {
            let code = model["code"].as_str().unwrap();
            for action in model["actions"].as_array().unwrap() {
                let name = action["name"].as_str().unwrap();
                let sms_env;
                let (env, client) = if code == "dysmsapi" && OWN_EMULATOR.contains(&name) {
                    sms_env = common::start().await;
                    prepare_sms(&sms_env, name).await;
                    let client = sms_env.aliyun.with_signature_version(version);
                    (&sms_env, client)
                } else {
                    (&env, client.clone())
                };
                env.emulator.clear_requests();
                let answer = generated::send(&client, code, name)
                    .await
                    .unwrap_or_else(|| panic!("{code} {name} has no typed request"));
                let recorded = env.emulator.requests();
                if let Err(e) = answer {
                    let refused = REFUSED_SAMPLES.iter().find(|(a, _)| *a == name);
                    let answered = recorded.last().and_then(|r| r.code.as_deref());
                    match refused {
                        Some((_, expected)) if answered == Some(*expected) => {}
                        _ => panic!("{code} {name} ({version:?}): {e}"),
                    }
                }
                let request = recorded
                    .iter()
                    .rev()
                    .find(|r| r.action == name)
                    .unwrap_or_else(|| panic!("{name} was not recorded"));

                let mut expected = BTreeSet::new();
                for param in action["params"].as_array().unwrap() {
                    let place = param["location"].as_str().unwrap();
                    for key in param["wire_keys"].as_array().unwrap() {
                        expected.insert((shape(key.as_str().unwrap()), place.to_owned()));
                    }
                }
                let arrived: BTreeSet<(String, String)> = request
                    .params
                    .keys()
                    .filter(|k| !COMMON.contains(&k.as_str()))
                    .map(|k| {
                        let place = if request.body_params.contains_key(k) {
                            "body"
                        } else {
                            "query"
                        };
                        (shape(k), place.to_owned())
                    })
                    .collect();
                assert_eq!(
                    arrived, expected,
                    "{code} {name} ({version:?}): the wire keys"
                );
                sent += 1;
            }
        }
        assert_eq!(sent, modeled);
    }
}
