//! `template.yaml` as CloudFormation sees it, for tests that ask what a
//! deploy with given parameters would produce: the YAML read with its short
//! tags kept in their long JSON form (`!Ref X` → `{"Ref": "X"}`, `!If […]`
//! → `{"Fn::If": […]}`), and an evaluator of the intrinsic functions the
//! template uses (Ref, Condition, Equals, Not, And, Or, If, FindInMap,
//! Select, Split, Join, Sub), for parameters left at their defaults or set.
//!
//! Resource attributes (`!GetAtt`, a resource's `!Ref`) stay symbolic:
//! `<Resource.Attribute>` or `<Resource>`, which is what a test compares;
//! a Function URL reads `https://<resource>.lambda-url.<region>.on.aws/`.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value, json};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The template in long form.
pub fn load() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
    let text = std::fs::read_to_string(path).expect("template.yaml is readable");
    let mut builder = Builder::default();
    Parser::new_from_str(&text)
        .load(&mut builder, false)
        .expect("template.yaml is YAML");
    assert_eq!(builder.done.len(), 1, "template.yaml is one document");
    builder.done.remove(0)
}

#[derive(Default)]
struct Builder {
    /// Open collections: the value so far, its tag, and a pending key.
    stack: Vec<(Value, Option<Tag>, Option<String>)>,
    done: Vec<Value>,
}

impl Builder {
    fn push(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => self.done.push(value),
            Some((Value::Array(items), _, _)) => items.push(value),
            Some((Value::Object(map), _, key)) => match key.take() {
                Some(key) => {
                    map.insert(key, value);
                }
                None => *key = Some(value.as_str().expect("string keys").to_owned()),
            },
            Some(_) => unreachable!("only collections are stacked"),
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, _mark: Marker) {
        match event {
            Event::Scalar(text, style, _, tag) => {
                let value = scalar(text, style);
                self.push(tagged(value, tag));
            }
            Event::SequenceStart(_, tag) => self.stack.push((json!([]), tag, None)),
            Event::MappingStart(_, tag) => self.stack.push((json!({}), tag, None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, tag, _) = self.stack.pop().expect("balanced events");
                self.push(tagged(value, tag));
            }
            _ => {}
        }
    }
}

fn scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match text.as_str() {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" | "~" => Value::Null,
        _ => text
            .parse::<i64>()
            .map(|n| Value::Number(Number::from(n)))
            .unwrap_or(Value::String(text)),
    }
}

/// `!Ref X` → `{"Ref": X}`, `!Condition X` → `{"Condition": X}`, any other
/// `!Name` → `{"Fn::Name": …}`.
fn tagged(value: Value, tag: Option<Tag>) -> Value {
    match tag {
        Some(tag) if tag.handle == "!" => {
            let key = match tag.suffix.as_str() {
                "Ref" | "Condition" => tag.suffix.clone(),
                other => format!("Fn::{other}"),
            };
            json!({ key: value })
        }
        _ => value,
    }
}

/// A deploy's parameters: the template's defaults with `overrides` on top,
/// in `region`.
pub struct Deploy<'t> {
    template: &'t Value,
    parameters: BTreeMap<String, Value>,
    region: String,
}

impl<'t> Deploy<'t> {
    pub fn new(template: &'t Value, region: &str, overrides: &[(&str, &str)]) -> Self {
        let mut parameters: BTreeMap<String, Value> = template["Parameters"]
            .as_object()
            .expect("Parameters")
            .iter()
            .map(|(name, p)| (name.clone(), p["Default"].clone()))
            .collect();
        for (name, value) in overrides {
            assert!(
                parameters.contains_key(*name),
                "template.yaml has no parameter {name}"
            );
            parameters.insert((*name).to_owned(), json!(value));
        }
        Deploy {
            template,
            parameters,
            region: region.to_owned(),
        }
    }

    /// Whether the condition named `name` holds.
    pub fn condition(&self, name: &str) -> bool {
        let condition = &self.template["Conditions"][name];
        assert!(
            !condition.is_null(),
            "template.yaml has no condition {name}"
        );
        self.truth(condition)
    }

    /// Whether the resource `name` is created.
    pub fn creates(&self, name: &str) -> bool {
        let resource = &self.template["Resources"][name];
        assert!(!resource.is_null(), "template.yaml has no resource {name}");
        resource["Condition"]
            .as_str()
            .is_none_or(|condition| self.condition(condition))
    }

    fn truth(&self, value: &Value) -> bool {
        match self.resolve(value) {
            Value::Bool(b) => b,
            other => panic!("not a condition: {other}"),
        }
    }

