//! STS (`2015-04-01`): `AssumeRole`, signed and authenticated by the gateway like any action,
//! and `AssumeRoleWithOIDC`, which is not signed (the OIDC token is the proof).
//!
//! Both issue temporary credentials into the same store the gateway checks, so what they hand
//! out works against every product the emulator serves.

use std::sync::Mutex;

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::accounts::{self, Account};
use super::fault::{self, Fault};
use super::gateway::{self, ApiError, ApiResult, Call, Product};
use super::limits::{BoundedMap, MAX_METADATA_TOKENS};
use super::lock;
use super::metadata::MetadataMode;
use super::state::State;
use super::sts::TemporaryCredentials;
use super::wire::{Answer, Delivery, Incoming};

/// The STS actions the emulator serves.
pub(crate) const ACTIONS: &[&str] = &["AssumeRole", OIDC_ACTION];
/// The unsigned action.
pub(crate) const OIDC_ACTION: &str = "AssumeRoleWithOIDC";
/// The longest session the seeded role allows (its `MaxSessionDuration`).
const MAX_SESSION_SECONDS: i64 = 3600;
const MIN_SESSION_SECONDS: i64 = 900;

/// Settings and state of the credential services: STS, the metadata service, the credentials URI.
#[derive(Debug)]
pub(crate) struct CredentialServices {
    /// Lifetime of every credential issued, whatever was asked (`None`: as asked).
    pub ttl_override: Option<Duration>,
    pub metadata_mode: MetadataMode,
    /// Metadata session tokens and when they expire: the expired pruned oldest first, the
    /// oldest forgotten beyond [`MAX_METADATA_TOKENS`].
    pub metadata_tokens: BoundedMap<String, DateTime<Utc>>,
    /// The instance role's current credentials.
    pub instance_credentials: Option<TemporaryCredentials>,
}

impl Default for CredentialServices {
    fn default() -> Self {
        CredentialServices {
            ttl_override: None,
            metadata_mode: MetadataMode::default(),
            metadata_tokens: BoundedMap::new(MAX_METADATA_TOKENS),
            instance_credentials: None,
        }
    }
}

impl CredentialServices {
    /// How long credentials asked for `asked` really last.
    pub fn ttl(&self, asked: Duration) -> Duration {
        self.ttl_override.unwrap_or(asked)
    }
}

/// Whether a request is the unsigned `AssumeRoleWithOIDC` (a V3-signed one goes through the
/// gateway like any other).
pub(crate) fn is_unsigned_oidc(request: &Incoming) -> bool {
    request.param("Action") == Some(OIDC_ACTION) && request.param("Signature").is_none()
}

/// `AssumeRole` (and a signed `AssumeRoleWithOIDC`), after the gateway authenticated it.
pub(crate) fn handle(state: &mut State, action: &str, call: &Call) -> ApiResult {
    if action == OIDC_ACTION {
        return assume_role_with_oidc(state, call.request, call.now);
    }
    let role_arn = call.required("RoleArn")?;
    let session = call.required("RoleSessionName")?;
    let account = role(role_arn)?;
    check_session_name(session)?;
    let duration = duration(call.request.param("DurationSeconds"))?;
    check_policy(call.request.param("Policy"))?;
    if let Some(id) = call.request.param("ExternalId") {
        if id.len() < 2 || id.len() > 1224 {
            return Err(invalid(
                "InvalidParameter.ExternalId",
                "The parameter ExternalId is wrong.",
            ));
        }
    }
    let ttl = state.credentials.ttl(duration);
    let issued = state.sts.issue(account, ttl, call.now);
    Ok(answer(role_arn, session, &issued, None))
}

/// The unsigned `AssumeRoleWithOIDC`: version, faults, then the action.
pub(crate) fn handle_unsigned(state: &Mutex<State>, request: &Incoming) -> Answer {
    let host = request.host.as_str();
    let route = gateway::route(
        request.param("Action"),
        request.param("Version"),
        ("Action", "Version"),
        Some(Product::Sts),
    );
    if let Err(r) = route {
        return gateway::error(r.status, r.code, &r.message, r.product, host).rejected();
    }
    let mut guard = lock(state);
    let now = guard.now();
    let delivery = match fault::take(&mut guard.faults, false, OIDC_ACTION) {
        None => Delivery::Now,
        Some(Fault::Delay(delay)) => Delivery::After(delay),
        Some(fault) => return gateway::injected_answer(fault, Product::Sts, host),
    };
    let result = assume_role_with_oidc(&mut guard, request, now);
    drop(guard);
    // Unsigned, the request is authenticated by its OIDC token alone: one that fails is a
    // stranger's, recorded as a summary like a bad signature.
    let failed = result.is_err();
    let mut answer = gateway::render(Product::Sts, result, host);
    answer.rejected = failed;
    if delivery != Delivery::Now {
        answer.delivery = delivery;
        answer.injected = true;
    }
    answer
}

