//! The outbox as two ttydesk processes sharing one file see it: leases, attempts that outlive
//! their sender, per-request order, and entries that are never silently dropped.

use super::*;

const LEASE: i64 = 60_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reply {
    text: String,
}

fn reply(text: &str) -> Reply {
    Reply { text: text.into() }
}

fn add(store: &Store, id: &'static str, subject: &'static str, now: i64) {
    call(store, move |db| {
        db.outbox_add("work", "fp", id, subject, &reply(id), now)
    })
    .expect("added");
}

fn claim(store: &Store, owner: &'static str, now: i64) -> Option<Entry<Reply>> {
    call(store, move |db| {
        db.outbox_claim::<Reply>("work", "fp", owner, now, LEASE)
    })
    .expect("claim ran")
}

#[test]
fn two_processes_never_hold_one_entry_and_a_dead_senders_attempt_is_known_to_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Two opens of one file: two connections, as two processes would have.
    let one = open_ok(options(dir.path()));
    let two = open_ok(options(dir.path()));
    add(&one.store, "w1", "1001", 1_000);

    let first = claim(&one.store, "A", 2_000).expect("A takes it");
    assert_eq!(first.state, EntryState::Pending);
    assert!(claim(&two.store, "B", 2_001).is_none(), "leased to A");
    call(&one.store, |db| db.outbox_attempt("w1", "A", 2_010)).expect("attempt recorded");

    // A dies mid-send. Once its lease is over, B takes the entry and sees the attempt.
    assert!(claim(&two.store, "B", 2_000 + LEASE - 1).is_none());
    let again = claim(&two.store, "B", 2_000 + LEASE).expect("B takes over");
    assert_eq!(again.state, EntryState::Sending);
    assert!(again.state.may_have_arrived());
    assert_eq!(again.attempts, 1);
    assert_eq!(again.first_attempt_at, Some(2_010));

    // A comes back to life: nothing it says counts any more.
    let late = call(&one.store, |db| {
        db.outbox_settle("w1", "A", &Settle::Done, 70_000)
    })
    .expect("settle ran");
    assert!(!late, "A no longer holds the entry");
    assert!(matches!(
        call(&one.store, |db| db.outbox_attempt("w1", "A", 70_001)),
        Err(StoreError::LeaseLost { .. })
    ));
    let done = call(&two.store, |db| {
        db.outbox_settle("w1", "B", &Settle::Done, 70_002)
    })
    .expect("settle ran");
    assert!(done);
    let left = call(&one.store, |db| db.outbox_list::<Reply>("work", "fp")).expect("list");
    assert!(left.is_empty(), "delivered entries leave the outbox");
}

#[test]
fn writes_about_one_request_go_out_in_order_and_others_are_not_held_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    add(&opened.store, "reply", "1001", 1);
    add(&opened.store, "solve", "1001", 2);
    add(&opened.store, "other", "1002", 3);

    let first = claim(&opened.store, "A", 10).expect("first");
    assert_eq!(first.id, "reply");
    call(&opened.store, |db| {
        db.outbox_settle(
            "reply",
            "A",
            &Settle::Unsure {
                reason: "no answer".into(),
                at: 1_000,
            },
            11,
        )
    })
    .expect("settled");
    // The reply waits for its retry; the solve behind it must not overtake it.
    let next = claim(&opened.store, "A", 20).expect("next");
    assert_eq!(next.id, "other");
    call(&opened.store, |db| {
        db.outbox_settle("other", "A", &Settle::Done, 21)
    })
    .expect("settled");
    assert!(claim(&opened.store, "A", 30).is_none(), "solve waits");
    let retried = claim(&opened.store, "A", 1_000).expect("reply is due");
    assert_eq!(retried.id, "reply");
    assert_eq!(retried.state, EntryState::Uncertain);
    assert_eq!(retried.last_error.as_deref(), Some("no answer"));
}

#[test]
fn a_refused_write_keeps_its_text_and_reason_until_retried_or_discarded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    add(&opened.store, "w1", "1001", 1);
    claim(&opened.store, "A", 2).expect("claimed");
    call(&opened.store, |db| {
        db.outbox_settle(
            "w1",
            "A",
            &Settle::Failed("the request is closed".into()),
            3,
        )
    })
    .expect("settled");
    assert!(
        claim(&opened.store, "A", 4).is_none(),
        "failed entries wait"
    );
    let listed = call(&opened.store, |db| db.outbox_list::<Reply>("work", "fp")).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, EntryState::Failed);
    assert_eq!(listed[0].body, Ok(reply("w1")));
    assert_eq!(
        listed[0].last_error.as_deref(),
        Some("the request is closed")
    );

    assert!(call(&opened.store, |db| db.outbox_retry("w1", 5)).expect("retry"));
    let again = claim(&opened.store, "A", 5).expect("due again");
    assert_eq!(again.state, EntryState::Pending);
    // Leased: discarding now is refused, since it may be on the wire.
    assert!(!call(&opened.store, |db| db.outbox_discard("w1", 6)).expect("discard ran"));
    call(&opened.store, |db| {
        db.outbox_settle(
            "w1",
            "A",
            &Settle::Retry {
                reason: "offline".into(),
                at: 100,
            },
            7,
        )
    })
    .expect("settled");
    assert!(call(&opened.store, |db| db.outbox_discard("w1", 8)).expect("discard"));
    let listed = call(&opened.store, |db| db.outbox_list::<Reply>("work", "fp")).expect("list");
    assert!(listed.is_empty());
}

#[test]
fn entries_and_drafts_survive_reopening_and_a_change_of_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        db.claim_partition("work", "fp")?;
        db.draft_put("work", "fp", "1001", &reply("half a sentence"), 5)
    })
    .expect("draft saved");
    add(&opened.store, "w1", "1001", 1);
    close(opened);

    let reopened = open_ok(options(dir.path()));
    // The profile now points elsewhere: its cached rows go, what the agent typed stays.
    call(&reopened.store, |db| db.claim_partition("work", "other-fp")).expect("claimed");
    let draft = call(&reopened.store, |db| {
        db.draft_get::<Reply>("work", "fp", "1001")
    })
    .expect("read");
    assert_eq!(draft, Some((reply("half a sentence"), 5)));
    let listed = call(&reopened.store, |db| db.outbox_list::<Reply>("work", "fp")).expect("list");
    assert_eq!(listed.len(), 1);
    assert!(
        claim(&reopened.store, "A", 10).is_some(),
        "still sendable to the server it was written for"
    );
}

#[test]
fn an_entry_that_no_longer_decodes_is_listed_not_dropped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        db.outbox_add("work", "fp", "w1", "1001", &serde_json::json!({"x": 1}), 1)
    })
    .expect("added");
    let listed = call(&opened.store, |db| db.outbox_list::<Reply>("work", "fp")).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].body, Err(r#"{"x":1}"#.to_string()));
}
