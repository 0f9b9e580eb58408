//! Rezolve's wire types, as its ticketing reference documents them (camelCase): users of the
//! directory, tickets with their embedded requester and assignee, and the list envelopes
//! `{users, totalCount}` and `{tickets, pagination{total, top, offset, hasMore}}`.
//!
//! Lists are read one element at a time: an element that cannot be read (no id, not an object)
//! is skipped, counted and logged with the endpoint and its position, never its content; a field
//! of the wrong kind is read as absent.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::client::decode_error;
use crate::provider::ProviderError;
use crate::provider::elements::{elements, id_text, opt_text};

fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub username: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub email: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_text")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "texts")]
    pub teams: Vec<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub default_team: Option<String>,
}

/// `{id, name, email}` inside a ticket.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonRef {
    #[serde(default, deserialize_with = "opt_text")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub email: Option<String>,
}

fn person_ref<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PersonRef>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub ticket_number: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub priority: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub subcategory: Option<String>,
    #[serde(default, deserialize_with = "person_ref")]
    pub assignee: Option<PersonRef>,
    #[serde(default, deserialize_with = "person_ref")]
    pub requester: Option<PersonRef>,
    #[serde(default, deserialize_with = "opt_text")]
    pub team: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub updated_at: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub due_date: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub sla_status: Option<String>,
}

/// `pagination` of a ticket list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pagination {
    pub total: Option<u64>,
    pub has_more: bool,
}

/// The elements of the list under `key` in `data` (taken out of it, not copied), each read on
/// its own, and how many were left out.
pub fn list<T: DeserializeOwned>(
    endpoint: &str,
    data: &mut Value,
    key: &str,
) -> Result<(Vec<T>, usize), ProviderError> {
    list_after(endpoint, data, key, 0).map(|(kept, skipped, _)| (kept, skipped))
}

/// As [`list`], but elements before position `counted_from` that cannot be read are not
/// counted: they were counted on the page that read them first (the rows re-read to join
/// two pages). Also says how many rows the reply held, readable or not: where the next page
/// starts.
pub fn list_after<T: DeserializeOwned>(
    endpoint: &str,
    data: &mut Value,
    key: &str,
    counted_from: usize,
) -> Result<(Vec<T>, usize, usize), ProviderError> {
    let Some(Value::Array(mut items)) = data.get_mut(key).map(Value::take) else {
        return Err(decode_error(
            endpoint,
            format!("the reply has no list of {key}; is base_url the tenant's address?"),
        ));
    };
    let rows = items.len();
    let tail = items.split_off(counted_from.min(items.len()));
    let tail_len = tail.len();
    let mut kept: Vec<T> = elements(endpoint, items);
    let head_kept = kept.len();
    kept.extend(elements::<T>(endpoint, tail));
    let skipped = tail_len - (kept.len() - head_kept);
    Ok((kept, skipped, rows))
}

pub fn pagination(data: &Value) -> Pagination {
    let p = data.get("pagination");
    Pagination {
        total: p.and_then(|p| p.get("total")).and_then(Value::as_u64),
        has_more: p
            .and_then(|p| p.get("hasMore"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Row {
        #[allow(dead_code)]
        id: u64,
    }

    #[test]
    fn unreadable_rows_re_read_from_the_page_before_are_not_counted_again() {
        let reply = || serde_json::json!({"tickets": [{"id": 1}, null, {"id": 3}, "x", {"id": 5}]});
        let (kept, skipped) = list::<Row>("t", &mut reply(), "tickets").unwrap();
        assert_eq!((kept.len(), skipped), (3, 2));
        // The first two rows were the previous page's last: its null was counted there.
        let (kept, skipped, rows) = list_after::<Row>("t", &mut reply(), "tickets", 2).unwrap();
        assert_eq!(
            (kept.len(), skipped, rows),
            (3, 1, 5),
            "the next page starts after all five"
        );
        let (_, skipped, _) = list_after::<Row>("t", &mut reply(), "tickets", 99).unwrap();
        assert_eq!(skipped, 0);
    }
}
