//! The open-request listings: `incidents.by.status` (ids, limit/offset/total),
//! `incidents.by.helpdesk` (ids, no pagination) and `incidents.by.agent` / `.by.customer`
//! (full requests keyed by id, keyset pagination with `page_key`). Only OPEN requests ever
//! appear in them, as in InvGate.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::sim::dataset::Request;
use crate::sim::endpoints::Ctx;
use crate::sim::endpoints::render::{self, Style};
use crate::sim::params::as_integer;
use crate::sim::reply::{ApiError, Outcome};

const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1_000;
/// `incidents.by.agent` / `.by.customer` page size when `limit` is absent.
const KEYSET_DEFAULT_LIMIT: u64 = 20;

pub fn by_status(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let mut statuses: Vec<u64> = p.uint_array("status_ids")?.unwrap_or_default();
    if let Some(id) = p.uint("status_id")? {
        statuses.push(id);
    }
    if statuses.is_empty() {
        return Err(ApiError::Logical(
            "At least one status must be provided (status_id or status_ids).".into(),
        ));
    }
    let limit_param = p.uint("limit")?;
    let offset = p.uint("offset")?.unwrap_or(0);
    let limit = limit_param
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIMIT)
        .min(MAX_LIMIT);
    let matching: Vec<u64> = ctx
        .ds
        .open_requests()
        .filter(|r| statuses.contains(&r.status_id))
        .map(|r| r.id)
        .collect();
    let page: Vec<u64> = matching
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .copied()
        .collect();
    Ok(json!({
        "status": "OK",
        "info": "Returned a list of the requests related to the given status.",
        "requestIds": page,
        // The real API echoes `null` when no limit was sent.
        "limit": limit_param.map(|_| limit),
        "offset": offset,
        "total": matching.len(),
    }))
}

/// `helpdesk_id` or `helpdesk_ids[]` (NOT `id`): open requests whose assigned group is exactly
/// one of those desks or levels, grouped per desk in the order asked.
pub fn by_helpdesk(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    const NOT_INTEGER: &str = "None of the provided helpdesk_ids is an INTEGER.";
    let mut desks: Vec<u64> = Vec::new();
    // This endpoint does its own validation: bad values are skipped and, if nothing usable is
    // left, it answers with a logical error rather than a 428.
    let array = p
        .array("helpdesk_ids")
        .map_err(|_| ApiError::Logical(NOT_INTEGER.into()))?;
    for value in array
        .unwrap_or_default()
        .into_iter()
        .chain(p.get("helpdesk_id"))
    {
        if let Some(id) = as_integer(value).and_then(|n| u64::try_from(n).ok())
            && !desks.contains(&id)
        {
            desks.push(id);
        }
    }
    if desks.is_empty() {
        return Err(ApiError::Logical(NOT_INTEGER.into()));
    }
    let ids: Vec<u64> = desks
        .iter()
        .flat_map(|desk| {
            ctx.ds
                .open_requests()
                .filter(move |r| r.assigned_group_id == *desk)
                .map(|r| r.id)
        })
        .collect();
    Ok(json!({
        "status": "OK",
        "info": "Returned a list of the requests related to the given help desk(s)",
        "total": ids.len(),
        "requestIds": ids,
        "limit": null,
        "offset": 0,
    }))
}

pub fn by_agent(ctx: &Ctx<'_>) -> Outcome {
    keyset(ctx, true)
}

pub fn by_customer(ctx: &Ctx<'_>) -> Outcome {
    keyset(ctx, false)
}

/// The opaque page key: base64 of `{"last_id":N}`, as seen in real answers.
fn encode_key(last_id: u64) -> String {
    STANDARD.encode(format!("{{\"last_id\":{last_id}}}"))
}

fn decode_key(key: &str) -> Option<u64> {
    let bytes = STANDARD.decode(key).ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    value.get("last_id")?.as_u64()
}

fn keyset(ctx: &Ctx<'_>, agent: bool) -> Outcome {
    let p = ctx.params;
    let who = if agent { "agent" } else { "customer" };
    let user = if let Some(id) = p.uint("id")? {
        ctx.ds.user(id)
    } else if let Some(email) = p.get("email").filter(|e| !e.is_empty()) {
        ctx.ds
            .users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    } else if let Some(username) = p.get("username").filter(|u| !u.is_empty()) {
        ctx.ds.users.iter().find(|u| u.username == username)
    } else {
        return Err(ApiError::Logical(format!(
            "An {who} id, email or username must be provided."
        )));
    };
    let Some(user) = user else {
        return Err(ApiError::Logical(format!("The {who} does not exist.")));
    };
    let limit = p
        .uint("limit")?
        .filter(|l| *l > 0)
        .unwrap_or(KEYSET_DEFAULT_LIMIT)
        .min(MAX_LIMIT);
    let after = match p.get("page_key").filter(|k| !k.is_empty()) {
        Some(key) => {
            Some(decode_key(key).ok_or_else(|| ApiError::Logical("Invalid page_key.".into()))?)
        }
        None => None,
    };
    let style = Style {
        iso_dates: false,
        with_comments: p.flag("comments")?,
        decoded: false,
    };
    let belongs = |r: &&Request| {
        if agent {
            r.assigned_id == Some(user.id)
        } else {
            r.user_id == user.id
        }
    };
    let mut matching = ctx
        .ds
        .open_requests()
        .filter(belongs)
        .filter(|r| after.is_none_or(|a| r.id > a));
    let page: Vec<&Request> = matching
        .by_ref()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    let more = matching.next().is_some();
    let next_page_key = match (more, page.last()) {
        (true, Some(last)) => json!(encode_key(last.id)),
        _ => Value::Null,
    };
    let requests: Map<String, Value> = page
        .iter()
        .map(|r| (r.id.to_string(), render::incident(ctx.ds, r, style)))
        .collect();
    Ok(json!({
        "status": "OK",
        "info": format!("Returned a list of the requests related to the given {who}."),
        "requests": render::php_map(requests),
        "next_page_key": next_page_key,
    }))
}
