//! Connection housekeeping: what each connection is doing, the watchdog that closes it when it
//! waits too long, and the registry that keeps the number of connections under the cap.
//!
//! A connection is *idle* (no request yet, or its last answer is written: closed after the idle
//! timeout), *reading a head* (bytes of a request arrived but not its whole head: closed after
//! the header timeout, counted from the first byte) or *busy* (a request is being read or
//! answered: the body timeout is enforced where the body is read, see `server`). At the cap, a
//! new connection closes the idle or head-reading connection that has waited longest; when
//! every connection is busy, the new one is closed at once.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::task::{AbortHandle, Id};
use tokio::time::Instant;

use super::limits::Limits;

/// What a connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request.
    Idle,
    /// Part of a request head arrived.
    Head,
    /// A request is being read or answered.
    Busy,
}

/// One connection's phase, and since when.
#[derive(Debug)]
pub(crate) struct Activity {
    phase: Mutex<(Phase, Instant)>,
    /// Woken when a deadline may have moved earlier or appeared.
    changed: Notify,
}

impl Activity {
    pub fn new() -> Activity {
        Activity {
            phase: Mutex::new((Phase::Idle, Instant::now())),
            changed: Notify::new(),
        }
    }

    fn get(&self) -> (Phase, Instant) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = (phase, Instant::now());
        self.changed.notify_one();
    }

    /// Bytes arrived: an idle connection starts reading a head.
    fn on_read(&self) {
        let mut current = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        if current.0 == Phase::Idle {
            *current = (Phase::Head, Instant::now());
            drop(current);
            self.changed.notify_one();
        }
    }

    /// A request head is complete: busy until the guard is dropped (its answer is ready, or the
    /// request was abandoned), then idle.
    pub fn start_request(self: &Arc<Self>) -> RequestGuard {
        self.set(Phase::Busy);
        RequestGuard(Arc::clone(self))
    }

    /// When the connection is to be closed unless something happens first; `None` while busy.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        match self.get() {
            (Phase::Idle, since) => Some(since + limits.idle_timeout),
            (Phase::Head, since) => Some(since + limits.header_read_timeout),
            (Phase::Busy, _) => None,
        }
    }

    /// Completes when the connection has waited too long for its client.
    pub async fn watchdog(&self, limits: Limits) {
        loop {
            match self.deadline(&limits) {
                Some(deadline) if deadline <= Instant::now() => return,
                Some(deadline) => tokio::select! {
                    () = tokio::time::sleep_until(deadline) => {}
                    () = self.changed.notified() => {}
                },
                None => self.changed.notified().await,
            }
        }
    }
}

/// Marks the end of a request when dropped.
pub(crate) struct RequestGuard(Arc<Activity>);

impl Drop for RequestGuard {
    fn drop(&mut self) {
        self.0.set(Phase::Idle);
    }
}

/// A TCP stream that tells its [`Activity`] when bytes arrive.
pub(crate) struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    pub fn new(stream: TcpStream, activity: Arc<Activity>) -> Watched {
        Watched { stream, activity }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.on_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The open connections, by the id of the task serving each.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    open: HashMap<Id, (AbortHandle, Arc<Activity>)>,
}

impl Registry {
    pub fn len(&self) -> usize {
        self.open.len()
    }

    pub fn insert(&mut self, task: AbortHandle, activity: Arc<Activity>) {
        self.open.insert(task.id(), (task, activity));
    }

    /// Forgets a finished connection.
    pub fn remove(&mut self, task: Id) {
        self.open.remove(&task);
    }

    /// Closes the connection that has been idle (or reading a head) the longest; `false` when
    /// every connection is busy.
    pub fn close_longest_waiting(&mut self) -> bool {
        let longest = self
            .open
            .iter()
            .filter_map(|(id, (_, activity))| match activity.get() {
                (Phase::Busy, _) => None,
                (_, since) => Some((since, *id)),
            })
            .min();
        let Some((_, id)) = longest else {
            return false;
        };
        if let Some((task, _)) = self.open.remove(&id) {
            task.abort();
        }
        true
    }
}
