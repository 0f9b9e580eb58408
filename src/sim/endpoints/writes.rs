//! Writes on one request's own data: `incident.comment` (which may also resolve the request),
//! `incident.observer` / `.collaborator`, `incident.link`, `incident.custom_field` (set and
//! erase), `incident.reassign` and the `incident` PUT edit. Each one validates everything first
//! (HTTP 428 for a missing or mistyped required parameter, HTTP-200 `ERROR` for an unknown
//! request, user, help desk or catalog value) and only then changes the data and stamps the
//! request's `last_update` with the server clock (see [`WriteCtx::commit`]).

use crate::sim::dataset::{Comment, CustomField, Dataset, Named, Request};
use crate::sim::endpoints::fields;
use crate::sim::endpoints::render::{self, Style};
use crate::sim::endpoints::{WriteCtx, done, existing_request, existing_user, unknown_request};
use crate::sim::params::{Params, missing};
use crate::sim::reply::{ApiError, Outcome};

/// A new comment of the instance: `id` is its next comment id (see
/// [`Dataset::next_comment_id`]), `message` is stored as sent (HTML), flags off.
pub(super) fn new_comment(id: u64, author_id: u64, message: &str, now: i64) -> Comment {
    Comment {
        id,
        author_id,
        message: message.to_string(),
        created_at: now,
        customer_visible: false,
        is_solution: false,
        reference: None,
        msg_num: 0,
        attached_files: Vec::new(),
    }
}

/// Appends `comment` to the thread as its next `msg_num`.
pub(super) fn push_comment(request: &mut Request, mut comment: Comment) {
    comment.msg_num = request
        .comments
        .iter()
        .map(|c| c.msg_num)
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    request.comments.push(comment);
}

/// `request_id`*, `comment`* (HTML), `author_id`*, `is_solution` and `customer_visible` (0/1;
/// absent means 0, an internal note). A solution also moves the request to "Resolved", which a
/// finished request cannot take. The reply is `{status, info}`: the reference documents no id
/// of the new comment.
pub fn comment(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let message = p.require_str("comment")?;
    let author = p.require_uint("author_id")?;
    let is_solution = p.flag("is_solution")?;
    let customer_visible = p.flag("customer_visible")?;
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    existing_user(ds, author, "author")?;
    let life = ds.lifecycle();
    if is_solution && life.is_finished(request.status_id) {
        return Err(ApiError::Logical(
            "A solution cannot be added to a closed, cancelled or rejected request.".into(),
        ));
    }
    let comment_id = ds.next_comment_id();
    let now = ctx.now;
    let request = ctx.commit(id)?;
    push_comment(
        request,
        Comment {
            customer_visible,
            is_solution,
            ..new_comment(comment_id, author, message, now)
        },
    );
    if is_solution {
        request.status_id = life.resolved;
        request.solved_at = Some(now);
        request.waiting_for = None;
    }
    done("The comment was added to the request.")
}

/// Which list of people `incident.observer` / `incident.collaborator` adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum People {
    Observers,
    Collaborators,
}

pub fn observers(ctx: &mut WriteCtx<'_>) -> Outcome {
    add_people(ctx, People::Observers)
}

pub fn collaborators(ctx: &mut WriteCtx<'_>) -> Outcome {
    add_people(ctx, People::Collaborators)
}

/// `request_id`*, `author_id`*, and `user_id` or `users_id[]` (sic; one of them is required).
/// Every user must exist; people already on the list are not added twice.
fn add_people(ctx: &mut WriteCtx<'_>, people: People) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let author = p.require_uint("author_id")?;
    let mut users = p.uint_array("users_id")?.unwrap_or_default();
    if let Some(user) = p.uint("user_id")? {
        users.push(user);
    }
    if users.is_empty() {
        return Err(missing("user_id"));
    }
    let ds = ctx.ds();
    existing_request(ds, id)?;
    existing_user(ds, author, "author")?;
    for user in &users {
        existing_user(ds, *user, &format!("user {user}"))?;
    }
    let request = ctx.commit(id)?;
    let list = match people {
        People::Observers => &mut request.observers,
        People::Collaborators => &mut request.collaborators,
    };
    for user in users {
        if !list.contains(&user) {
            list.push(user);
        }
    }
    done(match people {
        People::Observers => "The observers were added to the request.",
        People::Collaborators => "The collaborators were added to the request.",
    })
}

