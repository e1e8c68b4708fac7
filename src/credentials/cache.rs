//! Caching temporary credentials: refreshed when less than [`REFRESH_MARGIN`] remains (or half
//! their lifetime, for credentials issued for less than twice the margin), one refresh at a
//! time, still-valid credentials kept when a refresh fails.

use std::fmt;
use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// Temporary credentials are refreshed when less than this remains before they expire.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// After a failed refresh, still-valid credentials are served this long before trying again,
/// so an STS or metadata outage does not cost every call a timeout.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(5);

#[derive(Default)]
struct Slot {
    credentials: Option<Credentials>,
    /// When `credentials` were fetched.
    fetched_at: Option<DateTime<Utc>>,
    /// Bumped by every refresh, successful or not.
    generation: u64,
    /// The error of the last refresh, when it left no valid credentials.
    error: Option<CredentialsError>,
    /// When the last refresh failed while credentials were still valid.
    failed_at: Option<Instant>,
}

/// The cache behind every provider of temporary credentials.
pub(crate) struct Cache {
    slot: Mutex<Slot>,
    /// Held for the whole of a refresh: at most one is in flight.
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = self.lock();
        f.debug_struct("Cache")
            .field("cached", &slot.credentials)
            .finish_non_exhaustive()
    }
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            slot: Mutex::new(Slot::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }
}

/// Whether credentials are still usable (not expired).
fn valid(credentials: &Credentials) -> bool {
    credentials.expiration().is_none_or(|at| at > Utc::now())
}

/// Whether credentials fetched at `fetched_at` need no refresh yet: more than the margin
/// remains, or, for credentials that never had twice the margin to live, more than half their
/// lifetime (so they are not fetched again at every call).
fn fresh(credentials: &Credentials, fetched_at: Option<DateTime<Utc>>) -> bool {
    let Some(expiration) = credentials.expiration() else {
        return true;
    };
    let mut margin = chrono::Duration::from_std(REFRESH_MARGIN).unwrap_or_default();
    if let Some(fetched_at) = fetched_at {
        margin = margin.min((expiration - fetched_at) / 2);
    }
    expiration - margin > Utc::now()
}

impl Cache {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached credentials, or fresh ones from `fetch`. `name` names the provider in logs.
    pub(crate) async fn get<F, Fut>(
        &self,
        name: &str,
        fetch: F,
    ) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let seen = {
            let slot = self.lock();
            if let Some(cached) = &slot.credentials {
                let cooling = slot
                    .failed_at
                    .is_some_and(|at| at.elapsed() < RETRY_AFTER_FAILURE);
                if fresh(cached, slot.fetched_at) || (cooling && valid(cached)) {
                    return Ok(cached.clone());
                }
            }
            slot.generation
        };
        let _refreshing = self.refresh.lock().await;
        {
            let slot = self.lock();
            if slot.generation != seen {
                // Another caller refreshed while this one waited: share its outcome.
                match (&slot.credentials, &slot.error) {
                    (Some(cached), _) if valid(cached) => return Ok(cached.clone()),
                    (_, Some(error)) => return Err(error.clone()),
                    _ => {}
                }
            }
        }
        let started = Utc::now();
        let result = fetch().await.and_then(|c| c.validate().map(|()| c));
        let mut slot = self.lock();
        slot.generation += 1;
        match result {
            Ok(credentials) => {
                slot.credentials = Some(credentials.clone());
                slot.fetched_at = Some(started);
                slot.error = None;
                slot.failed_at = None;
                Ok(credentials)
            }
            Err(error) => match slot.credentials.clone().filter(valid) {
                Some(cached) => {
                    tracing::warn!(
                        provider = name,
                        error = %error,
                        expiration = ?cached.expiration(),
                        "refreshing credentials failed; using the cached ones while they are valid"
                    );
                    slot.failed_at = Some(Instant::now());
                    Ok(cached)
                }
                None => {
                    slot.credentials = None;
                    slot.error = Some(error.clone());
                    Err(error)
                }
            },
        }
    }
}

/// Puts the cache of this module in front of any provider: its credentials are kept until
/// less than three minutes remain before their [expiration](Credentials::expiration) (half
/// their lifetime, when they were issued for less than six minutes; forever when they have no
/// expiration), at most one refresh is in flight however many calls wait, and a failed
/// refresh keeps serving credentials that are still valid (and logs a warning).
///
/// Every provider of temporary credentials in this module caches already; use this for your own.
///
/// ```
/// use alibaba_openapi::credentials::{CachedProvider, Credentials, ProvideCredentials, ProvideFuture};
///
/// #[derive(Debug)]
/// struct FromVault;
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> ProvideFuture<'_> {
///         Box::pin(async { Ok(Credentials::new("LTAI5tExample", "fetched-secret")) })
///     }
/// }
/// let provider = CachedProvider::new(FromVault);
/// ```
#[derive(Debug)]
pub struct CachedProvider<P> {
    inner: P,
    cache: Cache,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// Caches what `inner` provides.
    pub fn new(inner: P) -> Self {
        CachedProvider {
            inner,
            cache: Cache::default(),
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(
            self.cache
                .get("cached provider", || self.inner.provide_credentials()),
        )
    }
}
