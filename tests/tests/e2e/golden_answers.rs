//! Whole answers held byte for byte against golden copies under
//! `tests/golden/`: every data tool for every period, `tools/list` and
//! `resources/read`, in both eras (a 2025 session after `malgomo_login`; a
//! 2026-07-28 stateless caller with a bearer), with the simulator's day
//! pinned so its data is fixed. The copies were written by the code before
//! the hot path was made one-pass; any change to an answer's bytes (key
//! order, number formatting, escaping) fails here. One deliberate change
//! since: the output schemas' `required` arrays in `tools_list` list their
//! fields alphabetically, as the result types now declare them (a
//! `required` array is a set; every other byte the same). `MALGOMO_BLESS=1`
//! rewrites them instead of comparing: only for a deliberate change of an
//! answer, reviewed in the diff.

use std::path::PathBuf;

use malgomo::domain::Period;
use malgomo::tools::data_tool_names;
use malgomo_tests::answer::{Answer, exchange};
use malgomo_tests::{Mcp, TestApp, simulator_jwt, spawn_app};
use serde_json::{Value, json};

/// The day the simulator serves as today: the last of a month, so `30d`
/// covers a whole month, and a Monday, so `7d` is one day.
const PINNED_DAY: &str = "2026-11-30";
const OWNER: &str = "owner@agency-a.test";
const DASHBOARD: &str = "ui://malgomo/dashboard";
const V2026: &str = "2026-07-28";

/// Where the copies are, and whether this run writes them.
struct Golden {
    dir: PathBuf,
    bless: bool,
}

impl Golden {
    fn new() -> Golden {
        Golden {
            dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden"),
            bless: std::env::var("MALGOMO_BLESS").is_ok_and(|v| v == "1"),
        }
    }

    /// Compares `body` with the copy `name` (or writes it when blessing).
    fn hold(&self, name: &str, body: &str) {
        self.hold_bytes(name, body)
    }

    /// Like [`Self::hold`] for an answer too large to keep whole (the
    /// view's 360 KB document): its SHA-256 and length stand for its bytes.
    fn hold_digest(&self, name: &str, body: &str) {
        let digest = ring::digest::digest(&ring::digest::SHA256, body.as_bytes());
        let hex: String = digest
            .as_ref()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        self.hold_bytes(name, &format!("sha256 {hex}\nbytes {}\n", body.len()))
    }

    fn hold_bytes(&self, name: &str, body: &str) {
        let path = self.dir.join(name);
        if self.bless {
            let dir = path.parent().expect("a golden file has a folder");
            std::fs::create_dir_all(dir).expect("golden folder");
            std::fs::write(&path, body).expect("golden file written");
            return;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err} (MALGOMO_BLESS=1 writes it)", path.display()));
        assert!(
            golden == body,
            "{name}: the answer's bytes changed\n golden: {golden}\n now:    {body}"
        );
    }
}

/// The app with the simulator's day pinned.
async fn pinned_app() -> TestApp {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(format!("{}/_sim/knobs", app.sim.base_url()))
        .json(&json!({ "today": PINNED_DAY }))
        .send()
        .await
        .expect("simulator answers");
    assert_eq!(response.status(), 200, "the knob is set");
    app
}

/// The body of one JSON-RPC request (`id` 7) as the 2025 session sends it.
async fn in_session(mcp: &Mcp, method: &str, params: Value) -> Answer {
    let request = json!({ "jsonrpc": "2.0", "id": 7, "method": method, "params": params });
    let answer = exchange(mcp.post().json(&request)).await;
    assert_eq!(answer.status, 200, "{method}: {}", answer.body);
    answer
}

/// The same, conformant to 2026-07-28: `_meta` and the mirrored headers.
async fn stateless(app: &TestApp, bearer: &str, method: &str, params: Value) -> Answer {
    let mut params = params;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": V2026,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": { "name": "golden-tests", "version": "0" }
    });
    let mut builder = reqwest::Client::new()
        .post(app.mcp_url())
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", V2026)
        .header("mcp-method", method)
        .bearer_auth(bearer);
    let name = params["name"].as_str().or(params["uri"].as_str());
    if let Some(name) = name {
        builder = builder.header("mcp-name", name.to_owned());
    }
    let request = json!({ "jsonrpc": "2.0", "id": 7, "method": method, "params": params });
    let answer = exchange(builder.json(&request)).await;
    assert_eq!(answer.status, 200, "{method}: {}", answer.body);
    answer
}

/// Holds that the result's keys are sorted at every level, as its golden
/// copy has them: a result is written straight from its type, so a field
/// declared out of alphabetical order fails here by name, before (and
/// whether or not) the copy is blessed again. Its text is the same bytes;
/// a `Value` writes its maps sorted.
fn keys_in_order(tool: &str, answer: &Answer) {
    let body = answer.json();
    let text = body["result"]["content"][0]["text"]
        .as_str()
        .expect("a text content");
    let structured = &body["result"]["structuredContent"];
    assert_eq!(
        text,
        structured.to_string(),
        "{tool}: a result type declares its fields out of alphabetical order"
    );
}

fn call(tool: &str, period: &str) -> Value {
    json!({ "name": tool, "arguments": { "period": period } })
}

#[tokio::test]
async fn session_answers_are_the_golden_bytes() {
    let golden = Golden::new();
    let app = pinned_app().await;
    let mcp = app.logged_in(OWNER).await;
    for tool in data_tool_names() {
        for period in Period::VALUES {
            let answer = in_session(&mcp, "tools/call", call(tool, period)).await;
            keys_in_order(tool, &answer);
            golden.hold(&format!("2025/{tool}_{period}.json"), &answer.body);
        }
    }
    let listed = in_session(&mcp, "tools/list", json!({})).await;
    golden.hold("2025/tools_list.json", &listed.body);
    let read = in_session(&mcp, "resources/read", json!({ "uri": DASHBOARD })).await;
    golden.hold_digest("2025/resources_read.sha256", &read.body);
}

#[tokio::test]
async fn stateless_answers_are_the_golden_bytes() {
    let golden = Golden::new();
    let app = pinned_app().await;
    let bearer = simulator_jwt(&app.sim, OWNER).await;
    for tool in data_tool_names() {
        for period in Period::VALUES {
            let answer = stateless(&app, &bearer, "tools/call", call(tool, period)).await;
            keys_in_order(tool, &answer);
            golden.hold(&format!("2026/{tool}_{period}.json"), &answer.body);
        }
    }
    let listed = stateless(&app, &bearer, "tools/list", json!({})).await;
    golden.hold("2026/tools_list.json", &listed.body);
    let read = stateless(&app, &bearer, "resources/read", json!({ "uri": DASHBOARD })).await;
    golden.hold_digest("2026/resources_read.sha256", &read.body);
}
