//! Cancelling an approval, asking one more voter, and reading the voters.

use super::*;

#[tokio::test]
async fn the_author_cancels_a_waiting_approval_and_its_waiting_votes_are_annulled() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| {
        a.voters.iter().any(|v| v.status == vote_status::APPROVED)
    });
    let started = now();
    put(
        &sim,
        "incident.approval.cancel",
        &vote_pairs(approval.id, approval.author_id),
    )
    .await
    .ok();

    assert_eq!(served(&sim, request.id, approval.id).await["status"], -2);
    for (user, status) in voters(&sim, approval.id).await {
        let before = approval.vote_of(user).expect("asked").status;
        let expected = if before == vote_status::APPROVED {
            1
        } else {
            -2
        };
        assert_eq!(status, expected, "vote of {user}");
    }
    assert!(last_update(&sim, request.id).await >= started);
    let again = put(
        &sim,
        "incident.approval.cancel",
        &vote_pairs(approval.id, approval.author_id),
    )
    .await
    .logical_error();
    assert!(again.contains("no longer waiting"), "{again}");
    if let Some(voter) = waiting_voters(&approval).first() {
        put(
            &sim,
            "incident.approval.accept",
            &vote_pairs(approval.id, *voter),
        )
        .await
        .logical_error();
    }
}

#[tokio::test]
async fn only_the_author_may_cancel() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) =
        waiting_where(&ds, |a| waiting_voters(a).iter().any(|v| *v != a.author_id));
    let voter = waiting_voters(&approval)
        .into_iter()
        .find(|v| *v != approval.author_id)
        .expect("a voter who is not the author");
    for user in [voter, outsider(&ds, &approval)] {
        let info = put(
            &sim,
            "incident.approval.cancel",
            &vote_pairs(approval.id, user),
        )
        .await
        .logical_error();
        assert!(info.contains("author"), "{info}");
    }
    assert_eq!(served(&sim, request.id, approval.id).await["status"], -1);
    put(
        &sim,
        "incident.approval.cancel",
        &[("approval_id", s(approval.id))],
    )
    .await
    .precondition("user_id");
    put(
        &sim,
        "incident.approval.cancel",
        &[("user_id", s(approval.author_id))],
    )
    .await
    .precondition("approval_id");
}

#[tokio::test]
async fn an_added_voter_is_asked_once_and_must_vote_too() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| !waiting_voters(a).is_empty());
    let newcomer = outsider(&ds, &approval);
    let pairs = vote_pairs(approval.id, newcomer);
    let reply = post(&sim, "incident.approval.add_voter", &pairs).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json(),
        serde_json::json!({ "approval_id": approval.id, "user_id": newcomer })
    );
    let listed = voters(&sim, approval.id).await;
    assert_eq!(listed.len(), approval.voters.len() + 1);
    assert!(listed.contains(&(newcomer, -1)));

    // Asking again is answered the same and asks nobody twice.
    let again = post(&sim, "incident.approval.add_voter", &pairs).await;
    assert_eq!(again.json(), reply.json());
    assert_eq!(voters(&sim, approval.id).await.len(), listed.len());

    // Everyone asked before approves: the newcomer's vote still counts.
    for voter in waiting_voters(&approval) {
        put(
            &sim,
            "incident.approval.accept",
            &vote_pairs(approval.id, voter),
        )
        .await
        .ok();
    }
    assert_eq!(served(&sim, request.id, approval.id).await["status"], -1);
    put(&sim, "incident.approval.accept", &pairs).await.ok();
    assert_eq!(served(&sim, request.id, approval.id).await["status"], 1);

    // A decided approval takes no more voters.
    let other = ds
        .agents()
        .map(|u| u.id)
        .find(|id| *id != 1 && *id != newcomer && approval.vote_of(*id).is_none())
        .expect("another agent");
    let info = post(
        &sim,
        "incident.approval.add_voter",
        &vote_pairs(approval.id, other),
    )
    .await
    .logical_error();
    assert!(info.contains("no longer waiting"), "{info}");
}

#[tokio::test]
async fn add_voter_needs_an_existing_user() {
    let sim = start().await;
    let ds = sim.dataset();
    let (_, approval) = waiting_where(&ds, |_| true);
    let info = post(
        &sim,
        "incident.approval.add_voter",
        &vote_pairs(approval.id, 999_999),
    )
    .await
    .logical_error();
    assert!(info.contains("user"), "{info}");
    assert_eq!(voters(&sim, approval.id).await.len(), approval.voters.len());
    post(
        &sim,
        "incident.approval.add_voter",
        &[("approval_id", s(approval.id))],
    )
    .await
    .precondition("user_id");
    post(&sim, "incident.approval.add_voter", &[("user_id", s(2))])
        .await
        .precondition("approval_id");
}

#[tokio::test]
async fn possible_voters_answers_user_ids_and_honours_only_pending() {
    let sim = start().await;
    let ds = sim.dataset();
    let (_, approval) = waiting_where(&ds, |a| {
        a.voters.iter().any(|v| v.status == vote_status::APPROVED)
    });
    let all = get(
        &sim,
        &format!(
            "incident.approval.possible_voters?approval_id={}",
            approval.id
        ),
    )
    .await
    .json();
    let all = all.as_array().expect("array");
    assert_eq!(all.len(), approval.voters.len());
    assert!(
        all.iter()
            .all(|v| v["user_id"].is_u64() && v.get("id").is_none())
    );
    let pending = get(
        &sim,
        &format!(
            "incident.approval.possible_voters?approval_id={}&only_pending=1",
            approval.id
        ),
    )
    .await
    .json();
    let pending: Vec<u64> = pending
        .as_array()
        .expect("array")
        .iter()
        .map(|v| {
            assert_eq!(v["status"], -1);
            v["user_id"].as_u64().expect("user_id")
        })
        .collect();
    assert_eq!(pending, waiting_voters(&approval));
    get(&sim, "incident.approval.possible_voters?only_pending=1")
        .await
        .precondition("approval_id");
    let info = get(&sim, "incident.approval.possible_voters?approval_id=999999")
        .await
        .logical_error();
    assert!(info.contains("approval"), "{info}");
}
