//! The shared state behind every route of one simulator.

use crate::counters::Counters;
use crate::endpoint::Endpoint;
use crate::faults::{Fault, FaultQueue};
use crate::jwt::Signer;
use crate::knobs::Knobs;
use crate::ratelimit::RateLimiter;
use crate::sessions::Sessions;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// Everything a request handler may read or change. Each part has its own lock, held only
/// for short, non-async critical sections.
pub(crate) struct SimState {
    /// `http://127.0.0.1:PORT`; the JWT issuer is this plus `/auth/v1`.
    pub base_url: String,
    pub signer: Signer,
    pub knobs: Mutex<Knobs>,
    pub faults: Mutex<FaultQueue>,
    pub counters: Mutex<Counters>,
    pub sessions: Mutex<Sessions>,
    pub limiter: Mutex<RateLimiter>,
    /// Becomes `true` (or closes) when the simulator is dropped; long sleeps end early.
    shutdown: watch::Receiver<bool>,
}

/// Locks a mutex, recovering the data if a previous holder panicked: the state is plain
/// counters and maps, always consistent between statements, so poisoning carries no meaning.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    pub fn new(base_url: String, shutdown: watch::Receiver<bool>) -> Self {
        SimState {
            base_url,
            signer: Signer::random(),
            knobs: Mutex::new(Knobs::default()),
            faults: Mutex::new(FaultQueue::default()),
            counters: Mutex::new(Counters::zeroed()),
            sessions: Mutex::new(Sessions::default()),
            limiter: Mutex::new(RateLimiter::default()),
            shutdown,
        }
    }

    /// A copy of the current knobs.
    pub fn knobs(&self) -> Knobs {
        *lock(&self.knobs)
    }

    /// Changes the counters under their lock.
    pub fn count(&self, change: impl FnOnce(&mut Counters)) {
        change(&mut lock(&self.counters));
    }

    /// Takes the next injected fault for `endpoint`, if one is pending.
    pub fn take_fault(&self, endpoint: Endpoint) -> Option<Fault> {
        lock(&self.faults).take(endpoint)
    }

    /// `/_sim/reset`: counters zeroed, faults cleared, knobs and rate-limit buckets back to
    /// a fresh start; sessions are kept so logged-in clients stay logged in.
    pub fn reset(&self) {
        *lock(&self.counters) = Counters::zeroed();
        lock(&self.faults).clear();
        *lock(&self.knobs) = Knobs::default();
        lock(&self.limiter).clear();
    }

    /// Sleeps for `duration`, or less if the simulator shuts down meanwhile.
    pub async fn sleep(&self, duration: Duration) {
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep(duration) => {}
            _ = shutdown.wait_for(|stopped| *stopped) => {}
        }
    }
}
