//! Counts the store calls the SDK retried (a throttle, a 5xx, a timed-out
//! attempt) as the `StoreRetries` metric, by operation: the SDK retries
//! inside one call, so without this a struggling table shows only as
//! latency.

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;

use crate::telemetry::metrics::{self, Metric};

/// Records one `StoreRetries` for every attempt after a call's first.
#[derive(Debug)]
pub struct RetryMetric;

impl Intercept for RetryMetric {
    fn name(&self) -> &'static str {
        "RetryMetric"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let retried = cfg
            .load::<RequestAttempts>()
            .is_some_and(|attempts| attempts.attempts() > 1);
        if retried {
            let operation = cfg.load::<Metadata>().map_or("unknown", Metadata::name);
            metrics::record(Metric::StoreRetry { operation });
        }
        Ok(())
    }
}
