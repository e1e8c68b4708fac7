//! The default chain: its order, the provider it remembers, the one error that explains every
//! skipped or failed provider, caching and refresh of temporary credentials, and a call through
//! `aliyun::Client` with credentials from STS.

mod credentials_support;

use std::sync::Arc;

use alibaba_openapi::aliyun::{self, linkwan};
use alibaba_openapi::credentials::{vars, DefaultChain, ProvideCredentials};
use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection};
use credentials_support::*;
use serde_json::json;

/// A chain over `home` and `vars`, with STS and the metadata service on the emulator.
fn chain(emulator: &Emulator, home: &Home, vars: &[(&str, &str)]) -> DefaultChain {
    DefaultChain::builder()
        .env(home.env(vars))
        .sts_endpoint(emulator.url())
        .metadata_endpoint(emulator.metadata_url())
        .build()
}

fn ak_profile(id: &str) -> serde_json::Value {
    json!({"current": "p", "profiles": [
        {"name": "p", "mode": "AK", "access_key_id": id, "access_key_secret": "cli-secret"}]})
}

fn ini_ram_role() -> String {
    format!(
        "[default]\ntype = ram_role_arn\naccess_key_id = {}\naccess_key_secret = {}\nrole_arn = {}\n",
        accounts::OWNER.access_key_id,
        accounts::OWNER.access_key_secret,
        accounts::ROLE_ARN
    )
}

#[tokio::test]
async fn providers_are_tried_in_the_official_order() {
    let emulator = emulator().await;
    let home = Home::new();
    let token_file = home.write("token", accounts::OIDC_TOKEN);
    home.cli_config(ak_profile("from-cli"));
    home.credentials_file(
        "[default]\ntype = access_key\naccess_key_id = from-ini\naccess_key_secret = s\n",
    );
    let uri = emulator.credentials_uri();
    let env_vars = [
        (vars::ACCESS_KEY_ID, "from-env"),
        (vars::ACCESS_KEY_SECRET, "s"),
    ];
    let oidc_vars = [
        (vars::ROLE_ARN, accounts::ROLE_ARN),
        (vars::OIDC_PROVIDER_ARN, accounts::OIDC_PROVIDER_ARN),
        (vars::OIDC_TOKEN_FILE, token_file.to_str().unwrap()),
    ];
    let mut all: Vec<(&str, &str)> = env_vars.to_vec();
    all.extend(oidc_vars);
    all.push((vars::CREDENTIALS_URI, &uri));

    let resolve = |vars: Vec<(&str, &str)>| {
        let chain = chain(&emulator, &home, &vars);
        async move {
            let creds = chain.provide_credentials().await.unwrap();
            (chain.chosen_provider().unwrap(), creds)
        }
    };
    let (chosen, creds) = resolve(all.clone()).await;
    assert_eq!((chosen, creds.access_key_id()), ("environment", "from-env"));

    let without_env: Vec<_> = all[2..].to_vec();
    let (chosen, _) = resolve(without_env.clone()).await;
    assert_eq!(chosen, "OIDC role");

    let only_uri = vec![(vars::CREDENTIALS_URI, uri.as_str())];
    let (chosen, creds) = resolve(only_uri.clone()).await;
    assert_eq!((chosen, creds.access_key_id()), ("CLI profile", "from-cli"));

    std::fs::remove_file(home.path().join(".aliyun/config.json")).unwrap();
    let (chosen, creds) = resolve(only_uri.clone()).await;
    assert_eq!(
        (chosen, creds.access_key_id()),
        ("credentials file", "from-ini")
    );

    std::fs::remove_file(home.path().join(".alibabacloud/credentials")).unwrap();
    let (chosen, _) = resolve(only_uri.clone()).await;
    assert_eq!(chosen, "ECS instance RAM role");

    let mut no_ecs = only_uri.clone();
    no_ecs.push((vars::ECS_METADATA_DISABLED, "true"));
    let (chosen, _) = resolve(no_ecs).await;
    assert_eq!(chosen, "credentials URI");
}

#[tokio::test]
async fn the_chain_remembers_the_provider_that_worked() {
    let emulator = emulator().await;
    let home = Home::new();
    let chain = chain(&emulator, &home, &[]);
    let first = chain.provide_credentials().await.unwrap();
    assert_eq!(chain.chosen_provider(), Some("ECS instance RAM role"));
    assert_eq!(requests_of(&emulator, "EcsMetadata").len(), 3);

    // A CLI profile appearing later changes nothing: the ECS role is asked, and it is cached.
    home.cli_config(ak_profile("from-cli"));
    let second = chain.provide_credentials().await.unwrap();
    assert_eq!(second, first);
    let shown = format!("{chain:?}");
    assert!(shown.contains("ECS instance RAM role"), "{shown}");
    assert!(
        !shown.contains(first.access_key_secret())
            && !shown.contains(first.security_token().unwrap())
    );
    assert_eq!(requests_of(&emulator, "EcsMetadata").len(), 3);
}

