//! The options of custom fields, `cf.field.options.list` and `cf.field.options.tree` (GET), and
//! what `incident.custom_field` accepts as a value of each type.
//!
//! Choices of the simulator where the reference is silent:
//! - a list's `key-value` keys are the options' 1-based positions as strings, zero-padded to
//!   one width ("1".."9", or "01".."12") so that the object, which is written in key order,
//!   keeps the options' order; the values are the option labels, and a list field's value (on
//!   the incident object and in `values[]`) is the label;
//! - a tree node's `hash` is a stable hex digest of the field and the node's path, its `key` the
//!   node's position ("1.2.1"); a tree field's value is the chosen node's full path, its names
//!   joined with " › " from the root ("Madrid HQ › Floor 3 › Room 301"), never the bare name
//!   (names repeat across branches);
//! - number values must parse as a decimal number, date values must be `YYYY-MM-DD`.

use serde_json::{Map, Value, json};

use crate::sim::dataset::{CustomField, Dataset, TREE_SEPARATOR, field_type, tree_parent};
use crate::sim::endpoints::Ctx;
use crate::sim::reply::{ApiError, Outcome};

/// The defined field `uid`, or the logical error for an unknown one.
fn field(ds: &Dataset, uid: u64) -> Result<&CustomField, ApiError> {
    ds.custom_fields
        .iter()
        .find(|f| f.uid == uid)
        .ok_or_else(|| ApiError::Logical("The custom field does not exist.".into()))
}

/// GET `uid`*: `{"key-value": {"1": "Madrid HQ", …}}` of a list field.
pub fn options_list(ctx: &Ctx<'_>) -> Outcome {
    let uid = ctx.params.require_uint("uid")?;
    let field = field(ctx.ds, uid)?;
    if field.field_type != field_type::LIST {
        return Err(ApiError::Logical(format!(
            "The custom field \"{}\" is not a list.",
            field.label
        )));
    }
    let width = field.options.len().to_string().len();
    let options: Map<String, Value> = (1usize..)
        .zip(&field.options)
        .map(|(position, label)| (format!("{position:0width$}"), json!(label)))
        .collect();
    Ok(json!({ "key-value": options }))
}

/// GET `uid`*: `[{hash, name, key, children: […]}]` of a tree field, roots first.
pub fn options_tree(ctx: &Ctx<'_>) -> Outcome {
    let uid = ctx.params.require_uint("uid")?;
    let field = field(ctx.ds, uid)?;
    if field.field_type != field_type::TREE {
        return Err(ApiError::Logical(format!(
            "The custom field \"{}\" is not a tree.",
            field.label
        )));
    }
    Ok(Value::Array(nodes(field, None, "")))
}

/// The nodes directly under `parent` (the roots for `None`), each with its subtree.
fn nodes(field: &CustomField, parent: Option<&str>, key_prefix: &str) -> Vec<Value> {
    field
        .options
        .iter()
        .filter(|path| tree_parent(path) == parent)
        .zip(1usize..)
        .map(|(path, position)| {
            let key = format!("{key_prefix}{position}");
            let name = path.rsplit(TREE_SEPARATOR).next().unwrap_or(path);
            json!({
                "hash": hash(field.uid, path),
                "name": name,
                "key": key,
                "children": nodes(field, Some(path), &format!("{key}.")),
            })
        })
        .collect()
}

