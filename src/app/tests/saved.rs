//! Data saved by an earlier run: shown at once, marked, replaced by fresh data; offline start.

use chrono::Duration;

use super::*;
use crate::provider::{Answer, ProviderError};

fn saved() -> Saved {
    testing::saved(3)
}

/// The title shown for request `id`, if it is listed.
fn title_of(m: &Model, id: &str) -> Option<String> {
    (0..m.requests.len())
        .filter_map(|i| m.requests.row(i))
        .find(|c| c.key.id == id)
        .map(|c| c.row.ticket.title.as_str().to_owned())
}

/// Saved data of an earlier run that differs from what the server now says: one request has
/// another title, and one more (closed since) was listed.
fn saved_then() -> Saved {
    let mut saved = saved();
    saved.tickets[0].title = crate::text::SafeText::line("Title as it was three hours ago");
    let mut closed = saved.tickets[1].clone();
    closed.id = crate::domain::TicketId::from("1100");
    saved.tickets.push(closed);
    if let Some((listing, _)) = saved.listing.as_mut() {
        listing.ids.push(crate::domain::TicketId::from("1100"));
        listing.total = Some(9);
    }
    saved
}

#[test]
fn saved_data_is_drawn_before_the_server_answers_and_replaced_when_it_does() {
    let mut m = testing::model();
    let first = testing::tickets()[0].clone();
    let effects = update(&mut m, Msg::Start);
    let effects = effects
        .into_iter()
        .chain(update(
            &mut m,
            Msg::Stored(Stored::Profile {
                profile: ProfileId(0),
                saved: Box::new(saved_then()),
            }),
        ))
        .collect();
    // Only the filter runs: the server has not answered anything yet.
    let pending = testing::settle_with(&mut m, effects, |_, _| None);
    assert_eq!(rows(&m).len(), 9, "the saved rows are on screen");
    assert!(rows(&m).contains(&"1100".to_string()));
    assert_eq!(
        title_of(&m, first.id.as_str()).as_deref(),
        Some("Title as it was three hours ago")
    );
    assert!(m.shows_saved_data());
    assert_eq!(
        m.sessions[0].listing.saved_at(),
        Some(testing::now() - Duration::hours(3))
    );
    assert_eq!(tree(&m)[0].1, Some(9), "counts from the saved listing");
    // The server answers: fresh data replaces the saved.
    testing::settle(&mut m, pending);
    assert!(!m.shows_saved_data());
    assert_eq!(rows(&m).len(), 8, "the request closed since is gone");
    assert!(!rows(&m).contains(&"1100".to_string()));
    assert_eq!(
        title_of(&m, first.id.as_str()).as_deref(),
        Some(first.title.as_str()),
        "the server's title"
    );
    assert_eq!(tree(&m)[0].1, Some(8));
}

#[test]
fn a_first_page_under_way_does_not_replace_a_complete_saved_listing() {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    let mut effects = testing::answer_with(&mut m, effects, testing::all_but_lists);
    effects.extend(update(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::new(saved_then()),
        }),
    ));
    // The first page of three comes in; more are to come.
    let mut first_page = testing::tickets();
    first_page.truncate(3);
    let effects = testing::settle_with(&mut m, effects, |_, call| match call {
        Call::List { cursor: None, .. } => Some(Answer::Page(Ok(crate::domain::Page {
            unreadable: 0,
            items: first_page.clone(),
            next: Some(crate::domain::Cursor("page-2".into())),
            total: Some(8),
        }))),
        _ => None,
    });
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::Call {
                call: Call::List {
                    cursor: Some(_),
                    ..
                },
                ..
            }
        )),
        "the next page was asked for"
    );
    assert_eq!(
        rows(&m).len(),
        9,
        "the saved listing, not the three rows so far"
    );
    assert!(rows(&m).contains(&"1100".to_string()));
    assert!(
        m.shows_saved_data(),
        "still the saved listing until the new one is in"
    );
}

