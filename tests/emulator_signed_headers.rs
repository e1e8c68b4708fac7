//! Signature V3 must cover what the gateway relies on: `host`, every `x-acs-*` header sent and,
//! with a body, `content-type`. A signature over less could be replayed with a fresh
//! `x-acs-date` and nonce, or turned into another action by swapping `x-acs-action`.
//! Requests are signed by hand over chosen headers, sent with reqwest.

mod emulator_support;

use alibaba_openapi::aliyun::sign::v3;
use alibaba_openapi::emulator::accounts::{self, Account};
use alibaba_openapi::emulator::Emulator;
use emulator_support::*;

const FORM: &str = "application/x-www-form-urlencoded";

/// A V3 request before signing: headers as sent (lower-case names), query, optional form body.
struct Unsigned {
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<String>,
}

impl Unsigned {
    /// The headers an official SDK sends for `action` (without `authorization`).
    fn new(emulator: &Emulator, action: &str, query: &[(&str, &str)]) -> Unsigned {
        let headers = [
            ("host", emulator.local_addr().to_string()),
            ("x-acs-action", action.to_owned()),
            ("x-acs-content-sha256", v3::EMPTY_PAYLOAD_SHA256.to_owned()),
            ("x-acs-date", rpc_timestamp(chrono::Utc::now())),
            ("x-acs-signature-nonce", nonce()),
            ("x-acs-version", "2019-03-01".to_owned()),
        ];
        Unsigned {
            headers: headers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: None,
        }
    }

    /// Moves the parameters into a form body (with `content-type` and its hash).
    fn with_form_body(mut self) -> Unsigned {
        let body = query_string(&self.query);
        self.query.clear();
        self.set("x-acs-content-sha256", &v3::payload_sha256(body.as_bytes()));
        self.set("content-type", FORM);
        self.body = Some(body);
        self
    }

    fn set(&mut self, name: &str, value: &str) {
        self.headers.retain(|(k, _)| k != name);
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    /// Signs over exactly `signed` with `(access_key_id, secret)`: the `authorization` value.
    fn authorization(&self, (access_key_id, secret): (&str, &str), signed: &[&str]) -> String {
        let signed: Vec<String> = signed.iter().map(|s| (*s).to_owned()).collect();
        let payload = self
            .body
            .as_deref()
            .map_or(v3::EMPTY_PAYLOAD_SHA256.to_owned(), |b| {
                v3::payload_sha256(b.as_bytes())
            });
        let canonical = v3::canonical_request(
            "POST",
            "/",
            self.query.iter().cloned(),
            self.headers.iter().cloned(),
            &signed,
            &payload,
        );
        let signature = v3::sign(secret, &v3::string_to_sign(&canonical));
        v3::authorization(access_key_id, &signed, &signature)
    }

    /// Every header name, sorted (what an official SDK signs).
    fn all_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        names
    }

    async fn send(&self, emulator: &Emulator, authorization: &str) -> Reply {
        let url = if self.query.is_empty() {
            format!("{}/", emulator.url())
        } else {
            format!("{}/?{}", emulator.url(), query_string(&self.query))
        };
        let mut request = reqwest::Client::new()
            .post(url)
            .header("authorization", authorization);
        for (name, value) in self.headers.iter().filter(|(k, _)| k != "host") {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        send(request).await
    }
}

fn owner_key(account: Account) -> (&'static str, &'static str) {
    (account.access_key_id, account.access_key_secret)
}

fn assert_incomplete(reply: &Reply, missing: &str) {
    assert_eq!(
        (reply.status, reply.code()),
        (400, "IncompleteSignature"),
        "{}",
        reply.text
    );
    let message = reply.json["Message"].as_str().unwrap_or_default();
    assert!(message.contains(missing), "{missing} named in {message}");
}

#[tokio::test]
async fn a_signature_that_leaves_out_the_date_and_nonce_cannot_be_replayed() {
    let emulator = Emulator::start().await.unwrap();
    let query = [("JoinPermissionId", "123")];
    let captured = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query);
    let signed = [
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-version",
    ];
    let authorization = captured.authorization(owner_key(accounts::OWNER), &signed);
    let reply = captured.send(&emulator, &authorization).await;
    assert_incomplete(&reply, "x-acs-date");
    assert_incomplete(&reply, "x-acs-signature-nonce");

