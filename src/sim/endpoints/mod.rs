//! The endpoint table: which dotted endpoint names exist, with which methods, and the handler
//! that serves each. Documented write methods are listed too, so that calling them is recorded
//! and answered (501 until simulated) instead of looking like an unknown path.

mod catalog;
mod incidents;
mod news_kb;
mod queues;
pub mod render;

use crate::sim::dataset::Dataset;
use crate::sim::params::Params;
use crate::sim::reply::{ApiError, Outcome};

/// What a handler sees of one call.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub params: &'a Params,
}

pub type Handler = fn(&Ctx<'_>) -> Outcome;

struct Route {
    endpoint: &'static str,
    method: &'static str,
    /// `None`: documented but not simulated yet.
    handler: Option<Handler>,
}

const fn get(endpoint: &'static str, handler: Handler) -> Route {
    Route {
        endpoint,
        method: "GET",
        handler: Some(handler),
    }
}

const fn write(endpoint: &'static str, method: &'static str) -> Route {
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
    get("cf.fields.all", catalog::custom_fields),
    get("cf.fields.by.category", catalog::custom_fields_by_category),
    get("cf.fields.types", catalog::custom_field_types),
    get("incidents.by.status", queues::by_status),
    get("incidents.by.helpdesk", queues::by_helpdesk),
    get("incidents.by.agent", queues::by_agent),
    get("incidents.by.customer", queues::by_customer),
    get("incidents", incidents::incidents),
    get("incident", incidents::incident),
    get("incident.comment", incidents::comments),
    get("incident.link", incidents::links),
    get("incident.approval", incidents::approvals),
    get(
        "incident.approval.possible_voters",
        incidents::possible_voters,
    ),
    get("incident.approval.status", incidents::approval_statuses),
    get("incident.approval.type", incidents::approval_types),
    get(
        "incident.approval.vote_status",
        incidents::approval_vote_statuses,
    ),
    get("incident.tasks", incidents::tasks),
    get("incident.observer", incidents::observers),
    get("incident.collaborator", incidents::collaborators),
    get("breakingnews.all", news_kb::news_all),
    get("breakingnews", news_kb::news_one),
    get("breakingnews.status", news_kb::news_updates),
    get("breakingnews.attributes.status", news_kb::news_statuses),
    get("breakingnews.attributes.type", news_kb::news_types),
    get("kb.articles", news_kb::articles),
    get("kb.articles.by.category", news_kb::articles_by_category),
    get("kb.articles.by.ids", news_kb::articles_by_ids),
    get("kb.articles.by.keywords", news_kb::articles_by_keywords),
    get("kb.articles.attachments", news_kb::article_attachments),
    get("kb.categories", news_kb::kb_categories),
    get("kb.categories.by.ids", news_kb::kb_categories_by_ids),
    write("incident", "POST"),
    write("incident", "PUT"),
    write("incident.comment", "POST"),
    write("incident.link", "POST"),
    write("incident.observer", "POST"),
    write("incident.collaborator", "POST"),
    write("incident.reassign", "POST"),
    write("incident.reject", "POST"),
    write("incident.cancel", "POST"),
    write("incident.reopen", "PUT"),
    write("incident.solution.accept", "PUT"),
    write("incident.solution.reject", "PUT"),
    write("incident.waitingfor.agent", "POST"),
    write("incident.waitingfor.customer", "POST"),
    write("incident.waitingfor.date", "POST"),
    write("incident.waitingfor.external_entity", "POST"),
    write("incident.waitingfor.incident", "POST"),
    write("incident.custom_field", "POST"),
    write("incident.custom_field", "PATCH"),
    write("incident.custom_field", "DELETE"),
    write("incident.approval.accept", "PUT"),
    write("incident.approval.reject", "PUT"),
    write("incident.approval.cancel", "PUT"),
    write("incident.approval.add_voter", "POST"),
    write("incident.spontaneous_approval", "POST"),
    write("incident.custom_approval", "POST"),
    write("breakingnews", "POST"),
    write("breakingnews", "PUT"),
    write("breakingnews.status", "POST"),
    write("kb.articles", "POST"),
    write("kb.articles", "PUT"),
    write("kb.articles", "DELETE"),
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
        assert_eq!(
            lookup("incident.comment", "POST").err(),
            Some(ApiError::NotSimulated)
        );
        assert_eq!(
            lookup("incidents.by.category", "GET").err(),
            Some(ApiError::NotFound)
        );
    }
}
