//! Each credentials provider on its own: success and failure, over loopback HTTP against the
//! emulator's STS and metadata service, and over files in temporary directories.

mod credentials_support;

use std::time::Duration;

use alibaba_openapi::credentials::{
    vars, CliProfileProvider, Credentials, CredentialsFileProvider, CredentialsUriProvider,
    EcsRamRoleProvider, Env, EnvironmentProvider, OidcRoleArnProvider, ProvideCredentials,
    RamRoleArnProvider,
};
use alibaba_openapi::emulator::{accounts, Fault, Injection, MetadataMode};
use credentials_support::*;
use serde_json::json;

fn owner() -> Credentials {
    Credentials::new(
        accounts::OWNER.access_key_id,
        accounts::OWNER.access_key_secret,
    )
}

fn no_vars() -> Env {
    Env::from_vars(Vec::<(String, String)>::new())
}

#[tokio::test]
async fn environment_gives_the_key_and_token_and_names_a_missing_secret() {
    let env = Env::from_vars([
        (vars::ACCESS_KEY_ID, "LTAI5tEnv"),
        (vars::ACCESS_KEY_SECRET, "env-secret"),
        (vars::SECURITY_TOKEN, "env-token"),
    ]);
    let creds = EnvironmentProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "LTAI5tEnv");
    assert_eq!(creds.security_token(), Some("env-token"));
    assert_eq!(creds.expiration(), None);

    let env = Env::from_vars([(vars::ACCESS_KEY_ID, "LTAI5tEnv")]);
    let err = EnvironmentProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains(vars::ACCESS_KEY_SECRET), "{err}");
    assert!(!err.is_not_configured());
}

#[tokio::test]
async fn assume_role_is_signed_with_the_source_key_and_sends_its_parameters() {
    let emulator = emulator().await;
    let provider = RamRoleArnProvider::builder(owner(), accounts::ROLE_ARN)
        .role_session_name("provider-test")
        .policy(r#"{"Version":"1","Statement":[]}"#)
        .external_id("abc123")
        .sts_endpoint(emulator.url())
        .env(no_vars())
        .build()
        .unwrap();
    let creds = provider.provide_credentials().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS."), "{creds:?}");
    assert!(creds.security_token().unwrap().starts_with("CAIS"));
    let left = creds.expiration().unwrap() - chrono::Utc::now();
    assert!((3590..=3600).contains(&left.num_seconds()), "{left}");

    let calls = requests_of(&emulator, "AssumeRole");
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(
        (call.status, call.http_method.as_str()),
        (Some(200), "POST")
    );
    assert_eq!(call.params["AccessKeyId"], accounts::OWNER.access_key_id);
    assert_eq!(call.params["RoleArn"], accounts::ROLE_ARN);
    assert_eq!(call.params["RoleSessionName"], "provider-test");
    assert_eq!(call.params["DurationSeconds"], "3600");
    assert_eq!(call.params["ExternalId"], "abc123");
    assert_eq!(call.params["Version"], "2015-04-01");

    // Cached: a second call does not go to STS.
    assert_eq!(provider.provide_credentials().await.unwrap(), creds);
    assert_eq!(requests_of(&emulator, "AssumeRole").len(), 1);
}

#[tokio::test]
async fn assume_role_failures_carry_the_sts_code_and_no_secret() {
    let emulator = emulator().await;
    let unknown_role = "acs:ram::1234567890123456:role/nobody";
    let err = RamRoleArnProvider::builder(owner(), unknown_role)
        .sts_endpoint(emulator.url())
        .env(no_vars())
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("EntityNotExist.Role"), "{err}");
    assert!(err.message().contains(unknown_role), "{err}");

    let wrong_secret = Credentials::new(accounts::OWNER.access_key_id, "not-the-owner-secret");
    let err = RamRoleArnProvider::builder(wrong_secret, accounts::ROLE_ARN)
        .sts_endpoint(emulator.url())
        .env(no_vars())
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("SignatureDoesNotMatch"), "{err}");
    assert!(!err.message().contains("not-the-owner-secret"), "{err}");
}

