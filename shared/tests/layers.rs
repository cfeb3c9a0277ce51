//! The crate's import graph runs one way. The allowed order is the layer
//! table of the crate doc (`src/lib.rs`, "Layers"): this test reads that
//! table, reads every `crate::…` and `super::…` path of every file of
//! `src/`, maps each file to its top-level module and fails on any edge that
//! does not point to a lower row — so the doc a reader sees and the order
//! the code keeps are one list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Edges = BTreeMap<(String, String), BTreeSet<String>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The rows of the crate doc's layer table, bottom first; each row the
/// modules of one layer.
fn layers(lib: &str) -> Vec<Vec<String>> {
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    let heading = doc
        .iter()
        .position(|line| *line == "# Layers")
        .expect("the crate doc has a \"# Layers\" section");
    let open = heading
        + doc[heading..]
            .iter()
            .position(|line| line.starts_with("```"))
            .expect("the layer table is a fenced block");
    let mut rows: Vec<Vec<String>> = doc[open + 1..]
        .iter()
        .take_while(|line| !line.starts_with("```"))
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let names = line.split("  ").next().unwrap_or_default();
            names
                .split([',', ' '])
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    rows.reverse();
    rows
}

/// The top-level modules `lib.rs` declares, and the names it re-exports at
/// the root (`pub use app::{App, …}`) with the module each comes from.
fn declared(lib: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let mut modules = BTreeSet::new();
    let mut exports = BTreeMap::new();
    for line in lib.lines().map(str::trim) {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            modules.insert(name.to_owned());
        }
        if let Some((module, names)) = line
            .strip_prefix("pub use ")
            .and_then(|rest| rest.strip_suffix(';'))
            .and_then(|rest| rest.split_once("::"))
        {
            for name in names.trim_matches(['{', '}']).split(',') {
                exports.insert(name.trim().to_owned(), module.to_owned());
            }
        }
    }
    (modules, exports)
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The module path a file defines: `oauth/token.rs` is `oauth::token`,
/// `oauth/mod.rs` is `oauth`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut path: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if path
        .last()
        .is_some_and(|last| last == "mod" || last == "lib")
    {
        path.pop();
    }
    path
}

/// The source without comments, string and character literals, so that a
/// path in a doc link or a brace in a string is not read as code.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        match rest {
            ['/', '/', ..] => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ['/', '*', ..] => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            ['r', '#' | '"', ..] if i == 0 || !is_ident(chars[i - 1]) => {
                let hashes = rest[1..].iter().take_while(|c| **c == '#').count();
                if rest.get(1 + hashes) != Some(&'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                i += 2 + hashes;
                while i < chars.len() {
                    if chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|c| *c == '#') {
                        i += 1 + hashes;
                        break;
                    }
                    i += 1;
                }
                out.push_str("\"\"");
            }
            ['"', ..] => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            ['\'', '\\', ..] => {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            ['\'', _, '\'', ..] => {
                i += 3;
                out.push_str("' '");
            }
            [c, ..] => {
                out.push(*c);
                i += 1;
            }
            [] => unreachable!("i < chars.len()"),
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_at(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// The first segment of every path a `use` tree starting at `text` names:
/// `a::b` gives `a`, `{a::b, c}` gives `a` and `c`.
fn first_segments(text: &str) -> Vec<&str> {
    let text = text.trim_start();
    let Some(group) = text.strip_prefix('{') else {
        return vec![ident_at(text)];
    };
    let mut segments = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                segments.push(ident_at(group[start..].trim_start()));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                segments.push(ident_at(group[start..].trim_start()));
                start = at + 1;
            }
            _ => {}
        }
    }
    segments.retain(|segment| !segment.is_empty());
    segments
}

