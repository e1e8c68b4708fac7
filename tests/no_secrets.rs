//! No secret ever leaves: every call shape of the suite runs with a tracing subscriber at
//! TRACE for every crate (ours, reqwest, hyper), and no AccessKey secret, security token,
//! signature, TOP secret, sign, session or Data Bank `sk` may appear in any log line, nor in
//! any `Debug` or `Display` of what the calls return.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alibaba_openapi::aliyun::{self, linkwan, Credentials};
use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection};
use alibaba_openapi::top;
use alibaba_openapi::transport::RetryPolicy;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const TOKEN: &str = "CAISsecurityTokenValue+/=42";
const SESSION: &str = "emulator-session";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_appears_in_logs_debug_or_display() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let emulator = Emulator::start().await.unwrap();
    let quick = RetryPolicy::standard().with_base_delay(Duration::from_millis(1));
    let owner = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(emulator.url())
        .retry_policy(quick.clone())
        .build()
        .unwrap();
    // The emulator echoes its string to sign, token included, on a signature mismatch.
    let with_token = aliyun::Client::builder()
        .credentials(
            Credentials::new(accounts::OWNER.access_key_id, "a-wrong-secret-value")
                .with_security_token(TOKEN),
        )
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    let top = top::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret(accounts::TOP_APP_SECRET)
        .session(SESSION)
        .gateway_url(emulator.top_gateway_url())
        .retry_policy(quick)
        .build()
        .unwrap();

    let mut printed = Vec::new();
    let get = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap();
    let submit = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .renter_aliyun_id(accounts::RENTER.aliyun_id)
        .build()
        .unwrap();
    emulator.inject(Injection::new(Fault::throttling(None)).times(2));
    printed.push(format!("{:?}", owner.send(&get).await));
    printed.push(format!("{:?}", owner.send(&submit).await));
    let again = owner.send(&submit).await.unwrap_err();
    printed.push(format!("{again:?} {again}"));
    emulator.inject(Fault::MalformedBody);
    let malformed = owner.send(&submit).await.unwrap_err();
    printed.push(format!("{malformed:?} {malformed}"));
    let mismatch = with_token.send(&get).await.unwrap_err();
    printed.push(format!("{mismatch:?} {mismatch}"));

    let apply = common::apply(accounts::DATABANK_SK, "e");
    emulator.inject(Fault::top_app_call_limited());
    printed.push(format!("{:?}", top.send(&apply).await));
    emulator.inject(Fault::top_isp("isp.remote-service-error"));
    let isp = top.send(&apply).await.unwrap_err();
    printed.push(format!("{isp:?} {isp}"));
    printed.push(format!("{owner:?} {with_token:?} {top:?} {apply:?}"));

    let mut secrets: Vec<String> = vec![
        accounts::OWNER.access_key_secret.into(),
        "a-wrong-secret-value".into(),
        TOKEN.into(),
        accounts::TOP_APP_SECRET.into(),
        SESSION.into(),
        accounts::DATABANK_SK.into(),
    ];
    for request in emulator.requests() {
        for name in ["Signature", "sign"] {
            if let Some(value) = request.params.get(name) {
                secrets.push(value.clone());
            }
        }
    }
    assert!(secrets.len() > 8, "the emulator recorded the signatures");

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("retrying"), "the calls were traced:\n{logs}");
    for secret in &secrets {
        let encoded = alibaba_openapi::aliyun::sign::percent_encode(secret);
        for form in [secret.as_str(), encoded.as_str()] {
            assert!(!logs.contains(form), "{form:?} appears in the logs");
            for text in &printed {
                assert!(!text.contains(form), "{form:?} appears in {text}");
            }
        }
    }
}
