//! The runtime behind the blocking clients: one worker thread drives the connection pool and
//! timers; each blocking call waits on the calling thread.

use std::future::Future;
use std::sync::Arc;

use crate::error::{Error, ErrorCode};

/// A shared tokio runtime for blocking clients. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct BlockingRuntime {
    runtime: Arc<tokio::runtime::Runtime>,
}

impl BlockingRuntime {
    pub(crate) fn new<C: ErrorCode>() -> Result<Self, Error<C>> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("alibaba-openapi-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Transport {
                source: Box::new(e),
            })?;
        Ok(BlockingRuntime {
            runtime: Arc::new(runtime),
        })
    }

    /// Runs `future` to completion on the calling thread.
    ///
    /// Panics when called from inside an async runtime, like every blocking client.
    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}