#[test]
fn with_the_server_unreachable_the_saved_data_stays_and_says_so() {
    let mut m = testing::model();
    let mut effects = update(&mut m, Msg::Start);
    effects.extend(update(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::new(saved()),
        }),
    ));
    testing::settle_with(&mut m, effects, |_, call| {
        Some(Answer::failed(
            call,
            ProviderError::Connect("127.0.0.1:9: Connection refused".into()),
        ))
    });
    assert!(matches!(m.sessions[0].connection, Connection::Offline(_)));
    assert_eq!(rows(&m).len(), 8, "nothing blanks");
    assert!(m.shows_saved_data());
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("read-only")),
        "{:?}",
        m.notice
    );
}

#[test]
fn a_saved_listing_never_replaces_a_fresh_one() {
    let mut m = testing::loaded_model();
    let mut old = saved();
    if let Some((listing, _)) = &mut old.listing {
        listing.ids.truncate(2);
    }
    send(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::new(old),
        }),
    );
    assert_eq!(rows(&m).len(), 8);
    assert!(!m.shows_saved_data());
}

#[test]
fn saved_data_arriving_after_the_server_failed_says_it_is_all_there_is() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let effects = testing::settle_with(&mut m, effects, |_, call| {
        Some(Answer::failed(
            call,
            ProviderError::Connect("127.0.0.1:9: Connection refused".into()),
        ))
    });
    let effects: Vec<Effect> = effects
        .into_iter()
        .chain(update(
            &mut m,
            Msg::Stored(Stored::Profile {
                profile: ProfileId(0),
                saved: Box::new(saved()),
            }),
        ))
        .collect();
    testing::settle(&mut m, effects);
    assert_eq!(rows(&m).len(), 8);
    let notice = m.notice.clone().expect("a notice");
    assert!(notice.text.contains("work is offline"), "{}", notice.text);
    assert!(notice.text.contains("read-only"), "{}", notice.text);
}

/// Through the real store: a listing saved without some requests drops their saved rows, so
/// the next start does not count or show requests that were closed or moved away.
#[tokio::test]
async fn a_saved_listing_lets_go_of_the_rows_it_no_longer_lists() {
    use std::sync::Arc;

    use crate::app::persist::{self, Partition, StoreLink};
    use crate::app::rows::Row;
    use crate::domain::TicketId;

    let dir = tempfile::tempdir().expect("temp dir");
    let (store, notices) = persist::open(
        dir.path().join("store.sqlite3"),
        crate::store::JournalChoice::Auto,
    );
    assert!(notices.is_empty(), "{notices:?}");
    let link = StoreLink::new(
        store.expect("store"),
        vec![Partition {
            name: "work".into(),
            fingerprint: "fixture".into(),
        }],
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let profile = ProfileId(0);
    let rows: Vec<Arc<Row>> = testing::tickets()
        .into_iter()
        .map(|t| Arc::new(Row::new(t)))
        .collect();
    let listed: Vec<TicketId> = rows[..5].iter().map(|r| r.ticket.id.clone()).collect();
    link.execute(StoreOp::SaveRows { profile, rows }, &tx);
    link.execute(
        StoreOp::SaveListing {
            profile,
            ids: Arc::from(listed.clone()),
            total: Some(5),
        },
        &tx,
    );
    link.execute(StoreOp::Load { profile }, &tx);
    let Some(Msg::Stored(Stored::Profile { saved, .. })) = rx.recv().await else {
        panic!("the saved profile comes back");
    };
    let mut kept: Vec<TicketId> = saved.tickets.iter().map(|t| t.id.clone()).collect();
    kept.sort();
    let mut want = listed;
    want.sort();
    assert_eq!(kept, want, "only the listed requests' rows are kept");
    assert_eq!(saved.listing.map(|(l, _)| l.ids.len()), Some(5));
}