    // The replay an attacker would make: same Authorization, new date and nonce.
    let mut replay = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query);
    replay.set("x-acs-date", &rpc_timestamp(chrono::Utc::now()));
    let reply = replay.send(&emulator, &authorization).await;
    assert_incomplete(&reply, "x-acs-signature-nonce");

    // Signed over everything, the same request is served once; a new nonce breaks the signature.
    let full = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query);
    let authorization = full.authorization(owner_key(accounts::OWNER), &full.all_names());
    let reply = full.send(&emulator, &authorization).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut replay = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query);
    replay.headers = full.headers.clone();
    replay.set("x-acs-signature-nonce", &nonce());
    let reply = replay.send(&emulator, &authorization).await;
    assert_eq!((reply.status, reply.code()), (400, "SignatureDoesNotMatch"));
    let reply = full.send(&emulator, &authorization).await;
    assert_eq!((reply.status, reply.code()), (400, "SignatureNonceUsed"));
}

#[tokio::test]
async fn a_read_signature_cannot_be_turned_into_another_action() {
    let emulator = Emulator::start().await.unwrap();
    let query = [
        ("JoinPermissionId", accounts::JOIN_PERMISSION_ID),
        ("RenterAliyunId", accounts::RENTER.aliyun_id),
    ];
    let mut read = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query);
    let without_action: Vec<&str> = read
        .all_names()
        .into_iter()
        .filter(|n| *n != "x-acs-action")
        .collect();
    let authorization = read.authorization(owner_key(accounts::OWNER), &without_action);
    read.set("x-acs-action", "SubmitJoinPermissionAuthOrder");
    let reply = read.send(&emulator, &authorization).await;
    assert_incomplete(&reply, "x-acs-action");
    assert!(
        !emulator.cancel_order(1234),
        "no authorization order was created"
    );
}

#[tokio::test]
async fn an_empty_signed_headers_list_is_incomplete() {
    let emulator = Emulator::start().await.unwrap();
    let request = Unsigned::new(
        &emulator,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    );
    let authorization = request.authorization(owner_key(accounts::OWNER), &[]);
    assert!(authorization.contains("SignedHeaders=,"), "{authorization}");
    let reply = request.send(&emulator, &authorization).await;
    assert_incomplete(&reply, "host");
}

#[tokio::test]
async fn the_security_token_header_must_be_signed() {
    let emulator = Emulator::start().await.unwrap();
    let mut request = Unsigned::new(
        &emulator,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    );
    request.set("x-acs-security-token", accounts::STS.security_token);
    let key = (accounts::STS.access_key_id, accounts::STS.access_key_secret);
    let unsigned_token: Vec<&str> = request
        .all_names()
        .into_iter()
        .filter(|n| *n != "x-acs-security-token")
        .collect();
    let reply = request
        .send(&emulator, &request.authorization(key, &unsigned_token))
        .await;
    assert_incomplete(&reply, "x-acs-security-token");
    let reply = request
        .send(&emulator, &request.authorization(key, &request.all_names()))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn with_a_body_the_content_type_must_be_signed() {
    let emulator = Emulator::start().await.unwrap();
    let query = [("JoinPermissionId", "123")];
    let request = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query).with_form_body();
    let without_type: Vec<&str> = request
        .all_names()
        .into_iter()
        .filter(|n| *n != "content-type")
        .collect();
    let reply = request
        .send(
            &emulator,
            &request.authorization(owner_key(accounts::OWNER), &without_type),
        )
        .await;
    assert_incomplete(&reply, "content-type");

    let request = Unsigned::new(&emulator, "GetOwnedJoinPermission", &query).with_form_body();
    let reply = request
        .send(
            &emulator,
            &request.authorization(owner_key(accounts::OWNER), &request.all_names()),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["Data"]["JoinPermissionId"], 123);
}

#[tokio::test]
async fn headers_outside_the_required_set_may_stay_unsigned() {
    // The official Python client signs every header; other SDKs sign only what the gateway
    // requires. A request signed over exactly the required set is served, whatever else it sends.
    let emulator = Emulator::start().await.unwrap();
    let mut request = Unsigned::new(
        &emulator,
        "GetOwnedJoinPermission",
        &[("JoinPermissionId", "123")],
    );
    let required = request.all_names();
    let authorization = request.authorization(owner_key(accounts::OWNER), &required);
    request.set(
        "user-agent",
        "AlibabaCloud (Linux; x86_64) Go/1.22 Core/0.4",
    );
    request.set("accept", "application/json");
    let reply = request.send(&emulator, &authorization).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}
