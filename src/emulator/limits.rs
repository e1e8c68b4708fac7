//! How much the emulator keeps and how long it waits: the server's settings, the caps of its
//! state, and the bounded containers that enforce them.
//!
//! Every collection that a request can grow is bounded here, by count and where entries can be
//! large by bytes too, the oldest entries forgotten first. The values are documented in the
//! module documentation of [`emulator`](super), section "Limits".

use std::borrow::Borrow;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::time::Duration;

/// Default of [`EmulatorBuilder::max_recorded_requests`](super::EmulatorBuilder::max_recorded_requests).
pub(crate) const MAX_RECORDED_REQUESTS: usize = 10_000;
/// The recording's byte budget (parameters, headers, path, action), whatever the count.
pub(crate) const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;
/// Default of [`EmulatorBuilder::max_connections`](super::EmulatorBuilder::max_connections).
pub(crate) const MAX_CONNECTIONS: usize = 512;
/// Default of [`EmulatorBuilder::header_read_timeout`](super::EmulatorBuilder::header_read_timeout).
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`EmulatorBuilder::body_read_timeout`](super::EmulatorBuilder::body_read_timeout).
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`EmulatorBuilder::idle_timeout`](super::EmulatorBuilder::idle_timeout).
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest timeout the builder takes; longer ones are cut to it (so deadlines never overflow).
pub(crate) const LONGEST_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);
/// The largest request body read; a larger one is 413.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;

/// `SignatureNonce`s remembered at most (each as a 16-byte fingerprint with its time).
pub(crate) const MAX_NONCES: usize = 100_000;
/// Faults queued at most ([`Emulator::inject`](super::Emulator::inject), `--fault`,
/// `POST /_emulator/faults`); beyond it the oldest queued is dropped.
pub(crate) const MAX_FAULTS: usize = 1_000;
/// Temporary credentials issued (STS, metadata service, credentials URI) remembered at most.
pub(crate) const MAX_ISSUED_CREDENTIALS: usize = 10_000;
/// Metadata-service session tokens remembered at most.
pub(crate) const MAX_METADATA_TOKENS: usize = 10_000;
/// LinkWAN authorization orders kept at most (the oldest that no longer decide their
/// permission's state are forgotten).
pub(crate) const MAX_ORDERS: usize = 10_000;
/// LinkWAN local join permissions one account may own, the seeded ones included: creating one
/// more is `ExceedLocalJoinPermissionLimit`. With the few accounts the emulator knows, this bounds
/// the permissions kept.
pub(crate) const MAX_LOCAL_JOIN_PERMISSIONS: usize = 100;
/// LinkWAN notifications kept at most, of every account (the oldest HANDLED ones are forgotten
/// first, then the oldest).
pub(crate) const MAX_NOTIFICATIONS: usize = 10_000;
/// SMS letters of authorization kept at most.
pub(crate) const MAX_LETTERS: usize = 10_000;
/// SMS signatures kept at most (every account's together).
pub(crate) const MAX_SMS_SIGNS: usize = 10_000;
/// SMS templates kept at most (every account's together).
pub(crate) const MAX_SMS_TEMPLATES: usize = 10_000;
/// SMS qualifications kept at most (every account's together).
pub(crate) const MAX_SMS_QUALIFICATIONS: usize = 10_000;
/// The byte budget of each of the SMS signatures, templates, qualifications and letters (their
/// stored texts).
pub(crate) const MAX_SMS_RECORD_BYTES: usize = 16 * 1024 * 1024;
/// Sent SMS messages kept at most (the outbox, which `QuerySendDetails` reads).
pub(crate) const MAX_SMS_MESSAGES: usize = 10_000;
/// The outbox's byte budget (contents and variables).
pub(crate) const MAX_SMS_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// SMS flow-control counters (one per number and signature, or number, signature and template)
/// kept at most.
pub(crate) const MAX_SMS_FLOW_KEYS: usize = 10_000;
/// Receipts chosen per phone number kept at most.
pub(crate) const MAX_SMS_RECEIPTS: usize = 10_000;
/// Data-bank applications kept at most.
pub(crate) const MAX_APPLICATIONS: usize = 10_000;
/// The data-bank applications' byte budget (their stored fields).
pub(crate) const MAX_APPLICATION_BYTES: usize = 16 * 1024 * 1024;
/// Longest action and path kept in the summary of a rejected request, in bytes.
pub(crate) const MAX_SUMMARY_FIELD_BYTES: usize = 256;

