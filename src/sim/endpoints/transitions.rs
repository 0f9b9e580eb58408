//! Status changes: `incident.waitingfor.*` (customer, agent, date, another request),
//! `incident.reopen`, `incident.cancel`, `incident.reject` and `incident.solution.accept` /
//! `.reject`. The statuses come from [`Dataset::lifecycle`]; a change the workflow does not
//! allow (waiting on a finished request, reopening an open one, accepting a solution nobody
//! proposed, …) is InvGate's HTTP-200 `{"status":"ERROR","info":…}`, and changes nothing.
//!
//! [`Dataset::lifecycle`]: crate::sim::dataset::Dataset::lifecycle

use crate::sim::dataset::{Comment, WaitingFor};
use crate::sim::endpoints::writes::{new_comment, push_comment};
use crate::sim::endpoints::{WriteCtx, done, existing_request, existing_user};
use crate::sim::params::missing;
use crate::sim::reply::{ApiError, Outcome};

fn impossible(info: &str) -> ApiError {
    ApiError::Logical(info.into())
}

/// `request_id`*.
pub fn wait_for_customer(ctx: &mut WriteCtx<'_>) -> Outcome {
    let id = ctx.params.require_uint("request_id")?;
    wait(ctx, id, WaitingFor::Customer)
}

/// `request_id`*.
pub fn wait_for_agent(ctx: &mut WriteCtx<'_>) -> Outcome {
    let id = ctx.params.require_uint("request_id")?;
    wait(ctx, id, WaitingFor::Agent)
}

/// `request_id`*, `timestamp`* (epoch seconds).
pub fn wait_for_date(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let until = p.int("timestamp")?.ok_or_else(|| missing("timestamp"))?;
    wait(ctx, id, WaitingFor::Date(until))
}

/// `request_id`*, `wait_request_id`* (another existing request).
pub fn wait_for_request(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let other = p.require_uint("wait_request_id")?;
    existing_request(ctx.ds(), id)?;
    if other == id {
        return Err(impossible("A request cannot wait for itself."));
    }
    if ctx.ds().request(other).is_none() {
        return Err(impossible("The request to wait for does not exist."));
    }
    wait(ctx, id, WaitingFor::Request(other))
}

/// Moves the request to "Waiting for customer" (customer) or the other waiting status (agent,
/// date, request) and remembers what it waits for. A proposed solution is withdrawn.
fn wait(ctx: &mut WriteCtx<'_>, id: u64, what: WaitingFor) -> Outcome {
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    let life = ds.lifecycle();
    if life.is_finished(request.status_id) {
        return Err(impossible(
            "A closed, cancelled or rejected request cannot be put on hold.",
        ));
    }
    let status = if what == WaitingFor::Customer {
        life.waiting_customer
    } else {
        life.waiting_other
    };
    let request = ctx.commit(id)?;
    request.status_id = status;
    request.solved_at = None;
    request.waiting_for = Some(what);
    done("The request is now waiting.")
}

/// PUT `request_id`*, `author_id`. Only a resolved or closed request reopens; it goes back to
/// "In progress" when an agent has it, "Open" otherwise.
pub fn reopen(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let author = p.uint("author_id")?;
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    if let Some(author) = author {
        existing_user(ds, author, "author")?;
    }
    let life = ds.lifecycle();
    if request.status_id != life.resolved && request.status_id != life.closed {
        return Err(impossible(
            "Only a resolved or closed request can be reopened.",
        ));
    }
    let request = ctx.commit(id)?;
    request.status_id = life.resumed(request.assigned_id.is_some());
    request.solved_at = None;
    request.closed_at = None;
    request.closed_reason = None;
    request.waiting_for = None;
    done("The request was reopened.")
}

/// POST `request_id`*, `author_id`*, `comment` (kept as an internal note by the author).
pub fn cancel(ctx: &mut WriteCtx<'_>) -> Outcome {
    let comment = ctx.params.text("comment");
    finish(ctx, Finish::Cancel, comment)
}

/// POST `request_id`*, `author_id`*.
pub fn reject(ctx: &mut WriteCtx<'_>) -> Outcome {
    finish(ctx, Finish::Reject, None)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finish {
    Cancel,
    Reject,
}

/// Cancels or rejects a request that is not finished yet; it leaves the open listings.
fn finish(ctx: &mut WriteCtx<'_>, how: Finish, comment: Option<&str>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let author = p.require_uint("author_id")?;
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    existing_user(ds, author, "author")?;
    let life = ds.lifecycle();
    if life.is_finished(request.status_id) {
        return Err(impossible(
            "The request is already closed, cancelled or rejected.",
        ));
    }
    let comment_id = ds.next_comment_id();
    let now = ctx.now;
    let request = ctx.commit(id)?;
    request.status_id = match how {
        Finish::Cancel => life.cancelled,
        Finish::Reject => life.rejected,
    };
    request.closed_at = Some(now);
    request.closed_reason = None;
    request.waiting_for = None;
    if let Some(text) = comment {
        push_comment(request, new_comment(comment_id, author, text, now));
    }
    done(match how {
        Finish::Cancel => "The request was cancelled.",
        Finish::Reject => "The request was rejected.",
    })
}

/// PUT `id`* (the request id, not `request_id`), `rating`* (1 to 5), `comment` (required
/// below 4). Only a resolved request's solution can be accepted: the request closes
/// ("solution accepted"), keeps the rating, and the comment is the customer's, public.
pub fn accept_solution(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let rating = p.int("rating")?.ok_or_else(|| missing("rating"))?;
    let comment = p.text("comment");
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    let rating = u8::try_from(rating)
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| impossible("The rating must be between 1 and 5."))?;
    let life = ds.lifecycle();
    if request.status_id != life.resolved {
        return Err(impossible(
            "The request has no solution waiting to be accepted.",
        ));
    }
    if rating < 4 && comment.is_none() {
        return Err(impossible("A comment is required for a rating below 4."));
    }
    let comment_id = ds.next_comment_id();
    let now = ctx.now;
    let request = ctx.commit(id)?;
    request.status_id = life.closed;
    request.closed_at = Some(now);
    request.closed_reason = Some(1);
    request.rating = Some(rating);
    request.waiting_for = None;
    if let Some(text) = comment {
        let customer = request.user_id;
        push_comment(
            request,
            public(new_comment(comment_id, customer, text, now)),
        );
    }
    done("The solution was accepted.")
}

/// PUT `id`*, `comment`*. Only a resolved request's solution can be rejected: work resumes
/// ("In progress" or "Open") and the comment is the customer's, public.
pub fn reject_solution(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let comment = p.require_str("comment")?;
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    let life = ds.lifecycle();
    if request.status_id != life.resolved {
        return Err(impossible(
            "The request has no solution waiting to be rejected.",
        ));
    }
    let comment_id = ds.next_comment_id();
    let now = ctx.now;
    let request = ctx.commit(id)?;
    request.status_id = life.resumed(request.assigned_id.is_some());
    request.solved_at = None;
    let customer = request.user_id;
    push_comment(
        request,
        public(new_comment(comment_id, customer, comment, now)),
    );
    done("The solution was rejected.")
}

fn public(comment: Comment) -> Comment {
    Comment {
        customer_visible: true,
        ..comment
    }
}
