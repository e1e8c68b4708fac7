//! Property tests: signing is deterministic and independent of parameter order; no decoder
//! panics, whatever the bytes.

use alibaba_openapi::aliyun::sign::v1;
use alibaba_openapi::fuzzing;
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};
use proptest::prelude::*;

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map("[A-Za-z][A-Za-z0-9._]{0,12}", "\\PC{0,24}", 0..12)
        .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn v1_signature_is_deterministic_and_order_independent(
        mut pairs in params(),
        secret in "\\PC{1,32}",
        seed in any::<u64>(),
    ) {
        let first = v1::signature("POST", pairs.iter().map(|(k, v)| (k, v)), &secret);
        let again = v1::signature("POST", pairs.iter().map(|(k, v)| (k, v)), &secret);
        prop_assert_eq!(&first, &again);
        fastrand::Rng::with_seed(seed).shuffle(&mut pairs);
        let shuffled = v1::signature("POST", pairs.iter().map(|(k, v)| (k, v)), &secret);
        prop_assert_eq!(first, shuffled);
    }

    #[test]
    fn top_sign_is_deterministic_and_order_independent(
        mut pairs in params(),
        secret in "\\PC{1,32}",
        seed in any::<u64>(),
    ) {
        for method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            let first = top_sign::sign(method, &secret, pairs.iter().map(|(k, v)| (k, v)));
            fastrand::Rng::with_seed(seed).shuffle(&mut pairs);
            let shuffled = top_sign::sign(method, &secret, pairs.iter().map(|(k, v)| (k, v)));
            prop_assert_eq!(first, shuffled);
        }
    }

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(
        status in prop_oneof![Just(200u16), Just(400), Just(503), any::<u16>()],
        body in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        fuzzing::decode_aliyun(status, &body);
        fuzzing::decode_top(status, &body);
    }

    #[test]
    fn decoders_never_panic_on_truncated_or_mistyped_answers(
        cut in 0usize..400,
        value in prop_oneof![
            Just(serde_json::json!(null)),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "\\PC{0,20}".prop_map(serde_json::Value::from),
            Just(serde_json::json!("18446744073709551616999")),
            Just(serde_json::json!(1e308)),
            Just(serde_json::json!([1, 2])),
            Just(serde_json::json!({"x": {}})),
        ],
        field in prop_oneof![
            Just("Data"), Just("OrderId"), Just("JoinEui"), Just("CreateMillis"), Just("RequestId"),
            Just("Success"), Just("Code"), Just("OrderState"), Just("errcode"), Just("auth_status"),
        ],
    ) {
        let aliyun = serde_json::json!({
            "RequestId": "R", "Success": true, "Code": "OK",
            "Data": { "OrderId": "1", "JoinPermissionId": 2, "OrderState": "APPLYING", field: value.clone() },
            field: value.clone(),
        })
        .to_string();
        let top = serde_json::json!({
            "alibaba_databank_open_auth_apply_response": {
                "result": { "data": { field: value.clone(), "auth_status": 0 }, field: value.clone() },
                field: value,
            }
        })
        .to_string();
        for body in [&aliyun, &top] {
            let bytes = body.as_bytes();
            fuzzing::decode_aliyun(200, bytes);
            fuzzing::decode_top(200, bytes);
            fuzzing::decode_aliyun(200, &bytes[..cut.min(bytes.len())]);
            fuzzing::decode_top(200, &bytes[..cut.min(bytes.len())]);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let wrapped = format!("{{\"Data\":{deep}}}");
    assert_eq!(fuzzing::decode_aliyun(200, deep.as_bytes()), 0);
    assert_eq!(fuzzing::decode_aliyun(200, wrapped.as_bytes()), 0);
    assert_eq!(fuzzing::decode_top(200, wrapped.as_bytes()), 0);
}

#[test]
fn the_documented_examples_are_accepted() {
    let submit =
        br#"{"Data":"1234","RequestId":"89EF6CAA-958F-F32C-BE45-FE003C6DE097","Success":true}"#;
    // The Submit decoder and the untyped one accept it.
    assert!(fuzzing::decode_aliyun(200, submit) >= 2);
    let top = r#"{"alibaba_databank_open_auth_apply_response":{"result":{"data":{"smart_code":"sre43wf2454","auth_status":0},"errcode":0,"errmsg":"参数错误","codeclass":"INTERNAL_ERROR"}}}"#;
    assert_eq!(fuzzing::decode_top(200, top.as_bytes()), 1);
}
