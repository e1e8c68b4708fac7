//! Request building (each action's builder `.build()` and `write_params`) and response
//! decoding of each action's documented example body, through the public response types.
//!
//! Floors measured in the same run: for building, a hand-written `Vec<(&str, String)>` of the
//! same wire parameters; for decoding, serde_json reading the same body without building
//! anything (`IgnoredAny`), and into an untyped `serde_json::Value`.
//!
//! `cargo bench --bench requests`; the ratios are printed at the end.

mod common;

use std::hint::black_box;

use alibaba_openapi::aliyun::{linkwan, sms, Action, Params};
use alibaba_openapi::top::{databank, Method};
use common::{Base, Ratio};
use criterion::Criterion;
use serde::de::{DeserializeOwned, IgnoredAny};

/// The documented JSON example of `SubmitJoinPermissionAuthOrder`.
const SUBMIT_BODY: &str = r#"{
	"Data":"1234",
	"RequestId":"89EF6CAA-958F-F32C-BE45-FE003C6DE097",
	"Success":true
}"#;

/// The documented JSON example of `GetJoinPermissionAuthOrder`.
const GET_ORDER_BODY: &str = r#"{
	"Data":{
		"CanceledMillis":1514736000000,
		"JoinPermissionId":"123456",
		"OrderState":"ACCEPTED",
		"RenterAliyunId":"some_user",
		"RejectedMillis":1514736000000,
		"OwnerAliyunId":"some_user",
		"OrderId":"123",
		"ApplyingMillis":1514736000000,
		"AcceptedMillis":1514736000000
	},
	"RequestId":"89EF6CAA-958F-F32C-BE45-FE003C6DE097",
	"Success":true
}"#;

/// The documented JSON example of `GetOwnedJoinPermission` (ids as JSON numbers, as documented).
const GET_OWNED_BODY: &str = r#"{
"RequestId": "89EF6CAA-958F-F32C-BE45-FE003C6DE097",
"Data": {
"NodesCnt": 10,
"RxMonthSum": 0,
"ClassMode": "A",
"MulticastNodeCapacity": 1000,
"RxDailySum": 0,
"TxDailySum": 0,
"Enabled": true,
"RenterAliyunId": "some-user",
"TxMonthSum": 0,
"MulticastNodeCount": 10,
"MulticastEnabled": false,
"RxDelay": 1,
"DataDispatchDestination": "IOT",
"AuthState": "NEW",
"DataRate": 4,
"BoundProductName": "产品名称",
"CreateMillis": 1514736000000,
"JoinPermissionId": 123,
"JoinPermissionName": "凭证1",
"FreqBandPlanGroupId": 102,
"JoinEui": 0
},
"Success": true
}"#;

/// The documented JSON example of `CreateSmsAuthorizationLetter` (RequestId ends with `\n`).
const LETTER_BODY: &str = r#"{
"AccessDeniedDetail": "无",
"RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990\n",
"Message": "OK",
"Data": "10000****",
"Code": "OK",
"Success": true
}"#;

/// The documented example of `alibaba.databank.open.auth.apply` (given as XML), in the JSON
/// shape the gateway answers with `format=json`: the object inside `<method>_response`.
const APPLY_BODY: &str = r#"{
  "result": {
    "data": {
      "smart_code": "sre43wf2454",
      "apply_biz_id": "23122423",
      "apply_biz_name": "宝洁集团",
      "apply_entity_id": "11111",
      "apply_entity_name": "AIPL数据包",
      "auth_status": 0
    },
    "errcode": 0,
    "errmsg": "参数错误",
    "codeclass": "INTERNAL_ERROR"
  },
  "request_id": "0ba2887315178178017221014"
}"#;

fn submit() -> linkwan::SubmitJoinPermissionAuthOrder {
    linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id("123")
        .renter_aliyun_id("some_user")
        .build()
        .unwrap()
}

fn get_order() -> linkwan::GetJoinPermissionAuthOrder {
    linkwan::GetJoinPermissionAuthOrder::builder()
        .order_id(1234)
        .build()
        .unwrap()
}

fn get_owned() -> linkwan::GetOwnedJoinPermission {
    linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id("123")
        .iot_instance_id("iot_instc_pu****_c*-v64********")
        .build()
        .unwrap()
}