    /// `value` with every intrinsic function the template uses evaluated;
    /// `AWS::NoValue` becomes `null`.
    pub fn resolve(&self, value: &Value) -> Value {
        let Value::Object(map) = value else {
            return match value {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|v| self.resolve(v)).collect())
                }
                other => other.clone(),
            };
        };
        if map.len() == 1 {
            let (key, arg) = map.iter().next().expect("one entry");
            if let Some(result) = self.function(key, arg) {
                return result;
            }
        }
        let resolved: Map<String, Value> = map
            .iter()
            .map(|(k, v)| (k.clone(), self.resolve(v)))
            .filter(|(_, v)| !v.is_null())
            .collect();
        Value::Object(resolved)
    }

    fn function(&self, key: &str, arg: &Value) -> Option<Value> {
        let list = |n: usize| -> Vec<&Value> {
            let items = arg
                .as_array()
                .unwrap_or_else(|| panic!("{key} takes a list"));
            assert_eq!(items.len(), n, "{key} takes {n} arguments");
            items.iter().collect()
        };
        Some(match key {
            "Ref" => self.reference(arg.as_str().expect("Ref names")),
            "Condition" => json!(self.condition(arg.as_str().expect("a condition name"))),
            "Fn::Equals" => {
                let args = list(2);
                json!(text(&self.resolve(args[0])) == text(&self.resolve(args[1])))
            }
            "Fn::Not" => json!(!self.truth(list(1)[0])),
            "Fn::And" => json!(arg.as_array()?.iter().all(|c| self.truth(c))),
            "Fn::Or" => json!(arg.as_array()?.iter().any(|c| self.truth(c))),
            "Fn::If" => {
                let args = list(3);
                let branch = if self.condition(args[0].as_str().expect("a condition name")) {
                    args[1]
                } else {
                    args[2]
                };
                self.resolve(branch)
            }
            "Fn::FindInMap" => {
                let args = list(3);
                let [map, top, second] =
                    [args[0], args[1], args[2]].map(|a| text(&self.resolve(a)));
                let found = &self.template["Mappings"][&map][&top][&second];
                assert!(!found.is_null(), "no mapping {map}.{top}.{second}");
                found.clone()
            }
            "Fn::Select" => {
                let args = list(2);
                let index: usize = text(&self.resolve(args[0])).parse().expect("an index");
                self.resolve(args[1])
                    .as_array()
                    .expect("Select from a list")
                    .get(index)
                    .cloned()
                    .unwrap_or_else(|| panic!("Select {index} out of range"))
            }
            "Fn::Split" => {
                let args = list(2);
                let separator = text(&self.resolve(args[0]));
                let whole = text(&self.resolve(args[1]));
                json!(whole.split(separator.as_str()).collect::<Vec<_>>())
            }
            "Fn::Join" => {
                let args = list(2);
                let separator = text(&self.resolve(args[0]));
                let parts: Vec<String> = self
                    .resolve(args[1])
                    .as_array()
                    .expect("Join a list")
                    .iter()
                    .map(text)
                    .collect();
                json!(parts.join(&separator))
            }
            "Fn::Sub" => self.sub(arg),
            "Fn::GetAtt" => self.attribute(&text(arg)),
            _ => return None,
        })
    }

    /// `Resource.Attribute`, symbolic; a Function URL has the shape AWS
    /// gives it (with its trailing slash), since the template takes it apart.
    fn attribute(&self, name: &str) -> Value {
        match name.strip_suffix(".FunctionUrl") {
            Some(url) => json!(format!(
                "https://{}.lambda-url.{}.on.aws/",
                url.to_ascii_lowercase(),
                self.region
            )),
            None => json!(format!("<{name}>")),
        }
    }

    fn reference(&self, name: &str) -> Value {
        match name {
            "AWS::NoValue" => Value::Null,
            "AWS::Region" => json!(self.region),
            "AWS::StackName" => json!("malgomo-mcp"),
            "AWS::AccountId" => json!("123456789012"),
            "AWS::Partition" => json!("aws"),
            _ => match self.parameters.get(name) {
                Some(value) => value.clone(),
                None => {
                    assert!(
                        !self.template["Resources"][name].is_null(),
                        "Ref to nothing: {name}"
                    );
                    json!(format!("<{name}>"))
                }
            },
        }
    }

    fn sub(&self, arg: &Value) -> Value {
        let (pattern, vars) = match arg {
            Value::String(pattern) => (pattern.as_str(), Map::new()),
            Value::Array(items) => (
                items[0].as_str().expect("a Sub pattern"),
                items[1].as_object().expect("Sub variables").clone(),
            ),
            other => panic!("Sub of {other}"),
        };
        let mut out = String::new();
        let mut rest = pattern;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').expect("a closed ${…}") + start;
            let name = &rest[start + 2..end];
            let value = match vars.get(name) {
                Some(var) => self.resolve(var),
                None if name.contains('.') => self.attribute(name),
                None => self.reference(name),
            };
            out.push_str(&text(&value));
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        json!(out)
    }
}

/// A scalar as CloudFormation passes it: every value is text.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
