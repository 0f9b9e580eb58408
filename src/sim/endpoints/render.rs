//! The wire shape of requests and comments, written from InvGate's reference and observed
//! payloads: dates as epoch ints (ISO-8601 strings with `date_format=iso8601`), `date_ocurred`
//! (sic), `custom_fields` as a uid-keyed object that degrades to `[]` when empty (PHP), comments
//! with `customer_visible` as 0/1 inside `incident?comments=1` but as a boolean from
//! `incident.comment`, and `attached_files` instead of the documented `attachments`.

use chrono::{DateTime, SecondsFormat};
use serde_json::{Map, Value, json};

use crate::sim::dataset::{Comment, Dataset, Request};
use crate::sim::generate::decode_entities;

/// How a request or comment is rendered for one call.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub iso_dates: bool,
    pub with_comments: bool,
    /// `decoded_special_characters=1`.
    pub decoded: bool,
}

pub fn date(ts: i64, iso: bool) -> Value {
    if !iso {
        return json!(ts);
    }
    match DateTime::from_timestamp(ts, 0) {
        Some(t) => json!(t.to_rfc3339_opts(SecondsFormat::Secs, false)),
        None => json!(ts),
    }
}

pub fn opt_date(ts: Option<i64>, iso: bool) -> Value {
    ts.map_or(Value::Null, |t| date(t, iso))
}

/// PHP serialises an empty associative array as `[]`, not `{}`.
pub fn php_map(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Array(Vec::new())
    } else {
        Value::Object(map)
    }
}

fn html(text: &str, decoded: bool) -> Value {
    if decoded {
        json!(decode_entities(text))
    } else {
        json!(text)
    }
}

pub fn incident(ds: &Dataset, r: &Request, style: Style) -> Value {
    let iso = style.iso_dates;
    let custom_fields: Map<String, Value> = r
        .custom_fields
        .iter()
        .map(|(uid, value)| (uid.to_string(), json!(value)))
        .collect();
    let mut object = json!({
        "id": r.id,
        "pretty_id": format!("{}{}", ds.pretty_prefix, r.id),
        "title": r.title,
        "description": html(&r.description, style.decoded),
        "status_id": r.status_id,
        "priority_id": r.priority_id,
        "type_id": r.type_id,
        "category_id": r.category_id,
        "source_id": r.source_id,
        "location_id": r.location_id,
        "user_id": r.user_id,
        "creator_id": r.creator_id,
        "assigned_id": r.assigned_id,
        "assigned_group_id": r.assigned_group_id,
        "created_at": date(r.created_at, iso),
        "last_update": date(r.last_update, iso),
        "date_ocurred": date(r.date_ocurred, iso),
        "solved_at": opt_date(r.solved_at, iso),
        "closed_at": opt_date(r.closed_at, iso),
        "closed_reason": r.closed_reason,
        // The reference types the SLA fields as STRING without saying what they hold; observed
        // payloads show null. The simulator sends the due date as epoch seconds when an SLA
        // applies (never reformatted by date_format, which the reference does not list for them).
        "sla_incident_first_reply": r.sla_first_reply,
        "sla_incident_resolution": r.sla_resolution,
        "process_id": r.process_id,
        "request_customer_sentiment_initial": r.sentiment_initial,
        "request_customer_sentiment_current": r.sentiment_current,
        "custom_fields": php_map(custom_fields),
        "attachments": r.attachments,
        "data_cleaned": null,
    });
    if let Value::Object(map) = &mut object {
        // "If there's no rating, this field won't be shown."
        if let Some(rating) = r.rating {
            map.insert("rating".into(), json!(rating));
        }
        if style.with_comments {
            let comments = r
                .comments
                .iter()
                .map(|c| embedded_comment(r.id, c, style))
                .collect();
            map.insert("comments".into(), Value::Array(comments));
        }
    }
    object
}

/// A comment inside `incident?comments=1` / `incidents?comments=1`: `customer_visible` is 0/1.
fn embedded_comment(request_id: u64, c: &Comment, style: Style) -> Value {
    let mut value = comment(request_id, c, style);
    if let Value::Object(map) = &mut value {
        map.insert(
            "customer_visible".into(),
            json!(u8::from(c.customer_visible)),
        );
    }
    value
}

/// A comment as `incident.comment` returns it: `customer_visible` is a boolean.
pub fn comment(request_id: u64, c: &Comment, style: Style) -> Value {
    json!({
        "id": c.id,
        "incident_id": request_id,
        "author_id": c.author_id,
        "message": html(&c.message, style.decoded),
        "created_at": date(c.created_at, style.iso_dates),
        "customer_visible": c.customer_visible,
        "is_solution": c.is_solution,
        "reference": c.reference,
        "msg_num": c.msg_num,
        "attached_files": c.attached_files,
    })
}
