//! InvGate's approval wire types: `incident.approval` (one approval instance), its
//! `possible_voters`, the approval templates of `incident.custom_approval`, and the three
//! vocabularies (`incident.approval.status`, `.type`, `.vote_status`), which are maps
//! `{id: description}` and arrive as `[]` when empty.
//!
//! Collections here are read one element at a time ([`elements`]): an element that cannot be
//! read costs only itself. It is skipped and logged with the endpoint and the reason, never with
//! its content, which may be a person's name or what they asked to buy.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::decode_error;
use super::lenient::{self, Listing};
use crate::provider::ProviderError;

/// `incident.approval`: one approval instance.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApprovalWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub author_id: Option<String>,
    /// -2 cancelled, -1 waiting, 0 rejected, 1 approved, 2 expired.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    /// 1 predefined (from a template), 2 spontaneous.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_i64")]
    pub kind: Option<i64>,
    /// The template a predefined approval came from.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub approval_request_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub approval_request_description: Option<String>,
}

/// One voter of `incident.approval.possible_voters`. The reference says `id`, the API answers
/// `user_id`: both are read, `user_id` first.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VoterWire {
    #[serde(default, deserialize_with = "lenient::opt_id")]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    id: Option<String>,
    /// -2 annulled, -1 waiting, 0 rejected, 1 approved, 2 expired.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
}

impl VoterWire {
    pub fn user(&self) -> Option<&str> {
        self.user_id.as_deref().or(self.id.as_deref())
    }

    #[cfg(test)]
    pub fn new(user: &str, status: i64) -> VoterWire {
        VoterWire {
            user_id: Some(user.to_string()),
            id: None,
            status: Some(status),
        }
    }
}

/// One approval template of `incident.custom_approval` (GET), a map keyed by template id.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TemplateWire {
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub description_required: bool,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub description_prompt: Option<String>,
}

/// The elements of a reply in any of InvGate's collection shapes (an array, a map keyed by id,
/// `[]` for an empty map, a `{data: …}` envelope), each with the key it was filed under. Each
/// element is read on its own: one that is not an object, or whose fields cannot be read, is
/// left out and logged at warn with `endpoint`, its position and why. A reply that is no
/// collection at all is a [`ProviderError::Decode`]: "nothing" must not be read into it.
pub fn elements<T: DeserializeOwned>(
    endpoint: &str,
    reply: Value,
) -> Result<Vec<(Option<String>, T)>, ProviderError> {
    let raw = serde_json::from_value::<Listing<Value>>(reply)
        .map_err(|e| decode_error(endpoint, &e))?
        .items;
    let kept = raw
        .into_iter()
        .enumerate()
        .filter_map(|(position, (key, item))| {
            if !item.is_object() {
                tracing::warn!(endpoint, position, "skipped an element: not an object");
                return None;
            }
            match serde_json::from_value::<T>(item) {
                Ok(element) => Some((key, element)),
                // serde's message may quote the value: only its kind is said.
                Err(_) => {
                    tracing::warn!(
                        endpoint,
                        position,
                        "skipped an element: a field holds a value of the wrong kind"
                    );
                    None
                }
            }
        })
        .collect();
    Ok(kept)
}

/// A vocabulary (`incident.approval.status`, `.type`, `.vote_status`): id → description, ids
/// as the integers they are ("-1", "2"). The documented `[{id, name|description}]` array and a
/// `{data: …}` envelope are read too; entries without an integer id or a text are skipped.
pub fn words(endpoint: &str, reply: &Value) -> HashMap<String, String> {
    let entry = |key: Option<&str>, value: &Value| -> Option<(String, String)> {
        let (id, text) = match value {
            Value::String(text) => (key.map(str::to_string), text.clone()),
            Value::Number(n) => (key.map(str::to_string), n.to_string()),
            Value::Object(o) => {
                let id = o
                    .get("id")
                    .and_then(number_text)
                    .or(key.map(str::to_string));
                let text = ["description", "name", "label"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str))?;
                (id, text.to_string())
            }
            _ => (None, String::new()),
        };
        let id = id.and_then(|id| id.trim().parse::<i64>().ok())?;
        let text = text.trim();
        (!text.is_empty()).then(|| (id.to_string(), text.to_string()))
    };
    let pairs: Vec<(Option<&str>, &Value)> = match reply {
        Value::Array(items) => items.iter().map(|v| (None, v)).collect(),
        Value::Object(map) => match map.get("data") {
            Some(inner @ (Value::Array(_) | Value::Object(_))) => return words(endpoint, inner),
            _ => map.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
        },
        _ => Vec::new(),
    };
    let mut out = HashMap::new();
    for (position, (key, value)) in pairs.into_iter().enumerate() {
        match entry(key, value) {
            Some((id, text)) => {
                out.insert(id, text);
            }
            None => tracing::warn!(
                endpoint,
                position,
                "skipped a word: no integer id or no text"
            ),
        }
    }
    out
}

