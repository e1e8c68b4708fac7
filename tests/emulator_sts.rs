//! Temporary (STS) credentials at the emulator's Alibaba Cloud gateway: the security token must
//! come with an `STS.` key (v1 `SecurityToken`, V3 `x-acs-security-token`), match it and be
//! unexpired; a token sent with a long-term key is ignored.

mod emulator_support;

use emulator_support::*;

use alibaba_openapi::aliyun::sign::v1;
use alibaba_openapi::emulator::accounts::{self, StsCredentials};
use alibaba_openapi::emulator::Emulator;

/// GetOwnedJoinPermission of `permission`, signed v1 with `(key, secret)`, `SecurityToken` when given.
async fn owned_permission(
    emulator: &Emulator,
    (key, secret): (&str, &str),
    token: Option<&str>,
    permission: &str,
) -> Reply {
    let mut params = with(
        common_for(key, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", permission)],
    );
    if let Some(token) = token {
        params.push(("SecurityToken".to_owned(), token.to_owned()));
    }
    post_signed(emulator, secret, params).await
}

fn key(sts: StsCredentials) -> (&'static str, &'static str) {
    (sts.access_key_id, sts.access_key_secret)
}

/// GetOwnedJoinPermission 123 signed V3 with `sts`, `x-acs-security-token` when given.
async fn owned_permission_v3(
    emulator: &Emulator,
    sts: StsCredentials,
    token: Option<&str>,
) -> Reply {
    let query = vec![("JoinPermissionId".to_owned(), "123".to_owned())];
    let extra: Vec<(&str, &str)> = token
        .map(|t| ("x-acs-security-token", t))
        .into_iter()
        .collect();
    let action = ("GetOwnedJoinPermission", "2019-03-01");
    send_v3_as(emulator, key(sts), &extra, action, &query, |_| {}).await
}

#[tokio::test]
async fn sts_key_with_its_token_acts_as_the_owner() {
    let emulator = Emulator::start().await.unwrap();
    let token = Some(accounts::STS.security_token);
    let reply = owned_permission(&emulator, key(accounts::STS), token, "123").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["Data"]["JoinPermissionId"], 123);
    let reply = owned_permission(&emulator, key(accounts::STS), token, "900").await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "NotResourceOwner"),
        "the STS key has the owner's rights, no more"
    );
    let recorded = emulator.requests();
    assert_eq!(
        recorded[0].params["SecurityToken"],
        accounts::STS.security_token
    );
}

#[tokio::test]
async fn sts_key_without_a_token_is_missing_security_token() {
    let emulator = Emulator::start().await.unwrap();
    let reply = owned_permission(&emulator, key(accounts::STS), None, "123").await;
    assert_eq!((reply.status, reply.code()), (400, "MissingSecurityToken"));
    let reply = owned_permission(&emulator, key(accounts::STS), Some(""), "123").await;
    assert_eq!(
        reply.code(),
        "MissingSecurityToken",
        "an empty token is no token"
    );
    assert!(reply.json["Recommend"]
        .as_str()
        .unwrap()
        .contains("q=MissingSecurityToken"));
}

#[tokio::test]
async fn another_token_is_invalid_security_token_mismatch_with_access_key() {
    let emulator = Emulator::start().await.unwrap();
    let other = emulator.issue_sts_credentials(accounts::OWNER, chrono::Duration::hours(1));
    for token in [other.security_token.as_str(), "CAISnotatoken"] {
        let reply = owned_permission(&emulator, key(accounts::STS), Some(token), "123").await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "InvalidSecurityToken.MismatchWithAccessKey")
        );
    }
}

#[tokio::test]
async fn expired_credentials_are_invalid_security_token_expired() {
    let emulator = Emulator::start().await.unwrap();
    let token = Some(accounts::EXPIRED_STS.security_token);
    let reply = owned_permission(&emulator, key(accounts::EXPIRED_STS), token, "123").await;
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidSecurityToken.Expired")
    );

    let stale = emulator.issue_sts_credentials(accounts::OWNER, chrono::Duration::seconds(-1));
    let reply = owned_permission(
        &emulator,
        (&stale.access_key_id, &stale.access_key_secret),
        Some(&stale.security_token),
        "123",
    )
    .await;
    assert_eq!(reply.code(), "InvalidSecurityToken.Expired");
}

