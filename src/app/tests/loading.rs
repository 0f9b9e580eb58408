//! Start-up, refresh, stale answers, failures and retry, rate limits, the connection state.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::domain::{Page, TicketId};
use crate::provider::{Answer, ProviderError};

#[test]
fn start_checks_the_connection_and_loads_reference_data_first() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let asked: Vec<&str> = calls(&effects).iter().map(|(_, _, c)| c.name()).collect();
    assert_eq!(asked, ["probe"]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Store(StoreOp::Load { .. }))),
        "what the store kept is asked for at once: {effects:?}"
    );
    assert!(m.animating(), "the spinner must move while loading");
    // The catalog is asked for once the store has answered, with what it kept (here nothing).
    let effects = update(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::default(),
        }),
    );
    let asked = calls(&effects);
    assert!(
        matches!(asked.as_slice(), [(_, _, Call::Catalog { previous: None })]),
        "{asked:?}"
    );
    assert!(m.sessions[0].catalog.is_loading());
    // A second answer from the store (there is none, but) asks nothing again.
    let again = update(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::default(),
        }),
    );
    assert!(calls(&again).is_empty(), "{again:?}");
}

#[test]
fn a_saved_catalog_is_handed_to_the_provider_to_revalidate_and_so_is_an_aged_one() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    assert!(
        calls(&effects)
            .iter()
            .all(|(_, _, c)| c.name() != "catalog")
    );
    let saved = testing::saved(5);
    let kept = saved.catalog.clone().map(|(c, _)| c);
    let effects = update(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::new(saved),
        }),
    );
    let handed: Vec<_> = calls(&effects)
        .into_iter()
        .filter_map(|(_, _, c)| match c {
            Call::Catalog { previous } => Some(previous.map(|p| (*p).clone())),
            _ => None,
        })
        .collect();
    assert_eq!(handed, [kept]);
    testing::settle(&mut m, effects);
    let fresh = m.sessions[0].catalog().cloned().expect("loaded");
    // A refresh once the catalog has aged reloads it.
    m.now += chrono::Duration::days(1);
    let effects = update(&mut m, ch('r'));
    let handed: Vec<_> = calls(&effects)
        .into_iter()
        .filter_map(|(_, _, c)| match c {
            Call::Catalog { previous } => previous,
            _ => None,
        })
        .collect();
    assert!(
        handed.len() == 1 && Arc::ptr_eq(&handed[0], &fresh),
        "a refresh revalidates the catalog on screen: {effects:?}"
    );
}

#[test]
fn loading_fills_counts_and_lists_all_open_requests_newest_first() {
    let m = testing::loaded_model();
    assert_eq!(
        rows(&m),
        [
            "1208", "1207", "1206", "1205", "1204", "1203", "1202", "1201"
        ]
    );
    // Service Desk counts its own request and those of its two levels.
    assert_eq!(
        tree(&m),
        [
            ("work".to_string(), Some(8)),
            ("Service Desk".to_string(), Some(4)),
            ("IT Infrastructure".to_string(), Some(2)),
            ("Facilities".to_string(), Some(2)),
        ]
    );
    let s = &m.sessions[0];
    let new = s.statuses_named("new");
    assert_eq!(s.tally.count(Some(&"1".into()), Some(&new)), 1);
    assert!(s.listing.is_complete() && !s.listing.is_loading());
    assert_eq!(s.last_refresh, Some(testing::now()));
    assert!(!m.is_busy());
}

#[test]
fn the_counts_come_from_the_vendor_until_the_listing_is_complete() {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    // Probe and catalog answered; counts answered; the listing not yet.
    let effects = testing::answer(&mut m, effects);
    let effects = testing::answer_with(&mut m, effects, |p, call| match call {
        Call::Counts { .. } => Some(testing::fixture_answer(p, call)),
        _ => None,
    });
    assert!(m.sessions[0].listing.is_loading());
    assert!(m.sessions[0].tally.exact_counts, "vendor counts are exact");
    assert_eq!(tree(&m)[0], ("work".to_string(), Some(8)));
    testing::settle(&mut m, effects);
    assert_eq!(rows(&m).len(), 8);
}

