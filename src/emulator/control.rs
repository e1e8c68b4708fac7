//! The emulator's own HTTP control surface, under the reserved prefix `/_emulator/` that no
//! real API uses: the same controls as the Rust API, for the standalone emulator and for tests
//! in other languages. Its requests are not recorded and no fault applies to them.
//!
//! Each route is one entry of [`ROUTES`]: a method, a path and a handler. `GET /_emulator/`
//! lists them; a known path with another method is 405 (with `Allow`), an unknown one 404.

use std::sync::atomic::Ordering;

use serde_json::{json, Value};

use super::lock;
use super::server::Shared;
use super::sms::control as sms;
use super::wire::{Answer, Incoming};

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
        about: "the recorded requests, oldest first, as summaries (no parameters or headers)",
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

fn list_requests(shared: &Shared, _: &Incoming) -> Answer {
    let requests: Vec<Value> = lock(&shared.state)
        .requests
        .iter()
        .map(|r| r.summary())
        .collect();
    ok(json!({ "requests": requests }))
}

fn clear_requests(shared: &Shared, _: &Incoming) -> Answer {
    let mut state = lock(&shared.state);
    let cleared = state.requests.len();
    state.requests.clear();
    ok(json!({ "cleared": cleared }))
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
