//! Votes: `incident.approval.accept` and `.reject`.

use super::*;

#[tokio::test]
async fn an_approval_is_recorded_with_its_note_and_the_approval_keeps_waiting() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| waiting_voters(a).len() >= 2);
    let voter = waiting_voters(&approval)[0];
    let started = now();
    let note = "Budget checked — fine by me";
    let mut pairs = vote_pairs(approval.id, voter);
    pairs.push(("note", note.to_string()));
    let reply = put(&sim, "incident.approval.accept", &pairs).await;
    reply.ok();

    let after = voters(&sim, approval.id).await;
    for (user, status) in &after {
        let expected = if *user == voter {
            1
        } else {
            i64::from(approval.vote_of(*user).expect("asked").status)
        };
        assert_eq!(*status, expected, "vote of {user}");
    }
    assert_eq!(after.len(), approval.voters.len());
    assert_eq!(
        served(&sim, request.id, approval.id).await["status"],
        -1,
        "others still have to vote"
    );
    let stored = sim.dataset();
    let (_, now_stored) = stored.approval(approval.id).expect("still there");
    assert_eq!(
        now_stored.vote_of(voter).and_then(|v| v.note.as_deref()),
        Some(note)
    );
    let stamped = last_update(&sim, request.id).await;
    assert!(
        stamped >= started && stamped <= now(),
        "last_update {stamped}"
    );
}

#[tokio::test]
async fn the_last_voter_to_approve_approves_the_approval() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| waiting_voters(a).len() >= 2);
    let waiting = waiting_voters(&approval);
    for (n, voter) in waiting.iter().enumerate() {
        put(
            &sim,
            "incident.approval.accept",
            &vote_pairs(approval.id, *voter),
        )
        .await
        .ok();
        let status = served(&sim, request.id, approval.id).await["status"].clone();
        let expected = if n + 1 == waiting.len() { 1 } else { -1 };
        assert_eq!(
            status,
            expected,
            "after {} of {} votes",
            n + 1,
            waiting.len()
        );
    }
    assert!(voters(&sim, approval.id).await.iter().all(|(_, v)| *v == 1));
    let pending = get(
        &sim,
        &format!("incident.approval?request_id={}&only_pending=1", request.id),
    )
    .await
    .json();
    assert!(
        pending
            .as_array()
            .expect("array")
            .iter()
            .all(|a| a["id"] != approval.id),
        "an approved approval is no longer pending"
    );
}

#[tokio::test]
async fn one_rejection_rejects_and_annuls_the_votes_still_waiting() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| waiting_voters(a).len() >= 2);
    let waiting = waiting_voters(&approval);
    let rejecter = waiting[0];
    let mut pairs = vote_pairs(approval.id, rejecter);
    pairs.push(("note", "Not in this quarter's budget".into()));
    put(&sim, "incident.approval.reject", &pairs).await.ok();

    assert_eq!(served(&sim, request.id, approval.id).await["status"], 0);
    for (user, status) in voters(&sim, approval.id).await {
        let before = approval.vote_of(user).expect("asked").status;
        let expected = match (user == rejecter, before) {
            (true, _) => 0,
            (false, vote_status::WAITING) => -2,
            (false, other) => i64::from(other),
        };
        assert_eq!(status, expected, "vote of {user}");
    }
    // The others can no longer vote.
    let late = put(
        &sim,
        "incident.approval.accept",
        &vote_pairs(approval.id, waiting[1]),
    )
    .await
    .logical_error();
    assert!(late.contains("no longer waiting"), "{late}");
}

#[tokio::test]
async fn a_non_voter_and_a_second_vote_are_refused_and_change_nothing() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| waiting_voters(a).len() >= 2);
    let stranger = outsider(&ds, &approval);
    for endpoint in ["incident.approval.accept", "incident.approval.reject"] {
        let info = put(&sim, endpoint, &vote_pairs(approval.id, stranger))
            .await
            .logical_error();
        assert!(info.contains("not a voter"), "{endpoint}: {info}");
    }
    let before = voters(&sim, approval.id).await;
    assert_eq!(before.len(), approval.voters.len());
    assert!(before.iter().all(|(u, _)| *u != stranger));

    let voter = waiting_voters(&approval)[0];
    put(
        &sim,
        "incident.approval.accept",
        &vote_pairs(approval.id, voter),
    )
    .await
    .ok();
    let stamped = last_update(&sim, request.id).await;
    for endpoint in ["incident.approval.accept", "incident.approval.reject"] {
        let info = put(&sim, endpoint, &vote_pairs(approval.id, voter))
            .await
            .logical_error();
        assert!(info.contains("already voted"), "{endpoint}: {info}");
    }
    assert_eq!(
        served(&sim, request.id, approval.id).await["status"],
        -1,
        "a refused rejection rejects nothing"
    );
    assert!(
        voters(&sim, approval.id).await.contains(&(voter, 1)),
        "the first vote stands"
    );
    assert_eq!(last_update(&sim, request.id).await, stamped);
}

#[tokio::test]
async fn a_decided_approval_takes_no_votes() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = ds
        .requests
        .iter()
        .find_map(|r| {
            r.approvals
                .iter()
                .find(|a| a.status == 0 && a.voters.iter().any(|v| v.status == -2))
                .map(|a| (r.clone(), a.clone()))
        })
        .expect("a rejected approval with an annulled vote");
    let annulled = approval
        .voters
        .iter()
        .find(|v| v.status == -2)
        .expect("annulled")
        .user_id;
    let info = put(
        &sim,
        "incident.approval.accept",
        &vote_pairs(approval.id, annulled),
    )
    .await
    .logical_error();
    assert!(info.contains("no longer waiting"), "{info}");
    assert_eq!(served(&sim, request.id, approval.id).await["status"], 0);
}

#[tokio::test]
async fn votes_need_an_approval_and_a_user() {
    let sim = start().await;
    let ds = sim.dataset();
    let (_, approval) = waiting_where(&ds, |a| !waiting_voters(a).is_empty());
    let voter = waiting_voters(&approval)[0];
    for endpoint in ["incident.approval.accept", "incident.approval.reject"] {
        put(&sim, endpoint, &[("user_id", s(voter))])
            .await
            .precondition("approval_id");
        put(&sim, endpoint, &[("approval_id", s(approval.id))])
            .await
            .precondition("user_id");
        put(
            &sim,
            endpoint,
            &[("approval_id", "abc".into()), ("user_id", s(voter))],
        )
        .await
        .precondition("approval_id");
        let info = put(&sim, endpoint, &vote_pairs(999_999, voter))
            .await
            .logical_error();
        assert!(info.contains("approval"), "{info}");
        let info = put(&sim, endpoint, &vote_pairs(approval.id, 999_999))
            .await
            .logical_error();
        assert!(info.contains("user"), "{info}");
    }
    assert!(
        voters(&sim, approval.id).await.contains(&(voter, -1)),
        "nothing was voted"
    );
}
