//! How each custom field's value is entered: the field's type (`cf.fields.all` gives a type id,
//! `cf.fields.types` its name) chosen into a [`FieldEditor`], with the options of list fields
//! (`cf.field.options.list`) and the node paths of tree fields (`cf.field.options.tree`).
//!
//! Nothing here fails the catalog: without `cf.fields.types` every field is free text, and a
//! field whose options cannot be read is free text too (the server still checks what is sent).
//!
//! A list option is its label (the values of `key-value`, in the server's order); a tree option
//! is the node's full path, names joined with [`TREE_SEPARATOR`] from the root, and that path is
//! what a write sends as the field's value.

use std::collections::HashMap;

use futures_util::stream::{self, StreamExt};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::client::{Client, Query};
use super::lenient::{self, Listing};
use super::map;
use super::wire::CustomFieldWire;
use crate::domain::{CustomFieldDef, FieldEditor};
use crate::text::SafeText;

/// Joins the names of a tree node's path: "Madrid HQ › Floor 3 › Room 301".
pub const TREE_SEPARATOR: &str = " › ";

/// Option lookups in flight at once.
const OPTION_FETCHES: usize = 4;

/// Most options kept of one field, and deepest tree level followed: a bound on what a server
/// can make the console hold.
const MAX_OPTIONS: usize = 5_000;
const MAX_DEPTH: usize = 32;

/// Type id (as text) → the type's name, from `cf.fields.types`.
pub type TypeNames = HashMap<String, String>;

/// `cf.fields.types`, `[{id, name}]` as the reference documents it or a map id → name as some
/// versions send it. `None` when it cannot be had: every field is then free text.
pub async fn type_names(c: &Client) -> Option<TypeNames> {
    match c.get::<Value>("cf.fields.types", Query::new()).await {
        Ok(reply) => Some(parse_type_names(&reply)),
        Err(e) => {
            tracing::debug!(error = %e, "cf.fields.types failed; custom fields are free text");
            None
        }
    }
}

fn parse_type_names(reply: &Value) -> TypeNames {
    let entry = |key: Option<String>, item: &Value| -> Option<(String, String)> {
        match item {
            Value::String(name) => Some((key?, name.clone())),
            Value::Object(o) => {
                let id = o.get("id").and_then(lenient::id_value).or(key)?;
                let name = ["name", "description", "label"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str))?;
                Some((id, name.to_string()))
            }
            _ => None,
        }
    };
    match reply {
        Value::Array(items) => items.iter().filter_map(|i| entry(None, i)).collect(),
        Value::Object(map) => {
            let inner = map.get("data").filter(|d| d.is_array() || d.is_object());
            match inner {
                Some(data) => parse_type_names(data),
                None => map
                    .iter()
                    .filter_map(|(k, v)| entry(Some(k.trim().to_string()), v))
                    .collect(),
            }
        }
        _ => TypeNames::new(),
    }
}

/// What a type's name says about entering its value: the editor, or a list or a tree whose
/// options still have to be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Plain(FieldEditor),
    List,
    Tree,
}

/// By the type's name, ignoring case, spaces, `_` and `-`; an unknown name is free text.
fn kind_of(type_name: &str) -> Kind {
    let name: String = type_name
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .collect();
    match name.as_str() {
        "number" | "numeric" => Kind::Plain(FieldEditor::Number),
        "date" => Kind::Plain(FieldEditor::Date),
        "checkbox" => Kind::Plain(FieldEditor::Checkbox),
        "list" | "dropdown" => Kind::List,
        "tree" => Kind::Tree,
        "user" | "ci" | "file" | "asset" => Kind::Plain(FieldEditor::ReadOnly),
        // "text", "text area" and whatever ttydesk does not know.
        _ => Kind::Plain(FieldEditor::Text),
    }
}

