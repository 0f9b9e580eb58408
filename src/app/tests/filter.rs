//! The fuzzy filter, the status filter and the sort, and the worker's generations: the newest
//! completed pass is shown and an older one never replaces it.

use std::sync::Arc;

use super::*;

#[test]
fn fuzzy_filter_narrows_the_list_and_escape_restores_it() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('/'));
    assert_eq!(m.mode, Mode::Filter);
    assert_eq!(m.focus, Focus::Requests);
    press(&mut m, "printr");
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
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.mode, Mode::Normal);
    assert_eq!(rows(&m).len(), matched, "enter keeps the filter");
    send(&mut m, ch('/'));
    press(&mut m, "josé");
    assert!(
        rows(&m).is_empty(),
        "filter text appends: 'printrjosé' matches nothing"
    );
    send(&mut m, key(KeyCode::Esc));
    assert_eq!(rows(&m).len(), 8);
    // Customer names are searchable too.
    send(&mut m, ch('/'));
    press(&mut m, "zoe");
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
fn while_filtering_letters_are_text_and_editing_keys_edit() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('/'));
    press(&mut m, "q vpn");
    assert!(!m.quit, "q is typed, it does not quit");
    assert_eq!(m.requests.filter, "q vpn");
    send(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    );
    assert_eq!(m.requests.filter, "q ", "ctrl-w deletes the word");
    send(&mut m, key(KeyCode::Backspace));
    send(&mut m, key(KeyCode::Backspace));
    assert_eq!(m.requests.filter, "");
    assert_eq!(rows(&m).len(), 8);
}

#[test]
fn deleting_a_word_after_a_no_break_space_is_safe() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('/'));
    press(&mut m, "printer\u{a0}jam");
    send(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    );
    assert_eq!(m.requests.filter, "printer\u{a0}");
    send(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    );
    assert_eq!(m.requests.filter, "");
}

#[test]
fn status_filter_and_sort_change_what_is_listed() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, ch('s'));
    assert_eq!(m.queues.status_filter.as_deref(), Some("new"));
    assert_eq!(rows(&m), ["1208", "1204"], "only New");
    send(&mut m, ch('S'));
    assert_eq!(m.queues.status_filter, None, "back to every open status");
    send(&mut m, ch('o'));
    assert_eq!(m.requests.sort, SortOrder::Priority);
    assert_eq!(rows(&m)[..2], ["1208", "1204"], "critical, then urgent");
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("priority"))
    );
}

#[test]
fn typing_a_filter_key_by_key_lists_the_same_rows_as_typing_it_at_once() {
    let mut m = testing::loaded_model();
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
        send(&mut m, ch('/'));
        // Key by key through one worker, which narrows each pass from the previous one.
        let mut worker = Matcher::default();
        for c in query.chars() {
            for effect in update(&mut m, ch(c)) {
                if let Effect::Match(job) = effect
                    && let Some(matched) = worker.run(&job, &|| false)
                {
                    update(&mut m, Msg::Matched(matched));
                }
            }
        }
        let typed = rows(&m);
        // The same query at once, on a fresh worker.
        let job = m.requests.job(false);
        let fresh = Matcher::default().run(&job, &|| false).unwrap();
        let at_once: Vec<String> = fresh
            .rows
            .iter()
            .map(|&i| fresh.candidates[i as usize].key.id.to_string())
            .collect();
        assert_eq!(typed, at_once, "query {query:?}");
        send(&mut m, key(KeyCode::Esc));
    }
}

#[test]
fn an_older_pass_never_replaces_a_newer_one() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('/'));
    let first = update(&mut m, ch('v'));
    let second = update(&mut m, ch('p'));
    let job = |effects: Vec<Effect>| {
        effects
            .into_iter()
            .find_map(|e| match e {
                Effect::Match(job) => Some(job),
                _ => None,
            })
            .unwrap()
    };
    let (first, second) = (job(first), job(second));
    assert!(m.requests.is_matching(), "a pass is running");
    let newer = Matcher::default().run(&second, &|| false).unwrap();
    update(&mut m, Msg::Matched(newer));
    let shown = rows(&m);
    let older = Matcher::default().run(&first, &|| false).unwrap();
    update(&mut m, Msg::Matched(older));
    assert_eq!(rows(&m), shown, "the late, older pass is dropped");
    assert!(!m.requests.is_matching());
}

#[test]
fn a_pass_stops_part_way_when_a_newer_job_supersedes_it() {
    use std::cell::Cell;
    let candidates: Arc<[Candidate]> = testing::many(20_000)
        .into_iter()
        .map(|t| Candidate {
            key: crate::domain::TicketKey {
                profile: ProfileId(0),
                id: t.id.clone(),
            },
            row: Arc::new(rows::Row::new(t)),
        })
        .collect();
    let job = MatchJob {
        generation: 1,
        intent: 1,
        candidates,
        query: "printer".into(),
        sort: SortOrder::default(),
    };
    // Nothing newer: the pass completes.
    let checks = Cell::new(0);
    let whole = Matcher::default().run(&job, &|| {
        checks.set(checks.get() + 1);
        false
    });
    assert!(whole.is_some_and(|m| !m.rows.is_empty()));
    let checks_in_a_whole_pass = checks.get();
    assert!(checks_in_a_whole_pass > 3, "{checks_in_a_whole_pass}");
    // A newer job arrives after the third check: the pass ends there, with nothing to show.
    checks.set(0);
    let cut = Matcher::default().run(&job, &|| {
        checks.set(checks.get() + 1);
        checks.get() >= 3
    });
    assert!(cut.is_none(), "a superseded pass returns nothing");
    assert_eq!(
        checks.get(),
        3,
        "it stopped at the first check that saw the newer job"
    );
}

