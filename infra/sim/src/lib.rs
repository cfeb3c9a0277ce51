//! A faithful simulator of the two upstreams the MalGomo MCP server talks to: the Supabase
//! auth subset (`/auth/v1`) and the MalGomo backend REST API (`/api`), on one loopback port,
//! plus test controls under `/_sim`. It follows the backend's wire contract (documented with the
//! project's reference material, outside this repository).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = malgomo_sim::Simulator::start(0).await?;
//! let supabase_url = sim.base_url();      // SUPABASE_URL
//! let api_base = sim.base_url();          // MALGOMO_API_BASE
//! # let _ = (supabase_url, api_base);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod access;
pub mod accounts;
mod admin;
mod api;
mod auth;
mod counters;
pub mod data;
mod endpoint;
mod faults;
mod jwt;
mod knobs;
mod preflight;
mod ratelimit;
mod router;
mod sessions;
mod state;

pub use counters::Counters;
pub use endpoint::Target;
pub use faults::Fault;

use state::{SimState, lock};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// A running simulator. It serves in a background task until dropped.
pub struct Simulator {
    state: Arc<SimState>,
    shutdown: watch::Sender<bool>,
}

impl Simulator {
    /// Starts on 127.0.0.1:`port` (0 = ephemeral) and serves in a background tokio task
    /// until dropped (dropping shuts the server down and ends hanging requests).
    pub async fn start(port: u16) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown, stopped) = watch::channel(false);
        let state = Arc::new(SimState::new(format!("http://{addr}"), stopped.clone()));
        let app =
            router::build(Arc::clone(&state)).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let mut stopped = stopped;
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Also resolves (with Err) when the sender is gone.
                    let _ = stopped.wait_for(|stop| *stop).await;
                })
                .await;
            if let Err(e) = served {
                tracing::warn!(error = %e, "simulator server stopped with an error");
            }
        });
        Ok(Simulator { state, shutdown })
    }

    /// `http://127.0.0.1:PORT` — serves `/auth/v1/*` (Supabase), `/api/*` (MalGomo) and
    /// `/_sim/*` (admin). Use it as both `SUPABASE_URL` and `MALGOMO_API_BASE`.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// Lifetime of access tokens minted from now on (default 3600 s; whole seconds, and
    /// 0 mints tokens that are already expired).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        lock(&self.state.knobs).token_lifetime = lifetime;
    }

    /// Delay added to every upstream response (not `/_sim`).
    pub fn set_latency(&self, latency: Duration) {
        lock(&self.state.knobs).latency = latency;
    }

    /// Password grants allowed per 60 s, per email bucket and per client-IP bucket
    /// (default 60; 0 refuses all).
    pub fn set_rate_limit(&self, password_grants_per_minute: u32) {
        lock(&self.state.knobs).rate_limit_per_minute = password_grants_per_minute;
    }

    /// How long the just-rotated-out refresh token may be replayed (default 10 s).
    #[doc(hidden)]
    pub fn set_reuse_window(&self, window: Duration) {
        lock(&self.state.knobs).reuse_window = window;
    }

    /// Pins the day the dashboard serves as today (its clock stamps become that day at noon);
    /// `None` goes back to the real date.
    pub fn set_today(&self, day: Option<time::Date>) {
        lock(&self.state.knobs).today = day;
    }

    /// The next `times` requests that `target` matches get `fault` instead of their answer.
    pub fn inject(&self, target: Target, fault: Fault, times: u32) {
        lock(&self.state.faults).inject(target, fault, times);
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        lock(&self.state.counters).clone()
    }

    /// Zeroes the counters (knobs, faults and sessions are untouched).
    pub fn reset_counters(&self) {
        *lock(&self.state.counters) = Counters::zeroed();
    }
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("base_url", &self.state.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        // Ignored error: no receiver left means the server is already gone.
        let _ = self.shutdown.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn simulator_can_be_shared_across_tasks() {
        assert_send_sync::<Simulator>();
    }

    #[tokio::test]
    async fn binds_loopback_only() {
        let sim = Simulator::start(0).await.unwrap();
        assert!(sim.base_url().starts_with("http://127.0.0.1:"));
        assert!(format!("{sim:?}").contains(&sim.base_url()));
    }
}
