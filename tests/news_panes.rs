//! Snapshots of breaking news as the agent sees it, at 80×24 and 160×48: the banner an open
//! High item puts over the panes, the news pane, one item read with its timeline, and the form
//! for a new item (half filled, and saying why it was not sent).

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Modifier, Style};
use ttydesk::app::{Model, Msg, Timer, update};
use ttydesk::domain::Importance;
use ttydesk::provider::{Answer, Call};
use ttydesk::testing;

fn draw(model: &mut Model, width: u16, height: u16) -> String {
    testing::drawn(model, width, height)
}

fn key(m: &mut Model, code: KeyCode) {
    let effects = update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    testing::settle(m, effects);
}

/// The fixtures' profile with an open High item among its news.
fn with_high_news() -> Model {
    let mut m = testing::loaded_model();
    let mut items = testing::news_of(0);
    items.push(testing::news_item(
        "9",
        Importance::High,
        true,
        "Email is down for the whole company",
    ));
    let effects = update(&mut m, Msg::Timer(Timer::News));
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::News { .. } => Some(Answer::News(Ok(Arc::new(items.clone())))),
        _ => Some(testing::fixture_answer(p, call)),
    });
    m.notice = None;
    m
}

fn both(m: &mut Model, name: &str) -> String {
    let small = draw(m, 80, 24);
    insta::assert_snapshot!(format!("{name}_80x24"), small);
    insta::assert_snapshot!(format!("{name}_160x48"), draw(m, 160, 48));
    small
}

#[test]
fn the_banner_names_the_high_item_on_every_pane() {
    let mut m = with_high_news();
    let screen = both(&mut m, "news_banner");
    assert!(screen.contains("HIGH (N) · Email is down"), "{screen}");
    assert!(draw(&mut m, 40, 10).contains("HIGH"));
}

#[test]
fn the_news_pane_and_one_item_read() {
    let mut m = with_high_news();
    key(&mut m, KeyCode::Char('N'));
    let screen = both(&mut m, "news_pane");
    assert!(
        screen.contains("Breaking news · 2 open, 3 in all"),
        "{screen}"
    );
    assert!(screen.contains("resolves in 2h"), "{screen}");
    // The second item: the Medium one, whose timeline the fixtures have.
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Enter);
    let screen = both(&mut m, "news_read");
    assert!(screen.contains("Timeline"), "{screen}");
    assert!(screen.contains("A stuck job was removed"), "{screen}");
}

/// The screen with its styles.
fn styled(m: &mut Model, width: u16, height: u16) -> Buffer {
    draw(m, width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| ttydesk::ui::render(f, m, &ttydesk::ui::Theme::default()))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The style of the cell just after the first place `text` (ASCII) is drawn.
fn after(buffer: &Buffer, text: &str) -> Option<Style> {
    let area = buffer.area;
    let want: Vec<String> = text.chars().map(String::from).collect();
    for y in area.top()..area.bottom() {
        let row: Vec<&str> = (area.left()..area.right())
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        if let Some(at) = row.windows(want.len()).position(|w| w == want.as_slice()) {
            let x = area.left() + u16::try_from(at + want.len()).ok()?;
            return Some(buffer[(x, y)].style());
        }
    }
    None
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyCode::Char(c));
    }
}

/// The news pane of the fixtures' profile, writable as Ana, with `n` pressed: the form for a
/// new item.
fn new_item_form() -> Model {
    let mut m = with_high_news();
    testing::as_agent(&mut m);
    key(&mut m, KeyCode::Char('N'));
    key(&mut m, KeyCode::Char('n'));
    m
}

#[test]
fn the_form_for_a_new_item_half_filled() {
    let mut m = new_item_form();
    typed(&mut m, "Mail is down");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Right);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Right);
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    typed(&mut m, "2h");
    key(&mut m, KeyCode::Tab);
    typed(&mut m, "Nobody can send or receive mail since 9:00.");
    m.notice = None;
    let screen = both(&mut m, "news_form");
    assert!(screen.contains("Announce breaking news · work"), "{screen}");
    assert!(screen.contains("Mail is down"), "{screen}");
    assert!(screen.contains("[x] IT Infrastructure"), "{screen}");
    assert!(screen.contains("→ 2026-11-19 14:00 UTC"), "{screen}");
    assert!(
        screen.contains("What is happening"),
        "labels are not cut: {screen}"
    );
    assert!(screen.contains("ctrl-s send"), "{screen}");
    // The cursor shows where typing goes, in the body, and nowhere else.
    let buffer = styled(&mut m, 80, 24);
    let body = after(&buffer, "since 9:00.").expect("the body is drawn");
    assert!(body.add_modifier.contains(Modifier::REVERSED), "{body:?}");
    let title = after(&buffer, "Mail is down").expect("the title is drawn");
    assert!(
        !title.add_modifier.contains(Modifier::REVERSED),
        "{title:?}"
    );
}

#[test]
fn the_form_says_why_it_was_not_sent() {
    let mut m = new_item_form();
    typed(&mut m, "Mail is down");
    for _ in 0..5 {
        key(&mut m, KeyCode::Tab);
    }
    typed(&mut m, "Nobody can send mail.");
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    testing::settle(&mut m, effects);
    m.notice = None;
    let screen = draw(&mut m, 80, 24);
    insta::assert_snapshot!("news_form_error_80x24", screen);
    assert!(
        screen.contains("name at least one affected help desk or group"),
        "{screen}"
    );
}
