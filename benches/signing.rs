//! Signing: v1 (HMAC-SHA1) for `SubmitJoinPermissionAuthOrder`, TOP md5 and hmac-sha256 for
//! `alibaba.databank.open.auth.apply`, V3 (ACS3-HMAC-SHA256) for the same LinkWAN request;
//! next to each, the floor measured in the same run: the bare hash/HMAC of an already built
//! string to sign and the bare percent-encoding the scheme cannot avoid.
//!
//! `cargo bench --bench signing`; the ratios are printed at the end.

mod common;

use std::hint::black_box;

use alibaba_openapi::aliyun::sign::{v1, v3};
use alibaba_openapi::top::databank::{DataAuthApplyParam, DataBankOpenContext, OpenAuthApply};
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};
use alibaba_openapi::top::{Method, Params};
use base64::Engine as _;
use common::{Base, Ratio};
use criterion::Criterion;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use sha2::Sha256;

/// The official Python SDK's figures given by the issue, per operation, in ns.
const PYTHON_V1_SIGNATURE_NS: f64 = 37_000.0;
const PYTHON_SIGNED_URL_NS: f64 = 64_000.0;

const SECRET: &str = "testsecret";

/// RFC 3986, as the crate encodes (unreserved characters kept).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Every parameter a v1 `SubmitJoinPermissionAuthOrder` sends: the common ones and the action's.
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

/// What the client sends: the canonical query with `Signature` appended.
fn v1_signed_query(params: &[(&str, &str)]) -> String {
    let mut query = v1::canonical_query(params.iter().copied());
    let string_to_sign = v1::string_to_sign_from_canonical("POST", &query);
    let signature = v1::sign(SECRET, &string_to_sign);
    query.push_str("&Signature=");
    query.extend(utf8_percent_encode(&signature, RFC3986));
    query
}

