//! The pending check across many requests, templates and the approval vocabularies, against
//! the scripted server of `approval_stub`: order kept, one request's failure costing only its
//! entry, a profile-wide failure failing the call (and stopping it early), at most four calls
//! in flight. Test-only.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::json;

use super::approval_stub::{Stub, serve};
use super::approvals;
use super::queues::IN_FLIGHT;
use crate::domain::{ApprovalStatus, Catalog, TicketId, UserId};
use crate::provider::ProviderError;

fn tickets(ids: &[&str]) -> Vec<TicketId> {
    ids.iter().map(|id| TicketId::from(*id)).collect()
}

/// Requests 1..=n, each with one waiting approval (id 1000 + request) voted on by agent 12 and
/// one decided approval, which the pending check never asks about.
fn many(n: usize, delay: Duration) -> Stub {
    let stub = Stub {
        delay,
        ..Stub::default()
    };
    for r in 1..=n {
        let waiting = 1000 + r;
        stub.approvals.lock().unwrap().insert(
            r.to_string(),
            vec![
                json!({"id": waiting, "status": -1, "type": 2, "author_id": 30,
                       "approval_request_description": format!("Request {r}")}),
                json!({"id": 2000 + r, "status": 1, "type": 2, "author_id": 30}),
            ],
        );
        stub.voters.lock().unwrap().insert(
            waiting.to_string(),
            vec![
                json!({"user_id": 12, "status": -1}),
                json!({"id": 30, "status": 1}),
            ],
        );
    }
    stub
}

#[tokio::test]
async fn pending_approvals_come_with_all_their_voters_in_the_order_asked() {
    let stub = many(3, Duration::ZERO);
    let client = serve(stub.clone()).await;
    let got = approvals::pending(&client, tickets(&["3", "1", "3", "2"]), &Catalog::default())
        .await
        .unwrap();
    let order: Vec<&str> = got.iter().map(|t| t.ticket.as_str()).collect();
    assert_eq!(order, ["3", "1", "2"], "asked twice, read once");
    for entry in &got {
        let pending = entry.pending.as_ref().unwrap();
        assert_eq!(pending.len(), 1, "only the waiting one");
        let a = &pending[0];
        assert_eq!(a.status, ApprovalStatus::Waiting);
        assert_eq!(a.ticket, entry.ticket);
        assert_eq!(a.voters.len(), 2, "voters who voted too");
        assert!(a.waits_for(&UserId::from("12")));
    }
    let seen = stub.seen();
    let lists: Vec<_> = seen
        .iter()
        .filter(|s| s.endpoint == "incident.approval")
        .collect();
    assert_eq!(lists.len(), 3);
    assert!(lists.iter().all(|s| s.get("only_pending") == Some("1")));
    let voters: Vec<_> = seen
        .iter()
        .filter(|s| s.endpoint == "incident.approval.possible_voters")
        .collect();
    assert_eq!(voters.len(), 3);
    assert!(voters.iter().all(|s| s.get("approval_id").is_some()
        && s.get("request_id").is_none()
        && s.get("only_pending").is_none()));
}

#[tokio::test]
async fn one_request_that_cannot_be_read_costs_only_its_entry() {
    let stub = many(3, Duration::ZERO);
    stub.failing.lock().unwrap().insert("2".into(), 500);
    stub.voters.lock().unwrap().remove("1003");
    let client = serve(stub).await;
    let got = approvals::pending(&client, tickets(&["1", "2", "3"]), &Catalog::default())
        .await
        .unwrap();
    assert_eq!(got[0].pending.as_ref().map(Vec::len), Ok(1));
    let why = got[1].pending.as_ref().unwrap_err();
    assert_eq!(
        why,
        "approvals could not be read: server error (HTTP 500): unavailable"
    );
    // Request 3's approval lost its voters: it is still listed, saying why.
    let third = &got[2].pending.as_ref().unwrap()[0];
    assert!(third.voters.is_empty());
    let voters_error = third.voters_error.as_deref().unwrap_or_default();
    assert!(
        voters_error.contains("The approval does not exist."),
        "{voters_error}"
    );
}

