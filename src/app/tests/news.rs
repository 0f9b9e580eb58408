//! Breaking news as the agent meets it: read with the queues, polled on a timer that never runs
//! faster than every 15 s, news and updates that arrive while the console runs announced once
//! (with the bell only when asked, never what the agent wrote), and the banner of an open High
//! item.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::domain::{Importance, Named, NewsItem, NewsUpdate, UserId};
use crate::provider::Answer;
use crate::text::SafeText;

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

/// An update on the timeline, by user `by` (101 Ravi, 100 Ana).
fn update_by(by: &str, minutes_ago: i64, body: &str) -> NewsUpdate {
    NewsUpdate {
        at: Some(testing::now() - chrono::Duration::minutes(minutes_ago)),
        creator: Some(Named {
            id: UserId::from(by),
            name: SafeText::line(if by == "100" {
                "Ana Pérez"
            } else {
                "Ravi Shankar"
            }),
        }),
        body: SafeText::block(body),
    }
}

/// Item 5's timeline in the fixtures (two updates by Ravi), and `more` after them.
fn timeline_of_5(more: &[NewsUpdate]) -> Vec<NewsUpdate> {
    let mut updates = testing::news_detail_of(0, "5").unwrap().updates;
    updates.extend_from_slice(more);
    updates
}

/// One `Timer::News` round on profile `on`, answered with `items` and the `timelines` given
/// (the fixtures' for the others); returns the effects that were not calls, and the items
/// whose timeline was read.
fn poll_timelines(
    m: &mut Model,
    on: u16,
    items: &[NewsItem],
    timelines: &HashMap<&str, Vec<NewsUpdate>>,
) -> (Vec<Effect>, Vec<String>) {
    let mut asked = Vec::new();
    let effects = update(m, Msg::Timer(Timer::News));
    let rest = testing::settle_with(m, effects, |p, call| match call {
        Call::News { .. } if p.0 == on => Some(Answer::News(Ok(Arc::new(items.to_vec())))),
        Call::NewsTimeline { id, .. } if p.0 == on => {
            asked.push(id.clone());
            Some(match timelines.get(id.as_str()) {
                Some(updates) => Answer::NewsTimeline(Ok(updates.clone())),
                None => testing::fixture_answer(p, call),
            })
        }
        _ => Some(testing::fixture_answer(p, call)),
    });
    (rest, asked)
}

#[test]
fn an_update_that_arrives_between_two_polls_is_announced_once() {
    let mut m = testing::loaded_model();
    // The first read of the timelines, at start-up, only records them.
    assert!(!notice(&m).contains("breaking news"), "{}", notice(&m));
    let items = testing::news_of(0);
    let same = HashMap::from([("5", timeline_of_5(&[]))]);
    let (_, asked) = poll_timelines(&mut m, 0, &items, &same);
    assert_eq!(asked, ["5"], "the open item only");
    assert_eq!(notice(&m), "", "nothing new");

    let newer = HashMap::from([(
        "5",
        timeline_of_5(&[update_by(
            "101",
            1,
            "\nPrinting is back to normal.\nThanks for your patience.",
        )]),
    )]);
    let (rest, _) = poll_timelines(&mut m, 0, &items, &newer);
    assert_eq!(
        notice(&m),
        "breaking news update: Printing is slow on floor 3: Printing is back to normal."
    );
    assert!(
        !rest.iter().any(|e| matches!(e, Effect::Bell)),
        "no bell unless asked"
    );
    m.notice = None;
    poll_timelines(&mut m, 0, &items, &newer);
    assert_eq!(notice(&m), "", "announced once");

    m.settings.bell = true;
    let newest = HashMap::from([(
        "5",
        timeline_of_5(&[
            update_by("101", 1, "Printing is back to normal."),
            update_by("101", 0, "Floor 3 is printing again."),
        ]),
    )]);
    let (rest, _) = poll_timelines(&mut m, 0, &items, &newest);
    assert!(
        notice(&m).ends_with(": Floor 3 is printing again."),
        "{}",
        notice(&m)
    );
    assert_eq!(
        rest.iter().filter(|e| matches!(e, Effect::Bell)).count(),
        1,
        "{rest:?}"
    );
}

#[test]
fn the_first_read_of_a_new_items_timeline_announces_the_item_not_its_updates() {
    let mut m = testing::loaded_model();
    let mut items = testing::news_of(0);
    items.push(high());
    let timelines = HashMap::from([("9", vec![update_by("101", 5, "Looking into it.")])]);
    let (_, asked) = poll_timelines(&mut m, 0, &items, &timelines);
    assert_eq!(asked, ["9", "5"], "High first");
    assert_eq!(
        notice(&m),
        "breaking news, high: Email is down for the whole company"
    );
    m.notice = None;
    poll_timelines(&mut m, 0, &items, &timelines);
    assert_eq!(notice(&m), "");
}

