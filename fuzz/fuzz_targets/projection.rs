//! The upstream answer projection: whatever the backend sends as a
//! dashboard answer, the tool result is a structured value or a tool error
//! (never a panic), and the earnings result keeps its cap.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use malgomo::upstream::{Me, parse_answer};

/// The data tools, from the registry; one selector value past them
/// parses the answer of `/api/me` instead.
static TOOLS: LazyLock<Vec<&'static str>> = LazyLock::new(malgomo::tools::data_tool_names);

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let Some(&name) = TOOLS.get(usize::from(selector) % (TOOLS.len() + 1)) else {
        let _ = parse_answer::<Me>(body);
        return;
    };
    let output = malgomo::tools::project_answer(name, body)
        .expect("a data tool")
        .expect("a parsed answer always serialises");
    if !output.is_error {
        let structured = output
            .structured
            .as_deref()
            .expect("a result has structuredContent");
        // The text is the serialisation of `structuredContent` itself:
        // compared as strings, since serde_json's default float parser may
        // read a 17-digit number back one ULP off.
        assert_eq!(
            output.text,
            structured.get(),
            "text and structuredContent carry the same JSON"
        );
        let parsed: serde_json::Value =
            serde_json::from_str(structured.get()).expect("the structured result is JSON");
        assert!(parsed.is_object(), "{parsed}");
        if let Some(shown) = parsed["transactions"].as_array() {
            assert!(shown.len() <= 50, "the earnings cap holds");
        }
    }
    serde_json::to_string(&output.into_result()).expect("a tool result serialises");
});