#[test]
fn pages_are_followed_to_the_end_and_shown_as_they_come() {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    let all = testing::tickets();
    let mut pages = 0;
    let mut effects = testing::answer_with(&mut m, effects, testing::all_but_lists);
    // Three pages of at most three, the second overlapping the first.
    for (range, next) in [(0..3, Some("a")), (2..6, Some("b")), (6..8, None)] {
        let (p, id) = find(&effects, |c| matches!(c, Call::List { .. }));
        pages += 1;
        let page = Page {
            unreadable: 0,
            items: all[range].to_vec(),
            next: next.map(|n| crate::domain::Cursor(n.into())),
            total: Some(8),
        };
        effects = answer(&mut m, p, id, Answer::Page(Ok(page)));
        // Everything but the next page is answered (the filter pass runs).
        effects = testing::answer_with(&mut m, effects, testing::all_but_lists);
        if next.is_some() {
            assert!(m.sessions[0].listing.is_loading());
            assert!(
                !rows(&m).is_empty(),
                "the first rows show while the rest load"
            );
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(rows(&m).len(), 8, "no request twice: {:?}", rows(&m));
    assert!(m.sessions[0].listing.is_complete());
}

#[test]
fn a_refresh_while_a_listing_is_read_keeps_its_pages_and_drops_unawaited_answers() {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    let effects = testing::answer_with(&mut m, effects, testing::all_but_lists);
    let (p, first) = find(&effects, |c| matches!(c, Call::List { .. }));
    let all = testing::tickets();
    let page = |range: std::ops::Range<usize>, next: Option<&str>| Page {
        unreadable: 0,
        items: all[range].to_vec(),
        next: next.map(|n| crate::domain::Cursor(n.into())),
        total: Some(8),
    };
    let effects = answer(&mut m, p, first, Answer::Page(Ok(page(0..4, Some("4")))));
    let (_, second) = find(&effects, |c| matches!(c, Call::List { .. }));
    // The agent refreshes while the rest is read: the listing goes on, nothing restarts.
    let refresh = update(&mut m, ch('r'));
    assert!(
        !calls(&refresh)
            .iter()
            .any(|(_, _, c)| matches!(c, Call::List { .. })),
        "{refresh:?}"
    );
    assert_eq!(m.sessions[0].listing.ids().len(), 4, "the pages read stay");
    // An answer nobody waits for (the first page, again) changes nothing.
    answer(&mut m, p, first, Answer::Page(Ok(page(4..8, None))));
    assert_eq!(m.sessions[0].listing.ids().len(), 4);
    answer(&mut m, p, second, Answer::Page(Ok(page(4..8, None))));
    assert_eq!(m.sessions[0].listing.ids().len(), 8);
    assert!(m.sessions[0].listing.is_complete());
}

#[test]
fn a_refresh_keeps_the_list_on_screen_until_the_new_listing_is_in() {
    let mut m = testing::loaded_model();
    let effects = update(&mut m, ch('r'));
    assert_eq!(rows(&m).len(), 8, "nothing blanks while reloading");
    let error = ProviderError::Timeout {
        what: "incidents.by.status".into(),
    };
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::List { .. } => Some(Answer::Page(Err(error.clone()))),
        _ => Some(testing::fixture_answer(p, call)),
    });
    assert_eq!(rows(&m).len(), 8, "a failed reload keeps what was shown");
    assert!(!m.is_busy(), "nothing is loading any more");
    assert!(m.sessions[0].listing.error().is_some());
}

