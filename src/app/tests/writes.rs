//! Working a request as the agent notices it: the composer and its kinds, drafts, actions that
//! ask first, refusals that say which key to set, and the outbox's reports on screen.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use std::sync::Arc;

use crate::app::outbox::{OutboxEvent, OutboxItem, OutboxOp, Queued};
use crate::domain::{TicketId, UserId, Visibility, WaitFor, Write};
use crate::provider::Answer;
use crate::store::EntryState;

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Request 1207 open on a profile that takes writes as Ana (see `testing::writable_model`).
fn writable() -> Model {
    testing::writable_model()
}

fn added(effects: &[Effect]) -> Vec<(String, Queued)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Outbox(OutboxOp::Add { id, queued, .. }) => Some((id.clone(), queued.clone())),
            _ => None,
        })
        .collect()
}

fn type_text(m: &mut Model, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| update(m, ch(c))).collect()
}

fn composer(m: &Model) -> &crate::app::Composer {
    match &m.mode {
        Mode::Composer(c) => c,
        other => panic!("expected the composer, got {other:?}"),
    }
}

#[test]
fn a_reply_goes_to_the_outbox_with_the_kind_shown_before_sending() {
    let mut m = writable();
    send(&mut m, ch('c'));
    assert_eq!(composer(&m).kind, crate::app::ReplyKind::Public);
    type_text(&mut m, "Restarted the spooler");
    send(&mut m, ctrl('t'));
    assert_eq!(composer(&m).kind, crate::app::ReplyKind::Internal);
    assert!(composer(&m).kind.title().contains("agents only"));
    let effects = update(&mut m, ctrl('s'));
    assert_eq!(m.mode, Mode::Normal);
    let queued = added(&effects);
    assert_eq!(queued.len(), 1);
    let (_, q) = &queued[0];
    assert_eq!(
        q.write,
        Write::Comment {
            ticket: TicketId::from("1207"),
            body: "Restarted the spooler".into(),
            visibility: Visibility::Internal,
            solution: false,
        }
    );
    assert_eq!(q.author, UserId::from("100"));
    assert!(q.title.contains("1207"), "{}", q.title);
}

#[test]
fn an_empty_reply_is_not_sent_and_the_composer_stays() {
    let mut m = writable();
    send(&mut m, ch('c'));
    let effects = update(&mut m, ctrl('s'));
    assert!(added(&effects).is_empty());
    assert!(matches!(m.mode, Mode::Composer(_)));
    assert!(notice(&m).contains("empty"), "{}", notice(&m));
}

#[test]
fn typing_saves_a_draft_after_a_pause_and_quitting_saves_it_at_once() {
    let mut m = writable();
    send(&mut m, ch('c'));
    let effects = type_text(&mut m, "half a sen");
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::SetTimer {
            timer: Timer::Draft,
            ..
        }
    )));
    let saved = update(&mut m, Msg::Timer(Timer::Draft));
    let draft = saved.iter().find_map(|e| match e {
        Effect::Store(StoreOp::SaveDraft { draft, key }) => Some((draft.clone(), key.clone())),
        _ => None,
    });
    let (draft, key) = draft.expect("the draft is saved");
    assert_eq!(draft.text, "half a sen");
    assert_eq!(key.id.as_str(), "1207");
    type_text(&mut m, "tence");
    let quitting = update(&mut m, ctrl('c'));
    assert!(m.quit);
    assert!(
        quitting.iter().any(|e| matches!(
            e,
            Effect::Store(StoreOp::SaveDraft { draft, .. }) if draft.text == "half a sentence"
        )),
        "{quitting:?}"
    );
}

#[test]
fn escape_asks_before_discarding_and_no_goes_back_to_the_text() {
    let mut m = writable();
    send(&mut m, ch('c'));
    type_text(&mut m, "keep me");
    send(&mut m, key(KeyCode::Esc));
    assert!(matches!(&m.mode, Mode::Confirm(c) if c.title.contains("Discard")));
    send(&mut m, ch('n'));
    assert_eq!(composer(&m).body(), "keep me");
    send(&mut m, key(KeyCode::Esc));
    let effects = update(&mut m, ch('y'));
    assert_eq!(m.mode, Mode::Normal);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Store(StoreOp::DeleteDraft { .. })))
    );
}

#[test]
fn a_draft_found_on_opening_is_offered_back() {
    let mut m = writable();
    let key = m.detail.open.clone().unwrap();
    update(
        &mut m,
        Msg::Stored(Stored::Draft {
            key: key.clone(),
            draft: Some((
                crate::app::Draft {
                    text: "from before the crash".into(),
                    kind: crate::app::ReplyKind::Solution,
                },
                testing::now(),
            )),
        }),
    );
    assert!(notice(&m).contains("unsent draft"), "{}", notice(&m));
    send(&mut m, ch('n'));
    assert_eq!(composer(&m).body(), "from before the crash");
    assert_eq!(composer(&m).kind, crate::app::ReplyKind::Solution);
}

