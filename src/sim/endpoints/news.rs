//! Breaking news: the reads (`breakingnews`, `breakingnews.all`, `breakingnews.status` GET and
//! the vocabularies `breakingnews.attributes.status` / `.type`) and the writes that take an
//! outage notice through its life: `breakingnews` POST announces it, PUT edits, closes or
//! reopens it, `breakingnews.status` POST adds an update to its timeline.
//!
//! Where the reference is silent, the simulator decides as a service desk would:
//! - Parameters first: a missing or blank required parameter, or a mistyped one, is HTTP 428;
//!   then the data: an unknown item, type, status, help desk, group, user or request is an
//!   HTTP-200 `ERROR`, and nothing changes.
//! - An item always affects someone: at least one help desk (or level) or user group, when it
//!   is created and after every edit. Array ids count once each, in wire order; empty values
//!   (`affected_group_ids[]=`) are none, so a PUT can empty one list while the other still
//!   names the audience.
//! - A closed item takes no new update, solution or not: its timeline is the record of what
//!   happened. Reopening it (PUT `status_id=1`) lets updates through again. An update with
//!   `is_solution=1` is the last word: it closes the item. `resolution_time` stays what the
//!   creator estimated; the solution's own date says when it was solved.
//! - Items and updates are stamped with the server's wall clock ([`WriteCtx::now`]), as every
//!   other write of the simulator is (on the demo it is also the simulator's clock). An update
//!   is never dated before the one it follows, so a timeline always reads in order. Without
//!   `creator_id` the author is the API account (user 1).

use serde_json::{Value, json};

use crate::sim::dataset::{Dataset, Named, NewsItem, NewsUpdate, news_status};
use crate::sim::endpoints::render::{date, opt_date};
use crate::sim::endpoints::{Ctx, WriteCtx, done, existing_request, existing_user};
use crate::sim::params::{Params, as_integer, not_integer};
use crate::sim::reply::{ApiError, Outcome};

/// Who an item or update is by when the call names nobody: the integration user.
const API_USER: u64 = 1;

fn news_json(n: &NewsItem, iso: bool) -> Value {
    json!({
        "id": n.id, "type_id": n.type_id, "title": n.title, "body": n.body,
        "affected_helpdesk_ids": n.helpdesk_ids, "affected_group_ids": n.group_ids,
        "resolution_time": opt_date(n.resolution_time, iso), "created_at": date(n.created_at, iso),
        "created_by_id": n.created_by_id, "status_id": n.status_id,
    })
}

fn unknown_item() -> ApiError {
    ApiError::Logical("The Breaking News does not exist.".into())
}

fn refused(info: &str) -> ApiError {
    ApiError::Logical(info.into())
}

pub fn news_all(ctx: &Ctx<'_>) -> Outcome {
    let iso = ctx.params.iso_dates();
    Ok(Value::Array(
        ctx.ds.news.iter().map(|n| news_json(n, iso)).collect(),
    ))
}

fn news_item<'a>(ctx: &Ctx<'a>) -> Result<&'a NewsItem, ApiError> {
    let id = ctx.params.require_uint("id")?;
    ctx.ds.news_item(id).ok_or_else(unknown_item)
}

pub fn news_one(ctx: &Ctx<'_>) -> Outcome {
    Ok(news_json(news_item(ctx)?, ctx.params.iso_dates()))
}

/// The timeline, oldest first.
pub fn news_updates(ctx: &Ctx<'_>) -> Outcome {
    let iso = ctx.params.iso_dates();
    let item = news_item(ctx)?;
    let list = item
        .updates
        .iter()
        .map(|u| json!({ "created_at": date(u.created_at, iso), "creator_id": u.creator_id, "body": u.body }))
        .collect();
    Ok(Value::Array(list))
}

fn named(ctx: &Ctx<'_>, items: &[Named]) -> Outcome {
    let id = ctx.params.uint("id")?;
    let list = items
        .iter()
        .filter(|n| id.is_none_or(|id| n.id == id))
        .map(|n| json!({ "id": n.id, "name": n.name }))
        .collect();
    Ok(Value::Array(list))
}

