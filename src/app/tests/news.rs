//! Breaking news as the agent meets it: read with the queues, polled on a timer that never runs
//! faster than every 15 s, news that arrives while the console runs announced once (with the
//! bell only when asked), and the banner of an open High item.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::domain::{Importance, NewsItem};
use crate::provider::Answer;

fn notice(m: &Model) -> String {
    m.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

/// One `Timer::News` round, answered with `items`; returns the effects that were not calls.
fn poll(m: &mut Model, items: Vec<NewsItem>) -> Vec<Effect> {
    let effects = update(m, Msg::Timer(Timer::News));
    testing::settle_with(m, effects, |p, call| match call {
        Call::News { .. } => Some(Answer::News(Ok(Arc::new(items.clone())))),
        _ => Some(testing::fixture_answer(p, call)),
    })
}

fn high() -> NewsItem {
    testing::news_item(
        "9",
        Importance::High,
        true,
        "Email is down for the whole company",
    )
}

#[test]
fn news_is_read_with_the_queues_and_polled_at_the_configured_pace() {
    let mut m = testing::loaded_model();
    assert_eq!(crate::app::news_items(&m).len(), 2);
    m.settings.news_interval = Some(5);
    let rest = poll(&mut m, testing::news_of(0));
    let timers: Vec<Duration> = rest
        .iter()
        .filter_map(|e| match e {
            Effect::SetTimer {
                timer: Timer::News,
                after,
            } => Some(*after),
            _ => None,
        })
        .collect();
    assert_eq!(timers, [Duration::from_secs(15)], "never faster than 15 s");
}

#[test]
fn news_that_arrives_is_announced_once_and_rings_only_when_asked() {
    let mut m = testing::loaded_model();
    let before = notice(&m);
    let mut with_high = testing::news_of(0);
    with_high.push(high());
    let rest = poll(&mut m, with_high.clone());
    assert!(
        notice(&m).contains("breaking news, high: Email is down for the whole company"),
        "{}",
        notice(&m)
    );
    assert!(!rest.iter().any(|e| matches!(e, Effect::Bell)));
    m.notice = None;
    poll(&mut m, with_high.clone());
    assert_eq!(notice(&m), "", "announced once (was {before:?})");
    m.settings.bell = true;
    let mut more = with_high;
    more.push(testing::news_item(
        "10",
        Importance::Low,
        true,
        "Canteen closed",
    ));
    let rest = poll(&mut m, more);
    assert!(rest.iter().any(|e| matches!(e, Effect::Bell)));
}

#[test]
fn an_open_high_item_puts_a_banner_up_and_its_key_reads_it() {
    let mut m = testing::loaded_model();
    assert!(crate::app::banner(&m).is_none());
    let mut items = testing::news_of(0);
    items.push(high());
    poll(&mut m, items);
    let b = crate::app::banner(&m).expect("a banner");
    assert_eq!(b.item.id, "9");
    assert_eq!(b.more_open, 1, "the open Medium item");
    send(&mut m, ch('N'));
    send(&mut m, key(KeyCode::Enter));
    let Mode::News(view) = &m.mode else {
        panic!("expected the news pane, got {:?}", m.mode);
    };
    assert_eq!(view.reading.as_ref().map(|(_, id)| id.as_str()), Some("9"));
    // Closed: the banner goes.
    let mut closed = high();
    closed.open = false;
    poll(&mut m, vec![closed]);
    assert!(crate::app::banner(&m).is_none());
}
