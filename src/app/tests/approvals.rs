//! Approvals as the agent meets them: found without asking about every request on every
//! refresh, listed oldest first, read with their voters, voted on with a note and a
//! confirmation, drawn pending until the server confirms, and refused where the agent has no
//! say.

use super::*;

use crate::app::approvals::Checked;
use crate::app::outbox::{OutboxEvent, OutboxOp};
use crate::domain::{TicketId, Write};
use crate::provider::Answer;

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        send(m, ch(c));
    }
}

fn listed_ids(m: &Model) -> Vec<String> {
    let Mode::Approvals(view) = &m.mode else {
        panic!("expected the approvals pane, got {:?}", m.mode);
    };
    crate::app::approval_items(m, view)
        .iter()
        .map(|i| format!("{}/{}", i.approval.ticket, i.approval.id))
        .collect()
}

/// Every request of the first listing is checked once; the approvals waiting for Ana (1205's
/// and 1207's, not 1203's, which waits for Ravi) are counted.
#[test]
fn the_first_listing_checks_every_request_and_counts_what_waits_for_me() {
    let m = testing::writable_model();
    let s = m.session(ProfileId(0)).unwrap();
    assert_eq!(s.approvals.checked().count(), testing::tickets().len());
    let waiting: Vec<_> = crate::app::approvals_waiting(&m)
        .iter()
        .map(|w| w.approval.id.clone())
        .collect();
    assert_eq!(waiting, ["12", "9"], "oldest first: 1205's then 1207's");
}

/// A refresh reads approvals again only where they can have changed: requests holding pending
/// approvals, and requests whose last update moved.
#[test]
fn a_refresh_reads_only_pending_and_changed_requests() {
    let mut m = testing::writable_model();
    let mut asked: Vec<Vec<String>> = Vec::new();
    let effects = update(&mut m, ch('r'));
    testing::settle_with(&mut m, effects, |p, call| {
        if let Call::Approvals { tickets, .. } = call {
            asked.push(tickets.iter().map(|t| t.to_string()).collect());
        }
        match call {
            // 1201 changed on the server since it was checked.
            Call::List { .. } => {
                let mut items = testing::tickets_of(p.0);
                for t in &mut items {
                    if t.id == "1201" {
                        t.updated_at = Some(testing::now());
                    }
                }
                Some(Answer::Page(Ok(crate::domain::Page {
                    unreadable: 0,
                    total: Some(items.len() as u64),
                    items,
                    next: None,
                })))
            }
            _ => Some(testing::fixture_answer(p, call)),
        }
    });
    let mut all: Vec<String> = asked.concat();
    all.sort();
    assert_eq!(all, ["1201", "1203", "1205", "1207"], "asked: {asked:?}");
}

#[test]
fn saved_approvals_show_before_anything_is_read() {
    let mut m = testing::model();
    if let Some(s) = m.session_mut(ProfileId(0)) {
        s.agent = crate::app::Agent::Known(crate::domain::Person {
            id: crate::domain::UserId::from("100"),
            name: crate::text::SafeText::line("Ana Pérez"),
            email: None,
            is_agent: true,
        });
    }
    let mut saved = testing::saved(2);
    saved.approvals = vec![Checked {
        ticket: TicketId::from("1207"),
        stamp: None,
        pending: testing::approvals_on(0, "1207"),
        error: None,
        at: testing::now(),
    }];
    update(
        &mut m,
        Msg::Stored(crate::app::Stored::Profile {
            profile: ProfileId(0),
            saved: Box::new(saved),
        }),
    );
    assert_eq!(crate::app::approvals_waiting(&m).len(), 1);
}

#[test]
fn rejecting_asks_why_then_names_the_profile_request_and_vote() {
    let mut m = testing::writable_model();
    send(&mut m, ch('A'));
    // In Detail, A shows the open request's approvals (1207's).
    assert_eq!(listed_ids(&m), ["1207/9"]);
    send(&mut m, key(KeyCode::Esc));
    send(&mut m, key(KeyCode::Esc));
    send(&mut m, ch('A'));
    assert_eq!(listed_ids(&m), ["1205/12", "1207/9"]);
    send(&mut m, ch('j'));
    send(&mut m, ch('x'));
    assert!(matches!(m.mode, Mode::Prompt(_)), "{:?}", m.mode);
    // A rejection without a reason is not taken.
    send(&mut m, key(KeyCode::Enter));
    assert!(matches!(m.mode, Mode::Prompt(_)));
    assert!(notice(&m).contains("say why"), "{}", notice(&m));
    typed(&mut m, "Too expensive for a fuser");
    send(&mut m, key(KeyCode::Enter));
    let Mode::Confirm(confirm) = &m.mode else {
        panic!("expected a confirmation, got {:?}", m.mode);
    };
    assert_eq!(confirm.title, "Reject approval?");
    let text = confirm.lines.join("\n");
    assert!(text.contains("profile work"), "{text}");
    assert!(text.contains("#1207"), "{text}");
    assert!(text.contains("Replace the fuser unit"), "{text}");
    assert!(text.contains("note: Too expensive for a fuser"), "{text}");
    let effects = update(&mut m, ch('y'));
    let queued: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Outbox(OutboxOp::Add { queued, .. }) => Some(queued.write.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        queued,
        [Write::Vote {
            ticket: TicketId::from("1207"),
            approval: "9".into(),
            approve: false,
            note: "Too expensive for a fuser".into(),
        }]
    );
    assert!(
        matches!(m.mode, Mode::Approvals(_)),
        "back in the pane: {:?}",
        m.mode
    );
}

