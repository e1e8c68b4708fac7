//! Known-answer tests: every case of the official vectors (copied from `shared/vectors/` into
//! `tests/data/`) through the public signer functions.

use alibaba_openapi::aliyun::sign::v1;
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};
use serde_json::Value;

fn cases(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{file} has no cases");
    cases
}

fn params(case: &Value) -> Vec<(String, String)> {
    case["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn every_rpc_v1_vector_gives_the_official_string_to_sign_and_signature() {
    for case in cases("rpc_v1.json") {
        let name = case["name"].as_str().unwrap();
        let method = case["method"].as_str().unwrap();
        let secret = case["secret"].as_str().unwrap();
        let params = params(&case);
        let string_to_sign = v1::string_to_sign(method, params.iter().map(|(k, v)| (k, v)));
        assert_eq!(
            string_to_sign,
            case["string_to_sign"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            v1::sign(secret, &string_to_sign),
            case["signature"].as_str().unwrap(),
            "{name}"
        );
        // Order of the parameters does not matter.
        let reversed: Vec<_> = params.iter().rev().map(|(k, v)| (k, v)).collect();
        assert_eq!(
            v1::signature(method, reversed, secret),
            case["signature"].as_str().unwrap(),
            "{name} (reversed)"
        );
    }
}

#[test]
fn a_signature_parameter_among_the_inputs_is_ignored() {
    let with = v1::signature("GET", [("a", "1"), ("Signature", "x")], "s");
    let without = v1::signature("GET", [("a", "1")], "s");
    assert_eq!(with, without);
}

#[test]
fn every_top_vector_gives_the_official_sign() {
    for case in cases("top.json") {
        let name = case["name"].as_str().unwrap();
        let secret = case["secret"].as_str().unwrap();
        let params = params(&case);
        let method = params
            .iter()
            .find(|(k, _)| k == "sign_method")
            .and_then(|(_, v)| SignMethod::from_wire(v))
            .unwrap();
        let sign = top_sign::sign(method, secret, params.iter().map(|(k, v)| (k, v)));
        assert_eq!(sign, case["sign"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn top_signing_drops_empty_values_and_the_sign_itself() {
    let base = [("method", "m"), ("app_key", "k")];
    let expected = top_sign::sign(SignMethod::Md5, "s", base);
    let noisy = [
        ("method", "m"),
        ("empty", ""),
        ("app_key", "k"),
        ("sign", "X"),
    ];
    assert_eq!(top_sign::sign(SignMethod::Md5, "s", noisy), expected);
}

#[test]
fn top_timestamps_are_gmt_plus_8() {
    use chrono::{TimeZone, Utc};
    let t = Utc.with_ymd_and_hms(2016, 1, 1, 4, 0, 0).unwrap();
    assert_eq!(top_sign::timestamp(t), "2016-01-01 12:00:00");
    assert_eq!(top_sign::parse_timestamp("2016-01-01 12:00:00"), Some(t));
}

#[test]
fn struct_and_list_parameters_are_the_compact_json_the_official_clients_sign() {
    use alibaba_openapi::aliyun::{sms, Action, Params};
    use alibaba_openapi::top::{databank, Method};

    let apply = databank::OpenAuthApply::builder()
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
        .unwrap();
    let mut params = Params::new();
    apply.write_params(&mut params);
    let case = cases("top.json")
        .into_iter()
        .find(|c| c["name"] == "databank-open-auth-apply-md5")
        .unwrap();
    assert_eq!(params.get("context"), case["params"]["context"].as_str());
    assert_eq!(params.get("param"), case["params"]["param"].as_str());

    let letter = sms::CreateSmsAuthorizationLetter::builder()
        .authorization_letter_name("菜鸟公司授权书")
        .authorization_letter_pic("123456/test1719383196031.jpg")
        .authorization_letter_exp_date("2023-01-01~2026-01-01")
        .authorization("菜鸟网络科技有限公司")
        .organization_code("9****************A")
        .proxy_authorization("支付宝(中国)网络技术有限公司")
        .sign_list(["菜鸟网络", "abc"])
        .build()
        .unwrap();
    let mut params = Params::new();
    letter.write_params(&mut params);
    let captured = &cases("acs3.json")[2]["query"];
    for (name, value) in params.iter() {
        assert_eq!(Some(value), captured[name].as_str(), "{name}");
    }
    assert_eq!(params.len(), captured.as_object().unwrap().len());
}

#[test]
fn every_acs3_vector_gives_the_official_authorization() {
    use alibaba_openapi::aliyun::sign::v3;
    for case in cases("acs3.json") {
        let name = case["name"].as_str().unwrap();
        let pairs = |key: &str| -> Vec<(String, String)> {
            case[key]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        };
        let (query, headers) = (pairs("query"), pairs("headers"));
        let payload = case["payload_sha256"]
            .as_str()
            .or(case["headers"]["x-acs-content-sha256"].as_str())
            .unwrap();
        // The official client signs every header it sends; the others sign the default set.
        let listed = case["authorization"].as_str().unwrap();
        let signed: Vec<String> = listed
            .split("SignedHeaders=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .split(';')
            .map(str::to_owned)
            .collect();
        if name != "sms-CreateSmsAuthorizationLetter-official-client" {
            assert_eq!(
                v3::default_signed_headers(headers.iter().map(|(k, v)| (k, v))),
                signed,
                "{name}"
            );
        }
        let canonical = v3::canonical_request(
            case["method"].as_str().unwrap(),
            case["pathname"].as_str().unwrap(),
            query.iter().map(|(k, v)| (k, v)),
            headers.iter().map(|(k, v)| (k, v)),
            &signed,
            payload,
        );
        let string_to_sign = v3::string_to_sign(&canonical);
        if let Some(hashed) = case["hashed_canonical_request"].as_str() {
            assert_eq!(string_to_sign.lines().nth(1), Some(hashed), "{name}");
        }
        let signature = v3::sign(case["secret"].as_str().unwrap(), &string_to_sign);
        let authorization =
            v3::authorization(case["access_key_id"].as_str().unwrap(), &signed, &signature);
        assert_eq!(
            authorization,
            case["authorization"].as_str().unwrap(),
            "{name}"
        );
        let parsed = v3::parse_authorization(&authorization).unwrap();
        assert_eq!(parsed.signed_headers, signed);
        assert_eq!(parsed.signature, signature);
    }
}
