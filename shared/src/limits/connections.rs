//! What the local server holds open: connections, counted per client
//! address and in total, so that slow or idle clients cost a bounded number
//! of sockets and one address cannot take them all; and the timeouts that
//! end connections which send nothing useful. In memory: connections live
//! in one process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::AddressKey;

/// `HEADER_READ_TIMEOUT_MS` unless set: a request's head must arrive within
/// this, and an idle keep-alive connection is closed after it.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// `BODY_READ_TIMEOUT_MS` unless set: a request's body must arrive within
/// this once its head has.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// `MAX_CONNECTIONS_PER_ADDRESS` unless set.
pub const DEFAULT_PER_ADDRESS: usize = 128;
/// `MAX_CONNECTIONS` unless set.
pub const DEFAULT_TOTAL: usize = 1024;

/// The local server's connection limits (configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub per_address: usize,
    pub total: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            per_address: DEFAULT_PER_ADDRESS,
            total: DEFAULT_TOTAL,
        }
    }
}

/// The open connections, counted.
#[derive(Debug)]
pub struct Connections {
    per_address: usize,
    total: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_address: HashMap<AddressKey, usize>,
}

/// Why a connection was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Full {
    Address,
    Total,
}

/// A taken connection slot; dropping it gives the slot back.
#[derive(Debug)]
pub struct Held {
    connections: Arc<Connections>,
    address: AddressKey,
}

impl Connections {
    pub fn new(limits: &ConnectionLimits) -> Arc<Self> {
        Arc::new(Self {
            per_address: limits.per_address,
            total: limits.total,
            open: Mutex::default(),
        })
    }

    /// Takes a slot for a connection from `address`.
    pub fn take(self: &Arc<Self>, address: AddressKey) -> Result<Held, Full> {
        let mut open = lock(&self.open);
        if open.total >= self.total {
            return Err(Full::Total);
        }
        let count = open.by_address.entry(address).or_default();
        if *count >= self.per_address {
            return Err(Full::Address);
        }
        *count += 1;
        open.total += 1;
        Ok(Held {
            connections: self.clone(),
            address,
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        lock(&self.open).total
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = lock(&self.connections.open);
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.by_address.remove(&self.address);
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

    fn from(n: u8) -> AddressKey {
        AddressKey::of([198, 51, 100, n].into())
    }

    #[test]
    fn capped_per_address_and_in_total_and_given_back_on_drop() {
        let connections = Connections::new(&ConnectionLimits {
            per_address: 2,
            total: 3,
            ..ConnectionLimits::default()
        });
        let first = connections.take(from(1)).unwrap();
        let _second = connections.take(from(1)).unwrap();
        assert_eq!(connections.take(from(1)).unwrap_err(), Full::Address);
        let _third = connections.take(from(2)).unwrap();
        assert_eq!(connections.take(from(3)).unwrap_err(), Full::Total);
        drop(first);
        assert_eq!(connections.open(), 2);
        assert!(connections.take(from(1)).is_ok());
    }
}
