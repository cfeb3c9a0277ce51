//! Open SSE streams (`GET /mcp`), counted per session and per server. A
//! stream holds a connection and a task for as long as the client likes, so
//! each is a slot: taken when the stream opens, given back when the host
//! drops its body (the client went away). Streams live in one process, so
//! these counts are in memory, not in the store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Streams one session may hold at once (a reconnect may briefly overlap
/// the stream it replaces).
pub const PER_SESSION: usize = 2;
/// Streams one server process holds at once.
pub const PER_SERVER: usize = 200;

#[derive(Debug, Default)]
pub struct StreamSlots {
    open: Mutex<HashMap<String, usize>>,
}

/// Why no stream was opened.
#[derive(Debug, PartialEq, Eq)]
pub enum Full {
    Session,
    Server,
}

/// A taken slot; dropping it gives the slot back.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<StreamSlots>,
    session: String,
}

impl StreamSlots {
    /// Takes a slot for a stream of `session` (a storage key, never the id).
    pub fn take(self: &Arc<Self>, session: &str) -> Result<Slot, Full> {
        let mut open = lock(&self.open);
        if open.values().sum::<usize>() >= PER_SERVER {
            return Err(Full::Server);
        }
        let count = open.entry(session.to_owned()).or_default();
        if *count >= PER_SESSION {
            return Err(Full::Session);
        }
        *count += 1;
        Ok(Slot {
            slots: self.clone(),
            session: session.to_owned(),
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        lock(&self.open).values().sum()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = lock(&self.slots.open);
        if let Some(count) = open.get_mut(&self.session) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.session);
            }
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

    #[test]
    fn capped_per_session_and_per_server_and_given_back_on_drop() {
        let slots = Arc::new(StreamSlots::default());
        let first = slots.take("a").unwrap();
        let _second = slots.take("a").unwrap();
        assert_eq!(slots.take("a").unwrap_err(), Full::Session);
        drop(first);
        let _third = slots.take("a").unwrap();
        let mut held = Vec::new();
        for n in 0..PER_SERVER - 2 {
            held.push(slots.take(&format!("s{n}")).unwrap());
        }
        assert_eq!(slots.take("other").unwrap_err(), Full::Server);
        held.clear();
        assert_eq!(slots.open(), 2);
        assert!(slots.take("other").is_ok());
    }
}