#[test]
fn errors_are_explained_and_retry_is_one_key_away() {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    let (p, catalog) = find(&effects, |c| matches!(c, Call::Catalog { .. }));
    let after = answer(
        &mut m,
        p,
        catalog,
        Answer::Catalog(Err(ProviderError::Unauthorized)),
    );
    let notice = m.notice.clone().expect("a notice");
    assert!(
        notice.text.contains("could not load the help desks"),
        "{}",
        notice.text
    );
    assert!(
        notice.text.contains("check the profile's token"),
        "{}",
        notice.text
    );
    assert!(
        after.iter().any(|e| matches!(
            e,
            Effect::SetTimer {
                timer: Timer::Notice,
                ..
            }
        )),
        "the notice fades by a timer, not by ticking: {after:?}"
    );
    let effects = update(&mut m, ch('r'));
    let (p, catalog) = find(&effects, |c| matches!(c, Call::Catalog { .. }));
    // A connection failure marks the connection offline.
    answer(
        &mut m,
        p,
        catalog,
        Answer::Catalog(Err(ProviderError::Connect("connection refused".into()))),
    );
    assert!(matches!(m.sessions[0].connection, Connection::Offline(_)));
    // The notice goes once its time is up and its timer fires.
    m.now += chrono::Duration::seconds(11);
    update(&mut m, Msg::Timer(Timer::Notice));
    assert!(m.notice.is_none());
}

/// Started, with every answer given but the listing's, which was a 502.
fn listing_failed_with_502() -> Model {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::List { .. } => Some(Answer::Page(Err(ProviderError::Server {
            status: 502,
            message: crate::text::SafeText::default(),
        }))),
        _ => Some(testing::fixture_answer(p, call)),
    });
    m
}

#[test]
fn a_failed_listing_is_explained_and_requests_the_server_dropped_leave_the_list() {
    let mut m = listing_failed_with_502();
    assert!(m.sessions[0].listing.error().is_some());
    assert!(!m.is_busy(), "nothing is loading any more");
    // r retries, and this time the server no longer lists 1201.
    let effects = update(&mut m, ch('r'));
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::List { .. } => {
            let mut page = testing::fixture_answer(p, call);
            if let Answer::Page(Ok(page)) = &mut page {
                page.items.retain(|t| t.id != "1201");
            }
            Some(page)
        }
        _ => Some(testing::fixture_answer(p, call)),
    });
    assert_eq!(rows(&m).len(), 7);
    assert!(!rows(&m).contains(&"1201".to_string()));
    let counts: Vec<_> = tree(&m).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        counts,
        [Some(7), Some(4), Some(2), Some(1)],
        "the counts agree with the list"
    );
}

#[test]
fn a_rate_limit_pauses_the_profile_even_for_a_manual_refresh() {
    let mut m = testing::loaded_model();
    let effects = update(&mut m, ch('r'));
    let (p, id) = find(&effects, |c| matches!(c, Call::List { .. }));
    let limited = ProviderError::RateLimited {
        retry_after: Some(Duration::from_secs(30)),
    };
    let effects = answer(&mut m, p, id, Answer::Page(Err(limited)));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::SetTimer { timer: Timer::RateLimit(_), after } if *after == Duration::from_secs(30)
        )),
        "{effects:?}"
    );
    assert!(m.sessions[0].rate_limited_until.is_some());
    let effects = update(&mut m, ch('r'));
    assert!(
        calls(&effects).is_empty(),
        "no call while the server asked to wait"
    );
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("rate limited")),
        "{:?}",
        m.notice
    );
    let effects = update(&mut m, Msg::Timer(Timer::RateLimit(p)));
    assert!(
        calls(&effects)
            .iter()
            .any(|(_, _, c)| matches!(c, Call::List { .. })),
        "it reloads by itself when the wait is over"
    );
    assert!(m.sessions[0].rate_limited_until.is_none());
}

#[test]
fn a_retry_after_of_zero_still_pauses_and_repeated_limits_back_off() {
    let mut m = testing::loaded_model();
    let limited = || ProviderError::RateLimited {
        retry_after: Some(Duration::ZERO),
    };
    let pause = |effects: &[Effect]| {
        effects.iter().find_map(|e| match e {
            Effect::SetTimer {
                timer: Timer::RateLimit(_),
                after,
            } => Some(*after),
            _ => None,
        })
    };
    let effects = update(&mut m, ch('r'));
    let (p, id) = find(&effects, |c| matches!(c, Call::List { .. }));
    let effects = answer(&mut m, p, id, Answer::Page(Err(limited())));
    assert_eq!(
        pause(&effects),
        Some(Duration::from_secs(5)),
        "never a tight loop"
    );
    let effects = update(&mut m, Msg::Timer(Timer::RateLimit(p)));
    let (_, id) = find(&effects, |c| matches!(c, Call::List { .. }));
    let effects = answer(&mut m, p, id, Answer::Page(Err(limited())));
    assert_eq!(
        pause(&effects),
        Some(Duration::from_secs(10)),
        "doubles while limits keep coming"
    );
    // An answer that is not a limit starts over.
    let effects = update(&mut m, Msg::Timer(Timer::RateLimit(p)));
    testing::settle(&mut m, effects);
    assert_eq!(m.sessions[0].rate_limits, 0);
}

