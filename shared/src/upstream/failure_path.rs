//! Where in an upstream answer a parse failed, named as a path
//! (`per_creator[1].net_eur`) from the failure's position in the text.
//!
//! A good answer is parsed in one plain pass straight into its type; only a
//! body that fails is read again, here, and without the type: one function
//! for every answer type, where a path-tracking deserialiser would compile
//! each type's parser a second time into every bootstrap. It names the
//! path the tracker did (`serde_path_to_error`, against which the tests
//! hold it), but for a failure inside a value the type ignores (a field it
//! does not declare), which it names further down.

/// The failure's message, led by the path of the value it is about (none
/// for the whole body): what [`super::UpstreamError::Malformed`] carries.
pub fn describe(body: &[u8], err: &serde_json::Error) -> String {
    let mut offset = offset_of(body, err.line(), err.column());
    // A syntax error's position counts the byte the parser refused; a data
    // error's (wrong type, missing field) ends at the value it is about.
    if err.is_syntax() {
        offset = offset.saturating_sub(1);
    }
    match path_at(body, offset, err.is_data()) {
        path if path.is_empty() => err.to_string(),
        path => format!("{path}: {err}"),
    }
}

/// The byte offset of a 1-based `line` and the bytes before the position
/// on it.
fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match body[start..].iter().position(|&byte| byte == b'\n') {
            Some(newline) => start += newline + 1,
            None => break,
        }
    }
    (start + column).min(body.len())
}

/// A container open at the failure.
enum Frame {
    Object { key: Option<String>, at: Place },
    Array { index: usize, at: Place },
}

/// Where in its container's current entry the text stops.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// Before an entry: after `{`, `[` or `,`.
    Before,
    /// After an object's key, before its `:`.
    Key,
    /// In the entry's value.
    Value,
    /// After the value, before `,` or the close.
    After,
}

/// The path of what the parse was reading when it stopped `offset` bytes
/// into `body`; `data_error` tells a failure about the value just read
/// (which names it) from one in the text after it (which does not).
fn path_at(body: &[u8], offset: usize, data_error: bool) -> String {
    let text = &body[..offset];
    let mut frames: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let byte = text[at];
        at += 1;
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'{' => {
                enter_value(&mut frames);
                frames.push(Frame::Object {
                    key: None,
                    at: Place::Before,
                });
            }
            b'[' => {
                enter_value(&mut frames);
                frames.push(Frame::Array {
                    index: 0,
                    at: Place::Before,
                });
            }
            b'}' | b']' => {
                frames.pop();
                leave_value(&mut frames);
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key, at }) => {
                    *key = None;
                    *at = Place::Before;
                }
                Some(Frame::Array { index, at }) => {
                    *index += 1;
                    *at = Place::Before;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { at, .. }) = frames.last_mut() {
                    *at = Place::Value;
                }
            }
            b'"' => {
                let start = at - 1;
                at = string_end(text, at);
                let closed = at <= text.len();
                match frames.last_mut() {
                    Some(Frame::Object {
                        key,
                        at: place @ Place::Before,
                    }) => {
                        if closed {
                            *key = Some(key_text(&text[start..at]));
                            *place = Place::Key;
                        }
                    }
                    _ => {
                        enter_value(&mut frames);
                        if closed {
                            leave_value(&mut frames);
                        }
                    }
                }
            }
            _ => {
                // A number or a word: read whole when all of it is in the
                // text, else the parse stopped inside it.
                enter_value(&mut frames);
                let start = at - 1;
                match scalar_len(&body[start..]).filter(|len| start + len <= text.len()) {
                    Some(len) => {
                        leave_value(&mut frames);
                        at = start + len;
                    }
                    None => at = text.len(),
                }
            }
        }
    }
    let next = body[offset..]
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .copied();
    render(&frames, data_error, next)
}

/// Just past the string whose opening quote is before `from`, or past the
/// end of `text` when it does not close there. Escapes are skipped whole:
/// a `\u` takes four bytes, whatever they are.
fn string_end(text: &[u8], from: usize) -> usize {
    let mut at = from;
    while at < text.len() && text[at] != b'"' {
        at += match &text[at..] {
            [b'\\', b'u', ..] => 6,
            [b'\\', ..] => 2,
            _ => 1,
        };
    }
    at + 1
}

/// An object key as the path names it: unescaped.
fn key_text(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(quoted).trim_matches('"').to_owned())
}

fn enter_value(frames: &mut [Frame]) {
    if let Some(Frame::Object { at, .. } | Frame::Array { at, .. }) = frames.last_mut() {
        *at = Place::Value;
    }
}

fn leave_value(frames: &mut [Frame]) {
    if let Some(Frame::Object { at, .. } | Frame::Array { at, .. }) = frames.last_mut() {
        *at = Place::After;
    }
}

/// The path in the tracker's notation: keys joined by `.`, indices in
/// brackets, `?` for an object entry whose key is not read yet.
fn render(frames: &[Frame], data_error: bool, next: Option<u8>) -> String {
    let mut path = String::new();
    let innermost = frames.len().saturating_sub(1);
    for (depth, frame) in frames.iter().enumerate() {
        // Outer frames are in a value (the next frame is it).
        let place = if depth == innermost {
            frame_place(frame)
        } else {
            Place::Value
        };
        match frame {
            Frame::Object { key, .. } => {
                let segment = match place {
                    Place::Value => key.as_deref(),
                    Place::After if data_error => key.as_deref(),
                    Place::After | Place::Before => Some("?"),
                    Place::Key => None,
                };
                if let Some(segment) = segment {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(segment);
                }
            }
            Frame::Array { index, .. } => {
                let in_element = match place {
                    Place::Value => true,
                    Place::After => data_error,
                    // The element has begun unless the list ends here.
                    Place::Before => data_error || !matches!(next, None | Some(b']')),
                    Place::Key => false,
                };
                if in_element {
                    path.push_str(&format!("[{index}]"));
                }
            }
        }
    }
    path
}

