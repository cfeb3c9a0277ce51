//! The transaction ledger: the atomic data every revenue figure is summed from.
//!
//! One agency-day is generated at once from a PRNG seeded by (agency, date), so a past day
//! never changes and every total (per creator, per category, per hour, per day) is a sum
//! of the same integer-cent rows and therefore adds up exactly.

use super::catalog::{FANS, Kind, creators};
use super::format;
use super::prng::SplitMix64;
use time::Date;

/// One payment, as the backend's ledger holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// Internal id (dropped by the client).
    pub tx_id: String,
    /// Index of the creator in `catalog::creators(agency)`.
    pub creator_index: usize,
    pub profile_name: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    pub fan: &'static str,
    /// Always a multiple of 5, so `net_cents = gross_cents * 4 / 5` is exact.
    pub gross_cents: u64,
    pub net_cents: u64,
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Transaction {
    /// RFC 3339 UTC time of the payment.
    pub fn at(&self) -> String {
        format::timestamp(self.date, self.hour, self.minute, self.second)
    }
}

/// Fewest and most transactions per creator per day.
pub const PER_CREATOR_PER_DAY: (u64, u64) = (15, 25);

/// All transactions of `agency` on `date`, grouped by creator (catalog order); within a
/// creator they are NOT in time order. Every hour 0–23 holds at least one transaction
/// whenever the agency has 24 or more that day (always true for the demo agencies).
pub fn day_transactions(agency: &str, date: Date) -> Vec<Transaction> {
    let day = format::date(date);
    let mut rng = SplitMix64::from_parts(&["ledger", agency, &day]);
    let cast = creators(agency);
    let counts: Vec<u64> = cast
        .iter()
        .map(|_| rng.between(PER_CREATOR_PER_DAY.0, PER_CREATOR_PER_DAY.1))
        .collect();
    let total = usize::try_from(counts.iter().sum::<u64>()).unwrap_or(0);

    // Cover each hour once, fill the rest at random, then shuffle across creators.
    let mut hours: Vec<u8> = (0..24).take(total).collect();
    while hours.len() < total {
        hours.push(u8::try_from(rng.below(24)).unwrap_or(0));
    }
    rng.shuffle(&mut hours);
    let mut hours = hours.into_iter();

    let mut rows = Vec::with_capacity(total);
    for (creator_index, (creator, count)) in cast.iter().zip(counts).enumerate() {
        for _ in 0..count {
            let kind = Kind::from_roll(rng.below(100));
            let (lo, hi) = kind.gross_nickels();
            let gross_cents = rng.between(lo, hi) * 5;
            rows.push(Transaction {
                tx_id: format!("tx_{:016x}", rng.next_u64()),
                creator_index,
                profile_name: creator.profile_name,
                kind,
                title: rng.pick(kind.titles()).copied().unwrap_or("Payment"),
                fan: rng.pick(FANS).copied().unwrap_or("fan"),
                gross_cents,
                net_cents: gross_cents / 5 * 4,
                date,
                hour: hours.next().unwrap_or(0),
                minute: u8::try_from(rng.below(60)).unwrap_or(0),
                second: u8::try_from(rng.below(60)).unwrap_or(0),
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{AGENCY_A, AGENCY_B};
    use time::macros::date;

    #[test]
    fn deterministic_and_agency_specific() {
        let d = date!(2026 - 11 - 25);
        assert_eq!(day_transactions(AGENCY_A, d), day_transactions(AGENCY_A, d));
        assert_ne!(day_transactions(AGENCY_A, d), day_transactions(AGENCY_B, d));
        assert_ne!(
            day_transactions(AGENCY_A, d),
            day_transactions(AGENCY_A, date!(2026 - 11 - 24))
        );
    }

    #[test]
    fn shape_of_a_day() {
        for agency in [AGENCY_A, AGENCY_B] {
            let rows = day_transactions(agency, date!(2026 - 11 - 25));
            let n = creators(agency).len();
            for i in 0..n {
                let mine = rows.iter().filter(|t| t.creator_index == i).count() as u64;
                assert!((15..=25).contains(&mine));
            }
            for h in 0..24u8 {
                assert!(rows.iter().any(|t| t.hour == h), "hour {h} empty");
            }
            for t in &rows {
                assert_eq!(t.gross_cents % 5, 0);
                assert_eq!(t.net_cents * 5, t.gross_cents * 4);
                assert!(t.hour < 24 && t.minute < 60 && t.second < 60);
            }
        }
    }

    #[test]
    fn unknown_agency_has_no_rows() {
        assert!(day_transactions("nope", date!(2026 - 11 - 25)).is_empty());
    }
}
