//! Injected faults: what a test can make the next upstream requests suffer.

use serde::{Deserialize, Serialize};

use crate::endpoint::{Endpoint, Target};

/// What an affected request gets instead of its normal answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// That HTTP status with an error body in the service's usual shape
    /// (API: `{"error":"upstream_error",...}`; auth: `{"code":N,"error_code":"unexpected_failure",...}`).
    /// A number that is not an HTTP status becomes 500.
    Status(u16),
    /// 429 with a `Retry-After` header.
    RateLimited { retry_after_secs: u64 },
    /// No answer for an hour (until the simulator is dropped): the client's timeout must fire.
    Hang,
    /// 200, `Content-Type: application/json`, and a truncated body.
    MalformedJson,
}

/// One pending injection.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    target: Target,
    fault: Fault,
    remaining: u32,
}

/// Pending injections, consumed first-injected-first.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: Vec<Pending>,
}

impl FaultQueue {
    /// Queues `fault` for the next `times` requests that `target` matches.
    pub fn inject(&mut self, target: Target, fault: Fault, times: u32) {
        if times > 0 {
            self.pending.push(Pending {
                target,
                fault,
                remaining: times,
            });
        }
    }

    /// Takes one use of the oldest injection matching `endpoint`, if any.
    pub fn take(&mut self, endpoint: Endpoint) -> Option<Fault> {
        let index = self
            .pending
            .iter()
            .position(|p| endpoint.is_targeted_by(p.target))?;
        let entry = self.pending.get_mut(index)?;
        entry.remaining = entry.remaining.saturating_sub(1);
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.pending.remove(index);
        }
        Some(fault)
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumed_in_order_and_counted_down() {
        let mut q = FaultQueue::default();
        q.inject(Target::Kpis, Fault::Hang, 1);
        q.inject(Target::AnyApi, Fault::Status(503), 2);
        assert_eq!(q.take(Endpoint::Me), Some(Fault::Status(503)));
        assert_eq!(q.take(Endpoint::Kpis), Some(Fault::Hang));
        assert_eq!(q.take(Endpoint::Kpis), Some(Fault::Status(503)));
        assert_eq!(q.take(Endpoint::Kpis), None);
        assert_eq!(q.take(Endpoint::Password), None);
    }

    #[test]
    fn zero_times_is_a_no_op() {
        let mut q = FaultQueue::default();
        q.inject(Target::Any, Fault::Hang, 0);
        assert_eq!(q.take(Endpoint::User), None);
    }

    #[test]
    fn wire_forms() {
        let parse = |s: &str| serde_json::from_str::<Fault>(s).ok();
        assert_eq!(parse(r#"{"status":503}"#), Some(Fault::Status(503)));
        assert_eq!(parse(r#""hang""#), Some(Fault::Hang));
        assert_eq!(parse(r#""malformed_json""#), Some(Fault::MalformedJson));
        assert_eq!(
            parse(r#"{"rate_limited":{"retry_after_secs":7}}"#),
            Some(Fault::RateLimited {
                retry_after_secs: 7
            })
        );
        assert_eq!(
            serde_json::from_str::<Target>(r#""any_api""#).ok(),
            Some(Target::AnyApi)
        );
    }
}
