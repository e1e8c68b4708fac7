//! The examples that run the emulator, as a user runs them: the standalone emulator
//! (`examples/emulator.rs`), a child process that prints its address on the first line,
//! configured by flags, answering requests signed by hand; and `examples/workflows.rs`.

mod standalone_support;

use std::process::Command;
use std::time::Duration;

use standalone_support::{emulator_binary, example_binary, post_signed_v1, Standalone};

use alibaba_openapi::emulator::accounts;
use serde_json::Value;

/// GetOwnedJoinPermission from the vector case `linkwan-GetOwnedJoinPermission`, signed by hand
/// with the owner's key, a fresh Timestamp and SignatureNonce.
async fn get_owned_join_permission(url: &str) -> (u16, Value) {
    let path = format!("{}/tests/data/rpc_v1.json", env!("CARGO_MANIFEST_DIR"));
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the vectors")).unwrap();
    let case = vectors["cases"]
        .as_array()
        .and_then(|cases| {
            cases
                .iter()
                .find(|c| c["name"] == "linkwan-GetOwnedJoinPermission")
        })
        .expect("the vector case");
    let mut params: Vec<(String, String)> = case["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    for (name, value) in params.iter_mut() {
        match name.as_str() {
            "AccessKeyId" => *value = accounts::OWNER.access_key_id.to_owned(),
            "Timestamp" => *value = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "SignatureNonce" => *value = format!("{:032x}", fastrand::u128(..)),
            _ => {}
        }
    }
    assert_eq!(case["method"], "POST", "the case is sent as it was signed");
    post_signed_v1(url, params, accounts::OWNER.access_key_secret).await
}

#[tokio::test]
async fn standalone_emulator_answers_the_vector_request_with_the_documented_shape() {
    let emulator = Standalone::start(&[]);
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Success"], true);
    assert!(body["RequestId"].as_str().is_some_and(|id| id.len() >= 32));
    let data = &body["Data"];
    assert_eq!(data["JoinPermissionId"], 123);
    assert_eq!(data["JoinEui"], 0);
    assert_eq!(data["AuthState"], "NEW");
    assert_eq!(data["ClassMode"], "A");
    assert!(data.get("RenterAliyunId").is_none(), "no order yet");
}

#[tokio::test]
async fn standalone_emulator_takes_faults_from_flags() {
    let emulator = Standalone::start(&["--fault", "unavailable:1"]);
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (503, Some("ServiceUnavailable"))
    );
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(status, 200, "the fault is used up: {body}");
}

#[test]
fn standalone_emulator_refuses_unknown_flags() {
    let output = Command::new(emulator_binary())
        .args(["--fault", "teapot"])
        .output()
        .expect("the emulator example runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown fault kind"), "{stderr}");

    let help = Command::new(emulator_binary())
        .arg("--help")
        .output()
        .expect("the emulator example runs");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for word in [
        "--clock-skew SECONDS",
        "--max-recorded-requests N",
        "--max-connections N",
        "--header-timeout SECONDS",
        "--body-timeout SECONDS",
        "--idle-timeout SECONDS",
        "DELETE /_emulator/requests",
        "GET    /_emulator/health",
    ] {
        assert!(help.contains(word), "{word} in\n{help}");
    }
}

async fn control(method: reqwest::Method, url: &str, path: &str) -> Value {
    let response = reqwest::Client::new()
        .request(method, format!("{url}/_emulator/{path}"))
        .send()
        .await
        .expect("the standalone emulator answers");
    assert_eq!(response.status(), 200);
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn standalone_emulator_caps_its_recording_and_clears_it_over_http() {
    let emulator = Standalone::start(&["--max-recorded-requests", "2"]);
    for _ in 0..3 {
        let (status, body) = get_owned_join_permission(&emulator.url()).await;
        assert_eq!(status, 200, "{body}");
    }
    let health = control(reqwest::Method::GET, &emulator.url(), "health").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["max_recorded_requests"], 2);
    let listed = control(reqwest::Method::GET, &emulator.url(), "requests").await;
    let requests = listed["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{listed}");
    assert!(requests
        .iter()
        .all(|r| r["action"] == "GetOwnedJoinPermission" && r["status"] == 200));
    let cleared = control(reqwest::Method::DELETE, &emulator.url(), "requests").await;
    assert_eq!(cleared["cleared"], 2);
    let listed = control(reqwest::Method::GET, &emulator.url(), "requests").await;
    assert_eq!(listed["requests"].as_array().unwrap().len(), 0);
}

/// With 64 file descriptors, 100 idle connections would leave none for a new client; under
/// `--max-connections 32` the emulator closes the longest idle ones and keeps answering.
#[cfg(unix)]
#[tokio::test]
async fn standalone_emulator_keeps_answering_when_idle_connections_pile_up() {
    let emulator = Standalone::start_with_fd_limit(64, &["--max-connections", "32"]);
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(tokio::net::TcpStream::connect(emulator.addr).await.unwrap());
    }
    let health = tokio::time::timeout(
        Duration::from_secs(10),
        control(reqwest::Method::GET, &emulator.url(), "health"),
    )
    .await
    .expect("a new client is answered in time");
    assert!(health["connections"].as_u64().unwrap() <= 32, "{health}");
    let (status, body) = get_owned_join_permission(&emulator.url()).await;
    assert_eq!(status, 200, "{body}");
}

/// `cargo run --example workflows --features emulator`, as the README tells a user to: both
/// workflows run to their end against the bundled emulator, each step with the outcome the
/// documentation describes.
#[test]
fn the_workflows_example_plays_both_workflows_to_the_end() {
    let output = Command::new(example_binary("workflows"))
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .output()
        .expect("the workflows example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the workflows example failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "2. the owner offers it to the renter: order",
        "4. the renter accepts: the owner sees Some(Accepted), rented by Some(\"some_user\")",
        "5. accepting again: Some(\"IllegalOrderStateTransition\")",
        "7. the renter returns it: Some(New) again",
        "2. the reviewer approves it: signature status Some(Approved)",
        "4. sending before its approval: Some(\"isv.SMS_TEMPLATE_ILLEGAL\")",
        "6. a second code at once: flow control, 触发分钟级流控Permits:1",
        "7. right after sending, the receipt: Some((Some(WaitingForReceipt), None))",
        "8. a minute later on the services' clock: Some((Some(Delivered), Some(\"DELIVERED\")))",
        "9. and the next code goes through: BizId Some(",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}
