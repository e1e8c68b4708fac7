//! Signature V3 (`Authorization: ACS3-HMAC-SHA256 ...`), verified from the wire.
//!
//! The action and version come from `x-acs-action` / `x-acs-version`, the key from the
//! `Credential`, the time from `x-acs-date`, the nonce from `x-acs-signature-nonce`. The canonical
//! request is rebuilt from the received method, path, query string (only the query: a form body
//! is covered by the payload hash) and exactly the headers that `SignedHeaders` names; the payload
//! hash is computed from the received body, and an `x-acs-content-sha256` that disagrees with it
//! is `SignatureDoesNotMatch`. Temporary credentials carry their token in `x-acs-security-token`.
//!
//! `SignedHeaders` must list `host`, every `x-acs-*` header the request carries and, when a body
//! is sent with a `content-type`, that too ([`unsigned_required_headers`]); otherwise the request
//! is `IncompleteSignature`. Without this rule a signature over fewer headers could be replayed
//! with a fresh `x-acs-date` and nonce, or turned into another action by swapping `x-acs-action`.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::gateway::{fresh, known_key, route, Authenticated, Product, Rejection};
use super::state::State;
use super::sts;
use super::wire::Incoming;
use crate::aliyun::sign::v3;

/// Whether a request is signed with V3 rather than v1.
pub(crate) fn is_v3(request: &Incoming) -> bool {
    request
        .header("authorization")
        .is_some_and(|a| a.trim_start().starts_with("ACS3-"))
        || (request.header("x-acs-action").is_some()
            && request.param("Signature").is_none()
            && request.param("Action").is_none())
}

/// Verifies a V3 request.
pub(crate) fn authenticate<'a>(
    state: &Mutex<State>,
    request: &'a Incoming,
    now: DateTime<Utc>,
    guessed: Option<Product>,
) -> Result<Authenticated<'a>, Rejection> {
    let (action, product) = route(
        request.header("x-acs-action"),
        request.header("x-acs-version"),
        ("x-acs-action", "x-acs-version"),
        guessed,
    )?;
    let incomplete = |why: &str| {
        Rejection::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards: {why}"),
            Some(product),
        )
    };
    let authorization = request
        .header("authorization")
        .ok_or_else(|| incomplete("the Authorization header is missing."))?;
    let parsed = v3::parse_authorization(authorization).ok_or_else(|| {
        incomplete("expected Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>.")
    })?;
    let unsigned = unsigned_required_headers(request, &parsed.signed_headers);
    if !unsigned.is_empty() {
        return Err(incomplete(&format!(
            "SignedHeaders must list host, every x-acs-* header sent and, with a body, content-type; missing: {}.",
            unsigned.join(", ")
        )));
    }
    let header = |name: &'static str| {
        request
            .header(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                Rejection::new(
                    400,
                    "MissingParameter",
                    format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
                    Some(product),
                )
            })
    };
    let nonce = header("x-acs-signature-nonce")?;
    let date = header("x-acs-date")?;
    let identity = known_key(state, &parsed.access_key_id, product)?;
    fresh(date, "x-acs-date", now, product)?;

    let payload = v3::payload_sha256(&request.body);
    if let Some(claimed) = request.header("x-acs-content-sha256") {
        if !claimed.eq_ignore_ascii_case(&payload) {
            return Err(Rejection::new(
                400,
                "SignatureDoesNotMatch",
                format!("The x-acs-content-sha256 header does not match the body: server payload hash is:{payload}"),
                Some(product),
            ));
        }
    }
    let canonical = v3::canonical_request(
        &request.method,
        &request.path,
        request.query_pairs.iter().cloned(),
        request.headers.iter(),
        &parsed.signed_headers,
        &payload,
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    let expected = v3::sign(&identity.secret, &string_to_sign);
    if !expected.eq_ignore_ascii_case(&parsed.signature) {
        return Err(Rejection::new(
            400,
            "SignatureDoesNotMatch",
            format!("Specified signature does not match our calculation. server string to sign is:{string_to_sign} canonical request is:{canonical}"),
            Some(product),
        ));
    }
    let token = request.header("x-acs-security-token");
    sts::check_token(&identity, token, now, product)?;
    Ok(Authenticated {
        caller: identity.account,
        access_key_id: parsed.access_key_id,
        action,
        product,
        nonce,
    })
}

/// The headers the gateway requires a V3 signature to cover that `signed` leaves out: `host`
/// (always), every `x-acs-*` header sent, and `content-type` when it comes with a body. Sorted,
/// lower-case.
pub(crate) fn unsigned_required_headers<'a>(
    request: &'a Incoming,
    signed: &[String],
) -> Vec<&'a str> {
    let is_signed = |name: &str| signed.iter().any(|s| s.eq_ignore_ascii_case(name));
    let mut missing: Vec<&str> = request
        .headers
        .keys()
        .map(String::as_str)
        .filter(|name| {
            name.starts_with("x-acs-") || (*name == "content-type" && !request.body.is_empty())
        })
        .filter(|name| !is_signed(name))
        .collect();
    if !is_signed("host") {
        missing.push("host");
    }
    missing.sort_unstable();
    missing
}
