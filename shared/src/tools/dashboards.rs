//! The dashboard tools, one row each: a new dashboard read is a row here
//! (and its line in [`super::ALL`]), its answer type in
//! `upstream::dashboard` (which names the endpoint) and the simulator's data.

use std::convert::identity;

use super::Docs;
use super::capped_earnings::CappedEarnings;
use super::dashboard::Dashboard;
use crate::domain::period_text;
use crate::upstream::dashboard::{Earnings, Fans, Kpis};

pub static KPIS: Dashboard<Kpis> = Dashboard {
    name: "malgomo_get_kpis",
    title: "MalGomo revenue KPIs",
    description: concat!(
        "Agency-wide net payout revenue (EUR) for a period: the headline net figure (hero_net_eur), revenue by category (subscriptions, tips, messages, posts, streams, referrals), hourly and daily revenue curves, and net revenue per creator. period: ",
        period_text!(glossed),
        ". Owner/admin only; requires login."
    ),
    reads: "revenue KPIs",
    docs: Docs {
        summary: "Agency-wide net payout revenue for the chosen period.",
        returns: None,
        note: None,
    },
    shape: identity,
};

pub static FANS: Dashboard<Fans> = Dashboard {
    name: "malgomo_get_fans",
    title: "MalGomo fan growth",
    description: concat!(
        "Fan growth across the agency: total fans (free and subscribed), new fans today and in the period, daily new fans, and per-creator counts. period: ",
        period_text!(glossed),
        ". Owner/admin only; requires login."
    ),
    reads: "fan growth",
    docs: Docs {
        summary: "Fan growth across the agency.",
        returns: None,
        note: None,
    },
    shape: identity,
};

pub static EARNINGS: Dashboard<Earnings, CappedEarnings> = Dashboard {
    name: "malgomo_get_earnings",
    title: "MalGomo earnings",
    description: concat!(
        "Earnings from the payout database for a period: gross and net totals, month-to-date gross/net/fee, daily earnings, per-creator earnings, and the newest transactions (capped at 50, newest first, with the total count). period: ",
        period_text!(glossed),
        ". Owner/admin only; requires login."
    ),
    reads: "earnings",
    docs: Docs {
        summary: "Earnings from the payout database.",
        returns: None,
        note: Some(
            "<code>transactions</code> holds at most the <strong>50 newest</strong> transactions, newest first. \
             <code>transactions_total</code> gives how many the period has in all, <code>transactions_truncated</code> is \
             <code>true</code> when some were left out, and <code>note</code> (present only then) says so. Totals and \
             per-creator figures always cover every transaction; ask for a shorter period to see older ones.",
        ),
    },
    shape: CappedEarnings::of,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_the_periods_from_the_table() {
        assert_eq!(
            KPIS.description,
            "Agency-wide net payout revenue (EUR) for a period: the headline net figure (hero_net_eur), revenue by category (subscriptions, tips, messages, posts, streams, referrals), hourly and daily revenue curves, and net revenue per creator. period: today (default), yesterday, 7d (this week) or 30d (this month). Owner/admin only; requires login."
        );
        for description in [KPIS.description, FANS.description, EARNINGS.description] {
            assert!(
                description.ends_with(
                    " period: today (default), yesterday, 7d (this week) or 30d (this month). Owner/admin only; requires login."
                ),
                "{description}"
            );
        }
    }
}