fn bench_v1(c: &mut Criterion) {
    let canonical = v1::canonical_query(V1_PARAMS);
    let string_to_sign = v1::string_to_sign_from_canonical("POST", &canonical);
    let key = format!("{SECRET}&");

    // The floor: HMAC-SHA1 + Base64 of the ready string to sign, and the second encoding pass.
    let floor_hmac = |sts: &str| {
        let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(sts.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    };
    let floor_encode = |canonical: &str| -> String {
        let mut out = String::with_capacity(canonical.len() * 5 / 4 + 8);
        out.extend(utf8_percent_encode(canonical, RFC3986));
        out
    };
    assert_eq!(
        floor_hmac(&string_to_sign),
        v1::signature("POST", V1_PARAMS, SECRET)
    );
    assert_eq!(
        format!("POST&%2F&{}", floor_encode(&canonical)),
        string_to_sign
    );

    let mut g = c.benchmark_group("v1");
    g.bench_function("signature", |b| {
        b.iter(|| v1::signature(black_box("POST"), black_box(V1_PARAMS), black_box(SECRET)))
    });
    g.bench_function("signed_query", |b| {
        b.iter(|| v1_signed_query(black_box(&V1_PARAMS)))
    });
    g.bench_function("canonical_query", |b| {
        b.iter(|| v1::canonical_query(black_box(V1_PARAMS)))
    });
    g.bench_function("floor_hmac_sha1", |b| {
        b.iter(|| floor_hmac(black_box(&string_to_sign)))
    });
    g.bench_function("floor_encode_canonical", |b| {
        b.iter(|| floor_encode(black_box(&canonical)))
    });
    g.finish();
}

/// The documented example request of `alibaba.databank.open.auth.apply`, every parameter sent.
fn top_params() -> Vec<(String, String)> {
    let request = OpenAuthApply::builder()
        .context(
            DataBankOpenContext::builder()
                .ak("lingyang_daas")
                .sk("w3343wer44e")
                .build()
                .unwrap(),
        )
        .param(
            DataAuthApplyParam::builder()
                .apply_biz_id("123445")
                .apply_biz_name("宝洁集团")
                .smart_code("sre43wf2454")
                .brand_id("123344")
                .apply_entity_id("111111")
                .apply_entity_name("AIPL数据包")
                .apply_source("DaaS")
                .data_type("BRAND_DATA")
                .apply_biz_user_id("112222")
                .apply_biz_user_name("张三")
                .smart_id(12344)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let mut business = Params::new();
    request.write_params(&mut business);
    let mut all: Vec<(String, String)> = [
        ("method", request.method()),
        ("app_key", "12345678"),
        ("timestamp", "2016-01-01 12:00:00"),
        ("v", "2.0"),
        ("format", "json"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    all.extend(business.iter().map(|(k, v)| (k.to_owned(), v.to_owned())));
    all
}

fn bench_top(c: &mut Criterion) {
    let mut g = c.benchmark_group("top");
    for method in [SignMethod::Md5, SignMethod::HmacSha256] {
        let mut params = top_params();
        params.push(("sign_method".into(), method.as_str().into()));
        let params: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let string_to_sign = top_sign::string_to_sign(params.iter().copied());
        let floor = |sts: &str| match method {
            SignMethod::Md5 => {
                let mut md5 = Md5::new();
                md5.update(SECRET.as_bytes());
                md5.update(sts.as_bytes());
                md5.update(SECRET.as_bytes());
                hex::encode_upper(md5.finalize())
            }
            _ => {
                let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
                mac.update(sts.as_bytes());
                hex::encode_upper(mac.finalize().into_bytes())
            }
        };
        assert_eq!(
            floor(&string_to_sign),
            top_sign::sign(method, SECRET, params.iter().copied())
        );
        let name = method.as_str().replace('-', "_");
        g.bench_function(format!("{name}_sign"), |b| {
            b.iter(|| {
                top_sign::sign(
                    method,
                    black_box(SECRET),
                    black_box(&params).iter().copied(),
                )
            })
        });
        g.bench_function(format!("{name}_floor"), |b| {
            b.iter(|| floor(black_box(&string_to_sign)))
        });
    }
    g.finish();
}

/// The same LinkWAN request signed with V3: its parameters in the query, an empty body.
const V3_QUERY: [(&str, &str); 2] = [("JoinPermissionId", "123"), ("RenterAliyunId", "some_user")];
const V3_HEADERS: [(&str, &str); 6] = [
    ("host", "linkwan.cn-shanghai.aliyuncs.com"),
    ("x-acs-action", "SubmitJoinPermissionAuthOrder"),
    ("x-acs-version", "2019-03-01"),
    ("x-acs-date", "2016-02-23T12:46:24Z"),
    ("x-acs-signature-nonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
    ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256),
];

/// Every step of V3: signed header names, canonical request, string to sign, signature,
/// `Authorization`.
fn v3_authorization() -> String {
    let signed = v3::default_signed_headers(black_box(V3_HEADERS));
    let canonical = v3::canonical_request(
        "POST",
        "/",
        black_box(V3_QUERY),
        black_box(V3_HEADERS),
        &signed,
        v3::EMPTY_PAYLOAD_SHA256,
    );
    let signature = v3::sign(black_box(SECRET), &v3::string_to_sign(&canonical));
    v3::authorization("testid", &signed, &signature)
}

fn bench_v3(c: &mut Criterion) {
    let signed = v3::default_signed_headers(V3_HEADERS);
    let canonical = v3::canonical_request(
        "POST",
        "/",
        V3_QUERY,
        V3_HEADERS,
        &signed,
        v3::EMPTY_PAYLOAD_SHA256,
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    // The floor: SHA-256 of the ready canonical request, HMAC-SHA256 of the ready string to
    // sign (both hex), and the encoding of the query parameters.
    let floor = |canonical: &str, sts: &str| {
        let mut query = String::with_capacity(64);
        for (name, value) in V3_QUERY {
            query.extend(utf8_percent_encode(name, RFC3986));
            query.push('=');
            query.extend(utf8_percent_encode(value, RFC3986));
        }
        let digest = hex::encode(<Sha256 as Digest>::digest(canonical.as_bytes()));
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(sts.as_bytes());
        (query, digest, hex::encode(mac.finalize().into_bytes()))
    };
    let (_, digest, signature) = floor(&canonical, &string_to_sign);
    assert!(string_to_sign.ends_with(&digest));
    assert!(v3_authorization().ends_with(&signature));

    let mut g = c.benchmark_group("v3");
    g.bench_function("authorization", |b| b.iter(v3_authorization));
    g.bench_function("floor", |b| {
        b.iter(|| floor(black_box(&canonical), black_box(&string_to_sign)))
    });
    g.finish();
}

fn main() {
    let mut c = common::criterion();
    bench_v1(&mut c);
    bench_top(&mut c);
    bench_v3(&mut c);
    c.final_summary();

    let within_3x = |r: f64| r <= 3.0;
    let at_least_30x = |r: f64| r >= 30.0;
    common::print_ratios(
        "Signing",
        &[
            Ratio {
                what: "v1 signature / floor (HMAC-SHA1 + encoding)",
                ours: ("v1", "signature"),
                base: Base::Sum(&[("v1", "floor_hmac_sha1"), ("v1", "floor_encode_canonical")]),
                target: "<= 3x",
                met: within_3x,
            },
            Ratio {
                what: "v1 signed query / floor (HMAC-SHA1 + encoding)",
                ours: ("v1", "signed_query"),
                base: Base::Sum(&[("v1", "floor_hmac_sha1"), ("v1", "floor_encode_canonical")]),
                target: "<= 3x",
                met: within_3x,
            },
            Ratio {
                what: "TOP md5 sign / floor (MD5 of the string to sign)",
                ours: ("top", "md5_sign"),
                base: Base::Bench("top", "md5_floor"),
                target: "<= 3x",
                met: within_3x,
            },
            Ratio {
                what: "TOP hmac-sha256 sign / floor (HMAC-SHA256)",
                ours: ("top", "hmac_sha256_sign"),
                base: Base::Bench("top", "hmac_sha256_floor"),
                target: "<= 3x",
                met: within_3x,
            },
            Ratio {
                what: "V3 Authorization / floor (SHA-256 + HMAC + encoding)",
                ours: ("v3", "authorization"),
                base: Base::Bench("v3", "floor"),
                target: "<= 3x",
                met: within_3x,
            },
            Ratio {
                what: "speed-up over Python SDK v1 signature (37 us, given)",
                ours: ("v1", "signature"),
                base: Base::SpeedupOver(PYTHON_V1_SIGNATURE_NS),
                target: ">= 30x",
                met: at_least_30x,
            },
            Ratio {
                what: "speed-up over Python SDK URL signing (64 us, given)",
                ours: ("v1", "signed_query"),
                base: Base::SpeedupOver(PYTHON_SIGNED_URL_NS),
                target: ">= 30x",
                met: at_least_30x,
            },
        ],
    );
}
