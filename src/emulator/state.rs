//! Everything the emulator remembers, behind one mutex.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::fault::Injection;
use super::limits::{Bounded, BoundedMap, MAX_FAULTS, MAX_NONCES, MAX_RECORDED_BYTES};
use super::linkwan::LinkWan;
use super::recording::Record;
use super::sms::Sms;
use super::sts::StsStore;
use super::sts_service::CredentialServices;
use super::top::Databank;

/// How long a `SignatureNonce` is remembered: the timestamp window is ±15 minutes, so a nonce
/// older than 30 minutes can no longer come with a valid timestamp.
const NONCE_MEMORY_MINUTES: i64 = 30;

/// The emulator's whole state. Locked briefly and never across an `.await`.
#[derive(Debug)]
pub(crate) struct State {
    /// What the emulator was started with, which [`State::reset`] goes back to.
    pub initial: Initial,
    /// Emulator clock = real clock + skew: what the gateway checks timestamps against.
    pub clock_skew: Duration,
    /// How far the services' clock runs ahead of the gateway's: moved forward by a test
    /// ([`Emulator::advance_time`](super::Emulator::advance_time)) to pass flow-control
    /// windows, receipts and expirations without waiting, and without making every signed
    /// request's timestamp look stale.
    pub time_offset: Duration,
    /// Fingerprint of `(AccessKeyId, SignatureNonce)` → when it was first seen (emulator
    /// clock); the oldest forgotten beyond [`MAX_NONCES`].
    nonces: BoundedMap<u128, DateTime<Utc>>,
    /// Queued faults, at most [`MAX_FAULTS`]: add them with [`State::queue_fault`].
    pub faults: Vec<Injection>,
    /// The recorded requests, compact (see [`Record`]).
    pub requests: Bounded<Record>,
    pub linkwan: LinkWan,
    pub sms: Sms,
    pub databank: Databank,
    /// Temporary credentials, seeded and issued.
    pub sts: StsStore,
    /// STS, metadata service and credentials-URI settings.
    pub credentials: CredentialServices,
}

/// The settings a state is seeded with, kept so that a reset can seed it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Initial {
    pub clock_skew: Duration,
    pub time_offset: Duration,
    pub max_recorded_requests: usize,
    /// The SMS settings (automatic approval, how signature names compare).
    pub sms: super::sms::Options,
}

impl State {
    /// A freshly seeded state that records at most `max_recorded_requests` requests.
    pub fn new(
        clock_skew: Duration,
        faults: Vec<Injection>,
        max_recorded_requests: usize,
    ) -> State {
        let mut faults = faults;
        if faults.len() > MAX_FAULTS {
            faults.drain(..faults.len() - MAX_FAULTS);
        }
        State {
            initial: Initial {
                clock_skew,
                time_offset: Duration::zero(),
                max_recorded_requests,
                sms: super::sms::Options::default(),
            },
            clock_skew,
            time_offset: Duration::zero(),
            nonces: BoundedMap::new(MAX_NONCES),
            faults,
            requests: Bounded::new(max_recorded_requests, MAX_RECORDED_BYTES),
            linkwan: LinkWan::seeded(),
            sms: Sms::default(),
            databank: Databank::default(),
            sts: StsStore::seeded(),
            credentials: CredentialServices::default(),
        }
    }

    /// [`State::new`] with these settings, the services' clock `time_offset` ahead.
    pub fn with_time_offset(mut self, time_offset: Duration) -> State {
        self.initial.time_offset = time_offset;
        self.time_offset = time_offset;
        self
    }

    /// Back to the state it was seeded with: every product's state, the recording, the fault
    /// queue (emptied: faults queued at the start are not queued again), temporary credentials
    /// and metadata tokens, the clock skew, time offset and SMS settings as configured. The spent
    /// `SignatureNonce`s are kept, so a request signed before the reset cannot be replayed
    /// after it.
    pub fn reset(&mut self) {
        let Initial {
            clock_skew,
            time_offset,
            max_recorded_requests,
            sms,
        } = self.initial;
        let nonces = std::mem::replace(&mut self.nonces, BoundedMap::new(0));
        *self =
            State::new(clock_skew, Vec::new(), max_recorded_requests).with_time_offset(time_offset);
        self.nonces = nonces;
        self.initial.sms = sms;
        self.sms.options = sms;
    }

    /// Queues a fault behind the others; beyond [`MAX_FAULTS`] the oldest queued is dropped.
    pub fn queue_fault(&mut self, injection: Injection) {
        if injection.times == 0 {
            return;
        }
        if self.faults.len() >= MAX_FAULTS {
            self.faults.remove(0);
        }
        self.faults.push(injection);
    }

    /// Sets how far the services' clock runs ahead of the gateway's (`false`, and nothing
    /// changes, when the services' clock would leave chrono's range).
    pub fn set_time_offset(&mut self, offset: Duration) -> bool {
        let now = self.now();
        if now.checked_add_signed(offset).is_none() {
            return false;
        }
        self.time_offset = offset;
        true
    }

    /// The emulator's clock.
    pub fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        real.checked_add_signed(self.clock_skew).unwrap_or(real)
    }

    /// The services' clock: the emulator's clock moved forward by what the test advanced it.
    /// Business rules (order times, SMS flow control and receipts, validity periods) read it.
    pub fn business_now(&self) -> DateTime<Utc> {
        let now = self.now();
        now.checked_add_signed(self.time_offset).unwrap_or(now)
    }

    /// Remembers a nonce of an access key; `false` when it was already used within the window.
    ///
    /// Nonces are kept as 16-byte fingerprints, so a long nonce costs no more than a short one;
    /// those past the window are pruned oldest first on every call (amortized constant time),
    /// and beyond [`MAX_NONCES`] the oldest are forgotten even within the window.
    pub fn use_nonce(&mut self, access_key_id: &str, nonce: &str, now: DateTime<Utc>) -> bool {
        let horizon = now - Duration::minutes(NONCE_MEMORY_MINUTES);
        self.nonces.prune_oldest(|seen| *seen <= horizon);
        let key = fingerprint(access_key_id, nonce);
        match self.nonces.get(&key) {
            Some(seen) if *seen > horizon => false,
            _ => {
                self.nonces.insert(key, now);
                true
            }
        }
    }
}

/// The first 128 bits of SHA-256 over the key's length, the key and the nonce.
fn fingerprint(access_key_id: &str, nonce: &str) -> u128 {
    let mut hasher = Sha256::new();
    hasher.update((access_key_id.len() as u64).to_be_bytes());
    hasher.update(access_key_id.as_bytes());
    hasher.update(nonce.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_spent_once_per_key_within_the_window() {
        let mut state = State::new(Duration::zero(), Vec::new(), 10);
        let now = Utc::now();
        assert!(state.use_nonce("AK1", "n1", now));
        assert!(!state.use_nonce("AK1", "n1", now));
        assert!(state.use_nonce("AK2", "n1", now), "nonces are per key");
        assert!(
            state.use_nonce("AK", "1n1", now),
            "key and nonce do not run together"
        );
        let later = now + Duration::minutes(NONCE_MEMORY_MINUTES + 1);
        assert!(
            state.use_nonce("AK1", "n1", later),
            "forgotten after the window"
        );
        assert_eq!(state.nonces.len(), 1, "the stale ones were pruned");
    }
}