#[test]
fn without_an_agent_key_writes_are_refused_with_the_key_to_add() {
    let mut m = writable();
    let s = m.session_mut(ProfileId(0)).unwrap();
    s.agent = crate::app::Agent::NotSet;
    send(&mut m, ch('c'));
    assert_eq!(m.mode, Mode::Normal);
    assert!(notice(&m).contains("agent = "), "{}", notice(&m));
}

#[test]
fn a_vendor_whose_api_takes_no_writes_says_where_to_act_instead() {
    let mut m = writable();
    let s = m.session_mut(ProfileId(0)).unwrap();
    s.capabilities = Some(crate::domain::Capabilities {
        writes: false,
        ..crate::domain::Capabilities::EVERYTHING
    });
    s.label.vendor = "Iden".into();
    send(&mut m, ch('c'));
    assert_eq!(m.mode, Mode::Normal, "no composer opens");
    assert!(
        notice(&m)
            .ends_with("is read-only: Iden's API takes no replies or changes; make them in Iden"),
        "{}",
        notice(&m)
    );
}

#[test]
fn a_read_only_profile_refuses_every_write() {
    let mut m = writable();
    m.session_mut(ProfileId(0)).unwrap().label.read_only = true;
    send(&mut m, ch('c'));
    assert!(notice(&m).contains("read-only"), "{}", notice(&m));
    let effects = send(&mut m, ch('w'));
    assert!(added(&effects).is_empty());
}

#[test]
fn cancelling_asks_naming_the_profile_and_the_request() {
    let mut m = writable();
    send(&mut m, ch(':'));
    press(&mut m, "cancel");
    send(&mut m, key(KeyCode::Enter));
    assert!(notice(&m).contains("needs"), "{}", notice(&m));
    send(&mut m, ch(':'));
    press(&mut m, "cancel duplicate of 1208");
    send(&mut m, key(KeyCode::Enter));
    let Mode::Confirm(c) = &m.mode else {
        panic!("a confirmation, got {:?}", m.mode);
    };
    let text = c.lines.join("\n");
    assert!(text.contains("profile work"), "{text}");
    assert!(text.contains("1207"), "{text}");
    let effects = update(&mut m, ch('y'));
    let queued = added(&effects);
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0].1.write,
        Write::Cancel {
            ticket: TicketId::from("1207"),
            comment: "duplicate of 1208".into()
        }
    );
}

#[test]
fn waiting_and_reassigning_from_keys_and_the_palette() {
    let mut m = writable();
    let effects = send(&mut m, ch('w'));
    assert!(matches!(
        added(&effects).first().map(|(_, q)| &q.write),
        Some(Write::Wait {
            on: WaitFor::Customer,
            ..
        })
    ));
    // The picker lists desks, levels and their agents; typing narrows it.
    send(&mut m, ch('a'));
    let Mode::Picker(p) = &m.mode else {
        panic!("a picker opens on a, got {:?}", m.mode);
    };
    let labels: Vec<&str> = p.options.iter().map(|o| o.label.as_str()).collect();
    assert!(
        labels.contains(&"Service Desk › Level 2 / Ravi Shankar"),
        "{labels:?}"
    );
    assert!(labels.contains(&"Facilities"), "{labels:?}");
    press(&mut m, "lvl2 ravi");
    let Mode::Picker(p) = &m.mode else {
        panic!("still picking");
    };
    assert_eq!(
        p.highlighted().map(|o| o.label.as_str()),
        Some("Service Desk › Level 2 / Ravi Shankar")
    );
    // The request is read again first (nothing changed on it), then the change is queued.
    let effects = send(&mut m, key(KeyCode::Enter));
    assert_eq!(
        added(&effects).first().map(|(_, q)| q.write.clone()),
        Some(Write::Reassign {
            ticket: TicketId::from("1207"),
            desk: crate::domain::DeskId::from("12"),
            agent: Some(UserId::from("101")),
        })
    );
    // The palette takes the same, typed out.
    send(&mut m, ch(':'));
    press(&mut m, "reassign Facilities");
    let effects = send(&mut m, key(KeyCode::Enter));
    assert!(matches!(
        added(&effects).first().map(|(_, q)| &q.write),
        Some(Write::Reassign { agent: None, .. })
    ));
}

