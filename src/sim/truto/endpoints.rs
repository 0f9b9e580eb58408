//! Truto's endpoints as the simulator answers them: `/truto/integrated-account[/{id}
//! [/capabilities]]` and `/truto/unified/ticketing/{tickets,comments,users,ticket_status,
//! ticket_priorities,ticket_types}[/{id}]`, with Truto's behaviour — `Authorization: Bearer`,
//! `integrated_account_id` required on unified calls, the `{result, next_cursor, prev_cursor,
//! result_count}` list envelope with opaque keyset cursors (rows that shift between pages are
//! neither skipped nor repeated), bare objects for get / create / update, the `{statusCode,
//! error, message}` error envelope, `remote_data` unless `truto_ignore_remote_data=true`, and
//! the normalized `ratelimit-limit` / `-remaining` / `-reset` headers with a 429 and
//! `Retry-After` past the per-account quota.

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{TrutoAccount, TrutoComment, TrutoCursor, TrutoState, TrutoTicket};

/// Truto's per-account window, in seconds.
const WINDOW_SECS: i64 = 10;

/// A path under `/truto/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Accounts,
    Account(String),
    Capabilities(String),
    /// `resource`, and the id after it.
    Unified(String, Option<String>),
    Unknown,
}

impl Route {
    /// `None` for paths outside `/truto/`.
    pub fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/truto/")?.trim_end_matches('/');
        let parts: Vec<&str> = rest.split('/').collect();
        Some(match parts.as_slice() {
            ["integrated-account"] => Route::Accounts,
            ["integrated-account", id] => Route::Account((*id).to_string()),
            ["integrated-account", id, "capabilities"] => Route::Capabilities((*id).to_string()),
            ["unified", "ticketing", resource] => Route::Unified((*resource).to_string(), None),
            ["unified", "ticketing", resource, id] => {
                Route::Unified((*resource).to_string(), Some((*id).to_string()))
            }
            _ => Route::Unknown,
        })
    }

    /// What the request log and faults call it: `truto/integrated-account`, `truto/tickets`,
    /// `truto/tickets/{id}`, `truto/comments`…
    pub fn endpoint(&self) -> String {
        match self {
            Route::Accounts => "truto/integrated-account".into(),
            Route::Account(_) => "truto/integrated-account/{id}".into(),
            Route::Capabilities(_) => "truto/capabilities".into(),
            Route::Unified(resource, None) => format!("truto/{resource}"),
            Route::Unified(resource, Some(_)) => format!("truto/{resource}/{{id}}"),
            Route::Unknown => "truto/unknown".into(),
        }
    }
}

/// What a request brings.
pub struct Request<'a> {
    pub method: &'a Method,
    pub route: &'a Route,
    pub query: &'a [(String, String)],
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The wall clock, for the rate-limit window.
    pub now: i64,
}

pub(super) fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "statusCode": status.as_u16(),
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": message,
    });
    (status, axum::Json(body)).into_response()
}

