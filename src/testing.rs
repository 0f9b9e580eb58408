//! Fixtures for tests: a small, fixed service desk (catalog, tickets, one detail) for one or two
//! profiles whose request ids collide, a model built on them with a fixed clock, an answerer that
//! plays the provider and the filter worker for pure `update` tests, and a scripted input for
//! tests that drive the real loop. Compiled into the library so integration tests and benches
//! can share it; nothing in the console uses it.

mod drive;
mod kb;
mod provider;
mod screen;
mod workflow;

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use drive::{
    InputLog, ScriptedInput, all_but_lists, answer, answer_with, deliver, find_call,
    fixture_answer, settle, settle_with, start,
};
pub use kb::{kb_answer, kb_articles, kb_categories};
pub use provider::{FixtureProvider, many};
pub use screen::{ScreenBackend, ScreenWatch, Shot};
pub use workflow::{approvals_of, approvals_on, news_detail_of, news_item, news_of};

use crate::app::{Model, ProfileLabel};
use crate::config::Keymap;
use crate::domain::{
    Catalog, Comment, CustomFieldDef, CustomFieldValue, DeskId, HelpDesk, LinkedTicket, Named,
    Person, Priority, Status, StatusKind, Ticket, TicketDetail, TicketId, UserId, Visibility,
};
use crate::text::SafeText;