/// The definitions of `cf.fields.all`, each with its editor. `types` is `None` when
/// `cf.fields.types` could not be read.
pub async fn definitions(
    c: &Client,
    wires: &[CustomFieldWire],
    types: Option<&TypeNames>,
) -> Vec<CustomFieldDef> {
    // Owned: a stream of futures borrowing its items trips the compiler's Send check.
    let wires: Vec<CustomFieldWire> = wires
        .iter()
        .filter(|f| !f.uid.is_empty())
        .cloned()
        .collect();
    stream::iter(wires)
        .map(|wire| async move {
            let mut def = map::custom_field_def(&wire);
            def.editor = editor(c, &wire, types).await;
            def
        })
        // In order: the catalog lists the fields as the server does.
        .buffered(OPTION_FETCHES)
        .collect()
        .await
}

async fn editor(c: &Client, wire: &CustomFieldWire, types: Option<&TypeNames>) -> FieldEditor {
    let Some(types) = types else {
        return FieldEditor::Text;
    };
    let raw = wire.kind.as_deref().map(str::trim).unwrap_or("");
    // A type id names its type through the table; a type given by name is read as such.
    let name = match types.get(raw) {
        Some(name) => name.as_str(),
        None if raw.parse::<i64>().is_err() => raw,
        None => "",
    };
    let uid = Query::new().param("uid", &wire.uid);
    match kind_of(name) {
        Kind::Plain(editor) => editor,
        Kind::List => match c.get::<OptionsListWire>("cf.field.options.list", uid).await {
            Ok(reply) => FieldEditor::List(reply.labels()),
            Err(e) => fallback(&wire.uid, "cf.field.options.list", &e),
        },
        Kind::Tree => match c
            .get::<Listing<TreeNodeWire>>("cf.field.options.tree", uid)
            .await
        {
            Ok(roots) => FieldEditor::Tree(tree_paths(&roots.into_values())),
            Err(e) => fallback(&wire.uid, "cf.field.options.tree", &e),
        },
    }
}

fn fallback(uid: &str, endpoint: &str, e: &crate::provider::ProviderError) -> FieldEditor {
    tracing::debug!(uid, endpoint, error = %e, "custom field options failed; free text");
    FieldEditor::Text
}