fn assume_role_with_oidc(state: &mut State, request: &Incoming, now: DateTime<Utc>) -> ApiResult {
    let required = |name: &str| match request.param(name) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(ApiError::missing(name)),
    };
    let provider_arn = required("OIDCProviderArn")?;
    let role_arn = required("RoleArn")?;
    let token = required("OIDCToken")?;
    let session = request
        .param("RoleSessionName")
        .filter(|s| !s.is_empty())
        .unwrap_or("oidc-session");
    if !provider_arn.eq_ignore_ascii_case(accounts::OIDC_PROVIDER_ARN) {
        return Err(ApiError {
            status: 404,
            ..invalid(
                "EntityNotExist.OIDCProvider",
                format!("The OIDC provider does not exist: {provider_arn}."),
            )
        });
    }
    let account = role(role_arn)?;
    check_session_name(session)?;
    let duration = duration(request.param("DurationSeconds"))?;
    check_policy(request.param("Policy"))?;
    let claims = check_token(token, now)?;
    let ttl = state.credentials.ttl(duration);
    let issued = state.sts.issue(account, ttl, now);
    let info = json!({
        "Subject": claims.get("sub").cloned().unwrap_or(Value::Null),
        "Issuer": claims.get("iss").cloned().unwrap_or(Value::Null),
        "ClientIds": claims.get("aud").cloned().unwrap_or(Value::Null),
    });
    Ok(answer(role_arn, session, &issued, Some(info)))
}

fn invalid(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

/// The account a role ARN's credentials act as.
fn role(arn: &str) -> Result<Account, ApiError> {
    let well_formed = arn
        .strip_prefix("acs:ram::")
        .and_then(|rest| rest.split_once(":role/"))
        .is_some_and(|(uid, name)| {
            !uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        });
    if !well_formed {
        return Err(invalid(
            "InvalidParameter.RoleArn",
            "The parameter RoleArn is wrong.",
        ));
    }
    if !arn.eq_ignore_ascii_case(accounts::ROLE_ARN) {
        return Err(ApiError {
            status: 404,
            ..invalid(
                "EntityNotExist.Role",
                format!("The role not exists: {arn}."),
            )
        });
    }
    Ok(accounts::OWNER)
}

fn check_session_name(name: &str) -> Result<(), ApiError> {
    let ok = (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "InvalidParameter.RoleSessionName",
            "The parameter RoleSessionName is wrong: 2 to 64 letters, digits and . @ - _",
        ))
    }
}

fn duration(value: Option<&str>) -> Result<Duration, ApiError> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(Duration::seconds(MAX_SESSION_SECONDS));
    };
    match value.parse::<i64>() {
        Ok(s) if (MIN_SESSION_SECONDS..=MAX_SESSION_SECONDS).contains(&s) => Ok(Duration::seconds(s)),
        _ => Err(invalid(
            "InvalidParameter.DurationSeconds",
            format!(
                "The Min/Max value of DurationSeconds is {MIN_SESSION_SECONDS}/{MAX_SESSION_SECONDS} seconds."
            ),
        )),
    }
}

fn check_policy(policy: Option<&str>) -> Result<(), ApiError> {
    match policy.filter(|p| !p.is_empty()) {
        Some(p) if !serde_json::from_str::<Value>(p).is_ok_and(|v| v.is_object()) => Err(invalid(
            "InvalidParameter.PolicyGrammar",
            "The parameter Policy has not a valid grammar.",
        )),
        _ => Ok(()),
    }
}

/// Checks the shape of a JWT and its expiry; answers its claims.
fn check_token(token: &str, now: DateTime<Utc>) -> Result<Map<String, Value>, ApiError> {
    let bad = || {
        invalid(
            "InvalidParameter.OIDCToken",
            "The parameter OIDCToken is wrong.",
        )
    };
    let segments: Vec<&str> = token.split('.').collect();
    if segments.len() != 3 || segments.iter().any(|s| s.is_empty()) {
        return Err(bad());
    }
    let object = |segment: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(segment.trim_end_matches('='))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .and_then(|v| v.as_object().cloned())
    };
    object(segments[0]).ok_or_else(bad)?;
    let claims = object(segments[1]).ok_or_else(bad)?;
    if !["iss", "sub"]
        .iter()
        .all(|c| claims.get(*c).is_some_and(Value::is_string))
    {
        return Err(bad());
    }
    if let Some(exp) = claims.get("exp") {
        if exp.as_i64().is_none_or(|exp| exp <= now.timestamp()) {
            return Err(invalid(
                "AuthenticationFail.OIDCToken.Expired",
                "The OIDCToken is expired.",
            ));
        }
    }
    Ok(claims)
}

/// Formats an instant as STS does, e.g. `2026-01-01T00:00:00Z`.
pub(crate) fn sts_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn answer(
    role_arn: &str,
    session: &str,
    issued: &TemporaryCredentials,
    oidc: Option<Value>,
) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert(
        "AssumedRoleUser".to_owned(),
        json!({
            "Arn": format!("{role_arn}/{session}"),
            "AssumedRoleId": format!("300800000000000001:{session}"),
        }),
    );
    fields.insert(
        "Credentials".to_owned(),
        json!({
            "AccessKeyId": issued.access_key_id,
            "AccessKeySecret": issued.access_key_secret,
            "SecurityToken": issued.security_token,
            "Expiration": sts_time(issued.expiration),
        }),
    );
    if let Some(info) = oidc {
        fields.insert("OIDCTokenInfo".to_owned(), info);
    }
    fields
}