#[test]
fn what_the_agent_wrote_is_not_announced_to_them() {
    let mut m = testing::loaded_model();
    testing::as_agent(&mut m);
    let mut items = testing::news_of(0);
    // Ana's own new item, and her update on item 5.
    let mut mine = testing::news_item("12", Importance::High, true, "Wi-Fi down in the lobby");
    mine.creator = Some(Named {
        id: UserId::from("100"),
        name: SafeText::line("Ana Pérez"),
    });
    items.push(mine);
    let timelines = HashMap::from([(
        "5",
        timeline_of_5(&[update_by("100", 1, "Driver rolled back.")]),
    )]);
    poll_timelines(&mut m, 0, &items, &timelines);
    assert_eq!(notice(&m), "", "neither her item nor her update");
    // Someone else's update after hers is news.
    let timelines = HashMap::from([(
        "5",
        timeline_of_5(&[
            update_by("100", 1, "Driver rolled back."),
            update_by("101", 0, "Confirmed on floor 3."),
        ]),
    )]);
    poll_timelines(&mut m, 0, &items, &timelines);
    assert!(
        notice(&m).ends_with(": Confirmed on floor 3."),
        "{}",
        notice(&m)
    );
}

#[test]
fn many_open_items_are_read_eight_a_round_high_first_and_in_turn() {
    let mut m = testing::loaded_model();
    let mut items = testing::news_of(0);
    for n in 20..30 {
        let importance = if n < 23 {
            Importance::High
        } else {
            Importance::Low
        };
        items.push(testing::news_item(
            &n.to_string(),
            importance,
            true,
            &format!("Outage {n}"),
        ));
    }
    let none = HashMap::new();
    let (_, first) = poll_timelines(&mut m, 0, &items, &none);
    assert_eq!(
        first.len(),
        crate::app::news::TIMELINES_PER_ROUND,
        "{first:?}"
    );
    for high in ["20", "21", "22"] {
        assert!(first.iter().any(|id| id == high), "{high} in {first:?}");
    }
    let (_, second) = poll_timelines(&mut m, 0, &items, &none);
    // The High ones every round, then those not read last time.
    let open: Vec<&str> = items
        .iter()
        .filter(|i| i.open)
        .map(|i| i.id.as_str())
        .collect();
    let unread: Vec<&&str> = open
        .iter()
        .filter(|id| !first.iter().any(|f| f == *id))
        .collect();
    assert!(!unread.is_empty());
    for id in unread {
        assert!(
            second.iter().any(|s| s == *id),
            "{id} read in turn: {second:?}"
        );
    }
    assert!(
        !first.iter().chain(&second).any(|id| id == "4"),
        "closed items are not read"
    );
}

#[test]
fn the_update_that_closes_an_item_is_announced() {
    let mut m = testing::loaded_model();
    let mut items = testing::news_of(0);
    items[0].open = false;
    let closing = HashMap::from([(
        "5",
        timeline_of_5(&[update_by("101", 0, "Solved: the spooler was restarted.")]),
    )]);
    let (_, asked) = poll_timelines(&mut m, 0, &items, &closing);
    assert_eq!(asked, ["5"], "read once more after it closed");
    assert!(
        notice(&m).ends_with(": Solved: the spooler was restarted."),
        "{}",
        notice(&m)
    );
    let (_, asked) = poll_timelines(&mut m, 0, &items, &closing);
    assert!(asked.is_empty(), "then no more: {asked:?}");
}

#[test]
fn with_several_profiles_an_update_says_whose_it_is() {
    let mut m = testing::loaded_two();
    let items = testing::news_of(1);
    let mut updates = testing::news_detail_of(1, "5").unwrap().updates;
    updates.push(update_by("101", 0, "Back to normal."));
    let timelines = HashMap::from([("5", updates)]);
    poll_timelines(&mut m, 1, &items, &timelines);
    assert_eq!(
        notice(&m),
        "Acme HR: breaking news update: HR: Printing is slow on floor 3: Back to normal."
    );
}

#[test]
fn a_provider_without_timelines_is_not_asked_again() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let timelines = std::cell::Cell::new(0);
    let reply = |p: ProfileId, call: &Call| match call {
        Call::NewsTimeline { .. } => {
            timelines.set(timelines.get() + 1);
            Some(Answer::NewsTimeline(Err(
                crate::provider::ProviderError::Unsupported("news timelines"),
            )))
        }
        _ => Some(testing::fixture_answer(p, call)),
    };
    testing::settle_with(&mut m, effects, reply);
    assert_eq!(timelines.get(), 1);
    let effects = update(&mut m, Msg::Timer(Timer::News));
    testing::settle_with(&mut m, effects, reply);
    assert_eq!(timelines.get(), 1, "not asked again");
    assert_eq!(
        crate::app::news_items(&m).len(),
        2,
        "the news itself still comes"
    );
}

#[test]
fn an_update_read_in_the_item_is_not_announced_afterwards() {
    let mut m = testing::loaded_model();
    let more = [update_by("101", 0, "Back to normal.")];
    send(&mut m, ch('N'));
    // Item 5 is read (Enter) while its new update is already there.
    let effects = update(&mut m, key(KeyCode::Enter));
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::NewsDetail { id, .. } if id == "5" => {
            let mut detail = testing::news_detail_of(0, "5").unwrap();
            detail.updates = timeline_of_5(&more);
            Some(Answer::NewsDetail(Ok(Arc::new(detail))))
        }
        _ => Some(testing::fixture_answer(p, call)),
    });
    let timelines = HashMap::from([("5", timeline_of_5(&more))]);
    poll_timelines(&mut m, 0, &testing::news_of(0), &timelines);
    assert_eq!(notice(&m), "", "the agent has read it");
}
