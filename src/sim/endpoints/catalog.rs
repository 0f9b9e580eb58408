//! Reference data endpoints: `sd.version`, `incident.attributes.*`, `categories`, `helpdesks`,
//! `helpdesksandlevels`, `levels`, `users`, `user`, `user.by`, `groups` and the custom field
//! definitions.

use serde_json::{Value, json};

use crate::sim::dataset::{HelpDesk, Named, User};
use crate::sim::endpoints::Ctx;
use crate::sim::params::missing;
use crate::sim::reply::{ApiError, Outcome};

/// `categories` page size when `page_size` is absent, and its maximum (newer InvGate versions).
const CATEGORY_PAGE: u64 = 20;
const CATEGORY_PAGE_MAX: u64 = 500;

pub fn version(ctx: &Ctx<'_>) -> Outcome {
    Ok(json!({ "version": ctx.ds.version }))
}

/// `[{id, name}]`, or only the one matching `id`.
fn named_list(ctx: &Ctx<'_>, items: &[Named]) -> Outcome {
    let id = ctx.params.uint("id")?;
    let list: Vec<Value> = items
        .iter()
        .filter(|n| id.is_none_or(|id| n.id == id))
        .map(|n| json!({ "id": n.id, "name": n.name }))
        .collect();
    Ok(Value::Array(list))
}

pub fn statuses(ctx: &Ctx<'_>) -> Outcome {
    named_list(ctx, &ctx.ds.statuses)
}

pub fn priorities(ctx: &Ctx<'_>) -> Outcome {
    named_list(ctx, &ctx.ds.priorities)
}

pub fn types(ctx: &Ctx<'_>) -> Outcome {
    named_list(ctx, &ctx.ds.types)
}

pub fn sources(ctx: &Ctx<'_>) -> Outcome {
    named_list(ctx, &ctx.ds.sources)
}

/// Bare array; `id` comes as a STRING (noted by invgo). Paginated like newer versions: without
/// `page` only the first 20 come back, so clients must page until a short page.
pub fn categories(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.uint("id")?;
    let page = p.uint("page")?.unwrap_or(1).max(1);
    let size = p
        .uint("page_size")?
        .unwrap_or(CATEGORY_PAGE)
        .clamp(1, CATEGORY_PAGE_MAX);
    let search = p
        .get("search")
        .map(str::to_lowercase)
        .filter(|s| !s.is_empty());
    let skip = usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let list: Vec<Value> = ctx
        .ds
        .categories
        .iter()
        .filter(|c| id.is_none_or(|id| c.id == id))
        .filter(|c| search.as_ref().is_none_or(|s| c.name.to_lowercase().contains(s)))
        .skip(skip)
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .map(|c| json!({ "id": c.id.to_string(), "name": c.name, "parent_category_id": c.parent_id }))
        .collect();
    Ok(Value::Array(list))
}

fn visible(h: &HelpDesk, include_deleted: bool) -> bool {
    include_deleted || !h.deleted
}

/// Top-level desks only.
pub fn helpdesks(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.uint("id")?;
    let name = p.get("name").filter(|n| !n.is_empty());
    let include_deleted = p.flag("include_deleted")?;
    let list: Vec<Value> = ctx
        .ds
        .helpdesks
        .iter()
        .filter(|h| h.parent_id.is_none() && visible(h, include_deleted))
        .filter(|h| id.is_none_or(|id| h.id == id))
        .filter(|h| name.is_none_or(|n| h.name.eq_ignore_ascii_case(n)))
        .map(|h| {
            json!({
                "id": h.id, "name": h.name, "parent_id": h.parent_id, "status_id": h.status_id,
                "engine_id": h.engine_id, "total_members": h.members.len(),
            })
        })
        .collect();
    Ok(Value::Array(list))
}

/// Desks (parent_id null, level_order null) and levels (parent_id = desk id).
pub fn helpdesks_and_levels(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.uint("id")?;
    let include_deleted = p.flag("include_deleted")?;
    let list: Vec<Value> = ctx
        .ds
        .helpdesks
        .iter()
        .filter(|h| visible(h, include_deleted) && id.is_none_or(|id| h.id == id))
        .map(|h| {
            json!({
                "id": h.id, "parent_id": h.parent_id, "name": h.name, "level_order": h.level_order,
                "status_id": h.status_id, "engine_id": h.engine_id, "members_ids": h.members,
                "total_members": h.members.len(),
            })
        })
        .collect();
    Ok(Value::Array(list))
}

/// Levels only. Quirk: `include_deleted` defaults to TRUE here. With `id`, one object.
pub fn levels(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.uint("id")?;
    let include_deleted = if p.has("include_deleted") {
        p.flag("include_deleted")?
    } else {
        true
    };
    let render = |h: &HelpDesk| {
        json!({
            "id": h.id, "level_order": h.level_order, "engine_id": h.engine_id,
            "status_id": h.status_id, "total_members": h.members.len(), "members_ids": h.members,
        })
    };
    let mut levels = ctx
        .ds
        .helpdesks
        .iter()
        .filter(|h| h.parent_id.is_some() && visible(h, include_deleted));
    match id {
        Some(id) => Ok(levels
            .find(|h| h.id == id)
            .map_or_else(|| json!([]), render)),
        None => Ok(Value::Array(levels.map(render).collect())),
    }
}

