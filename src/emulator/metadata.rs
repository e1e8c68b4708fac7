//! The ECS metadata service (the paths that serve an instance's RAM role credentials) and a
//! credentials-URI endpoint.

use std::sync::Mutex;

use chrono::Duration;
use serde_json::json;

use super::accounts;
use super::fault::{self, Fault};
use super::lock;
use super::state::State;
use super::sts_service::sts_time;
use super::wire::{Answer, Delivery, Incoming};

/// `PUT` here for a session token.
const TOKEN_PATH: &str = "/latest/api/token";
/// Lists the instance's role; followed by the role's name, its credentials.
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
/// The credentials-URI endpoint.
pub(crate) const CREDENTIALS_URI_PATH: &str = "/credentials-uri";
/// The longest session token the service grants, in seconds.
const MAX_TOKEN_TTL: i64 = 21600;
/// How long instance credentials last (before any override).
const INSTANCE_TTL_HOURS: i64 = 6;
/// Instance credentials are replaced when fewer than this many minutes remain.
const INSTANCE_ROTATE_MINUTES: i64 = 15;

/// Fault injections aimed at the metadata service use this action name.
pub(crate) const METADATA_ACTION: &str = "EcsMetadata";
/// Fault injections aimed at the credentials URI use this action name.
pub(crate) const CREDENTIALS_URI_ACTION: &str = "CredentialsUri";

/// How the emulated metadata service treats session tokens (IMDSv2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetadataMode {
    /// Tokens are granted and checked when sent; requests without one are served (the default).
    #[default]
    TokenOptional,
    /// Security-hardening mode: a request without a token is answered 403.
    TokenRequired,
    /// An old service without tokens: `PUT /latest/api/token` is answered 404, so clients
    /// must fall back to IMDSv1.
    TokenUnsupported,
}

/// Whether the path belongs to the metadata service or the credentials URI.
pub(crate) fn handles(path: &str) -> bool {
    path.starts_with("/latest/") || path == CREDENTIALS_URI_PATH
}

/// The action name a request to these paths is recorded (and matched by faults) under.
pub(crate) fn action(path: &str) -> &'static str {
    if path == CREDENTIALS_URI_PATH {
        CREDENTIALS_URI_ACTION
    } else {
        METADATA_ACTION
    }
}

fn text(status: u16, body: impl Into<String>) -> Answer {
    let mut answer = Answer::json(status, &serde_json::Value::Null, None);
    answer.headers = vec![("content-type", "text/plain".to_owned())];
    answer.body = body.into();
    if status != 200 {
        answer.code = Some(status.to_string());
    }
    answer
}

/// Serves a metadata or credentials-URI request.
pub(crate) fn handle(state: &Mutex<State>, request: &Incoming) -> Answer {
    let mut guard = lock(state);
    let delivery = match fault::take(&mut guard.faults, false, action(&request.path)) {
        None => Delivery::Now,
        Some(Fault::Delay(delay)) => Delivery::After(delay),
        Some(fault) => {
            let mut answer = match fault {
                Fault::DropConnection => Answer::dropped(),
                Fault::MalformedBody => Answer::malformed("{\"Code\":\"Succ".to_owned()),
                Fault::ServiceUnavailable | Fault::Throttling { .. } => {
                    text(503, "Service Unavailable")
                }
                _ => text(500, "Internal Server Error"),
            };
            answer.injected = true;
            return answer;
        }
    };
    let mut answer = serve(&mut guard, request);
    if delivery != Delivery::Now {
        answer.delivery = delivery;
        answer.injected = true;
    }
    answer
}

fn serve(state: &mut State, request: &Incoming) -> Answer {
    let now = state.now();
    let path = request.path.as_str();
    if path == CREDENTIALS_URI_PATH {
        if request.method != "GET" {
            return text(405, "Method Not Allowed");
        }
        let ttl = state.credentials.ttl(Duration::hours(1));
        let issued = state.sts.issue(accounts::OWNER, ttl, now);
        return credentials_answer(&issued, now);
    }
    let services = &mut state.credentials;
    if path == TOKEN_PATH {
        if services.metadata_mode == MetadataMode::TokenUnsupported {
            return text(404, "Not Found");
        }
        if request.method != "PUT" {
            return text(405, "Method Not Allowed");
        }
        let ttl = request
            .header("x-aliyun-ecs-metadata-token-ttl-seconds")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|ttl| (1..=MAX_TOKEN_TTL).contains(ttl));
        let Some(ttl) = ttl else {
            return text(400, "Bad Request");
        };
        let token: String = (0..56).map(|_| fastrand::alphanumeric()).collect();
        services
            .metadata_tokens
            .prune_oldest(|expiry| *expiry <= now);
        services
            .metadata_tokens
            .insert(token.clone(), now + Duration::seconds(ttl));
        return text(200, token);
    }
    if request.method != "GET" {
        return text(405, "Method Not Allowed");
    }
    match request.header("x-aliyun-ecs-metadata-token") {
        Some(token)
            if services
                .metadata_tokens
                .get(token)
                .is_none_or(|e| *e <= now) =>
        {
            return text(401, "Unauthorized").rejected();
        }
        None if services.metadata_mode == MetadataMode::TokenRequired => {
            return text(403, "Forbidden").rejected();
        }
        _ => {}
    }
    let Some(role) = path.strip_prefix(CREDENTIALS_PATH) else {
        return if path == CREDENTIALS_PATH.trim_end_matches('/') {
            text(200, accounts::ECS_ROLE_NAME)
        } else {
            text(404, "Not Found")
        };
    };
    if role.is_empty() {
        return text(200, accounts::ECS_ROLE_NAME);
    }
    if role != accounts::ECS_ROLE_NAME {
        return text(404, "Not Found");
    }
    let current = services
        .instance_credentials
        .clone()
        .filter(|c| c.expiration - now > Duration::minutes(INSTANCE_ROTATE_MINUTES));
    let issued = match current {
        Some(current) => current,
        None => {
            let ttl = services.ttl(Duration::hours(INSTANCE_TTL_HOURS));
            let issued = state.sts.issue(accounts::OWNER, ttl, now);
            state.credentials.instance_credentials = Some(issued.clone());
            issued
        }
    };
    credentials_answer(&issued, now)
}

fn credentials_answer(
    issued: &super::sts::TemporaryCredentials,
    now: chrono::DateTime<chrono::Utc>,
) -> Answer {
    let body = json!({
        "Code": "Success",
        "AccessKeyId": issued.access_key_id,
        "AccessKeySecret": issued.access_key_secret,
        "SecurityToken": issued.security_token,
        "Expiration": sts_time(issued.expiration),
        "LastUpdated": sts_time(now),
    });
    Answer::json(200, &body, None)
}