fn item(id: &str, write: Write, state: EntryState, error: Option<&str>) -> OutboxItem {
    OutboxItem {
        id: id.into(),
        subject: write.subject(),
        queued: Some(Queued {
            write,
            author: UserId::from("100"),
            title: "#1207 Printer".into(),
            account: None,
        }),
        state,
        attempts: 1,
        created_at: testing::now(),
        next_attempt_at: testing::now(),
        in_flight: false,
        last_error: error.map(str::to_string),
    }
}

#[test]
fn the_outbox_is_counted_and_its_writes_are_marked_on_the_request() {
    let mut m = writable();
    let reply = Write::Comment {
        ticket: TicketId::from("1207"),
        body: "On my way".into(),
        visibility: Visibility::Public,
        solution: false,
    };
    let reopen = Write::Reopen {
        ticket: TicketId::from("1207"),
    };
    update(
        &mut m,
        Msg::Outbox(OutboxEvent::Listed {
            profile: ProfileId(0),
            items: vec![
                item("a", reply, EntryState::Pending, None),
                item("b", reopen, EntryState::Failed, Some("the request is open")),
            ],
        }),
    );
    assert_eq!(crate::app::outbox_tally(&m), (1, 1));
    let lines: Vec<&str> = m.detail.lines().iter().map(|l| l.text.as_str()).collect();
    let text = lines.join("\n");
    assert!(
        text.contains("✕ not sent: reopen: the request is open"),
        "{text}"
    );
    assert!(text.contains("[PUBLIC REPLY] you"), "{text}");
    assert!(text.contains("On my way"), "{text}");
    // Confirmed: the marks go.
    update(
        &mut m,
        Msg::Outbox(OutboxEvent::Listed {
            profile: ProfileId(0),
            items: Vec::new(),
        }),
    );
    let text: Vec<String> = m.detail.lines().iter().map(|l| l.text.clone()).collect();
    assert!(!text.join("\n").contains("pending"), "{text:?}");
}

#[test]
fn a_delivery_reloads_the_open_request_and_a_refusal_says_why() {
    let mut m = writable();
    let effects = update(
        &mut m,
        Msg::Outbox(OutboxEvent::Delivered {
            profile: ProfileId(0),
            subject: crate::domain::Subject::Ticket(TicketId::from("1207")),
            what: "public reply".into(),
        }),
    );
    assert!(notice(&m).contains("delivered"));
    find(
        &effects,
        |c| matches!(c, Call::Detail { id, .. } if id.as_str() == "1207"),
    );
    update(
        &mut m,
        Msg::Outbox(OutboxEvent::Refused {
            profile: ProfileId(0),
            subject: crate::domain::Subject::Ticket(TicketId::from("1207")),
            what: "reopen".into(),
            reason: "the server refused the request: not closed".into(),
        }),
    );
    assert!(notice(&m).contains("not closed"), "{}", notice(&m));
}

#[test]
fn the_outbox_panel_retries_and_asks_before_discarding() {
    let mut m = writable();
    let reply = Write::Comment {
        ticket: TicketId::from("1207"),
        body: "On my way".into(),
        visibility: Visibility::Public,
        solution: false,
    };
    update(
        &mut m,
        Msg::Outbox(OutboxEvent::Listed {
            profile: ProfileId(0),
            items: vec![item("a", reply, EntryState::Failed, Some("closed"))],
        }),
    );
    send(&mut m, ch('W'));
    assert_eq!(m.mode, Mode::Outbox { cursor: 0 });
    let effects = update(&mut m, ch('r'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Outbox(OutboxOp::Retry { id, .. }), ..] if id == "a"
    ));
    send(&mut m, ch('d'));
    let Mode::Confirm(c) = &m.mode else {
        panic!("discarding asks first");
    };
    assert!(
        c.lines.join(" ").contains("text you wrote"),
        "{:?}",
        c.lines
    );
    let effects = update(&mut m, ch('y'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Outbox(OutboxOp::Discard { id, .. }), ..] if id == "a"
    ));
    assert_eq!(m.mode, Mode::Outbox { cursor: 0 });
}

#[test]
fn a_change_to_a_request_that_moved_on_the_server_shows_what_changed_and_asks() {
    let mut m = writable();
    let effects = update(&mut m, ch('w'));
    assert!(
        added(&effects).is_empty(),
        "nothing is queued before the check"
    );
    let (p, id) = find(&effects, |c| matches!(c, Call::Detail { .. }));
    let mut fresh = testing::detail("1207");
    fresh.ticket.updated_at = Some(testing::now());
    let resolved = testing::catalog()
        .statuses
        .iter()
        .find(|s| s.kind == crate::domain::StatusKind::Resolved)
        .cloned()
        .unwrap();
    fresh.ticket.status = resolved;
    let effects = testing::deliver(&mut m, p, id, Answer::Detail(Ok(Arc::new(fresh))));
    assert!(added(&effects).is_empty());
    let Mode::Confirm(c) = &m.mode else {
        panic!("the agent is asked, got {:?}", m.mode);
    };
    let text = c.lines.join("\n");
    assert!(text.contains("status: Open → Resolved"), "{text}");
    assert!(text.contains("wait for customer"), "{text}");
    let effects = update(&mut m, ch('y'));
    assert_eq!(
        added(&effects).len(),
        1,
        "applied anyway when the agent says so"
    );
}

