//! Behaviour of `update` as an agent would notice it: loading order, navigation, filters, stale
//! answers, errors. No terminal, no network: effects are inspected, answers are fed back.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::TicketId;
use crate::provider::ProviderError;
use crate::testing;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// The id of the only effect matching `pick`.
fn find(effects: &[Effect], pick: impl Fn(&Effect) -> bool) -> RequestId {
    let ids: Vec<_> = effects
        .iter()
        .filter(|e| pick(e))
        .map(Effect::request_id)
        .collect();
    assert_eq!(ids.len(), 1, "expected one matching effect in {effects:?}");
    ids[0]
}

/// A model that has loaded the catalog, the index and every row of "All open".
fn loaded() -> Model {
    testing::loaded_model()
}

fn rows(m: &Model) -> Vec<&str> {
    m.requests.rows.iter().map(|id| id.0.as_str()).collect()
}

#[test]
fn start_checks_the_connection_and_loads_reference_data_first() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Probe(_), Effect::LoadCatalog(_)]
        ),
        "{effects:?}"
    );
    assert!(m.catalog.is_loading());
    assert!(m.wants_tick(), "the spinner must move while loading");
}

#[test]
fn loading_fills_counts_and_lists_all_open_requests_newest_first() {
    let m = loaded();
    assert_eq!(
        rows(&m),
        [
            "1208", "1207", "1206", "1205", "1204", "1203", "1202", "1201"
        ]
    );
    let catalog = m.catalog.data().unwrap().clone();
    let tree = m.queues.rows(&catalog);
    let counts: Vec<_> = tree.iter().map(|r| (r.label.as_str(), r.count)).collect();
    // Service Desk counts its own request and those of its two levels.
    assert_eq!(
        counts,
        [
            ("All open", 8),
            ("Service Desk", 4),
            ("IT Infrastructure", 2),
            ("Facilities", 2)
        ]
    );
    assert_eq!(
        m.queues
            .count(&catalog, &QueueKey::HelpDesk("1".into()), Some("1")),
        1
    );
    assert!(!m.requests.is_loading());
    assert_eq!(m.last_refresh, Some(testing::now()));
    assert!(!m.is_busy());
}

#[test]
fn moving_through_queues_previews_their_requests() {
    let mut m = loaded();
    update(&mut m, ch('j'));
    assert_eq!(
        rows(&m),
        ["1208", "1207", "1206", "1205"],
        "Service Desk with its levels"
    );
    update(&mut m, ch('l'));
    update(&mut m, ch('j'));
    assert_eq!(rows(&m), ["1208", "1207"], "Level 1 alone");
    update(&mut m, ch('h'));
    let catalog = m.catalog.data().unwrap().clone();
    assert_eq!(
        m.queues.selected(&catalog),
        QueueKey::HelpDesk("1".into()),
        "collapsing a level goes to its desk"
    );
    assert_eq!(m.queues.rows(&catalog).len(), 4);
    assert_eq!(
        rows(&m),
        ["1208", "1207", "1206", "1205"],
        "the list follows the cursor"
    );
    update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.focus, Focus::Requests);
}

#[test]
fn opening_a_request_loads_its_detail_and_a_late_answer_for_another_is_dropped() {
    let mut m = loaded();
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(m.focus, Focus::Requests);
    update(&mut m, ch('j'));
    let first = update(&mut m, key(KeyCode::Enter));
    let first_id = find(&first, |e| matches!(e, Effect::LoadDetail(..)));
    assert_eq!(m.detail.id, Some(TicketId("1207".into())));
    assert_eq!(m.focus, Focus::Detail);
    // The agent goes back and opens another request before the first answer arrives.
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, ch('j'));
    let second = update(&mut m, key(KeyCode::Enter));
    let second_id = find(&second, |e| matches!(e, Effect::LoadDetail(..)));
    update(
        &mut m,
        Msg::Loaded(
            first_id,
            Loaded::Detail(Box::new(Ok(testing::detail("1207")))),
        ),
    );
    assert!(
        m.detail.data.is_loading(),
        "the stale answer must not be shown"
    );
    update(
        &mut m,
        Msg::Loaded(
            second_id,
            Loaded::Detail(Box::new(Ok(testing::detail("1206")))),
        ),
    );
    assert_eq!(
        m.detail.data.data().map(|d| d.ticket.id.0.as_str()),
        Some("1206")
    );
}