/// 2026-11-19 12:00 UTC: every fixture date is relative to it.
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
    // Ana works in level 1, Ravi in level 2.
    let desk = |id: &str, name: &str, parent: Option<&str>, order: Option<u32>| HelpDesk {
        id: id.into(),
        name: SafeText::line(name),
        parent_id: parent.map(DeskId::from),
        level_order: order,
        members: match id {
            "11" => vec!["100".into()],
            "12" => vec!["101".into()],
            _ => Vec::new(),
        },
    };
    let person = |id: &str, name: &str, agent| Person {
        id: id.into(),
        name: SafeText::line(name),
        email: None,
        is_agent: agent,
    };
    Catalog {
        groups: Vec::new(),
        validators: Default::default(),
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
        approval_words: crate::domain::ApprovalWords::default(),
        custom_fields: vec![
            CustomFieldDef {
                id: "cf_asset".into(),
                label: SafeText::line("Affected asset"),
                kind: SafeText::line("text"),
                editor: crate::domain::FieldEditor::default(),
            },
            CustomFieldDef {
                id: "cf_site".into(),
                label: SafeText::line("Site"),
                kind: SafeText::line("List"),
                editor: crate::domain::FieldEditor::List(vec![
                    SafeText::line("Madrid HQ"),
                    SafeText::line("Berlin hub"),
                ]),
            },
            CustomFieldDef {
                id: "cf_room".into(),
                label: SafeText::line("Room"),
                kind: SafeText::line("Tree"),
                editor: crate::domain::FieldEditor::Tree(vec![
                    SafeText::line("Madrid HQ › Floor 3"),
                    SafeText::line("Madrid HQ › Floor 3 › Room 301"),
                ]),
            },
            CustomFieldDef {
                id: "cf_units".into(),
                label: SafeText::line("Units"),
                kind: SafeText::line("Number"),
                editor: crate::domain::FieldEditor::Number,
            },
            CustomFieldDef {
                id: "cf_due".into(),
                label: SafeText::line("Due"),
                kind: SafeText::line("Date"),
                editor: crate::domain::FieldEditor::Date,
            },
        ],
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

/// The second profile's requests: the same ids as [`tickets`], other titles.
const HR_TITLES: [&str; 8] = [
    "Payslip shows the wrong tax code",
    "Parental leave request for March",
    "Relocation allowance not paid",
    "New starter needs a badge and a laptop",
    "Update bank details for salary",
    "Reference letter for a mortgage",
    "Expense claim rejected by mistake",
    "Change of contract hours",
];

pub fn tickets() -> Vec<Ticket> {
    tickets_of(0)
}

/// Profile 0's requests, or profile 1's: same ids (1201–1208), other titles.
pub fn tickets_of(profile: u16) -> Vec<Ticket> {
    let catalog = catalog();
    ROWS.iter()
        .enumerate()
        .map(
            |(i, (id, desk, status, priority, title, customer, agent, hours))| {
                let title = if profile == 0 { *title } else { HR_TITLES[i] };
                let person = |pid: &str| Named {
                    id: UserId::from(pid),
                    name: catalog
                        .person(pid)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                };
                Ticket {
                    id: TicketId::from(*id),
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

/// The detail of fixture request `id` of profile 0; panics for an id the fixtures lack.
pub fn detail(id: &str) -> TicketDetail {
    detail_of(0, id).unwrap_or_else(|| panic!("no fixture request {id}"))
}

/// The detail of request `id` of profile 0 or 1, if the fixtures have it.
pub fn detail_of(profile: u16, id: &str) -> Option<TicketDetail> {
    let ticket = tickets_of(profile).into_iter().find(|t| t.id == id)?;
    let comment = |cid: &str, author: &str, visibility, solution, body: &str, hours: i64| Comment {
        id: cid.into(),
        author: Some(Named {
            id: UserId::from(author),
            name: SafeText::line(if author == "100" {
                "Ana Pérez"
            } else {
                "José Núñez"
            }),
        }),
        created_at: Some(now() - chrono::Duration::hours(hours)),
        body: SafeText::block(body),
        visibility,
        is_solution: solution,
    };
    Some(TicketDetail {
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
            id: TicketId::from("1190"),
            title: SafeText::line("Patch job failed on print server"),
        }],
        approvals: approvals_on(profile, id),
        partial: Vec::new(),
        had_hidden_controls: false,
        ticket,
    })
}

/// A model on one fixture profile ("work"), nothing loaded yet, clock at [`now`].
/// An environment of these variables only, for code that reads it through a lookup function.
pub fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |k| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    }
}

pub fn model() -> Model {
    model_of(&["work"])
}

/// A model on the two fixture profiles "Acme IT" and "Acme HR", whose ids collide.
pub fn two_profiles() -> Model {
    model_of(&["Acme IT", "Acme HR"])
}

pub fn model_of(names: &[&str]) -> Model {
    let (keymap, _) = Keymap::load(&Default::default());
    let profiles = names
        .iter()
        .map(|name| ProfileLabel {
            name: (*name).to_string(),
            vendor: "InvGate".into(),
            demo: false,
            agent: None,
            read_only: false,
            web: crate::domain::WebLinks::new(
                &format!("https://{name}.example/requests/show/index/id/"),
                "",
            ),
        })
        .collect();
    Model::new(profiles, Arc::new(keymap), now())
}

/// A model after start-up: every profile probed, its catalog, counts and listing loaded, and the
/// rows of the selected queue matched.
pub fn loaded_model() -> Model {
    started_and_settled(model())
}

/// [`loaded_model`] whose profile takes writes as Ana Pérez (user 100, the profile's `agent`),
/// with the outbox there and request 1207 open in Detail.
pub fn writable_model() -> Model {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut m = loaded_model();
    as_agent(&mut m);
    for code in [KeyCode::Tab, KeyCode::Char('j'), KeyCode::Enter] {
        let msg = crate::app::Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
        let effects = crate::app::update(&mut m, msg);
        settle(&mut m, effects);
    }
    assert_eq!(
        m.detail.open.as_ref().map(|k| k.id.as_str()),
        Some("1207"),
        "the fixtures' second request is 1207"
    );
    m
}

/// Makes profile 0 take writes as Ana Pérez (user 100, its `agent`), with the outbox there.
pub fn as_agent(m: &mut Model) {
    m.settings.outbox = true;
    if let Some(s) = m.session_mut(crate::domain::ProfileId(0)) {
        s.label.agent = Some("ana".into());
        s.agent = crate::app::Agent::Known(Person {
            id: UserId::from("100"),
            name: SafeText::line("Ana Pérez"),
            email: None,
            is_agent: true,
        });
        if let Some(c) = s.capabilities.as_mut() {
            c.writes = true;
        }
    }
}

/// [`loaded_model`] with the two fixture profiles.
pub fn loaded_two() -> Model {
    started_and_settled(two_profiles())
}

fn started_and_settled(mut m: Model) -> Model {
    let effects = crate::app::update(&mut m, crate::app::Msg::Start);
    settle(&mut m, effects);
    m
}

/// Profile 0's data as an earlier run saved it `hours` ago: the catalog, the complete listing
/// and its rows.
pub fn saved(hours: i64) -> crate::app::Saved {
    let tickets = tickets();
    let at = now() - chrono::Duration::hours(hours);
    crate::app::Saved {
        account: None,
        agent: None,
        approvals: Vec::new(),
        catalog: Some((catalog(), at)),
        capabilities: None,
        counts: None,
        listing: Some((
            crate::app::SavedListing {
                ids: tickets.iter().map(|t| t.id.clone()).collect(),
                total: Some(tickets.len() as u64),
            },
            at,
        )),
        tickets,
    }
}

/// The screen `model` draws at `width` × `height` (after the resize is settled from the
/// fixtures), as text: what snapshot tests compare.
pub fn drawn(model: &mut Model, width: u16, height: u16) -> String {
    let effects = crate::app::update(model, crate::app::Msg::Resize { width, height });
    settle(model, effects);
    let backend = ratatui::backend::TestBackend::new(width, height);
    // The test backend cannot fail.
    let Ok(mut terminal) = ratatui::Terminal::new(backend);
    let theme = crate::ui::Theme::default();
    let Ok(_) = terminal.draw(|f| crate::ui::render(f, model, &theme));
    terminal.backend().to_string()
}
