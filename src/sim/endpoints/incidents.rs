//! Request reads: `incidents` (batch by `ids[]`, an id-keyed dictionary), `incident` (one
//! object) and the per-request sub-resources: comments, links, tasks, observers and
//! collaborators (approvals are in `approvals.rs`).

use serde_json::{Map, Value, json};

use crate::sim::dataset::Request;
use crate::sim::endpoints::render::{self, Style};
use crate::sim::endpoints::{Ctx, unknown_request};
use crate::sim::params::{Params, STRING_FOR_ARRAY, missing};
use crate::sim::reply::{ApiError, Outcome};

/// `incidents` accepts at most this many ids per call.
const MAX_IDS: usize = 100;

fn style(p: &Params, allow_comments: bool) -> Result<Style, ApiError> {
    Ok(Style {
        iso_dates: p.iso_dates(),
        with_comments: allow_comments && p.flag("comments")?,
        decoded: p.flag("decoded_special_characters")?,
    })
}

/// `ids[]` required, at most 100; no pagination (`page`/`page_size` → 428). Unknown ids are
/// simply absent; an empty result is PHP's `[]`.
pub fn incidents(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    for forbidden in ["page", "page_size"] {
        if p.has(forbidden) {
            return Err(ApiError::Precondition(format!(
                "The parameter {forbidden} is not allowed."
            )));
        }
    }
    let ids = match p.uint_array("ids")? {
        Some(ids) if !ids.is_empty() => ids,
        _ => return Err(ApiError::Precondition(STRING_FOR_ARRAY.into())),
    };
    if ids.len() > MAX_IDS {
        return Err(ApiError::Precondition(format!(
            "At most {MAX_IDS} ids are allowed."
        )));
    }
    let style = style(p, true)?;
    let map: Map<String, Value> = ids
        .iter()
        .filter_map(|id| ctx.ds.request(*id))
        .map(|r| (r.id.to_string(), render::incident(ctx.ds, r, style)))
        .collect();
    Ok(render::php_map(map))
}

pub fn incident(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let style = style(p, true)?;
    let request = ctx.ds.request(id).ok_or_else(unknown_request)?;
    Ok(render::incident(ctx.ds, request, style))
}

/// The request named by the required `request_id` (sending `id` instead is a 428).
fn target<'a>(ctx: &Ctx<'a>) -> Result<&'a Request, ApiError> {
    let id = ctx
        .params
        .uint("request_id")?
        .ok_or_else(|| missing("request_id"))?;
    ctx.ds.request(id).ok_or_else(unknown_request)
}

pub fn comments(ctx: &Ctx<'_>) -> Outcome {
    let request = target(ctx)?;
    let p = ctx.params;
    let style = style(p, false)?;
    let only = p.optional_flag("is_solution")?;
    let list = request
        .comments
        .iter()
        .filter(|c| only.is_none_or(|s| c.is_solution == s))
        .map(|c| render::comment(request.id, c, style))
        .collect();
    Ok(Value::Array(list))
}

pub fn links(ctx: &Ctx<'_>) -> Outcome {
    let request = target(ctx)?;
    let list = request
        .links
        .iter()
        .filter_map(|id| ctx.ds.request(*id))
        .map(|r| json!({ "id": r.id, "title": r.title }))
        .collect();
    Ok(Value::Array(list))
}

pub fn tasks(ctx: &Ctx<'_>) -> Outcome {
    let request = target(ctx)?;
    let list = request
        .tasks
        .iter()
        .map(|t| {
            json!({
                "task_id": t.id, "name": t.name, "description": t.description,
                "expiration_date": t.expiration_date, "linked_request_id": request.id,
                "wf_stage_id": null, "agent_id": t.agent_id, "helpdesk_id": t.helpdesk_id,
                "assignment_type": t.assignment_type, "status": t.status, "created_at": t.created_at,
                "is_predefined": t.is_predefined, "is_required": t.is_required,
                "completed_at": t.completed_at,
            })
        })
        .collect();
    Ok(Value::Array(list))
}

/// A flat array of user ids (the docs show `{user_id}` objects; real answers are bare ints).
pub fn observers(ctx: &Ctx<'_>) -> Outcome {
    Ok(json!(target(ctx)?.observers))
}

pub fn collaborators(ctx: &Ctx<'_>) -> Outcome {
    Ok(json!(target(ctx)?.collaborators))
}