#[tokio::test]
async fn oidc_role_reads_the_token_file_at_every_refresh() {
    let emulator = emulator().await;
    let home = Home::new();
    let token_file = home.write("token", &oidc_token("first"));
    let env = home.env(&[
        (vars::ROLE_ARN, accounts::ROLE_ARN),
        (vars::OIDC_PROVIDER_ARN, accounts::OIDC_PROVIDER_ARN),
        (vars::OIDC_TOKEN_FILE, token_file.to_str().unwrap()),
        (vars::ROLE_SESSION_NAME, "oidc-test"),
    ]);
    let provider = OidcRoleArnProvider::builder()
        .env(env)
        .sts_endpoint(emulator.url())
        .build()
        .unwrap();
    // Credentials that live a second at most: the next call refreshes.
    emulator.set_issued_credentials_ttl(Some(chrono::Duration::seconds(1)));
    let first = provider.provide_credentials().await.unwrap();
    std::fs::write(&token_file, oidc_token("second")).unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let second = provider.provide_credentials().await.unwrap();
    assert_ne!(first.access_key_id(), second.access_key_id());

    let calls = requests_of(&emulator, "AssumeRoleWithOIDC");
    assert_eq!(calls.len(), 2);
    assert!(
        !calls[0].params.contains_key("Signature"),
        "AssumeRoleWithOIDC is unsigned"
    );
    assert_eq!(calls[0].params["OIDCToken"], oidc_token("first"));
    assert_eq!(calls[1].params["OIDCToken"], oidc_token("second"));
    assert_eq!(calls[1].params["RoleSessionName"], "oidc-test");
}

#[tokio::test]
async fn oidc_role_failures_name_the_provider_or_the_file() {
    let emulator = emulator().await;
    let home = Home::new();
    let token_file = home.write("token", accounts::OIDC_TOKEN);
    let err = OidcRoleArnProvider::builder()
        .role_arn(accounts::ROLE_ARN)
        .oidc_provider_arn("acs:ram::1234567890123456:oidc-provider/unknown")
        .oidc_token_file(&token_file)
        .sts_endpoint(emulator.url())
        .env(no_vars())
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.message().contains("EntityNotExist.OIDCProvider"),
        "{err}"
    );

    let missing = home.path().join("no-such-token");
    let err = OidcRoleArnProvider::builder()
        .role_arn(accounts::ROLE_ARN)
        .oidc_provider_arn(accounts::OIDC_PROVIDER_ARN)
        .oidc_token_file(&missing)
        .sts_endpoint(emulator.url())
        .env(no_vars())
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("no-such-token"), "{err}");
    assert!(requests_of(&emulator, "AssumeRoleWithOIDC").len() == 1);

    let err = OidcRoleArnProvider::builder()
        .role_arn(accounts::ROLE_ARN)
        .env(no_vars())
        .build()
        .unwrap_err();
    assert!(err.message().contains(vars::OIDC_PROVIDER_ARN), "{err}");
    assert!(err.message().contains(vars::OIDC_TOKEN_FILE), "{err}");
}

#[tokio::test]
async fn ecs_role_uses_a_session_token_and_asks_the_role_name() {
    let emulator = emulator().await;
    emulator.set_metadata_mode(MetadataMode::TokenRequired);
    let provider = EcsRamRoleProvider::builder()
        .metadata_endpoint(emulator.metadata_url())
        .env(no_vars())
        .build()
        .unwrap();
    let creds = provider.provide_credentials().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS."));
    assert!(creds.expiration().is_some());

    let calls = requests_of(&emulator, "EcsMetadata");
    let summary: Vec<(&str, &str)> = calls
        .iter()
        .map(|r| (r.http_method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/ram/security-credentials/"),
            (
                "GET",
                "/latest/meta-data/ram/security-credentials/EmulatorEcsRole"
            ),
        ]
    );
    assert_eq!(
        calls[0].headers["x-aliyun-ecs-metadata-token-ttl-seconds"],
        "21600"
    );
    let token = &calls[1].headers["x-aliyun-ecs-metadata-token"];
    assert_eq!(&calls[2].headers["x-aliyun-ecs-metadata-token"], token);
}

