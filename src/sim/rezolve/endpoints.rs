//! Rezolve's ticketing endpoints as the simulator answers them: `GET user/list` (by `type` and
//! `module`, with a strong `ETag` and `304 Not Modified` for a matching `if-none-match`),
//! `GET user/userinfo`, and `POST ticket/list` (`top` / `offset`, a filter tree of `EQ`, `NE`,
//! `IN`, `LIKE`, `GE`… on columns, `sort` and `searchOrder`), all in the `{success, message,
//! data, timestamp}` envelope, errors in `{success:false, error:{code, message, details}}`;
//! `Authorization: Bearer <jwt>`, `x-tenantid` and, when sent, `realmname` are checked first.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{RezolveState, RezolveTicket, RezolveUser};

/// A path under `/rezolve/<slug>/api/v2/ticketing/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub slug: String,
    /// What follows `ticketing/` (`user/list`, `ticket/list`).
    pub rest: String,
}

impl Route {
    pub fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/rezolve/")?;
        let (slug, api) = rest.split_once('/')?;
        let rest = api.strip_prefix("api/v2/ticketing/").unwrap_or("");
        Some(Route {
            slug: slug.to_string(),
            rest: rest.trim_matches('/').to_string(),
        })
    }

    /// What the request log and faults call it: `rezolve/user/list`, `rezolve/ticket/list`.
    pub fn endpoint(&self) -> String {
        format!("rezolve/{}", self.rest)
    }
}

pub struct Request<'a> {
    pub method: &'a Method,
    pub route: &'a Route,
    pub query: &'a [(String, String)],
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

