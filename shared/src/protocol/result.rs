//! What every 2026-07-28 result carries besides its own fields: `resultType`,
//! the server's identity in `_meta`, and (on cacheable results) how long and
//! for whom it may be cached.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::meta::SERVER_INFO;

/// `serverInfo`: name, display title, version, and what a host's connector
/// directory shows of the server (2026-07-28 schema, served in both eras):
/// a description, icons and the product's website — in `initialize` and in
/// the `_meta` of every 2026-07-28 result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Implementation {
    pub name: &'static str,
    pub title: &'static str,
    pub version: &'static str,
    pub description: &'static str,
    pub icons: &'static [Icon],
    pub website_url: &'static str,
}

/// An icon a client may show for the server: `src` is an `https:` or
/// `data:` URI of an image of `mime_type`, drawn well at each of `sizes`
/// (`"any"` for a scalable image).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Icon {
    pub src: &'static str,
    pub mime_type: &'static str,
    pub sizes: &'static [&'static str],
}

/// A result with nothing in it (`ping`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EmptyResult {}

/// `cacheScope`: `public` when the result holds nothing user-specific.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheScope {
    Public,
    Private,
}

/// `ttlMs` + `cacheScope` on a cacheable result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheHint {
    pub ttl_ms: u64,
    pub cache_scope: CacheScope,
}

/// Adds `ttlMs` and `cacheScope` to `result` (a JSON object).
pub fn cacheable(mut result: Value, hint: CacheHint) -> Value {
    if let Value::Object(object) = &mut result {
        object.insert("ttlMs".into(), json!(hint.ttl_ms));
        object.insert("cacheScope".into(), json!(hint.cache_scope));
    }
    result
}

/// Marks `result` (a JSON object) complete and names the server in its
/// `_meta`, keeping any `_meta` the result already had.
pub fn complete(result: Value, server: &Implementation) -> Value {
    let mut object = match result {
        Value::Object(object) => object,
        // Every MCP result is an object; anything else is wrapped so the
        // answer still parses.
        other => Map::from_iter([("value".to_owned(), other)]),
    };
    object.insert("resultType".into(), json!("complete"));
    let meta = object
        .entry("_meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(meta) = meta {
        meta.insert(SERVER_INFO.into(), json!(server));
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Implementation = Implementation {
        name: "s",
        title: "S",
        version: "1",
        description: "d",
        icons: &[],
        website_url: "https://example.test",
    };

    #[test]
    fn adds_result_type_and_server_info_keeping_meta() {
        let result = complete(json!({ "tools": [], "_meta": { "x/y": 1 } }), &SERVER);
        assert_eq!(result["resultType"], "complete");
        assert_eq!(result["_meta"]["x/y"], 1);
        assert_eq!(result["_meta"][SERVER_INFO]["name"], "s");
        assert_eq!(result["tools"], json!([]));
    }
}
