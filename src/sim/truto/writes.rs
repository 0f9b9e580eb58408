//! Truto's writes as the simulator applies them: `PATCH tickets/{id}` (status, assignee) and
//! `POST comments` (public or private), each answered with the bare object Truto returns.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::endpoints::{Request, comment_json, error, param, ticket_json};
use super::{TrutoComment, TrutoState};

fn json_body(body: &[u8]) -> Option<Value> {
    serde_json::from_slice(body).ok().filter(Value::is_object)
}

pub fn update(
    state: &mut TrutoState,
    account_id: &str,
    id: Option<&str>,
    req: &Request<'_>,
    remote: bool,
) -> Response {
    let Some(body) = json_body(req.body) else {
        return error(StatusCode::BAD_REQUEST, "The body must be a JSON object");
    };
    let now = state.now.max(req.now);
    let Some(account) = state.account_mut(account_id) else {
        return error(StatusCode::NOT_FOUND, "Integrated account not found");
    };
    let status = match body.pointer("/status/id").and_then(Value::as_str) {
        Some(wanted) => match account.statuses.iter().position(|s| s.0 == wanted) {
            Some(i) => Some(i),
            None => return error(StatusCode::UNPROCESSABLE_ENTITY, "Unknown status id"),
        },
        None => None,
    };
    let assignee = match body.pointer("/assignees/0/id").and_then(Value::as_str) {
        Some(wanted) => match account
            .people
            .iter()
            .position(|p| p.id == wanted && p.is_agent)
        {
            Some(i) => Some(i),
            None => return error(StatusCode::UNPROCESSABLE_ENTITY, "Unknown assignee"),
        },
        None => None,
    };
    let Some(ticket) = account
        .tickets
        .iter_mut()
        .find(|t| Some(t.id.as_str()) == id)
    else {
        return error(StatusCode::NOT_FOUND, "Ticket not found");
    };
    if let Some(status) = status {
        ticket.status = status;
    }
    if let Some(assignee) = assignee {
        ticket.assignee = Some(assignee);
    }
    ticket.updated_at = now;
    let ticket = ticket.clone();
    match state.account(account_id) {
        Some(a) => axum::Json(ticket_json(a, &ticket, remote, false)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Integrated account not found"),
    }
}

pub fn create_comment(
    state: &mut TrutoState,
    account_id: &str,
    req: &Request<'_>,
    remote: bool,
) -> Response {
    let Some(body) = json_body(req.body) else {
        return error(StatusCode::BAD_REQUEST, "The body must be a JSON object");
    };
    let ticket_id = param(req.query, "ticket[id]")
        .map(str::to_string)
        .or_else(|| {
            body.pointer("/ticket/id")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    let Some(ticket_id) = ticket_id else {
        return error(StatusCode::BAD_REQUEST, "Set either ticket or collections");
    };
    let Some(text) = body
        .get("body")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
    else {
        return error(StatusCode::BAD_REQUEST, "body is required");
    };
    let is_private = body
        .get("is_private")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let now = state.now.max(req.now);
    let Some(account) = state.account_mut(account_id) else {
        return error(StatusCode::NOT_FOUND, "Integrated account not found");
    };
    // The token's environment posts as the account's connected user: its first agent.
    let author = account.people.iter().position(|p| p.is_agent).unwrap_or(0);
    let Some(ticket) = account.tickets.iter_mut().find(|t| t.id == ticket_id) else {
        return error(StatusCode::NOT_FOUND, "Ticket not found");
    };
    let comment = TrutoComment {
        id: format!("{}{:03}", ticket.id, ticket.comments.len() + 100),
        author,
        body: text.to_string(),
        is_private,
        created_at: now,
    };
    ticket.comments.push(comment.clone());
    ticket.updated_at = now;
    let ticket = ticket.clone();
    match state.account(account_id) {
        Some(a) => (
            StatusCode::CREATED,
            axum::Json(comment_json(a, &ticket, &comment, remote)),
        )
            .into_response(),
        None => error(StatusCode::NOT_FOUND, "Integrated account not found"),
    }
}
