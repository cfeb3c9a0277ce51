//! The upstream endpoints the simulator serves, as counted and targeted by faults.

use crate::faults::Target;

/// Which of the two simulated services answers; decides the shape of error bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Surface {
    /// Supabase: `{"code","error_code","msg"}`.
    Auth,
    /// MalGomo backend: `{"error","message"}`.
    Api,
}

/// One upstream endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Password,
    Refresh,
    Logout,
    User,
    Me,
    Kpis,
    Fans,
    Earnings,
}

impl Endpoint {
    /// Every endpoint, in counter order.
    pub const ALL: [Endpoint; 8] = [
        Endpoint::Password,
        Endpoint::Refresh,
        Endpoint::Logout,
        Endpoint::User,
        Endpoint::Me,
        Endpoint::Kpis,
        Endpoint::Fans,
        Endpoint::Earnings,
    ];

    /// The key in `Counters::requests`.
    pub fn key(self) -> &'static str {
        match self {
            Endpoint::Password => "password",
            Endpoint::Refresh => "refresh",
            Endpoint::Logout => "logout",
            Endpoint::User => "user",
            Endpoint::Me => "me",
            Endpoint::Kpis => "kpis",
            Endpoint::Fans => "fans",
            Endpoint::Earnings => "earnings",
        }
    }

    pub fn surface(self) -> Surface {
        match self {
            Endpoint::Password | Endpoint::Refresh | Endpoint::Logout | Endpoint::User => {
                Surface::Auth
            }
            Endpoint::Me | Endpoint::Kpis | Endpoint::Fans | Endpoint::Earnings => Surface::Api,
        }
    }

    /// Whether a fault aimed at `target` applies to this endpoint.
    pub fn is_targeted_by(self, target: Target) -> bool {
        match target {
            Target::Any => true,
            Target::AnyApi => self.surface() == Surface::Api,
            Target::Password => self == Endpoint::Password,
            Target::Refresh => self == Endpoint::Refresh,
            Target::Logout => self == Endpoint::Logout,
            Target::User => self == Endpoint::User,
            Target::Me => self == Endpoint::Me,
            Target::Kpis => self == Endpoint::Kpis,
            Target::Fans => self == Endpoint::Fans,
            Target::Earnings => self == Endpoint::Earnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_api_covers_me_and_dashboard_only() {
        let hit: Vec<_> = Endpoint::ALL
            .iter()
            .filter(|e| e.is_targeted_by(Target::AnyApi))
            .map(|e| e.key())
            .collect();
        assert_eq!(hit, ["me", "kpis", "fans", "earnings"]);
        assert!(Endpoint::ALL.iter().all(|e| e.is_targeted_by(Target::Any)));
    }
}
