//! The upstream endpoints the simulator serves, spelt once in
//! [`endpoints!`]: the endpoint enum (counted in `Counters::requests`), the
//! fault [`Target`]s that aim at one of them, and which service answers
//! each. The fault queue (`faults.rs`) builds on this; nothing here
//! imports it.

use serde::{Deserialize, Serialize};

/// Which of the two simulated services answers; decides the shape of error bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Surface {
    /// Supabase: `{"code","error_code","msg"}`.
    Auth,
    /// MalGomo backend: `{"error","message"}`.
    Api,
}

/// The endpoints: each with its route (as its doc), its counter key (also
/// its fault target's wire name) and its surface.
macro_rules! endpoints {
    ($($(#[$doc:meta])* $name:ident = $key:literal, $surface:ident;)+) => {
        /// One upstream endpoint.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Endpoint {
            $($(#[$doc])* $name,)+
        }

        impl Endpoint {
            /// Every endpoint, in counter order.
            pub const ALL: [Endpoint; [$($key),+].len()] = [$(Endpoint::$name),+];

            /// The key in `Counters::requests`.
            pub fn key(self) -> &'static str {
                match self {
                    $(Endpoint::$name => $key,)+
                }
            }

            pub fn surface(self) -> Surface {
                match self {
                    $(Endpoint::$name => Surface::$surface,)+
                }
            }

            /// Whether a fault aimed at `target` applies to this endpoint.
            pub fn is_targeted_by(self, target: Target) -> bool {
                match target {
                    Target::Any => true,
                    Target::AnyApi => self.surface() == Surface::Api,
                    $(Target::$name => self == Endpoint::$name,)+
                }
            }
        }

        /// Which requests an injected fault applies to.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Target {
            $(
                $(#[$doc])*
                #[serde(rename = $key)]
                $name,
            )+
            /// `/api/me` and the three dashboard endpoints.
            AnyApi,
            /// Every upstream endpoint, auth included.
            Any,
        }
    };
}

endpoints! {
    /// `POST /auth/v1/token?grant_type=password`
    Password = "password", Auth;
    /// `POST /auth/v1/token?grant_type=refresh_token`
    Refresh = "refresh", Auth;
    /// `POST /auth/v1/logout`
    Logout = "logout", Auth;
    /// `GET /auth/v1/user`
    User = "user", Auth;
    /// `GET /api/me`
    Me = "me", Api;
    /// `GET /api/dashboard/kpis`
    Kpis = "kpis", Api;
    /// `GET /api/dashboard/fans`
    Fans = "fans", Api;
    /// `GET /api/dashboard/earnings`
    Earnings = "earnings", Api;
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

    #[test]
    fn each_endpoint_has_the_target_named_by_its_key() {
        for endpoint in Endpoint::ALL {
            let target: Target = serde_json::from_value(serde_json::json!(endpoint.key())).unwrap();
            let hit: Vec<_> = Endpoint::ALL
                .iter()
                .filter(|e| e.is_targeted_by(target))
                .collect();
            assert_eq!(hit, [&endpoint]);
        }
    }
}