#[tokio::test]
async fn expire_sts_tokens_expires_everything_issued_so_far() {
    let emulator = Emulator::start().await.unwrap();
    let before = emulator.issue_sts_credentials(accounts::OWNER, chrono::Duration::hours(1));
    emulator.expire_sts_tokens();
    let after = emulator.issue_sts_credentials(accounts::OWNER, chrono::Duration::hours(1));

    let token = Some(accounts::STS.security_token);
    let reply = owned_permission(&emulator, key(accounts::STS), token, "123").await;
    assert_eq!(reply.code(), "InvalidSecurityToken.Expired");
    for (credentials, code) in [(&before, "InvalidSecurityToken.Expired"), (&after, "")] {
        let reply = owned_permission(
            &emulator,
            (&credentials.access_key_id, &credentials.access_key_secret),
            Some(&credentials.security_token),
            "123",
        )
        .await;
        assert_eq!(reply.code(), code, "{}", reply.text);
    }
}

#[tokio::test]
async fn issued_credentials_act_as_their_account_until_they_expire() {
    let emulator = Emulator::start().await.unwrap();
    let issued = emulator.issue_sts_credentials(accounts::OTHER, chrono::Duration::minutes(15));
    assert!(issued.access_key_id.starts_with("STS."));
    assert_eq!(issued.account, accounts::OTHER);
    let remaining = issued.expiration - emulator.now();
    assert!(
        remaining > chrono::Duration::minutes(14) && remaining <= chrono::Duration::minutes(15)
    );
    let debug = format!("{issued:?}");
    assert!(!debug.contains(&issued.security_token) && !debug.contains(&issued.access_key_secret));

    let signer = (
        issued.access_key_id.as_str(),
        issued.access_key_secret.as_str(),
    );
    let token = Some(issued.security_token.as_str());
    let reply =
        owned_permission(&emulator, signer, token, accounts::OTHER_JOIN_PERMISSION_ID).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = owned_permission(&emulator, signer, token, accounts::JOIN_PERMISSION_ID).await;
    assert_eq!(reply.code(), "NotResourceOwner");
}

#[tokio::test]
async fn token_sent_with_a_long_term_key_is_ignored() {
    let emulator = Emulator::start().await.unwrap();
    let owner = (
        accounts::OWNER.access_key_id,
        accounts::OWNER.access_key_secret,
    );
    let reply = owned_permission(&emulator, owner, Some("CAISwhatever"), "123").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn the_signature_is_checked_before_the_token() {
    let emulator = Emulator::start().await.unwrap();
    let forged = (accounts::STS.access_key_id, "not-the-secret");
    let reply = owned_permission(&emulator, forged, None, "123").await;
    assert_eq!((reply.status, reply.code()), (400, "SignatureDoesNotMatch"));
}

#[tokio::test]
async fn a_refused_token_does_not_spend_the_nonce() {
    let emulator = Emulator::start().await.unwrap();
    let params = with(
        common_for(
            accounts::STS.access_key_id,
            "GetOwnedJoinPermission",
            "2019-03-01",
        ),
        &[("JoinPermissionId", "123")],
    );
    let secret = accounts::STS.access_key_secret;
    let refused = post_signed(&emulator, secret, params.clone()).await;
    assert_eq!(refused.code(), "MissingSecurityToken");
    let token = [("SecurityToken", accounts::STS.security_token)];
    let accepted = post_signed(&emulator, secret, with(params.clone(), &token)).await;
    assert_eq!(accepted.status, 200, "same nonce: {}", accepted.text);
    let replayed = post_signed(&emulator, secret, with(params, &token)).await;
    assert_eq!(replayed.code(), "SignatureNonceUsed");
    // The token is a signed parameter like any other.
    let mut params = with(
        common_for(
            accounts::STS.access_key_id,
            "GetOwnedJoinPermission",
            "2019-03-01",
        ),
        &[("JoinPermissionId", "123")],
    );
    let signature = v1::signature("POST", params.iter().cloned(), secret);
    params.push(("Signature".to_owned(), signature));
    params.push((
        "SecurityToken".to_owned(),
        accounts::STS.security_token.to_owned(),
    ));
    let url = format!("{}/?{}", emulator.url(), query_string(&params));
    let unsigned_token = send(reqwest::Client::new().post(url)).await;
    assert_eq!(unsigned_token.code(), "SignatureDoesNotMatch");
}

#[tokio::test]
async fn signature_v3_carries_the_token_in_x_acs_security_token() {
    let emulator = Emulator::start().await.unwrap();
    let reply =
        owned_permission_v3(&emulator, accounts::STS, Some(accounts::STS.security_token)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = owned_permission_v3(&emulator, accounts::STS, None).await;
    assert_eq!((reply.status, reply.code()), (400, "MissingSecurityToken"));
    let reply = owned_permission_v3(&emulator, accounts::STS, Some("CAISnotatoken")).await;
    assert_eq!(reply.code(), "InvalidSecurityToken.MismatchWithAccessKey");
    let expired = accounts::EXPIRED_STS;
    let reply = owned_permission_v3(&emulator, expired, Some(expired.security_token)).await;
    assert_eq!(reply.code(), "InvalidSecurityToken.Expired");
}
