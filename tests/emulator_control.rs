//! The emulator's control surface, over HTTP and in Rust: the services' clock, faults aimed at
//! one action, reset to the seeded state, and reading what was sent (filters, business
//! parameters, no secrets); and the standalone binary's flags for them.

mod emulator_support;
mod standalone_support;

use std::time::Duration;

use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection, Protocol};
use alibaba_openapi::top::sign::SignMethod;
use emulator_support::*;
use serde_json::{json, Value};
use standalone_support::{emulator_binary, signed_linkwan, Standalone};

/// A control request to `/_emulator/<path>`, with a JSON body when given.
async fn control_at(url: &str, method: &str, path: &str, body: Option<Value>) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, format!("{url}/_emulator/{path}"));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    send(request).await
}

async fn control(emulator: &Emulator, method: &str, path: &str, body: Option<Value>) -> Reply {
    control_at(&emulator.url(), method, path, body).await
}

/// A control request with a raw body (to send what is not JSON).
async fn control_raw(emulator: &Emulator, method: &str, path: &str, body: &str) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let url = format!("{}/_emulator/{path}", emulator.url());
    send(
        reqwest::Client::new()
            .request(method, url)
            .body(body.to_owned()),
    )
    .await
}

async fn get_owned(emulator: &Emulator) -> Reply {
    linkwan(
        emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", accounts::JOIN_PERMISSION_ID)],
    )
    .await
}

async fn get_order(emulator: &Emulator, order_id: &str) -> Reply {
    linkwan(
        emulator,
        accounts::OWNER,
        "GetJoinPermissionAuthOrder",
        &[("OrderId", order_id)],
    )
    .await
}

/// Submits an order for the first join permission; its id.
async fn submit_order(emulator: &Emulator) -> String {
    let reply = submit(
        emulator,
        accounts::OWNER,
        accounts::JOIN_PERMISSION_ID,
        accounts::RENTER.aliyun_id,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["Data"].as_str().unwrap().to_owned()
}

fn millis(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("milliseconds: {value}"))
}

#[tokio::test]
async fn the_clock_route_moves_business_times_while_signed_requests_still_pass() {
    let emulator = Emulator::start().await.unwrap();
    let clock = control(&emulator, "GET", "clock", None).await;
    assert_eq!(clock.status, 200, "{}", clock.text);
    assert_eq!(clock.json["offset_seconds"], 0);
    assert_eq!(clock.json["clock_skew_seconds"], 0);
    assert!(clock.json["gateway_time"].as_str().unwrap().ends_with('Z'));

    let moved = control(
        &emulator,
        "POST",
        "clock",
        Some(json!({ "advance_seconds": 3 * 3600 })),
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.json["offset_seconds"], 3 * 3600);
    let ahead = millis(&moved.json["services_millis"]) - millis(&moved.json["gateway_millis"]);
    assert_eq!(ahead, 3 * 3600 * 1000);
    assert_eq!(emulator.time_offset(), chrono::Duration::hours(3));

    // Signed with the real time, the request passes the gateway; the order is dated by the
    // services' clock.
    let order_id = submit_order(&emulator).await;
    let order = get_order(&emulator, &order_id).await;
    assert_eq!(order.status, 200, "{}", order.text);
    let applying = millis(&order.json["Data"]["ApplyingMillis"]);
    let services = millis(&moved.json["services_millis"]);
    assert!(
        (applying - services).abs() < 5_000,
        "{applying} vs {services}"
    );
    assert!(applying - chrono::Utc::now().timestamp_millis() > 3 * 3600 * 1000 - 5_000);

    // Both fields: set, then move. Then back to the gateway's time.
    let both = control(
        &emulator,
        "POST",
        "clock",
        Some(json!({ "offset_seconds": 60, "advance_seconds": -30 })),
    )
    .await;
    assert_eq!(both.json["offset_seconds"], 30, "{}", both.text);
    let back = control(
        &emulator,
        "POST",
        "clock",
        Some(json!({ "offset_seconds": 0 })),
    )
    .await;
    assert_eq!(back.json["offset_seconds"], 0);
    assert_eq!(back.json["gateway_millis"], back.json["services_millis"]);

    // Accepting the order now dates it by the services' clock, back at the real time.
    assert!(emulator.accept_order(order_id.parse().unwrap()));
    let accepted = get_order(&emulator, &order_id).await;
    let accepted_at = millis(&accepted.json["Data"]["AcceptedMillis"]);
    assert!((accepted_at - chrono::Utc::now().timestamp_millis()).abs() < 5_000);
}

