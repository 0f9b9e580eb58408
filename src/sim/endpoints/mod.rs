//! The endpoint table: which dotted endpoint names exist, with which methods, and the handler
//! that serves each. Reads see a snapshot of the dataset; writes change it (see [`WriteCtx`]).
//! Documented write methods that are not simulated yet are listed too, so that calling them is
//! recorded and answered (501) instead of looking like an unknown path.

mod approval_writes;
mod approvals;
mod catalog;
mod fields;
mod incidents;
mod kb;
mod news;
mod queues;
pub mod render;
mod transitions;
mod writes;

use std::sync::Arc;

use crate::sim::dataset::{Dataset, Request, User};
use crate::sim::params::Params;
use crate::sim::reply::{ApiError, Outcome};

/// What a read handler sees of one call.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub params: &'a Params,
}

/// What a write handler sees of one call: the served dataset, for reading and (copy on write)
/// for changing, and the server's wall clock. Handlers validate everything through [`WriteCtx::ds`]
/// before they change anything, so a refused write leaves the data exactly as it was.
#[derive(Debug)]
pub struct WriteCtx<'a> {
    state: &'a mut Arc<Dataset>,
    pub params: &'a Params,
    /// Epoch seconds of the server's clock: what a real instance stamps its writes with (not the
    /// dataset's fixed "now").
    pub now: i64,
    /// The simulator's clock, in the dataset's time: what time-driven rules read (an approval's
    /// expiry). It equals `now` when the dataset was generated at the wall clock (the demo) and
    /// runs behind it for the fixed-"now" data of tests (see `SimHandle::clock`).
    pub clock: i64,
}

impl<'a> WriteCtx<'a> {
    pub fn new(state: &'a mut Arc<Dataset>, params: &'a Params, now: i64, clock: i64) -> Self {
        Self {
            state,
            params,
            now,
            clock,
        }
    }

    pub fn ds(&self) -> &Dataset {
        self.state
    }

    /// The data for changing. The first write after a snapshot was taken copies the dataset, so
    /// snapshots handed out earlier never change under their holder.
    pub fn ds_mut(&mut self) -> &mut Dataset {
        Arc::make_mut(self.state)
    }

    /// The request `id` for changing, its `last_update` already stamped with the wall clock
    /// (every successful write touches it). Call it only once the write is known to succeed.
    pub fn commit(&mut self, id: u64) -> Result<&mut Request, ApiError> {
        let now = self.now;
        let request = self.ds_mut().request_mut(id).ok_or_else(unknown_request)?;
        request.last_update = now;
        Ok(request)
    }
}

/// Applies what the simulator's clock decided since the last call, before `endpoint` runs:
/// approvals whose expiry is due are decided (see `approvals::settle`).
pub fn settle(endpoint: &str, state: &mut Arc<Dataset>, clock: i64) {
    if approvals::is_approval_endpoint(endpoint) {
        approvals::settle(state, clock);
    }
}

/// Applies every time-driven rule due at `clock`, whatever is called next: for a snapshot
/// that shows the data as of now.
pub fn settle_all(state: &mut Arc<Dataset>, clock: i64) {
    approvals::settle(state, clock);
}

/// Unknown request ids get InvGate's usual HTTP-200 logical error rather than a 404: the
/// reference documents no 404, and every other "not found" condition in the API is a
/// `{"status":"ERROR","info":…}` envelope.
pub fn unknown_request() -> ApiError {
    ApiError::Logical("The request does not exist.".into())
}

/// The request `id`, or the logical error for an unknown one.
pub fn existing_request(ds: &Dataset, id: u64) -> Result<&Request, ApiError> {
    ds.request(id).ok_or_else(unknown_request)
}

/// The (not deleted) user `id`; `who` names the role in the error ("author", "agent", …).
pub fn existing_user<'d>(ds: &'d Dataset, id: u64, who: &str) -> Result<&'d User, ApiError> {
    ds.user(id)
        .filter(|u| !u.is_deleted)
        .ok_or_else(|| ApiError::Logical(format!("The {who} does not exist.")))
}

