//! JSON-RPC 2.0 messages as MCP uses them: parsing of what clients POST and
//! the shapes of what we answer.

use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeStruct;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;
pub const METHOD_NOT_FOUND: i32 = -32601;
pub const INVALID_PARAMS: i32 = -32602;
pub const INTERNAL_ERROR: i32 = -32603;
/// Implementation-defined server error on a transport refusal (400, 404, 406,
/// 415): no session, an unknown session, a media type we do not speak.
pub const REQUEST_REFUSED: i32 = -32000;
/// Implementation-defined server error on a 503: the server cannot take the
/// request now (session limit, storage down); retrying later can succeed.
pub const SERVER_BUSY: i32 = -32000;
/// MCP's error for a `resources/read` of a URI the server does not have.
pub const RESOURCE_NOT_FOUND: i32 = -32002;
/// 2026-07-28: an `MCP-Protocol-Version`, `Mcp-Method` or `Mcp-Name` header
/// is missing or disagrees with the body (HTTP 400).
pub const HEADER_MISMATCH: i32 = -32020;
/// 2026-07-28: the request names a protocol version we do not serve (HTTP 400).
pub const UNSUPPORTED_PROTOCOL_VERSION: i32 = -32022;

/// A JSON-RPC error object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RpcError {
    pub code: i32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn parse_error(detail: impl std::fmt::Display) -> Self {
        Self::new(PARSE_ERROR, format!("Parse error: {detail}"))
    }

    pub fn invalid_request(detail: impl Into<String>) -> Self {
        Self::new(
            INVALID_REQUEST,
            format!("Invalid request: {}", detail.into()),
        )
    }

    pub fn method_not_found(method: &str) -> Self {
        Self::new(METHOD_NOT_FOUND, format!("Method not found: {method}"))
    }

    pub fn invalid_params(detail: impl Into<String>) -> Self {
        Self::new(INVALID_PARAMS, format!("Invalid params: {}", detail.into()))
    }

    pub fn header_mismatch(detail: impl Into<String>) -> Self {
        Self::new(
            HEADER_MISMATCH,
            format!("Header mismatch: {}", detail.into()),
        )
    }

    /// The UnsupportedProtocolVersion error: what we serve, and what was asked.
    pub fn unsupported_version(requested: &str, supported: &[&str]) -> Self {
        Self {
            code: UNSUPPORTED_PROTOCOL_VERSION,
            message: format!(
                "Unsupported protocol version {requested:?} (supported: {})",
                supported.join(", ")
            ),
            data: serde_json::to_value(UnsupportedVersion {
                supported,
                requested,
            })
            .ok(),
        }
    }
}

/// `data` of the UnsupportedProtocolVersion error.
#[derive(Serialize)]
struct UnsupportedVersion<'a> {
    supported: &'a [&'a str],
    requested: &'a str,
}

/// A request id: a string or a number (MCP forbids null).
pub type Id = Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: Id,
    pub method: String,
    pub params: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Request(Request),
    Notification {
        method: String,
    },
    /// A client's response to a server request; we send none, so it is only
    /// acknowledged.
    Response,
}

/// One POSTed body: a single message or (2025-03-26 only) a batch. Each
/// batch element parses on its own, so one bad element does not sink the rest.
#[derive(Clone, Debug)]
pub enum Payload {
    Single(Message),
    Batch(Vec<Result<Message, Reply>>),
}

/// A result, serialised once: a result that never changes (the tool list)
/// is kept serialised, shared by every answer that carries it (a clone
/// copies no bytes), and written into each answer as it is.
#[derive(Clone, Debug)]
pub struct RawResult(Arc<RawValue>);

impl std::ops::Deref for RawResult {
    type Target = RawValue;

    fn deref(&self) -> &RawValue {
        &self.0
    }
}

impl Serialize for RawResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Serialises a result; one that does not serialise (a bug) is -32603.
pub fn raw(result: &impl Serialize) -> Result<RawResult, RpcError> {
    serde_json::value::to_raw_value(result)
        .map(|raw| RawResult(Arc::from(raw)))
        .map_err(|err| {
            tracing::error!(error = %err, "a result did not serialise");
            RpcError::new(INTERNAL_ERROR, "Internal error")
        })
}

