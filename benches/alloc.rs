//! Allocations and bytes allocated per call, counted by a global allocator: `send` of
//! `GetOwnedJoinPermission` (next to a bare reqwest POST of the same pre-signed request),
//! signing, request building and decoding. Not a criterion bench: counts do not need timing.
//!
//! Only the allocations of the calling thread are counted. The client runs on a
//! current-thread tokio runtime on this thread (so reqwest's connection task is counted too);
//! the emulator runs on a runtime of its own, on another thread, and is not counted.
//!
//! `cargo bench --bench alloc --features emulator`

#[path = "common/presigned.rs"]
mod presigned;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use alibaba_openapi::aliyun::sign::{v1, v3};
use alibaba_openapi::aliyun::{self, linkwan, Action, Credentials, Params};
use alibaba_openapi::emulator::{accounts, Emulator};
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn count(size: usize) {
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(size as u64, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting has no effect
// on the memory returned.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Average (allocations, bytes) per call of `f` on this thread, over `n` calls after one
/// untimed call.
fn per_call(n: u64, mut f: impl FnMut()) -> (f64, f64) {
    f();
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    COUNTED.with(|c| c.set(true));
    for _ in 0..n {
        f();
    }
    COUNTED.with(|c| c.set(false));
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    ((a1 - a0) as f64 / n as f64, (b1 - b0) as f64 / n as f64)
}

fn row(what: &str, (allocations, bytes): (f64, f64)) {
    println!("  {what:<58} {allocations:>8.1} {bytes:>10.0}");
}

const V1_PARAMS: [(&str, &str); 10] = [
    ("AccessKeyId", "testid"),
    ("Action", "SubmitJoinPermissionAuthOrder"),
    ("Format", "JSON"),
    ("SignatureMethod", "HMAC-SHA1"),
    ("SignatureNonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
    ("SignatureVersion", "1.0"),
    ("Timestamp", "2016-02-23T12:46:24Z"),
    ("Version", "2019-03-01"),
    ("JoinPermissionId", "123"),
    ("RenterAliyunId", "some_user"),
];

const GET_OWNED_BODY: &str = r#"{"RequestId":"89EF6CAA-958F-F32C-BE45-FE003C6DE097","Data":{"NodesCnt":10,"RxMonthSum":0,"ClassMode":"A","MulticastNodeCapacity":1000,"RxDailySum":0,"TxDailySum":0,"Enabled":true,"RenterAliyunId":"some-user","TxMonthSum":0,"MulticastNodeCount":10,"MulticastEnabled":false,"RxDelay":1,"DataDispatchDestination":"IOT","AuthState":"NEW","DataRate":4,"BoundProductName":"产品名称","CreateMillis":1514736000000,"JoinPermissionId":123,"JoinPermissionName":"凭证1","FreqBandPlanGroupId":102,"JoinEui":0},"Success":true}"#;

fn get_owned() -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap()
}

fn main() {
    // `cargo test --benches` runs this too: keep that run short.
    let n: u64 = if std::env::args().any(|a| a == "--bench") {
        500
    } else {
        20
    };

    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emulator = server.block_on(Emulator::start()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    println!("\nAllocations per call (this thread only), average of {n}:");
    println!("  {:<58} {:>8} {:>10}", "", "allocs", "bytes");

    let client = aliyun::Client::builder()
        .endpoint_url(emulator.url())
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .build()
        .unwrap();
    let action = get_owned();
    let send = per_call(n, || {
        black_box(rt.block_on(client.send(&action)).expect("no error"));
    });
    row("client.send(GetOwnedJoinPermission)", send);

    let http = reqwest::Client::new();
    let mut urls = presigned::presigned(&emulator.url(), &get_owned(), n + 1).into_iter();
    let bare = per_call(n, || {
        let url = urls.next().unwrap();
        rt.block_on(async {
            let response = http.post(url).send().await.unwrap();
            assert!(response.status().is_success());
            black_box(response.bytes().await.unwrap());
        });
    });
    row("bare reqwest POST of the pre-signed request", bare);
    row(
        "  difference (the SDK's own work)",
        (send.0 - bare.0, send.1 - bare.1),
    );

    row(
        "v1 signature (SubmitJoinPermissionAuthOrder)",
        per_call(n, || {
            black_box(v1::signature("POST", black_box(V1_PARAMS), "testsecret"));
        }),
    );
    let params: Vec<(&str, &str)> = vec![
        ("method", "alibaba.databank.open.auth.apply"),
        ("app_key", "12345678"),
        ("timestamp", "2016-01-01 12:00:00"),
        ("v", "2.0"),
        ("format", "json"),
        ("sign_method", "hmac-sha256"),
        ("context", r#"{"ak":"lingyang_daas","sk":"w3343wer44e"}"#),
        (
            "param",
            r#"{"apply_biz_id":"123445","apply_biz_name":"宝洁集团"}"#,
        ),
    ];
    for method in [SignMethod::Md5, SignMethod::HmacSha256] {
        row(
            &format!("TOP sign, {method}"),
            per_call(n, || {
                black_box(top_sign::sign(
                    method,
                    "testsecret",
                    black_box(&params).iter().copied(),
                ));
            }),
        );
    }
    let headers = [
        ("host", "linkwan.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "SubmitJoinPermissionAuthOrder"),
        ("x-acs-version", "2019-03-01"),
        ("x-acs-date", "2016-02-23T12:46:24Z"),
        ("x-acs-signature-nonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
        ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256),
    ];
    let query = [("JoinPermissionId", "123"), ("RenterAliyunId", "some_user")];
    row(
        "V3 Authorization (same request)",
        per_call(n, || {
            let signed = v3::default_signed_headers(black_box(headers));
            let canonical = v3::canonical_request(
                "POST",
                "/",
                black_box(query),
                black_box(headers),
                &signed,
                v3::EMPTY_PAYLOAD_SHA256,
            );
            let signature = v3::sign("testsecret", &v3::string_to_sign(&canonical));
            black_box(v3::authorization("testid", &signed, &signature));
        }),
    );
    row(
        "GetOwnedJoinPermission build + write_params",
        per_call(n, || {
            let mut params = Params::new();
            black_box(get_owned()).write_params(&mut params);
            black_box(params);
        }),
    );
    row(
        "decode GetOwnedJoinPermission example (typed)",
        per_call(n, || {
            black_box(
                serde_json::from_str::<linkwan::GetOwnedJoinPermissionResponse>(black_box(
                    GET_OWNED_BODY,
                ))
                .unwrap(),
            );
        }),
    );
    row(
        "decode GetOwnedJoinPermission example (serde_json::Value)",
        per_call(n, || {
            black_box(
                serde_json::from_str::<serde_json::Value>(black_box(GET_OWNED_BODY)).unwrap(),
            );
        }),
    );
    drop(emulator);
}
