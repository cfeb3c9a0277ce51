//! The three dashboard answers as the tools return them: exactly the
//! documented fields, whatever else the backend sends.

mod earnings;
mod fans;
mod kpis;

pub use earnings::{CreatorEarnings, DailyEarnings, Earnings, GrossNet, MonthTotals, Transaction};
pub use fans::{CreatorFans, DailyNewFans, FanCounts, Fans};
pub use kpis::{CreatorNet, DailyRevenue, HourlyRevenue, Kpis, RevenueByCategory};