/// The server's settings, from [`EmulatorBuilder`](super::EmulatorBuilder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub max_recorded_requests: usize,
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_recorded_requests: MAX_RECORDED_REQUESTS,
            max_connections: MAX_CONNECTIONS,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// A queue that forgets its oldest items beyond `max_items` or a total of `max_bytes` (as
/// reported by the caller for each item). An item larger than the whole budget is kept alone.
#[derive(Debug)]
pub(crate) struct Bounded<T> {
    items: VecDeque<(T, usize)>,
    bytes: usize,
    max_items: usize,
    max_bytes: usize,
}

impl<T> Bounded<T> {
    pub fn new(max_items: usize, max_bytes: usize) -> Bounded<T> {
        Bounded {
            items: VecDeque::new(),
            bytes: 0,
            max_items,
            max_bytes,
        }
    }

    /// Appends `item` of `size` bytes, first forgetting the oldest items it would not fit with.
    pub fn push(&mut self, item: T, size: usize) {
        if self.max_items == 0 {
            return;
        }
        while self.items.len() >= self.max_items
            || (!self.items.is_empty() && self.bytes.saturating_add(size) > self.max_bytes)
        {
            self.pop_front();
        }
        self.bytes = self.bytes.saturating_add(size);
        self.items.push_back((item, size));
    }

    fn pop_front(&mut self) -> Option<T> {
        let (item, size) = self.items.pop_front()?;
        self.bytes -= size;
        Some(item)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter().map(|(item, _)| item)
    }

    /// The items, to change in place (their sizes stay those reported when pushed).
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut T> {
        self.items.iter_mut().map(|(item, _)| item)
    }

    /// Keeps only the items `keep` says so of; returns how many were removed.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) -> usize {
        let before = self.items.len();
        let mut bytes = 0usize;
        self.items.retain(|(item, size)| {
            let kept = keep(item);
            if kept {
                bytes = bytes.saturating_add(*size);
            }
            kept
        });
        self.bytes = bytes;
        before - self.items.len()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn clear(&mut self) {
        self.items.clear();
        self.bytes = 0;
    }
}

/// A map that forgets its oldest keys (by first insertion) beyond `cap`.
///
/// Once full, it takes room for twice `cap` entries, once. A full map replaces an old key with
/// a new one on every insertion, and the removals leave tombstones in the hash table: without
/// that room, the table would double again the first time the tombstones used up its spare
/// slots — memory growing well after the cap was reached (+4.6 MiB for the nonces some 15,000
/// requests after the 100,000th). With it, the table is rehashed in place instead, and its size
/// stays what it was when the map first filled up.
#[derive(Debug)]
pub(crate) struct BoundedMap<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    cap: usize,
    /// Whether the table has taken its final room.
    sized: bool,
}

impl<K: Hash + Eq + Clone, V> BoundedMap<K, V> {
    pub fn new(cap: usize) -> BoundedMap<K, V> {
        BoundedMap {
            map: HashMap::new(),
            order: VecDeque::new(),
            cap,
            sized: false,
        }
    }

