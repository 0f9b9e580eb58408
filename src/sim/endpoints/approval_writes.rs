//! Approval writes: votes (`incident.approval.accept` / `.reject`), `.cancel`, `.add_voter`,
//! and asking for a new approval (`incident.custom_approval` POST from a template,
//! `incident.spontaneous_approval` POST of one person). As the other writes do, each one checks
//! everything first (HTTP 428 for a missing or mistyped required parameter, HTTP-200 `ERROR`
//! for anything the service desk refuses) and only then changes the data and stamps the
//! request's `last_update`. What a vote or a cancel does to the approval is decided by the
//! rules in `dataset/approvals.rs`.

use serde_json::json;

use crate::sim::dataset::{
    Approval, Dataset, Request, approval_kind, approval_status, vote_status,
};
use crate::sim::endpoints::approvals::existing_approval;
use crate::sim::endpoints::{WriteCtx, done, existing_request, existing_user};
use crate::sim::reply::{ApiError, Outcome};

fn refused(info: &str) -> ApiError {
    ApiError::Logical(info.into())
}

/// The approval `id` of `request`, for changing.
fn approval_in(request: &mut Request, id: u64) -> Result<&mut Approval, ApiError> {
    request
        .approvals
        .iter_mut()
        .find(|a| a.id == id)
        .ok_or_else(|| refused("The approval does not exist."))
}

/// A waiting approval, or the refusal for one already decided or cancelled.
fn waiting(approval: &Approval) -> Result<(), ApiError> {
    if approval.is_waiting() {
        Ok(())
    } else {
        Err(refused("The approval is no longer waiting for votes."))
    }
}

/// PUT `approval_id`*, `user_id`*, `note`.
pub fn accept(ctx: &mut WriteCtx<'_>) -> Outcome {
    vote(ctx, true)
}

/// PUT `approval_id`*, `user_id`*, `note`.
pub fn reject(ctx: &mut WriteCtx<'_>) -> Outcome {
    vote(ctx, false)
}

/// Only a voter whose vote is still waiting may vote, once, on a waiting approval. One
/// rejection rejects the approval (the other waiting votes are annulled); the approval is
/// approved when every voter approved. The note is kept on the vote.
fn vote(ctx: &mut WriteCtx<'_>, approve: bool) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("approval_id")?;
    let user = p.require_uint("user_id")?;
    let note = p.text("note").map(str::to_string);
    let ds = ctx.ds();
    let (request, approval) = existing_approval(ds, id)?;
    existing_user(ds, user, "user")?;
    waiting(approval)?;
    match approval.vote_of(user) {
        None => return Err(refused("The user is not a voter of this approval.")),
        Some(v) if v.status != vote_status::WAITING => {
            return Err(refused("The user has already voted on this approval."));
        }
        Some(_) => {}
    }
    let request_id = request.id;
    let approval = approval_in(ctx.commit(request_id)?, id)?;
    approval.vote(user, approve, note);
    done(match approval.status {
        approval_status::APPROVED => "The vote was registered and the approval is approved.",
        approval_status::REJECTED => "The vote was registered and the approval is rejected.",
        _ => "The vote was registered.",
    })
}

/// PUT `approval_id`*, `user_id`* (who cancels: only the approval's author may). Only a
/// waiting approval can be cancelled; its waiting votes are annulled.
pub fn cancel(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("approval_id")?;
    let user = p.require_uint("user_id")?;
    let ds = ctx.ds();
    let (request, approval) = existing_approval(ds, id)?;
    existing_user(ds, user, "user")?;
    waiting(approval)?;
    if approval.author_id != user {
        return Err(refused("Only the author of the approval can cancel it."));
    }
    let request_id = request.id;
    approval_in(ctx.commit(request_id)?, id)?.cancel();
    done("The approval was cancelled.")
}

/// POST `approval_id`*, `user_id`* (the user to ask, who must exist). Only a waiting approval
/// takes voters; someone already asked is not asked twice (and the call still succeeds).
/// Answers `{approval_id, user_id}`, as the reference documents.
pub fn add_voter(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("approval_id")?;
    let user = p.require_uint("user_id")?;
    let ds = ctx.ds();
    let (request, approval) = existing_approval(ds, id)?;
    existing_user(ds, user, "user")?;
    waiting(approval)?;
    if approval.vote_of(user).is_none() {
        let request_id = request.id;
        approval_in(ctx.commit(request_id)?, id)?.add_voter(user);
    }
    Ok(json!({ "approval_id": id, "user_id": user }))
}

/// A request that may get a new approval: it exists and is not closed, cancelled or rejected.
fn open_request(ds: &Dataset, id: u64) -> Result<&Request, ApiError> {
    let request = existing_request(ds, id)?;
    if ds.lifecycle().is_finished(request.status_id) {
        return Err(refused(
            "A closed, cancelled or rejected request cannot be sent for approval.",
        ));
    }
    Ok(request)
}

/// Adds `approval` to request `id` under the next approval id, stamping the request.
fn create(ctx: &mut WriteCtx<'_>, id: u64, approval: Approval) -> Result<(), ApiError> {
    let approval_id = ctx.ds().next_approval_id();
    ctx.commit(id)?.approvals.push(Approval {
        id: approval_id,
        ..approval
    });
    Ok(())
}

/// POST `request_id`*, `author_id`*, `approval_id`* (the template's id, as
/// `incident.custom_approval` GET lists them), `description` (required when the template says
/// so). The template must be one the request may use. The approval asks the template's voters
/// and expires `expired_in` seconds from now on the simulator's clock.
pub fn request_custom(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let author = p.require_uint("author_id")?;
    let template_id = p.require_uint("approval_id")?;
    let description = p.text("description");
    let ds = ctx.ds();
    let request = open_request(ds, id)?;
    existing_user(ds, author, "author")?;
    let template = ds
        .approval_template(template_id)
        .ok_or_else(|| refused("The approval does not exist."))?;
    if !ds
        .approval_templates_for(request)
        .any(|t| t.id == template_id)
    {
        return Err(refused("The approval is not available for this request."));
    }
    if template.description_required && description.is_none() {
        return Err(refused("A description is required for this approval."));
    }
    let mut approval = Approval {
        id: 0,
        author_id: author,
        status: approval_status::WAITING,
        kind: approval_kind::PREDEFINED,
        created_at: ctx.now,
        template_id: Some(template.id),
        description: description.map_or_else(|| template.description.clone(), str::to_string),
        expires_at: (template.expired_in > 0).then_some(ctx.clock + template.expired_in),
        voters: Vec::new(),
    };
    for voter in &template.voters {
        approval.add_voter(*voter);
    }
    create(ctx, id, approval)?;
    done("The approval was requested.")
}

/// POST `request_id`*, `author_id`*, `approval_user_id`* (the one person asked),
/// `description`*. A spontaneous approval never expires.
pub fn request_spontaneous(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let author = p.require_uint("author_id")?;
    let voter = p.require_uint("approval_user_id")?;
    let description = p.require_str("description")?;
    let ds = ctx.ds();
    open_request(ds, id)?;
    existing_user(ds, author, "author")?;
    existing_user(ds, voter, "approval user")?;
    let mut approval = Approval {
        id: 0,
        author_id: author,
        status: approval_status::WAITING,
        kind: approval_kind::SPONTANEOUS,
        created_at: ctx.now,
        template_id: None,
        description: description.to_string(),
        expires_at: None,
        voters: Vec::new(),
    };
    approval.add_voter(voter);
    create(ctx, id, approval)?;
    done("The approval was requested.")
}