pub(super) fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn iso(epoch: i64) -> Value {
    chrono::DateTime::from_timestamp(epoch, 0).map_or(Value::Null, |t| {
        Value::String(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    })
}

/// Answers one request; faults and latency were applied by the caller.
pub fn serve(state: &mut TrutoState, req: &Request<'_>) -> Response {
    let bearer = req
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if state.revoked || bearer != Some(state.token.as_str()) {
        return error(StatusCode::UNAUTHORIZED, "Invalid API token");
    }
    match req.route {
        Route::Accounts if req.method == Method::GET => accounts(state, req.query),
        Route::Account(id) if req.method == Method::GET => match state.account(id) {
            Some(a) => axum::Json(account_json(a)).into_response(),
            None => error(StatusCode::NOT_FOUND, "Integrated account not found"),
        },
        Route::Capabilities(id) if req.method == Method::GET => match state.account(id) {
            Some(a) => axum::Json(capabilities_json(a)).into_response(),
            None => error(StatusCode::NOT_FOUND, "Integrated account not found"),
        },
        Route::Unified(..) => unified(state, req),
        Route::Unknown => error(StatusCode::NOT_FOUND, "Not Found"),
        _ => error(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed"),
    }
}

fn account_json(a: &TrutoAccount) -> Value {
    json!({
        "id": a.id,
        "tenant_id": a.tenant_id,
        "environment_id": "9c2e41d0-demo",
        "environment_integration_id": format!("ei-{}", a.integration),
        "status": a.status,
        "last_error": a.last_error,
        "is_sandbox": false,
        "authentication_method": a.authentication_method,
        "region": "wnam",
        "context": { "subdomain": a.context },
        "object_store_context_fields": [],
        "integration": { "id": format!("int-{}", a.integration), "name": a.integration,
                         "category": "ticketing", "is_beta": false },
        "created_at": "2026-03-01 10:00:00",
        "updated_at": "2026-10-30 08:12:00",
    })
}

fn capabilities_json(a: &TrutoAccount) -> Value {
    let unified: Vec<Value> = a
        .methods
        .iter()
        .map(|(resource, methods)| {
            json!({ "model": "ticketing", "resource": resource, "methods": methods,
                    "env_overridden": false,
                    "docs_url": format!("https://truto.one/docs/api-reference/unified-ticketing-api/{resource}") })
        })
        .collect();
    json!({
        "integration": { "name": a.integration, "label": a.label, "category": "ticketing" },
        "proxy": [],
        "unified": unified,
        "auth": { "formats": [a.authentication_method] },
        "account": { "id": a.id, "status": a.status, "is_blocked": false },
    })
}

/// Accounts are listed 2 to a page by default, so a client must follow `next_cursor`.
fn accounts(state: &TrutoState, query: &[(String, String)]) -> Response {
    let limit = param(query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(2)
        .clamp(1, 100);
    let start = param(query, "next_cursor")
        .and_then(|c| c.strip_prefix("acc-"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let page: Vec<Value> = state
        .accounts
        .iter()
        .skip(start)
        .take(limit)
        .map(account_json)
        .collect();
    let end = start + page.len();
    let next = (end < state.accounts.len()).then(|| format!("acc-{end}"));
    axum::Json(json!({ "result": page, "next_cursor": next, "limit": limit })).into_response()
}

/// The per-account quota: `ratelimit-*` on every reply, a 429 past it.
fn quota(state: &mut TrutoState, account: &str, now: i64) -> (HeaderMap, bool) {
    let limit = state.account_limit;
    let slot = state.window.entry(account.to_string()).or_insert((now, 0));
    if now - slot.0 >= WINDOW_SECS {
        *slot = (now, 0);
    }
    slot.1 += 1;
    let reset = (slot.0 + WINDOW_SECS - now).max(1);
    let over = slot.1 > limit;
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    put("ratelimit-limit", limit.to_string());
    put(
        "ratelimit-remaining",
        limit.saturating_sub(slot.1).to_string(),
    );
    put("ratelimit-reset", reset.to_string());
    if over {
        put("retry-after", reset.to_string());
    }
    (headers, over)
}

fn unified(state: &mut TrutoState, req: &Request<'_>) -> Response {
    let Route::Unified(resource, id) = req.route else {
        return error(StatusCode::NOT_FOUND, "Not Found");
    };
    let Some(account_id) = param(req.query, "integrated_account_id").map(str::to_string) else {
        let body = json!({
            "statusCode": 400, "error": "Bad Request",
            "message": "integrated_account_id is required",
            "truto_error_insight": { "missing_required_query_parameters": ["integrated_account_id"] },
        });
        return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    };
    let Some(account) = state.account(&account_id) else {
        return error(StatusCode::NOT_FOUND, "Integrated account not found");
    };
    if account.status == "needs_reauth" {
        let body = json!({
            "statusCode": 401, "error": "Unauthorized",
            "message": "The integrated account needs to be re-authenticated",
            "truto_is_remote_error": true,
        });
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let (headers, over) = quota(state, &account_id, req.now);
    if over {
        let body = json!({
            "statusCode": 429, "error": "Too Many Requests",
            "message": "Rate limit exceeded for this integrated account",
            "truto_error_insight": { "rate_limit_error": true },
        });
        return (StatusCode::TOO_MANY_REQUESTS, headers, axum::Json(body)).into_response();
    }
    let method = match (req.method.as_str(), id.is_some()) {
        ("GET", false) => "list",
        ("GET", true) => "get",
        ("POST", false) => "create",
        ("PATCH", true) => "update",
        ("DELETE", true) => "delete",
        _ => return error(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed"),
    };
    let Some(account) = state.account(&account_id) else {
        return error(StatusCode::NOT_FOUND, "Integrated account not found");
    };
    if !account.allows(resource, method) {
        let message = format!(
            "The {} integration does not support {method} on {resource}",
            account.integration
        );
        return (headers, error(StatusCode::BAD_REQUEST, &message)).into_response();
    }
    let remote = param(req.query, "truto_ignore_remote_data") != Some("true");
    let broken = state.broken.clone();
    let cursor = state.cursor;
    let reply = match (resource.as_str(), method) {
        ("tickets", "list") => {
            let account = state.account(&account_id);
            list(account, req.query, cursor, |a| {
                let mut rows: Vec<&TrutoTicket> = a.tickets.iter().collect();
                if let Some(status) = param(req.query, "status[id]") {
                    rows.retain(|t| a.statuses.get(t.status).is_some_and(|s| s.0 == status));
                }
                rows.into_iter()
                    .map(|t| {
                        (
                            t.id.clone(),
                            ticket_json(a, t, remote, broken.contains(&t.id)),
                        )
                    })
                    .collect()
            })
        }
        ("tickets", "get") => state
            .account(&account_id)
            .and_then(|a| {
                let t = a.tickets.iter().find(|t| Some(&t.id) == id.as_ref())?;
                Some(axum::Json(ticket_json(a, t, remote, broken.contains(&t.id))).into_response())
            })
            .unwrap_or_else(|| error(StatusCode::NOT_FOUND, "Ticket not found")),
        ("tickets", "update") => {
            super::writes::update(state, &account_id, id.as_deref(), req, remote)
        }
        ("comments", "list") => {
            let Some(ticket) = param(req.query, "ticket[id]") else {
                return (
                    headers,
                    error(StatusCode::BAD_REQUEST, "Set either ticket or collections"),
                )
                    .into_response();
            };
            let account = state.account(&account_id);
            list(account, req.query, cursor, |a| {
                a.tickets
                    .iter()
                    .filter(|t| t.id == ticket)
                    .flat_map(|t| t.comments.iter().map(move |c| (t, c)))
                    .map(|(t, c)| (c.id.clone(), comment_json(a, t, c, remote)))
                    .collect()
            })
        }
        ("comments", "create") => super::writes::create_comment(state, &account_id, req, remote),
        ("users", "list") => list(state.account(&account_id), req.query, cursor, |a| {
            a.people
                .iter()
                .map(|p| (p.id.clone(), person_json(p, remote)))
                .collect()
        }),
        ("ticket_status", "list") => list(state.account(&account_id), req.query, cursor, |a| {
            a.statuses
                .iter()
                .map(|(id, name, _)| {
                    (
                        id.clone(),
                        json!({ "id": id, "name": name, "description": null }),
                    )
                })
                .collect()
        }),
        ("ticket_priorities", "list") => list(state.account(&account_id), req.query, cursor, |a| {
            named(&a.priorities)
        }),
        ("ticket_types", "list") => list(state.account(&account_id), req.query, cursor, |a| {
            named(&a.types)
        }),
        _ => error(StatusCode::NOT_FOUND, "Not Found"),
    };
    (headers, reply).into_response()
}

fn named(items: &[(String, String)]) -> Vec<(String, Value)> {
    items
        .iter()
        .map(|(id, name)| (id.clone(), json!({ "id": id, "name": name })))
        .collect()
}

/// Sorts by a numeric-aware key so ids `"999"` and `"1000"` keep their order.
fn key(id: &str) -> (usize, &str) {
    (id.len(), id)
}

/// One page of `rows(account)`: ordered by id, `limit` (default 20, at most 100) rows after
/// the cursor's id. The cursor names the last id served, so a row inserted or removed before
/// it does not move the next page.
fn list(
    account: Option<&TrutoAccount>,
    query: &[(String, String)],
    cursor: TrutoCursor,
    rows: impl FnOnce(&TrutoAccount) -> Vec<(String, Value)>,
) -> Response {
    let Some(account) = account else {
        return error(StatusCode::NOT_FOUND, "Integrated account not found");
    };
    let limit = param(query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, 100);
    let sent = param(query, "next_cursor");
    let after = match sent.map(decode_cursor) {
        Some(Some(after)) => Some(after),
        Some(None) => return error(StatusCode::BAD_REQUEST, "Invalid cursor"),
        None => None,
    };
    let mut all = rows(account);
    all.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)));
    let page: Vec<(String, Value)> = all
        .into_iter()
        .filter(|(id, _)| after.as_deref().is_none_or(|a| key(id) > key(a)))
        .take(limit + 1)
        .collect();
    let more = page.len() > limit;
    let page: Vec<(String, Value)> = page.into_iter().take(limit).collect();
    let next = match (cursor, more, page.last()) {
        (TrutoCursor::Repeat, _, _) if sent.is_some() => sent.map(str::to_string),
        (_, true, Some((last, _))) => Some(encode_cursor(last)),
        _ => None,
    };
    let count = page.len();
    let result: Vec<Value> = page.into_iter().map(|(_, v)| v).collect();
    axum::Json(json!({
        "result": result,
        "next_cursor": next,
        "prev_cursor": null,
        "result_count": count,
        "is_partial_response": false,
    }))
    .into_response()
}

fn encode_cursor(last: &str) -> String {
    format!("after:{last}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_cursor(raw: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..raw.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(raw.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?)
        .ok()?
        .strip_prefix("after:")
        .map(str::to_string)
}

fn person_ref(p: &super::TrutoPerson) -> Value {
    json!({
        "id": p.id, "name": p.name(), "first_name": p.first_name, "last_name": p.last_name,
        "emails": [{ "email": p.email, "type": "work" }],
    })
}

fn person_json(p: &super::TrutoPerson, remote: bool) -> Value {
    let mut v = person_ref(p);
    v["username"] = json!(p.email);
    v["is_active"] = json!(true);
    v["roles"] = if p.is_agent {
        json!([{ "id": "agent", "name": "Agent" }])
    } else {
        json!([{ "id": "end-user", "name": "End user" }])
    };
    if remote {
        v["remote_data"] = json!({ "id": p.id, "role": if p.is_agent { "agent" } else { "end-user" },
                                   "photo": null, "locale": "en-US", "time_zone": "Europe/Dublin" });
    }
    v
}

pub(super) fn ticket_json(a: &TrutoAccount, t: &TrutoTicket, remote: bool, broken: bool) -> Value {
    let status = a.statuses.get(t.status);
    let contact = a.people.get(t.contact);
    let mut v = json!({
        "id": t.id,
        "number": t.number.to_string(),
        "name": t.name,
        "description": t.description,
        "status": status.map(|(id, _, normal)| json!({ "id": id, "name": normal })),
        "priority": t.priority.and_then(|i| a.priorities.get(i)).map(|(id, name)| json!({ "id": id, "name": name })),
        "type": t.kind.and_then(|i| a.types.get(i)).map(|(id, name)| json!({ "id": id, "name": name })),
        "assignees": t.assignee.and_then(|i| a.people.get(i)).map(person_ref).into_iter().collect::<Vec<_>>(),
        "created_by": contact.map(|p| json!({ "id": p.id, "name": p.name(), "type": "contact" })),
        "contact": contact.map(person_ref),
        "created_at": iso(t.created_at),
        "updated_at": iso(t.updated_at),
        "etag": format!("W/\"{}-{}\"", t.id, t.updated_at),
    });
    if remote {
        v["remote_data"] = json!({
            "id": t.number, "url": format!("https://{}/api/v2/tickets/{}.json", a.context, t.number),
            "raw_subject": t.name, "via": { "channel": "web" }, "tags": ["demo"],
            "custom_fields": [{ "id": 360_001, "value": null }],
        });
    }
    if broken {
        v["name"] = json!({ "not": "a title" });
        v["created_at"] = json!(12);
    }
    v
}

pub(super) fn comment_json(
    a: &TrutoAccount,
    t: &TrutoTicket,
    c: &TrutoComment,
    remote: bool,
) -> Value {
    let author = a.people.get(c.author);
    let mut v = json!({
        "id": c.id,
        "author": author.map(|p| json!({ "id": p.id, "name": p.name(),
                                          "type": if p.is_agent { "user" } else { "contact" } })),
        "body": c.body,
        "html_body": format!("<p>{}</p>", c.body.replace('<', "&lt;")),
        "is_private": c.is_private,
        "ticket": { "id": t.id },
        "created_at": iso(c.created_at),
    });
    if remote {
        v["remote_data"] =
            json!({ "id": c.id, "public": !c.is_private, "via": { "channel": "web" } });
    }
    v
}