#[tokio::test]
async fn the_clock_route_refuses_what_it_cannot_do_and_changes_nothing() {
    let emulator = Emulator::start().await.unwrap();
    emulator.set_time_offset(chrono::Duration::minutes(5));
    for body in [
        json!({}),
        json!([]),
        json!({ "advance_seconds": 1.5 }),
        json!({ "advance_seconds": "60" }),
        json!({ "advance": 60 }),
        json!({ "offset_seconds": i64::MAX }),
        json!({ "offset_seconds": 9_000_000_000_000_i64 }),
    ] {
        let reply = control(&emulator, "POST", "clock", Some(body.clone())).await;
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert!(reply.json["error"].is_string(), "{}", reply.text);
    }
    let garbage = control_raw(&emulator, "POST", "clock", "advance=60").await;
    assert_eq!(garbage.status, 400);
    assert_eq!(emulator.time_offset(), chrono::Duration::minutes(5));
    let wrong = control(&emulator, "DELETE", "clock", None).await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.headers["allow"], "GET, POST");

    // The Rust API: set, advance, read.
    emulator.set_time_offset(chrono::Duration::days(-1));
    emulator.advance_time(chrono::Duration::hours(1));
    assert_eq!(emulator.time_offset(), chrono::Duration::hours(-23));
    let clock = control(&emulator, "GET", "clock", None).await;
    assert_eq!(clock.json["offset_seconds"], -23 * 3600);
    emulator.set_time_offset(chrono::Duration::MAX);
    assert_eq!(
        emulator.time_offset(),
        chrono::Duration::hours(-23),
        "out of range: ignored"
    );
}

#[tokio::test]
async fn a_fault_posted_for_one_action_hits_only_that_action() {
    let emulator = Emulator::start().await.unwrap();
    let posted = control(
        &emulator,
        "POST",
        "faults",
        Some(json!({
            "kind": "throttling",
            "retry_after_ms": 1500,
            "times": 2,
            "action": "GetOwnedJoinPermission",
        })),
    )
    .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    assert_eq!(posted.json["queued"], 1);
    assert_eq!(
        emulator.faults(),
        [
            Injection::new(Fault::throttling(Some(Duration::from_millis(1500))))
                .times(2)
                .for_action("GetOwnedJoinPermission")
        ]
    );

    // Other actions, of both products and TOP, are served.
    let order_id = submit_order(&emulator).await;
    assert_eq!(get_order(&emulator, &order_id).await.status, 200);
    let letter = create_letter(&emulator, accounts::OWNER, letter("FaultLetter", &[])).await;
    assert_eq!(letter.json["Code"], "OK", "{}", letter.text);
    let top = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", CONTEXT), ("param", &apply_param("b1", "e1"))],
    )
    .await;
    assert_eq!(top.top_code(), 0, "{}", top.text);

    let first = get_owned(&emulator).await;
    assert_eq!((first.status, first.code()), (400, "Throttling.User"));
    assert_eq!(first.headers["x-acs-retry-after"], "1500");
    let listed = control(&emulator, "GET", "faults", None).await;
    assert_eq!(listed.json["max_faults"], 1000);
    let faults = listed.json["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0]["times"], 1, "one use left: {}", listed.text);
    assert_eq!(faults[0]["action"], "GetOwnedJoinPermission");
    assert!(faults[0]["about"]
        .as_str()
        .unwrap()
        .contains("Throttling.User"));
    assert_eq!(get_owned(&emulator).await.code(), "Throttling.User");
    assert_eq!(get_owned(&emulator).await.status, 200, "used up");
    assert!(emulator.faults().is_empty());

    let injected = control(&emulator, "GET", "requests?injected=true", None).await;
    let injected = injected.json["requests"].as_array().unwrap();
    assert_eq!(injected.len(), 2);
    assert!(injected
        .iter()
        .all(|r| r["action"] == "GetOwnedJoinPermission"));
}

