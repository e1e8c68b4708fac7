//! 500 concurrent calls through one client while the emulator throttles 10% of them: every
//! call ends in a success or a typed error, none is lost, no mutating call is processed twice.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use alibaba_openapi::aliyun::{self, linkwan, Credentials};
use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection};
use alibaba_openapi::transport::RetryPolicy;
use alibaba_openapi::Error;

const CALLS: usize = 500;
const LETTERS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_calls_under_throttling() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Injection::new(Fault::throttling(None)).times((CALLS / 10) as u32));
    let client = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(emulator.url())
        .retry_policy(
            RetryPolicy::standard()
                .with_max_attempts(4)
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(50)),
        )
        .build()
        .unwrap();

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..CALLS {
        let client = client.clone();
        tasks.spawn(async move {
            let outcome: Result<(), String> = if i % (CALLS / LETTERS) == 0 {
                let letter = common::letter(&format!("负载授权书{i}")).build().unwrap();
                match client.send(&letter).await {
                    Ok(_) => Ok(()),
                    Err(e @ Error::Service(_)) if e.is_throttling() => Err(e.to_string()),
                    Err(e) => panic!("letter {i}: untyped or unexpected failure {e:?}"),
                }
            } else {
                let get = linkwan::GetOwnedJoinPermission::builder()
                    .join_permission_id(accounts::JOIN_PERMISSION_ID)
                    .build()
                    .unwrap();
                match client.send(&get).await {
                    Ok(_) => Ok(()),
                    Err(e @ Error::Service(_)) if e.is_throttling() => Err(e.to_string()),
                    Err(e) => panic!("read {i}: untyped or unexpected failure {e:?}"),
                }
            };
            (i, outcome)
        });
    }
    let mut finished = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, outcome) = joined.expect("no call panicked");
        finished.insert(i, outcome);
    }
    assert_eq!(finished.len(), CALLS, "every call ended");
    let succeeded = finished.values().filter(|o| o.is_ok()).count();
    assert!(
        succeeded >= CALLS * 9 / 10,
        "{succeeded} of {CALLS} succeeded"
    );

    // Each letter was processed at most once, and exactly once when its call succeeded.
    let requests = emulator.requests();
    let throttled = requests.iter().filter(|r| r.injected).count();
    assert_eq!(throttled, CALLS / 10, "the faults were all used");
    for (i, outcome) in &finished {
        if i % (CALLS / LETTERS) != 0 {
            continue;
        }
        let name = format!("负载授权书{i}");
        let processed = requests
            .iter()
            .filter(|r| !r.injected && r.params.get("AuthorizationLetterName") == Some(&name))
            .count();
        assert_eq!(
            processed,
            usize::from(outcome.is_ok()),
            "{name}: {outcome:?}"
        );
    }
}