/// `cf.field.options.list`: `{"key-value": {key: label, …}}`, the object's order kept; `[]`
/// (PHP's empty object) or a bare array of labels tolerated.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OptionsListWire {
    Wrapped {
        #[serde(rename = "key-value", alias = "key_value", alias = "keyValue")]
        key_value: KeyValues,
    },
    Bare(Vec<Value>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyValues {
    Map(IndexMap<String, Value>),
    List(Vec<Value>),
    Nothing(()),
}

impl OptionsListWire {
    fn labels(self) -> Vec<SafeText> {
        let values: Vec<Value> = match self {
            OptionsListWire::Wrapped {
                key_value: KeyValues::Map(map),
            } => map.into_values().collect(),
            OptionsListWire::Wrapped {
                key_value: KeyValues::List(items),
            }
            | OptionsListWire::Bare(items) => items,
            OptionsListWire::Wrapped {
                key_value: KeyValues::Nothing(()),
            } => Vec::new(),
        };
        let mut labels: Vec<SafeText> = Vec::new();
        for value in values.iter().take(MAX_OPTIONS) {
            let label = match value {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let label = SafeText::line(&label);
            if !label.is_empty() && !labels.contains(&label) {
                labels.push(label);
            }
        }
        labels
    }
}

/// One node of `cf.field.options.tree`: `{hash, name, key, children: […]}`.
#[derive(Debug, Clone, Default, Deserialize)]
struct TreeNodeWire {
    #[serde(default, deserialize_with = "lenient::opt_text")]
    name: Option<String>,
    #[serde(default)]
    children: Listing<TreeNodeWire>,
}

/// The full path of every node, depth first (each node before its children). A node without a
/// name is left out with its subtree: no path to it could be sent.
fn tree_paths(roots: &[TreeNodeWire]) -> Vec<SafeText> {
    fn walk(nodes: &[&TreeNodeWire], prefix: &str, depth: usize, out: &mut Vec<SafeText>) {
        for node in nodes {
            if out.len() >= MAX_OPTIONS || depth >= MAX_DEPTH {
                return;
            }
            let name = node.name.as_deref().map(str::trim).unwrap_or("");
            if name.is_empty() {
                continue;
            }
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}{TREE_SEPARATOR}{name}")
            };
            out.push(SafeText::line(&path));
            let children: Vec<&TreeNodeWire> = node.children.items.iter().map(|(_, n)| n).collect();
            walk(&children, &path, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&roots.iter().collect::<Vec<_>>(), "", 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_map_to_editors() {
        for (name, want) in [
            ("Text", Kind::Plain(FieldEditor::Text)),
            ("Text area", Kind::Plain(FieldEditor::Text)),
            ("NUMERIC", Kind::Plain(FieldEditor::Number)),
            ("Date", Kind::Plain(FieldEditor::Date)),
            ("checkbox", Kind::Plain(FieldEditor::Checkbox)),
            ("Dropdown", Kind::List),
            ("list", Kind::List),
            ("Tree", Kind::Tree),
            ("CI", Kind::Plain(FieldEditor::ReadOnly)),
            ("File", Kind::Plain(FieldEditor::ReadOnly)),
            ("user", Kind::Plain(FieldEditor::ReadOnly)),
            ("Asset", Kind::Plain(FieldEditor::ReadOnly)),
            ("Signature", Kind::Plain(FieldEditor::Text)),
        ] {
            assert_eq!(kind_of(name), want, "{name}");
        }
    }

    #[test]
    fn type_tables_come_as_lists_or_maps() {
        let list = parse_type_names(&serde_json::json!([{"id": 3, "name": "List"}, {"id": "4"}]));
        assert_eq!(list.get("3").map(String::as_str), Some("List"));
        assert_eq!(list.len(), 1);
        let map = parse_type_names(&serde_json::json!({"3": "List", "4": {"name": "Tree"}}));
        assert_eq!(map.get("4").map(String::as_str), Some("Tree"));
        assert_eq!(map.get("3").map(String::as_str), Some("List"));
    }

    #[test]
    fn list_options_keep_the_server_order() {
        let reply: OptionsListWire = serde_json::from_str(
            r#"{"key-value": {"b": "Zulu", "a": "Alpha", "10": "Ten", "2": "Two", "x": 7,
                "y": null, "z": "\u001b[2JAlpha"}}"#,
        )
        .unwrap();
        let labels: Vec<String> = reply.labels().iter().map(|l| l.to_string()).collect();
        assert_eq!(labels[..5], ["Zulu", "Alpha", "Ten", "Two", "7"]);
        assert!(labels.iter().all(|l| !l.contains('\u{1b}')), "{labels:?}");
        for empty in [r#"{"key-value": []}"#, r#"{"key-value": null}"#, "[]"] {
            let reply: OptionsListWire = serde_json::from_str(empty).unwrap();
            assert!(reply.labels().is_empty(), "{empty}");
        }
    }

    #[test]
    fn tree_nodes_become_full_paths() {
        let roots: Listing<TreeNodeWire> = serde_json::from_str(
            r#"[{"hash":"a","name":"Madrid HQ","key":"1","children":[
                    {"hash":"b","name":"Floor 3","children":[{"name":"Room 301","children":[]}]},
                    {"hash":"c","name":"","children":[{"name":"Lost"}]}]},
                {"hash":"d","name":"Remote","children":[]}]"#,
        )
        .unwrap();
        let paths: Vec<String> = tree_paths(&roots.into_values())
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "Madrid HQ",
                "Madrid HQ › Floor 3",
                "Madrid HQ › Floor 3 › Room 301",
                "Remote"
            ]
        );
    }
}
