//! Wire → domain for Truto: every vendor string becomes a [`SafeText`] here, once. Statuses,
//! priorities and types come from the account's own lists (their kind read from their words:
//! "Solved", "Waiting for customer"…, or Truto's normalized name on the ticket); people from
//! `/users`; integrated accounts become the picker's choices, with what is wrong said plainly.

use serde_json::Value;

use super::wire::{AccountWire, CommentWire, NamedWire, PersonWire, TicketWire};
use crate::domain::{
    AccountChoice, Catalog, Comment, Named, Person, Priority, Status, StatusId, StatusKind, Ticket,
    TicketDetail, TicketId, UserId, Visibility,
};
use crate::provider::mapping::{due_field, field, text, timestamp};
use crate::text::{SafeText, has_hidden_controls};

/// An id as an integration sends it, safe to draw and to put in a path or query.
pub fn id(raw: &str) -> Option<&str> {
    crate::provider::elements::safe_id(raw)
}

/// What a status's words say about the work. Truto's normalized names (`open`, `pending`,
/// `resolved`, `closed`…) and the remote names integrations use alike.
pub fn kind_of(words: &str) -> StatusKind {
    let w = words.to_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| w.contains(n));
    if has(&[
        "closed",
        "done",
        "completed",
        "archived",
        "deleted",
        "spam",
        "cancel",
        "reject",
    ]) {
        StatusKind::Closed
    } else if has(&["solved", "resolved"]) {
        StatusKind::Resolved
    } else if has(&[
        "pending",
        "hold",
        "waiting for customer",
        "awaiting",
        "paused",
    ]) {
        StatusKind::Waiting
    } else if w.trim() == "new" {
        StatusKind::New
    } else {
        StatusKind::Open
    }
}

/// The account's statuses (`/ticket_status`). Truto lists no kind: it is read from the name.
pub fn status(wire: &NamedWire) -> Option<Status> {
    let name = text(wire.name.as_deref()).unwrap_or_else(|| SafeText::line(&wire.id));
    Some(Status {
        id: StatusId::from(id(&wire.id)?),
        kind: kind_of(name.as_str()),
        name,
    })
}

/// Truto's unified statuses, for an account that does not list its own.
pub fn unified_statuses() -> Vec<Status> {
    [
        ("open", "Open"),
        ("pending", "Pending"),
        ("resolved", "Resolved"),
        ("closed", "Closed"),
    ]
    .into_iter()
    .map(|(id, name)| Status {
        id: StatusId::from(id),
        name: SafeText::ours(name),
        kind: kind_of(id),
    })
    .collect()
}

/// Priorities in the order listed; rank spread over 1…5, the last the most urgent unless the
/// names say the list runs the other way ("Highest" first, as Jira lists them).
pub fn priorities(wires: &[NamedWire]) -> Vec<Priority> {
    let n = wires.len().max(1);
    let urgent_first = wires
        .first()
        .and_then(|w| w.name.as_deref())
        .is_some_and(|name| {
            let name = name.to_lowercase();
            name.contains("highest") || name.contains("urgent") || name.contains("critical")
        });
    wires
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let position = if urgent_first { n - 1 - i } else { i };
            Some(Priority {
                id: id(&w.id)?.to_string(),
                name: text(w.name.as_deref()).unwrap_or_else(|| SafeText::line(&w.id)),
                rank: (1 + position * 4 / (n - 1).max(1)).min(5) as u8,
            })
        })
        .collect()
}

pub fn named(wire: &NamedWire) -> Option<Named> {
    Some(Named {
        id: id(&wire.id)?.to_string(),
        name: text(wire.name.as_deref()).unwrap_or_else(|| SafeText::line(&wire.id)),
    })
}

