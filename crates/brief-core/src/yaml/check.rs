//! Checks the positioned tree against the format's JSON Schema, collecting
//! every unknown key, missing field, wrong type and bad choice at once.
//!
//! The schema is generated from the raw serde types, so this check and serde
//! agree by construction; serde still runs afterwards as the last word.

use std::collections::HashSet;

use serde_json::Value as Json;

use super::tree::{Node, Pos, Scalar, Value};

/// One structural problem, before it becomes a diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// The field path.
    pub path: String,
    /// Where.
    pub pos: Pos,
    /// What was expected.
    pub expected: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Checks `root` against `schema`, returning every problem found, and the
/// tree as JSON typed by the schema with every faulty part left out, so that
/// the meaning of the rest can still be checked in the same pass.
pub fn check(root: &Node, schema: &Json) -> (Vec<Problem>, Option<Json>) {
    let mut checker = Checker { defs: &schema["$defs"], problems: Vec::new() };
    let json = checker.node(root, schema, "");
    (checker.problems, json)
}

struct Checker<'s> {
    defs: &'s Json,
    problems: Vec<Problem>,
}

impl<'s> Checker<'s> {
    fn deref(&self, schema: &'s Json) -> &'s Json {
        match schema.get("$ref").and_then(Json::as_str) {
            Some(r) => self.deref(&self.defs[r.trim_start_matches("#/$defs/")]),
            None => schema,
        }
    }

    fn node(&mut self, node: &Node, schema: &'s Json, path: &str) -> Option<Json> {
        let node = node.resolve();
        if self.flawed(node, path) {
            return None;
        }
        let schema = self.deref(schema);
        if let Some(choices) = choices(schema) {
            return self.choice(node, &choices, path);
        }
        if let Some(alts) =
            schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Json::as_array)
        {
            let is_null = matches!(node.value, Value::Scalar(Scalar::Null, _));
            let non_null =
                alts.iter().find(|a| a.get("type").and_then(Json::as_str) != Some("null"));
            if is_null && alts.len() > 1 && alts.iter().any(|a| a["type"] == "null") {
                return Some(Json::Null);
            }
            if let Some(alt) = non_null {
                return self.node(node, alt, path);
            }
        }
        let types = types(schema);
        match &node.value {
            Value::Scalar(scalar, raw) => self.scalar(node.pos, scalar, raw, &types, path),
            Value::Seq(items) if types.contains(&"array") => {
                let checked = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.node(item, &schema["items"], &format!("{path}[{i}]")));
                // Every item is kept or the list is dropped: indices must stay true.
                checked.collect::<Vec<_>>().into_iter().collect::<Option<Vec<_>>>().map(Json::Array)
            }
            Value::Map(pairs) if types.contains(&"object") => {
                self.map(node.pos, pairs, schema, path)
            }
            Value::Seq(_) => {
                self.mismatch(node.pos, path, &types, "a list");
                None
            }
            Value::Map(_) => {
                self.mismatch(node.pos, path, &types, "a mapping");
                None
            }
            Value::Alias(_) => None,
        }
    }

    fn scalar(
        &mut self,
        pos: Pos,
        scalar: &Scalar,
        raw: &str,
        types: &[&str],
        path: &str,
    ) -> Option<Json> {
        let ok = match scalar {
            Scalar::Null => types.contains(&"null"),
            Scalar::Bool(_) => types.contains(&"boolean") || types.contains(&"string"),
            Scalar::Number(n) if types.contains(&"number") || types.contains(&"integer") => {
                if !n.is_finite() {
                    self.push(
                        pos,
                        path,
                        format!("`{raw}` is not a finite number"),
                        Some("a finite decimal number, or null".into()),
                        Some("write null for a missing value".into()),
                    );
                    return None;
                }
                if beyond_exact(raw) {
                    self.push(
                        pos,
                        path,
                        format!("`{raw}` is too large to keep exactly"),
                        Some("a whole number of at most 9007199254740992 (2^53) either way".into()),
                        Some(
                            "write it in a larger unit (thousands, millions), with decimals".into(),
                        ),
                    );
                    return None;
                }
                types.contains(&"number") || n.fract() == 0.0
            }
            Scalar::Number(_) => types.contains(&"string"),
            Scalar::Str(_) => types.contains(&"string"),
        };
        if !ok {
            let found = match scalar {
                Scalar::Null => "nothing".to_string(),
                Scalar::Bool(_) => format!("`{raw}` (true/false)"),
                Scalar::Number(_) => format!("the number `{raw}`"),
                Scalar::Str(_) => format!("the text \"{raw}\""),
            };
            self.mismatch(pos, path, types, &found);
            return None;
        }
        Some(match scalar {
            Scalar::Null => Json::Null,
            Scalar::Bool(b) if !types.contains(&"string") => Json::Bool(*b),
            // A whole number for an integer field stays an integer, so the
            // typed tree deserializes as the text does (within 2^53, above).
            Scalar::Number(n) if !types.contains(&"string") => {
                if types.contains(&"integer") && n.fract() == 0.0 {
                    Json::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number)
                }
            }
            _ => Json::String(raw.to_string()),
        })
    }

    fn map(
        &mut self,
        pos: Pos,
        pairs: &[(Node, Node)],
        schema: &'s Json,
        path: &str,
    ) -> Option<Json> {
        let mut object = serde_json::Map::new();
        let props = schema.get("properties").and_then(Json::as_object);
        let known: Vec<&str> =
            props.map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
        // A set, not a list: a map may hold many thousand keys.
        let mut seen: HashSet<String> = HashSet::new();
        for (key, value) in pairs {
            let name = key.key_text();
            let field = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            if !seen.insert(name.clone()) {
                self.push(
                    key.pos,
                    &field,
                    format!("duplicate key `{name}`"),
                    None,
                    Some("remove one of them".into()),
                );
                continue;
            }
            if self.flawed(key, &field) {
                continue;
            }
            // A map of free keys (a filter's dimensions) types each value alike.
            let free = schema.get("additionalProperties").filter(|a| a.is_object());
            match props.and_then(|p| p.get(&name)).or(free) {
                Some(sub) => {
                    if let Some(v) = self.node(value, sub, &field) {
                        object.insert(name, v);
                    }
                }
                None => {
                    let hint = crate::diag::did_you_mean(&name, known.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some("remove it, or check its indentation".into()));
                    self.push(
                        key.pos,
                        &field,
                        format!("unknown field `{name}`"),
                        Some(format!("one of: {}", known.join(", "))),
                        hint,
                    );
                }
            }
        }
        let required = schema.get("required").and_then(Json::as_array).cloned().unwrap_or_default();
        for name in required.iter().filter_map(Json::as_str) {
            if !seen.contains(name) {
                let field =
                    if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
                let what =
                    props.and_then(|p| p.get(name)).map(|s| self.describe(s)).unwrap_or_default();
                self.push(
                    pos,
                    &field,
                    format!("missing required field `{name}`"),
                    Some(what),
                    Some(format!(
                        "add `{name}:` to {}",
                        if path.is_empty() { "the top level" } else { path }
                    )),
                );
            }
        }
        Some(Json::Object(object))
    }

    fn choice(&mut self, node: &Node, choices: &[String], path: &str) -> Option<Json> {
        let given = match &node.value {
            Value::Scalar(Scalar::Str(s), _) => s.clone(),
            Value::Scalar(_, raw) => raw.clone(),
            _ => String::new(),
        };
        if choices.contains(&given) {
            return Some(Json::String(given));
        }
        let hint = crate::diag::did_you_mean(&given, choices.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"));
        let list = choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
        self.push(
            node.pos,
            path,
            format!("`{given}` is not a valid choice"),
            Some(format!("one of {list}")),
            hint,
        );
        None
    }

    /// Reports a problem the reader found in the node itself (a tag, a
    /// control character) at the field's path; true if there was one.
    fn flawed(&mut self, node: &Node, path: &str) -> bool {
        let Some(flaw) = &node.flaw else { return false };
        let (expected, hint) = (Some(flaw.expected.clone()), Some(flaw.hint.clone()));
        self.push(flaw.pos, path, flaw.message.clone(), expected, hint);
        true
    }

    fn mismatch(&mut self, pos: Pos, path: &str, types: &[&str], found: &str) {
        let want = types
            .iter()
            .filter(|t| **t != "null")
            .map(|t| type_name(t))
            .collect::<Vec<_>>()
            .join(" or ");
        // YAML 1.1's yes/no/on/off are text in YAML 1.2, which briefs use.
        let word = found.strip_prefix("the text \"").and_then(|f| f.strip_suffix('"'));
        let truth = word.and_then(|w| match w.to_ascii_lowercase().as_str() {
            "yes" | "y" | "on" => Some("true"),
            "no" | "n" | "off" => Some("false"),
            _ => None,
        });
        let hint = match (types.first(), truth) {
            (Some(&"boolean"), Some(value)) => Some(format!("write `{value}`")),
            (Some(&"array"), _) => Some("write a list, one `- item` per line".to_string()),
            (Some(&"string"), _) => Some("put the text in quotes".to_string()),
            _ => None,
        };
        self.push(pos, path, format!("wrong type: found {found}"), Some(want), hint);
    }

    fn describe(&self, schema: &'s Json) -> String {
        let schema = self.deref(schema);
        if schema.get("format").and_then(Json::as_str) == Some("date") {
            return "a date as YYYY-MM-DD (ISO 8601), e.g. 2021-07-05".into();
        }
        types(schema).iter().map(|t| type_name(t)).collect::<Vec<_>>().join(" or ")
    }

    fn push(
        &mut self,
        pos: Pos,
        path: &str,
        message: String,
        expected: Option<String>,
        hint: Option<String>,
    ) {
        self.problems.push(Problem { message, path: path.to_string(), pos, expected, hint });
    }
}

/// Whether an integer as written is beyond 2^53, where a number stored as a
/// double stops holding every whole number: `9007199254740993` would print as
/// `9007199254740992`.
fn beyond_exact(raw: &str) -> bool {
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    let parsed = if let Some(hex) = digits.strip_prefix("0x") {
        u128::from_str_radix(hex, 16)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        u128::from_str_radix(oct, 8)
    } else if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse::<u128>()
    } else {
        return false;
    };
    parsed.map_or(true, |v| v > 1 << 53)
}

/// The allowed values when the schema is a choice of constants.
fn choices(schema: &Json) -> Option<Vec<String>> {
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        return Some(values.iter().filter_map(|v| v.as_str().map(String::from)).collect());
    }
    let alts = schema.get("oneOf").and_then(Json::as_array)?;
    alts.iter().map(|a| a.get("const").and_then(Json::as_str).map(String::from)).collect()
}

fn types(schema: &Json) -> Vec<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "a text",
        "number" => "a number",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a mapping of fields",
        _ => "nothing",
    }
}
