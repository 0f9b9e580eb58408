//! The five approval writes against the scripted server of `approval_stub`: what goes on the
//! wire, a refusal in the server's words, and each write whose reply was lost found again (and
//! not found before it was sent), sent once. Test-only.

use serde_json::json;

use super::approval_stub::{Stub, serve};
use super::{reconcile, write};
use crate::domain::{Catalog, Reconciled, TicketId, UserId, Write};
use crate::provider::ProviderError;

fn t(id: &str) -> TicketId {
    TicketId::from(id)
}

fn agent() -> UserId {
    UserId::from("12")
}

fn five_writes() -> [Write; 6] {
    [
        Write::Vote {
            ticket: t("7"),
            approval: "5".into(),
            approve: true,
            note: "  Fine by me ".into(),
        },
        Write::Vote {
            ticket: t("7"),
            approval: "5".into(),
            approve: false,
            note: "Too expensive".into(),
        },
        Write::CancelApproval {
            ticket: t("7"),
            approval: "5".into(),
        },
        Write::AddVoter {
            ticket: t("7"),
            approval: "5".into(),
            user: UserId::from("40"),
        },
        Write::RequestApproval {
            ticket: t("7"),
            user: UserId::from("40"),
            description: "Buy a dock & a <b>screen</b>".into(),
        },
        Write::RequestTemplateApproval {
            ticket: t("7"),
            template: "3".into(),
            description: "For the new hire".into(),
        },
    ]
}

fn form(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn approval_writes_name_the_approval_and_the_agent_in_a_form_body() {
    let stub = Stub::default().with_request_seven();
    let client = serve(stub.clone()).await;
    for w in five_writes() {
        write::send(&client, &w, &agent()).await.unwrap();
    }
    let seen = stub.seen();
    let got: Vec<_> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.endpoint.as_str(), s.form.as_slice()))
        .collect();
    let want = [
        (
            "PUT",
            "incident.approval.accept",
            form(&[
                ("approval_id", "5"),
                ("user_id", "12"),
                ("note", "Fine by me"),
            ]),
        ),
        (
            "PUT",
            "incident.approval.reject",
            form(&[
                ("approval_id", "5"),
                ("user_id", "12"),
                ("note", "Too expensive"),
            ]),
        ),
        (
            "PUT",
            "incident.approval.cancel",
            form(&[("approval_id", "5"), ("user_id", "12")]),
        ),
        (
            "POST",
            "incident.approval.add_voter",
            form(&[("approval_id", "5"), ("user_id", "40")]),
        ),
        (
            "POST",
            "incident.spontaneous_approval",
            form(&[
                ("request_id", "7"),
                ("author_id", "12"),
                ("approval_user_id", "40"),
                ("description", "Buy a dock & a <b>screen</b>"),
            ]),
        ),
        (
            "POST",
            "incident.custom_approval",
            form(&[
                ("request_id", "7"),
                ("author_id", "12"),
                ("approval_id", "3"),
                ("description", "For the new hire"),
            ]),
        ),
    ];
    assert_eq!(got.len(), want.len());
    for (got, (method, endpoint, body)) in got.iter().zip(&want) {
        assert_eq!((got.0, got.1), (*method, *endpoint));
        assert_eq!(got.2, body.as_slice(), "{endpoint}");
    }
    assert!(
        seen.iter().all(|s| s.query.is_empty()),
        "nothing in the URL"
    );
}

