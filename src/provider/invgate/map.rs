//! Wire → domain for reference data and ticket rows: every vendor string becomes a
//! [`SafeText`] here, once; ids are resolved to names through the [`Catalog`], and ids the catalog
//! does not know get a neutral placeholder name instead of failing the row.

use crate::domain::{
    Catalog, CustomFieldDef, DeskId, HelpDesk, Named, Person, Priority, Status, StatusId,
    StatusKind, Ticket, TicketId, UserId,
};
use crate::text::SafeText;

use super::wire::{CategoryWire, CustomFieldWire, HelpDeskWire, IncidentWire, NamedWire, UserWire};

/// What a status means, from its (possibly localized, instance-defined) name. Checked from the
/// most final meaning down, so "Closed – waiting for survey" is Closed, not Waiting.
pub fn status_kind(name: &str) -> StatusKind {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |stems: &[&str]| words.iter().any(|w| stems.iter().any(|s| w.starts_with(s)));
    if has(&[
        "close", "reject", "cancel", "cerrad", "rechazad", "fechad", "rejeitad",
    ]) {
        StatusKind::Closed
    } else if has(&["resolved", "solved", "resuelt", "solucionad", "resolvid"]) {
        StatusKind::Resolved
    } else if has(&["waiting", "pending", "pendient", "esperando", "aguardando"])
        || lower.contains("on hold")
        || lower.contains("en espera")
    {
        StatusKind::Waiting
    } else if words
        .iter()
        .any(|w| matches!(*w, "new" | "nuevo" | "nueva" | "novo" | "nova"))
    {
        StatusKind::New
    } else {
        StatusKind::Open
    }
}

/// Name of an attribute, or "<what> <id>" when the server sent none.
/// The name as cleaned, or "{what} {id}" when it is missing or nothing visible is left of it
/// (a name of Hangul fillers or zero-width spaces is drawn as "User 12", never as a blank).
fn name_or(name: Option<&str>, what: &str, id: &str) -> SafeText {
    name.map(SafeText::line)
        .filter(|n| !n.as_str().trim().is_empty())
        .unwrap_or_else(|| SafeText::line(&format!("{what} {id}")))
}

pub fn status(w: &NamedWire) -> Status {
    let name = name_or(w.name.as_deref(), "Status", &w.id);
    Status {
        id: StatusId::from(w.id.as_str()),
        kind: status_kind(name.as_str()),
        name,
    }
}

/// InvGate priorities are 1 Low … 5 Critical, so the id is the rank.
pub fn priority_rank(id: &str) -> u8 {
    id.parse::<i64>().map_or(3, |n| n.clamp(1, 5) as u8)
}

pub fn priority(w: &NamedWire) -> Priority {
    Priority {
        id: w.id.clone(),
        name: name_or(w.name.as_deref(), "Priority", &w.id),
        rank: priority_rank(&w.id),
    }
}

pub fn named(w: &NamedWire, what: &str) -> Named {
    Named {
        id: w.id.clone(),
        name: name_or(w.name.as_deref(), what, &w.id),
    }
}

pub fn category(w: &CategoryWire) -> Named {
    Named {
        id: w.id.clone(),
        name: name_or(w.name.as_deref(), "Category", &w.id),
    }
}

/// Help desks and levels. Levels usually have no name of their own ("If it is a help desk,
/// indicates the name"), so they are called "Level <order>" under their desk.
pub fn help_desks(rows: &[HelpDeskWire]) -> Vec<HelpDesk> {
    rows.iter()
        .filter(|r| !r.id.is_empty())
        .map(|r| {
            let level_order = r.level_order.and_then(|o| u32::try_from(o).ok());
            let name = match (r.name.as_deref().map(str::trim), &r.parent_id) {
                (Some(name), _) if !name.is_empty() => SafeText::line(name),
                (_, Some(_)) => match level_order {
                    Some(order) => SafeText::ours(format!("Level {order}")),
                    None => SafeText::line(&format!("Level {}", r.id)),
                },
                (_, None) => SafeText::line(&format!("Help desk {}", r.id)),
            };
            HelpDesk {
                id: DeskId::from(r.id.as_str()),
                name,
                parent_id: r.parent_id.as_deref().map(DeskId::from),
                level_order,
                members: r
                    .members_ids
                    .iter()
                    .map(|id| crate::domain::UserId::from(id.as_str()))
                    .collect(),
            }
        })
        .collect()
}