fn number_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn approvals_read_alike_with_ints_or_strings() {
        let modern = json!([{"id": 5, "author_id": 12, "status": -1, "type": 2,
            "created_at": 1_700_000_000, "approval_request_id": 0,
            "approval_request_description": "Buy a laptop", "reminder_count": 0}]);
        let legacy = json!([{"id": "5", "author_id": "12", "status": "-1", "type": "2",
            "created_at": "1700000000", "approval_request_id": "0",
            "approval_request_description": "Buy a laptop"}]);
        for reply in [modern, legacy] {
            let list: Vec<(Option<String>, ApprovalWire)> =
                elements("incident.approval", reply).unwrap();
            let a = &list[0].1;
            assert_eq!(a.id, "5");
            assert_eq!(a.author_id.as_deref(), Some("12"));
            assert_eq!((a.status, a.kind), (Some(-1), Some(2)));
            assert_eq!(a.approval_request_id, None, "0 is no template");
            assert_eq!(a.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
        }
    }

    #[test]
    fn voters_are_read_by_user_id_or_by_id() {
        let list: Vec<(Option<String>, VoterWire)> = elements(
            "incident.approval.possible_voters",
            json!([{"user_id": 30, "status": 1}, {"id": "31", "status": "-1"},
                   {"user_id": 32, "id": 99, "status": 0}]),
        )
        .unwrap();
        let got: Vec<_> = list.iter().map(|(_, v)| (v.user(), v.status)).collect();
        assert_eq!(
            got,
            [
                (Some("30"), Some(1)),
                (Some("31"), Some(-1)),
                (Some("32"), Some(0))
            ]
        );
    }

    #[test]
    fn a_malformed_element_costs_only_itself() {
        let list: Vec<(Option<String>, ApprovalWire)> = elements(
            "incident.approval",
            json!([{"id": 1}, "garbage", 7, {"id": {"nested": true}}, {"id": 2}]),
        )
        .unwrap();
        let ids: Vec<&str> = list.iter().map(|(_, a)| a.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
        let nothing = elements::<ApprovalWire>("incident.approval", json!("not a list"));
        assert!(
            matches!(nothing, Err(ProviderError::Decode { .. })),
            "{nothing:?}"
        );
    }

    #[test]
    fn templates_come_as_a_map_keyed_by_id_or_as_php_empty_arrays() {
        let map: Vec<(Option<String>, TemplateWire)> = elements(
            "incident.custom_approval",
            json!({"3": {"id": 3, "title": "Hardware purchase", "description_required": 1,
                         "description_prompt": "What and why?", "expired_in": 72},
                   "8": {"title": "Access", "description_required": "0"}}),
        )
        .unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[0].0.as_deref(), Some("3"));
        assert_eq!(map[0].1.id.as_deref(), Some("3"));
        assert!(map[0].1.description_required);
        assert_eq!(map[1].1.id, None, "the key names it");
        assert!(!map[1].1.description_required);
        let empty: Vec<(Option<String>, TemplateWire)> =
            elements("incident.custom_approval", json!([])).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn vocabularies_are_maps_arrays_or_nothing() {
        let map = words(
            "incident.approval.status",
            &json!({"-2": "Cancelled", "-1": "Waiting", " 1 ": "Approved", "x": "Odd",
                    "0": {"nested": 1}, "2": ""}),
        );
        assert_eq!(map.len(), 3);
        assert_eq!(map.get("-1").map(String::as_str), Some("Waiting"));
        assert_eq!(map.get("1").map(String::as_str), Some("Approved"));
        let array = words(
            "incident.approval.type",
            &json!([{"id": "1", "name": "Predefined"}, {"id": 2, "description": "Spontaneous"}]),
        );
        assert_eq!(array.get("2").map(String::as_str), Some("Spontaneous"));
        assert_eq!(array.get("1").map(String::as_str), Some("Predefined"));
        assert!(words("incident.approval.vote_status", &json!([])).is_empty());
        assert!(words("incident.approval.vote_status", &json!(null)).is_empty());
        let wrapped = words("x", &json!({"data": {"-2": "Annulled"}}));
        assert_eq!(wrapped.get("-2").map(String::as_str), Some("Annulled"));
    }
}