#[tokio::test]
async fn faults_are_listed_as_they_are_posted_cleared_and_capped() {
    let emulator = Emulator::start().await.unwrap();
    let entries = json!([
        { "kind": "unavailable", "times": "*", "action": "SendSms" },
        { "kind": "delay", "delay_ms": 5 },
        { "kind": "business", "code": "isv.BUSINESS_LIMIT_CONTROL", "action": "SendSms" },
        { "kind": "top-isp", "sub_code": "isp.remote-service-timeout" },
    ]);
    let posted = control(&emulator, "POST", "faults", Some(entries.clone())).await;
    assert_eq!(posted.json["queued"], 4, "{}", posted.text);
    let listed = control(&emulator, "GET", "faults", None).await;
    let faults = listed.json["faults"].as_array().unwrap().clone();
    assert_eq!(faults.len(), 4);
    assert_eq!(faults[0]["times"], "*");
    assert_eq!(faults[1]["delay_ms"], 5);
    assert_eq!(faults[3]["kind"], "top-error", "{}", listed.text);
    assert_eq!(emulator.faults()[2].fault, Fault::business_limit_control());

    // What GET lists posts back to the same queue.
    let cleared = control(&emulator, "DELETE", "faults", None).await;
    assert_eq!(cleared.json["cleared"], 4);
    assert!(emulator.faults().is_empty());
    let again = control(&emulator, "POST", "faults", Some(Value::Array(faults))).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(emulator.faults().len(), 4);
    emulator.clear_faults();

    // One bad entry queues none; the message names it.
    let bad = control(
        &emulator,
        "POST",
        "faults",
        Some(json!([{ "kind": "drop" }, { "kind": "teapot" }])),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.json["error"].as_str().unwrap().starts_with("fault 1:"),
        "{}",
        bad.text
    );
    for body in [
        json!({ "kind": "drop", "times": 0 }),
        json!({ "kind": "drop", "colour": "red" }),
        json!({ "times": 1 }),
    ] {
        let reply = control(&emulator, "POST", "faults", Some(body.clone())).await;
        assert_eq!(reply.status, 400, "{body}");
    }
    assert!(emulator.faults().is_empty());

    // The queue keeps the newest 1,000.
    for i in 0..1_005 {
        emulator.inject(Injection::new(Fault::DropConnection).for_action(format!("A{i}")));
    }
    let faults = emulator.faults();
    assert_eq!(faults.len(), 1_000);
    assert_eq!(faults[0].action.as_deref(), Some("A5"));
    let listed = control(&emulator, "GET", "faults", None).await;
    assert_eq!(listed.json["faults"].as_array().unwrap().len(), 1_000);
}