pub fn news_statuses(ctx: &Ctx<'_>) -> Outcome {
    named(ctx, &ctx.ds.news_statuses)
}

pub fn news_types(ctx: &Ctx<'_>) -> Outcome {
    named(ctx, &ctx.ds.news_types)
}

/// An optional INTEGER where a blank value counts as absent (forms send `creator_id=`).
fn optional_uint(p: &Params, name: &str) -> Result<Option<u64>, ApiError> {
    match p.text(name) {
        Some(_) => p.uint(name),
        None => Ok(None),
    }
}

/// `resolution_time`: absent is `None`, blank is `Some(None)` (no estimate), else the epoch.
fn resolution_time(p: &Params) -> Result<Option<Option<i64>>, ApiError> {
    match p.get("resolution_time") {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(Some(None)),
        Some(_) => Ok(Some(p.int("resolution_time")?)),
    }
}

/// An optional ARRAY of ids (`name[]=`), each once, blank values skipped.
fn id_list(p: &Params, name: &str) -> Result<Option<Vec<u64>>, ApiError> {
    let Some(values) = p.array(name)? else {
        return Ok(None);
    };
    let mut ids = Vec::new();
    for value in values.into_iter().filter(|v| !v.trim().is_empty()) {
        let id = as_integer(value)
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| not_integer(name))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(Some(ids))
}

/// A non-blank text for a PUT: absent is `None`, blank is refused.
fn new_text<'p>(p: &'p Params, name: &str, what: &str) -> Result<Option<&'p str>, ApiError> {
    match p.get(name) {
        Some(v) if v.trim().is_empty() => Err(refused(&format!("The {what} cannot be empty."))),
        other => Ok(other),
    }
}

fn check_vocabulary(items: &[Named], id: u64, what: &str) -> Result<(), ApiError> {
    if items.iter().any(|n| n.id == id) {
        Ok(())
    } else {
        Err(refused(&format!(
            "The breaking news {what} does not exist."
        )))
    }
}

/// Every help desk (or level) and group id must exist.
fn check_ids(ds: &Dataset, helpdesks: &[u64], groups: &[u64]) -> Result<(), ApiError> {
    if let Some(id) = helpdesks
        .iter()
        .find(|id| ds.helpdesk(**id).is_none_or(|h| h.deleted))
    {
        return Err(refused(&format!("The help desk {id} does not exist.")));
    }
    if let Some(id) = groups.iter().find(|id| ds.group(**id).is_none()) {
        return Err(refused(&format!("The group {id} does not exist.")));
    }
    Ok(())
}

fn check_audience(helpdesks: &[u64], groups: &[u64]) -> Result<(), ApiError> {
    if helpdesks.is_empty() && groups.is_empty() {
        Err(refused(
            "A breaking news item must affect at least one help desk or group.",
        ))
    } else {
        Ok(())
    }
}

/// POST `title`*, `type_id`* (1 High, 2 Medium, 3 Low), `body`* (HTML, stored as sent),
/// `affected_helpdesk_ids[]` and/or `affected_group_ids[]` (one of them not empty),
/// `resolution_time` (epoch), `creator_id` (a user), `major_incident_id` (a request). The new
/// item is open. Answers `{status, info, id}`.
pub fn create(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let title = p.require_str("title")?;
    let type_id = p.require_uint("type_id")?;
    let body = p.require_str("body")?;
    let helpdesk_ids = id_list(p, "affected_helpdesk_ids")?.unwrap_or_default();
    let group_ids = id_list(p, "affected_group_ids")?.unwrap_or_default();
    let resolution_time = resolution_time(p)?.flatten();
    let creator = optional_uint(p, "creator_id")?;
    let major_incident_id = optional_uint(p, "major_incident_id")?;
    let ds = ctx.ds();
    check_vocabulary(&ds.news_types, type_id, "type")?;
    check_audience(&helpdesk_ids, &group_ids)?;
    check_ids(ds, &helpdesk_ids, &group_ids)?;
    if let Some(creator) = creator {
        existing_user(ds, creator, "creator")?;
    }
    if let Some(request) = major_incident_id {
        existing_request(ds, request)?;
    }
    let id = ds.next_news_id();
    let created_at = ctx.now;
    ctx.ds_mut().news.push(NewsItem {
        id,
        type_id,
        title: title.to_string(),
        body: body.to_string(),
        helpdesk_ids,
        group_ids,
        resolution_time,
        created_at,
        created_by_id: creator.unwrap_or(API_USER),
        status_id: news_status::OPEN,
        major_incident_id,
        updates: Vec::new(),
    });
    Ok(json!({ "status": "OK", "info": "The breaking news was created.", "id": id }))
}

