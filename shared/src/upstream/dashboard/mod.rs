//! The dashboard answers as the tools return them: exactly the documented
//! fields, whatever else the backend sends. Each answer names the endpoint
//! that serves it ([`Endpoint`]), so one generic call reads any of them.
//!
//! Every struct here declares its fields in alphabetical order: a result is
//! written straight from its type, and answers have always carried their
//! keys sorted (the golden answers hold it, and that every answer's keys
//! are in order).

mod earnings;
mod fans;
mod kpis;

pub use earnings::{CreatorEarnings, DailyEarnings, Earnings, GrossNet, MonthTotals, Transaction};
pub use fans::{CreatorFans, DailyNewFans, FanCounts, Fans};
pub use kpis::{CreatorNet, DailyRevenue, HourlyRevenue, Kpis, RevenueByCategory};

use serde::de::DeserializeOwned;

/// A dashboard answer and the backend path that serves it (`GET`, with the
/// `period` query): the type is the whole upstream contract of a read.
pub trait Endpoint: DeserializeOwned + Send + 'static {
    /// The path below `MALGOMO_API_BASE`.
    const PATH: &'static str;
}