#[tokio::test]
async fn ecs_role_name_from_the_environment_skips_the_role_list() {
    let emulator = emulator().await;
    let env = Env::from_vars([(vars::ECS_METADATA, accounts::ECS_ROLE_NAME)]);
    let provider = EcsRamRoleProvider::builder()
        .metadata_endpoint(emulator.metadata_url())
        .env(env)
        .build()
        .unwrap();
    provider.provide_credentials().await.unwrap();
    let paths: Vec<String> = requests_of(&emulator, "EcsMetadata")
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert_eq!(
        paths,
        [
            "/latest/api/token",
            "/latest/meta-data/ram/security-credentials/EmulatorEcsRole"
        ]
    );

    let env = Env::from_vars([(vars::ECS_METADATA, "SomeOtherRole")]);
    let err = EcsRamRoleProvider::builder()
        .metadata_endpoint(emulator.metadata_url())
        .env(env)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.message().contains("SomeOtherRole") && err.message().contains("404"),
        "{err}"
    );
}

#[tokio::test]
async fn ecs_falls_back_to_imdsv1_unless_disabled() {
    let emulator = emulator().await;
    emulator.set_metadata_mode(MetadataMode::TokenUnsupported);
    let provider = EcsRamRoleProvider::builder()
        .metadata_endpoint(emulator.metadata_url())
        .env(no_vars())
        .build()
        .unwrap();
    provider.provide_credentials().await.unwrap();
    let calls = requests_of(&emulator, "EcsMetadata");
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0].status, Some(404));
    assert!(calls[1..]
        .iter()
        .all(|r| !r.headers.contains_key("x-aliyun-ecs-metadata-token")));

    emulator.clear_requests();
    let env = Env::from_vars([(vars::IMDSV1_DISABLED, "true")]);
    let err = EcsRamRoleProvider::builder()
        .metadata_endpoint(emulator.metadata_url())
        .env(env)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains(vars::IMDSV1_DISABLED), "{err}");
    assert_eq!(
        requests_of(&emulator, "EcsMetadata").len(),
        1,
        "only the token request"
    );
}

#[tokio::test]
async fn ecs_is_disabled_by_its_variable_and_reports_an_unreachable_service() {
    let env = Env::from_vars([(vars::ECS_METADATA_DISABLED, "true")]);
    let err = EcsRamRoleProvider::builder().env(env).build().unwrap_err();
    assert!(err.is_not_configured());
    assert!(err.message().contains(vars::ECS_METADATA_DISABLED), "{err}");

    let err = EcsRamRoleProvider::builder()
        .metadata_endpoint(closed_url())
        .env(no_vars())
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("could not be reached"), "{err}");
}

#[tokio::test]
async fn credentials_uri_answers_credentials_and_reports_failures() {
    let emulator = emulator().await;
    let env = Env::from_vars([(vars::CREDENTIALS_URI, emulator.credentials_uri())]);
    let provider = CredentialsUriProvider::from_env(&env).unwrap();
    let creds = provider.provide_credentials().await.unwrap();
    assert!(creds.access_key_id().starts_with("STS."));
    assert_eq!(requests_of(&emulator, "CredentialsUri").len(), 1);

    emulator.inject(Injection::new(Fault::ServiceUnavailable).for_action("CredentialsUri"));
    let err = CredentialsUriProvider::new(emulator.credentials_uri())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("503"), "{err}");

    let err = CredentialsUriProvider::from_env(&no_vars()).unwrap_err();
    assert!(err.is_not_configured() && err.message().contains(vars::CREDENTIALS_URI));
}

