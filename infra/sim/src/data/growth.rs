//! Fan growth per creator: new free/subscribed fans per day and totals as of a day.

use super::catalog::creators;
use super::format;
use super::period::Period;
use super::prng::SplitMix64;
use time::Date;

/// New fans of one creator on one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FanDay {
    pub new_free: u64,
    pub new_sub: u64,
}

/// Fan totals of one creator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FanTotals {
    pub free: u64,
    pub sub: u64,
}

/// New fans of creator `creator_index` of `agency` on `date` (zero for an unknown creator).
pub fn fan_day(agency: &str, creator_index: usize, date: Date) -> FanDay {
    if creator_index >= creators(agency).len() {
        return FanDay::default();
    }
    let day = format::date(date);
    let index = creator_index.to_string();
    let mut rng = SplitMix64::from_parts(&["fans", agency, &index, &day]);
    FanDay {
        new_free: rng.between(5, 60),
        new_sub: rng.between(1, 15),
    }
}

/// Totals as of the end of `today`: the creator's base, a fixed growth per whole month since
/// January 2024, plus every day's new fans this month so far. Monotonic within a month and
/// consistent with `fan_day` for the current month.
pub fn fan_totals(agency: &str, creator_index: usize, today: Date) -> FanTotals {
    let Some(creator) = creators(agency).get(creator_index) else {
        return FanTotals::default();
    };
    let months = u64::try_from((today.year() - 2024) * 12 + i32::from(u8::from(today.month())) - 1)
        .unwrap_or(0);
    let step = u64::try_from(creator_index).unwrap_or(0);
    let mut totals = FanTotals {
        free: creator.base_free + months * (300 + 37 * step),
        sub: creator.base_sub + months * (40 + 7 * step),
    };
    for day in Period::Month.window(today).days() {
        let new = fan_day(agency, creator_index, day);
        totals.free += new.new_free;
        totals.sub += new.new_sub;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::AGENCY_A;
    use time::macros::date;

    #[test]
    fn totals_grow_day_by_day_within_a_month() {
        let a = fan_totals(AGENCY_A, 0, date!(2026 - 11 - 24));
        let b = fan_totals(AGENCY_A, 0, date!(2026 - 11 - 25));
        let new = fan_day(AGENCY_A, 0, date!(2026 - 11 - 25));
        assert_eq!(b.free, a.free + new.new_free);
        assert_eq!(b.sub, a.sub + new.new_sub);
    }

    #[test]
    fn unknown_creator_is_zero() {
        assert_eq!(
            fan_day(AGENCY_A, 9, date!(2026 - 11 - 25)),
            FanDay::default()
        );
        assert_eq!(
            fan_totals("nope", 0, date!(2026 - 11 - 25)),
            FanTotals::default()
        );
    }
}