fn frame_place(frame: &Frame) -> Place {
    match frame {
        Frame::Object { at, .. } | Frame::Array { at, .. } => *at,
    }
}

/// The length of the whole scalar (`true`, `false`, `null`, a number)
/// that `rest` starts with, as the parser reads it; `None` when the parser
/// fails inside it.
fn scalar_len(rest: &[u8]) -> Option<usize> {
    for word in [&b"true"[..], b"false", b"null"] {
        if rest.starts_with(word) {
            return Some(word.len());
        }
    }
    let digits = |from: usize| {
        from + rest.get(from..).map_or(0, |tail| {
            tail.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let mut at = usize::from(rest.first() == Some(&b'-'));
    at = match rest.get(at) {
        Some(b'0') if rest.get(at + 1).is_some_and(u8::is_ascii_digit) => return None,
        Some(b'0') => at + 1,
        Some(b'1'..=b'9') => digits(at),
        _ => return None,
    };
    if rest.get(at) == Some(&b'.') {
        let end = digits(at + 1);
        if end == at + 1 {
            return None;
        }
        at = end;
    }
    if matches!(rest.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(rest.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let end = digits(at);
        if end == at {
            return None;
        }
        at = end;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::DeserializeOwned;

    use super::describe;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        a: u32,
        inner: Vec<Inner>,
        m: Inner,
        tags: Vec<String>,
        grid: Vec<Vec<f64>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
        s: String,
    }

    /// The same shape refusing fields it does not declare: whether a body
    /// has a value that [`Outer`] ignores.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct StrictOuter {
        a: u32,
        inner: Vec<StrictInner>,
        m: StrictInner,
        tags: Vec<String>,
        grid: Vec<Vec<f64>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct StrictInner {
        n: u32,
        s: String,
    }

    /// What the path tracker says of `body`, in the form `describe` gives.
    fn tracked<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
        let mut de = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize::<_, T>(&mut de)
            .err()
            .map(|err| match err.path().to_string() {
                path if path == "." => err.into_inner().to_string(),
                path => format!("{path}: {}", err.into_inner()),
            })
    }

    fn described(body: &[u8]) -> Option<String> {
        serde_json::from_slice::<Outer>(body)
            .err()
            .map(|err| describe(body, &err))
    }

    const GOOD: &[u8] = br#"{"a":0, "inner":[{"n":12,"s":"a\"b\\c\u00e9"},{"n":0,"s":""}],"m":{"s":"z","n":3},"tags":["t"],"grid":[[-1.5e3,2E-2,0.25],[],[7]]}"#;

    /// Every truncation, deletion and replacement of one byte of a compact
    /// and a pretty body, and seeded edits of up to three bytes.
    fn broken_bodies() -> Vec<Vec<u8>> {
        let pretty =
            serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(GOOD).unwrap())
                .unwrap();
        let alphabet = b"}],:\"x1{[ -n0.eE\\u+t";
        let mut bodies = Vec::new();
        for base in [GOOD.to_vec(), pretty] {
            for end in 0..base.len() {
                bodies.push(base[..end].to_vec());
            }
            for at in 0..base.len() {
                let mut deleted = base.clone();
                deleted.remove(at);
                bodies.push(deleted);
                for &byte in alphabet {
                    let mut replaced = base.clone();
                    replaced[at] = byte;
                    bodies.push(replaced);
                }
            }
        }
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % 1_000_003).unwrap()
        };
        for _ in 0..20_000 {
            let mut body = GOOD.to_vec();
            for _ in 0..=next() % 3 {
                let at = next() % body.len();
                let byte = alphabet[next() % alphabet.len()];
                match next() % 3 {
                    0 => drop(body.remove(at)),
                    1 => body[at] = byte,
                    _ => body.insert(at, byte),
                }
            }
            bodies.push(body);
        }
        bodies
    }

    #[test]
    fn the_path_is_the_one_the_path_tracker_names() {
        assert_eq!(described(GOOD), None);
        let (mut same, mut deeper) = (0, 0);
        for body in broken_bodies() {
            let Some(ours) = described(&body) else {
                // An edit that left a good body (a byte for itself).
                assert_eq!(tracked::<Outer>(&body), None);
                continue;
            };
            let Some(theirs) = tracked::<Outer>(&body) else {
                // The tracker alone never checks for text after the value.
                assert!(ours.starts_with("trailing characters"), "{ours}");
                continue;
            };
            if ours == theirs {
                same += 1;
                continue;
            }
            // Inside a value the type ignores the tracker names only its
            // key; the position names where in it.
            let (their_path, message) = theirs.split_once(": ").unwrap_or(("", &theirs));
            let ignored = tracked::<StrictOuter>(&body)
                .is_some_and(|strict| strict.contains("unknown field"));
            assert!(
                ignored && ours.starts_with(their_path) && ours.ends_with(message),
                "{}\n tracker: {theirs}\n ours:    {ours}",
                String::from_utf8_lossy(&body)
            );
            deeper += 1;
        }
        assert!(same > 10 * deeper, "{same} the same, {deeper} deeper");
    }

    #[test]
    fn a_line_and_column_become_the_offset() {
        let body = b"{\n \"a\": 1,\n \"inner\": [\n  {\"n\": -1, \"s\": \"x\"}\n ]\n}";
        let err = serde_json::from_slice::<Outer>(body).unwrap_err();
        assert_eq!(
            describe(body, &err),
            "inner[0].n: invalid value: integer `-1`, expected u32 at line 4 column 10"
        );
    }
}
