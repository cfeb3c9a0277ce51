//! The stack as `template.yaml` deploys it, on loopback: the three Lambda
//! binaries behind the front door (tests/src/lambda/front_door.rs), each
//! holding only the DynamoDB permissions its template policies grant — read
//! from the template, not copied — on a DynamoDB that enforces them
//! (tests/src/iam.rs). Any action the code calls that the template does
//! not grant fails these flows.

use malgomo::tools::data_tool_names;
use std::collections::BTreeMap;
use std::sync::Arc;

use malgomo_sim::Simulator;
use malgomo_tests::iam::{AccessKey, IamDynamo};
use malgomo_tests::lambda::Function;
use malgomo_tests::lambda::front_door::{Edge, FrontDoor, function_url_domain};
use malgomo_tests::oauth::{Endpoint, Tokens};
use malgomo_tests::reqwest;
use malgomo_tests::template::Template;
use malgomo_tests::{Mcp, TEST_SESSION_KEY, accounts, text};
use serde_json::{Value, json};

const LAMBDA_MCP: &str = env!("CARGO_BIN_EXE_lambda-mcp");
const LAMBDA_OAUTH: &str = env!("CARGO_BIN_EXE_lambda-oauth");
const LAMBDA_HEALTH: &str = env!("CARGO_BIN_EXE_lambda-health");
const ORIGIN_SECRET: &str = "origin-secret-of-the-deployed-tests-0123456789";
const CLOUDFRONT_ORIGIN: &str = "https://d1234abcdefghij.cloudfront.net";
const OWNER: &str = "owner@agency-a.test";

/// A DynamoDB enforcing IAM, one table, and one IAM user per function
/// holding exactly that function's template policies.
struct Account {
    dynamo: IamDynamo,
    table: String,
    keys: BTreeMap<&'static str, AccessKey>,
    sim: Simulator,
}

/// The template's function resources, by the front door's origin ids.
const FUNCTIONS: [(&str, &str, &str); 3] = [
    ("mcp", "McpFunction", LAMBDA_MCP),
    ("oauth", "OauthFunction", LAMBDA_OAUTH),
    ("health", "HealthFunction", LAMBDA_HEALTH),
];