/// Every (from, to) edge between top-level modules, with the files that
/// make it.
fn edges(modules: &BTreeSet<String>, exports: &BTreeMap<String, String>) -> Edges {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut edges = Edges::new();
    for file in files {
        let relative = file.strip_prefix(&root).expect("under src/").to_owned();
        let path = module_path(&relative);
        let Some(own) = path.first().cloned() else {
            continue;
        };
        let code = code_only(&std::fs::read_to_string(&file).expect("a readable source file"));
        // Inline modules (`mod tests { … }`) deepen the path `super` climbs.
        let mut inline: Vec<usize> = Vec::new();
        let mut depth = 0usize;
        let mut i = 0;
        while i < code.len() {
            let rest = &code[i..];
            let boundary = i == 0 || !code[..i].ends_with(|c: char| is_ident(c) || c == ':');
            let mut targets = Vec::new();
            if rest.starts_with('{') {
                depth += 1;
            } else if rest.starts_with('}') {
                depth = depth.saturating_sub(1);
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
            } else if boundary && rest.starts_with("mod ") {
                let after = rest["mod ".len()..].trim_start();
                let name = ident_at(after);
                if after[name.len()..].trim_start().starts_with('{') {
                    inline.push(depth);
                }
            } else if boundary && rest.starts_with("crate::") {
                targets = first_segments(&rest["crate::".len()..]);
            } else if boundary && rest.starts_with("super::") {
                let mut climbs = 0;
                let mut after = rest;
                while let Some(next) = after.strip_prefix("super::") {
                    climbs += 1;
                    after = next;
                }
                let here = path.len() + inline.len();
                if climbs >= here {
                    targets = first_segments(after);
                }
                i += rest.len() - after.len();
                record(&mut edges, &own, &targets, modules, exports, &relative);
                continue;
            }
            record(&mut edges, &own, &targets, modules, exports, &relative);
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    edges
}

fn record(
    edges: &mut Edges,
    own: &str,
    targets: &[&str],
    modules: &BTreeSet<String>,
    exports: &BTreeMap<String, String>,
    file: &Path,
) {
    for target in targets {
        let module = exports.get(*target).map_or(*target, String::as_str);
        if module != own && modules.contains(module) {
            edges
                .entry((own.to_owned(), module.to_owned()))
                .or_default()
                .insert(file.display().to_string());
        }
    }
}

fn lib() -> String {
    std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs is readable")
}

#[test]
fn every_module_has_one_row_in_the_layer_table() {
    let lib = lib();
    let (modules, _) = declared(&lib);
    let mut seen = BTreeSet::new();
    for name in layers(&lib).into_iter().flatten() {
        assert!(
            modules.contains(&name),
            "the layer table names `{name}`, which lib.rs does not declare"
        );
        assert!(
            seen.insert(name.clone()),
            "`{name}` has two rows in the layer table"
        );
    }
    assert_eq!(
        seen, modules,
        "every module of lib.rs has a row in the layer table"
    );
}

#[test]
fn imports_point_only_to_lower_layers() {
    let lib = lib();
    let (modules, exports) = declared(&lib);
    let row: BTreeMap<String, usize> = layers(&lib)
        .into_iter()
        .enumerate()
        .flat_map(|(at, names)| names.into_iter().map(move |name| (name, at)))
        .collect();
    let upward: Vec<String> = edges(&modules, &exports)
        .into_iter()
        .filter(|((from, to), _)| match (row.get(from), row.get(to)) {
            (Some(high), Some(low)) => low >= high,
            // A module without a row fails the test above.
            _ => false,
        })
        .map(|((from, to), files)| {
            let files: Vec<String> = files.into_iter().collect();
            format!("{from} -> {to} ({})", files.join(", "))
        })
        .collect();
    assert!(
        upward.is_empty(),
        "imports that do not point to a lower layer of the crate doc's table:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_reader_sees_code_paths_only() {
    let code = code_only(
        "use crate::{a::X, b::{c, d}};\n// crate::commented\nlet s = \"crate::quoted\"; let c = '\\''; crate::App::new();\n",
    );
    let named: Vec<&str> = code
        .match_indices("crate::")
        .flat_map(|(at, found)| first_segments(&code[at + found.len()..]))
        .collect();
    assert_eq!(named, ["a", "b", "App"]);
    assert_eq!(module_path(Path::new("oauth/mod.rs")), ["oauth"]);
    assert_eq!(module_path(Path::new("oauth/token.rs")), ["oauth", "token"]);
}