/// PUT `id`*, then any of `title`, `type_id`, `body`, `affected_helpdesk_ids[]`,
/// `affected_group_ids[]` (a list sent replaces the item's), `resolution_time` (blank clears
/// it), `status_id` (1 Open, 2 Closed: closing here adds no update; reopening is allowed).
pub fn edit(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let type_id = optional_uint(p, "type_id")?;
    let status_id = optional_uint(p, "status_id")?;
    let helpdesk_ids = id_list(p, "affected_helpdesk_ids")?;
    let group_ids = id_list(p, "affected_group_ids")?;
    let resolution_time = resolution_time(p)?;
    let ds = ctx.ds();
    let item = ds.news_item(id).ok_or_else(unknown_item)?;
    let title = new_text(p, "title", "title")?;
    let body = new_text(p, "body", "body")?;
    if let Some(type_id) = type_id {
        check_vocabulary(&ds.news_types, type_id, "type")?;
    }
    if let Some(status_id) = status_id {
        check_vocabulary(&ds.news_statuses, status_id, "status")?;
    }
    check_ids(
        ds,
        helpdesk_ids.as_deref().unwrap_or_default(),
        group_ids.as_deref().unwrap_or_default(),
    )?;
    check_audience(
        helpdesk_ids.as_deref().unwrap_or(&item.helpdesk_ids),
        group_ids.as_deref().unwrap_or(&item.group_ids),
    )?;
    let item = ctx.ds_mut().news_item_mut(id).ok_or_else(unknown_item)?;
    if let Some(title) = title {
        item.title = title.to_string();
    }
    if let Some(body) = body {
        item.body = body.to_string();
    }
    item.type_id = type_id.unwrap_or(item.type_id);
    item.status_id = status_id.unwrap_or(item.status_id);
    item.helpdesk_ids = helpdesk_ids.unwrap_or_else(|| std::mem::take(&mut item.helpdesk_ids));
    item.group_ids = group_ids.unwrap_or_else(|| std::mem::take(&mut item.group_ids));
    item.resolution_time = resolution_time.unwrap_or(item.resolution_time);
    done("The breaking news was updated.")
}

/// `breakingnews.status` POST `id`*, `body`* (HTML), `creator_id` (a user), `is_solution`
/// (0/1; 1 closes the item). Only an open item takes updates (see the module's rules).
pub fn post_update(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let body = p.require_str("body")?;
    let creator = optional_uint(p, "creator_id")?;
    let is_solution = p.flag("is_solution")?;
    let ds = ctx.ds();
    let item = ds.news_item(id).ok_or_else(unknown_item)?;
    if let Some(creator) = creator {
        existing_user(ds, creator, "creator")?;
    }
    if !item.is_open() {
        return Err(refused(
            "The breaking news is closed: reopen it to post an update.",
        ));
    }
    let now = ctx.now;
    let item = ctx.ds_mut().news_item_mut(id).ok_or_else(unknown_item)?;
    let created_at = item
        .updates
        .last()
        .map_or(now, |last| now.max(last.created_at));
    item.updates.push(NewsUpdate {
        created_at,
        creator_id: creator.unwrap_or(API_USER),
        body: body.to_string(),
    });
    if is_solution {
        item.status_id = news_status::CLOSED;
    }
    done(if is_solution {
        "The solution was posted and the breaking news was closed."
    } else {
        "The update was posted."
    })
}