#[test]
fn approving_takes_an_empty_note() {
    let mut m = testing::writable_model();
    send(&mut m, ch(':'));
    typed(&mut m, "approvals");
    send(&mut m, key(KeyCode::Enter));
    send(&mut m, ch('a'));
    send(&mut m, key(KeyCode::Enter));
    let Mode::Confirm(confirm) = &m.mode else {
        panic!("expected a confirmation, got {:?}", m.mode);
    };
    assert_eq!(confirm.title, "Approve?");
    assert!(confirm.lines.join(" ").contains("#1205"));
}

#[test]
fn no_vote_where_the_agent_is_not_asked_or_has_voted() {
    let mut m = testing::writable_model();
    // 1203's approval waits for Ravi; Ana approved it already.
    m.detail.open(crate::domain::TicketKey {
        profile: ProfileId(0),
        id: TicketId::from("1203"),
    });
    let effects = crate::app::load::open_detail(
        &mut m,
        &crate::domain::TicketKey {
            profile: ProfileId(0),
            id: TicketId::from("1203"),
        },
    );
    testing::settle(&mut m, effects);
    m.focus = Focus::Detail;
    send(&mut m, ch('A'));
    assert_eq!(listed_ids(&m), ["1203/14"]);
    send(&mut m, ch('a'));
    assert!(matches!(m.mode, Mode::Approvals(_)));
    assert!(notice(&m).contains("approved already"), "{}", notice(&m));
    // Ravi asked for it: Ana cannot cancel it.
    send(&mut m, ch('c'));
    assert!(notice(&m).contains("Ravi Shankar"), "{}", notice(&m));
}

#[test]
fn a_queued_vote_is_pending_and_a_delivery_reads_the_request_again() {
    let mut m = testing::writable_model();
    let write = Write::Vote {
        ticket: TicketId::from("1207"),
        approval: "9".into(),
        approve: true,
        note: String::new(),
    };
    let item = crate::app::OutboxItem {
        id: "1-a-1".into(),
        subject: crate::domain::Subject::Ticket(TicketId::from("1207")),
        queued: Some(crate::app::Queued {
            write: write.clone(),
            author: crate::domain::UserId::from("100"),
            title: "#1207".into(),
            account: None,
        }),
        state: crate::store::EntryState::Pending,
        attempts: 0,
        created_at: testing::now(),
        next_attempt_at: testing::now(),
        in_flight: false,
        last_error: None,
    };
    update(
        &mut m,
        Msg::Outbox(OutboxEvent::Listed {
            profile: ProfileId(0),
            items: vec![item],
        }),
    );
    send(&mut m, key(KeyCode::Esc));
    send(&mut m, ch('A'));
    let Mode::Approvals(view) = &m.mode else {
        panic!()
    };
    let items = crate::app::approval_items(&m, view);
    let pending = crate::app::approval_pending_write(&m, &items[1]);
    assert_eq!(pending, Some(&write));
    let effects = update(
        &mut m,
        Msg::Outbox(OutboxEvent::Delivered {
            profile: ProfileId(0),
            subject: crate::domain::Subject::Ticket(TicketId::from("1207")),
            what: "approve".into(),
        }),
    );
    let rechecked: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Call {
                call: Call::Approvals { tickets, .. },
                ..
            } => Some(tickets.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(rechecked, [vec![TicketId::from("1207")]]);
}

#[test]
fn a_failed_check_costs_only_its_request() {
    let mut m = testing::writable_model();
    let effects = update(&mut m, ch('r'));
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::Approvals { tickets, .. } => {
            let mut list = testing::approvals_of(p.0, tickets);
            for t in &mut list {
                if t.ticket == "1205" {
                    t.pending = Err("the server sent something unreadable".into());
                }
            }
            Some(Answer::Approvals(Ok(list)))
        }
        _ => Some(testing::fixture_answer(p, call)),
    });
    // 1205's approval stays as last read, marked; 1207's is fresh.
    let s = m.session(ProfileId(0)).unwrap();
    let c = s.approvals.get(&TicketId::from("1205")).unwrap();
    assert!(c.error.is_some());
    assert_eq!(c.pending.len(), 1);
    assert_eq!(crate::app::approvals_waiting(&m).len(), 2);
}

#[test]
fn an_approval_read_until_it_leaves_the_list_gives_way_to_the_list() {
    let mut m = testing::writable_model();
    send(&mut m, key(KeyCode::Esc));
    send(&mut m, ch('A'));
    send(&mut m, key(KeyCode::Enter));
    let read = |m: &Model| match &m.mode {
        Mode::Approvals(v) => v.read_at(&crate::app::approval_items(m, v)),
        other => panic!("expected the approvals pane, got {other:?}"),
    };
    assert_eq!(read(&m), Some(0), "1205's approval is read");
    // While reading, moving reads the next one.
    send(&mut m, ch('j'));
    assert_eq!(read(&m), Some(1));
    send(&mut m, ch('k'));
    // The agent's vote on it was counted elsewhere: it no longer waits for them.
    let effects =
        crate::app::approvals::recheck(&mut m, ProfileId(0), Some(&TicketId::from("1205")));
    testing::settle_with(&mut m, effects, |_, call| match call {
        Call::Approvals { tickets, .. } => Some(Answer::Approvals(Ok(tickets
            .iter()
            .map(|t| crate::domain::TicketApprovals {
                ticket: t.clone(),
                pending: Ok(Vec::new()),
            })
            .collect()))),
        _ => None,
    });
    assert_eq!(read(&m), None, "the list shows again");
    assert_eq!(listed_ids(&m), ["1207/9"]);
}