/// "name lastname", else the user name, else the e-mail, else "User <id>".
pub fn person(w: &UserWire) -> Person {
    let full = format!(
        "{} {}",
        w.name.as_deref().unwrap_or("").trim(),
        w.lastname.as_deref().unwrap_or("").trim()
    );
    // The first that still says something once cleaned.
    let name = [Some(full.trim()), w.username.as_deref(), w.email.as_deref()]
        .into_iter()
        .flatten()
        .map(SafeText::line)
        .find(|s| !s.as_str().trim().is_empty());
    Person {
        id: UserId::from(w.id.as_str()),
        name: name.unwrap_or_else(|| SafeText::line(&format!("User {}", w.id))),
        email: w
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(SafeText::line),
        is_agent: w.user_type == Some(1),
    }
}

pub fn custom_field_def(w: &CustomFieldWire) -> CustomFieldDef {
    CustomFieldDef {
        id: w.uid.clone(),
        label: name_or(w.label.as_deref(), "Field", &w.uid),
        kind: SafeText::line(w.kind.as_deref().unwrap_or("")),
        editor: crate::domain::FieldEditor::default(),
    }
}

/// A person as a [`Named`]: the catalog's name, or "User <id>".
pub fn person_named(catalog: &Catalog, id: &str) -> Named<UserId> {
    Named {
        id: UserId::from(id),
        name: match catalog.person(id) {
            Some(p) => p.name.clone(),
            None => SafeText::line(&format!("User {id}")),
        },
    }
}

fn lookup(list: &[Named], id: &str, what: &str) -> Named {
    list.iter()
        .find(|n| n.id == id)
        .cloned()
        .unwrap_or_else(|| Named {
            id: id.to_string(),
            name: SafeText::line(&format!("{what} {id}")),
        })
}

/// The desk a ticket sits in; a level is shown with its desk ("Service Desk / Level 2").
pub fn desk_named(catalog: &Catalog, id: &str) -> Named<DeskId> {
    let Some(desk) = catalog.help_desk(id) else {
        return Named {
            id: DeskId::from(id),
            name: SafeText::line(&format!("Help desk {id}")),
        };
    };
    let parent = desk
        .parent_id
        .as_ref()
        .and_then(|p| catalog.help_desk(p.as_str()));
    let name = match parent {
        // Both parts are already SafeText, so joining them with our separator stays safe.
        Some(parent) => SafeText::ours(format!("{} / {}", parent.name, desk.name)),
        None => desk.name.clone(),
    };
    Named {
        id: desk.id.clone(),
        name,
    }
}

