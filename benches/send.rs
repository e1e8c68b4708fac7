//! A full `client.send(&request)` of `GetOwnedJoinPermission` against an in-process emulator,
//! sequential over a kept-alive connection, next to a bare `reqwest` POST of the identical
//! request, pre-built and pre-signed, to the same kind of emulator; and throughput with 64
//! calls in flight on one client against the sequential figure.
//!
//! The emulator refuses a nonce it has seen, so a pre-signed request can be sent only once:
//! the bare loop is handed as many distinct requests as it sends, each with its own
//! `SignatureNonce`, all signed before its timer starts. The emulator also slows down once it
//! remembers more than 1024 nonces (it prunes its nonce table on every request past that), so
//! every batch of at most 960 requests runs against a fresh emulator and a fresh client, after
//! one untimed request that opens the connection (64 for the concurrent figure).
//!
//! After criterion, the bench also alternates client and bare batches a few times and prints
//! that ratio too: with other builds running, the alternation cancels most of the drift.
//!
//! `cargo bench --bench send --features emulator`; the ratios are printed at the end.

mod common;
#[path = "common/presigned.rs"]
mod presigned;

use std::time::{Duration, Instant};

use alibaba_openapi::aliyun::{self, linkwan, Credentials};
use alibaba_openapi::emulator::{accounts, Emulator};
use common::{Base, Ratio};
use criterion::{Criterion, Throughput};
use presigned::presigned;
use tokio::runtime::Runtime;

/// Most requests sent to one emulator (warm-up included), to stay under its 1024 nonces.
const BATCH: u64 = 896;
/// Calls in flight for the throughput figure.
const IN_FLIGHT: u64 = 64;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn request() -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap()
}

fn client(emulator: &Emulator) -> aliyun::Client {
    client_with(emulator, None)
}

/// A client on its own `reqwest::Client` (with its connect and read timeouts), or on `http`.
fn client_with(emulator: &Emulator, http: Option<reqwest::Client>) -> aliyun::Client {
    let builder = match http {
        Some(http) => aliyun::Client::builder().http_client(http),
        None => aliyun::Client::builder(),
    };
    builder
        .endpoint_url(emulator.url())
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .build()
        .unwrap()
}

/// Sends one pre-signed URL and reads the whole answer, as a hand-written client would.
async fn bare_post(http: &reqwest::Client, url: String) {
    let response = http.post(url).send().await.expect("the emulator answers");
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.bytes().await.expect("the body arrives");
    std::hint::black_box(body);
}

/// Time of `n` sequential `send`s, in batches on fresh emulators; with `plain_http`, the
/// client sends through a default `reqwest::Client` (no timeouts) instead of its own.
async fn client_sequential(n: u64, plain_http: bool) -> Duration {
    let action = request();
    let mut total = Duration::ZERO;
    let mut left = n;
    while left > 0 {
        let batch = left.min(BATCH);
        left -= batch;
        let emulator = Emulator::start().await.unwrap();
        let client = client_with(&emulator, plain_http.then(reqwest::Client::new));
        client.send(&action).await.expect("warm-up");
        let started = Instant::now();
        for _ in 0..batch {
            let answer = client.send(&action).await.expect("no error");
            std::hint::black_box(answer);
        }
        total += started.elapsed();
    }
    total
}

/// Time of `n` sequential bare POSTs of pre-signed requests, in batches on fresh emulators.
async fn bare_sequential(n: u64) -> Duration {
    let action = request();
    let mut total = Duration::ZERO;
    let mut left = n;
    while left > 0 {
        let batch = left.min(BATCH);
        left -= batch;
        let emulator = Emulator::start().await.unwrap();
        let http = reqwest::Client::new();
        let mut urls = presigned(&emulator.url(), &action, batch + 1).into_iter();
        bare_post(&http, urls.next().unwrap()).await; // warm-up: opens the connection
        let started = Instant::now();
        for url in urls {
            bare_post(&http, url).await;
        }
        total += started.elapsed();
    }
    total
}

/// Time of `n` `send`s with 64 in flight on one client, in batches on fresh emulators.
async fn client_concurrent(n: u64) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = n;
    while left > 0 {
        let batch = left.min(BATCH);
        left -= batch;
        let emulator = Emulator::start().await.unwrap();
        let client = client(&emulator);
        // Warm-up: 64 calls at once open the connections the timed calls reuse.
        let mut warm = spawn_calls(&client, IN_FLIGHT, IN_FLIGHT);
        while let Some(done) = warm.join_next().await {
            done.unwrap();
        }
        let started = Instant::now();
        let mut tasks = spawn_calls(&client, batch, IN_FLIGHT);
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
        total += started.elapsed();
    }
    total
}

