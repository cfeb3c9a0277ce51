//! Open SSE streams (`GET /mcp`), counted per session, per client address
//! and per server. A stream holds a connection and a task, so each is a
//! slot: taken when the stream opens, given back when the host drops its
//! body (the client went away, or the stream ended: its session ended or
//! expired, or it reached its maximum age). Anonymous sessions cost nothing
//! to make, so the per-address count is what keeps one caller from taking
//! every slot. Streams live in one process, so these counts are in memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::AddressKey;

/// Streams one session may hold at once (a reconnect may briefly overlap
/// the stream it replaces).
pub const PER_SESSION: usize = 2;
/// Streams one client address (IPv6: one /64) holds at once.
pub const PER_ADDRESS: usize = 16;
/// Streams one server process holds at once.
pub const PER_SERVER: usize = 200;

#[derive(Debug, Default)]
pub struct StreamSlots {
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_session: HashMap<String, usize>,
    by_address: HashMap<AddressKey, usize>,
}

/// Why no stream was opened.
#[derive(Debug, PartialEq, Eq)]
pub enum Full {
    Session,
    Address,
    Server,
}

/// A taken slot; dropping it gives the slot back.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<StreamSlots>,
    session: String,
    address: AddressKey,
}

impl StreamSlots {
    /// Takes a slot for a stream of `session` (a storage key, never the id)
    /// from `address`.
    pub fn take(self: &Arc<Self>, session: &str, address: AddressKey) -> Result<Slot, Full> {
        let mut open = lock(&self.open);
        if open.total >= PER_SERVER {
            return Err(Full::Server);
        }
        if open.by_address.get(&address).copied().unwrap_or(0) >= PER_ADDRESS {
            return Err(Full::Address);
        }
        if open.by_session.get(session).copied().unwrap_or(0) >= PER_SESSION {
            return Err(Full::Session);
        }
        *open.by_session.entry(session.to_owned()).or_default() += 1;
        *open.by_address.entry(address).or_default() += 1;
        open.total += 1;
        Ok(Slot {
            slots: self.clone(),
            session: session.to_owned(),
            address,
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        lock(&self.open).total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = lock(&self.slots.open);
        open.total = open.total.saturating_sub(1);
        give_back(&mut open.by_session, &self.session);
        give_back(&mut open.by_address, &self.address);
    }
}

/// One fewer under `key`; a count at zero is removed.
fn give_back<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(count) = counts.get_mut(key) {
        *count -= 1;
        if *count == 0 {
            counts.remove(key);
        }
    }
}

/// Every change is one small step under the lock, so a poisoned map is
/// still consistent.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(n: usize) -> AddressKey {
        AddressKey::of(std::net::IpAddr::from([
            10,
            0,
            (n / 256) as u8,
            (n % 256) as u8,
        ]))
    }

    #[test]
    fn capped_per_session_and_per_server_and_given_back_on_drop() {
        let slots = Arc::new(StreamSlots::default());
        let first = slots.take("a", from(0)).unwrap();
        let _second = slots.take("a", from(0)).unwrap();
        assert_eq!(slots.take("a", from(0)).unwrap_err(), Full::Session);
        drop(first);
        let _third = slots.take("a", from(0)).unwrap();
        let mut held = Vec::new();
        for n in 0..PER_SERVER - 2 {
            held.push(slots.take(&format!("s{n}"), from(n + 1)).unwrap());
        }
        assert_eq!(slots.take("other", from(9999)).unwrap_err(), Full::Server);
        held.clear();
        assert_eq!(slots.open(), 2);
        assert!(slots.take("other", from(9999)).is_ok());
    }

    #[test]
    fn one_address_cannot_take_every_slot() {
        let slots = Arc::new(StreamSlots::default());
        let mut held = Vec::new();
        for n in 0..PER_ADDRESS {
            held.push(slots.take(&format!("s{n}"), from(1)).unwrap());
        }
        assert_eq!(slots.take("next", from(1)).unwrap_err(), Full::Address);
        assert!(slots.take("next", from(2)).is_ok());
        held.pop();
        assert!(slots.take("next", from(1)).is_ok());
    }
}