pub fn user_json(u: &User) -> Value {
    json!({
        "id": u.id, "name": u.name, "lastname": u.lastname, "username": u.username,
        "email": u.email, "other_email": "", "type": u.kind, "user_type": u.user_type,
        "role_name": u.role_name, "is_external": u.is_external, "is_disabled": u.is_disabled,
        "is_deleted": u.is_deleted, "manager_id": u.manager_id, "position": u.position,
        "department": u.department, "location": u.location, "city": u.city, "country": u.country,
        "phone": u.phone, "mobile": u.mobile, "office": "", "fax": "", "other": "",
        "employee_number": u.employee_number, "address": "", "birthday": null, "doc": "",
    })
}

/// `ids[]` optional (all users without it); disabled users only with `include_disabled`.
pub fn users(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let ids = p.uint_array("ids")?;
    let include_disabled = p.flag("include_disabled")?;
    let list: Vec<Value> = ctx
        .ds
        .users
        .iter()
        .filter(|u| !u.is_deleted && (include_disabled || !u.is_disabled))
        .filter(|u| ids.as_ref().is_none_or(|ids| ids.contains(&u.id)))
        .map(user_json)
        .collect();
    Ok(Value::Array(list))
}

pub fn user(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.require_uint("id")?;
    let include_disabled = p.flag("include_disabled")?;
    ctx.ds
        .user(id)
        .filter(|u| !u.is_deleted && (include_disabled || !u.is_disabled))
        .map(user_json)
        .ok_or_else(|| ApiError::Logical("The user does not exist.".into()))
}

/// `username` and/or `email` (at least one; matched exactly, the email ignoring case). Like the
/// other "one of these" lookups (`incidents.by.agent`), neither is a logical error, not a 428.
/// Answers the user object as `user` does.
pub fn user_by(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let username = p.text("username");
    let email = p.text("email");
    if username.is_none() && email.is_none() {
        return Err(ApiError::Logical(
            "A username or an email must be provided.".into(),
        ));
    }
    let include_disabled = p.flag("include_disabled")?;
    ctx.ds
        .users
        .iter()
        .filter(|u| !u.is_deleted && (include_disabled || !u.is_disabled))
        .find(|u| {
            username.is_none_or(|name| u.username == name)
                && email.is_none_or(|email| u.email.eq_ignore_ascii_case(email))
        })
        .map(user_json)
        .ok_or_else(|| ApiError::Logical("The user does not exist.".into()))
}

/// `uid` is an INTEGER per the reference; `categories` is typed STRING there, so the simulator
/// sends the category ids comma-separated (empty string = every category).
/// `[{id, name, total}]` (`total`: how many users the group has); `id` keeps one group,
/// `name` those whose name contains it (case ignored).
pub fn groups(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let id = p.uint("id")?;
    let name = p.text("name").map(str::to_lowercase);
    let list = ctx
        .ds
        .groups
        .iter()
        .filter(|g| id.is_none_or(|id| g.id == id))
        .filter(|g| {
            name.as_ref()
                .is_none_or(|n| g.name.to_lowercase().contains(n))
        })
        .map(|g| json!({ "id": g.id, "name": g.name, "total": g.members.len() }))
        .collect();
    Ok(Value::Array(list))
}

pub fn custom_fields(ctx: &Ctx<'_>) -> Outcome {
    let list: Vec<Value> = ctx
        .ds
        .custom_fields
        .iter()
        .map(|cf| {
            let categories: Vec<String> = cf.category_ids.iter().map(u64::to_string).collect();
            json!({
                "uid": cf.uid, "label": cf.label, "description": cf.description,
                "type": cf.field_type, "categories": categories.join(","), "is_required": cf.is_required,
            })
        })
        .collect();
    Ok(Value::Array(list))
}

/// `[{uid}]` of the fields that apply to `category_id` (some clients send `id`).
pub fn custom_fields_by_category(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let category = match p.uint("category_id")? {
        Some(id) => id,
        None => p.uint("id")?.ok_or_else(|| missing("category_id"))?,
    };
    let list: Vec<Value> = ctx
        .ds
        .custom_fields
        .iter()
        .filter(|cf| cf.category_ids.is_empty() || cf.category_ids.contains(&category))
        .map(|cf| json!({ "uid": cf.uid }))
        .collect();
    Ok(Value::Array(list))
}

/// The simulator's own type vocabulary (the reference lists the endpoint, not the values).
pub fn custom_field_types(_ctx: &Ctx<'_>) -> Outcome {
    let names = [
        "Text",
        "Text area",
        "List",
        "Tree",
        "Number",
        "Date",
        "Checkbox",
        "User",
        "CI",
        "File",
    ];
    Ok(Value::Array(
        (1..)
            .zip(names)
            .map(|(id, name)| json!({ "id": id, "name": name }))
            .collect(),
    ))
}