fn letter() -> sms::CreateSmsAuthorizationLetter {
    sms::CreateSmsAuthorizationLetter::builder()
        .authorization_letter_name("菜鸟网络授权书")
        .authorization_letter_pic("123456/test1719383196031.jpg")
        .authorization_letter_exp_date("2023-01-01~2026-01-01")
        .authorization("菜鸟网络科技有限公司")
        .organization_code("9****************A")
        .proxy_authorization("支付宝(中国)网络技术有限公司")
        .sign_list(["菜鸟网络", "abc"])
        .build()
        .unwrap()
}

fn apply() -> databank::OpenAuthApply {
    databank::OpenAuthApply::builder()
        .context(
            databank::DataBankOpenContext::builder()
                .ak("lingyang_daas")
                .sk("w3343wer44e")
                .build()
                .unwrap(),
        )
        .param(
            databank::DataAuthApplyParam::builder()
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
        .unwrap()
}

fn aliyun_params(action: &impl Action) -> Params {
    let mut params = Params::new();
    action.write_params(&mut params);
    params
}

fn top_params(method: &impl Method) -> Params {
    let mut params = Params::new();
    method.write_params(&mut params);
    params
}

/// The floor of building: the same wire parameters, written by hand into a vector.
fn by_hand(params: &Params) -> Vec<(&'static str, String)> {
    let names: Vec<&'static str> = params
        .iter()
        .map(|(k, _)| &*Box::leak(k.to_owned().into_boxed_str()))
        .collect();
    let values: Vec<String> = params.iter().map(|(_, v)| v.to_owned()).collect();
    names.into_iter().zip(values).collect()
}

fn bench_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.bench_function("submit_auth_order", |b| {
        b.iter(|| aliyun_params(&black_box(submit())))
    });
    g.bench_function("get_auth_order", |b| {
        b.iter(|| aliyun_params(&black_box(get_order())))
    });
    g.bench_function("get_owned_join_permission", |b| {
        b.iter(|| aliyun_params(&black_box(get_owned())))
    });
    g.bench_function("create_sms_authorization_letter", |b| {
        b.iter(|| aliyun_params(&black_box(letter())))
    });
    g.bench_function("databank_open_auth_apply", |b| {
        b.iter(|| top_params(&black_box(apply())))
    });
    // write_params alone, on an already built request: what every attempt of `send` repeats.
    let built = submit();
    g.bench_function("submit_auth_order_write_params", |b| {
        b.iter(|| aliyun_params(black_box(&built)))
    });
    let built = apply();
    g.bench_function("databank_open_auth_apply_write_params", |b| {
        b.iter(|| top_params(black_box(&built)))
    });

    // Floors: the same parameters by hand, from values already at hand.
    for (name, params) in [
        ("submit_auth_order_by_hand", aliyun_params(&submit())),
        ("databank_open_auth_apply_by_hand", top_params(&apply())),
    ] {
        let pairs = by_hand(&params);
        g.bench_function(name, |b| {
            b.iter(|| {
                black_box(&pairs)
                    .iter()
                    .map(|(k, v)| (*k, v.as_str().to_owned()))
                    .collect::<Vec<_>>()
            })
        });
    }
    g.finish();
}

fn decode<T: DeserializeOwned>(body: &str) -> T {
    serde_json::from_str(body).expect("the documented example decodes")
}

/// A benchmark name, a documented body, and the typed decoding of that body.
type DecodeCase = (&'static str, &'static str, fn(&str));