#[test]
fn fuzzy_filter_narrows_the_list_and_escape_restores_it() {
    let mut m = loaded();
    update(&mut m, ch('/'));
    assert!(m.requests.editing);
    assert_eq!(m.focus, Focus::Requests);
    for c in "printr".chars() {
        update(&mut m, ch(c));
    }
    assert_eq!(
        rows(&m)[0],
        "1207",
        "the best match on the title comes first"
    );
    assert!(
        rows(&m).len() < 8,
        "others are filtered out: {:?}",
        rows(&m)
    );
    let matched = rows(&m).len();
    update(&mut m, key(KeyCode::Enter));
    assert!(!m.requests.editing);
    assert_eq!(rows(&m).len(), matched, "enter keeps the filter");
    update(&mut m, ch('/'));
    for c in "josé".chars() {
        update(&mut m, ch(c));
    }
    assert!(
        rows(&m).is_empty(),
        "filter text appends: 'printrjosé' matches nothing"
    );
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(rows(&m).len(), 8);
    // Customer names are searchable too.
    update(&mut m, ch('/'));
    for c in "zoe".chars() {
        update(&mut m, ch(c));
    }
    let mut best: Vec<_> = rows(&m)[..4].to_vec();
    best.sort_unstable();
    assert_eq!(
        best,
        ["1201", "1203", "1205", "1207"],
        "Zoë's requests rank first: {:?}",
        rows(&m)
    );
}

#[test]
fn status_filter_and_sort_change_what_is_listed() {
    let mut m = loaded();
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, ch('s'));
    assert_eq!(m.queues.status_filter.as_deref(), Some("1"));
    assert_eq!(rows(&m), ["1208", "1204"], "only New");
    update(&mut m, ch('S'));
    assert_eq!(m.queues.status_filter, None, "back to every open status");
    update(&mut m, ch('o'));
    assert_eq!(m.requests.sort, SortOrder::Priority);
    assert_eq!(rows(&m)[..2], ["1208", "1204"], "critical, then urgent");
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("priority"))
    );
}

#[test]
fn the_cursor_stays_on_the_same_request_when_rows_change() {
    let mut m = loaded();
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, ch('G'));
    assert_eq!(m.requests.selected().map(|i| i.0.as_str()), Some("1201"));
    update(&mut m, ch('o'));
    assert_eq!(m.requests.selected().map(|i| i.0.as_str()), Some("1201"));
    update(&mut m, ch('g'));
    assert_eq!(m.requests.cursor, 0);
}

#[test]
fn a_refresh_drops_row_answers_from_before_it() {
    let mut m = loaded();
    m.tickets.clear();
    let effects = update(&mut m, ch('r'));
    let index_id = find(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    let effects = update(
        &mut m,
        Msg::Loaded(index_id, Loaded::Index(Ok(testing::index()))),
    );
    let old = find(&effects, |e| matches!(e, Effect::LoadTickets(..)));
    // Another refresh before the rows arrive: the first batch is from an outdated index.
    let effects = update(&mut m, ch('r'));
    let index_id = find(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    update(
        &mut m,
        Msg::Loaded(old, Loaded::Tickets(Ok(testing::tickets()))),
    );
    assert!(m.tickets.is_empty(), "stale rows dropped");
    assert!(
        m.index.data().is_some(),
        "the old index stays on screen while reloading"
    );
    update(
        &mut m,
        Msg::Loaded(index_id, Loaded::Index(Ok(testing::index()))),
    );
    assert_eq!(m.requests.loading(), 8);
}

#[test]
fn errors_are_explained_and_retry_is_one_key_away() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let catalog_id = find(&effects, |e| matches!(e, Effect::LoadCatalog(_)));
    update(
        &mut m,
        Msg::Loaded(
            catalog_id,
            Loaded::Catalog(Box::new(Err(ProviderError::Unauthorized))),
        ),
    );
    let notice = m.notice.clone().expect("a notice");
    assert!(
        notice.text.contains("could not load the help desks"),
        "{}",
        notice.text
    );
    assert!(
        notice.text.contains("check the user name and token"),
        "{}",
        notice.text
    );
    let effects = update(&mut m, ch('r'));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::LoadCatalog(_))),
        "{effects:?}"
    );
    // A connection failure marks the connection offline.
    let catalog_id = find(&effects, |e| matches!(e, Effect::LoadCatalog(_)));
    update(
        &mut m,
        Msg::Loaded(
            catalog_id,
            Loaded::Catalog(Box::new(Err(ProviderError::Connect(
                "connection refused".into(),
            )))),
        ),
    );
    assert!(matches!(m.connection, Connection::Offline(_)));
    // The notice fades once its time is up.
    m.now += chrono::Duration::seconds(11);
    update(&mut m, Msg::Tick);
    assert!(m.notice.is_none());
}

