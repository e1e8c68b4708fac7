//! Every action signed with V3 (ACS3-HMAC-SHA256) against the emulator, which verifies the
//! `Authorization` header over exactly the headers it names.

mod common;

use std::collections::BTreeSet;

use alibaba_openapi::aliyun::{self, linkwan, sms, Credentials, SignatureVersion};
use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection};

fn v3_client(emulator: &Emulator, credentials: Credentials) -> aliyun::Client {
    aliyun::Client::builder()
        .credentials(credentials)
        .endpoint_url(emulator.url())
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap()
}

fn owner() -> Credentials {
    Credentials::new(
        accounts::OWNER.access_key_id,
        accounts::OWNER.access_key_secret,
    )
}

#[tokio::test]
async fn every_linkwan_action_works_with_v3() {
    let emulator = Emulator::start().await.unwrap();
    let client = v3_client(&emulator, owner());
    let owned = client
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id(accounts::JOIN_PERMISSION_ID)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        owned.join_permission.join_eui.as_deref(),
        Some("0000000000000000")
    );

    let submit = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .renter_aliyun_id(accounts::RENTER.aliyun_id)
        .build()
        .unwrap();
    let order_id = client.send(&submit).await.unwrap().order_id;
    let order = client
        .send(
            &linkwan::GetJoinPermissionAuthOrder::builder()
                .order_id(order_id)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .order;
    assert_eq!(order.order_state, linkwan::OrderState::Applying);
    let again = client.send(&submit).await.unwrap_err();
    assert_eq!(
        again.code(),
        Some(&linkwan::ErrorCode::JoinPermissionAlreadyAuthorized)
    );

    // What went over the wire: headers and an Authorization, business parameters only.
    for request in emulator.requests() {
        assert!(request.headers["authorization"].starts_with("ACS3-HMAC-SHA256 Credential="));
        assert!(!request.params.contains_key("Signature"));
        assert!(!request.params.contains_key("AccessKeyId"));
        assert_eq!(request.headers["x-acs-version"], "2019-03-01");
    }
}

#[tokio::test]
async fn sms_letters_work_with_v3() {
    let emulator = Emulator::start().await.unwrap();
    let client = v3_client(&emulator, owner());
    let request = common::letter("第三版授权书").build().unwrap();
    let created = client.send(&request).await.unwrap();
    assert!(!created.authorization_letter_id.is_empty());
    let err = client.send(&request).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&sms::ErrorCode::AuthorizationLetterNameRepeat)
    );
    let sent = emulator.requests();
    assert_eq!(sent[0].params["SignList"], r#"["菜鸟网络","abc"]"#);
}

#[tokio::test]
async fn wrong_secret_with_v3_is_signature_does_not_match() {
    let emulator = Emulator::start().await.unwrap();
    let client = v3_client(
        &emulator,
        Credentials::new(accounts::OWNER.access_key_id, "not-the-secret"),
    );
    let err = client
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id("123")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&linkwan::ErrorCode::SignatureDoesNotMatch));
}

#[tokio::test]
async fn sts_tokens_travel_as_the_v3_header_and_the_v1_parameter() {
    let emulator = Emulator::start().await.unwrap();
    let sts = Credentials::new(accounts::STS.access_key_id, accounts::STS.access_key_secret)
        .with_security_token(accounts::STS.security_token);
    let client = v3_client(&emulator, sts);
    let get = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap();
    client.send(&get).await.unwrap();
    client
        .with_signature_version(SignatureVersion::V1)
        .send(&get)
        .await
        .unwrap();
    let sent = emulator.requests();
    assert_eq!(
        sent[0].headers["x-acs-security-token"],
        accounts::STS.security_token
    );
    assert_eq!(
        sent[1].params["SecurityToken"],
        accounts::STS.security_token
    );
    assert!(
        sent[1].params.contains_key("Signature"),
        "the per-call override signed with v1"
    );
}

#[tokio::test]
async fn v3_retries_are_signed_afresh() {
    let emulator = Emulator::start().await.unwrap();
    emulator.inject(Injection::new(Fault::ServiceUnavailable).times(2));
    let client = v3_client(&emulator, owner());
    client
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id("123")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let sent = emulator.requests();
    assert_eq!(sent.len(), 3);
    let nonces: BTreeSet<_> = sent
        .iter()
        .map(|r| r.headers["x-acs-signature-nonce"].clone())
        .collect();
    assert_eq!(nonces.len(), 3);
}

#[tokio::test]
async fn parameters_can_travel_in_a_form_body_with_either_version() {
    let emulator = Emulator::start().await.unwrap();
    let client = v3_client(&emulator, owner());
    let raw = aliyun::RawRequest::new("linkwan", "2019-03-01", "GetOwnedJoinPermission")
        .param("JoinPermissionId", accounts::JOIN_PERMISSION_ID)
        .param_location(aliyun::ParamLocation::Body);
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let body = client
            .with_signature_version(version)
            .call(&raw)
            .await
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert_eq!(body["Data"]["JoinPermissionId"], 123, "{version:?}");
    }
    for request in emulator.requests() {
        assert!(request.headers["content-type"].starts_with("application/x-www-form-urlencoded"));
        assert_eq!(
            request.params["JoinPermissionId"],
            accounts::JOIN_PERMISSION_ID
        );
    }
}