#[tokio::test]
async fn reset_restores_the_seeded_state_over_http_and_in_rust() {
    let emulator = Emulator::builder()
        .time_offset(chrono::Duration::hours(1))
        .inject(Injection::new(Fault::ServiceUnavailable).for_action("NoSuchAction"))
        .start()
        .await
        .unwrap();
    assert_eq!(emulator.time_offset(), chrono::Duration::hours(1));

    // State in every product, a recording, faults, credentials, a moved clock.
    let order_id = submit_order(&emulator).await;
    let created = create_letter(&emulator, accounts::OWNER, letter("ResetLetter", &[])).await;
    assert_eq!(created.json["Code"], "OK", "{}", created.text);
    let repeated = create_letter(&emulator, accounts::OWNER, letter("ResetLetter", &[])).await;
    assert_eq!(repeated.code(), "AuthorizationLetterNameRepeat");
    let applied = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", CONTEXT), ("param", &apply_param("b1", "e1"))],
    )
    .await;
    assert_eq!(applied.top_code(), 0, "{}", applied.text);
    let sts = emulator.issue_sts_credentials(accounts::OWNER, chrono::Duration::hours(1));
    emulator.advance_time(chrono::Duration::days(2));
    emulator.set_issued_credentials_ttl(Some(chrono::Duration::seconds(5)));
    let replayed = with(
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
        &[("JoinPermissionId", accounts::JOIN_PERMISSION_ID)],
    );
    emulator.clear_faults();
    let before = post_signed(
        &emulator,
        accounts::OWNER.access_key_secret,
        replayed.clone(),
    )
    .await;
    assert_eq!(before.status, 200);
    emulator.inject(Fault::ServiceUnavailable);

    let reset = control(&emulator, "POST", "reset", None).await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    assert_eq!(reset.json["reset"], true);
    assert_eq!(
        reset.json["clock"]["offset_seconds"], 3600,
        "the offset it was built with"
    );
    assert!(emulator.requests().is_empty());
    assert!(
        emulator.faults().is_empty(),
        "built-in faults are not queued again"
    );
    assert_eq!(emulator.time_offset(), chrono::Duration::hours(1));

    assert_eq!(get_order(&emulator, &order_id).await.code(), "NonExistent");
    let owned = get_owned(&emulator).await;
    assert_eq!(owned.json["Data"]["AuthState"], "NEW", "{}", owned.text);
    let created = create_letter(&emulator, accounts::OWNER, letter("ResetLetter", &[])).await;
    assert_eq!(
        created.json["Code"], "OK",
        "the name is free again: {}",
        created.text
    );
    let applied = top_call(
        &emulator,
        SignMethod::Md5,
        &[],
        &[("context", CONTEXT), ("param", &apply_param("b1", "e1"))],
    )
    .await;
    assert_eq!(
        applied.json["alibaba_databank_open_auth_apply_response"]["result"]["errcode"], 0,
        "a new application: {}",
        applied.text
    );
    let forgotten = post_signed(
        &emulator,
        &sts.access_key_secret,
        with(
            common_for(&sts.access_key_id, "GetOwnedJoinPermission", "2019-03-01"),
            &[
                ("JoinPermissionId", accounts::JOIN_PERMISSION_ID),
                ("SecurityToken", &sts.security_token),
            ],
        ),
    )
    .await;
    assert_eq!(forgotten.code(), "InvalidAccessKeyId.NotFound");
    let seeded = post_signed(
        &emulator,
        accounts::STS.access_key_secret,
        with(
            common_for(
                accounts::STS.access_key_id,
                "GetOwnedJoinPermission",
                "2019-03-01",
            ),
            &[
                ("JoinPermissionId", accounts::JOIN_PERMISSION_ID),
                ("SecurityToken", accounts::STS.security_token),
            ],
        ),
    )
    .await;
    assert_eq!(
        seeded.status, 200,
        "the seeded STS key stays: {}",
        seeded.text
    );
    let issued = send(reqwest::Client::new().get(emulator.credentials_uri())).await;
    let expiration = issued.json["Expiration"].as_str().unwrap();
    let expiration = chrono::DateTime::parse_from_rfc3339(expiration).unwrap();
    assert!(
        expiration.to_utc() - emulator.now() > chrono::Duration::minutes(59),
        "the credential lifetime override is gone: {}",
        issued.text
    );
    let replay = post_signed(&emulator, accounts::OWNER.access_key_secret, replayed).await;
    assert_eq!(
        replay.code(),
        "SignatureNonceUsed",
        "spent nonces survive a reset"
    );

    // The Rust method does the same.
    emulator.advance_time(chrono::Duration::days(1));
    emulator.inject(Fault::DropConnection);
    emulator.reset();
    assert!(emulator.faults().is_empty() && emulator.requests().is_empty());
    assert_eq!(emulator.time_offset(), chrono::Duration::hours(1));
    assert_eq!(get_owned(&emulator).await.status, 200);
    let wrong = control(&emulator, "GET", "reset", None).await;
    assert_eq!(
        (wrong.status, wrong.headers["allow"].to_str().unwrap()),
        (405, "POST")
    );
}