fn bench_decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    let bodies: [DecodeCase; 5] = [
        ("submit_auth_order", SUBMIT_BODY, |b| {
            black_box(decode::<linkwan::SubmitJoinPermissionAuthOrderResponse>(b));
        }),
        ("get_auth_order", GET_ORDER_BODY, |b| {
            black_box(decode::<linkwan::GetJoinPermissionAuthOrderResponse>(b));
        }),
        ("get_owned_join_permission", GET_OWNED_BODY, |b| {
            black_box(decode::<linkwan::GetOwnedJoinPermissionResponse>(b));
        }),
        ("create_sms_authorization_letter", LETTER_BODY, |b| {
            black_box(decode::<sms::CreateSmsAuthorizationLetterResponse>(b));
        }),
        ("databank_open_auth_apply", APPLY_BODY, |b| {
            black_box(decode::<databank::OpenAuthApplyResponse>(b));
        }),
    ];
    for (name, body, typed) in bodies {
        typed(body); // decodes, or panics before anything is measured
        g.bench_function(name, |b| b.iter(|| typed(black_box(body))));
        g.bench_function(format!("{name}_floor_ignored"), |b| {
            b.iter(|| decode::<IgnoredAny>(black_box(body)))
        });
        g.bench_function(format!("{name}_value"), |b| {
            b.iter(|| decode::<serde_json::Value>(black_box(body)))
        });
    }
    // The whole RPC / TOP decoding path (envelope, failure checks, typed output), as the
    // client runs it, for the GetOwnedJoinPermission example: the crate's hidden fuzzing entry
    // point runs every RPC decoder (5) over the body, so this is 5 decodes.
    let top_body = format!(r#"{{"alibaba_databank_open_auth_apply_response":{APPLY_BODY}}}"#);
    assert_eq!(
        alibaba_openapi::fuzzing::decode_aliyun(200, GET_OWNED_BODY.as_bytes()),
        2,
        "GetOwnedJoinPermission and serde_json::Value accept it"
    );
    assert_eq!(
        alibaba_openapi::fuzzing::decode_top(200, top_body.as_bytes()),
        1
    );
    g.bench_function("every_rpc_decoder_get_owned", |b| {
        b.iter(|| {
            alibaba_openapi::fuzzing::decode_aliyun(200, black_box(GET_OWNED_BODY.as_bytes()))
        })
    });
    g.finish();
}

fn main() {
    let mut c = common::criterion();
    bench_build(&mut c);
    bench_decode(&mut c);
    c.final_summary();

    let info = |_: f64| true;
    let mut ratios = vec![
        Ratio {
            what: "SubmitJoinPermissionAuthOrder build+write_params / by hand",
            ours: ("build", "submit_auth_order"),
            base: Base::Bench("build", "submit_auth_order_by_hand"),
            target: "(info)",
            met: info,
        },
        Ratio {
            what: "databank.open.auth.apply build+write_params / by hand",
            ours: ("build", "databank_open_auth_apply"),
            base: Base::Bench("build", "databank_open_auth_apply_by_hand"),
            target: "(info)",
            met: info,
        },
        Ratio {
            what: "databank.open.auth.apply write_params / by hand",
            ours: ("build", "databank_open_auth_apply_write_params"),
            base: Base::Bench("build", "databank_open_auth_apply_by_hand"),
            target: "(info)",
            met: info,
        },
    ];
    for (name, what_floor, what_value) in [
        (
            "submit_auth_order",
            "decode SubmitJoinPermissionAuthOrder / JSON scan",
            "decode SubmitJoinPermissionAuthOrder / serde_json::Value",
        ),
        (
            "get_auth_order",
            "decode GetJoinPermissionAuthOrder / JSON scan",
            "decode GetJoinPermissionAuthOrder / serde_json::Value",
        ),
        (
            "get_owned_join_permission",
            "decode GetOwnedJoinPermission / JSON scan",
            "decode GetOwnedJoinPermission / serde_json::Value",
        ),
        (
            "create_sms_authorization_letter",
            "decode CreateSmsAuthorizationLetter / JSON scan",
            "decode CreateSmsAuthorizationLetter / serde_json::Value",
        ),
        (
            "databank_open_auth_apply",
            "decode databank.open.auth.apply / JSON scan",
            "decode databank.open.auth.apply / serde_json::Value",
        ),
    ] {
        let floor: &'static str = Box::leak(format!("{name}_floor_ignored").into_boxed_str());
        let value: &'static str = Box::leak(format!("{name}_value").into_boxed_str());
        ratios.push(Ratio {
            what: what_floor,
            ours: ("decode", name),
            base: Base::Bench("decode", floor),
            target: "(info)",
            met: info,
        });
        ratios.push(Ratio {
            what: what_value,
            ours: ("decode", name),
            base: Base::Bench("decode", value),
            target: "(info)",
            met: info,
        });
    }
    common::print_ratios("Requests and decoding", &ratios);
}
