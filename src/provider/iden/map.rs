//! Wire → domain for Iden: every vendor string becomes a [`SafeText`] here, once. The five
//! ticket statuses become the catalog's statuses, each app a pseudo help desk, each user a
//! person; a ticket carries its app's name and its requester's email itself, so a catalog that
//! could not be loaded only costs nicer names.

use super::wire::{AppWire, TicketWire, UserWire};
use crate::domain::{
    Catalog, DeskId, HelpDesk, Named, Person, Status, StatusId, StatusKind, Ticket, TicketDetail,
    TicketId, UserId,
};
use crate::provider::mapping::{self, field, text, timestamp};
use crate::text::{SafeText, has_hidden_controls};

/// The only status in which a ticket still needs someone: it waits for its reviewers.
pub const PENDING: &str = "PENDING";

/// Iden's `ticket_status` values, their names and what they mean for the work. PENDING is the
/// only open one: it is New, the reviewers' to decide (drawn as work to pick up); the other four
/// are finished, whatever the outcome.
const STATUSES: [(&str, &str, StatusKind); 5] = [
    (PENDING, "Pending approval", StatusKind::New),
    ("APPROVED", "Approved", StatusKind::Closed),
    ("REJECTED", "Rejected", StatusKind::Closed),
    ("EXPIRED", "Expired", StatusKind::Closed),
    ("CANCELED", "Canceled", StatusKind::Closed),
];

pub fn statuses() -> Vec<Status> {
    STATUSES
        .iter()
        .map(|(id, name, kind)| Status {
            id: StatusId::from(*id),
            name: SafeText::ours(*name),
            kind: *kind,
        })
        .collect()
}

/// An id as Iden sends it (a UUID): letters, digits and dashes only, so it can be drawn and put
/// in a path as is. Anything else is refused: a hostile server cannot smuggle controls in.
pub fn id(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    (!raw.is_empty()
        && raw.len() <= 64
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    .then_some(raw)
}

pub fn desk(app: &AppWire) -> Option<HelpDesk> {
    Some(HelpDesk {
        id: DeskId::from(id(&app.external_uuid)?),
        name: app_name(app),
        parent_id: None,
        level_order: None,
        members: Vec::new(),
    })
}

fn app_name(app: &AppWire) -> SafeText {
    text(app.name.as_deref())
        .or_else(|| text(app.connection.as_ref()?.display_name.as_deref()))
        .unwrap_or_else(|| SafeText::ours("(unnamed app)"))
}

pub fn person(user: &UserWire) -> Option<Person> {
    let full = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = text(Some(&full))
        .or_else(|| text(user.username.as_deref()))
        .or_else(|| text(user.email.as_deref()))
        .unwrap_or_else(|| SafeText::ours("(unnamed user)"));
    Some(Person {
        id: UserId::from(id(&user.external_uuid)?),
        name,
        email: text(user.email.as_deref()),
        // Iden's users are the organisation's people; who reviews is not in the public API.
        is_agent: false,
    })
}

/// One row; `None` for a ticket without a usable id (it could not be opened).
pub fn ticket(wire: &TicketWire, catalog: &Catalog) -> Option<Ticket> {
    let uuid = id(&wire.external_uuid)?;
    let customer = wire.requester.as_ref().and_then(|r| {
        let uuid = r.external_uuid.as_deref().and_then(id);
        let known = uuid.and_then(|u| catalog.person(u)).map(|p| p.name.clone());
        let name = known.or_else(|| text(r.email.as_deref()))?;
        Some(Named {
            id: UserId::from(uuid.unwrap_or_default()),
            name,
        })
    });
    let help_desk = wire.app.as_ref().and_then(|app| {
        let uuid = id(&app.external_uuid)?;
        let name = catalog
            .help_desk(uuid)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| app_name(app));
        Some(Named {
            id: DeskId::from(uuid),
            name,
        })
    });
    Some(Ticket {
        id: TicketId::from(uuid),
        // The first block of the UUID is what fits in a column and still tells rows apart.
        display_id: SafeText::ours(uuid.split('-').next().unwrap_or(uuid).to_string()),
        title: text(wire.label.as_deref()).unwrap_or_else(|| SafeText::ours("(no label)")),
        status: mapping::status(wire.ticket_status.as_deref(), catalog, statuses()),
        priority: None,
        kind: text(wire.kind.as_deref()).map(|name| Named {
            id: name.as_str().to_string(),
            name,
        }),
        category: None,
        customer,
        agent: None,
        help_desk,
        // Iden says when the access starts and ends, not when the request was made.
        created_at: None,
        updated_at: None,
        closed_at: None,
    })
}