#[tokio::test]
async fn refused_credentials_fail_the_check_and_stop_it_early() {
    let stub = many(40, Duration::from_millis(20));
    stub.can("incident.approval", 401, json!({"error": "Unauthorized"}));
    let client = serve(stub.clone()).await;
    let ids: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let got = approvals::pending(&client, tickets(&ids), &Catalog::default()).await;
    assert_eq!(got, Err(ProviderError::Unauthorized));
    let sent = stub.seen().len();
    assert!(
        sent <= IN_FLIGHT,
        "{sent} calls after the credentials were refused"
    );
}

#[tokio::test]
async fn a_rate_limit_after_some_reads_keeps_what_was_read() {
    // Request 1 reads; the server limits the others, and the rest of the batch is not sent.
    let stub = many(6, Duration::ZERO);
    stub.failing
        .lock()
        .unwrap()
        .extend(["2", "3", "4", "5", "6"].map(|r| (r.to_string(), 429)));
    let client = serve(stub.clone()).await;
    let got = approvals::pending(
        &client,
        tickets(&["1", "2", "3", "4", "5", "6"]),
        &Catalog::default(),
    )
    .await
    .unwrap();
    assert!(got[0].pending.is_ok());
    let lists = stub
        .seen()
        .iter()
        .filter(|s| s.endpoint == "incident.approval")
        .count();
    // The sixth enters the batch only after the second's refusal was seen.
    assert!(
        lists < 6,
        "{lists} lists asked for after the server said to slow down"
    );
    for entry in &got[1..] {
        let why = entry.pending.as_ref().unwrap_err();
        assert_eq!(
            why, "approvals could not be read: rate limited by the server",
            "{}",
            entry.ticket
        );
    }
}

#[tokio::test]
async fn no_more_than_four_calls_run_at_once_across_the_batch() {
    let stub = many(12, Duration::from_millis(30));
    let client = serve(stub.clone()).await;
    let ids: Vec<String> = (1..=12).map(|i| i.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let got = approvals::pending(&client, tickets(&ids), &Catalog::default())
        .await
        .unwrap();
    assert!(got.iter().all(|t| t.pending.is_ok()));
    assert_eq!(
        stub.seen().len(),
        24,
        "one list and one voter list per request"
    );
    let most = stub.most_in_flight.load(Ordering::SeqCst);
    assert!((2..=IN_FLIGHT).contains(&most), "{most} in flight");
}

#[tokio::test]
async fn templates_are_listed_by_title() {
    let stub = Stub::default();
    stub.can(
        "incident.custom_approval",
        200,
        json!({"8": {"id": 8, "title": "software licence", "description_required": 0},
               "3": {"id": 3, "title": "Hardware purchase", "description_required": 1,
                     "description_prompt": "What and why?"},
               "4": "broken"}),
    );
    let client = serve(stub.clone()).await;
    let list = approvals::templates(&client, "7").await.unwrap();
    let titles: Vec<&str> = list.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Hardware purchase", "software licence"]);
    assert!(list[0].description_required);
    assert_eq!(
        list[0].prompt.as_ref().map(|p| p.as_str()),
        Some("What and why?")
    );
    assert_eq!(stub.seen()[0].get("request_id"), Some("7"));

    stub.can("incident.custom_approval", 200, json!([]));
    assert!(approvals::templates(&client, "7").await.unwrap().is_empty());
}

#[tokio::test]
async fn vocabularies_that_fail_are_left_empty() {
    let stub = Stub::default();
    stub.can("incident.approval.status", 500, json!({"error": "boom"}));
    stub.can("incident.approval.type", 200, json!([]));
    stub.can(
        "incident.approval.vote_status",
        200,
        json!({"-1": "Pending", "1": "OK'd"}),
    );
    let client = serve(stub).await;
    let words = approvals::words(&client).await;
    assert!(words.statuses.is_empty() && words.kinds.is_empty());
    assert_eq!(words.votes.get("-1").map(|w| w.as_str()), Some("Pending"));
}
