//! Revenue sums over a window, all in integer cents, shared by KPIs and earnings.

use super::catalog::creators;
use super::ledger::{Transaction, day_transactions};
use super::period::Window;
use time::Date;

/// Gross and net of some slice of the ledger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Money {
    pub gross_cents: u64,
    pub net_cents: u64,
}

impl Money {
    fn add(&mut self, tx: &Transaction) {
        self.gross_cents += tx.gross_cents;
        self.net_cents += tx.net_cents;
    }
}

/// One day of a window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySum {
    pub date: Date,
    pub money: Money,
    pub transactions: usize,
}

/// Everything summed over a window for one agency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: Money,
    /// Indexed like `catalog::creators(agency)`.
    pub per_creator: Vec<Money>,
    /// Indexed like `Kind::ALL`.
    pub per_kind: [Money; 6],
    pub days: Vec<DaySum>,
    /// The window's transactions, day by day, each day grouped by creator.
    pub transactions: Vec<Transaction>,
}

/// Sums the ledger of every day in `window`.
pub fn summarize(agency: &str, window: Window) -> Summary {
    let mut summary = Summary {
        per_creator: vec![Money::default(); creators(agency).len()],
        ..Summary::default()
    };
    for date in window.days() {
        let rows = day_transactions(agency, date);
        let mut day = DaySum {
            date,
            money: Money::default(),
            transactions: rows.len(),
        };
        for tx in &rows {
            day.money.add(tx);
            summary.total.add(tx);
            if let Some(m) = summary.per_creator.get_mut(tx.creator_index) {
                m.add(tx);
            }
            if let Some(m) = summary.per_kind.get_mut(tx.kind.index()) {
                m.add(tx);
            }
        }
        summary.days.push(day);
        summary.transactions.extend(rows);
    }
    summary
}

/// Net cents per hour 0–23 of one day, with the transaction count of each hour.
pub fn hourly_net(agency: &str, date: Date) -> [(u64, usize); 24] {
    let mut hours = [(0u64, 0usize); 24];
    for tx in day_transactions(agency, date) {
        if let Some(slot) = hours.get_mut(usize::from(tx.hour)) {
            slot.0 += tx.net_cents;
            slot.1 += 1;
        }
    }
    hours
}

/// Ranks (1 = highest net) of the creators, ties broken by catalog order.
pub fn ranks(per_creator: &[Money]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..per_creator.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(per_creator.get(i).map_or(0, |m| m.net_cents)));
    let mut ranks = vec![0; per_creator.len()];
    for (rank, i) in order.into_iter().enumerate() {
        if let Some(slot) = ranks.get_mut(i) {
            *slot = rank + 1;
        }
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::AGENCY_A;
    use crate::data::Period;
    use time::macros::date;

    #[test]
    fn sums_agree() {
        let s = summarize(AGENCY_A, Period::Week.window(date!(2026 - 11 - 25)));
        let by_creator: u64 = s.per_creator.iter().map(|m| m.net_cents).sum();
        let by_kind: u64 = s.per_kind.iter().map(|m| m.net_cents).sum();
        let by_day: u64 = s.days.iter().map(|d| d.money.net_cents).sum();
        assert_eq!(by_creator, s.total.net_cents);
        assert_eq!(by_kind, s.total.net_cents);
        assert_eq!(by_day, s.total.net_cents);
        assert_eq!(s.total.net_cents * 5, s.total.gross_cents * 4);
        assert_eq!(s.days.len(), 3);
    }

    #[test]
    fn ranks_are_a_permutation() {
        let m = |n| Money {
            gross_cents: 0,
            net_cents: n,
        };
        assert_eq!(ranks(&[m(5), m(9), m(5)]), vec![2, 1, 3]);
    }
}