#[tokio::test]
async fn cli_profile_modes_ak_and_sts_token_and_the_profile_choice() {
    let home = Home::new();
    home.cli_config(json!({
        "current": "main",
        "profiles": [
            {"name": "main", "mode": "AK", "access_key_id": "LTAI5tMain", "access_key_secret": "s1"},
            {"name": "temp", "mode": "StsToken", "access_key_id": "STS.temp", "access_key_secret": "s2", "sts_token": "tok"},
        ]
    }));
    let current = CliProfileProvider::with_env(home.env(&[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(current.access_key_id(), "LTAI5tMain");
    let chosen = CliProfileProvider::with_env(home.env(&[(vars::PROFILE, "temp")]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (chosen.access_key_id(), chosen.security_token()),
        ("STS.temp", Some("tok"))
    );
}

#[tokio::test]
async fn cli_profile_role_modes_go_through_sts_and_the_metadata_service() {
    let emulator = emulator().await;
    let home = Home::new();
    let token_file = home.write("oidc-token", accounts::OIDC_TOKEN);
    home.cli_config(json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": accounts::OWNER.access_key_id,
             "access_key_secret": accounts::OWNER.access_key_secret},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": accounts::RENTER.access_key_id,
             "access_key_secret": accounts::RENTER.access_key_secret, "ram_role_arn": accounts::ROLE_ARN,
             "ram_session_name": "cli-role", "expired_seconds": 900},
            {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role",
             "ram_role_arn": accounts::ROLE_ARN, "ram_session_name": "cli-chained"},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": accounts::ECS_ROLE_NAME},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": accounts::ROLE_ARN,
             "oidc_provider_arn": accounts::OIDC_PROVIDER_ARN,
             "oidc_token_file": token_file.to_str().unwrap()},
        ]
    }));
    let provide = |profile: &'static str| {
        let provider = CliProfileProvider::with_env(home.env(&[]))
            .profile(profile)
            .sts_endpoint(emulator.url())
            .metadata_endpoint(emulator.metadata_url());
        async move { provider.provide_credentials().await }
    };

    let role = provide("role").await.unwrap();
    assert!(role.access_key_id().starts_with("STS."));
    let assume = requests_of(&emulator, "AssumeRole");
    assert_eq!(
        assume[0].params["AccessKeyId"],
        accounts::RENTER.access_key_id
    );
    assert_eq!(assume[0].params["DurationSeconds"], "900");

    emulator.clear_requests();
    let chained = provide("chained").await.unwrap();
    let assume = requests_of(&emulator, "AssumeRole");
    assert_eq!(
        assume.len(),
        2,
        "the source role first, then the chained one"
    );
    assert_eq!(assume[0].params["RoleSessionName"], "cli-role");
    assert_eq!(assume[1].params["RoleSessionName"], "cli-chained");
    assert!(assume[1].params["AccessKeyId"].starts_with("STS."));
    assert!(
        assume[1].params.contains_key("SecurityToken"),
        "signed with the source role's token"
    );
    assert!(chained.access_key_id().starts_with("STS."));

    assert!(provide("ecs")
        .await
        .unwrap()
        .access_key_id()
        .starts_with("STS."));
    assert_eq!(
        requests_of(&emulator, "EcsMetadata").len(),
        2,
        "token, then the named role"
    );
    assert!(provide("oidc")
        .await
        .unwrap()
        .access_key_id()
        .starts_with("STS."));
    assert_eq!(requests_of(&emulator, "AssumeRoleWithOIDC").len(), 1);
}

#[tokio::test]
async fn cli_profile_errors_name_the_file_the_profile_and_the_field() {
    let home = Home::new();
    let path = home.cli_config(json!({
        "current": "broken",
        "profiles": [
            {"name": "broken", "mode": "RamRoleArn", "access_key_id": "id", "access_key_secret": "s"},
            {"name": "odd", "mode": "CloudSSO"},
            {"name": "typed", "mode": "RamRoleArn", "access_key_id": "id", "access_key_secret": "s",
             "ram_role_arn": accounts::ROLE_ARN, "expired_seconds": "soon"},
            {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "x"},
        ]
    }));
    let file = path.display().to_string();
    let err_of = |profile: &'static str| {
        let provider = CliProfileProvider::with_env(home.env(&[])).profile(profile);
        async move {
            provider
                .provide_credentials()
                .await
                .unwrap_err()
                .to_string()
        }
    };
    let err = err_of("broken").await;
    assert!(
        err.contains(&file) && err.contains("\"broken\"") && err.contains("ram_role_arn"),
        "{err}"
    );
    let err = err_of("odd").await;
    assert!(
        err.contains("CloudSSO") && err.contains("not supported"),
        "{err}"
    );
    let err = err_of("typed").await;
    assert!(
        err.contains("\"typed\"") && err.contains("expired_seconds"),
        "{err}"
    );
    let err = err_of("loop").await;
    assert!(err.contains("loop"), "{err}");
    let err = err_of("absent").await;
    assert!(err.contains("no profile named \"absent\""), "{err}");

    home.write(".aliyun/config.json", "{\"profiles\": [");
    let err = err_of("broken").await;
    assert!(
        err.contains(&file) && err.contains("not valid JSON"),
        "{err}"
    );
}

