//! The emulator's own HTTP control surface, under the reserved prefix `/_emulator/` that no
//! real API uses: the same controls as the Rust API, for the standalone emulator and for tests
//! in other languages. Its requests are not recorded and no fault applies to them.
//!
//! Each route is one entry of [`ROUTES`]: a method, a path and a handler. `GET /_emulator/`
//! lists them; a known path with another method is 405 (with `Allow`), an unknown one 404.

use std::sync::atomic::Ordering;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::fault::{injection_from_json, injection_to_json};
use super::limits::MAX_FAULTS;
use super::lock;
use super::recording::Record;
use super::server::Shared;
use super::sms::control as sms;
use super::state::State;
use super::wire::{Answer, Incoming};
use super::{Injection, Protocol};

/// The reserved prefix.
pub(crate) const PREFIX: &str = "/_emulator";

/// One control route.
struct Route {
    method: &'static str,
    path: &'static str,
    /// One line for the index.
    about: &'static str,
    handler: fn(&Shared, &Incoming) -> Answer,
}

/// Every control route.
const ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/_emulator/",
        about: "these routes",
        handler: index,
    },
    Route {
        method: "GET",
        path: "/_emulator/health",
        about: "status, recorded requests and open connections, with their caps",
        handler: health,
    },
    Route {
        method: "GET",
        path: "/_emulator/requests",
        about: "the recorded requests, oldest first: summaries with business parameters, \
                secrets redacted; filters ?action= &protocol= &status= &code= &rejected= \
                &injected= &limit=",
        handler: list_requests,
    },
    Route {
        method: "DELETE",
        path: "/_emulator/requests",
        about: "forget the recorded requests",
        handler: clear_requests,
    },
    Route {
        method: "GET",
        path: "/_emulator/clock",
        about: "the gateway's and the services' times and the offset between them",
        handler: get_clock,
    },
    Route {
        method: "POST",
        path: "/_emulator/clock",
        about: "move the services' clock: {\"advance_seconds\": N} and/or {\"offset_seconds\": N}",
        handler: move_clock,
    },
    Route {
        method: "GET",
        path: "/_emulator/faults",
        about: "the queued faults, in the order they are tried",
        handler: list_faults,
    },
    Route {
        method: "POST",
        path: "/_emulator/faults",
        about: "queue a fault (or an array of them): {\"kind\", \"times\", \"action\", ...}",
        handler: queue_faults,
    },
    Route {
        method: "DELETE",
        path: "/_emulator/faults",
        about: "drop every queued fault",
        handler: clear_faults,
    },
    Route {
        method: "POST",
        path: "/_emulator/reset",
        about: "back to the seeded state: state, recording, faults, clock offset",
        handler: reset,
    },
    Route {
        method: "GET",
        path: "/_emulator/sms/audits",
        about:
            "SMS applications waiting for review (signatures, templates, letters, qualifications)",
        handler: sms::list_audits,
    },
    Route {
        method: "POST",
        path: "/_emulator/sms/audits",
        about:
            "decide an SMS application: {\"kind\",\"name\"|\"code\"|\"id\",\"decision\",\"reason\"}",
        handler: sms::decide,
    },
    Route {
        method: "POST",
        path: "/_emulator/sms/receipts",
        about: "choose a number's SMS receipts: {\"phone_number\",\"receipt\",\"err_code\"}",
        handler: sms::set_receipt,
    },
    Route {
        method: "GET",
        path: "/_emulator/sms/messages",
        about: "the SMS outbox, oldest first (?phone_number= filters)",
        handler: sms::list_messages,
    },
    Route {
        method: "DELETE",
        path: "/_emulator/sms/messages",
        about: "empty the SMS outbox",
        handler: sms::clear_messages,
    },
];

/// Whether a path belongs to the control surface.
pub(crate) fn handles(path: &str) -> bool {
    path == PREFIX || path.starts_with("/_emulator/")
}

/// `(method, path)` of every route, for tests that check the documentation lists them.
#[cfg(test)]
pub(crate) fn routes() -> impl Iterator<Item = (&'static str, &'static str)> {
    ROUTES.iter().map(|r| (r.method, r.path))
}