/// About how many bytes a JSON-RPC body will take: enough to size its
/// buffer once, so a large result is not copied again as the buffer grows.
pub trait SizeHint {
    fn size_hint(&self) -> usize;
}

/// The envelope around a result or an error: `jsonrpc`, the id, the keys.
const ENVELOPE_BYTES: usize = 64;

impl SizeHint for Reply {
    fn size_hint(&self) -> usize {
        ENVELOPE_BYTES
            + match &self.outcome {
                Ok(result) => result.get().len(),
                Err(error) => error.message.len() + ENVELOPE_BYTES,
            }
    }
}

impl SizeHint for Vec<Reply> {
    fn size_hint(&self) -> usize {
        self.iter()
            .map(|reply| reply.size_hint() + 1)
            .sum::<usize>()
            + 2
    }
}

/// One answer to one message; serialises as the JSON-RPC response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub id: Id,
    pub outcome: Result<RawResult, RpcError>,
}

impl Reply {
    /// A typed result; one that does not serialise (a bug) is -32603.
    pub fn typed(id: Id, result: &impl Serialize) -> Self {
        Self {
            id,
            outcome: raw(result),
        }
    }

    pub fn error(id: Id, error: RpcError) -> Self {
        Self {
            id,
            outcome: Err(error),
        }
    }
}

impl Serialize for Reply {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut response = serializer.serialize_struct("Response", 3)?;
        response.serialize_field("jsonrpc", "2.0")?;
        response.serialize_field("id", &self.id)?;
        match &self.outcome {
            Ok(result) => response.serialize_field("result", result)?,
            Err(error) => response.serialize_field("error", error)?,
        }
        response.end()
    }
}

/// The most messages one batch may carry (2025-03-26): enough for any real
/// client's pipelining, too few to multiply one request into many.
pub const MAX_BATCH: usize = 16;

/// Parses a POST body. `Err` is the single reply to send back (parse error
/// or invalid request, with a null id when none could be read).
pub fn parse(body: &[u8]) -> Result<Payload, Reply> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| Reply::error(Value::Null, RpcError::parse_error(err)))?;
    match value {
        Value::Array(items) if items.is_empty() => Err(Reply::error(
            Value::Null,
            RpcError::invalid_request("empty batch"),
        )),
        Value::Array(items) if items.len() > MAX_BATCH => Err(Reply::error(
            Value::Null,
            RpcError::invalid_request(format!(
                "a batch may carry at most {MAX_BATCH} messages, this one has {}",
                items.len()
            )),
        )),
        Value::Array(items) => Ok(Payload::Batch(items.into_iter().map(message).collect())),
        other => message(other).map(Payload::Single),
    }
}

fn message(value: Value) -> Result<Message, Reply> {
    let Value::Object(object) = value else {
        return Err(Reply::error(
            Value::Null,
            RpcError::invalid_request("a message must be a JSON object"),
        ));
    };
    let id = object.get("id").cloned();
    let reply_id = id.clone().filter(valid_id).unwrap_or(Value::Null);
    let invalid = |detail: &str| Reply::error(reply_id.clone(), RpcError::invalid_request(detail));
    if object.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return Err(invalid("jsonrpc must be \"2.0\""));
    }
    if let Some(id) = &id
        && !valid_id(id)
    {
        return Err(invalid("id must be a string or a number"));
    }
    match (object.get("method"), id) {
        (Some(Value::String(method)), Some(id)) => Ok(Message::Request(Request {
            id,
            method: method.clone(),
            params: params(&object).map_err(&invalid)?,
        })),
        (Some(Value::String(method)), None) => {
            params(&object).map_err(&invalid)?;
            Ok(Message::Notification {
                method: method.clone(),
            })
        }
        (Some(_), _) => Err(invalid("method must be a string")),
        (None, Some(_)) if object.contains_key("result") || object.contains_key("error") => {
            Ok(Message::Response)
        }
        (None, _) => Err(invalid("a message needs a method, or a result or error")),
    }
}

