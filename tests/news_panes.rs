//! Snapshots of breaking news as the agent sees it, at 80×24 and 160×48: the banner an open
//! High item puts over the panes, the news pane, and one item read with its timeline.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
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