#[test]
fn help_overlay_takes_keys_until_closed() {
    let mut m = loaded();
    update(&mut m, ch('?'));
    assert_eq!(m.help, Some(0));
    update(&mut m, ch('q'));
    assert!(!m.quit, "q closes help, it does not quit");
    assert_eq!(m.help, None);
    update(&mut m, ch('q'));
    assert!(m.quit);
}

#[test]
fn detail_scrolls_to_its_last_page_and_no_further() {
    let mut m = loaded();
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, ch('j'));
    let effects = update(&mut m, key(KeyCode::Enter));
    let id = find(&effects, |e| matches!(e, Effect::LoadDetail(..)));
    update(
        &mut m,
        Msg::Loaded(id, Loaded::Detail(Box::new(Ok(testing::detail("1207"))))),
    );
    m.size = (80, 12);
    // The UI lays the text out when drawing; 30 columns makes it long enough to scroll.
    let lines = m.detail.lines(30).len();
    let page = 12 - 6;
    assert!(lines > 2 * page, "fixture long enough: {lines}");
    for _ in 0..200 {
        update(&mut m, ch('j'));
    }
    assert_eq!(m.detail.scroll, lines - page, "stops at the last page");
    update(&mut m, ch('g'));
    assert_eq!(m.detail.scroll, 0);
    update(&mut m, ch('G'));
    assert_eq!(m.detail.scroll, lines - page);
}

#[test]
fn typing_a_filter_key_by_key_lists_the_same_rows_as_typing_it_at_once() {
    let mut m = loaded();
    for query in [
        "printr",
        "vpn",
        "!vpn",
        "air$",
        "'room",
        "jose !chair",
        "12",
        "zo ang",
    ] {
        update(&mut m, ch('/'));
        for c in query.chars() {
            update(&mut m, ch(c));
        }
        let typed = rows(&m).iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut fresh = m.requests.clone();
        fresh.rebuild(&m.tickets);
        let at_once: Vec<_> = fresh.rows.iter().map(|id| id.0.clone()).collect();
        assert_eq!(typed, at_once, "query {query:?}");
        update(&mut m, key(KeyCode::Esc));
    }
}

#[test]
fn moving_while_filtering_and_on_empty_lists_is_safe() {
    let mut m = loaded();
    update(&mut m, ch('/'));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Down));
    assert_eq!(m.requests.cursor, 2, "arrows move while typing");
    for c in "zzzzqqq".chars() {
        update(&mut m, ch(c));
    }
    assert!(rows(&m).is_empty());
    update(&mut m, key(KeyCode::Enter));
    for k in [
        ch('j'),
        ch('G'),
        ch('k'),
        key(KeyCode::PageDown),
        key(KeyCode::Enter),
    ] {
        update(&mut m, k);
    }
    assert_eq!(m.detail.id, None, "nothing to open");
    assert_eq!(m.requests.cursor, 0);
}