#[test]
fn a_custom_field_is_set_by_its_label_and_erased_with_nothing_after_the_equals() {
    let mut m = writable();
    assert_eq!(
        set_field(&mut m, "field affected asset = PRN-0099"),
        Some(Write::SetField {
            ticket: TicketId::from("1207"),
            field: "cf_asset".into(),
            values: vec!["PRN-0099".into()],
        })
    );
    assert!(matches!(
        set_field(&mut m, "field Affected asset ="),
        Some(Write::SetField { values, .. }) if values.is_empty()
    ));
    assert_eq!(set_field(&mut m, "field nope = 1"), None);
    assert!(notice(&m).contains("no custom field"), "{}", notice(&m));
}

fn set_field(m: &mut Model, typed: &str) -> Option<Write> {
    send(m, ch(':'));
    press(m, typed);
    let effects = send(m, key(KeyCode::Enter));
    added(&effects).first().map(|(_, q)| q.write.clone())
}

#[test]
fn a_list_field_is_chosen_from_its_options_and_other_kinds_are_checked() {
    let mut m = writable();
    send(&mut m, ch(':'));
    press(&mut m, "field Site");
    send(&mut m, key(KeyCode::Enter));
    let Mode::Picker(p) = &m.mode else {
        panic!("a list field opens its options, got {:?}", m.mode);
    };
    let labels: Vec<&str> = p.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["Madrid HQ", "Berlin hub"]);
    press(&mut m, "ber");
    let effects = send(&mut m, key(KeyCode::Enter));
    assert_eq!(
        added(&effects).first().map(|(_, q)| q.write.clone()),
        Some(Write::SetField {
            ticket: TicketId::from("1207"),
            field: "cf_site".into(),
            values: vec!["Berlin hub".into()],
        })
    );
    // Typed out, a list value must be one of the options.
    assert_eq!(set_field(&mut m, "field Site = Lisbon"), None);
    assert!(notice(&m).contains("no option of Site"), "{}", notice(&m));
    assert!(matches!(
        set_field(&mut m, "field Room = Madrid HQ › Floor 3 › Room 301"),
        Some(Write::SetField { values, .. }) if values == ["Madrid HQ › Floor 3 › Room 301"]
    ));
    assert_eq!(set_field(&mut m, "field Units = three"), None);
    assert!(notice(&m).contains("takes a number"), "{}", notice(&m));
    assert!(matches!(
        set_field(&mut m, "field Units = 3"),
        Some(Write::SetField { values, .. }) if values == ["3"]
    ));
    assert_eq!(set_field(&mut m, "field Due = 2027-13-01"), None);
    assert!(notice(&m).contains("YYYY-MM-DD"), "{}", notice(&m));
    assert!(matches!(
        set_field(&mut m, "field Due = 2027-01-15"),
        Some(Write::SetField { values, .. }) if values == ["2027-01-15"]
    ));
    // A number or a date without a value: the palette waits for it.
    send(&mut m, ch(':'));
    press(&mut m, "field Units");
    send(&mut m, key(KeyCode::Enter));
    assert!(matches!(&m.mode, Mode::Palette(p) if p.input == "field Units = "));
}

#[test]
fn a_refresh_during_the_check_does_not_strand_the_change_and_a_second_one_waits() {
    let mut m = writable();
    let first = update(&mut m, ch('w'));
    assert!(added(&first).is_empty());
    // A second change while the first is being checked is refused, not swapped in.
    let second = update(&mut m, ch('w'));
    assert!(added(&second).is_empty());
    assert!(notice(&m).contains("still checking"), "{}", notice(&m));
    // A refresh replaces the read the check started; its answer still lets the change go on.
    let refresh = update(&mut m, ch('r'));
    let (p, id) = find(&refresh, |c| matches!(c, Call::Detail { .. }));
    let fresh = Arc::new(testing::detail("1207"));
    let effects = testing::deliver(&mut m, p, id, Answer::Detail(Ok(fresh)));
    assert_eq!(
        added(&effects).len(),
        1,
        "the waiting change is queued: {effects:?}"
    );
}
