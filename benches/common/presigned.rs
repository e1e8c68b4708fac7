//! Pre-signed requests for the bare-reqwest baselines of `send.rs` and `alloc.rs`.

use alibaba_openapi::aliyun::sign::{percent_encode, v1};
use alibaba_openapi::aliyun::{Action, Params};
use alibaba_openapi::emulator::accounts;

/// `n` URLs of the request as `Client::send` builds it (same parameters, same encoding,
/// signature v1), each with its own nonce: what the bare loop sends.
pub fn presigned(endpoint: &str, action: &impl Action, n: u64) -> Vec<String> {
    let mut own = Params::new();
    action.write_params(&mut own);
    let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let base = fastrand::u128(..);
    (0..n)
        .map(|i| {
            let nonce = format!("{:032x}", base.wrapping_add(u128::from(i)));
            let mut all: Vec<(&str, &str)> = vec![
                ("AccessKeyId", accounts::OWNER.access_key_id),
                ("Action", action.action()),
                ("Format", "JSON"),
                ("SignatureMethod", v1::SIGNATURE_METHOD),
                ("SignatureNonce", &nonce),
                ("SignatureVersion", v1::SIGNATURE_VERSION),
                ("Timestamp", &timestamp),
                ("Version", action.product().version()),
            ];
            all.extend(own.iter());
            let query = v1::canonical_query(all);
            let string_to_sign = v1::string_to_sign_from_canonical("POST", &query);
            let signature = v1::sign(accounts::OWNER.access_key_secret, &string_to_sign);
            format!(
                "{endpoint}/?{query}&Signature={}",
                percent_encode(&signature)
            )
        })
        .collect()
}
