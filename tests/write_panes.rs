//! Snapshots of the writing overlays as the agent sees them, at 80×24 and 160×48: the composer
//! in each kind, a confirmation, the outbox panel, and a request with writes not yet confirmed.
//! Text only; the test at the end checks the composer's colour follows its kind.

#![allow(clippy::unwrap_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttydesk::app::{Model, Msg, OutboxEvent, OutboxItem, Queued, update};
use ttydesk::domain::{ProfileId, TicketId, UserId, Visibility, Write};
use ttydesk::store::EntryState;
use ttydesk::testing;
use ttydesk::ui::{Theme, render};

fn draw(model: &mut Model, width: u16, height: u16) -> String {
    draw_terminal(model, width, height).backend().to_string()
}

fn draw_terminal(model: &mut Model, width: u16, height: u16) -> Terminal<TestBackend> {
    let effects = update(model, Msg::Resize { width, height });
    testing::settle(model, effects);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| render(f, model, &Theme::default()))
        .unwrap();
    terminal
}

fn press(m: &mut Model, code: KeyCode, modifiers: KeyModifiers) {
    let effects = update(m, Msg::Key(KeyEvent::new(code, modifiers)));
    testing::settle(m, effects);
}

fn key(m: &mut Model, code: KeyCode) {
    press(m, code, KeyModifiers::NONE);
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            key(m, KeyCode::Enter);
        } else {
            key(m, KeyCode::Char(c));
        }
    }
}

/// Request 1207 open in Detail, on a profile that takes writes as Ana Pérez.
fn writable() -> Model {
    testing::writable_model()
}

fn composing(cycles: usize) -> Model {
    let mut m = writable();
    key(&mut m, KeyCode::Char('c'));
    type_text(
        &mut m,
        "Hello José,\n\nthe spooler on PRN-3F was restarted; please print a test page.",
    );
    for _ in 0..cycles {
        press(&mut m, KeyCode::Char('t'), KeyModifiers::CONTROL);
    }
    m
}

#[test]
fn composer_public_reply() {
    let mut m = composing(0);
    let screen = draw(&mut m, 80, 24);
    assert!(
        screen.contains("Public reply: the customer will read this"),
        "{screen}"
    );
    assert!(screen.contains("ctrl-s send"), "{screen}");
    insta::assert_snapshot!("composer_public_80x24", screen);
    insta::assert_snapshot!("composer_public_160x48", draw(&mut m, 160, 48));
}

#[test]
fn composer_internal_note() {
    let mut m = composing(1);
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Internal note: agents only"), "{screen}");
    insta::assert_snapshot!("composer_internal_80x24", screen);
    insta::assert_snapshot!("composer_internal_160x48", draw(&mut m, 160, 48));
}

#[test]
fn composer_solution() {
    let mut m = composing(2);
    let screen = draw(&mut m, 80, 24);
    assert!(
        screen.contains("Solution: proposed to the customer"),
        "{screen}"
    );
    insta::assert_snapshot!("composer_solution_80x24", screen);
    insta::assert_snapshot!("composer_solution_160x48", draw(&mut m, 160, 48));
}

#[test]
fn composer_on_a_tiny_terminal_still_names_its_kind() {
    let mut m = composing(1);
    let screen = draw(&mut m, 40, 10);
    assert!(screen.contains("Internal"), "{screen}");
    insta::assert_snapshot!("composer_internal_40x10", screen);
}

#[test]
fn confirmation_names_the_profile_and_the_request() {
    let mut m = writable();
    key(&mut m, KeyCode::Char(':'));
    type_text(&mut m, "cancel duplicate of 1208");
    key(&mut m, KeyCode::Enter);
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Cancel?"), "{screen}");
    assert!(screen.contains("profile work"), "{screen}");
    insta::assert_snapshot!("confirm_cancel_80x24", screen);
    insta::assert_snapshot!("confirm_cancel_160x48", draw(&mut m, 160, 48));
}

fn item(id: &str, write: Write, state: EntryState, error: Option<&str>) -> OutboxItem {
    OutboxItem {
        id: id.into(),
        subject: write.subject(),
        queued: Some(Queued {
            write,
            author: UserId::from("100"),
            title: "#1207  Printer on 3rd floor prints garbage".into(),
            account: None,
        }),
        state,
        attempts: u32::from(state != EntryState::Pending),
        created_at: testing::now() - chrono::Duration::minutes(3),
        next_attempt_at: testing::now() + chrono::Duration::seconds(30),
        in_flight: false,
        last_error: error.map(str::to_string),
    }
}

fn with_outbox() -> Model {
    let mut m = writable();
    let t = TicketId::from("1207");
    let items = vec![
        item(
            "a",
            Write::Comment {
                ticket: t.clone(),
                body: "Restarted the spooler; please try again.".into(),
                visibility: Visibility::Public,
                solution: false,
            },
            EntryState::Uncertain,
            Some("the server did not answer in time (incident.comment, limit 60 s)"),
        ),
        item(
            "b",
            Write::Reopen { ticket: t },
            EntryState::Failed,
            Some("the server refused the request: the request is not closed"),
        ),
    ];
    let effects = update(
        &mut m,
        Msg::Outbox(OutboxEvent::Listed {
            profile: ProfileId(0),
            items,
        }),
    );
    testing::settle(&mut m, effects);
    m
}

#[test]
fn request_with_writes_not_yet_confirmed() {
    let mut m = with_outbox();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("pending"), "{screen}");
    assert!(screen.contains("✕1 refused"), "{screen}");
    insta::assert_snapshot!("detail_pending_80x24", screen);
    insta::assert_snapshot!("detail_pending_160x48", draw(&mut m, 160, 48));
}

#[test]
fn outbox_panel() {
    let mut m = with_outbox();
    key(&mut m, KeyCode::Char('W'));
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Outbox · 2 not confirmed"), "{screen}");
    assert!(screen.contains("the request is not closed"), "{screen}");
    insta::assert_snapshot!("outbox_80x24", screen);
    insta::assert_snapshot!("outbox_160x48", draw(&mut m, 160, 48));
}

#[test]
fn composer_border_colour_follows_its_kind() {
    let mut colours = Vec::new();
    for cycles in 0..3 {
        let mut m = composing(cycles);
        let terminal = draw_terminal(&mut m, 80, 24);
        // The composer's top-left corner is two cells in from the pane edges.
        let cell = terminal.backend().buffer()[(2, 2)].clone();
        colours.push(cell.fg);
    }
    assert_ne!(colours[0], colours[1], "public and internal look different");
    assert_ne!(
        colours[1], colours[2],
        "internal and solution look different"
    );
}

#[test]
fn reassign_picker_lists_desks_levels_and_their_agents() {
    let mut m = writable();
    key(&mut m, KeyCode::Char('a'));
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Reassign to · #1207"), "{screen}");
    assert!(
        screen.contains("Service Desk › Level 1 / Ana Pérez"),
        "{screen}"
    );
    insta::assert_snapshot!("picker_reassign_80x24", screen);
    type_text(&mut m, "lvl2");
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("Service Desk › Level 2"), "{wide}");
    insta::assert_snapshot!("picker_reassign_lvl2_160x48", wide);
}

#[test]
fn a_list_field_offers_its_options() {
    let mut m = writable();
    key(&mut m, KeyCode::Char(':'));
    type_text(&mut m, "field Site");
    key(&mut m, KeyCode::Enter);
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Site · #1207 · 2 of 2"), "{screen}");
    assert!(screen.contains("Berlin hub"), "{screen}");
    insta::assert_snapshot!("picker_field_80x24", screen);
}
