//! The JSON-RPC parser of `POST /mcp`: any body gets a payload or one
//! well-formed error reply, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use malgomo::protocol::jsonrpc::{self, Payload};

fuzz_target!(|body: &[u8]| {
    match jsonrpc::parse(body) {
        Ok(Payload::Single(_)) => {}
        Ok(Payload::Batch(messages)) => assert!(!messages.is_empty(), "an empty batch is refused"),
        Err(reply) => {
            let json = serde_json::to_value(&reply).expect("a reply serialises");
            assert_eq!(json["jsonrpc"], "2.0");
            assert!(json["error"]["code"].is_i64(), "{json}");
        }
    }
});