/// `calls` calls spread over `workers` tasks, each sending its share one after the other, so
/// that `workers` calls are in flight at any time. A failed call panics its task.
fn spawn_calls(client: &aliyun::Client, calls: u64, workers: u64) -> tokio::task::JoinSet<()> {
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..workers.min(calls) {
        let share = calls / workers + u64::from(w < calls % workers);
        let client = client.clone();
        tasks.spawn(async move {
            let action = request();
            for _ in 0..share {
                let answer = client.send(&action).await.expect("no error under load");
                std::hint::black_box(answer);
            }
        });
    }
    tasks
}

fn bench_send(c: &mut Criterion, rt: &Runtime) {
    let mut g = c.benchmark_group("send");
    g.throughput(Throughput::Elements(1));
    g.bench_function("client_sequential", |b| {
        b.iter_custom(|iters| rt.block_on(client_sequential(iters, false)))
    });
    g.bench_function("client_sequential_plain_reqwest", |b| {
        b.iter_custom(|iters| rt.block_on(client_sequential(iters, true)))
    });
    g.bench_function("bare_reqwest_sequential", |b| {
        b.iter_custom(|iters| rt.block_on(bare_sequential(iters)))
    });
    g.bench_function("client_64_in_flight", |b| {
        b.iter_custom(|iters| rt.block_on(client_concurrent(iters)))
    });
    g.finish();
}

/// Alternates client and bare batches and returns (client, bare, concurrent) totals.
struct Totals {
    ours: Duration,
    plain: Duration,
    bare: Duration,
    concurrent: Duration,
}

/// Alternates client, client on a plain reqwest::Client, bare and concurrent batches.
fn interleaved(rt: &Runtime, rounds: u32) -> Totals {
    let mut t = Totals {
        ours: Duration::ZERO,
        plain: Duration::ZERO,
        bare: Duration::ZERO,
        concurrent: Duration::ZERO,
    };
    for _ in 0..rounds {
        t.ours += rt.block_on(client_sequential(BATCH, false));
        t.plain += rt.block_on(client_sequential(BATCH, true));
        t.bare += rt.block_on(bare_sequential(BATCH));
        t.concurrent += rt.block_on(client_concurrent(BATCH));
    }
    t
}

fn main() {
    let rt = runtime();
    let mut c = common::criterion().measurement_time(Duration::from_secs(5));
    bench_send(&mut c, &rt);
    c.final_summary();

    common::print_ratios(
        "Request overhead and throughput",
        &[
            Ratio {
                what: "client.send / bare reqwest POST (sequential)",
                ours: ("send", "client_sequential"),
                base: Base::Bench("send", "bare_reqwest_sequential"),
                target: "<= 1.10x",
                met: |r| r <= 1.10,
            },
            Ratio {
                what: "client.send on a plain reqwest::Client / bare POST",
                ours: ("send", "client_sequential_plain_reqwest"),
                base: Base::Bench("send", "bare_reqwest_sequential"),
                target: "(info)",
                met: |_| true,
            },
            Ratio {
                what: "calls/s, 64 in flight / sequential (one client)",
                ours: ("send", "client_sequential"),
                base: Base::Bench("send", "client_64_in_flight"),
                target: ">= 1.5x",
                met: |r| r >= 1.5,
            },
        ],
    );

    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and only smoke-tests.
    if std::env::args().any(|a| a == "--bench") {
        let rounds = 5;
        let t = interleaved(&rt, rounds);
        let calls = f64::from(rounds) * BATCH as f64;
        let per_call = |d: Duration| d.as_secs_f64() * 1e6 / calls;
        let ratio = t.ours.as_secs_f64() / t.bare.as_secs_f64();
        let plain = t.plain.as_secs_f64() / t.bare.as_secs_f64();
        let speedup = t.ours.as_secs_f64() / t.concurrent.as_secs_f64();
        println!(
            "\nInterleaved, {rounds} rounds of {BATCH} calls each (us/call: client {:.1}, client on a \
             plain reqwest::Client {:.1}, bare {:.1}, 64 in flight {:.1}):",
            per_call(t.ours),
            per_call(t.plain),
            per_call(t.bare),
            per_call(t.concurrent),
        );
        println!(
            "  {:<58} {ratio:>8.2}x   target <= 1.10x  {}",
            "client.send / bare reqwest POST (sequential)",
            if ratio <= 1.10 { "met" } else { "MISSED" }
        );
        println!(
            "  {:<58} {plain:>8.2}x   (info)",
            "client.send on a plain reqwest::Client / bare POST",
        );
        println!(
            "  {:<58} {speedup:>8.2}x   target >= 1.5x   {}",
            "calls/s, 64 in flight / sequential (one client)",
            if speedup >= 1.5 { "met" } else { "MISSED" }
        );
    }
}
