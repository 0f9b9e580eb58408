//! InvGate wire types: what the API sends, read tolerantly (ints or strings, missing fields
//! defaulted, unknown fields ignored). Private to the `invgate` folder: only `domain` types leave.
//! Field names follow the API, typos included (`date_ocurred`).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::lenient::{self, Listing};

/// `{id, name}`: statuses, priorities, types, sources.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NamedWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct CategoryWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub parent_category_id: Option<String>,
}

/// One row of `helpdesksandlevels`: a help desk (no parent) or one of its levels.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HelpDeskWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub parent_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub level_order: Option<i64>,
    #[serde(default, deserialize_with = "lenient::id_list")]
    pub members_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub lastname: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub username: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub email: Option<String>,
    /// 1 agent, 2 end user.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub user_type: Option<i64>,
}

/// One entry of `cf.fields.all`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CustomFieldWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub uid: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub label: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_text")]
    pub kind: Option<String>,
}

/// `incidents.by.status` / `incidents.by.helpdesk`: ids only, with offset paging fields on the
/// status endpoint (`limit` may be null).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IdPageWire {
    #[serde(default, rename = "requestIds", deserialize_with = "lenient::id_list")]
    pub request_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub offset: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub total: Option<i64>,
    /// Keyset paging, where the server uses it (`incidents.by.helpdesk` on some versions).
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub next_page_key: Option<String>,
}

/// A request as `incident` and `incidents` return it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IncidentWire {
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub pretty_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub status_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub priority_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub type_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub category_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub assigned_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub assigned_group_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub last_update: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub closed_at: Option<DateTime<Utc>>,
    /// uid → value; a PHP empty array `[]` when there are none.
    #[serde(default, deserialize_with = "custom_fields")]
    pub custom_fields: Vec<(String, Value)>,
    /// Present only when asked for with `comments=1`; unreadable, it is absent (the detail
    /// reads the thread from `incident.comment` anyway).
    #[serde(default, deserialize_with = "lenient::opt_listing")]
    pub comments: Option<Listing<CommentWire>>,
}

/// A comment, from `incident.comment` (booleans) or embedded in `incident` (0/1 ints).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommentWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub author_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub customer_visible: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_solution: bool,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub msg_num: Option<i64>,
}

/// `incident.link`: `[{id, title}]`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LinkWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub title: Option<String>,
}

/// `custom_fields`: an object uid → value, `[]` when empty (PHP), or an array of
/// `{uid|id, value}` objects on some versions. Sorted by numeric uid so the order is stable.
fn custom_fields<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
    let value = Value::deserialize(d)?;
    let mut fields: Vec<(String, Value)> = match value {
        Value::Object(map) => map.into_iter().collect(),
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| {
                let uid = item.get("uid").or_else(|| item.get("id"))?;
                let uid = match uid {
                    Value::String(s) => s.trim().to_string(),
                    Value::Number(n) => n.to_string(),
                    _ => return None,
                };
                Some((uid, item.get("value").cloned().unwrap_or(Value::Null)))
            })
            .collect(),
        _ => Vec::new(),
    };
    fields.sort_by_key(|(uid, _)| (uid.parse::<u64>().unwrap_or(u64::MAX), uid.clone()));
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_string_incident_reads_like_a_modern_one() {
        let modern = r#"{"id":206,"title":"Printer","status_id":2,"priority_id":3,
            "user_id":12,"assigned_id":0,"assigned_group_id":4,"created_at":1700000000,
            "last_update":1700000500,"closed_at":null,"custom_fields":[]}"#;
        let legacy = r#"{"id":"206","title":"Printer","status_id":"2","priority_id":"3",
            "user_id":"12","assigned_id":"0","assigned_group_id":"4","created_at":"1700000000",
            "last_update":"1700000500","closed_at":"0","custom_fields":{}}"#;
        for json in [modern, legacy] {
            let i: IncidentWire = serde_json::from_str(json).unwrap();
            assert_eq!(i.id.as_deref(), Some("206"));
            assert_eq!(i.status_id.as_deref(), Some("2"));
            assert_eq!(i.assigned_id, None);
            assert_eq!(i.assigned_group_id.as_deref(), Some("4"));
            assert_eq!(i.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
            assert_eq!(i.closed_at, None);
            assert!(i.custom_fields.is_empty());
            assert!(i.comments.is_none());
        }
    }

    #[test]
    fn custom_fields_keep_uid_order_and_raw_values() {
        let i: IncidentWire =
            serde_json::from_str(r#"{"id":1,"custom_fields":{"10":"x","9":["a","b"],"11":null}}"#)
                .unwrap();
        let uids: Vec<_> = i.custom_fields.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(uids, ["9", "10", "11"]);
    }

    #[test]
    fn embedded_comments_use_ints_for_flags() {
        let i: IncidentWire = serde_json::from_str(
            r#"{"id":1,"comments":[{"id":5,"customer_visible":1,"is_solution":"0","message":"<p>hi</p>"}]}"#,
        )
        .unwrap();
        let comments = i.comments.unwrap().into_values();
        assert!(comments[0].customer_visible);
        assert!(!comments[0].is_solution);
    }
}