#[tokio::test]
async fn recorded_requests_are_filtered_and_show_business_parameters_but_no_secret() {
    let emulator = Emulator::start().await.unwrap();
    assert_eq!(get_owned(&emulator).await.status, 200);
    let refused = linkwan(
        &emulator,
        accounts::OWNER,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", accounts::OTHER_JOIN_PERMISSION_ID)],
    )
    .await;
    assert_eq!(refused.code(), "NotResourceOwner");
    let letter_params = letter("RecordedLetter", &[]);
    let created = create_letter(&emulator, accounts::OWNER, letter_params.clone()).await;
    assert_eq!(created.json["Code"], "OK", "{}", created.text);
    let top = top_call(
        &emulator,
        SignMethod::Md5,
        &[("session", accounts::TOP_SESSION)],
        &[("context", CONTEXT), ("param", &apply_param("b9", "e9"))],
    )
    .await;
    assert_eq!(top.top_code(), 0, "{}", top.text);
    let forged = post_signed(
        &emulator,
        "not-the-secret",
        common(accounts::OWNER, "GetOwnedJoinPermission", "2019-03-01"),
    )
    .await;
    assert_eq!(forged.code(), "SignatureDoesNotMatch");

    let all = control(&emulator, "GET", "requests", None).await;
    let all = all.json["requests"].as_array().unwrap().clone();
    assert_eq!(all.len(), 5);

    let list = |query: &'static str| {
        let emulator = &emulator;
        async move {
            let reply = control(emulator, "GET", &format!("requests?{query}"), None).await;
            assert_eq!(reply.status, 200, "{query}: {}", reply.text);
            reply.json["requests"].as_array().unwrap().clone()
        }
    };
    let owned = list("action=GetOwnedJoinPermission").await;
    assert_eq!(owned.len(), 3);
    assert_eq!(
        owned[0]["params"],
        json!({ "JoinPermissionId": accounts::JOIN_PERMISSION_ID })
    );
    assert_eq!(
        list("action=GetOwnedJoinPermission&rejected=false")
            .await
            .len(),
        2
    );
    let newest = list("action=GetOwnedJoinPermission&limit=1").await;
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0]["code"], "SignatureDoesNotMatch");
    assert_eq!(
        newest[0]["params"],
        json!({}),
        "a refused request keeps no parameter"
    );
    assert_eq!(list("code=NotResourceOwner").await.len(), 1);
    assert_eq!(list("status=400").await.len(), 2);
    assert_eq!(list("rejected=true").await.len(), 1);
    assert_eq!(
        list("protocol=rpc&limit=2").await,
        [all[2].clone(), all[4].clone()]
    );
    let top_requests = list("protocol=top").await;
    assert_eq!(top_requests.len(), 1);
    assert_eq!(
        top_requests[0]["action"],
        "alibaba.databank.open.auth.apply"
    );

    // Business parameters as sent; the Data Bank `sk` redacted; no system parameter.
    let letters = list("action=CreateSmsAuthorizationLetter").await;
    let params = letters[0]["params"].as_object().unwrap();
    for (name, value) in &letter_params {
        assert_eq!(params[name.as_str()], value.as_str(), "{name}");
    }
    assert_eq!(params.len(), letter_params.len());
    let context: Value =
        serde_json::from_str(top_requests[0]["params"]["context"].as_str().unwrap()).unwrap();
    assert_eq!(
        context,
        json!({ "ak": "lingyang_daas", "sk": "<redacted>" })
    );
    assert!(top_requests[0]["params"]["param"].is_string());

    let text = control(&emulator, "GET", "requests", None).await.text;
    for secret in [
        "w3343wer44e",
        accounts::OWNER.access_key_secret,
        accounts::TOP_APP_SECRET,
        accounts::TOP_SESSION,
        "\"Signature\"",
        "\"SignatureNonce\"",
        "\"sign\"",
        "\"session\"",
        "\"AccessKeyId\"",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    for bad in [
        "colour=red",
        "rejected=yes",
        "limit=-1",
        "protocol=soap",
        "status=ok",
    ] {
        let reply = control(&emulator, "GET", &format!("requests?{bad}"), None).await;
        assert_eq!(reply.status, 400, "{bad}");
    }

    // In Rust: everything as received, and the business parameters apart.
    let sent = emulator.requests_for("CreateSmsAuthorizationLetter");
    assert_eq!(sent.len(), 1);
    let letter = &sent[0];
    assert_eq!(letter.protocol, Protocol::Rpc);
    assert_eq!(
        letter.param("AuthorizationLetterName"),
        Some("RecordedLetter")
    );
    assert!(letter.param("Signature").is_some(), "Rust sees all");
    let business = letter.business_params();
    assert!(!business.contains_key("Signature") && !business.contains_key("AccessKeyId"));
    assert_eq!(business.len(), letter_params.len());
    let signs: Vec<String> = letter.json_param("SignList").unwrap().unwrap();
    assert_eq!(signs, ["菜鸟网络", "abc"]);
    assert!(letter.json_param::<Vec<String>>("Nothing").is_none());
    assert!(letter
        .json_param::<Vec<String>>("AuthorizationLetterName")
        .unwrap()
        .is_err());
    let applied = &emulator.requests_for("alibaba.databank.open.auth.apply")[0];
    let context: Value = applied.json_param("context").unwrap().unwrap();
    assert_eq!(context["sk"], "w3343wer44e", "Rust sees it as sent");
    assert!(!applied.business_params().contains_key("sign"));
}

