//! The HTTP side: accepting connections within the cap, reading requests and their bodies within
//! the limits, dispatching them to a gateway or the control surface, recording them and writing
//! the answers.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use super::connection::{Activity, Registry, Watched};
use super::limits::{Limits, MAX_BODY_BYTES};
use super::recording::Record;
use super::state::State;
use super::wire::{self, Answer, Delivery, Incoming};
use super::{control, gateway, lock, metadata, top, Protocol};

/// The TOP gateway's path.
pub(crate) const TOP_PATH: &str = "/router/rest";

/// What every connection shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Arc<Mutex<State>>,
    pub limits: Limits,
    /// Connections open now.
    pub open_connections: AtomicUsize,
}

/// Serves connections until the task is aborted.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    // Connections live in the set, so aborting this task closes them all.
    let mut connections = JoinSet::new();
    let mut registry = Registry::default();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    if registry.len() >= shared.limits.max_connections
                        && !registry.close_longest_waiting()
                    {
                        // Every connection is in the middle of a request: refuse this one.
                        drop(stream);
                        continue;
                    }
                    let activity = Arc::new(Activity::new());
                    let task = connections.spawn(serve_connection(
                        stream,
                        Arc::clone(&shared),
                        Arc::clone(&activity),
                    ));
                    registry.insert(task, activity);
                }
                // Out of file descriptors, or a connection reset before it was accepted.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            },
            Some(done) = connections.join_next_with_id(), if !connections.is_empty() => {
                registry.remove(match done {
                    Ok((id, ())) => id,
                    Err(e) => e.id(),
                });
            }
        }
        shared
            .open_connections
            .store(registry.len(), Ordering::Relaxed);
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>, activity: Arc<Activity>) {
    let limits = shared.limits;
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&activity)));
    let requests = Arc::clone(&activity);
    let service = service_fn(move |request| {
        let guard = requests.start_request();
        let shared = Arc::clone(&shared);
        async move {
            let answered = answer(&shared, request).await;
            drop(guard);
            answered
        }
    });
    let connection = http1::Builder::new()
        .keep_alive(true)
        // A client that shuts down its side after sending a request still gets the answer.
        .half_close(true)
        // hyper's own header timer runs from the end of the previous answer to the end of the
        // next head, idle time included: here only a backstop behind the watchdog, which tells
        // idle time and head reading apart.
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout + limits.header_read_timeout)
        .serve_connection(io, service);
    tokio::select! {
        _ = connection => {}
        () = activity.watchdog(limits) => {}
    }
}

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct DroppedConnection;

async fn answer(
    shared: &Shared,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, DroppedConnection> {
    let state = &*shared.state;
    let (parts, body) = request.into_parts();
    let mut headers = BTreeMap::new();
    for (name, value) in &parts.headers {
        headers
            .entry(name.as_str().to_owned())
            .or_insert_with(|| String::from_utf8_lossy(value.as_bytes()).into_owned());
    }
    let path = parts.uri.path();
    let is_top = path == TOP_PATH || path == "/router/rest/";
    let protocol = if is_top {
        Protocol::Top
    } else if metadata::handles(path) {
        Protocol::Metadata
    } else {
        Protocol::Rpc
    };
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let (body, refused) = if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        // Refused before reading it: the answer does not wait for a body it will not read.
        (Bytes::new(), Some(too_large_answer()))
    } else {
        match read_body(body, &shared.limits).await {
            Ok(body) => (body, None),
            Err(answer) => (Bytes::new(), Some(answer)),
        }
    };
    let incoming = Incoming::new(
        parts.method.as_str(),
        path,
        parts.uri.query(),
        headers,
        &body,
    );
    if control::handles(path) {
        // The control surface is not API traffic: never recorded, no fault applies.
        let answer = refused.unwrap_or_else(|| control::handle(shared, &incoming));
        return Ok(build_response(state, answer));
    }
    let answer = match refused {
        Some(answer) => answer,
        None if is_top => top::handle(state, &incoming),
        None if protocol == Protocol::Metadata => metadata::handle(state, &incoming),
        None => gateway::handle(state, &incoming),
    };
    record(state, &incoming, parts.uri.query(), &answer, protocol);
    drop(incoming);

    match answer.delivery {
        Delivery::Drop => return Err(DroppedConnection),
        Delivery::After(delay) => tokio::time::sleep(delay).await,
        Delivery::Now => {}
    }
    Ok(build_response(state, answer))
}

/// Reads a body of at most [`MAX_BODY_BYTES`] within the body timeout; the answer to give
/// instead when it cannot: 413 over the limit, 408 too slow, 400 malformed (cut short before
/// its length, bad chunked encoding).
async fn read_body(body: hyper::body::Incoming, limits: &Limits) -> Result<Bytes, Answer> {
    let read = Limited::new(body, MAX_BODY_BYTES).collect();
    match tokio::time::timeout(limits.body_read_timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Err(too_large_answer()),
        Ok(Err(e)) => Err(body_error_answer(
            400,
            "InvalidRequestBody",
            &format!("The request body is malformed: {e}."),
        )),
        Err(_) => Err(body_error_answer(
            408,
            "RequestTimeout",
            &format!(
                "The request body did not arrive within {} ms.",
                limits.body_read_timeout.as_millis()
            ),
        )),
    }
}

fn too_large_answer() -> Answer {
    body_error_answer(
        413,
        "RequestEntityTooLarge",
        "The request body exceeds 1 MiB.",
    )
}

/// An answer about the body itself: the gateway's rejection, and the connection closes after
/// it (what is left of the body is not read).
fn body_error_answer(status: u16, code: &str, message: &str) -> Answer {
    let body = serde_json::json!({
        "RequestId": wire::request_id(),
        "Code": code,
        "Message": message,
    });
    let mut answer = Answer::json(status, &body, Some(code.to_owned())).rejected();
    answer.headers.push(("connection", "close".to_owned()));
    answer
}

/// Records a request; the record is made before the lock is taken.
fn record(
    state: &Mutex<State>,
    incoming: &Incoming,
    query: Option<&str>,
    answer: &Answer,
    protocol: Protocol,
) {
    let received_at = lock(state).now();
    let record = Record::new(incoming, query, answer, protocol, received_at);
    let size = record.size();
    lock(state).requests.push(record, size);
}

fn build_response(state: &Mutex<State>, answer: Answer) -> Response<Full<Bytes>> {
    let date = wire::http_date(lock(state).now());
    let mut builder = Response::builder()
        .status(answer.status)
        .header("date", date)
        .header("server", "alibaba-openapi-emulator");
    for (name, value) in &answer.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(answer.body)))
        .unwrap_or_else(|_| {
            let mut fallback = Response::new(Full::new(Bytes::new()));
            *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            fallback
        })
}
