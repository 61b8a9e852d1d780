//! The demo's server-side records: the states of authorizations in progress and the sessions
//! of connected accounts, each in memory, bounded in size and age.
//!
//! A cookie only names a record. The site acts on what the record holds, and removing the
//! record is what spends it, so a replayed request or a forged cookie finds nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Maximum number of records of each kind. When a new record would exceed it, the oldest one
/// is dropped, so a flood of "Connect" clicks costs at most this many records (about 1 MB).
pub const MAX_RECORDS: usize = 10_000;

/// Maximum age of a record: time enough to fill in Stripe's onboarding form. The cookies
/// that name records have the same `Max-Age`.
pub const MAX_AGE: Duration = Duration::from_secs(3600);

/// Records keyed by a random id, dropped when older than a maximum age or, oldest first, when
/// there are too many.
#[derive(Debug)]
pub struct ExpiringMap<V> {
    capacity: usize,
    max_age: Duration,
    entries: HashMap<String, Entry<V>>,
    /// Insertion number → key, so the first entry is the oldest record.
    order: BTreeMap<u64, String>,
    next_insertion: u64,
}

#[derive(Debug)]
struct Entry<V> {
    value: V,
    inserted_at: Instant,
    insertion: u64,
}

impl<V> ExpiringMap<V> {
    /// Creates an empty map with the given bounds; `capacity` must be at least 1.
    pub fn new(capacity: usize, max_age: Duration) -> Self {
        assert!(capacity > 0, "an ExpiringMap needs room for one record");
        Self {
            capacity,
            max_age,
            entries: HashMap::new(),
            order: BTreeMap::new(),
            next_insertion: 0,
        }
    }

    /// Adds a record at time `now`, replacing one with the same key. Drops expired records,
    /// then the oldest ones while the map is full, and returns how many it dropped while full.
    pub fn insert(&mut self, key: String, value: V, now: Instant) -> usize {
        self.remove(&key);
        self.remove_expired(now);

        let mut evicted = 0;
        while self.entries.len() >= self.capacity {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            self.entries.remove(&oldest);
            evicted += 1;
        }

        let insertion = self.next_insertion;
        self.next_insertion += 1;
        self.order.insert(insertion, key.clone());
        self.entries.insert(
            key,
            Entry {
                value,
                inserted_at: now,
                insertion,
            },
        );
        evicted
    }

    /// Removes the record of `key` and returns its value, or `None` when there is no such
    /// record or it has expired at time `now`.
    pub fn take(&mut self, key: &str, now: Instant) -> Option<V> {
        let entry = self.remove(key)?;
        if self.is_expired(&entry, now) {
            return None;
        }
        Some(entry.value)
    }

    /// Returns the number of records, expired ones included until an insert drops them.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn remove(&mut self, key: &str) -> Option<Entry<V>> {
        let entry = self.entries.remove(key)?;
        self.order.remove(&entry.insertion);
        Some(entry)
    }

    fn remove_expired(&mut self, now: Instant) {
        while let Some((_, oldest)) = self.order.first_key_value() {
            let expired = self
                .entries
                .get(oldest)
                .is_none_or(|entry| self.is_expired(entry, now));
            if !expired {
                break;
            }
            if let Some((_, key)) = self.order.pop_first() {
                self.entries.remove(&key);
            }
        }
    }

    fn is_expired(&self, entry: &Entry<V>, now: Instant) -> bool {
        now.saturating_duration_since(entry.inserted_at) >= self.max_age
    }
}

/// Locks one of the demo's maps. A route that panicked while holding the lock left the map
/// consistent, because each method finishes its changes before it can panic, so the lock's
/// poisoning is ignored.
pub fn lock<V>(map: &Mutex<ExpiringMap<V>>) -> MutexGuard<'_, ExpiringMap<V>> {
    map.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn take_returns_value_once() {
        let now = Instant::now();
        let mut map = ExpiringMap::new(10, HOUR);
        map.insert("a".to_owned(), 1, now);

        assert_eq!(map.take("a", now), Some(1));
        assert_eq!(map.take("a", now), None);
        assert_eq!(map.len(), 0);
    }

    #[test]
    fn take_of_unknown_key_is_none() {
        let mut map: ExpiringMap<u8> = ExpiringMap::new(10, HOUR);

        assert_eq!(map.take("never-inserted", Instant::now()), None);
    }

    #[test]
    fn record_expires_at_max_age() {
        let start = Instant::now();
        let mut map = ExpiringMap::new(10, HOUR);
        map.insert("young".to_owned(), 1, start);
        map.insert("old".to_owned(), 2, start);

        assert_eq!(
            map.take("young", start + HOUR - Duration::from_secs(1)),
            Some(1)
        );
        assert_eq!(map.take("old", start + HOUR), None);
        assert_eq!(map.len(), 0);
    }

    #[test]
    fn insert_drops_expired_records() {
        let start = Instant::now();
        let mut map = ExpiringMap::new(10, HOUR);
        map.insert("a".to_owned(), 1, start);
        map.insert("b".to_owned(), 2, start + Duration::from_secs(10));

        let evicted = map.insert("c".to_owned(), 3, start + HOUR + Duration::from_secs(1));

        assert_eq!(evicted, 0);
        assert_eq!(map.len(), 2);
        assert_eq!(map.take("a", start + HOUR), None);
    }

    #[test]
    fn full_map_evicts_oldest_first() {
        let now = Instant::now();
        let mut map = ExpiringMap::new(3, HOUR);
        for (index, key) in ["a", "b", "c"].into_iter().enumerate() {
            assert_eq!(map.insert(key.to_owned(), index, now), 0);
        }

        let evicted = map.insert("d".to_owned(), 3, now);

        assert_eq!(evicted, 1);
        assert_eq!(map.len(), 3);
        assert_eq!(map.take("a", now), None);
        assert_eq!(map.take("b", now), Some(1));
        assert_eq!(map.take("d", now), Some(3));
    }

    #[test]
    fn taken_records_free_room() {
        let now = Instant::now();
        let mut map = ExpiringMap::new(2, HOUR);
        map.insert("a".to_owned(), 1, now);
        map.insert("b".to_owned(), 2, now);
        map.take("a", now);

        let evicted = map.insert("c".to_owned(), 3, now);

        assert_eq!(evicted, 0);
        assert_eq!(map.take("b", now), Some(2));
    }

    #[test]
    fn insert_replaces_same_key() {
        let now = Instant::now();
        let mut map = ExpiringMap::new(2, HOUR);
        map.insert("a".to_owned(), 1, now);
        map.insert("a".to_owned(), 2, now);
        map.insert("b".to_owned(), 3, now);

        assert_eq!(map.len(), 2);
        assert_eq!(map.take("a", now), Some(2));
        assert_eq!(map.take("b", now), Some(3));
    }

    #[test]
    fn map_stays_bounded_under_many_inserts() {
        let now = Instant::now();
        let mut map = ExpiringMap::new(100, HOUR);
        for index in 0..1_000 {
            map.insert(format!("key-{index}"), index, now);
        }

        assert_eq!(map.len(), 100);
        assert_eq!(map.order.len(), 100);
        assert_eq!(map.take("key-899", now), None);
        assert_eq!(map.take("key-900", now), Some(900));
    }
}
