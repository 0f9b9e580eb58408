//! Standing damage to the wire, for the hostile seed (`ttydesk demo --seed hostile`): what a
//! JSON encoder never writes but real instances have been seen to send. Each rule names an
//! endpoint and an element by its `id`; every reply of that endpoint holding the element is
//! changed on its way out, so the damage is there on every load, not once.
//!
//! An element is looked for breadth-first among the reply itself, its members and theirs (a
//! list, an id-keyed map, a list under a `data` key), so an embedded comment with the same id as
//! a request is never mistaken for the request.

use serde_json::Value;

use crate::sim::reply::Reply;

/// What a rule does to its element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// The element's `field` (or the whole element for `""`) replaced by these bytes verbatim:
    /// invalid UTF-8, a nest deeper than parsers accept, `null`.
    Raw { field: &'static str, bytes: Vec<u8> },
    /// Every field but `id` set to `null`.
    Nulls,
    /// Strings and numbers swapped: a number becomes its text, a string its length, `true` the
    /// text "yes", a list the text "list", an object the number 42. `id` is kept.
    Swapped,
}

/// One rule: `damage` to the element with this `id` in replies of `endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRule {
    pub endpoint: &'static str,
    pub id: u64,
    pub damage: Damage,
}

/// `reply` with every rule for `endpoint` applied; a reply without the element is left alone.
pub fn apply(rules: &[WireRule], endpoint: &str, reply: Reply) -> Reply {
    let mine: Vec<&WireRule> = rules.iter().filter(|r| r.endpoint == endpoint).collect();
    if mine.is_empty() {
        return reply;
    }
    let Reply::Json { status, mut body } = reply else {
        return reply;
    };
    let mut raw = Vec::new();
    for rule in mine {
        let Some(pointer) = find(&body, rule.id) else {
            continue;
        };
        let Some(element) = body.pointer_mut(&pointer) else {
            continue;
        };
        match &rule.damage {
            Damage::Nulls => nulls(element),
            Damage::Swapped => swapped(element),
            Damage::Raw { field, bytes } => {
                let pointer = if field.is_empty() {
                    pointer
                } else {
                    format!("{pointer}/{field}")
                };
                raw.push((pointer, bytes.as_slice()));
            }
        }
    }
    if raw.is_empty() {
        return Reply::Json { status, body };
    }
    Reply::Json { status, body }.spliced_all(&raw)
}

/// The JSON pointer of the element with `id`, breadth-first to depth 2.
fn find(body: &Value, id: u64) -> Option<String> {
    let mut level: Vec<(String, &Value)> = vec![(String::new(), body)];
    for _ in 0..3 {
        if let Some((pointer, _)) = level.iter().find(|(_, v)| has_id(v, id)) {
            return Some(pointer.clone());
        }
        level = level
            .into_iter()
            .flat_map(|(pointer, value)| children(&pointer, value))
            .collect();
    }
    None
}

fn has_id(value: &Value, id: u64) -> bool {
    match value.get("id") {
        Some(Value::Number(n)) => n.as_u64() == Some(id),
        Some(Value::String(s)) => s.parse::<u64>().ok() == Some(id),
        _ => false,
    }
}

fn children<'a>(pointer: &str, value: &'a Value) -> Vec<(String, &'a Value)> {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{pointer}/{i}"), v))
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (format!("{pointer}/{}", escape(k)), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn nulls(element: &mut Value) {
    if let Value::Object(map) = element {
        for (key, value) in map.iter_mut() {
            if key != "id" {
                *value = Value::Null;
            }
        }
    }
}

fn swapped(element: &mut Value) {
    if let Value::Object(map) = element {
        for (key, value) in map.iter_mut() {
            if key == "id" {
                continue;
            }
            *value = match value {
                Value::Number(n) => Value::String(n.to_string()),
                Value::String(s) => Value::from(s.chars().count()),
                Value::Bool(true) => Value::String("yes".into()),
                Value::Bool(false) => Value::String("no".into()),
                Value::Array(_) => Value::String("list".into()),
                Value::Object(_) => Value::from(42),
                Value::Null => Value::Null,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::http::StatusCode;
    use serde_json::json;

    fn body_of(reply: Reply) -> Vec<u8> {
        match reply {
            Reply::Json { body, .. } => body.to_string().into_bytes(),
            Reply::Raw { body, .. } => body,
        }
    }

    fn rule(id: u64, damage: Damage) -> WireRule {
        WireRule {
            endpoint: "incidents",
            id,
            damage,
        }
    }

    #[test]
    fn damage_lands_on_the_element_named_by_id_and_nowhere_else() {
        let body = json!({
            "1001": {"id": 1001, "title": "a", "n": 5, "ok": true, "comments": [{"id": 1002}]},
            "1002": {"id": 1002, "title": "b", "n": 6, "ok": false, "comments": []},
        });
        let reply = Reply::Json {
            status: StatusCode::OK,
            body,
        };
        let rules = [
            rule(1001, Damage::Nulls),
            rule(1002, Damage::Swapped),
            rule(
                1002,
                Damage::Raw {
                    field: "title",
                    bytes: b"\"\xff\"".to_vec(),
                },
            ),
            rule(9999, Damage::Nulls),
        ];
        let out = body_of(apply(&rules, "incidents", reply));
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains(r#""1001":{"comments":null,"id":1001,"n":null,"ok":null,"title":null}"#),
            "{text}"
        );
        assert!(text.contains(r#""comments":"list""#), "{text}");
        assert!(
            text.contains(r#""n":"6""#) && text.contains(r#""ok":"no""#),
            "{text}"
        );
        assert!(
            out.windows(3).any(|w| w == b"\"\xff\""),
            "the raw bytes are there"
        );
        // Another endpoint's replies are not touched.
        let other = Reply::Json {
            status: StatusCode::OK,
            body: json!([{"id": 1001, "title": "a"}]),
        };
        assert_eq!(
            body_of(apply(&rules, "users", other)),
            br#"[{"id":1001,"title":"a"}]"#
        );
    }

    #[test]
    fn a_whole_element_can_be_replaced() {
        let reply = Reply::Json {
            status: StatusCode::OK,
            body: json!([{"id": 1}, {"id": 2}]),
        };
        let rules = [WireRule {
            endpoint: "users",
            id: 2,
            damage: Damage::Raw {
                field: "",
                bytes: b"null".to_vec(),
            },
        }];
        assert_eq!(
            body_of(apply(&rules, "users", reply)),
            br#"[{"id":1},null]"#
        );
    }
}
