//! The narrow handle the layers above the store take instead of the whole
//! app: the records and the clock their expiry is read against. Two
//! borrowed references, so handing it out costs nothing per request.

use super::RecordStore;
use crate::clock::Clock;

/// The record store and the clock.
#[derive(Clone, Copy, Debug)]
pub struct Stores<'a> {
    pub records: &'a dyn RecordStore,
    pub clock: &'a dyn Clock,
}

impl Stores<'_> {
    /// Now, Unix milliseconds, as every record's expiry is counted.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}
