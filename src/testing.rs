//! Fixtures for tests: a small, fixed service desk (catalog, queue index, tickets, one detail)
//! and a model built on it with a fixed clock. Compiled into the library so integration tests
//! and benches can share it; nothing in the console uses it.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::{Effect, Loaded, Model, Msg, ProfileLabel, update};
use crate::config::Keymap;
use crate::domain::{
    Approval, ApprovalStatus, Catalog, Comment, CustomFieldDef, CustomFieldValue, HelpDesk,
    LinkedTicket, Named, Person, Priority, QueueEntry, QueueIndex, Status, StatusKind, Ticket,
    TicketDetail, TicketId, Visibility,
};
use crate::text::SafeText;

/// 2026-11-20 12:00 UTC: every fixture date is relative to it.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_089_600, 0).unwrap_or_default()
}

fn named(id: &str, name: &str) -> Named {
    Named {
        id: id.into(),
        name: SafeText::line(name),
    }
}

pub fn catalog() -> Catalog {
    let status = |id: &str, name: &str, kind| Status {
        id: id.into(),
        name: SafeText::line(name),
        kind,
    };
    let desk = |id: &str, name: &str, parent: Option<&str>, order: Option<u32>| HelpDesk {
        id: id.into(),
        name: SafeText::line(name),
        parent_id: parent.map(str::to_string),
        level_order: order,
    };
    let person = |id: &str, name: &str, agent| Person {
        id: id.into(),
        name: SafeText::line(name),
        email: None,
        is_agent: agent,
    };
    Catalog {
        statuses: vec![
            status("1", "New", StatusKind::New),
            status("2", "Open", StatusKind::Open),
            status("4", "Waiting for customer", StatusKind::Waiting),
            status("6", "Resolved", StatusKind::Resolved),
            status("7", "Closed", StatusKind::Closed),
        ],
        priorities: (1..=5)
            .zip(["Low", "Medium", "High", "Urgent", "Critical"])
            .map(|(rank, name)| Priority {
                id: rank.to_string(),
                name: SafeText::line(name),
                rank,
            })
            .collect(),
        types: vec![named("1", "Incident"), named("2", "Service Request")],
        sources: vec![named("1", "Email")],
        categories: vec![named("10", "Printers"), named("11", "Network")],
        help_desks: vec![
            desk("1", "Service Desk", None, None),
            desk("11", "Level 1", Some("1"), Some(1)),
            desk("12", "Level 2", Some("1"), Some(2)),
            desk("2", "IT Infrastructure", None, None),
            desk("3", "Facilities", None, None),
        ],
        people: [
            person("100", "Ana Pérez", true),
            person("101", "Ravi Shankar", true),
            person("200", "José Núñez", false),
            person("201", "Zoë Ångström", false),
        ]
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect(),
        custom_fields: vec![CustomFieldDef {
            id: "cf_asset".into(),
            label: SafeText::line("Affected asset"),
            kind: SafeText::line("text"),
        }],
    }
}

/// id, help desk, status, priority, title, customer, agent, hours ago
type Row = (
    &'static str,
    &'static str,
    &'static str,
    u8,
    &'static str,
    &'static str,
    Option<&'static str>,
    i64,
);

const ROWS: [Row; 8] = [
    (
        "1208",
        "11",
        "1",
        5,
        "Email server down for the whole floor",
        "200",
        None,
        1,
    ),
    (
        "1207",
        "11",
        "2",
        3,
        "Printer prints garbage characters",
        "201",
        Some("100"),
        5,
    ),
    (
        "1206",
        "12",
        "4",
        2,
        "VPN drops every 10 minutes",
        "200",
        Some("101"),
        30,
    ),
    (
        "1205",
        "1",
        "2",
        1,
        "Request a second monitor",
        "201",
        Some("100"),
        50,
    ),
    (
        "1204",
        "2",
        "1",
        4,
        "Core switch fan alarm in rack B4",
        "200",
        None,
        80,
    ),
    (
        "1203",
        "2",
        "6",
        3,
        "Backup job failed on fileserver",
        "201",
        Some("101"),
        200,
    ),
    (
        "1202",
        "3",
        "2",
        2,
        "Air conditioning too cold in room 3.14",
        "200",
        Some("100"),
        400,
    ),
    (
        "1201",
        "3",
        "4",
        1,
        "Replace broken chair",
        "201",
        None,
        900,
    ),
];

pub fn tickets() -> Vec<Ticket> {
    let catalog = catalog();
    ROWS.iter()
        .map(
            |(id, desk, status, priority, title, customer, agent, hours)| {
                let person = |pid: &str| Named {
                    id: pid.into(),
                    name: catalog
                        .person(pid)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                };
                Ticket {
                    id: TicketId((*id).into()),
                    display_id: SafeText::line(&format!("#{id}")),
                    title: SafeText::line(title),
                    status: catalog
                        .status(status)
                        .cloned()
                        .unwrap_or_else(|| catalog.statuses[0].clone()),
                    priority: catalog.priority(&priority.to_string()).cloned(),
                    kind: Some(named("1", "Incident")),
                    category: Some(named("10", "Printers")),
                    customer: Some(person(customer)),
                    agent: agent.map(person),
                    help_desk: catalog.help_desk(desk).map(|d| Named {
                        id: d.id.clone(),
                        name: d.name.clone(),
                    }),
                    created_at: Some(now() - chrono::Duration::hours(*hours)),
                    updated_at: Some(now() - chrono::Duration::hours(*hours / 2)),
                    closed_at: None,
                }
            },
        )
        .collect()
}