/// Serves a control request.
pub(crate) fn handle(shared: &Shared, request: &Incoming) -> Answer {
    let path = if request.path == PREFIX {
        "/_emulator/"
    } else {
        request.path.as_str()
    };
    let same_path: Vec<&Route> = ROUTES.iter().filter(|r| r.path == path).collect();
    if let Some(route) = same_path.iter().find(|r| r.method == request.method) {
        return (route.handler)(shared, request);
    }
    if same_path.is_empty() {
        return error(
            404,
            &format!("no control route {path}; GET {PREFIX}/ lists them"),
        );
    }
    let allow: Vec<&str> = same_path.iter().map(|r| r.method).collect();
    let mut answer = error(
        405,
        &format!("{} {path} is not a control route", request.method),
    );
    answer.headers.push(("allow", allow.join(", ")));
    answer
}

fn ok(body: Value) -> Answer {
    Answer::json(200, &body, None)
}

fn error(status: u16, message: &str) -> Answer {
    Answer::json(
        status,
        &json!({ "error": message }),
        Some(status.to_string()),
    )
}

fn index(_: &Shared, _: &Incoming) -> Answer {
    let routes: Vec<Value> = ROUTES
        .iter()
        .map(|r| json!({ "method": r.method, "path": r.path, "about": r.about }))
        .collect();
    ok(json!({ "routes": routes }))
}

fn health(shared: &Shared, _: &Incoming) -> Answer {
    let recorded = lock(&shared.state).requests.len();
    ok(json!({
        "status": "ok",
        "recorded_requests": recorded,
        "max_recorded_requests": shared.limits.max_recorded_requests,
        "connections": shared.open_connections.load(Ordering::Relaxed),
        "max_connections": shared.limits.max_connections,
    }))
}

/// What `GET /_emulator/requests` keeps, from its query string.
#[derive(Debug, Default)]
struct RequestFilter {
    action: Option<String>,
    protocol: Option<Protocol>,
    status: Option<u16>,
    code: Option<String>,
    rejected: Option<bool>,
    injected: Option<bool>,
    /// The newest this many (after the other filters).
    limit: Option<usize>,
}

impl RequestFilter {
    fn parse(request: &Incoming) -> Result<RequestFilter, String> {
        let mut filter = RequestFilter::default();
        let flag = |name: &str, value: &str| match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(format!("{name}={value:?}: true or false")),
        };
        for (name, value) in &request.query_pairs {
            match name.as_str() {
                "action" => filter.action = Some(value.clone()),
                "protocol" => {
                    filter.protocol = Some(match value.as_str() {
                        "rpc" => Protocol::Rpc,
                        "top" => Protocol::Top,
                        "metadata" => Protocol::Metadata,
                        _ => return Err(format!("protocol={value:?}: rpc, top or metadata")),
                    })
                }
                "status" => {
                    filter.status = Some(
                        value
                            .parse()
                            .map_err(|_| format!("status={value:?}: an HTTP status"))?,
                    )
                }
                "code" => filter.code = Some(value.clone()),
                "rejected" => filter.rejected = Some(flag(name, value)?),
                "injected" => filter.injected = Some(flag(name, value)?),
                "limit" => {
                    filter.limit = Some(
                        value
                            .parse()
                            .map_err(|_| format!("limit={value:?}: a whole number"))?,
                    )
                }
                _ => {
                    return Err(format!(
                        "unknown filter {name:?}: action, protocol, status, code, rejected, \
                         injected, limit"
                    ))
                }
            }
        }
        Ok(filter)
    }

    fn keeps(&self, r: &Record) -> bool {
        self.action.as_ref().is_none_or(|a| a == r.action())
            && self.protocol.is_none_or(|p| p == r.protocol)
            && self.status.is_none_or(|s| Some(s) == r.status)
            && self
                .code
                .as_ref()
                .is_none_or(|c| Some(c.as_str()) == r.code())
            && self.rejected.is_none_or(|x| x == r.rejected)
            && self.injected.is_none_or(|x| x == r.injected)
    }
}

fn list_requests(shared: &Shared, request: &Incoming) -> Answer {
    let filter = match RequestFilter::parse(request) {
        Ok(filter) => filter,
        Err(message) => return error(400, &message),
    };
    let state = lock(&shared.state);
    let kept = state.requests.iter().filter(|r| filter.keeps(r));
    // The newest `limit`, still oldest first: walk back from the newest, then turn around.
    let mut requests: Vec<Value> = kept
        .rev()
        .take(filter.limit.unwrap_or(usize::MAX))
        .map(|r| r.to_request().summary())
        .collect();
    drop(state);
    requests.reverse();
    ok(json!({ "requests": requests }))
}

