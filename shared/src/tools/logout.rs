//! `malgomo_logout`: forget this session's login and end it upstream.

use async_trait::async_trait;
use serde_json::Value;

use super::output::arguments;
use super::schema::no_input;
use super::{Context, Credential, Docs, Tool, ToolFailure, ToolOutput, annotations};
use crate::oauth::GrantAccess;
use crate::protocol::tool;

pub struct Logout;

pub const NAME: &str = "malgomo_logout";

const TITLE: &str = "Log out of MalGomo";

#[async_trait]
impl Tool for Logout {
    fn name(&self) -> &'static str {
        NAME
    }

    fn docs(&self) -> Docs {
        Docs {
            summary: "Clears the session token from this connection and ends the upstream session.",
            returns: Some(concat!(
                "a confirmation; call <code>",
                login_name!(),
                "</code> to log in again."
            )),
            note: None,
        }
    }

    fn definition(&self) -> tool::Tool {
        tool::Tool {
            name: self.name(),
            title: TITLE,
            description: concat!(
                "Clear this connection's MalGomo login: the session token is forgotten and the upstream session ended. No arguments. Call ",
                login_name!(),
                " to log in again."
            ),
            input_schema: no_input(),
            output_schema: None,
            annotations: annotations::sign_in_change(TITLE),
            meta: None,
        }
    }

    async fn call(&self, cx: &mut Context<'_>, args: Value) -> Result<ToolOutput, ToolFailure> {
        let _: serde_json::Map<String, Value> = arguments(&no_input(), args)?;
        let login = match cx.credential() {
            Credential::Grant(grant) => return Ok(sign_out(cx, grant).await),
            Credential::Session(login) => login.clone(),
            Credential::Bearer(_) => {
                return Ok(ToolOutput::text(
                    "this connection authenticates with a bearer token, which the client holds; nothing to log out here — disconnect or drop the token in the client",
                ));
            }
            Credential::SingleTenant(_) | Credential::None => {
                return Ok(ToolOutput::text("not logged in — nothing to do"));
            }
        };
        if let Err(err) = cx.update_session(|record| record.login = None).await {
            return Ok(ToolOutput::error(format!(
                "could not clear the login ({err}) — try again"
            )));
        }
        // The local login is gone either way; a failed upstream logout only
        // leaves a refresh token nobody holds any more to expire by itself.
        let upstream = cx.upstream.clone();
        if let Err(err) = upstream.auth.logout(&login.tokens.access_token).await {
            tracing::info!(error = %err, "upstream logout failed after the local logout");
        }
        Ok(ToolOutput::text(format!(
            concat!("Logged out {}. Call ", login_name!(), " to log in again."),
            login.me.email
        )))
    }
}

/// Mode A: logging out revokes the connector's grant.
async fn sign_out(cx: &Context<'_>, grant: &GrantAccess) -> ToolOutput {
    match crate::oauth::revoke_grant(cx.stores(), &grant.grant_id).await {
        Ok(()) => ToolOutput::text(format!(
            "Signed out {}: this connector's tokens are revoked. Reconnect the connector to sign in again.",
            grant.login.me.email
        )),
        Err(err) => ToolOutput::error(format!("could not sign out ({err}) — try again")),
    }
}
