//! The client's view of the server's clock.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// Local time corrected by the offset learned from a server that rejected our timestamp.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Now, as the server sees it (as far as we know).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Remembers how far the server's clock (its `Date` header) is from ours.
    pub(crate) fn learn(&self, server_now: DateTime<Utc>) {
        let offset = (server_now - Utc::now()).num_milliseconds();
        self.offset_ms.store(offset, Ordering::Relaxed);
        tracing::warn!(
            offset_ms = offset,
            "the server rejected our timestamp; correcting the clock by its Date header"
        );
    }

    /// The learned offset, in milliseconds.
    pub(crate) fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }
}
