//! Iden's endpoints as the simulator answers them: `/iden/<slug>/api/{tickets,apps,users}/` and
//! one ticket, app or user by `external_uuid`, with DRF's behaviour — the LimitOffset envelope
//! with absolute `next`/`previous` built from the request's host (`limit` 50 by default),
//! `{"detail": …}` bodies for 401/403/404, 400 with per-field lists for a bad filter, and a slash
//! at the end of every route.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{IdenNext, IdenOrg, IdenState, IdenTicket, TICKET_STATUSES};
use crate::sim::reply::Reply;

/// DRF's `PAGE_SIZE` on Iden, as documented.
const DEFAULT_LIMIT: usize = 50;

/// A path under `/iden/`: which org, and what in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub slug: String,
    /// The API path after `/api/`, without slashes at its ends (`tickets`, `tickets/<uuid>`).
    pub rest: String,
    /// The request path, for building `next` and `previous`.
    pub path: String,
    pub trailing_slash: bool,
}

impl Route {
    /// `/iden/acme/api/tickets/` → slug `acme`, rest `tickets`. `None` for paths elsewhere.
    pub fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/iden/")?;
        let (slug, api) = rest.split_once('/')?;
        let api = api
            .strip_prefix("api/")
            .or_else(|| (api == "api").then_some(""))?;
        Some(Route {
            slug: slug.to_string(),
            rest: api.trim_matches('/').to_string(),
            path: path.to_string(),
            trailing_slash: path.ends_with('/'),
        })
    }

    /// What the request log and faults call it: `iden/tickets`, `iden/tickets/{id}`,
    /// `iden/apps`, `iden/users`…
    pub fn endpoint(&self) -> String {
        match self.rest.split_once('/') {
            Some((collection, _)) => format!("iden/{collection}/{{id}}"),
            None => format!("iden/{}", self.rest),
        }
    }
}

fn detail(status: StatusCode, text: &str) -> Reply {
    Reply::Json {
        status,
        body: json!({ "detail": text }),
    }
}

/// `None` when `authorization` carries the org's valid key; else the DRF answer: 401 without a
/// key or with an unknown one, 403 for the org's key once revoked.
pub fn auth_failure(state: &IdenState, authorization: Option<&str>) -> Option<Reply> {
    let Some(value) = authorization.map(str::trim) else {
        return Some(detail(
            StatusCode::UNAUTHORIZED,
            "Authentication credentials were not provided.",
        ));
    };
    let key = match value.split_once(' ') {
        Some(("Api-Key", key)) => key.trim(),
        _ => {
            return Some(detail(
                StatusCode::UNAUTHORIZED,
                "Authentication credentials were not provided.",
            ));
        }
    };
    if key != state.org.api_key {
        return Some(detail(StatusCode::UNAUTHORIZED, "Invalid API key."));
    }
    if state.revoked {
        return Some(detail(
            StatusCode::FORBIDDEN,
            "This API key has been revoked or has expired.",
        ));
    }
    None
}

fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn looks_like_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// The answer to an authorised request on `route`; `host` is the request's `Host`.
pub fn handle(state: &IdenState, route: &Route, query: &[(String, String)], host: &str) -> Reply {
    let org = &state.org;
    if route.slug != org.slug || !route.trailing_slash {
        return detail(StatusCode::NOT_FOUND, "Not found.");
    }
    let (collection, id) = match route.rest.split_once('/') {
        Some((c, id)) => (c, Some(id)),
        None => (route.rest.as_str(), None),
    };
    let items: Vec<Value> = match collection {
        "tickets" => match filtered_tickets(org, query) {
            Ok(tickets) => tickets
                .into_iter()
                .map(|t| ticket_json(org, t, state.broken.contains(&t.uuid)))
                .collect(),
            Err(reply) => return reply,
        },
        "apps" => org.apps.iter().map(|a| app_json(org, a)).collect(),
        "users" => org
            .users
            .iter()
            .map(|u| {
                json!({
                    "external_uuid": u.uuid, "username": u.username, "email": u.email,
                    "first_name": u.first_name, "last_name": u.last_name,
                })
            })
            .collect(),
        _ => return detail(StatusCode::NOT_FOUND, "Not found."),
    };
    match id {
        Some(id) => items
            .into_iter()
            .find(|item| item["external_uuid"] == id)
            .map_or_else(|| detail(StatusCode::NOT_FOUND, "Not found."), Reply::ok),
        None => Reply::ok(page(state, route, query, host, items)),
    }
}