fn valid_id(id: &Value) -> bool {
    matches!(id, Value::String(_) | Value::Number(_))
}

fn params(object: &Map<String, Value>) -> Result<Value, &'static str> {
    match object.get("params") {
        None | Some(Value::Null) => Ok(Value::Object(Map::new())),
        Some(params @ Value::Object(_)) => Ok(params.clone()),
        Some(_) => Err("params must be an object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn single(body: &str) -> Result<Message, Reply> {
        match parse(body.as_bytes())? {
            Payload::Single(message) => Ok(message),
            Payload::Batch(_) => panic!("expected a single message"),
        }
    }

    fn code(reply: Reply) -> i32 {
        reply.outcome.unwrap_err().code
    }

    #[test]
    fn parses_requests_notifications_and_responses() {
        let request = single(r#"{"jsonrpc":"2.0","id":0,"method":"ping"}"#).unwrap();
        assert_eq!(
            request,
            Message::Request(Request {
                id: json!(0),
                method: "ping".into(),
                params: json!({})
            })
        );
        let note = single(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap();
        assert!(matches!(note, Message::Notification { .. }));
        let response = single(r#"{"jsonrpc":"2.0","id":"x","result":{}}"#).unwrap();
        assert_eq!(response, Message::Response);
    }

    #[test]
    fn replies_serialise_as_responses_with_the_result_as_it_was() {
        let ok = Reply::typed(json!(1), &json!({ "b": 1, "a": [] }));
        assert_eq!(
            serde_json::to_string(&ok).unwrap(),
            r#"{"jsonrpc":"2.0","id":1,"result":{"a":[],"b":1}}"#
        );
        let failed = Reply::error(json!("x"), RpcError::method_not_found("nope"));
        assert_eq!(
            serde_json::to_value(&failed).unwrap(),
            json!({ "jsonrpc": "2.0", "id": "x", "error": { "code": METHOD_NOT_FOUND, "message": "Method not found: nope" } })
        );
    }

    #[test]
    fn malformed_json_is_a_parse_error() {
        assert_eq!(code(parse(b"{not json").unwrap_err()), PARSE_ERROR);
        assert_eq!(code(parse(b"").unwrap_err()), PARSE_ERROR);
    }

    #[test]
    fn structural_mistakes_are_invalid_requests() {
        for body in [
            r#"[]"#,
            r#"42"#,
            r#"{"id":1,"method":"ping"}"#,
            r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
            r#"{"jsonrpc":"2.0","id":{},"method":"ping"}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":7}"#,
            r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#,
            r#"{"jsonrpc":"2.0","id":1}"#,
        ] {
            let reply = match parse(body.as_bytes()) {
                Err(reply) => reply,
                Ok(Payload::Single(_)) => panic!("{body} must be refused"),
                Ok(Payload::Batch(_)) => continue,
            };
            assert_eq!(code(reply), INVALID_REQUEST, "{body}");
        }
    }

    #[test]
    fn invalid_request_keeps_a_readable_id() {
        let reply = single(r#"{"jsonrpc":"1.0","id":7,"method":"ping"}"#).unwrap_err();
        assert_eq!(reply.id, json!(7));
    }

    #[test]
    fn batch_elements_parse_independently() {
        let Payload::Batch(items) =
            parse(br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}, 5]"#).unwrap()
        else {
            panic!("expected a batch");
        };
        assert!(items[0].is_ok());
        assert_eq!(code(items[1].clone().unwrap_err()), INVALID_REQUEST);
    }

    #[test]
    fn a_batch_over_the_cap_is_one_invalid_request() {
        let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
        let at_cap = format!("[{}]", vec![ping; MAX_BATCH].join(","));
        assert!(
            matches!(parse(at_cap.as_bytes()), Ok(Payload::Batch(items)) if items.len() == MAX_BATCH)
        );
        let over = format!("[{}]", vec![ping; MAX_BATCH + 1].join(","));
        let reply = parse(over.as_bytes()).unwrap_err();
        assert_eq!(reply.id, Value::Null);
        assert_eq!(code(reply), INVALID_REQUEST);
    }
}