#[tokio::test]
async fn cli_profile_is_skipped_when_disabled_or_absent_and_fails_when_named_but_missing() {
    let home = Home::new();
    home.cli_config(json!({"current": "a", "profiles": [
        {"name": "a", "mode": "AK", "access_key_id": "id", "access_key_secret": "s"}]}));
    let env = home.env(&[(vars::CLI_PROFILE_DISABLED, "TRUE")]);
    let err = CliProfileProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured() && err.message().contains(vars::CLI_PROFILE_DISABLED));

    let empty = Home::new();
    let err = CliProfileProvider::with_env(empty.env(&[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_configured(), "{err}");

    let named = empty.path().join("elsewhere.json");
    let env = empty.env(&[(vars::CONFIG_FILE, named.to_str().unwrap())]);
    let err = CliProfileProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        !err.is_not_configured() && err.message().contains("elsewhere.json"),
        "{err}"
    );
}

#[tokio::test]
async fn credentials_file_types_and_sections() {
    let emulator = emulator().await;
    let home = Home::new();
    home.credentials_file(&format!(
        "[default]\ntype = access_key\naccess_key_id = LTAI5tIni\naccess_key_secret = ini-secret\n\n\
         [instance]\ntype = ecs_ram_role\nrole_name = {}\n\n\
         [deploy]\ntype = ram_role_arn\naccess_key_id = {}\naccess_key_secret = {}\nrole_arn = {}\nrole_session_name = ini-role\n",
        accounts::ECS_ROLE_NAME,
        accounts::OWNER.access_key_id,
        accounts::OWNER.access_key_secret,
        accounts::ROLE_ARN,
    ));
    let provide = |vars: &[(&str, &str)]| {
        let provider = CredentialsFileProvider::with_env(home.env(vars))
            .sts_endpoint(emulator.url())
            .metadata_endpoint(emulator.metadata_url());
        async move { provider.provide_credentials().await }
    };
    let default = provide(&[]).await.unwrap();
    assert_eq!(
        (default.access_key_id(), default.access_key_secret()),
        ("LTAI5tIni", "ini-secret")
    );
    let instance = provide(&[(vars::PROFILE, "instance")]).await.unwrap();
    assert!(instance.access_key_id().starts_with("STS."));
    assert_eq!(requests_of(&emulator, "EcsMetadata").len(), 2);
    let deploy = provide(&[(vars::PROFILE, "deploy")]).await.unwrap();
    assert!(deploy.security_token().is_some());
    assert_eq!(
        requests_of(&emulator, "AssumeRole")[0].params["RoleSessionName"],
        "ini-role"
    );
}

#[tokio::test]
async fn credentials_file_errors_name_the_file_the_section_and_the_field() {
    let home = Home::new();
    let path = home.credentials_file(
        "[default]\ntype = ram_role_arn\naccess_key_id = id\naccess_key_secret = s\n\n[weird]\ntype = bearer\n",
    );
    let file = path.display().to_string();
    let err_of = |vars: &[(&str, &str)]| {
        let provider = CredentialsFileProvider::with_env(home.env(vars));
        async move {
            provider
                .provide_credentials()
                .await
                .unwrap_err()
                .to_string()
        }
    };
    let err = err_of(&[]).await;
    assert!(
        err.contains(&file) && err.contains("[default]") && err.contains("role_arn"),
        "{err}"
    );
    let err = err_of(&[(vars::PROFILE, "weird")]).await;
    assert!(
        err.contains("bearer") && err.contains("not supported"),
        "{err}"
    );
    let err = err_of(&[(vars::PROFILE, "nope")]).await;
    assert!(err.contains(&file) && err.contains("[nope]"), "{err}");

    let other = home.write(
        "elsewhere.ini",
        "[default]\ntype = access_key\naccess_key_id = elsewhere\naccess_key_secret = s\n",
    );
    let env = home.env(&[(vars::CREDENTIALS_FILE, other.to_str().unwrap())]);
    let creds = CredentialsFileProvider::with_env(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "elsewhere");
}
