//! Opened data keys kept for a few minutes by one Lambda instance, so a
//! list of drivers costs one KMS call per driver at most once per instance.
//! A plaintext key must not outlive its minutes: expired keys are dropped
//! at the next use of the cache (a Lambda instance runs only while it is
//! used), and the cache never holds more than its capacity (the oldest key
//! goes first).

use super::DataKey;
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub struct KeyCache {
    ttl: Duration,
    capacity: usize,
    keys: HashMap<String, (DataKey, Instant)>,
}

impl KeyCache {
    pub fn new(ttl: Duration, capacity: usize) -> KeyCache {
        KeyCache {
            ttl,
            capacity: capacity.max(1),
            keys: HashMap::new(),
        }
    }

    /// The key opened less than `ttl` before `now`.
    pub fn get(&mut self, key_id: &str, now: Instant) -> Option<DataKey> {
        self.drop_expired(now);
        self.keys.get(key_id).map(|(key, _)| key.clone())
    }

    pub fn insert(&mut self, key_id: String, key: DataKey, now: Instant) {
        self.drop_expired(now);
        if self.keys.len() >= self.capacity && !self.keys.contains_key(&key_id) {
            let oldest = self
                .keys
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                self.keys.remove(&oldest);
            }
        }
        self.keys.insert(key_id, (key, now));
    }

    pub fn remove(&mut self, key_id: &str) {
        self.keys.remove(key_id);
    }

    /// Keys held in the clear right now.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn drop_expired(&mut self, now: Instant) {
        let ttl = self.ttl;
        self.keys
            .retain(|_, (_, opened)| now.saturating_duration_since(*opened) < ttl);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::from_bytes(&[byte; 32]).unwrap()
    }

    #[test]
    fn expired_keys_leave_memory_at_the_next_use() {
        let start = Instant::now();
        let mut cache = KeyCache::new(Duration::from_secs(300), 100);
        cache.insert("a".into(), key(1), start);
        cache.insert("b".into(), key(2), start + Duration::from_secs(200));
        assert_eq!(
            cache.get("a", start + Duration::from_secs(299)),
            Some(key(1))
        );
        // "a" expired: asking for "b" drops it, not only hides it.
        assert_eq!(
            cache.get("b", start + Duration::from_secs(301)),
            Some(key(2))
        );
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get("b", start + Duration::from_secs(500)), None);
        assert!(cache.is_empty());
    }

    #[test]
    fn the_cache_holds_its_capacity_at_most_oldest_out_first() {
        let start = Instant::now();
        let mut cache = KeyCache::new(Duration::from_secs(300), 3);
        for i in 0..10u8 {
            let at = start + Duration::from_secs(u64::from(i));
            cache.insert(format!("k{i}"), key(i), at);
            assert!(cache.len() <= 3);
        }
        let now = start + Duration::from_secs(10);
        assert_eq!(cache.get("k6", now), None);
        assert_eq!(cache.get("k9", now), Some(key(9)));
        assert_eq!(cache.len(), 3);
    }
}
