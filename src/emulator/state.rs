//! Everything the emulator remembers, behind one mutex.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::fault::Injection;
use super::linkwan::LinkWan;
use super::sms::Sms;
use super::sts::StsStore;
use super::sts_service::CredentialServices;
use super::top::Databank;
use super::RecordedRequest;

/// How long a `SignatureNonce` is remembered: the timestamp window is ±15 minutes, so a nonce
/// older than 30 minutes can no longer come with a valid timestamp.
const NONCE_MEMORY_MINUTES: i64 = 30;

/// The emulator's whole state. Locked briefly and never across an `.await`.
#[derive(Debug)]
pub(crate) struct State {
    /// Emulator clock = real clock + skew.
    pub clock_skew: Duration,
    /// `(AccessKeyId, SignatureNonce)` → when it was first seen (emulator clock).
    nonces: HashMap<(String, String), DateTime<Utc>>,
    /// The table size at which expired nonces are pruned next.
    nonce_prune_at: usize,
    pub faults: Vec<Injection>,
    pub requests: Vec<RecordedRequest>,
    pub linkwan: LinkWan,
    pub sms: Sms,
    pub databank: Databank,
    /// Temporary credentials, seeded and issued.
    pub sts: StsStore,
    /// STS, metadata service and credentials-URI settings.
    pub credentials: CredentialServices,
}

impl State {
    /// A freshly seeded state.
    pub fn new(clock_skew: Duration, faults: Vec<Injection>) -> State {
        State {
            clock_skew,
            nonces: HashMap::new(),
            nonce_prune_at: 1024,
            faults,
            requests: Vec::new(),
            linkwan: LinkWan::seeded(),
            sms: Sms::default(),
            databank: Databank::default(),
            sts: StsStore::seeded(),
            credentials: CredentialServices::default(),
        }
    }

    /// The emulator's clock.
    pub fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        real.checked_add_signed(self.clock_skew).unwrap_or(real)
    }

    /// Remembers a nonce of an access key; `false` when it was already used within the window.
    pub fn use_nonce(&mut self, access_key_id: &str, nonce: &str, now: DateTime<Utc>) -> bool {
        let horizon = now - Duration::minutes(NONCE_MEMORY_MINUTES);
        // Prune when the table has doubled since the last pruning, not on every request:
        // amortized constant time however many nonces a load test sends.
        if self.nonces.len() >= self.nonce_prune_at {
            self.nonces.retain(|_, seen| *seen > horizon);
            self.nonce_prune_at = (self.nonces.len() * 2).max(1024);
        }
        let key = (access_key_id.to_owned(), nonce.to_owned());
        match self.nonces.get(&key) {
            Some(seen) if *seen > horizon => false,
            _ => {
                self.nonces.insert(key, now);
                true
            }
        }
    }
}
