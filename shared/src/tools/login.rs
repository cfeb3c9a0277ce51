//! `malgomo_login`: email + password → Supabase password grant → access
//! probe (`/api/me`) → the token set is kept in the session. The
//! credentials are used once and never stored or logged.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::access::explain;
use super::output::arguments;
use super::{Context, Credential, Docs, Tool, ToolFailure, ToolOutput, annotations, schema};
use crate::domain::{Email, Secret};
use crate::limits::password::{self, Throttled};
use crate::protocol::Era;
use crate::protocol::tool;
use crate::session::Login as SessionLogin;
use crate::session::per_user;

pub struct Login;

pub const NAME: &str = login_name!();
const TITLE: &str = "Log in to MalGomo";

/// How to authenticate where the login tool cannot work: a 2026-07-28
/// request has no session to keep a login in.
pub const STATELESS_LOGIN: &str = concat!(
    "This connection speaks MCP 2026-07-28, which has no sessions, so ",
    login_name!(),
    " cannot keep a login here. Connect with OAuth instead — use a server that has PUBLIC_URL set (your app then opens a MalGomo sign-in page when you add the connector) — or send Authorization: Bearer <MalGomo access token> with every request."
);

#[derive(Deserialize)]
struct Input {
    email: String,
    password: Secret,
}

#[async_trait]
impl Tool for Login {
    fn name(&self) -> &'static str {
        NAME
    }

    fn docs(&self) -> Docs {
        Docs {
            summary: "Log in with email and password. Verifies your access once per session.",
            returns: Some(
                "a confirmation naming your email, role and agency, and whether the data tools are available to you.",
            ),
            note: None,
        }
    }

    fn definition(&self) -> tool::Tool {
        tool::Tool {
            name: NAME,
            title: TITLE,
            description: "Log in with your MalGomo CRM email and password. Needed once per connection before the dashboard tools work (unless the connection already carries a bearer token). The password is used once to obtain a session token and is never stored. Dashboard data is owner/admin only: a member can log in but the data tools will answer forbidden. Works on MCP 2025 connections, which keep a session; a 2026-07-28 connection has none and must sign in with OAuth or a bearer token instead.",
            input_schema: schema::object(json!({
                "type": "object",
                "properties": {
                    "email": { "type": "string", "description": "Your MalGomo CRM email." },
                    "password": { "type": "string", "description": "Your CRM password. Used once, never stored." }
                },
                "required": ["email", "password"],
                "additionalProperties": false
            })),
            output_schema: None,
            annotations: annotations::sign_in_change(TITLE),
            meta: None,
        }
    }

    /// In mode A nobody should type a password into a chat: the tool takes
    /// no arguments and says where sign-in happens.
    fn definition_in_mode_a(&self) -> tool::Tool {
        tool::Tool {
            description: "Not needed on this server: sign-in happens in your browser when the connector is added, and the connection is already signed in. Calling it reports who is signed in. Never ask the user for their password.",
            input_schema: schema::object(json!({ "type": "object", "properties": {} })),
            annotations: annotations::local_read(TITLE),
            ..self.definition()
        }
    }

    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        let credential = cx.credential();
        if let Credential::Grant(grant) = credential {
            let me = &grant.login.me;
            return Ok(ToolOutput::text(format!(
                "You are already signed in as {} ({} of {}): on this server sign-in happens when the connector is added, in your browser — no login tool is needed. To switch accounts, reconnect the connector.",
                me.email, me.role, me.agency_name
            )));
        }
        // A bearer signs in already, whatever the arguments say.
        if matches!(credential, Credential::Bearer(_)) {
            return Ok(ToolOutput::text(
                "this connection is already authenticated by its bearer token; no login is needed — use the dashboard tools",
            ));
        }
        if cx.era == Era::Stateless {
            return Ok(ToolOutput::error(STATELESS_LOGIN));
        }
        let input: Input = arguments(&self.definition().input_schema, args)?;
        if cx.session.is_none() {
            return Ok(ToolOutput::error(
                "login needs an MCP session — send initialize first and pass its Mcp-Session-Id",
            ));
        }
        let email = match Email::parse(&input.email) {
            Ok(email) => email,
            Err(err) => {
                return Ok(ToolOutput::error(format!(
                    "{err} — give the email you use for MalGomo"
                )));
            }
        };
        if input.password.is_empty() {
            return Ok(ToolOutput::error(
                "the password is empty — give your MalGomo password",
            ));
        }
        let now = cx.now_ms();
        // A login the store could not keep is refused before the backend is
        // asked (and before an attempt is counted).
        if let Some(open) = &cx.session {
            let key = crate::session::stored::key_of(&open.id.storage_key());
            if let Err(err) = cx.sessions.stored.records().room_for(&key, now).await {
                return Ok(ToolOutput::error(format!(
                    "login is not possible right now: {err} — try again later; the password was not checked"
                )));
            }
        }
        let throttle = cx.throttle;
        match password::admit(throttle, &email, cx.client, now).await {
            Ok(()) => {}
            Err(Throttled::Attempts(wait)) => {
                return Ok(ToolOutput::error(format!(
                    "too many login attempts for this account from your network — try again in {wait}; the password was not checked"
                )));
            }
            Err(Throttled::Busy(wait)) => {
                return Ok(ToolOutput::error(format!(
                    "sign-in is busy: this server's sign-ins for the minute are spent — try again in {wait}; the password was not checked"
                )));
            }
            Err(Throttled::Unavailable) => {
                return Ok(ToolOutput::error(
                    "login is temporarily unavailable — try again in a minute",
                ));
            }
        }
        let upstream = cx.upstream.clone();
        let grant = match upstream
            .auth
            .password_grant_for(&email, &input.password, cx.client.ip())
            .await
        {
            Ok(grant) => grant,
            Err(err) => return Ok(ToolOutput::error(explain(cx, &err))),
        };
        drop(input);
        let me = match upstream.api.me(&grant.tokens.access_token).await {
            Ok(me) => me,
            Err(err) => return Ok(ToolOutput::error(explain(cx, &err))),
        };
        password::succeeded(throttle, &email, cx.client, now).await;
        // MAX_SESSIONS per user: count this session in, ending the user's
        // oldest beyond the bound (first, so the room is there).
        if let Some(open) = &cx.session {
            match per_user::admit(cx.sessions, &me.user_id, &open.id).await {
                Ok(0) => {}
                Ok(ended) => {
                    tracing::info!(ended, "the user's oldest sessions ended (MAX_SESSIONS)")
                }
                // The login stands; only this one session goes uncounted.
                Err(err) => tracing::warn!(error = %err, "could not index the user's session"),
            }
        }
        let login = SessionLogin {
            tokens: grant.tokens,
            me: me.clone(),
        };
        if let Err(err) = cx
            .update_session(|record| record.login = Some(login.clone()))
            .await
        {
            tracing::warn!(error = %err, "could not store the login in the session");
            return Ok(ToolOutput::error(format!(
                concat!(
                    "logged in, but the session could not be saved ({}) — try ",
                    login_name!(),
                    " again"
                ),
                err
            )));
        }
        tracing::info!(role = %me.role, agency = %me.agency_id, "login succeeded");
        let access = if me.role.can_read_dashboard() {
            format!(
                "The dashboard tools ({}) are available.",
                super::data_tool_names().join(", ")
            )
        } else {
            "Note: dashboard data is owner/admin only, so the data tools will answer forbidden for this account.".to_owned()
        };
        Ok(ToolOutput::text(format!(
            "Logged in as {} ({} of {}). {access}",
            me.email, me.role, me.agency_name
        )))
    }
}