#[test]
fn a_failed_row_load_is_marked_and_rows_the_server_dropped_leave_the_list() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let effects = testing::answer_catalog(&mut m, &effects);
    let effects = testing::answer_index(&mut m, &effects);
    let rows_id = find(&effects, |e| matches!(e, Effect::LoadTickets(..)));
    let error = ProviderError::Server {
        status: 502,
        message: crate::text::SafeText::default(),
    };
    update(&mut m, Msg::Loaded(rows_id, Loaded::Tickets(Err(error))));
    assert_eq!(m.requests.failed.len(), 8);
    assert!(!m.is_busy(), "nothing is loading any more");
    // r retries, and this time the server no longer knows 1201.
    let effects = update(&mut m, ch('r'));
    let index_id = find(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    let effects = update(
        &mut m,
        Msg::Loaded(index_id, Loaded::Index(Ok(testing::index()))),
    );
    assert!(
        m.requests.failed.is_empty(),
        "retried rows are no longer marked failed"
    );
    let rows_id = find(&effects, |e| matches!(e, Effect::LoadTickets(..)));
    let answer = testing::tickets()
        .into_iter()
        .filter(|t| t.id.0 != "1201")
        .collect();
    update(&mut m, Msg::Loaded(rows_id, Loaded::Tickets(Ok(answer))));
    assert_eq!(rows(&m).len(), 7);
    assert!(!rows(&m).contains(&"1201"));
    let catalog = m.catalog.data().unwrap().clone();
    let counts: Vec<_> = m.queues.rows(&catalog).iter().map(|r| r.count).collect();
    assert_eq!(counts, [7, 4, 2, 1], "the counts agree with the list");
}

#[test]
fn rows_in_flight_when_a_reload_fails_are_marked_not_loaded() {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let effects = testing::answer_catalog(&mut m, &effects);
    testing::answer_index(&mut m, &effects);
    assert_eq!(m.requests.loading(), 8);
    let effects = update(&mut m, ch('r'));
    let index_id = find(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    let error = ProviderError::Timeout {
        what: "incidents.by.status".into(),
    };
    update(&mut m, Msg::Loaded(index_id, Loaded::Index(Err(error))));
    assert!(!m.is_busy());
    assert_eq!(
        m.requests.failed.len(),
        8,
        "shown as not loaded, not as loading forever"
    );
}

#[test]
fn help_scroll_stops_at_its_end_and_the_help_key_closes_it() {
    let mut m = loaded();
    m.size = (80, 24);
    update(&mut m, ch('?'));
    for _ in 0..500 {
        update(&mut m, ch('j'));
    }
    let end = m.help.unwrap();
    // The overlay shows 20 lines at 80x24 (24 - status bar - borders - margin).
    assert_eq!(
        end,
        help_len(&m.keymap) - 20,
        "scroll ends where the last line is at the bottom"
    );
    update(&mut m, ch('k'));
    assert_eq!(m.help, Some(end - 1), "one key up moves up at once");
    update(&mut m, ch('?'));
    assert_eq!(m.help, None);
}

#[test]
fn the_connection_is_checked_again_when_the_server_answers_after_a_failure() {
    let mut m = loaded();
    let effects = update(&mut m, ch('r'));
    let index_id = find(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    let timeout = ProviderError::Timeout {
        what: "incidents.by.status".into(),
    };
    let effects = update(&mut m, Msg::Loaded(index_id, Loaded::Index(Err(timeout))));
    assert!(matches!(m.connection, Connection::Offline(_)));
    assert!(effects.is_empty());
    let effects = update(&mut m, ch('r'));
    let probe = find(&effects, |e| matches!(e, Effect::Probe(_)));
    let index_id = find(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    // The probe is slow; the index arrives first and proves the server is back.
    let effects = update(
        &mut m,
        Msg::Loaded(index_id, Loaded::Index(Ok(testing::index()))),
    );
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Probe(_))),
        "a probe is already out"
    );
    let info = crate::domain::ServerInfo {
        product: "InvGate Service Management".into(),
        version: crate::text::SafeText::line("v8"),
    };
    update(&mut m, Msg::Loaded(probe, Loaded::Probe(Ok(info))));
    assert!(matches!(m.connection, Connection::Online(_)));
    // Offline again, and this time only a row load answers: it triggers the check itself.
    m.connection = Connection::Offline("no answer".into());
    let effects = update(&mut m, ch('j'));
    assert!(effects.is_empty());
    let rows = testing::tickets();
    let id = m.next_request_id();
    m.requests.start_load(id, vec![rows[0].id.clone()]);
    let effects = update(
        &mut m,
        Msg::Loaded(id, Loaded::Tickets(Ok(vec![rows[0].clone()]))),
    );
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Probe(_))),
        "{effects:?}"
    );
}