fn iso(epoch: i64) -> Value {
    chrono::DateTime::from_timestamp(epoch, 0).map_or(Value::Null, |t| {
        Value::String(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    })
}

fn failure(status: StatusCode, code: &str, message: &str, details: &str) -> Response {
    let body = json!({
        "success": false,
        "error": { "code": code, "message": message, "details": details },
        "timestamp": "2026-11-01T09:00:00.000Z",
    });
    (status, axum::Json(body)).into_response()
}

fn success(message: &str, data: Value) -> Value {
    json!({ "success": true, "message": message, "data": data,
            "timestamp": "2026-11-01T09:00:00.000Z" })
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

pub fn serve(state: &mut RezolveState, req: &Request<'_>) -> Response {
    let bearer = header_text(req.headers, "authorization").and_then(|v| v.strip_prefix("Bearer "));
    if state.revoked {
        return failure(
            StatusCode::UNAUTHORIZED,
            "TOKEN_EXPIRED",
            "Authentication token has expired",
            "Please re-authenticate to obtain a new token",
        );
    }
    if bearer != Some(state.token.as_str()) {
        return failure(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "Invalid or expired authentication token",
            "The provided JWT token is not valid for this tenant.",
        );
    }
    if header_text(req.headers, "x-tenantid") != Some(state.tenant_id.as_str()) {
        return failure(
            StatusCode::FORBIDDEN,
            "TENANT_MISMATCH",
            "The token does not belong to this tenant",
            "Check the x-tenantid header.",
        );
    }
    if header_text(req.headers, "realmname").is_some_and(|r| r != state.realm) {
        return failure(
            StatusCode::FORBIDDEN,
            "REALM_MISMATCH",
            "The realm does not match the token",
            "Check the realmname header.",
        );
    }
    if req.route.slug != state.slug {
        return failure(StatusCode::NOT_FOUND, "NOT_FOUND", "Tenant not found", "");
    }
    match (req.method.as_str(), req.route.rest.as_str()) {
        ("GET", "user/list") => user_list(state, req),
        ("GET", "user/userinfo") => userinfo(state),
        ("POST", "ticket/list") => ticket_list(state, req),
        _ => failure(StatusCode::NOT_FOUND, "NOT_FOUND", "Route not found", ""),
    }
}

fn user_json(u: &RezolveUser, broken: bool) -> Value {
    if broken {
        return json!({ "id": null, "firstName": ["not", "a", "name"], "type": u.kind });
    }
    json!({
        "id": u.id, "username": u.email, "firstName": u.first_name, "lastName": u.last_name,
        "email": u.email, "type": u.kind,
        "roles": if u.kind == "agent" { json!(["ticket_agent"]) } else { json!(["ticket_user"]) },
        "teams": u.teams, "defaultTeam": u.teams.first(), "status": "active",
        "createdAt": "2025-01-15T10:30:00.000Z", "updatedAt": "2026-10-10T14:22:00.000Z",
    })
}

fn user_list(state: &mut RezolveState, req: &Request<'_>) -> Response {
    let (Some(kind), Some(module)) = (param(req.query, "type"), param(req.query, "module")) else {
        return failure(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "type and module are required",
            "type: template | agent | user; module: ticketing | chat | knowledge",
        );
    };
    if !["template", "agent", "user"].contains(&kind)
        || !["ticketing", "chat", "knowledge"].contains(&module)
    {
        return failure(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "Unknown type or module",
            "",
        );
    }
    let users: Vec<Value> = state
        .users
        .iter()
        .filter(|u| kind == "template" || u.kind == kind)
        .map(|u| user_json(u, state.broken.contains(&u.id)))
        .collect();
    let data = json!({ "users": users, "totalCount": users.len(), "module": module, "type": kind });
    let body = success("Users retrieved successfully", data).to_string();
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if header_text(req.headers, "if-none-match") == Some(etag.as_str()) {
        state.directory_replies.1 += 1;
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    state.directory_replies.0 += 1;
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    (StatusCode::OK, headers, body).into_response()
}

fn userinfo(state: &RezolveState) -> Response {
    let Some(me) = state.users.iter().find(|u| u.kind == "agent") else {
        return failure(StatusCode::NOT_FOUND, "NOT_FOUND", "No such user", "");
    };
    let data = json!({
        "id": me.id, "sub": me.id, "username": me.email, "email": me.email,
        "name": format!("{} {}", me.first_name, me.last_name),
        "teams": me.teams, "defaultTeam": me.teams.first(),
        "capabilities": { "isAgent": true, "isApprover": true },
        "tenant": { "id": state.tenant_id, "name": state.name, "realm": state.realm },
    });
    axum::Json(success("User info retrieved successfully", data)).into_response()
}

fn ticket_json(state: &RezolveState, t: &RezolveTicket) -> Value {
    let who = |i: usize| {
        state.users.get(i).map(|u| {
            json!({ "id": u.id, "name": format!("{} {}", u.first_name, u.last_name), "email": u.email })
        })
    };
    let mut v = json!({
        "id": t.id, "ticketNumber": t.number, "subject": t.subject, "description": t.description,
        "status": t.status, "priority": t.priority, "category": t.category,
        "subcategory": null, "assignee": t.assignee.and_then(who), "requester": who(t.requester),
        "team": t.team, "createdAt": iso(t.created_at), "updatedAt": iso(t.updated_at),
        "dueDate": t.due.map_or(Value::Null, iso), "slaStatus": t.sla,
    });
    if state.broken.contains(&t.id) {
        v["subject"] = json!({ "not": "a subject" });
        v["createdAt"] = json!(12);
    }
    v
}

/// The column's value of `t`, as filters and sorting compare it.
fn column(state: &RezolveState, t: &RezolveTicket, name: &str) -> Option<String> {
    let user = |i: Option<usize>| i.and_then(|i| state.users.get(i)).map(|u| u.id.clone());
    Some(match name {
        "id" => t.id.clone(),
        "ticketNumber" => t.number.clone(),
        "team" => t.team.clone(),
        "status" => t.status.clone(),
        "priority" => t.priority.clone(),
        "category" => t.category.clone(),
        "subject" => t.subject.clone(),
        "assignee" => user(t.assignee)?,
        "requester" => user(Some(t.requester))?,
        "createdAt" => iso(t.created_at).as_str()?.to_string(),
        "updatedAt" => iso(t.updated_at).as_str()?.to_string(),
        _ => return None,
    })
}

/// Whether `t` passes the filter tree `f`; `Err` names what is not supported.
fn passes(state: &RezolveState, t: &RezolveTicket, f: &Value) -> Result<bool, String> {
    if let Some(operands) = f.get("operand").and_then(Value::as_array)
        && f.get("column").is_none()
    {
        let op = f.get("op").and_then(Value::as_str).unwrap_or("AND");
        let mut results = Vec::new();
        for o in operands {
            results.push(passes(state, t, o)?);
        }
        return match op {
            "AND" => Ok(results.iter().all(|r| *r)),
            "OR" => Ok(results.iter().any(|r| *r)),
            other => Err(format!(
                "The operator '{other}' is not supported. Supported: AND, OR"
            )),
        };
    }
    let name = f.get("column").and_then(Value::as_str).unwrap_or_default();
    let Some(value) = column(state, t, name) else {
        return Err(format!("The column '{name}' is not supported"));
    };
    let operand = f.get("operand").cloned().unwrap_or(Value::Null);
    let text = operand.as_str().unwrap_or_default().to_string();
    let op = f.get("op").and_then(Value::as_str).unwrap_or_default();
    Ok(match op {
        "EQ" => value == text,
        "NE" => value != text,
        "IN" => operand
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(value.as_str()))),
        "LIKE" => value
            .to_lowercase()
            .contains(&text.to_lowercase().replace('%', "")),
        "GE" => value >= text,
        "GT" => value > text,
        "LE" => value <= text,
        "LT" => value < text,
        other => {
            return Err(format!(
                "The operator '{other}' is not supported. Supported operators: EQ, NE, GT, GE, LT, LE, LIKE, IN"
            ));
        }
    })
}

fn ticket_list(state: &mut RezolveState, req: &Request<'_>) -> Response {
    let Some(body) = serde_json::from_slice::<Value>(req.body)
        .ok()
        .filter(Value::is_object)
    else {
        return failure(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "The body must be JSON",
            "",
        );
    };
    let top = body.get("top").and_then(Value::as_u64).unwrap_or(0);
    let Some(offset) = body.get("offset").and_then(Value::as_u64) else {
        return failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            "offset is required",
            "",
        );
    };
    if !(1..=100).contains(&top) {
        return failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            "top must be between 1 and 100",
            "",
        );
    }
    let mut rows = Vec::new();
    for t in &state.tickets {
        match body.get("filter").map(|f| passes(state, t, f)) {
            None | Some(Ok(true)) => rows.push(t),
            Some(Ok(false)) => {}
            Some(Err(details)) => {
                return failure(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "INVALID_FILTER",
                    "Invalid filter configuration",
                    &details,
                );
            }
        }
    }
    let sort = body
        .get("sort")
        .and_then(Value::as_str)
        .unwrap_or("updatedAt");
    let descending = body.get("searchOrder").and_then(Value::as_str) != Some("ASC");
    rows.sort_by(|a, b| {
        let key = |t: &RezolveTicket| (column(state, t, sort).unwrap_or_default(), t.id.clone());
        let order = key(a).cmp(&key(b));
        if descending { order.reverse() } else { order }
    });
    let total = rows.len();
    let page: Vec<Value> = rows
        .iter()
        .skip(offset as usize)
        .take(top as usize)
        .map(|t| ticket_json(state, t))
        .collect();
    let has_more = (offset as usize) + page.len() < total;
    let data = json!({
        "tickets": page,
        "pagination": { "total": total, "top": top, "offset": offset, "hasMore": has_more },
        "module": param(req.query, "module").unwrap_or("ticketing"),
        "type": param(req.query, "type").unwrap_or("template"),
    });
    state.shift();
    axum::Json(success("Tickets retrieved successfully", data)).into_response()
}