#[test]
fn the_standalone_help_lists_every_flag_and_every_control_route() {
    let help = std::process::Command::new(emulator_binary())
        .arg("--help")
        .output()
        .expect("the emulator example runs");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    for flag in [
        "--listen ADDR",
        "--clock-skew SECONDS",
        "--time-offset SECONDS",
        "--fault KIND",
        "--max-recorded-requests N",
        "--max-connections N",
        "--header-timeout SECONDS",
        "--body-timeout SECONDS",
        "--idle-timeout SECONDS",
        "--help",
    ] {
        assert!(help.contains(flag), "{flag} in\n{help}");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let standalone = Standalone::start(&[]);
    let index = runtime.block_on(control_at(&standalone.url(), "GET", "", None));
    let routes = index.json["routes"].as_array().unwrap();
    assert!(routes.len() >= 10, "{}", index.text);
    for route in routes {
        let (method, path) = (
            route["method"].as_str().unwrap(),
            route["path"].as_str().unwrap(),
        );
        assert!(
            help.lines().any(|l| l.contains(method) && l.contains(path)),
            "{method} {path} in\n{help}"
        );
    }
}

#[tokio::test]
async fn the_standalone_takes_a_time_offset_and_is_controlled_over_http() {
    let standalone = Standalone::start(&["--time-offset", "86400"]);
    let url = standalone.url();
    let clock = control_at(&url, "GET", "clock", None).await;
    assert_eq!(clock.json["offset_seconds"], 86400, "{}", clock.text);

    let (status, submitted) = signed_linkwan(
        &url,
        accounts::OWNER,
        "SubmitJoinPermissionAuthOrder",
        &[
            ("JoinPermissionId", accounts::JOIN_PERMISSION_ID),
            ("RenterAliyunId", accounts::RENTER.aliyun_id),
        ],
    )
    .await;
    assert_eq!(status, 200, "signed with the real time: {submitted}");
    let order_id = submitted["Data"].as_str().unwrap().to_owned();
    let (_, order) = signed_linkwan(
        &url,
        accounts::OWNER,
        "GetJoinPermissionAuthOrder",
        &[("OrderId", &order_id)],
    )
    .await;
    let applying = millis(&order["Data"]["ApplyingMillis"]);
    let tomorrow = chrono::Utc::now().timestamp_millis() + 86_400_000;
    assert!((applying - tomorrow).abs() < 5_000, "{order}");

    // A fault for one action, over HTTP.
    let posted = control_at(
        &url,
        "POST",
        "faults",
        Some(json!({ "kind": "unavailable", "action": "GetOwnedJoinPermission" })),
    )
    .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    let (status, _) = signed_linkwan(
        &url,
        accounts::OWNER,
        "GetJoinPermissionAuthOrder",
        &[("OrderId", &order_id)],
    )
    .await;
    assert_eq!(status, 200);
    let owned = [("JoinPermissionId", accounts::JOIN_PERMISSION_ID)];
    let (status, body) =
        signed_linkwan(&url, accounts::OWNER, "GetOwnedJoinPermission", &owned).await;
    assert_eq!(
        (status, body["Code"].as_str()),
        (503, Some("ServiceUnavailable"))
    );

    // Moved, then reset: the order is gone, the offset is the flag's again.
    let moved = control_at(
        &url,
        "POST",
        "clock",
        Some(json!({ "advance_seconds": 600 })),
    )
    .await;
    assert_eq!(moved.json["offset_seconds"], 87000);
    let requests = control_at(
        &url,
        "GET",
        "requests?action=SubmitJoinPermissionAuthOrder",
        None,
    )
    .await;
    assert_eq!(
        requests.json["requests"][0]["params"]["RenterAliyunId"],
        accounts::RENTER.aliyun_id
    );
    let reset = control_at(&url, "POST", "reset", None).await;
    assert_eq!(
        reset.json["clock"]["offset_seconds"], 86400,
        "{}",
        reset.text
    );
    let (_, gone) = signed_linkwan(
        &url,
        accounts::OWNER,
        "GetJoinPermissionAuthOrder",
        &[("OrderId", &order_id)],
    )
    .await;
    assert_eq!(gone["Code"], "NonExistent");
    let listed = control_at(&url, "GET", "requests", None).await;
    assert_eq!(
        listed.json["requests"].as_array().unwrap().len(),
        1,
        "only the one after"
    );
}

#[test]
fn the_standalone_refuses_a_bad_time_offset() {
    let output = std::process::Command::new(emulator_binary())
        .args(["--time-offset", "tomorrow"])
        .output()
        .expect("the emulator example runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--time-offset"), "{stderr}");
}
