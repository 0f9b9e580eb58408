//! Typed InvGate endpoint calls and the pagination each one needs: page/page_size for
//! `categories`, limit/offset for `incidents.by.status`, none for the rest. Every loop has a hard
//! page cap and stops when a server ignores the paging parameters, so a call always ends.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::{Client, Query, decode_error};
use super::lenient::{self, Listing};
use super::wire::{CategoryWire, CommentWire, IdPageWire, IncidentWire, LinkWire, UserWire};
use crate::provider::ProviderError;
use crate::provider::elements::log_skipped;

/// Largest page `categories` serves.
const CATEGORY_PAGE_SIZE: usize = 500;
const MAX_CATEGORY_PAGES: usize = 100;
/// Ids per `incidents.by.status` page.
const STATUS_PAGE_LIMIT: usize = 500;
const MAX_STATUS_PAGES: usize = 1000;

/// `sd.version`: `{"version":"v8.15.13"}`, or a bare string as the docs describe it.
pub async fn version(c: &Client) -> Result<String, ProviderError> {
    let reply: Value = c.get("sd.version", Query::new()).await?;
    let version = match &reply {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map.get("version").and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }),
        _ => None,
    };
    version.ok_or_else(|| ProviderError::Decode {
        endpoint: "sd.version".into(),
        detail: "no version in the reply".into(),
    })
}

/// An unpaginated list in any of InvGate's shapes (array, id map, `[]`, `{data:[…]}`).
pub async fn list<T: DeserializeOwned>(
    c: &Client,
    endpoint: &str,
    query: Query,
) -> Result<Vec<T>, ProviderError> {
    let listing = c.get::<Listing<T>>(endpoint, query).await?;
    log_skipped(endpoint, listing.skipped, listing.items.len());
    Ok(listing.into_values())
}

/// All categories, page by page until a short page. Older instances ignore `page` and send the
/// whole list every time: an identical page ends the loop.
pub async fn categories(c: &Client) -> Result<Vec<CategoryWire>, ProviderError> {
    let mut all: Vec<CategoryWire> = Vec::new();
    let mut previous: Option<Vec<CategoryWire>> = None;
    for page in 1..=MAX_CATEGORY_PAGES {
        let query = Query::new()
            .param("page", page)
            .param("page_size", CATEGORY_PAGE_SIZE);
        let rows: Vec<CategoryWire> = list(c, "categories", query).await?;
        if previous.as_ref() == Some(&rows) {
            break;
        }
        let short = rows.len() < CATEGORY_PAGE_SIZE;
        for row in &rows {
            if !row.id.is_empty() && !all.iter().any(|known| known.id == row.id) {
                all.push(row.clone());
            }
        }
        if short {
            break;
        }
        previous = Some(rows);
    }
    Ok(all)
}

/// Ids of the open requests in one status, following `offset` until `total` is reached or a page
/// comes back empty. Stops early when the server repeats an offset or sends nothing new.
pub async fn ids_by_status(c: &Client, status_id: &str) -> Result<Vec<String>, ProviderError> {
    let mut ids: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0usize;
    let mut last_echo: Option<i64> = None;
    for _ in 0..MAX_STATUS_PAGES {
        let query = Query::new()
            .param("status_id", status_id)
            .param("limit", STATUS_PAGE_LIMIT)
            .param("offset", offset);
        let page: IdPageWire = c.get("incidents.by.status", query).await?;
        if page.request_ids.is_empty() || (page.offset.is_some() && page.offset == last_echo) {
            break;
        }
        last_echo = page.offset;
        let before = ids.len();
        for id in page.request_ids.iter() {
            if seen.insert(id.clone()) {
                ids.push(id.clone());
            }
        }
        if ids.len() == before {
            break; // Nothing new: the server is not honouring the offset.
        }
        offset += page.request_ids.len();
        let total = page.total.and_then(|t| usize::try_from(t).ok());
        if total.is_some_and(|t| offset >= t) {
            break;
        }
    }
    Ok(ids)
}