/// `request_id`*, `request_ids[]`*: every other request must exist and differ from this one.
/// Links are symmetric, as the generated ones are: both requests list each other.
pub fn link(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let others = p
        .uint_array("request_ids")?
        .filter(|ids| !ids.is_empty())
        .ok_or_else(|| missing("request_ids[]"))?;
    let ds = ctx.ds();
    existing_request(ds, id)?;
    for other in &others {
        if *other == id {
            return Err(ApiError::Logical(
                "A request cannot be linked to itself.".into(),
            ));
        }
        if ds.request(*other).is_none() {
            return Err(ApiError::Logical(format!(
                "The request {other} does not exist."
            )));
        }
    }
    let request = ctx.commit(id)?;
    for other in &others {
        if !request.links.contains(other) {
            request.links.push(*other);
        }
    }
    request.links.sort_unstable();
    for other in others {
        let request = ctx
            .ds_mut()
            .request_mut(other)
            .ok_or_else(unknown_request)?;
        if !request.links.contains(&id) {
            request.links.push(id);
            request.links.sort_unstable();
        }
    }
    done("The requests were linked.")
}

/// The parameters every `incident.custom_field` method shares: `(request id, author id, uid)`.
fn custom_field_params(p: &Params) -> Result<(u64, u64, u64), ApiError> {
    Ok((
        p.require_uint("request_id")?,
        p.require_uint("author_id")?,
        p.require_uint("custom_field_uid")?,
    ))
}

/// The request and author must exist, and the field must be defined: that field.
fn check_custom_field(
    ds: &Dataset,
    (id, author, uid): (u64, u64, u64),
) -> Result<&CustomField, ApiError> {
    existing_request(ds, id)?;
    existing_user(ds, author, "author")?;
    ds.custom_fields
        .iter()
        .find(|f| f.uid == uid)
        .ok_or_else(|| ApiError::Logical("The custom field does not exist.".into()))
}

/// Sets (or, with `None`, erases) one custom field value, keeping the values in uid order.
fn store_custom_field(request: &mut Request, uid: u64, value: Option<String>) {
    request.custom_fields.retain(|(u, _)| *u != uid);
    if let Some(value) = value {
        let at = request.custom_fields.partition_point(|(u, _)| *u < uid);
        request.custom_fields.insert(at, (uid, value));
    }
}

/// POST: `request_id`*, `author_id`*, `custom_field_uid`*, `values[]`*. Values are stored as
/// sent, several joined with ", " (the incident object serves one string per field);
/// `values[]=` (only empty strings) erases the value. Each value must suit the field's type
/// (one of a list's labels, a tree node's full path, a number, a YYYY-MM-DD date: see
/// `fields`), else the write is refused naming the field.
pub fn set_custom_field(ctx: &mut WriteCtx<'_>) -> Outcome {
    let target = custom_field_params(ctx.params)?;
    let values = ctx.params.require_array("values")?;
    let field = check_custom_field(ctx.ds(), target)?;
    let (id, _, uid) = target;
    let kept: Vec<&str> = values.into_iter().filter(|v| !v.is_empty()).collect();
    for value in &kept {
        fields::check_value(field, value)?;
    }
    let value = (!kept.is_empty()).then(|| kept.join(", "));
    store_custom_field(ctx.commit(id)?, uid, value);
    done("The custom field value was updated.")
}

/// DELETE: `request_id`*, `author_id`*, `custom_field_uid`* erase the value.
pub fn erase_custom_field(ctx: &mut WriteCtx<'_>) -> Outcome {
    let target = custom_field_params(ctx.params)?;
    check_custom_field(ctx.ds(), target)?;
    let (id, _, uid) = target;
    store_custom_field(ctx.commit(id)?, uid, None);
    done("The custom field value was deleted.")
}

/// `request_id`*, `author_id`*, `group_id`* (a help desk or one of its levels), `agent_id` (a
/// member of that desk or level; absent or blank clears the agent). A finished request cannot
/// be reassigned. The status does not change.
pub fn reassign(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("request_id")?;
    let author = p.require_uint("author_id")?;
    let group = p.require_uint("group_id")?;
    let agent = match p.text("agent_id") {
        Some(_) => p.uint("agent_id")?,
        None => None,
    };
    let ds = ctx.ds();
    let request = existing_request(ds, id)?;
    existing_user(ds, author, "author")?;
    let desk = ds
        .helpdesk(group)
        .filter(|h| !h.deleted)
        .ok_or_else(|| ApiError::Logical("The help desk does not exist.".into()))?;
    if let Some(agent) = agent {
        existing_user(ds, agent, "agent")?;
        if !desk.members.contains(&agent) {
            return Err(ApiError::Logical(
                "The agent is not a member of the help desk.".into(),
            ));
        }
    }
    if ds.lifecycle().is_finished(request.status_id) {
        return Err(ApiError::Logical(
            "A closed, cancelled or rejected request cannot be reassigned.".into(),
        ));
    }
    let request = ctx.commit(id)?;
    request.assigned_group_id = group;
    request.assigned_id = agent;
    done("The request was reassigned.")
}