#[test]
fn the_connection_is_checked_again_when_the_server_answers_after_a_failure() {
    let mut m = testing::loaded_model();
    let effects = update(&mut m, ch('r'));
    let (p, listing) = find(&effects, |c| matches!(c, Call::List { .. }));
    let timeout = ProviderError::Timeout {
        what: "incidents.by.status".into(),
    };
    let effects = answer(&mut m, p, listing, Answer::Page(Err(timeout)));
    assert!(matches!(m.sessions[0].connection, Connection::Offline(_)));
    assert!(calls(&effects).is_empty());
    let effects = update(&mut m, ch('r'));
    let (_, probe) = find(&effects, |c| matches!(c, Call::Probe));
    let (_, listing) = find(&effects, |c| matches!(c, Call::List { .. }));
    // The probe is slow; the listing arrives first and proves the server is back.
    let page = Page {
        unreadable: 0,
        items: testing::tickets(),
        next: None,
        total: Some(8),
    };
    let effects = answer(&mut m, p, listing, Answer::Page(Ok(page.clone())));
    assert!(
        !calls(&effects)
            .iter()
            .any(|(_, _, c)| matches!(c, Call::Probe)),
        "a probe is already out"
    );
    testing::settle(&mut m, effects);
    let effects = testing::answer_with(
        &mut m,
        vec![Effect::Call {
            profile: p,
            id: probe,
            call: Call::Probe,
        }],
        |p, c| Some(testing::fixture_answer(p, c)),
    );
    drop(effects);
    assert!(matches!(m.sessions[0].connection, Connection::Online(_)));
    // Offline again, and this time only a detail answers: it triggers the check itself.
    m.sessions[0].connection = Connection::Offline("no answer".into());
    send(&mut m, key(KeyCode::Tab));
    let effects = update(&mut m, key(KeyCode::Enter));
    let (p, detail) = find(&effects, |c| matches!(c, Call::Detail { .. }));
    let effects = answer(
        &mut m,
        p,
        detail,
        Answer::Detail(Ok(Arc::new(testing::detail("1208")))),
    );
    assert!(
        calls(&effects)
            .iter()
            .any(|(_, _, c)| matches!(c, Call::Probe)),
        "{effects:?}"
    );
}

#[test]
fn requests_ids_collide_across_profiles_but_never_their_rows() {
    let m = testing::loaded_two();
    let it = m.sessions[0].rows.get(&TicketId::from("1207")).unwrap();
    let hr = m.sessions[1].rows.get(&TicketId::from("1207")).unwrap();
    assert_ne!(it.title, hr.title);
    assert_eq!(
        rows(&m).len(),
        16,
        "every profile's requests in the combined queue"
    );
}

#[test]
fn a_fault_notice_goes_when_the_fault_does_not_ten_seconds_later() {
    let mut m = listing_failed_with_502();
    let notice = m.notice.clone().expect("the failure is said");
    assert!(
        notice.text.contains("could not load requests"),
        "{}",
        notice.text
    );
    // One second later the agent retries and the server answers: the notice is gone at once,
    // with no timer needed.
    m.now += chrono::Duration::seconds(1);
    let effects = update(&mut m, ch('r'));
    testing::settle(&mut m, effects);
    assert!(m.sessions[0].listing.error().is_none());
    assert!(m.notice.is_none(), "{:?}", m.notice);
    // A notice that is not about a fault (a hint, a confirmation) is left to its timer.
    m.notify(NoticeLevel::Info, "copied");
    let effects = update(&mut m, ch('r'));
    testing::settle(&mut m, effects);
    assert!(m.notice.is_some());
}