impl Account {
    async fn start(users: &[(&'static str, Vec<String>)]) -> Account {
        let dynamo = IamDynamo::start().await;
        let table = dynamo.create_table().await;
        let mut keys = BTreeMap::new();
        for (name, actions) in users {
            keys.insert(*name, dynamo.user(name, actions).await);
        }
        dynamo.enforce().await;
        // Enforcement is on: the dummy credentials every other test uses
        // are refused now.
        let anonymous = malgomo_tests::dynamo::client_at(&dynamo.endpoint, None).await;
        assert!(
            anonymous
                .describe_table()
                .table_name(&table)
                .send()
                .await
                .is_err(),
            "moto enforces IAM"
        );
        Account {
            dynamo,
            table,
            keys,
            sim: Simulator::start(0).await.expect("simulator starts"),
        }
    }

    /// Each template function's own user.
    async fn per_template() -> Account {
        let template = Template::load();
        let users: Vec<(&'static str, Vec<String>)> = FUNCTIONS
            .iter()
            .map(|(_, resource, _)| (*resource, template.allowed_actions(resource)))
            .collect();
        Account::start(&users).await
    }

    /// A Lambda binary signing as `user`, configured as the template does.
    async fn function(
        &self,
        binary: &str,
        user: &str,
        extra: &[(&'static str, String)],
    ) -> Arc<Function> {
        let mut env = vec![
            ("MALGOMO_API_BASE", self.sim.base_url()),
            ("SUPABASE_URL", self.sim.base_url()),
            ("SUPABASE_ANON_KEY", accounts::DEMO_ANON_KEY.to_owned()),
            ("DYNAMODB_TABLE", self.table.clone()),
            ("SESSION_KEY", TEST_SESSION_KEY.to_owned()),
            ("AWS_ENDPOINT_URL_DYNAMODB", self.dynamo.endpoint.clone()),
            ("LOG_FORMAT", "json".to_owned()),
        ];
        env.extend(self.keys[user].env());
        env.extend(extra.iter().cloned());
        Arc::new(Function::spawn(binary, &env).await)
    }

    /// The CloudFront stack: three functions, each as its template user.
    async fn cloudfront(
        &self,
        public_url: Option<&str>,
    ) -> (FrontDoor, BTreeMap<String, Arc<Function>>) {
        let mut extra = vec![("ORIGIN_SECRET", ORIGIN_SECRET.to_owned())];
        if let Some(url) = public_url {
            extra.push(("PUBLIC_URL", url.to_owned()));
        }
        let mut functions = BTreeMap::new();
        for (origin, resource, binary) in FUNCTIONS {
            functions.insert(
                origin.to_owned(),
                self.function(binary, resource, &extra).await,
            );
        }
        let edge = Edge::CloudFront {
            origin_secret: ORIGIN_SECRET.to_owned(),
        };
        (FrontDoor::start(edge, functions.clone()).await, functions)
    }
}

fn mcp_client(front: &FrontDoor) -> Mcp {
    Mcp::at(&format!("{}/mcp", front.base))
}

/// Mode B end to end: initialize, login, every data tool, status, logout,
/// DELETE (and the ended session answers 404).
async fn mode_b_flow(front: &FrontDoor) {
    let mut mcp = mcp_client(front);
    mcp.initialize("2025-06-18").await;
    let login = mcp.login(OWNER).await;
    assert_eq!(login["isError"], false, "login: {login}");
    for tool in data_tool_names() {
        let result = mcp.call_tool(tool, json!({ "period": "7d" })).await;
        assert_eq!(result["isError"], false, "{tool}: {result}");
        assert!(result["structuredContent"].is_object(), "{tool}: {result}");
    }
    let status = mcp.call_tool("malgomo_status", json!({})).await;
    assert!(
        text(&status).contains(OWNER),
        "status names the user: {status}"
    );
    let logout = mcp.call_tool("malgomo_logout", json!({})).await;
    assert_eq!(logout["isError"], false, "logout: {logout}");
    let forbidden = mcp.call_tool(data_tool_names()[0], json!({})).await;
    assert_eq!(forbidden["isError"], true, "logged out: {forbidden}");
    let session = mcp.session.clone().expect("a session id");
    let deleted = mcp
        .http
        .delete(&mcp.url)
        .header("mcp-session-id", &session)
        .header("mcp-protocol-version", "2025-06-18")
        .send()
        .await
        .expect("DELETE answers");
    assert!(
        deleted.status().is_success(),
        "DELETE: {}",
        deleted.status()
    );
    let (status, body) = mcp.rpc("tools/list", json!({})).await;
    assert_eq!(status, 404, "the ended session is gone: {body}");
}

/// Mode A end to end: register, authorize, sign in, code → tokens, a tool
/// call with the bearer, refresh, revoke (and the revoked token is refused).
async fn mode_a_flow(endpoint: &Endpoint) {
    let (client, tokens) = endpoint.connect().await;
    endpoint.assert_works(&tokens.access).await;
    let refreshed = Tokens::from(&endpoint.refresh(&client.id, &tokens.refresh).await);
    endpoint.assert_works(&refreshed.access).await;
    let revoked = endpoint.revoke(&client.id, &refreshed.refresh).await;
    assert_eq!(revoked.status, 200, "revoke: {}", revoked.body);
    endpoint.assert_refused(&refreshed.access).await;
}

#[tokio::test]
async fn every_flow_runs_on_exactly_the_dynamodb_actions_the_template_grants() {
    let account = Account::per_template().await;

    let (front, functions) = account.cloudfront(None).await;
    let health = reqwest::get(format!("{}/healthz", front.base))
        .await
        .expect("healthz answers");
    assert_eq!(
        health.status(),
        200,
        "the health function checked the table"
    );
    mode_b_flow(&front).await;
    assert_json_logs_carry_the_request_id(&functions["mcp"]);
    drop(front);

    let (front, _functions) = account.cloudfront(Some(CLOUDFRONT_ORIGIN)).await;
    mode_a_flow(&Endpoint::new(&front.base, CLOUDFRONT_ORIGIN)).await;
}

/// The Function URL front door: no CloudFront, no secret, one function
/// serving every route — and mode A there with `PUBLIC_URL=function-url`,
/// the function learning its URL from the first event.
#[tokio::test]
async fn the_function_url_front_door_serves_both_modes_from_the_mcp_function_alone() {
    let account = Account::per_template().await;
    for public_url in ["", "function-url"] {
        let mcp = account
            .function(
                LAMBDA_MCP,
                "McpFunction",
                &[("PUBLIC_URL", public_url.to_owned())],
            )
            .await;
        let functions = BTreeMap::from([("mcp".to_owned(), mcp)]);
        let front = FrontDoor::start(Edge::FunctionUrl, functions).await;
        let health = reqwest::get(format!("{}/healthz", front.base))
            .await
            .expect("healthz answers");
        assert_eq!(health.status(), 200);
        if public_url.is_empty() {
            mode_b_flow(&front).await;
        } else {
            let public = format!("https://{}", function_url_domain("mcp"));
            let metadata: Value = reqwest::get(format!(
                "{}/.well-known/oauth-authorization-server",
                front.base
            ))
            .await
            .expect("metadata answers")
            .json()
            .await
            .expect("metadata is JSON");
            assert_eq!(metadata["issuer"], json!(public), "{metadata}");
            mode_a_flow(&Endpoint::new(&front.base, &public)).await;
        }
    }
}

/// The enforcement bites: the mcp function without `PutItem` cannot keep a
/// login — the user gets a defined error, not a session that claims one.
#[tokio::test]
async fn one_action_less_than_the_template_grants_fails_the_login() {
    let mut actions = Template::load().allowed_actions("McpFunction");
    actions.retain(|action| action != "dynamodb:PutItem");
    let account = Account::start(&[("McpFunction", actions)]).await;
    let mcp = account.function(LAMBDA_MCP, "McpFunction", &[]).await;
    let front = FrontDoor::start(
        Edge::FunctionUrl,
        BTreeMap::from([("mcp".to_owned(), mcp.clone())]),
    )
    .await;
    let mut client = mcp_client(&front);
    client.initialize("2025-06-18").await;
    let account_of = accounts::find(OWNER).expect("a demo account");
    let (status, body) = client
        .rpc(
            "tools/call",
            json!({ "name": "malgomo_login",
                    "arguments": { "email": account_of.email, "password": account_of.password } }),
        )
        .await;
    let refused = status != 200 || body["result"]["isError"] == true;
    assert!(refused, "login without PutItem must fail: {status} {body}");
    let status = client.call_tool("malgomo_status", json!({})).await;
    assert!(!text(&status).contains(OWNER), "not logged in: {status}");
    assert!(
        mcp.output().contains("AccessDenied") || mcp.output().contains("HTTP 403"),
        "the refusal is logged:\n{}",
        mcp.output()
    );
}

/// Lambda logs are JSON lines, and every line written while serving an
/// event carries that event's request id (the runtime's span).
fn assert_json_logs_carry_the_request_id(function: &Function) {
    let ids = function.api.request_ids();
    let output = function.output();
    let lines: Vec<Value> = output
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    assert!(!lines.is_empty(), "JSON log lines:\n{output}");
    let served: Vec<&Value> = lines
        .iter()
        .filter(|line| line["span"].is_object() || line["spans"].is_array())
        .collect();
    assert!(
        !served.is_empty(),
        "some lines were written while serving:\n{output}"
    );
    for line in served {
        let id = line["span"]["requestId"].as_str().unwrap_or_default();
        assert!(
            ids.iter().any(|issued| issued == id),
            "{line} names an issued request id"
        );
    }
}