/// The usual success envelope of a write.
pub fn done(info: &str) -> Outcome {
    Ok(serde_json::json!({ "status": "OK", "info": info }))
}

/// How one endpoint and method is served.
#[derive(Debug, Clone, Copy)]
pub enum Handler {
    Read(fn(&Ctx<'_>) -> Outcome),
    Write(fn(&mut WriteCtx<'_>) -> Outcome),
}

struct Route {
    endpoint: &'static str,
    method: &'static str,
    /// `None`: documented but not simulated yet.
    handler: Option<Handler>,
}

const fn get(endpoint: &'static str, handler: fn(&Ctx<'_>) -> Outcome) -> Route {
    Route {
        endpoint,
        method: "GET",
        handler: Some(Handler::Read(handler)),
    }
}

const fn write(
    endpoint: &'static str,
    method: &'static str,
    handler: fn(&mut WriteCtx<'_>) -> Outcome,
) -> Route {
    Route {
        endpoint,
        method,
        handler: Some(Handler::Write(handler)),
    }
}

const fn unsimulated(endpoint: &'static str, method: &'static str) -> Route {
    Route {
        endpoint,
        method,
        handler: None,
    }
}

static ROUTES: &[Route] = &[
    get("sd.version", catalog::version),
    get("incident.attributes.status", catalog::statuses),
    get("incident.attributes.priority", catalog::priorities),
    get("incident.attributes.type", catalog::types),
    get("incident.attributes.source", catalog::sources),
    get("categories", catalog::categories),
    get("helpdesks", catalog::helpdesks),
    get("helpdesksandlevels", catalog::helpdesks_and_levels),
    get("levels", catalog::levels),
    get("users", catalog::users),
    get("user", catalog::user),
    get("groups", catalog::groups),
    get("cf.fields.all", catalog::custom_fields),
    get("cf.fields.by.category", catalog::custom_fields_by_category),
    get("cf.fields.types", catalog::custom_field_types),
    get("cf.field.options.list", fields::options_list),
    get("cf.field.options.tree", fields::options_tree),
    unsimulated("cf.field.options.list", "POST"),
    unsimulated("cf.field.options.list", "DELETE"),
    unsimulated("cf.field.options.tree", "POST"),
    unsimulated("cf.field.options.tree", "PUT"),
    unsimulated("cf.field.options.tree", "DELETE"),
    get("incidents.by.status", queues::by_status),
    get("incidents.by.helpdesk", queues::by_helpdesk),
    get("incidents.by.agent", queues::by_agent),
    get("incidents.by.customer", queues::by_customer),
    get("incidents", incidents::incidents),
    get("incident", incidents::incident),
    get("incident.comment", incidents::comments),
    get("incident.link", incidents::links),
    get("incident.approval", approvals::approvals),
    get(
        "incident.approval.possible_voters",
        approvals::possible_voters,
    ),
    get("incident.approval.status", approvals::approval_statuses),
    get("incident.approval.type", approvals::approval_types),
    get(
        "incident.approval.vote_status",
        approvals::approval_vote_statuses,
    ),
    get("incident.custom_approval", approvals::custom_approvals),
    get("incident.tasks", incidents::tasks),
    get("incident.observer", incidents::observers),
    get("incident.collaborator", incidents::collaborators),
    get("breakingnews.all", news::news_all),
    get("breakingnews", news::news_one),
    get("breakingnews.status", news::news_updates),
    get("breakingnews.attributes.status", news::news_statuses),
    get("breakingnews.attributes.type", news::news_types),
    get("kb.articles", kb::articles),
    get("kb.articles.by.category", kb::articles_by_category),
    get("kb.articles.by.ids", kb::articles_by_ids),
    get("kb.articles.by.keywords", kb::articles_by_keywords),
    get("kb.articles.attachments", kb::article_attachments),
    get("kb.categories", kb::kb_categories),
    get("kb.categories.by.ids", kb::kb_categories_by_ids),
    get("user.by", catalog::user_by),
    unsimulated("incident", "POST"),
    write("incident", "PUT", writes::edit),
    write("incident.comment", "POST", writes::comment),
    write("incident.link", "POST", writes::link),
    write("incident.observer", "POST", writes::observers),
    write("incident.collaborator", "POST", writes::collaborators),
    write("incident.reassign", "POST", writes::reassign),
    write("incident.reject", "POST", transitions::reject),
    write("incident.cancel", "POST", transitions::cancel),
    write("incident.reopen", "PUT", transitions::reopen),
    write(
        "incident.solution.accept",
        "PUT",
        transitions::accept_solution,
    ),
    write(
        "incident.solution.reject",
        "PUT",
        transitions::reject_solution,
    ),
    write(
        "incident.waitingfor.agent",
        "POST",
        transitions::wait_for_agent,
    ),
    write(
        "incident.waitingfor.customer",
        "POST",
        transitions::wait_for_customer,
    ),
    write(
        "incident.waitingfor.date",
        "POST",
        transitions::wait_for_date,
    ),
    unsimulated("incident.waitingfor.external_entity", "POST"),
    write(
        "incident.waitingfor.incident",
        "POST",
        transitions::wait_for_request,
    ),
    write("incident.custom_field", "POST", writes::set_custom_field),
    unsimulated("incident.custom_field", "PATCH"),
    write(
        "incident.custom_field",
        "DELETE",
        writes::erase_custom_field,
    ),
    write("incident.approval.accept", "PUT", approval_writes::accept),
    write("incident.approval.reject", "PUT", approval_writes::reject),
    write("incident.approval.cancel", "PUT", approval_writes::cancel),
    write(
        "incident.approval.add_voter",
        "POST",
        approval_writes::add_voter,
    ),
    write(
        "incident.spontaneous_approval",
        "POST",
        approval_writes::request_spontaneous,
    ),
    write(
        "incident.custom_approval",
        "POST",
        approval_writes::request_custom,
    ),
    write("breakingnews", "POST", news::create),
    write("breakingnews", "PUT", news::edit),
    write("breakingnews.status", "POST", news::post_update),
    unsimulated("kb.articles", "POST"),
    unsimulated("kb.articles", "PUT"),
    unsimulated("kb.articles", "DELETE"),
];

/// Resolves `endpoint` + `method` to its handler, or the 404 / 405 / 501 error.
pub fn lookup(endpoint: &str, method: &str) -> Result<Handler, ApiError> {
    let mut known = false;
    for route in ROUTES.iter().filter(|r| r.endpoint == endpoint) {
        known = true;
        if route.method.eq_ignore_ascii_case(method) {
            return route.handler.ok_or(ApiError::NotSimulated);
        }
    }
    Err(if known {
        ApiError::MethodNotAllowed
    } else {
        ApiError::NotFound
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_distinguishes_unknown_wrong_method_and_unsimulated() {
        assert!(lookup("incidents", "GET").is_ok());
        assert_eq!(
            lookup("incidents", "DELETE").err(),
            Some(ApiError::MethodNotAllowed)
        );
        assert!(matches!(
            lookup("incident.comment", "POST"),
            Ok(Handler::Write(_))
        ));
        assert!(matches!(lookup("incident", "GET"), Ok(Handler::Read(_))));
        assert_eq!(
            lookup("kb.articles", "POST").err(),
            Some(ApiError::NotSimulated)
        );
        assert!(matches!(
            lookup("breakingnews.status", "POST"),
            Ok(Handler::Write(_))
        ));
        assert!(matches!(
            lookup("incident.approval.accept", "PUT"),
            Ok(Handler::Write(_))
        ));
        assert!(matches!(
            lookup("incident.custom_approval", "GET"),
            Ok(Handler::Read(_))
        ));
        assert_eq!(
            lookup("incidents.by.category", "GET").err(),
            Some(ApiError::NotFound)
        );
    }
}
