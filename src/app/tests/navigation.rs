//! Moving through the panes: the tree and its previews, opening requests, the cursor that follows
//! its request, page sizes from the geometry, and the detail's scroll bounds.

use std::sync::Arc;

use super::*;
use crate::domain::TicketId;
use crate::provider::Answer;

#[test]
fn moving_through_queues_previews_their_requests() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('j'));
    assert_eq!(
        rows(&m),
        ["1208", "1207", "1206", "1205"],
        "Service Desk with its levels"
    );
    send(&mut m, ch('l'));
    send(&mut m, ch('j'));
    assert_eq!(rows(&m), ["1208", "1207"], "Level 1 alone");
    send(&mut m, ch('h'));
    assert_eq!(
        m.queues.selected,
        QueueKey::Desk(ProfileId(0), "1".into()),
        "collapsing a level goes to its desk"
    );
    assert_eq!(queue_rows(&m).len(), 4, "its levels are hidden again");
    assert_eq!(
        rows(&m),
        ["1208", "1207", "1206", "1205"],
        "the list follows the cursor"
    );
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.focus, Focus::Requests);
}

#[test]
fn collapsing_a_profile_hides_its_desks() {
    let mut m = testing::loaded_model();
    assert_eq!(m.queues.selected, QueueKey::Profile(ProfileId(0)));
    send(&mut m, ch('h'));
    assert_eq!(queue_rows(&m).len(), 1);
    send(&mut m, ch('l'));
    assert_eq!(queue_rows(&m).len(), 4);
}

#[test]
fn opening_a_request_loads_its_detail_and_a_stale_answer_is_dropped() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    assert_eq!(m.focus, Focus::Requests);
    send(&mut m, ch('j'));
    let first = update(&mut m, key(KeyCode::Enter));
    let (p, first_id) = find(&first, |c| matches!(c, Call::Detail { .. }));
    assert_eq!(
        m.detail.open.as_ref().map(|k| k.id.to_string()).as_deref(),
        Some("1207")
    );
    assert_eq!(m.focus, Focus::Detail);
    // A refresh asks for the detail again before the first answer arrives.
    let again = update(&mut m, ch('r'));
    let (_, second_id) = find(&again, |c| matches!(c, Call::Detail { .. }));
    answer(
        &mut m,
        p,
        first_id,
        Answer::Detail(Ok(Arc::new(testing::detail("1207")))),
    );
    let (_, detail) = m.open_detail().unwrap();
    assert!(
        detail.is_loading(),
        "the older answer is not the one awaited"
    );
    answer(
        &mut m,
        p,
        second_id,
        Answer::Detail(Ok(Arc::new(testing::detail("1207")))),
    );
    let (_, detail) = m.open_detail().unwrap();
    assert_eq!(
        detail.data().map(|d| d.ticket.id.to_string()).as_deref(),
        Some("1207")
    );
}

#[test]
fn an_answer_for_a_request_no_longer_open_is_kept_for_it_not_shown() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    let first = update(&mut m, key(KeyCode::Enter));
    let (p, first_id) = find(&first, |c| matches!(c, Call::Detail { .. }));
    // The agent goes back and opens another request before the first answer arrives.
    send(&mut m, key(KeyCode::Esc));
    send(&mut m, ch('j'));
    update(&mut m, key(KeyCode::Enter));
    answer(
        &mut m,
        p,
        first_id,
        Answer::Detail(Ok(Arc::new(testing::detail("1208")))),
    );
    let (_, shown) = m.open_detail().unwrap();
    assert!(shown.data().is_none(), "1207 is still loading");
    assert!(
        m.sessions[0].details[&TicketId::from("1208")]
            .data()
            .is_some(),
        "1208's answer waits for when it is opened again"
    );
}

#[test]
fn the_cursor_stays_on_the_same_request_when_rows_change() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    press(&mut m, "jjj");
    assert_eq!(selected(&m).as_deref(), Some("1205"));
    assert_eq!(m.requests.cursor, 3);
    // By priority 1205 (low) moves down: the cursor goes with it, not with its old row.
    send(&mut m, ch('o'));
    assert_eq!(selected(&m).as_deref(), Some("1205"));
    assert_ne!(m.requests.cursor, 3, "rows: {:?}", rows(&m));
    // Fresh rows for the list (a detail answer) keep the cursor on its request too.
    let before = m.requests.cursor;
    let effects = update(&mut m, key(KeyCode::Enter));
    testing::settle(&mut m, effects);
    send(&mut m, key(KeyCode::Esc));
    assert_eq!(selected(&m).as_deref(), Some("1205"));
    assert_eq!(m.requests.cursor, before);
    send(&mut m, ch('g'));
    assert_eq!(m.requests.cursor, 0);
}

#[test]
fn a_page_is_what_the_pane_shows_whether_or_not_a_frame_was_drawn() {
    let mut m = testing::model();
    let effects = update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 10,
        },
    );
    testing::settle(&mut m, effects);
    let effects = update(&mut m, Msg::Start);
    testing::settle(&mut m, effects);
    send(&mut m, key(KeyCode::Tab));
    // 10 rows: a status bar, the pane's two borders and its header leave 6 request rows.
    assert_eq!(m.screen().request_rows(), 6);
    send(&mut m, key(KeyCode::PageDown));
    assert_eq!(m.requests.cursor, 6, "a page is the rows in view");
    assert_eq!(
        m.requests.offset, 1,
        "the list scrolls by one to keep it in view"
    );
    press(&mut m, "kkkkk");
    assert_eq!((m.requests.cursor, m.requests.offset), (1, 1), "no jump");
    send(&mut m, ch('k'));
    assert_eq!((m.requests.cursor, m.requests.offset), (0, 0));
}

#[test]
fn detail_scrolls_to_its_last_page_and_no_further() {
    let mut m = testing::loaded_model();
    let effects = update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 12,
        },
    );
    testing::settle(&mut m, effects);
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, ch('j'));
    send(&mut m, key(KeyCode::Enter));
    let screen = m.screen();
    let page = screen.detail_rows();
    let lines = m.detail.lines().len();
    assert!(lines > 2 * page, "fixture long enough: {lines}");
    assert_eq!(page, 12 - 1 - 2, "a status bar and two borders");
    for _ in 0..200 {
        update(&mut m, ch('j'));
    }
    assert_eq!(m.detail.scroll, lines - page, "stops at the last page");
    send(&mut m, ch('g'));
    assert_eq!(m.detail.scroll, 0);
    send(&mut m, ch('G'));
    assert_eq!(m.detail.scroll, lines - page);
    // A wider terminal wraps into fewer lines; the scroll stays within them.
    let effects = update(
        &mut m,
        Msg::Resize {
            width: 100,
            height: 12,
        },
    );
    testing::settle(&mut m, effects);
    let wider = m.detail.lines().len();
    assert!(wider < lines);
    assert_eq!(m.detail.scroll, wider - page);
}

#[test]
fn moving_on_empty_lists_is_safe() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('/'));
    press(&mut m, "zzzzqqq");
    assert!(rows(&m).is_empty());
    send(&mut m, key(KeyCode::Enter));
    for k in [
        ch('j'),
        ch('G'),
        ch('k'),
        key(KeyCode::PageDown),
        key(KeyCode::Enter),
    ] {
        send(&mut m, k);
    }
    assert_eq!(m.detail.open, None, "nothing to open");
    assert_eq!(m.requests.cursor, 0);
}