/// An optional catalog id (`priority_id`, `type_id`, …) that must name an entry of `items`.
fn catalog_id(
    p: &Params,
    name: &str,
    items: &[Named],
    what: &str,
) -> Result<Option<u64>, ApiError> {
    match p.uint(name)? {
        Some(id) if !items.iter().any(|n| n.id == id) => {
            Err(ApiError::Logical(format!("The {what} does not exist.")))
        }
        other => Ok(other),
    }
}

/// The fields an `incident` PUT changes, validated against the catalog.
#[derive(Debug, Default)]
struct Edit<'p> {
    title: Option<&'p str>,
    description: Option<&'p str>,
    priority_id: Option<u64>,
    type_id: Option<u64>,
    source_id: Option<u64>,
    location_id: Option<u64>,
    customer_id: Option<u64>,
    date: Option<i64>,
    /// `(category id, its help desk)`.
    category: Option<(u64, u64)>,
}

fn edit_of<'p>(ds: &Dataset, p: &'p Params) -> Result<Edit<'p>, ApiError> {
    let title = p.get("title");
    if title.is_some_and(|t| t.trim().is_empty()) {
        return Err(ApiError::Logical("The title cannot be empty.".into()));
    }
    let category = match p.uint("category_id")? {
        None => None,
        Some(id) => Some(
            ds.categories
                .iter()
                .find(|c| c.id == id)
                .map(|c| (c.id, c.desk_id))
                .ok_or_else(|| ApiError::Logical("The category does not exist.".into()))?,
        ),
    };
    let customer_id = p.uint("customer_id")?;
    if let Some(customer) = customer_id {
        existing_user(ds, customer, "customer")?;
    }
    Ok(Edit {
        title,
        description: p.get("description"),
        priority_id: catalog_id(p, "priority_id", &ds.priorities, "priority")?,
        type_id: catalog_id(p, "type_id", &ds.types, "type")?,
        source_id: catalog_id(p, "source_id", &ds.sources, "source")?,
        location_id: catalog_id(p, "location_id", &ds.locations, "location")?,
        customer_id,
        date: p.int("date")?,
        category,
    })
}

/// `incident` PUT: `id`*, then any of `title`, `description`, `priority_id`, `type_id`,
/// `category_id`, `customer_id`, `source_id`, `location_id`, `date` (epoch, the date it
/// occurred), each checked against the catalog. `reassignment=1` with a new category routes the
/// request to that category's help desk, without an agent (the reference only names the flag;
/// this reading is the simulator's). Answers the incident object, as `incident` GET renders it
/// (`date_format` honoured).
pub fn edit(ctx: &mut WriteCtx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let reassignment = p.flag("reassignment")?;
    let style = Style {
        iso_dates: p.iso_dates(),
        ..Style::default()
    };
    existing_request(ctx.ds(), id)?;
    let edit = edit_of(ctx.ds(), p)?;
    let request = ctx.commit(id)?;
    if let Some(title) = edit.title {
        request.title = title.to_string();
    }
    if let Some(description) = edit.description {
        request.description = description.to_string();
    }
    request.priority_id = edit.priority_id.unwrap_or(request.priority_id);
    request.type_id = edit.type_id.unwrap_or(request.type_id);
    request.source_id = edit.source_id.unwrap_or(request.source_id);
    request.location_id = edit.location_id.or(request.location_id);
    request.user_id = edit.customer_id.unwrap_or(request.user_id);
    request.date_ocurred = edit.date.unwrap_or(request.date_ocurred);
    if let Some((category, desk)) = edit.category {
        if reassignment && category != request.category_id {
            request.assigned_group_id = desk;
            request.assigned_id = None;
        }
        request.category_id = category;
    }
    let ds = ctx.ds();
    Ok(render::incident(ds, existing_request(ds, id)?, style))
}
