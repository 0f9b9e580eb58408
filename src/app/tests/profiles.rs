//! Several profiles side by side: their requests never mix, one failing profile leaves the others
//! usable, the tree and the combined queue.

use super::*;
use crate::domain::TicketId;
use crate::provider::{Answer, ProviderError};

#[test]
fn the_tree_shows_every_profile_under_the_queue_of_all_of_them() {
    let m = testing::loaded_two();
    let labels: Vec<String> = tree(&m).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels[0], "All open · every profile");
    assert_eq!(labels[1], "Acme IT");
    assert!(labels.iter().any(|l| l == "Acme HR"));
    assert_eq!(tree(&m)[0].1, Some(16));
    assert_eq!(m.queues.selected, QueueKey::Everything);
}

#[test]
fn opening_request_1207_of_the_second_profile_shows_the_second_profiles_request() {
    let mut m = testing::loaded_two();
    let hr = m
        .requests
        .position(&crate::domain::TicketKey::new(
            ProfileId(1),
            TicketId::from("1207"),
        ))
        .expect("HR's 1207 is listed");
    send(&mut m, key(KeyCode::Tab));
    m.requests.cursor = hr;
    let effects = update(&mut m, key(KeyCode::Enter));
    let (p, _) = find(&effects, |c| matches!(c, Call::Detail { .. }));
    assert_eq!(p, ProfileId(1), "asked of the second profile");
    testing::settle(&mut m, effects);
    let (session, detail) = m.open_detail().unwrap();
    assert_eq!(session.label.name, "Acme HR");
    let title = detail.data().unwrap().ticket.title.to_string();
    assert_eq!(title, "Parental leave request for March");
    // And 1207 of the first profile is still the first profile's.
    let it = m
        .ticket(&crate::domain::TicketKey::new(
            ProfileId(0),
            TicketId::from("1207"),
        ))
        .unwrap();
    assert_eq!(it.title.as_str(), "Printer prints garbage characters");
}

#[test]
fn one_profile_timing_out_leaves_the_other_fully_usable() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, |p, call| {
        if p == ProfileId(0) {
            let e = ProviderError::Timeout {
                what: format!("{}, limit 5 s", call.name()),
            };
            Some(Answer::failed(call, e))
        } else {
            Some(testing::fixture_answer(p, call))
        }
    });
    assert!(matches!(m.sessions[0].connection, Connection::Offline(_)));
    assert!(m.sessions[1].is_online());
    assert_eq!(rows(&m).len(), 8, "Acme HR's requests are listed");
    // The second profile's desks can be opened and its requests read.
    send(&mut m, ch(':'));
    press(&mut m, "profile acme hr");
    send(&mut m, key(KeyCode::Enter));
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.focus, Focus::Detail);
    let (session, detail) = m.open_detail().unwrap();
    assert_eq!(session.label.name, "Acme HR");
    assert!(detail.data().is_some());
    // The failing one says so in its own words, and a refresh asks only it again.
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("Acme IT: ")),
        "{:?}",
        m.notice
    );
    let effects = update(&mut m, ch('r'));
    assert!(
        calls(&effects)
            .iter()
            .any(|(p, _, c)| *p == ProfileId(0) && matches!(c, Call::Catalog))
    );
}

#[test]
fn a_slow_profile_does_not_hold_back_the_other() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    // Profile 0 never answers anything; profile 1 answers everything.
    let pending = testing::settle_with(&mut m, effects, |p, call| {
        (p == ProfileId(1)).then(|| testing::fixture_answer(p, call))
    });
    assert!(
        calls(&pending).iter().all(|(p, _, _)| *p == ProfileId(0)),
        "only the slow profile still waits"
    );
    assert_eq!(rows(&m).len(), 8);
    assert!(m.sessions[1].listing.is_complete());
}
