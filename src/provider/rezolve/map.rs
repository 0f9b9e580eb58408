//! Wire → domain for Rezolve: every vendor string becomes a [`SafeText`] here, once. Teams are
//! the help desks, the directory's people the catalog's, and the five documented ticket
//! statuses (`open`, `in_progress`, `on_hold`, `resolved`, `closed`) its statuses; a status or
//! priority the tenant adds later is shown by its own words.

use super::wire::{PersonRef, TicketWire, UserWire};
use crate::domain::{
    Catalog, DeskId, HelpDesk, Named, Person, Priority, Status, StatusId, StatusKind, Ticket,
    TicketDetail, TicketId, UserId,
};
use crate::provider::mapping::{self, due_field, field, text, timestamp};
use crate::text::{SafeText, has_hidden_controls};

const STATUSES: [(&str, &str, StatusKind); 5] = [
    ("open", "Open", StatusKind::New),
    ("in_progress", "In progress", StatusKind::Open),
    ("on_hold", "On hold", StatusKind::Waiting),
    ("resolved", "Resolved", StatusKind::Resolved),
    ("closed", "Closed", StatusKind::Closed),
];

const PRIORITIES: [(&str, &str, u8); 5] = [
    ("low", "Low", 1),
    ("medium", "Medium", 3),
    ("high", "High", 4),
    ("urgent", "Urgent", 5),
    ("critical", "Critical", 5),
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

pub fn priorities() -> Vec<Priority> {
    PRIORITIES
        .iter()
        .map(|(id, name, rank)| Priority {
            id: (*id).to_string(),
            name: SafeText::ours(*name),
            rank: *rank,
        })
        .collect()
}

/// An id as Rezolve sends it (opaque: the documentation's own examples are not valid UUIDs),
/// safe to draw and to put in a filter.
pub fn id(raw: &str) -> Option<&str> {
    crate::provider::elements::safe_id(raw)
}

pub fn person(u: &UserWire) -> Option<Person> {
    let full = [u.first_name.as_deref(), u.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Person {
        id: UserId::from(id(&u.id)?),
        name: text(Some(&full))
            .or_else(|| text(u.username.as_deref()))
            .or_else(|| text(u.email.as_deref()))
            .unwrap_or_else(|| SafeText::ours("(unnamed user)")),
        email: text(u.email.as_deref()),
        is_agent: u.kind.as_deref() == Some("agent"),
    })
}

/// Every team an agent is in (or defaults to), each a help desk, its agents as members.
pub fn desks(agents: &[UserWire]) -> Vec<HelpDesk> {
    let mut desks: Vec<HelpDesk> = Vec::new();
    for a in agents {
        let Some(uid) = id(&a.id) else { continue };
        for team in a.teams.iter().chain(a.default_team.iter()) {
            let Some(tid) = id(team) else { continue };
            match desks.iter_mut().find(|d| d.id == tid) {
                Some(d) => {
                    if !d.members.iter().any(|m| m == uid) {
                        d.members.push(UserId::from(uid));
                    }
                }
                None => desks.push(HelpDesk {
                    id: DeskId::from(tid),
                    name: team_name(tid),
                    parent_id: None,
                    level_order: None,
                    members: vec![UserId::from(uid)],
                }),
            }
        }
    }
    desks.sort_by_key(|d| d.name.to_string().to_lowercase());
    desks
}

/// `it` → "IT", `facilities` → "Facilities": a team's key in words.
fn team_name(key: &str) -> SafeText {
    let words: Vec<String> = key
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.len() <= 2 {
                w.to_uppercase()
            } else {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        })
        .collect();
    SafeText::line(&words.join(" "))
}

fn someone(r: &PersonRef, catalog: &Catalog) -> Option<Named<UserId>> {
    let uid = r.id.as_deref().and_then(id);
    let name = uid
        .and_then(|u| catalog.person(u))
        .map(|p| p.name.clone())
        .or_else(|| text(r.name.as_deref()))
        .or_else(|| text(r.email.as_deref()))?;
    Some(Named {
        id: UserId::from(uid.unwrap_or_default()),
        name,
    })
}

pub fn ticket(w: &TicketWire, catalog: &Catalog) -> Option<Ticket> {
    let tid = id(&w.id)?;
    let priority = w.priority.as_deref().map(str::trim).and_then(|p| {
        catalog.priority(p).cloned().or_else(|| {
            // A priority Rezolve does not document: its cleaned name is its id too.
            let name = text(Some(p))?;
            Some(Priority {
                id: name.as_str().to_string(),
                name,
                rank: 3,
            })
        })
    });
    let help_desk = w.team.as_deref().and_then(id).map(|team| Named {
        id: DeskId::from(team),
        name: catalog
            .help_desk(team)
            .map_or_else(|| team_name(team), |d| d.name.clone()),
    });
    Some(Ticket {
        id: TicketId::from(tid),
        display_id: w.ticket_number.as_deref().and_then(id).map_or_else(
            || SafeText::ours(tid.split('-').next().unwrap_or(tid).to_string()),
            SafeText::line,
        ),
        title: text(w.subject.as_deref()).unwrap_or_else(|| SafeText::ours("(no subject)")),
        status: mapping::status(w.status.as_deref(), catalog, statuses()),
        priority,
        kind: None,
        category: text(w.category.as_deref()).map(|name| Named {
            id: name.as_str().to_string(),
            name,
        }),
        customer: w.requester.as_ref().and_then(|r| someone(r, catalog)),
        agent: w.assignee.as_ref().and_then(|r| someone(r, catalog)),
        help_desk,
        created_at: timestamp(w.created_at.as_deref()),
        updated_at: timestamp(w.updated_at.as_deref()),
        closed_at: None,
    })
}

/// The detail: the description, and category, subcategory, team, SLA and due date as fields.
/// Rezolve's public API has no comment thread.
pub fn detail(w: &TicketWire, catalog: &Catalog) -> Option<TicketDetail> {
    let ticket = ticket(w, catalog)?;
    let mut fields = Vec::new();
    if let Some(team) = &ticket.help_desk {
        fields.push(field("team", "Team", team.name.clone()));
    }
    for (key, label, value) in [
        ("category", "Category", w.category.as_deref()),
        ("subcategory", "Subcategory", w.subcategory.as_deref()),
        ("slaStatus", "SLA", w.sla_status.as_deref()),
    ] {
        if let Some(v) = text(value) {
            let v = if key == "slaStatus" {
                SafeText::line(&v.as_str().replace('_', " "))
            } else {
                v
            };
            fields.push(field(key, label, v));
        }
    }
    if let Some(due) = timestamp(w.due_date.as_deref()) {
        fields.push(due_field("dueDate", due));
    }
    let raw = [w.subject.as_deref(), w.description.as_deref()];
    Some(TicketDetail {
        had_hidden_controls: raw.into_iter().flatten().any(has_hidden_controls),
        ticket,
        description: w
            .description
            .as_deref()
            .map(SafeText::block)
            .unwrap_or_default(),
        comments: Vec::new(),
        custom_fields: fields,
        links: Vec::new(),
        approvals: Vec::new(),
        partial: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_keys_read_as_names() {
        assert_eq!(team_name("it").as_str(), "IT");
        assert_eq!(team_name("facilities").as_str(), "Facilities");
        assert_eq!(team_name("field_ops").as_str(), "Field Ops");
    }
}