fn clear_requests(shared: &Shared, _: &Incoming) -> Answer {
    let mut state = lock(&shared.state);
    let cleared = state.requests.len();
    state.requests.clear();
    ok(json!({ "cleared": cleared }))
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn clock(state: &State) -> Value {
    let gateway = state.now();
    let services = state.business_now();
    json!({
        "gateway_time": time(gateway),
        "services_time": time(services),
        "gateway_millis": gateway.timestamp_millis(),
        "services_millis": services.timestamp_millis(),
        "offset_seconds": state.time_offset.num_seconds(),
        "clock_skew_seconds": state.clock_skew.num_seconds(),
    })
}

fn get_clock(shared: &Shared, _: &Incoming) -> Answer {
    ok(clock(&lock(&shared.state)))
}

/// The JSON object a `POST` carries, else the 400 to answer.
fn json_body(request: &Incoming) -> Result<Value, Answer> {
    serde_json::from_slice(&request.body)
        .map_err(|e| error(400, &format!("the body is not JSON: {e}")))
}

fn move_clock(shared: &Shared, request: &Incoming) -> Answer {
    let body = match json_body(request) {
        Ok(Value::Object(body)) => body,
        Ok(_) => return error(400, "expected a JSON object"),
        Err(answer) => return answer,
    };
    let seconds = |name: &str| -> Result<Option<chrono::Duration>, String> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n
                .as_i64()
                .and_then(chrono::Duration::try_seconds)
                .map(Some)
                .ok_or(format!("{name:?} is whole seconds, e.g. 3600 or -60")),
        }
    };
    if let Some(unknown) = body
        .keys()
        .find(|k| !matches!(k.as_str(), "advance_seconds" | "offset_seconds"))
    {
        return error(
            400,
            &format!("unknown field {unknown:?}: advance_seconds, offset_seconds"),
        );
    }
    let (offset, advance) = match (seconds("offset_seconds"), seconds("advance_seconds")) {
        (Ok(offset), Ok(advance)) => (offset, advance),
        (Err(message), _) | (_, Err(message)) => return error(400, &message),
    };
    if offset.is_none() && advance.is_none() {
        return error(400, "give \"advance_seconds\" and/or \"offset_seconds\"");
    }
    let mut state = lock(&shared.state);
    let target = offset
        .unwrap_or(state.time_offset)
        .checked_add(&advance.unwrap_or_default());
    match target {
        Some(target) if state.set_time_offset(target) => ok(clock(&state)),
        _ => error(400, "the services' clock would leave the range of dates"),
    }
}

fn faults_json(faults: &[Injection]) -> Vec<Value> {
    faults.iter().map(injection_to_json).collect()
}

fn list_faults(shared: &Shared, _: &Incoming) -> Answer {
    let faults = faults_json(&lock(&shared.state).faults);
    ok(json!({ "faults": faults, "max_faults": MAX_FAULTS }))
}

fn queue_faults(shared: &Shared, request: &Incoming) -> Answer {
    let entries = match json_body(request) {
        Ok(Value::Array(entries)) => entries,
        Ok(entry) => vec![entry],
        Err(answer) => return answer,
    };
    // Every entry is read before any is queued: a bad one queues none.
    let mut injections = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        match injection_from_json(entry) {
            Ok(injection) => injections.push(injection),
            Err(message) if entries.len() == 1 => return error(400, &message),
            Err(message) => return error(400, &format!("fault {index}: {message}")),
        }
    }
    let mut state = lock(&shared.state);
    let queued = injections.len();
    for injection in injections {
        state.queue_fault(injection);
    }
    let faults = faults_json(&state.faults);
    ok(json!({ "queued": queued, "faults": faults }))
}

fn clear_faults(shared: &Shared, _: &Incoming) -> Answer {
    let mut state = lock(&shared.state);
    let cleared = state.faults.len();
    state.faults.clear();
    ok(json!({ "cleared": cleared }))
}

fn reset(shared: &Shared, _: &Incoming) -> Answer {
    let mut state = lock(&shared.state);
    state.reset();
    let mut answer = Map::new();
    answer.insert("reset".to_owned(), Value::Bool(true));
    answer.insert("clock".to_owned(), clock(&state));
    ok(Value::Object(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_under_the_prefix() {
        for (_, path) in routes() {
            assert!(handles(path), "{path}");
        }
        assert!(handles("/_emulator"));
        assert!(!handles("/_emulatorx"));
        assert!(!handles("/"));
    }
}