#[tokio::test]
async fn a_refused_vote_says_why_in_the_servers_words() {
    let stub = Stub::default().with_request_seven();
    stub.can(
        "incident.approval.accept",
        200,
        json!({"status": "ERROR", "info": "The approval was already decided."}),
    );
    let client = serve(stub).await;
    let err = write::send(&client, &five_writes()[0], &agent())
        .await
        .unwrap_err();
    match err {
        ProviderError::Rejected(why) => {
            assert_eq!(why.as_str(), "The approval was already decided.");
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

/// Reconciles `w` before it was sent (not applied), sends it with its reply lost (the server
/// applies it), reconciles again (applied), and checks it went out once.
async fn lost_then_found(w: Write) -> Reconciled {
    let stub = Stub {
        lose_reply: true,
        ..Stub::default()
    }
    .with_request_seven();
    let client = serve(stub.clone()).await;
    let since = chrono::Utc::now();
    let catalog = Catalog::default();
    let before = reconcile::reconcile(&client, &w, &agent(), since, &catalog).await;
    assert_eq!(before, Ok(Reconciled::NotApplied), "{w:?}");
    let lost = write::send(&client, &w, &agent()).await;
    assert!(
        matches!(lost, Err(ProviderError::Timeout { .. })),
        "{lost:?}"
    );
    let after = reconcile::reconcile(&client, &w, &agent(), since, &catalog)
        .await
        .unwrap();
    let sends = stub.seen().iter().filter(|s| s.method != "GET").count();
    assert_eq!(sends, 1, "{w:?} went out once");
    after
}

fn applied(created: Option<&str>) -> Reconciled {
    Reconciled::Applied(crate::domain::Written {
        subject: crate::domain::Subject::Ticket(t("7")),
        created_id: created.map(str::to_string),
    })
}

#[tokio::test]
async fn a_lost_approve_or_reject_is_found_in_the_agents_vote() {
    let [approve, reject, ..] = five_writes();
    assert_eq!(lost_then_found(approve).await, applied(None));
    assert_eq!(lost_then_found(reject).await, applied(None));
}

#[tokio::test]
async fn a_lost_cancellation_is_found_in_the_approvals_status() {
    let [_, _, cancel, ..] = five_writes();
    assert_eq!(lost_then_found(cancel).await, applied(None));
}

#[tokio::test]
async fn a_lost_new_voter_is_found_among_the_voters() {
    let [_, _, _, add, ..] = five_writes();
    assert_eq!(lost_then_found(add).await, applied(None));
}

#[tokio::test]
async fn lost_approval_requests_are_found_with_the_approval_they_made() {
    let [.., spontaneous, template] = five_writes();
    assert_eq!(lost_then_found(spontaneous).await, applied(Some("101")));
    assert_eq!(lost_then_found(template).await, applied(Some("101")));
}

#[tokio::test]
async fn a_vote_that_can_no_longer_be_cast_is_not_taken_for_applied() {
    let stub = Stub::default().with_request_seven();
    stub.voters.lock().unwrap().insert(
        "5".into(),
        vec![
            json!({"user_id": "12", "status": -2}),
            json!({"user_id": 30, "status": 1}),
        ],
    );
    let client = serve(stub.clone()).await;
    let since = chrono::Utc::now();
    let [approve, ..] = five_writes();
    let seen = reconcile::reconcile(&client, &approve, &agent(), since, &Catalog::default()).await;
    assert_eq!(seen, Ok(Reconciled::NotApplied), "annulled");
    // The approval is gone: the server refuses to show its voters.
    stub.voters.lock().unwrap().clear();
    let seen = reconcile::reconcile(&client, &approve, &agent(), since, &Catalog::default()).await;
    assert_eq!(seen, Ok(Reconciled::NotApplied), "no such approval");
    let calls = stub.seen();
    assert!(
        calls
            .iter()
            .all(|s| s.endpoint == "incident.approval.possible_voters"
                && s.get("approval_id") == Some("5")
                && s.get("request_id").is_none())
    );
}

#[tokio::test]
async fn a_failed_read_is_an_error_not_a_verdict() {
    let stub = Stub::default().with_request_seven();
    stub.failing.lock().unwrap().insert("7".into(), 503);
    let client = serve(stub).await;
    let [_, _, cancel, ..] = five_writes();
    let seen = reconcile::reconcile(
        &client,
        &cancel,
        &agent(),
        chrono::Utc::now(),
        &Catalog::default(),
    )
    .await;
    assert!(
        matches!(seen, Err(ProviderError::Server { status: 503, .. })),
        "{seen:?}"
    );
}