    /// Inserts or replaces; a new key beyond the cap pushes out the oldest.
    pub fn insert(&mut self, key: K, value: V) {
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
            if self.order.len() > self.cap && !self.sized {
                self.sized = true;
                let room = self.cap.saturating_mul(2);
                self.map.reserve(room.saturating_sub(self.map.len()));
            }
            while self.order.len() > self.cap {
                if let Some(oldest) = self.order.pop_front() {
                    self.map.remove(&oldest);
                }
            }
        }
    }

    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.map.get(key)
    }

    pub fn contains_key<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.contains_key(key)
    }

    pub fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.map.get_mut(key)
    }

    /// Forgets a key; its place in the insertion order goes with it.
    pub fn remove<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let value = self.map.remove(key)?;
        self.order.retain(|k| k.borrow() != key);
        Some(value)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.map.values_mut()
    }

    /// Forgets the oldest entries as long as `stale` says so of them (stops at the first that
    /// is not): amortized constant time when entries go stale in insertion order.
    pub fn prune_oldest(&mut self, mut stale: impl FnMut(&V) -> bool) {
        while let Some(oldest) = self.order.front() {
            if !self.map.get(oldest).is_none_or(&mut stale) {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.map.remove(&oldest);
            }
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }
}

/// Cuts `text` to at most `max` bytes, on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_forgets_the_oldest_by_count_and_by_bytes() {
        let mut queue = Bounded::new(3, 100);
        for i in 0..5 {
            queue.push(i, 10);
        }
        assert_eq!(queue.iter().copied().collect::<Vec<_>>(), [2, 3, 4]);
        queue.push(5, 85);
        assert_eq!(queue.iter().copied().collect::<Vec<_>>(), [4, 5]);
        queue.push(6, 1000);
        assert_eq!(queue.iter().copied().collect::<Vec<_>>(), [6], "kept alone");
        queue.clear();
        queue.push(7, 10);
        assert_eq!(queue.len(), 1);
        queue.push(8, 50);
        queue.push(9, 40);
        assert_eq!(queue.retain(|i| *i != 8), 1);
        queue.push(10, 50);
        assert_eq!(
            queue.iter().copied().collect::<Vec<_>>(),
            [7, 9, 10],
            "the removed item's bytes were freed"
        );
        for item in queue.iter_mut() {
            *item += 1;
        }
        assert_eq!(queue.iter().copied().collect::<Vec<_>>(), [8, 10, 11]);
        let mut nothing = Bounded::new(0, 100);
        nothing.push(1, 1);
        assert_eq!(nothing.len(), 0);
    }

    #[test]
    fn bounded_map_forgets_the_oldest_keys_and_prunes_stale_ones() {
        let mut map = BoundedMap::new(2);
        map.insert("a", 1);
        map.insert("b", 2);
        map.insert("a", 10);
        assert_eq!(map.get(&"a"), Some(&10));
        map.insert("c", 3);
        assert!(!map.contains_key(&"a"));
        assert_eq!(map.len(), 2);
        map.prune_oldest(|v| *v < 3);
        assert_eq!((map.get(&"b"), map.get(&"c")), (None, Some(&3)));
        *map.get_mut(&"c").unwrap() = 30;
        map.insert("d", 4);
        assert_eq!(map.remove(&"c"), Some(30));
        map.insert("e", 5);
        assert_eq!(
            (map.len(), map.get(&"d")),
            (2, Some(&4)),
            "no ghost order entry"
        );
    }

    #[test]
    fn a_full_bounded_map_keeps_its_table_size_while_keys_churn() {
        let cap = 1_000;
        let mut map = BoundedMap::new(cap);
        for key in 0..=cap {
            map.insert(key, ());
        }
        let capacity = map.map.capacity();
        assert!(capacity >= 2 * cap, "{capacity}");
        for key in cap + 1..100 * cap {
            map.insert(key, ());
            assert_eq!(map.len(), cap);
        }
        // Tombstones may lower what `capacity` reports until the next rehash in place, but the
        // table never grows.
        assert!(map.map.capacity() <= capacity, "{}", map.map.capacity());
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("阿里云", 4), "阿");
    }
}