#[test]
fn keys_typed_ahead_of_a_filter_pass_act_on_its_rows() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    // Typed in one go, before the worker answers: the filter, keep it, open the first match.
    let jobs = type_ahead(
        &mut m,
        chars("/vpn")
            .into_iter()
            .chain([key(KeyCode::Enter), key(KeyCode::Enter)]),
    );
    assert_eq!(
        m.detail.open, None,
        "the open waits for the rows it picks from"
    );
    testing::settle(&mut m, jobs);
    let opened = m.detail.open.as_ref().map(|k| k.id.to_string());
    assert_eq!(
        opened.as_deref(),
        Some("1206"),
        "the VPN request, the only match"
    );
    assert_eq!(m.focus, Focus::Detail);
    assert!(m.deferred_keys.is_empty());
}

#[test]
fn more_rows_for_the_same_question_never_make_a_key_wait() {
    use crate::domain::{Cursor, Page};
    use crate::provider::Answer;
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    let pending = testing::settle_with(&mut m, effects, testing::all_but_lists);
    // The listing comes in two pages: the first is shown, the second arrives while the agent
    // works.
    let tickets = testing::tickets();
    let page = |items: &[crate::domain::Ticket], next: Option<&str>| {
        Answer::Page(Ok(Page {
            unreadable: 0,
            items: items.to_vec(),
            next: next.map(|c| Cursor(c.into())),
            total: Some(tickets.len() as u64),
        }))
    };
    let (p, id) = find(&pending, |c| matches!(c, Call::List { cursor: None, .. }));
    let after_first = answer(&mut m, p, id, page(&tickets[..3], Some("2")));
    let (p, second) = find(&after_first, |c| {
        matches!(
            c,
            Call::List {
                cursor: Some(_),
                ..
            }
        )
    });
    testing::settle_with(&mut m, after_first, |_, _| None);
    send(&mut m, key(KeyCode::Tab));
    let top = selected(&m);
    assert!(top.is_some());
    // The second page asks for a pass over more rows, for the same question.
    let more = answer(&mut m, p, second, page(&tickets[3..], None));
    assert!(more.iter().any(|e| matches!(e, Effect::Match(_))));
    assert!(m.requests.is_matching() && !m.requests.is_behind());
    update(&mut m, key(KeyCode::Enter));
    assert!(m.deferred_keys.is_empty(), "the key did not wait");
    assert_eq!(
        m.detail.open.as_ref().map(|k| k.id.to_string()),
        top,
        "the request on the top row when Enter was pressed"
    );
}

#[test]
fn keys_replayed_after_a_pass_see_the_rows_each_earlier_key_asked_for() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    // Typed in one go: filter "vpn", keep it, go to the previous status filter, open.
    let jobs = type_ahead(
        &mut m,
        chars("/vpn")
            .into_iter()
            .chain([key(KeyCode::Enter), ch('S'), key(KeyCode::Enter)]),
    );
    testing::settle(&mut m, jobs);
    assert!(m.queues.status_filter.is_some());
    assert!(
        rows(&m).is_empty(),
        "no VPN request in that status: {:?}",
        rows(&m)
    );
    assert_eq!(
        m.detail.open, None,
        "Enter acted on the rows of the new status filter, not the ones before it"
    );
}

#[test]
fn a_replay_stops_at_a_hand_over_of_the_terminal_and_goes_on_after_it() {
    let mut m = testing::loaded_model();
    m.settings.pager = vec!["true".into()];
    m.settings.log_file = Some("/tmp/ttydesk.log".into());
    send(&mut m, key(KeyCode::Tab));
    let jobs = type_ahead(
        &mut m,
        [
            ch('/'),
            ch('1'),
            key(KeyCode::Enter),
            ch('j'),
            ch(':'),
            ch('l'),
            ch('o'),
            ch('g'),
            key(KeyCode::Enter),
            ch('j'),
        ],
    );
    assert_eq!(m.requests.cursor, 0, "j waits for the filter pass");
    let after = testing::settle(&mut m, jobs);
    let suspends = after
        .iter()
        .filter(|e| matches!(e, Effect::Suspend { .. }))
        .count();
    assert_eq!(suspends, 1);
    assert_eq!(m.requests.cursor, 1, "the j before :log, not the one after");
    assert_eq!(m.deferred_keys.len(), 1, "the last j waits for the pager");
    let id = after
        .iter()
        .find_map(|e| match e {
            Effect::Suspend { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    send(
        &mut m,
        Msg::Resumed {
            id,
            outcome: Ok(None),
        },
    );
    assert_eq!(m.requests.cursor, 2, "and acts once the console is back");
    assert!(m.deferred_keys.is_empty());
}