pub fn index() -> QueueIndex {
    QueueIndex {
        entries: ROWS
            .iter()
            .map(|(id, desk, status, ..)| QueueEntry {
                id: TicketId((*id).into()),
                help_desk_id: Some((*desk).into()),
                status_id: Some((*status).into()),
            })
            .collect(),
    }
}

pub fn detail(id: &str) -> TicketDetail {
    let ticket = tickets()
        .into_iter()
        .find(|t| t.id.0 == id)
        .unwrap_or_else(|| tickets().remove(0));
    let comment = |cid: &str, author: &str, visibility, solution, body: &str, hours: i64| Comment {
        id: cid.into(),
        author: Some(named(
            author,
            if author == "100" {
                "Ana Pérez"
            } else {
                "José Núñez"
            },
        )),
        created_at: Some(now() - chrono::Duration::hours(hours)),
        body: SafeText::block(body),
        visibility,
        is_solution: solution,
    };
    TicketDetail {
        description: SafeText::from_html(
            "<p>Since this morning the printer on the <b>third floor</b> prints pages of random symbols.</p>\
             <ul><li>Model: HP LaserJet 4250</li><li>Asset tag PRN-0042</li></ul>",
        ),
        comments: vec![
            comment(
                "1",
                "200",
                Visibility::Public,
                false,
                "It happens with every document, even a test page.",
                4,
            ),
            comment(
                "2",
                "100",
                Visibility::Internal,
                false,
                "Driver was updated last night by the patch job; rolling back.",
                3,
            ),
            comment(
                "3",
                "100",
                Visibility::Public,
                true,
                "We rolled back the printer driver. Please try again.",
                2,
            ),
        ],
        custom_fields: vec![CustomFieldValue {
            field_id: "cf_asset".into(),
            label: SafeText::line("Affected asset"),
            value: SafeText::line("PRN-0042"),
        }],
        links: vec![LinkedTicket {
            id: TicketId("1190".into()),
            title: SafeText::line("Patch job failed on print server"),
        }],
        approvals: vec![Approval {
            id: "9".into(),
            status: ApprovalStatus::Waiting,
            description: SafeText::line("Replace the fuser unit (cost 180 EUR)"),
            author: Some(named("100", "Ana Pérez")),
            created_at: Some(now()),
        }],
        partial: Vec::new(),
        had_hidden_controls: false,
        ticket,
    }
}

/// A model on the fixture profile, nothing loaded yet, clock at [`now`].
pub fn model() -> Model {
    let (keymap, _) = Keymap::load(&Default::default());
    let profile = ProfileLabel {
        name: "work".into(),
        vendor: "InvGate".into(),
        demo: false,
    };
    Model::new(profile, Arc::new(keymap), now())
}

/// Answers the `LoadCatalog` among `effects` with the fixture catalog; returns what follows.
pub fn answer_catalog(m: &mut Model, effects: &[Effect]) -> Vec<Effect> {
    let mut next = Vec::new();
    for e in effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadCatalog(_)))
    {
        let answer = Loaded::Catalog(Box::new(Ok(catalog())));
        next.extend(update(m, Msg::Loaded(e.request_id(), answer)));
    }
    next
}

/// Answers the `LoadIndex` among `effects` with the fixture index; returns what follows.
pub fn answer_index(m: &mut Model, effects: &[Effect]) -> Vec<Effect> {
    let mut next = Vec::new();
    for e in effects
        .iter()
        .filter(|e| matches!(e, Effect::LoadIndex(..)))
    {
        next.extend(update(
            m,
            Msg::Loaded(e.request_id(), Loaded::Index(Ok(index()))),
        ));
    }
    next
}

/// Answers every `LoadTickets` among `effects` with the fixture rows asked for.
pub fn answer_rows(m: &mut Model, effects: &[Effect]) {
    for e in effects {
        if let Effect::LoadTickets(id, ids, _) = e {
            let rows = tickets()
                .into_iter()
                .filter(|t| ids.contains(&t.id))
                .collect();
            update(m, Msg::Loaded(*id, Loaded::Tickets(Ok(rows))));
        }
    }
}

/// A model after start-up: catalog, queue index and every row of "All open" loaded.
pub fn loaded_model() -> Model {
    let mut m = model();
    let effects = update(&mut m, Msg::Start);
    let effects = answer_catalog(&mut m, &effects);
    let effects = answer_index(&mut m, &effects);
    answer_rows(&mut m, &effects);
    m
}