fn when(raw: Option<&str>) -> Option<SafeText> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    Some(match timestamp(Some(raw)) {
        Some(t) => SafeText::ours(t.format("%Y-%m-%d %H:%M UTC").to_string()),
        // Shown as sent rather than dropped: the agent may still make sense of it.
        None => SafeText::line(raw),
    })
}

/// Everything the Detail pane shows: the label as title, the initial comment as description,
/// and app, target account, requester and access window as fields. Iden has no comment thread.
pub fn detail(wire: &TicketWire, catalog: &Catalog) -> Option<TicketDetail> {
    let ticket = ticket(wire, catalog)?;
    let mut fields = Vec::new();
    if let Some(app) = &ticket.help_desk {
        fields.push(field("app", "App", app.name.clone()));
    }
    if let Some(connection) = wire
        .app
        .as_ref()
        .and_then(|a| a.connection.as_ref())
        .and_then(|c| {
            text(c.display_name.as_deref()).or_else(|| text(c.unique_identifier.as_deref()))
        })
    {
        fields.push(field("connection", "Connection", connection));
    }
    if let Some(account) = wire
        .app_user
        .as_ref()
        .and_then(|u| text(u.email.as_deref()))
    {
        fields.push(field("app_user", "Account", account));
    }
    if let Some(email) = wire
        .requester
        .as_ref()
        .and_then(|r| text(r.email.as_deref()))
    {
        fields.push(field("requester", "Requester email", email));
    }
    if let Some(start) = when(wire.start_time.as_deref()) {
        fields.push(field("start_time", "Access from", start));
    }
    fields.push(field(
        "end_time",
        "Access until",
        when(wire.end_time.as_deref()).unwrap_or_else(|| SafeText::ours("no end date")),
    ));
    let raw_texts = [
        wire.label.as_deref(),
        wire.initial_comment.as_deref(),
        wire.kind.as_deref(),
        wire.app.as_ref().and_then(|a| a.name.as_deref()),
        wire.requester.as_ref().and_then(|r| r.email.as_deref()),
        wire.app_user.as_ref().and_then(|u| u.email.as_deref()),
    ];
    Some(TicketDetail {
        ticket,
        description: wire
            .initial_comment
            .as_deref()
            .map(SafeText::block)
            .unwrap_or_default(),
        comments: Vec::new(),
        custom_fields: fields,
        links: Vec::new(),
        approvals: Vec::new(),
        partial: Vec::new(),
        had_hidden_controls: raw_texts.into_iter().flatten().any(has_hidden_controls),
    })
}

/// A pending access request as the decision it waits for: what is asked (the label), for whom
/// (the requester), on which app and account, for how long. Iden's API does not name the
/// reviewers, so there are no voters; a decided request is no approval waiting.
pub fn approval(detail: &TicketDetail) -> Option<crate::domain::Approval> {
    use crate::domain::{Approval, ApprovalKind, ApprovalStatus};
    let t = &detail.ticket;
    if t.status.id.as_str() != PENDING {
        return None;
    }
    let field = |id: &str| {
        detail
            .custom_fields
            .iter()
            .find(|f| f.field_id == id)
            .map(|f| f.value.to_string())
    };
    let mut about = Vec::new();
    if let Some(app) = &t.help_desk {
        about.push(app.name.to_string());
    }
    if let Some(account) = field("app_user") {
        about.push(format!("for {account}"));
    }
    match field("end_time") {
        Some(until) if until != "no end date" => about.push(format!("until {until}")),
        Some(_) => about.push("no end date".into()),
        None => {}
    }
    if !detail.description.is_empty() {
        about.push(format!(
            "\u{201c}{}\u{201d}",
            detail.description.as_str().trim()
        ));
    }
    Some(Approval {
        id: t.id.to_string(),
        ticket: t.id.clone(),
        status: ApprovalStatus::Waiting,
        status_name: Some(t.status.name.clone()),
        kind: ApprovalKind::Other,
        kind_name: Some(SafeText::ours("access request")),
        description: SafeText::line(&about.join(" \u{b7} ")),
        author: t.customer.clone(),
        // When the access would start: what a reviewer weighs first.
        created_at: t.created_at.or_else(|| {
            field("start_time").and_then(|raw| {
                chrono::NaiveDateTime::parse_from_str(&raw, "%Y-%m-%d %H:%M UTC")
                    .ok()
                    .map(|n| n.and_utc())
            })
        }),
        voters: Vec::new(),
        voters_error: None,
    })
}