/// One ticket row. `id` is the object's own id or, when it has none, the key the reply was
/// keyed by.
pub fn ticket(w: &IncidentWire, id: TicketId, catalog: &Catalog) -> Ticket {
    let display_id = match w.pretty_id.as_deref().map(str::trim) {
        Some(pretty) if !pretty.is_empty() => SafeText::line(pretty),
        _ => SafeText::line(&format!("#{id}")),
    };
    let status = match w.status_id.as_deref() {
        Some(sid) => catalog.status(sid).cloned().unwrap_or_else(|| Status {
            id: StatusId::from(sid),
            name: SafeText::line(&format!("Status {sid}")),
            kind: StatusKind::Open,
        }),
        None => Status {
            id: StatusId::from(""),
            name: SafeText::ours("Unknown status"),
            kind: StatusKind::Open,
        },
    };
    let priority = w.priority_id.as_deref().map(|pid| {
        catalog.priority(pid).cloned().unwrap_or_else(|| Priority {
            id: pid.to_string(),
            name: SafeText::line(&format!("Priority {pid}")),
            rank: priority_rank(pid),
        })
    });
    Ticket {
        id,
        display_id,
        title: SafeText::line(w.title.as_deref().unwrap_or("")),
        status,
        priority,
        kind: w
            .type_id
            .as_deref()
            .map(|t| lookup(&catalog.types, t, "Type")),
        category: w
            .category_id
            .as_deref()
            .map(|c| lookup(&catalog.categories, c, "Category")),
        customer: w.user_id.as_deref().map(|u| person_named(catalog, u)),
        agent: w.assigned_id.as_deref().map(|a| person_named(catalog, a)),
        help_desk: w
            .assigned_group_id
            .as_deref()
            .map(|d| desk_named(catalog, d)),
        created_at: w.created_at,
        updated_at: w.last_update,
        closed_at: w.closed_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nw(id: &str, name: &str) -> NamedWire {
        NamedWire {
            id: id.into(),
            name: Some(name.into()),
        }
    }

    pub(crate) fn catalog() -> Catalog {
        let mut c = Catalog {
            statuses: [(1, "New"), (2, "Open"), (6, "Closed")]
                .iter()
                .map(|(i, n)| status(&nw(&i.to_string(), n)))
                .collect(),
            priorities: vec![priority(&nw("5", "Critical"))],
            types: vec![named(&nw("1", "Incident"), "Type")],
            categories: vec![category(&CategoryWire {
                id: "7".into(),
                name: Some("Printers".into()),
                parent_category_id: None,
            })],
            help_desks: help_desks(&[
                HelpDeskWire {
                    id: "3".into(),
                    name: Some("Service Desk".into()),
                    ..Default::default()
                },
                HelpDeskWire {
                    id: "4".into(),
                    parent_id: Some("3".into()),
                    level_order: Some(2),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let ada = person(&UserWire {
            id: "12".into(),
            name: Some(" Ada ".into()),
            lastname: Some("Lovelace".into()),
            user_type: Some(1),
            ..Default::default()
        });
        c.people.insert(ada.id.clone(), ada);
        c
    }

    #[test]
    fn status_names_map_to_kinds() {
        for (name, kind) in [
            ("New", StatusKind::New),
            ("Open", StatusKind::Open),
            ("In progress", StatusKind::Open),
            ("Waiting for customer", StatusKind::Waiting),
            ("On hold", StatusKind::Waiting),
            ("Pending approval", StatusKind::Waiting),
            ("Resolved", StatusKind::Resolved),
            ("Solved", StatusKind::Resolved),
            ("Closed", StatusKind::Closed),
            ("Rejected", StatusKind::Closed),
            ("Cancelled", StatusKind::Closed),
            ("Esperando por cliente", StatusKind::Waiting),
            ("Nuevo", StatusKind::New),
            ("Renewed contract", StatusKind::Open),
        ] {
            assert_eq!(status_kind(name), kind, "{name}");
        }
    }

    #[test]
    fn a_name_with_nothing_visible_falls_back_to_what_is_left() {
        let blank = UserWire {
            id: "12".into(),
            name: Some("\u{3164}\u{3164}\u{3164}".into()),
            lastname: Some("\u{200b}".into()),
            username: Some("\u{2800}\u{2800}".into()),
            ..Default::default()
        };
        assert_eq!(person(&blank).name.as_str(), "User 12");
        let with_login = UserWire {
            username: Some("jdoe".into()),
            ..blank
        };
        assert_eq!(person(&with_login).name.as_str(), "jdoe");
        let status = NamedWire {
            id: "4".into(),
            name: Some("\u{115f}\u{1160}".into()),
        };
        assert_eq!(super::status(&status).name.as_str(), "Status 4");
    }

    #[test]
    fn priority_rank_is_clamped_id() {
        assert_eq!(priority_rank("1"), 1);
        assert_eq!(priority_rank("5"), 5);
        assert_eq!(priority_rank("9"), 5);
        assert_eq!(priority_rank("0"), 1);
        assert_eq!(priority_rank("x"), 3);
    }

    #[test]
    fn ticket_names_resolve_through_the_catalog() {
        let w: IncidentWire = serde_json::from_str(
            r#"{"id":"42","title":"Printer jam","status_id":"2","priority_id":5,"type_id":1,
                "category_id":7,"user_id":12,"assigned_id":12,"assigned_group_id":4,
                "created_at":1700000000,"last_update":"1700000600"}"#,
        )
        .unwrap();
        let t = ticket(&w, TicketId::from("42"), &catalog());
        assert_eq!(t.id, TicketId::from("42"));
        assert_eq!(t.display_id.as_str(), "#42");
        assert_eq!(t.status.name.as_str(), "Open");
        assert_eq!(t.priority.unwrap().rank, 5);
        assert_eq!(t.kind.unwrap().name.as_str(), "Incident");
        assert_eq!(t.category.unwrap().name.as_str(), "Printers");
        assert_eq!(t.customer.unwrap().name.as_str(), "Ada Lovelace");
        assert_eq!(t.agent.unwrap().name.as_str(), "Ada Lovelace");
        assert_eq!(t.help_desk.unwrap().name.as_str(), "Service Desk / Level 2");
        assert_eq!(t.updated_at.map(|d| d.timestamp()), Some(1_700_000_600));
    }

    #[test]
    fn unknown_ids_get_placeholder_names() {
        let w: IncidentWire = serde_json::from_str(
            r#"{"id":43,"pretty_id":"INC-43","status_id":99,"priority_id":8,"type_id":6,
                "user_id":77,"assigned_id":0,"assigned_group_id":55}"#,
        )
        .unwrap();
        let t = ticket(&w, TicketId::from("43"), &catalog());
        assert_eq!(t.display_id.as_str(), "INC-43");
        assert_eq!(t.status.name.as_str(), "Status 99");
        assert_eq!(t.status.kind, StatusKind::Open);
        assert_eq!(t.priority.unwrap().rank, 5);
        assert_eq!(t.kind.unwrap().name.as_str(), "Type 6");
        assert_eq!(t.customer.unwrap().name.as_str(), "User 77");
        assert!(t.agent.is_none());
        assert_eq!(t.help_desk.unwrap().name.as_str(), "Help desk 55");
        assert!(t.category.is_none());
    }

    #[test]
    fn hostile_titles_are_scrubbed() {
        let w: IncidentWire = serde_json::from_str(
            r#"{"id":1,"title":"Hi \u001b]0;PWNED\u0007 there \u009b31m\u202e"}"#,
        )
        .unwrap();
        let t = ticket(&w, TicketId::from("1"), &catalog());
        let title = t.title.as_str();
        assert!(!title.chars().any(|c| c.is_control()), "{title:?}");
        assert!(title.starts_with("Hi "), "{title:?}");
        assert!(title.contains("there"), "{title:?}");
        // The whole OSC sequence goes, not just its ESC/BEL bytes; bidi overrides too.
        assert!(
            !title.contains("PWNED") && !title.contains("]0;"),
            "{title:?}"
        );
        assert!(!title.contains('\u{202e}'), "{title:?}");
    }

    #[test]
    fn people_names_fall_back_sensibly() {
        let p = person(&UserWire {
            id: "5".into(),
            username: Some("jdoe".into()),
            user_type: Some(2),
            ..Default::default()
        });
        assert_eq!(p.name.as_str(), "jdoe");
        assert!(!p.is_agent);
        let q = person(&UserWire {
            id: "6".into(),
            ..Default::default()
        });
        assert_eq!(q.name.as_str(), "User 6");
    }

    #[test]
    fn unnamed_levels_are_named_by_order() {
        let c = catalog();
        assert_eq!(c.help_desk("4").unwrap().name.as_str(), "Level 2");
        assert_eq!(c.help_desk("4").unwrap().parent_id, Some(DeskId::from("3")));
        assert_eq!(c.root_desks().count(), 1);
    }
}