#[tokio::test]
async fn nothing_found_explains_every_provider_in_one_message() {
    let home = Home::new();
    home.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = id\n",
    );
    let chain = DefaultChain::builder()
        .env(home.env(&[(vars::ROLE_ARN, "acs:ram::1:role/r")]))
        .metadata_endpoint(closed_url())
        .build();
    let err = chain.provide_credentials().await.unwrap_err();
    let message = err.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    for expected in [
        "(1) environment: skipped, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set",
        "(2) OIDC role: failed, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE not set",
        "(3) CLI profile: skipped,",
        ".aliyun/config.json does not exist",
        "(4) credentials file: failed,",
        "profile [default] (type access_key): field access_key_secret is missing or empty",
        "(5) ECS instance RAM role: failed,",
        "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip it",
        "(6) credentials URI: skipped, ALIBABA_CLOUD_CREDENTIALS_URI is not set",
        "Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ] {
        assert!(message.contains(expected), "missing {expected:?} in: {message}");
    }
    assert_eq!(chain.chosen_provider(), None);

    // Through the client, the same message is an `Error::Credentials`.
    let client = aliyun::Client::builder()
        .region("cn-shanghai")
        .credentials_provider(chain)
        .endpoint_url(closed_url())
        .build()
        .unwrap();
    let request = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id("123")
        .build()
        .unwrap();
    let err = client.send(&request).await.unwrap_err();
    assert!(
        matches!(err, alibaba_openapi::Error::Credentials { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("(6) credentials URI"), "{err}");
}

#[tokio::test]
async fn two_hundred_concurrent_calls_make_one_sts_call() {
    let emulator = emulator().await;
    let home = Home::new();
    home.credentials_file(&ini_ram_role());
    let chain = Arc::new(chain(
        &emulator,
        &home,
        &[(vars::ECS_METADATA_DISABLED, "true")],
    ));
    // Short-lived credentials: refreshed once half their lifetime (about 2.5 s) has passed.
    emulator.set_issued_credentials_ttl(Some(chrono::Duration::seconds(5)));

    let calls = (0..200).map(|_| {
        let chain = Arc::clone(&chain);
        tokio::spawn(async move { chain.provide_credentials().await.unwrap() })
    });
    let mut keys = std::collections::HashSet::new();
    for call in calls {
        keys.insert(call.await.unwrap().access_key_id().to_owned());
    }
    assert_eq!(keys.len(), 1, "every caller got the same credentials");
    assert_eq!(requests_of(&emulator, "AssumeRole").len(), 1);

    // Past half their lifetime, the next call refreshes.
    tokio::time::sleep(std::time::Duration::from_millis(2600)).await;
    let refreshed = chain.provide_credentials().await.unwrap();
    assert!(!keys.contains(refreshed.access_key_id()));
    assert_eq!(requests_of(&emulator, "AssumeRole").len(), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_still_valid_credentials_until_they_expire() {
    let emulator = emulator().await;
    let home = Home::new();
    home.credentials_file(&ini_ram_role());
    let chain = chain(&emulator, &home, &[(vars::ECS_METADATA_DISABLED, "true")]);
    // They live 5 to 6 s (whole seconds) and are refreshed after half of that.
    emulator.set_issued_credentials_ttl(Some(chrono::Duration::seconds(6)));
    let cached = chain.provide_credentials().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;

    emulator.inject(
        Injection::new(Fault::ServiceUnavailable)
            .times(2)
            .for_action("AssumeRole"),
    );
    let still = chain.provide_credentials().await.unwrap();
    assert_eq!(
        still, cached,
        "the refresh failed; the valid credentials are kept"
    );
    let calls = requests_of(&emulator, "AssumeRole");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].status, Some(503));

    // Once they have expired they are not kept: the failure is the answer.
    let left = cached.expiration().unwrap() - chrono::Utc::now();
    tokio::time::sleep(
        (left + chrono::Duration::milliseconds(100))
            .to_std()
            .unwrap_or_default(),
    )
    .await;
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(err.message().contains("ServiceUnavailable"), "{err}");
    assert_eq!(requests_of(&emulator, "AssumeRole").len(), 3);
}

#[tokio::test]
async fn a_client_on_the_chain_calls_with_assumed_role_credentials() {
    let emulator = emulator().await;
    let home = Home::new();
    home.cli_config(json!({"current": "deploy", "profiles": [
        {"name": "deploy", "mode": "RamRoleArn", "access_key_id": accounts::RENTER.access_key_id,
         "access_key_secret": accounts::RENTER.access_key_secret, "ram_role_arn": accounts::ROLE_ARN}]}));
    let client = aliyun::Client::builder()
        .region("cn-shanghai")
        .credentials_provider(chain(&emulator, &home, &[]))
        .endpoint_url(emulator.url())
        .build()
        .unwrap();
    let request = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()
        .unwrap();
    // The role acts as the owner, so the owner's join permission is readable.
    client.send(&request).await.unwrap();

    let calls = emulator.requests();
    let assume = calls.iter().find(|r| r.action == "AssumeRole").unwrap();
    assert_eq!(assume.params["AccessKeyId"], accounts::RENTER.access_key_id);
    let call = calls
        .iter()
        .find(|r| r.action == "GetOwnedJoinPermission")
        .unwrap();
    assert_eq!(call.status, Some(200));
    assert!(call.params["AccessKeyId"].starts_with("STS."));
    assert!(
        call.params["SecurityToken"].starts_with("CAIS"),
        "the STS token is sent as SecurityToken"
    );
}