fn full_name(p: &PersonWire) -> Option<SafeText> {
    let parts = [p.first_name.as_deref(), p.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    text(p.name.as_deref())
        .or_else(|| text(Some(&parts)))
        .or_else(|| text(p.username.as_deref()))
        .or_else(|| text(email(p)))
}

fn email(p: &PersonWire) -> Option<&str> {
    p.emails.as_ref()?.iter().find_map(|e| e.email.as_deref())
}

pub fn person(wire: &PersonWire) -> Option<Person> {
    let is_agent = wire.roles.as_ref().is_some_and(|roles| {
        roles.iter().any(|r| {
            let words =
                format!("{} {}", r.id, r.name.as_deref().unwrap_or_default()).to_lowercase();
            words.contains("agent") || words.contains("admin") || words.contains("support")
        })
    }) || wire.kind.as_deref() == Some("user");
    Some(Person {
        id: UserId::from(id(&wire.id)?),
        name: full_name(wire).unwrap_or_else(|| SafeText::ours("(unnamed user)")),
        email: text(email(wire)),
        is_agent,
    })
}

fn someone(wire: &PersonWire, catalog: &Catalog) -> Option<Named<UserId>> {
    let uid = id(&wire.id)?;
    let name = catalog
        .person(uid)
        .map(|p| p.name.clone())
        .or_else(|| full_name(wire))?;
    Some(Named {
        id: UserId::from(uid),
        name,
    })
}

/// The ticket's status through the catalog; one the catalog does not know keeps its id as
/// name (or Truto's normalized name) and its kind from those words.
fn ticket_status(wire: Option<&NamedWire>, catalog: &Catalog) -> Status {
    let Some(wire) = wire else {
        return Status {
            id: StatusId::from("unknown"),
            name: SafeText::ours("(no status)"),
            kind: StatusKind::Open,
        };
    };
    if let Some(known) = id(&wire.id).and_then(|i| catalog.status(i)) {
        return known.clone();
    }
    let words = wire.name.as_deref().unwrap_or(&wire.id);
    Status {
        id: StatusId::from(id(&wire.id).unwrap_or("unknown")),
        name: text(Some(words)).unwrap_or_else(|| SafeText::ours("(no status)")),
        kind: kind_of(words),
    }
}

/// One row; `None` for a ticket without a usable id (it could not be opened).
pub fn ticket(wire: &TicketWire, catalog: &Catalog) -> Option<Ticket> {
    let tid = id(&wire.id)?;
    let priority = wire.priority.as_ref().and_then(|p| {
        let pid = id(&p.id)?;
        catalog.priority(pid).cloned().or_else(|| {
            Some(Priority {
                id: pid.to_string(),
                name: text(p.name.as_deref())?,
                rank: 3,
            })
        })
    });
    let customer = wire
        .contact
        .as_ref()
        .or(wire.created_by.as_ref())
        .and_then(|p| someone(p, catalog));
    let agent = wire
        .assignees
        .as_ref()
        .and_then(|a| a.first())
        .and_then(|p| someone(p, catalog));
    let display = wire
        .number
        .as_deref()
        .and_then(id)
        .unwrap_or(tid)
        .to_string();
    Some(Ticket {
        id: TicketId::from(tid),
        display_id: SafeText::line(&format!("#{display}")),
        title: text(wire.name.as_deref()).unwrap_or_else(|| SafeText::ours("(no title)")),
        status: ticket_status(wire.status.as_ref(), catalog),
        priority,
        kind: wire.kind.as_ref().and_then(named),
        category: None,
        customer,
        agent,
        help_desk: None,
        created_at: timestamp(wire.created_at.as_deref()),
        updated_at: timestamp(wire.updated_at.as_deref()),
        closed_at: None,
    })
}

pub fn comment(wire: &CommentWire, catalog: &Catalog) -> Option<Comment> {
    let body = match (wire.body.as_deref(), wire.html_body.as_deref()) {
        (Some(plain), _) if !plain.trim().is_empty() => SafeText::block(plain),
        (_, Some(html)) => SafeText::from_html(html),
        _ => SafeText::default(),
    };
    Some(Comment {
        id: id(&wire.id)?.to_string(),
        author: wire.author.as_ref().and_then(|p| someone(p, catalog)),
        created_at: timestamp(wire.created_at.as_deref()),
        body,
        visibility: if wire.is_private == Some(true) {
            Visibility::Internal
        } else {
            Visibility::Public
        },
        is_solution: false,
    })
}

/// Everything the Detail pane shows: the description, the thread oldest first, and the fields
/// Truto's unified ticket has beyond the row (type, team, workspace, due date).
pub fn detail(
    wire: &TicketWire,
    comments: Vec<Comment>,
    integration: &str,
    catalog: &Catalog,
) -> Option<TicketDetail> {
    let ticket = ticket(wire, catalog)?;
    let mut fields = vec![field("integration", "Via", SafeText::line(integration))];
    if let Some(kind) = &ticket.kind {
        fields.push(field("type", "Type", kind.name.clone()));
    }
    for (key, label, named) in [
        ("team", "Team", wire.team.as_ref()),
        ("workspace", "Workspace", wire.workspace.as_ref()),
    ] {
        if let Some(name) = named.and_then(|n| text(n.name.as_deref())) {
            fields.push(field(key, label, name));
        }
    }
    if let Some(due) = timestamp(wire.due_date.as_deref()) {
        fields.push(due_field("due_date", due));
    }
    let raw = [wire.name.as_deref(), wire.description.as_deref()];
    let mut comments = comments;
    comments.sort_by_key(|c| c.created_at);
    Some(TicketDetail {
        had_hidden_controls: raw.into_iter().flatten().any(has_hidden_controls),
        ticket,
        description: wire
            .description
            .as_deref()
            .map(SafeText::block)
            .unwrap_or_default(),
        comments,
        custom_fields: fields,
        links: Vec::new(),
        approvals: Vec::new(),
        partial: Vec::new(),
    })
}

/// "Zendesk" for `zendesk`, "Jira" for `jira`: the integration's slug in words.
pub fn integration_name(slug: &str) -> String {
    let known = [
        ("zendesk", "Zendesk"),
        ("jira", "Jira"),
        ("freshdesk", "Freshdesk"),
        ("freshservice", "Freshservice"),
        ("servicenow", "ServiceNow"),
        ("helpscout", "Help Scout"),
        ("intercom", "Intercom"),
        ("zohodesk", "Zoho Desk"),
        ("github", "GitHub"),
        ("linear", "Linear"),
    ];
    known
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or_else(|| slug.to_string(), |(_, name)| (*name).to_string())
}

/// Where the account lives (`acme.zendesk.com`), from its context, when it says.
fn place(context: Option<&Value>) -> Option<String> {
    let context = context?.as_object()?;
    ["subdomain", "instance_url", "domain", "site"]
        .iter()
        .find_map(|k| context.get(*k)?.as_str().map(str::to_string))
}

/// The account as the picker lists it, with why it cannot be used when it cannot.
pub fn choice(wire: &AccountWire) -> Option<AccountChoice> {
    let aid = id(&wire.id)?;
    let slug = wire
        .integration
        .as_ref()
        .and_then(|i| i.name.as_deref())
        .unwrap_or("unknown");
    let vendor = integration_name(slug);
    let mut label = vendor.clone();
    if let Some(place) = place(wire.context.as_ref()).or_else(|| wire.tenant_id.clone()) {
        label = format!("{label} · {place}");
    }
    let status = wire.status.as_deref().unwrap_or("unknown");
    let last_error = match &wire.last_error {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Object(o)) => o.get("message").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let (state, problem) = match status {
        "active" => ("active", None),
        "needs_reauth" => (
            "needs re-authorisation",
            Some(format!(
                "the {vendor} connection must be re-authorised in Truto before ttydesk can read it{}",
                last_error
                    .map(|e| format!(" (last error: {e})"))
                    .unwrap_or_default()
            )),
        ),
        "connecting" => (
            "still connecting",
            Some(format!(
                "the {vendor} connection is still being set up in Truto"
            )),
        ),
        "post_install_error" | "validation_error" => (
            "connection failed",
            Some(format!(
                "the {vendor} connection failed its checks in Truto{}",
                last_error.map(|e| format!(": {e}")).unwrap_or_default()
            )),
        ),
        _ => (
            "unknown state",
            Some(format!("Truto reports the {vendor} account as {status}")),
        ),
    };
    let sandbox = wire.is_sandbox == Some(true);
    Some(AccountChoice {
        id: aid.to_string(),
        label: SafeText::line(&if sandbox {
            format!("{label} (sandbox)")
        } else {
            label
        }),
        state: SafeText::ours(state),
        problem: problem.map(|p| SafeText::line(&p)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_say_what_the_work_is() {
        assert_eq!(kind_of("Solved"), StatusKind::Resolved);
        assert_eq!(kind_of("On-hold"), StatusKind::Waiting);
        assert_eq!(kind_of("Waiting for customer"), StatusKind::Waiting);
        assert_eq!(kind_of("Waiting for support"), StatusKind::Open);
        assert_eq!(kind_of("New"), StatusKind::New);
        assert_eq!(kind_of("closed"), StatusKind::Closed);
    }

    #[test]
    fn priorities_rank_low_to_urgent_whichever_way_they_are_listed() {
        let list = |names: &[&str]| -> Vec<NamedWire> {
            names
                .iter()
                .map(|n| NamedWire {
                    id: n.to_lowercase(),
                    name: Some((*n).to_string()),
                })
                .collect()
        };
        let zendesk = priorities(&list(&["Low", "Normal", "High", "Urgent"]));
        assert_eq!(zendesk.first().map(|p| p.rank), Some(1));
        assert_eq!(zendesk.last().map(|p| p.rank), Some(5));
        let jira = priorities(&list(&["Highest", "High", "Medium", "Low", "Lowest"]));
        assert_eq!(jira.first().map(|p| p.rank), Some(5));
        assert_eq!(jira.last().map(|p| p.rank), Some(1));
    }

    #[test]
    fn ids_that_could_carry_a_path_or_a_control_are_refused() {
        assert_eq!(id(" 4101 "), Some("4101"));
        assert_eq!(id("../admin"), None);
        assert_eq!(id("a\u{1b}b"), None);
        assert_eq!(id(""), None);
    }
}
