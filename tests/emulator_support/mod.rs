//! Shared helpers of the `emulator_*` tests: plain `reqwest`, requests signed by hand with the
//! pure signer functions, so these tests do not depend on the crate's clients.
#![allow(dead_code)]

use alibaba_openapi::aliyun::sign::{percent_encode, v1, v3};
use alibaba_openapi::emulator::accounts::{self, Account};
use alibaba_openapi::emulator::Emulator;
use alibaba_openapi::top::sign::{self as top_sign, SignMethod};
use serde_json::{json, Value};

/// An answer: status, headers, raw body and the body as JSON (Null when it is not JSON).
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.json["Code"].as_str().unwrap_or_default()
    }
    pub fn top_code(&self) -> i64 {
        self.json["error_response"]["code"].as_i64().unwrap_or(0)
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the emulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

pub fn nonce() -> String {
    format!("{:032x}", fastrand::u128(..))
}

pub fn rpc_timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The common parameters of a signature v1 request (without `Signature`).
pub fn common(account: Account, action: &str, version: &str) -> Vec<(String, String)> {
    common_for(account.access_key_id, action, version)
}

/// [`common`] for any AccessKey ID, e.g. temporary (STS) credentials.
pub fn common_for(access_key_id: &str, action: &str, version: &str) -> Vec<(String, String)> {
    [
        ("AccessKeyId", access_key_id.to_owned()),
        ("Action", action.to_owned()),
        ("Format", "JSON".to_owned()),
        ("SignatureMethod", "HMAC-SHA1".to_owned()),
        ("SignatureNonce", nonce()),
        ("SignatureVersion", "1.0".to_owned()),
        ("Timestamp", rpc_timestamp(chrono::Utc::now())),
        ("Version", version.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

pub fn query_string(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs `params` with `secret` and POSTs them all in the query string, as LinkWAN calls are sent.
pub async fn post_signed(
    emulator: &Emulator,
    secret: &str,
    mut params: Vec<(String, String)>,
) -> Reply {
    let signature = v1::signature("POST", params.iter().cloned(), secret);
    params.push(("Signature".to_owned(), signature));
    let url = format!("{}/?{}", emulator.url(), query_string(&params));
    send(reqwest::Client::new().post(url)).await
}

pub fn with(mut params: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    params.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    params
}

pub async fn linkwan(
    emulator: &Emulator,
    account: Account,
    action: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let params = with(common(account, action, "2019-03-01"), extra);
    post_signed(emulator, account.access_key_secret, params).await
}

pub async fn submit(
    emulator: &Emulator,
    account: Account,
    permission: &str,
    renter: &str,
) -> Reply {
    linkwan(
        emulator,
        account,
        "SubmitJoinPermissionAuthOrder",
        &[("JoinPermissionId", permission), ("RenterAliyunId", renter)],
    )
    .await
}

/// Valid CreateSmsAuthorizationLetter parameters with this name; `overrides` replace or add.
pub fn letter(name: &str, overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("AuthorizationLetterPic", "123456/test1719383196031.jpg"),
        ("SignList", r#"["菜鸟网络","abc"]"#),
        ("AuthorizationLetterExpDate", "2023-01-01~2099-01-01"),
        ("Authorization", "菜鸟网络科技有限公司"),
        ("OrganizationCode", "91330100MA27XXXXXA"),
        ("ProxyAuthorization", "支付宝(中国)网络技术有限公司"),
        ("AuthorizationLetterName", name),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (name, value) in overrides {
        params.retain(|(k, _)| k != name);
        params.push(((*name).to_owned(), (*value).to_owned()));
    }
    params
}

pub async fn create_letter(
    emulator: &Emulator,
    account: Account,
    params: Vec<(String, String)>,
) -> Reply {
    let mut all = common(account, "CreateSmsAuthorizationLetter", "2017-05-25");
    all.extend(params);
    post_signed(emulator, account.access_key_secret, all).await
}

/// A TOP call: system parameters in the query, business parameters in a form body.
pub async fn top_call(
    emulator: &Emulator,
    sign_method: SignMethod,
    system: &[(&str, &str)],
    business: &[(&str, &str)],
) -> Reply {
    let now = top_sign::timestamp(chrono::Utc::now());
    let mut sys: Vec<(String, String)> = vec![
        ("method".into(), "alibaba.databank.open.auth.apply".into()),
        ("app_key".into(), accounts::TOP_APP_KEY.into()),
        ("timestamp".into(), now),
        ("format".into(), "json".into()),
        ("v".into(), "2.0".into()),
        ("sign_method".into(), sign_method.as_str().into()),
    ];
    for (name, value) in system {
        sys.retain(|(k, _)| k != name);
        sys.push(((*name).to_owned(), (*value).to_owned()));
    }
    let biz: Vec<(String, String)> = business
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if !sys.iter().any(|(k, _)| k == "sign") {
        let sign = top_sign::sign(
            sign_method,
            accounts::TOP_APP_SECRET,
            sys.iter().chain(biz.iter()).cloned(),
        );
        sys.push(("sign".into(), sign));
    }
    let url = format!("{}?{}", emulator.top_gateway_url(), query_string(&sys));
    send(
        reqwest::Client::new()
            .post(url)
            .header(
                "content-type",
                "application/x-www-form-urlencoded;charset=UTF-8",
            )
            .body(query_string(&biz)),
    )
    .await
}

pub const CONTEXT: &str = r#"{"ak":"lingyang_daas","sk":"w3343wer44e"}"#;

pub fn apply_param(biz_id: &str, entity_id: &str) -> String {
    json!({
        "apply_biz_id": biz_id, "apply_biz_name": "宝洁集团", "smart_code": "sre43wf2454",
        "brand_id": "123344", "apply_entity_id": entity_id, "apply_entity_name": "AIPL数据包",
        "apply_source": "DaaS", "data_type": "BRAND_DATA", "apply_biz_user_id": "112222",
        "apply_biz_user_name": "张三", "smart_id": 12344
    })
    .to_string()
}

pub fn vector_case(file: &str, name: &str) -> Value {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
    doc["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["name"] == name).cloned())
        .unwrap_or_else(|| panic!("no case {name} in {file}"))
}

pub fn vector_params(case: &Value) -> Vec<(String, String)> {
    case["params"]
        .as_object()
        .expect("params")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

/// Signs a V3 request the way the official SDKs do (every header sent is signed) and sends it.
pub async fn send_v3(
    emulator: &Emulator,
    account: Account,
    action: &str,
    version: &str,
    query: &[(String, String)],
    tamper: impl FnOnce(&mut Vec<(String, String)>),
) -> Reply {
    let key = (account.access_key_id, account.access_key_secret);
    send_v3_as(emulator, key, &[], (action, version), query, tamper).await
}

/// [`send_v3`] signed with any `(AccessKeyId, secret)`, with `extra` headers sent and signed
/// too (e.g. `x-acs-security-token`).
pub async fn send_v3_as(
    emulator: &Emulator,
    (access_key_id, secret): (&str, &str),
    extra: &[(&str, &str)],
    (action, version): (&str, &str),
    query: &[(String, String)],
    tamper: impl FnOnce(&mut Vec<(String, String)>),
) -> Reply {
    let mut headers: Vec<(String, String)> = [
        ("accept", "application/json".to_owned()),
        ("host", emulator.local_addr().to_string()),
        (
            "user-agent",
            "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2".to_owned(),
        ),
        ("x-acs-action", action.to_owned()),
        ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256.to_owned()),
        ("x-acs-credentials-provider", "static_ak".to_owned()),
        ("x-acs-date", rpc_timestamp(chrono::Utc::now())),
        ("x-acs-signature-nonce", nonce()),
        ("x-acs-version", version.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    headers.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    headers.sort();
    let signed: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let canonical = v3::canonical_request(
        "POST",
        "/",
        query.iter().cloned(),
        headers.iter().cloned(),
        &signed,
        v3::EMPTY_PAYLOAD_SHA256,
    );
    let signature = v3::sign(secret, &v3::string_to_sign(&canonical));
    headers.push((
        "authorization".to_owned(),
        v3::authorization(access_key_id, &signed, &signature),
    ));
    tamper(&mut headers);
    let mut request =
        reqwest::Client::new().post(format!("{}/?{}", emulator.url(), query_string(query)));
    for (name, value) in headers.iter().filter(|(k, _)| k != "host") {
        request = request.header(name.as_str(), value.as_str());
    }
    send(request).await
}
