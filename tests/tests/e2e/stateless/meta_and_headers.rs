//! The required `_meta`, the version, and the `MCP-Protocol-Version`,
//! `Mcp-Method` and `Mcp-Name` headers against the body.

use malgomo_tests::answer::exchange;
use malgomo_tests::rpc::INVALID_PARAMS;
use serde_json::json;

use super::*;

#[tokio::test]
async fn missing_meta_or_its_required_keys_is_400_invalid_params() {
    let app = signed_in().await;
    for params in [
        json!({}),
        json!({ "_meta": { "io.modelcontextprotocol/clientCapabilities": {} } }),
        json!({ "_meta": { "io.modelcontextprotocol/protocolVersion": V2026 } }),
        json!({ "_meta": { "io.modelcontextprotocol/protocolVersion": V2026, "io.modelcontextprotocol/clientCapabilities": "none" } }),
    ] {
        for method in ["server/discover", "tools/list"] {
            let answer = send(&app, method, params.clone()).await;
            assert_refused(&answer, 400, INVALID_PARAMS);
            assert!(
                answer.body.contains("_meta"),
                "names what is missing: {}",
                answer.body
            );
        }
    }
}

// --- versions --------------------------------------------------------------------

#[tokio::test]
async fn unsupported_version_is_400_listing_what_is_supported() {
    let app = signed_in().await;
    // Unknown, and sessionful (served only after initialize).
    for version in ["v999.0.0", "2025-11-25"] {
        let mut params = json!({});
        params["_meta"] = meta(version);
        let answer = exchange(
            bare(&app)
                .header("mcp-protocol-version", version)
                .header("mcp-method", "server/discover")
                .json(&body("server/discover", params)),
        )
        .await;
        assert_refused(&answer, 400, UNSUPPORTED_PROTOCOL_VERSION);
        let data = &answer.json()["error"]["data"];
        assert_eq!(data["supported"], json!([V2026]), "{version}");
        assert_eq!(data["requested"], version);
    }
}

#[tokio::test]
async fn version_header_missing_or_unlike_the_body_is_400_header_mismatch() {
    let app = signed_in().await;
    let mut params = json!({});
    params["_meta"] = meta("v999.0.0");
    let mismatched = exchange(
        bare(&app)
            .header("mcp-protocol-version", V2026)
            .header("mcp-method", "server/discover")
            .json(&body("server/discover", params)),
    )
    .await;
    assert_refused(&mismatched, 400, HEADER_MISMATCH);
    let missing = exchange(
        bare(&app)
            .header("mcp-method", "tools/list")
            .json(&body("tools/list", with_meta(json!({})))),
    )
    .await;
    assert_refused(&missing, 400, HEADER_MISMATCH);
}

// --- Mcp-Method and Mcp-Name ------------------------------------------------------------

#[tokio::test]
async fn method_header_missing_wrong_or_of_another_case_is_400_header_mismatch() {
    let app = signed_in().await;
    for header in [None, Some("prompts/list"), Some("TOOLS/LIST")] {
        let mut builder = bare(&app).header("mcp-protocol-version", V2026);
        if let Some(value) = header {
            builder = builder.header("mcp-method", value);
        }
        let answer = exchange(builder.json(&body("tools/list", with_meta(json!({}))))).await;
        assert_refused(&answer, 400, HEADER_MISMATCH);
    }
}

#[tokio::test]
async fn name_header_must_mirror_the_tool_name() {
    let app = signed_in().await;
    let params = with_meta(json!({ "name": "malgomo_status", "arguments": {} }));
    let call = |name: Option<&str>| {
        let mut builder = bare(&app)
            .header("mcp-protocol-version", V2026)
            .header("mcp-method", "tools/call");
        if let Some(name) = name {
            builder = builder.header("mcp-name", name);
        }
        exchange(builder.json(&body("tools/call", params.clone())))
    };
    for refused in [
        None,
        Some("malgomo_login"),
        Some("=?base64?bWFsZ29tb19zdGF0dXM?="),
    ] {
        assert_refused(&call(refused).await, 400, HEADER_MISMATCH);
    }
    // Optional whitespace is trimmed; the base64 form is decoded.
    for accepted in ["  malgomo_status\t", "=?base64?bWFsZ29tb19zdGF0dXM=?="] {
        let outcome = result(&call(Some(accepted)).await);
        assert_eq!(outcome["isError"], false, "{accepted}: {outcome}");
    }
}
