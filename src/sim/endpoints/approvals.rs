//! Approval reads: `incident.approval` (a request's approvals), `.possible_voters` (one
//! approval's voters, `user_id` where the docs say `id`), the three vocabularies (`.status`,
//! `.type`, `.vote_status`: id-keyed maps, `[]` when empty as PHP sends them) and
//! `incident.custom_approval` GET (the templates a request may be sent through, keyed by
//! template id). Also the expiry hook: before any approval endpoint runs, approvals whose time
//! ran out on the simulator's clock are decided (see [`settle`]), so every read and write sees
//! them as a real instance would, whenever they are looked at. The writes are in
//! `approval_writes.rs`.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::sim::dataset::{Approval, Dataset, Request, vote_status};
use crate::sim::endpoints::render::{self, php_map};
use crate::sim::endpoints::{Ctx, existing_request};
use crate::sim::reply::{ApiError, Outcome};

/// Whether `endpoint` reads or changes approvals (and so must see expiries applied).
pub fn is_approval_endpoint(endpoint: &str) -> bool {
    endpoint.starts_with("incident.approval")
        || endpoint == "incident.custom_approval"
        || endpoint == "incident.spontaneous_approval"
}

/// Decides the approvals whose expiry is due at `clock`. The served dataset is only copied
/// (see `WriteCtx::ds_mut`) when something does expire.
pub fn settle(state: &mut Arc<Dataset>, clock: i64) {
    if state.approvals_due(clock) {
        Arc::make_mut(state).expire_approvals(clock);
    }
}

/// The approval `id` and its request, or the logical error for an unknown one.
pub fn existing_approval(ds: &Dataset, id: u64) -> Result<(&Request, &Approval), ApiError> {
    ds.approval(id)
        .ok_or_else(|| ApiError::Logical("The approval does not exist.".into()))
}

/// `request_id`*, `date_format`, `only_pending`. `created_at` stays an epoch INT even with
/// `date_format=iso8601` (observed, against the docs).
pub fn approvals(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let request = existing_request(ctx.ds, p.require_uint("request_id")?)?;
    let only_pending = p.flag("only_pending")?;
    let list = request
        .approvals
        .iter()
        .filter(|a| !only_pending || a.is_waiting())
        .map(|a| {
            json!({
                "id": a.id, "author_id": a.author_id, "status": a.status, "type": a.kind,
                "created_at": a.created_at, "approval_request_id": a.template_id,
                "approval_request_description": a.description,
                "is_using_approval_manager": 0, "reminder_count": 0, "reassigned": 0,
                "reminders_sent": 0, "last_reminder_date": null,
            })
        })
        .collect();
    Ok(Value::Array(list))
}

/// `approval_id`*, `only_pending` (only the votes still waiting). The API answers `user_id`
/// where the docs say `id`.
pub fn possible_voters(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let (_, approval) = existing_approval(ctx.ds, p.require_uint("approval_id")?)?;
    let only_pending = p.flag("only_pending")?;
    let list = approval
        .voters
        .iter()
        .filter(|v| !only_pending || v.status == vote_status::WAITING)
        .map(|v| json!({ "user_id": v.user_id, "status": v.status }))
        .collect();
    Ok(Value::Array(list))
}

/// A vocabulary map `{id: description}`, or PHP's `[]` while the dataset says they are empty.
fn vocabulary(ds: &Dataset, entries: &[(i8, &str)]) -> Value {
    if ds.empty_approval_vocabularies {
        return php_map(Map::new());
    }
    let map = entries
        .iter()
        .map(|(id, name)| (id.to_string(), json!(name)))
        .collect();
    php_map(map)
}

pub fn approval_statuses(ctx: &Ctx<'_>) -> Outcome {
    Ok(vocabulary(
        ctx.ds,
        &[
            (-2, "Cancelled"),
            (-1, "Waiting"),
            (0, "Rejected"),
            (1, "Approved"),
        ],
    ))
}

pub fn approval_types(ctx: &Ctx<'_>) -> Outcome {
    Ok(vocabulary(
        ctx.ds,
        &[(1, "Predefined approval"), (2, "Spontaneous approval")],
    ))
}

pub fn approval_vote_statuses(ctx: &Ctx<'_>) -> Outcome {
    Ok(vocabulary(
        ctx.ds,
        &[
            (-2, "Annulled"),
            (-1, "Waiting"),
            (0, "Rejected"),
            (1, "Approved"),
            (2, "Expired"),
        ],
    ))
}

/// GET `request_id`*, `date_format`: the templates the request may be sent through (by its
/// type and help desk), keyed by template id; `[]` when there are none (an incident, a desk
/// without templates). The reference lists the fields without saying what `status` and
/// `created_at` are; here they are the template's own (1 = active, when it was set up), and
/// `wf_process_id` / `wf_item_id` are `null` because no template belongs to a workflow.
pub fn custom_approvals(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let request = existing_request(ctx.ds, p.require_uint("request_id")?)?;
    let iso = p.iso_dates();
    let map = ctx
        .ds
        .approval_templates_for(request)
        .map(|t| {
            let object = json!({
                "id": t.id, "title": t.title, "description": t.description,
                "description_required": t.description_required,
                "description_prompt": t.description_prompt,
                "expired_in": t.expired_in, "expired_approved": i32::from(t.expired_approved),
                "pause_sla": t.pause_sla, "status": 1,
                "created_at": render::date(t.created_at, iso),
                "wf_process_id": null, "wf_item_id": null,
            });
            (t.id.to_string(), object)
        })
        .collect();
    Ok(php_map(map))
}