/// FNV-1a of the uid and the path: stable across runs and builds.
fn hash(uid: u64, path: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in uid.to_string().bytes().chain([b':']).chain(path.bytes()) {
        h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Whether `value` (one entry of `values[]`, not empty) suits the field's type; the refusal
/// names the field.
pub fn check_value(field: &CustomField, value: &str) -> Result<(), ApiError> {
    let refuse = |what: &str| {
        Err(ApiError::Logical(format!(
            "\"{value}\" is not {what} of the custom field \"{}\".",
            field.label
        )))
    };
    match field.field_type {
        field_type::LIST if !field.options.iter().any(|o| o == value) => {
            refuse("one of the options")
        }
        field_type::TREE if !field.options.iter().any(|o| o == value) => {
            refuse("the full path of a node")
        }
        field_type::NUMBER if value.trim().parse::<f64>().map_or(true, |n| !n.is_finite()) => {
            refuse("a valid number for")
        }
        field_type::DATE if !is_date(value) => refuse("a YYYY-MM-DD date for"),
        _ => Ok(()),
    }
}

fn is_date(value: &str) -> bool {
    value.len() == 10 && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::params::Params;

    fn ds() -> Dataset {
        crate::sim::demo_dataset(7)
    }

    fn by_type(ds: &Dataset, kind: u8) -> &CustomField {
        ds.custom_fields
            .iter()
            .find(|f| f.field_type == kind)
            .expect("a field of that type")
    }

    fn call(ds: &Dataset, f: fn(&Ctx<'_>) -> Outcome, query: &str) -> Outcome {
        let params = Params::new(crate::sim::params::parse_pairs(query));
        f(&Ctx {
            ds,
            params: &params,
        })
    }

    #[test]
    fn list_options_keep_their_order_and_string_keys() {
        let ds = ds();
        let list = by_type(&ds, field_type::LIST);
        let reply = call(&ds, options_list, &format!("uid={}", list.uid)).unwrap();
        let map = reply["key-value"].as_object().unwrap();
        let labels: Vec<&str> = map.values().filter_map(Value::as_str).collect();
        assert_eq!(
            labels,
            list.options.iter().map(String::as_str).collect::<Vec<_>>()
        );
        assert_eq!(map.keys().next().map(String::as_str), Some("1"));
    }

    #[test]
    fn list_keys_are_padded_past_nine_options() {
        let mut ds = ds();
        let list = ds
            .custom_fields
            .iter_mut()
            .find(|f| f.field_type == field_type::LIST)
            .unwrap();
        list.options = (1..=12).map(|n| format!("Option {n}")).collect();
        let uid = list.uid;
        let reply = call(&ds, options_list, &format!("uid={uid}")).unwrap();
        let labels: Vec<&str> = reply["key-value"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(labels.first(), Some(&"Option 1"));
        assert_eq!(labels.get(9), Some(&"Option 10"));
        assert_eq!(labels.last(), Some(&"Option 12"));
    }

    #[test]
    fn options_need_a_uid_of_the_right_kind() {
        let ds = ds();
        let tree = by_type(&ds, field_type::TREE).uid;
        let list = by_type(&ds, field_type::LIST).uid;
        for f in [options_list as fn(&Ctx<'_>) -> Outcome, options_tree] {
            assert!(matches!(call(&ds, f, ""), Err(ApiError::Precondition(_))));
            assert!(matches!(
                call(&ds, f, "uid=x"),
                Err(ApiError::Precondition(_))
            ));
            assert!(matches!(
                call(&ds, f, "uid=4242"),
                Err(ApiError::Logical(_))
            ));
        }
        assert!(matches!(
            call(&ds, options_list, &format!("uid={tree}")),
            Err(ApiError::Logical(m)) if m.contains("Room")
        ));
        assert!(matches!(
            call(&ds, options_tree, &format!("uid={list}")),
            Err(ApiError::Logical(_))
        ));
    }

    #[test]
    fn tree_nodes_nest_under_their_parents() {
        let ds = ds();
        let tree = by_type(&ds, field_type::TREE);
        let reply = call(&ds, options_tree, &format!("uid={}", tree.uid)).unwrap();
        let roots = reply.as_array().unwrap();
        assert_eq!(roots[0]["name"], "Madrid HQ");
        assert_eq!(roots[0]["key"], "1");
        let floor = &roots[0]["children"][0];
        assert_eq!(floor["name"], "Floor 3");
        assert_eq!(floor["key"], "1.1");
        assert_eq!(floor["children"][0]["name"], "Room 301");
        assert_eq!(floor["children"][0]["children"], json!([]));
        assert!(floor["hash"].as_str().is_some_and(|h| h.len() == 16));
        assert_ne!(floor["hash"], roots[0]["hash"]);
    }

    #[test]
    fn values_are_checked_by_type() {
        let ds = ds();
        let list = by_type(&ds, field_type::LIST);
        assert!(check_value(list, &list.options[0]).is_ok());
        let refused = check_value(list, "Narnia").unwrap_err();
        assert!(matches!(&refused, ApiError::Logical(m) if m.contains(&list.label)));
        let tree = by_type(&ds, field_type::TREE);
        assert!(check_value(tree, "Madrid HQ › Floor 3 › Room 301").is_ok());
        assert!(check_value(tree, "Madrid HQ › Floor 3").is_ok());
        assert!(check_value(tree, "Room 301").is_err());
        let mut number = list.clone();
        number.field_type = field_type::NUMBER;
        assert!(check_value(&number, "12.5").is_ok());
        assert!(check_value(&number, "-3").is_ok());
        assert!(check_value(&number, "twelve").is_err());
        assert!(check_value(&number, "NaN").is_err());
        let mut date = list.clone();
        date.field_type = field_type::DATE;
        assert!(check_value(&date, "2026-11-02").is_ok());
        assert!(check_value(&date, "2026-11-31").is_err());
        assert!(check_value(&date, "2/11/2026").is_err());
        assert!(check_value(&date, "2026-1-2").is_err());
        let text = ds.custom_fields.iter().find(|f| f.field_type == 1).unwrap();
        assert!(check_value(text, "anything at all").is_ok());
    }
}