/// The tickets the filters select, or DRF's 400 for a filter value it cannot take.
fn filtered_tickets<'a>(
    org: &'a IdenOrg,
    query: &[(String, String)],
) -> Result<Vec<&'a IdenTicket>, Reply> {
    let mut errors = serde_json::Map::new();
    let status = param(query, "ticket_status").filter(|s| !s.is_empty());
    if let Some(s) = status
        && !TICKET_STATUSES.contains(&s)
    {
        errors.insert(
            "ticket_status".into(),
            json!([format!(
                "Select a valid choice. {s} is not one of the available choices."
            )]),
        );
    }
    for key in ["app", "requester"] {
        if let Some(v) = param(query, key).filter(|v| !v.is_empty())
            && !looks_like_uuid(v)
        {
            errors.insert(key.into(), json!(["Enter a valid UUID."]));
        }
    }
    if !errors.is_empty() {
        return Err(Reply::Json {
            status: StatusCode::BAD_REQUEST,
            body: Value::Object(errors),
        });
    }
    let app = param(query, "app").filter(|v| !v.is_empty());
    let requester = param(query, "requester").filter(|v| !v.is_empty());
    Ok(org
        .tickets
        .iter()
        .filter(|t| status.is_none_or(|s| t.status == s))
        .filter(|t| app.is_none_or(|a| org.apps[t.app].uuid == a))
        .filter(|t| requester.is_none_or(|r| org.users[t.requester].uuid == r))
        .collect())
}

fn app_json(_org: &IdenOrg, app: &super::IdenApp) -> Value {
    json!({
        "external_uuid": app.uuid,
        "name": app.name,
        "connection": {
            "external_uuid": app.connection_uuid,
            "display_name": app.connection,
            "unique_identifier": app.identifier,
        },
    })
}

fn iso(epoch: i64) -> Value {
    chrono::DateTime::from_timestamp(epoch, 0).map_or(Value::Null, |t| {
        Value::String(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    })
}

fn ticket_json(org: &IdenOrg, t: &IdenTicket, broken: bool) -> Value {
    if broken {
        // What a serializer bug or a half-migrated row looks like: the id is not a string and
        // the label is a list.
        return json!({ "external_uuid": 4711, "label": ["?"], "ticket_status": 3 });
    }
    let requester = &org.users[t.requester];
    json!({
        "external_uuid": t.uuid,
        "label": t.label,
        "type": t.kind,
        "app": app_json(org, &org.apps[t.app]),
        "requester": { "external_uuid": requester.uuid, "email": requester.email },
        "app_user": { "external_uuid": t.app_user_uuid, "email": t.app_user_email },
        "ticket_status": t.status,
        "start_time": iso(t.start_time),
        "end_time": t.end_time.map_or(Value::Null, iso),
        "initial_comment": t.initial_comment,
    })
}

/// DRF's `LimitOffsetPagination`: an invalid `limit` or `offset` falls back to the default;
/// links keep every other parameter, sorted by key as DRF's `replace_query_param` writes them.
fn page(
    state: &IdenState,
    route: &Route,
    query: &[(String, String)],
    host: &str,
    items: Vec<Value>,
) -> Value {
    let count = items.len();
    let limit = param(query, "limit")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(DEFAULT_LIMIT)
        .min(state.max_limit.unwrap_or(usize::MAX));
    let offset = param(query, "offset")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let link = |host: &str, offset: Option<usize>| {
        let mut pairs: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k != "limit" && k != "offset")
            .cloned()
            .collect();
        pairs.push(("limit".into(), limit.to_string()));
        if let Some(offset) = offset {
            pairs.push(("offset".into(), offset.to_string()));
        }
        pairs.sort();
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("http://{host}{}?{}", route.path, encoded.join("&"))
    };
    let next = (offset + limit < count).then(|| match state.next {
        IdenNext::Honest => link(host, Some(offset + limit)),
        IdenNext::SamePage => link(host, (offset > 0).then_some(offset)),
        IdenNext::ForeignHost => link("evil.example", Some(offset + limit)),
    });
    let previous = (offset > 0).then(|| link(host, offset.checked_sub(limit).filter(|o| *o > 0)));
    let results: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    json!({ "count": count, "next": next, "previous": previous, "results": results })
}

/// Percent-encoding for a query value: unreserved characters kept, everything else escaped.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
