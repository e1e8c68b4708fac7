//! Entry points for the fuzz targets in `fuzz/` and the property tests: every response
//! decoder of the crate, fed arbitrary bytes. Not part of the public API.

use crate::aliyun::{endpoint::Product, envelope};
use crate::redact::Secrets;
use crate::top::{databank, envelope as top_envelope};

/// Runs every Alibaba Cloud RPC decoder over `body`; returns how many accepted it.
pub fn decode_aliyun(status: u16, body: &[u8]) -> usize {
    let none = Secrets::default();
    let mut accepted = 0;
    #[cfg(feature = "linkwan")]
    {
        use crate::aliyun::linkwan;
        let product = Product::LINKWAN;
        accepted += [
            envelope::decode::<linkwan::SubmitJoinPermissionAuthOrderResponse, linkwan::ErrorCode>(
                &product, status, body, &none,
            )
            .is_ok(),
            envelope::decode::<linkwan::GetJoinPermissionAuthOrderResponse, linkwan::ErrorCode>(
                &product, status, body, &none,
            )
            .is_ok(),
            envelope::decode::<linkwan::GetOwnedJoinPermissionResponse, linkwan::ErrorCode>(
                &product, status, body, &none,
            )
            .is_ok(),
        ]
        .into_iter()
        .filter(|ok| *ok)
        .count();
    }
    #[cfg(feature = "sms")]
    {
        use crate::aliyun::sms;
        let product = Product::DYSMSAPI;
        accepted += usize::from(
            envelope::decode::<sms::CreateSmsAuthorizationLetterResponse, sms::ErrorCode>(
                &product, status, body, &none,
            )
            .is_ok(),
        );
    }
    let sms = Product::DYSMSAPI;
    accepted += usize::from(
        envelope::decode::<serde_json::Value, crate::aliyun::ErrorCode>(&sms, status, body, &none)
            .is_ok(),
    );
    accepted
}

/// Runs every TOP decoder over `body`; returns how many accepted it.
pub fn decode_top(status: u16, body: &[u8]) -> usize {
    let none = Secrets::default();
    [
        top_envelope::decode::<databank::OpenAuthApplyResponse>(
            "alibaba.databank.open.auth.apply",
            status,
            body,
            &none,
        )
        .is_ok(),
        top_envelope::decode::<serde_json::Value>("taobao.time.get", status, body, &none).is_ok(),
    ]
    .into_iter()
    .filter(|ok| *ok)
    .count()
}

/// Decodes `body` as `T` the way every answer is decoded: leniently (for the tests that decode
/// every response type).
pub fn lenient<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    crate::decode::lenient::from_slice(body).map_err(|e| e.to_string())
}
