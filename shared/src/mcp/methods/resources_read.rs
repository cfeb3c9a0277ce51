//! `resources/read`: one resource's contents by URI. An unknown URI is the
//! spec's "resource not found" error (-32002) naming it. Each resource's
//! answer is serialised once (the dashboard view is 279 KB).

use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{Value, json};

use super::Method;
use super::fixed::Fixed;
use crate::protocol::Era;
use crate::protocol::jsonrpc::{RESOURCE_NOT_FOUND, RawResult, RpcError};
use crate::protocol::resource::ReadResourceResult;
use crate::resources;

/// One cell per resource, in the order of [`resources::ALL`].
static READS: LazyLock<Vec<Fixed>> =
    LazyLock::new(|| resources::ALL.iter().map(|_| Fixed::new()).collect());

#[derive(Deserialize)]
struct Params {
    uri: String,
}

pub fn result(era: Era, oauth: bool, params: Value) -> Result<RawResult, RpcError> {
    let params: Params = serde_json::from_value(params)
        .map_err(|err| RpcError::invalid_params(format!("resources/read: {err}")))?;
    let index = resources::position(&params.uri).ok_or_else(|| RpcError {
        code: RESOURCE_NOT_FOUND,
        message: format!("Resource not found: {}", params.uri),
        data: Some(json!({ "uri": params.uri })),
    })?;
    READS[index].get(era, oauth, Method::ResourcesRead, || ReadResourceResult {
        contents: vec![resources::ALL[index].contents()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(params: Value) -> Result<Value, RpcError> {
        result(Era::Sessionful, false, params).map(|raw| serde_json::from_str(raw.get()).unwrap())
    }

    #[test]
    fn unknown_uri_is_resource_not_found_naming_it() {
        let error = read(json!({ "uri": "ui://malgomo/nope" })).unwrap_err();
        assert_eq!(error.code, -32002);
        assert_eq!(error.data, Some(json!({ "uri": "ui://malgomo/nope" })));
    }

    #[test]
    fn missing_or_non_string_uri_is_invalid_params() {
        for params in [json!({}), json!({ "uri": 7 }), json!(null)] {
            assert_eq!(read(params).unwrap_err().code, -32602);
        }
    }

    #[test]
    fn dashboard_reads_as_one_html_content_with_its_ui_meta() {
        let answer = read(json!({ "uri": "ui://malgomo/dashboard" })).unwrap();
        let contents = answer["contents"].as_array().unwrap();
        assert_eq!(contents.len(), 1);
        assert_eq!(contents[0]["mimeType"], "text/html;profile=mcp-app");
        assert_eq!(contents[0]["text"], resources::DASHBOARD.text);
        assert_eq!(contents[0]["_meta"]["ui"]["prefersBorder"], true);
    }
}