/// Ids of the open requests of one help desk or level (`helpdesk_id`, never `id`: the API answers
/// `id` with a 200 "None of the provided helpdesk_ids is an INTEGER").
///
/// Older versions answer with every id at once. Newer ones page: with `next_page_key` (keyset)
/// or with `total` larger than what came back (offset); both are followed, with the same
/// guards as the status lists against a server that repeats itself.
pub async fn ids_by_helpdesk(c: &Client, desk_id: &str) -> Result<Vec<String>, ProviderError> {
    let mut ids: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut query = Query::new().param("helpdesk_id", desk_id);
    let mut last_key: Option<String> = None;
    for _ in 0..MAX_STATUS_PAGES {
        let page: IdPageWire = c.get("incidents.by.helpdesk", query).await?;
        let before = ids.len();
        for id in &page.request_ids {
            if seen.insert(id.clone()) {
                ids.push(id.clone());
            }
        }
        let total = page.total.and_then(|t| usize::try_from(t).ok());
        query = Query::new().param("helpdesk_id", desk_id);
        // A new page key is followed even after a page of repeats (or of ids refused as
        // malformed): the key, not the content, says whether more exists. The page cap still
        // bounds a server that hands out keys forever.
        let key = page
            .next_page_key
            .filter(|k| !k.is_empty() && Some(k) != last_key.as_ref());
        if let Some(key) = key {
            last_key = Some(key.clone());
            query = query.param("page_key", key);
        } else if ids.len() == before {
            break;
        } else if total.is_some_and(|t| ids.len() < t) {
            query = query
                .param("limit", page.request_ids.len())
                .param("offset", ids.len());
        } else {
            break;
        }
    }
    Ok(ids)
}

/// One batch of `incidents?ids[]=…`: an id-keyed map (or `[]`), keys kept for id-less objects,
/// with the count of requests that could not be read.
pub async fn incidents(c: &Client, ids: &[String]) -> Result<Listing<IncidentWire>, ProviderError> {
    let query = Query::new().array("ids", ids);
    let listing = c.get::<Listing<IncidentWire>>("incidents", query).await?;
    log_skipped("incidents", listing.skipped, listing.items.len());
    Ok(listing)
}

/// `incident?id=X&comments=1`: one object (tolerating the array or id map the docs hint at).
pub async fn incident(c: &Client, id: &str) -> Result<IncidentWire, ProviderError> {
    incident_with(c, id, true).await
}

/// `incident?id=X` without its comments: the request's state, for checking what a write did.
pub async fn incident_state(c: &Client, id: &str) -> Result<IncidentWire, ProviderError> {
    incident_with(c, id, false).await
}

async fn incident_with(
    c: &Client,
    id: &str,
    comments: bool,
) -> Result<IncidentWire, ProviderError> {
    let mut query = Query::new().param("id", id);
    if comments {
        query = query.flag("comments", true);
    }
    incident_object(c.get("incident", query).await?)
}

/// The request in an `incident` reply: one object, or the first of the array or id map the
/// docs hint at.
pub fn incident_object(reply: Value) -> Result<IncidentWire, ProviderError> {
    let object = match reply {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        Value::Object(map)
            if !map.is_empty() && map.keys().all(|k| k.trim().parse::<u64>().is_ok()) =>
        {
            map.into_iter()
                .next()
                .map(|(_, v)| v)
                .unwrap_or(Value::Null)
        }
        other => other,
    };
    if !object.is_object() {
        return Err(ProviderError::Decode {
            endpoint: "incident".into(),
            detail: "the reply holds no request".into(),
        });
    }
    serde_json::from_value(object).map_err(|e| decode_error("incident", &e))
}

/// `incident.comment?request_id=X` (never `id`: that is a 428).
pub async fn comments(c: &Client, id: &str) -> Result<Vec<CommentWire>, ProviderError> {
    list(c, "incident.comment", Query::new().param("request_id", id)).await
}

pub async fn links(c: &Client, id: &str) -> Result<Vec<LinkWire>, ProviderError> {
    list(c, "incident.link", Query::new().param("request_id", id)).await
}

/// `incident.observer` / `incident.collaborator?request_id=X`: the people's ids.
pub async fn people(c: &Client, endpoint: &str, id: &str) -> Result<Vec<String>, ProviderError> {
    let reply: Value = c
        .get(endpoint, Query::new().param("request_id", id))
        .await?;
    Ok(lenient::people_ids(&reply))
}

/// `user.by?username=X` (or `email=X` for a login with an `@`): the user object, or the
/// `{data:{"<id>":user}}` map of `users.by`, or a list; every user found is returned.
pub async fn user_by(c: &Client, login: &str) -> Result<Vec<UserWire>, ProviderError> {
    let key = if login.contains('@') {
        "email"
    } else {
        "username"
    };
    let reply: Value = c.get("user.by", Query::new().param(key, login)).await?;
    let users = match reply {
        Value::Object(ref map) if map.contains_key("id") => {
            vec![serde_json::from_value(reply).map_err(|e| decode_error("user.by", &e))?]
        }
        other => serde_json::from_value::<Listing<UserWire>>(other)
            .map_err(|e| decode_error("user.by", &e))?
            .into_values(),
    };
    Ok(users)
}
