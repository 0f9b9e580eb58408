//! Snapshots of the approvals pane as the agent sees it, at 80×24 and 160×48: empty, still
//! looking, a failed check, several approvals with mixed votes, one approval read with its
//! voters, a request's approvals, the note prompt and the vote's confirmation, and a vote
//! waiting in the outbox. Text only.

#![allow(clippy::unwrap_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ttydesk::app::{Model, Msg, OutboxEvent, OutboxItem, Queued, update};
use ttydesk::domain::{ProfileId, TicketId, UserId, Write};
use ttydesk::provider::{Answer, Call, ProviderError};
use ttydesk::store::EntryState;
use ttydesk::testing;

fn draw(model: &mut Model, width: u16, height: u16) -> String {
    testing::drawn(model, width, height)
}

fn key(m: &mut Model, code: KeyCode) {
    let effects = update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    testing::settle(m, effects);
}

fn chars(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyCode::Char(c));
    }
}

/// The fixtures' profile loaded with `approvals` answering the approvals calls, Ana as the
/// agent, and the approvals pane open.
fn pane(approvals: impl Fn(ProfileId, &Call) -> Option<Answer>) -> Model {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::Approvals { .. } => approvals(p, call),
        _ => Some(testing::fixture_answer(p, call)),
    });
    testing::as_agent(&mut m);
    chars(&mut m, "A");
    m
}

fn both(m: &mut Model, name: &str) -> String {
    let small = draw(m, 80, 24);
    insta::assert_snapshot!(format!("{name}_80x24"), small);
    insta::assert_snapshot!(format!("{name}_160x48"), draw(m, 160, 48));
    small
}

#[test]
fn nothing_waits() {
    let mut m = pane(|_, call| match call {
        Call::Approvals { tickets, .. } => Some(Answer::Approvals(Ok(tickets
            .iter()
            .map(|t| ttydesk::domain::TicketApprovals {
                ticket: t.clone(),
                pending: Ok(Vec::new()),
            })
            .collect()))),
        _ => None,
    });
    let screen = both(&mut m, "approvals_empty");
    assert!(
        screen.contains("No approval is waiting for your vote"),
        "{screen}"
    );
}

#[test]
fn still_looking() {
    let mut m = pane(|_, _| None);
    let screen = both(&mut m, "approvals_loading");
    assert!(screen.contains("Looking for approvals"), "{screen}");
    assert!(screen.contains("0 of 8 requests read"), "{screen}");
}

#[test]
fn the_check_failed() {
    let mut m = pane(|_, _| {
        Some(Answer::Approvals(Err(ProviderError::Timeout {
            what: "incident.approval".into(),
        })))
    });
    let screen = both(&mut m, "approvals_error");
    assert!(screen.contains("could not check approvals"), "{screen}");
}

#[test]
fn several_with_mixed_votes() {
    let mut m = pane(|p, call| Some(testing::fixture_answer(p, call)));
    let screen = both(&mut m, "approvals_list");
    assert!(
        screen.contains("Approvals waiting for your vote · 2"),
        "{screen}"
    );
    assert!(screen.contains("1 yes · 0 no · 1 waiting"), "{screen}");
    assert!(screen.contains("approvals to vote"), "status bar: {screen}");
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Enter);
    let screen = both(&mut m, "approvals_read");
    assert!(screen.contains("Ravi Shankar"), "{screen}");
    assert!(screen.contains("← you"), "{screen}");
}

#[test]
fn a_requests_approvals_and_the_way_to_a_rejection() {
    let mut m = testing::writable_model();
    // 1205 holds a waiting and a rejected approval.
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Char('j'));
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('A'));
    let screen = both(&mut m, "approvals_of_request");
    assert!(screen.contains("Approvals of #1205"), "{screen}");
    assert!(
        screen.contains("Rejected") || screen.contains("rejected"),
        "{screen}"
    );
    key(&mut m, KeyCode::Char('x'));
    chars(&mut m, "The contractor leaves in January");
    let screen = both(&mut m, "approvals_prompt");
    assert!(screen.contains("Say why you reject it"), "{screen}");
    key(&mut m, KeyCode::Enter);
    let screen = both(&mut m, "approvals_confirm");
    assert!(screen.contains("Reject approval?"), "{screen}");
}

fn queued_vote(state: EntryState, last_error: Option<&str>) -> OutboxItem {
    OutboxItem {
        id: "1-a-1".into(),
        subject: ttydesk::domain::Subject::Ticket(TicketId::from("1207")),
        queued: Some(Queued {
            write: Write::Vote {
                ticket: TicketId::from("1207"),
                approval: "9".into(),
                approve: false,
                note: "Too expensive".into(),
            },
            author: UserId::from("100"),
            title: "#1207".into(),
            account: None,
        }),
        state,
        attempts: 1,
        created_at: testing::now(),
        next_attempt_at: testing::now(),
        in_flight: false,
        last_error: last_error.map(str::to_string),
    }
}

fn listed(m: &mut Model, item: OutboxItem) {
    update(
        m,
        Msg::Outbox(OutboxEvent::Listed {
            profile: ProfileId(0),
            items: vec![item],
        }),
    );
}

#[test]
fn a_vote_waiting_in_the_outbox() {
    let mut m = pane(|p, call| Some(testing::fixture_answer(p, call)));
    listed(&mut m, queued_vote(EntryState::Pending, None));
    let screen = both(&mut m, "approvals_pending");
    assert!(screen.contains("your vote: reject"), "{screen}");
}

#[test]
fn a_refused_vote_says_why_in_the_servers_words() {
    let mut m = pane(|p, call| Some(testing::fixture_answer(p, call)));
    let why = "The user is not a voter of this approval.";
    listed(&mut m, queued_vote(EntryState::Failed, Some(why)));
    let screen = draw(&mut m, 160, 48);
    assert!(
        screen.contains(&format!("your vote: reject · refused: {why}")),
        "{screen}"
    );
}
