//! `malgomo_status`: whether this connection is logged in, as whom, and
//! when its token expires. Only what the server or the backend verified is
//! reported: a bearer the server cannot check is shown to the backend first.

use async_trait::async_trait;
use serde::Serialize;
use serde_json::Value;

use super::access::explain;
use super::output::arguments;
use super::schema::no_input;
use super::{Context, Credential, Docs, Tool, ToolFailure, ToolOutput, annotations};
use crate::protocol::Era;
use crate::protocol::tool;
use crate::session::Login;
use crate::upstream::{Me, jwt};

pub struct Status;

pub const NAME: &str = "malgomo_status";

const TITLE: &str = "MalGomo login status";

/// Its fields in alphabetical order: the order its keys are written in.
#[derive(Serialize)]
struct Report {
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    can_read_dashboard: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    logged_in: bool,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    /// Access-token expiry, RFC 3339 (renewed automatically when a refresh token exists).
    #[serde(skip_serializing_if = "Option::is_none")]
    token_expires_at: Option<String>,
    /// How the connection authenticates: login, bearer, single_tenant, none.
    via: &'static str,
}

impl Report {
    /// Logged in with nothing more known than how.
    fn plain(via: &'static str, message: &str) -> Self {
        Self {
            logged_in: true,
            via,
            email: None,
            role: None,
            agency: None,
            agency_id: None,
            token_expires_at: None,
            can_read_dashboard: None,
            message: message.to_owned(),
        }
    }

    /// A login whose user the backend described.
    fn of_login(via: &'static str, login: &Login, how: &str) -> Self {
        Self::of_user(via, &login.me, login.tokens.expires_at, how)
    }

    /// A user the backend described, with a token expiring at `expires_at`.
    fn of_user(via: &'static str, me: &Me, expires_at: Option<i64>, how: &str) -> Self {
        Self {
            email: Some(me.email.clone()),
            role: Some(me.role.to_string()),
            agency: Some(me.agency_name.clone()),
            agency_id: Some(me.agency_id.clone()),
            token_expires_at: expires_at.and_then(rfc3339),
            can_read_dashboard: Some(me.role.can_read_dashboard()),
            ..Self::plain(
                via,
                &format!(
                    "{} as {} ({} of {}).",
                    how.trim_end_matches('.'),
                    me.email,
                    me.role,
                    me.agency_name
                ),
            )
        }
    }
}

#[async_trait]
impl Tool for Status {
    fn name(&self) -> &'static str {
        NAME
    }

    fn docs(&self) -> Docs {
        Docs {
            summary: "Reports whether the connection is logged in, as whom, and when the token expires.",
            returns: Some(
                "<code>logged_in</code>, <code>via</code> (<code>login</code>, <code>bearer</code>, \
                 <code>single_tenant</code> or <code>none</code>), <code>email</code>, <code>role</code>, <code>agency</code>, \
                 <code>agency_id</code>, <code>token_expires_at</code>, <code>can_read_dashboard</code>, <code>message</code>.",
            ),
            note: None,
        }
    }

    fn definition(&self) -> tool::Tool {
        tool::Tool {
            name: self.name(),
            title: TITLE,
            description: "Report whether this connection is logged in to MalGomo, as whom (email, role, agency), and when the token expires. No arguments. Call it to check before using the dashboard tools, or after an authorization error.",
            input_schema: no_input(),
            output_schema: None,
            annotations: annotations::local_read(TITLE),
            meta: None,
        }
    }

    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        let _: serde_json::Map<String, Value> = arguments(&no_input(), args)?;
        let report = match cx.credential() {
            Credential::Grant(grant) => Report::of_login(
                "oauth",
                &grant.login,
                "Signed in at connect; the token renews automatically.",
            ),
            Credential::Session(login) => Report::of_login(
                "login",
                login,
                concat!("Logged in through ", login_name!(), "."),
            ),
            Credential::Bearer(bearer) => {
                // The server does not verify a bearer's signature, so its
                // claims say nothing until the backend has accepted it: ask
                // the backend who it is, and report only what it says.
                let upstream = cx.upstream.clone();
                match upstream.api.me(&bearer.token).await {
                    Ok(me) => {
                        // Accepted by the backend, so its expiry is genuine.
                        let claims = jwt::claims(bearer.token.expose()).unwrap_or_default();
                        Report::of_user(
                            "bearer",
                            &me,
                            claims.exp,
                            "Authenticated by the bearer token on this connection, which the backend accepted.",
                        )
                    }
                    Err(err) => Report {
                        logged_in: false,
                        ..Report::plain("bearer", &explain(cx, &err))
                    },
                }
            }
            Credential::SingleTenant(_) => {
                Report::plain("single_tenant", "Using this server's single-tenant token.")
            }
            Credential::None => Report {
                logged_in: false,
                ..Report::plain(
                    "none",
                    match cx.era {
                        Era::Sessionful => {
                            concat!(
                                "Not logged in — call ",
                                login_name!(),
                                " with your MalGomo email and password."
                            )
                        }
                        Era::Stateless => super::STATELESS_LOGIN,
                    },
                )
            },
        };
        ToolOutput::structured(&report)
    }
}

fn rfc3339(unix_secs: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()?
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::Report;

    /// The report is written straight from its type: with every field
    /// present, its keys come out sorted (as a `Value`, whose maps are
    /// sorted, writes them).
    #[test]
    fn the_report_writes_its_keys_in_sorted_order() {
        let full = Report {
            agency: Some("A".into()),
            agency_id: Some("a".into()),
            can_read_dashboard: Some(true),
            email: Some("e@x.test".into()),
            role: Some("owner".into()),
            token_expires_at: Some("2026-12-07T00:00:00Z".into()),
            ..Report::plain("login", "ok")
        };
        let text = serde_json::to_string(&full).unwrap();
        let sorted = serde_json::to_value(&full).unwrap().to_string();
        assert_eq!(text, sorted);
    }
}
