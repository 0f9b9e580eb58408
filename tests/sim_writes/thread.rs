//! Comments (and the solution a comment can carry), observers, collaborators and links.

use super::*;

#[tokio::test]
async fn a_comment_is_appended_and_served_by_every_read() {
    let sim = start().await;
    let before = sim.dataset();
    let life = before.lifecycle();
    let request = with_status(&before, life.in_progress);
    let author = agent(&before);
    let started = now();
    let message = "<p>Rebooted the switch &amp; it works</p>";
    let pairs = [
        ("request_id", s(request.id)),
        ("comment", message.to_string()),
        ("author_id", s(author)),
        ("customer_visible", "1".into()),
        ("is_solution", "0".into()),
    ];
    let reply = post(&sim, "incident.comment", &pairs).await;
    reply.ok();

    let thread = get(&sim, &format!("incident.comment?request_id={}", request.id))
        .await
        .json();
    let last = thread
        .as_array()
        .and_then(|t| t.last())
        .expect("a thread")
        .clone();
    assert_eq!(last["message"], message);
    assert_eq!(last["author_id"], author);
    assert_eq!(last["customer_visible"], true);
    assert_eq!(last["is_solution"], false);
    assert_eq!(last["id"], before.next_comment_id());
    let max_num = request
        .comments
        .iter()
        .map(|c| c.msg_num)
        .max()
        .unwrap_or(0);
    assert_eq!(last["msg_num"], max_num + 1);
    assert!(last["created_at"].as_i64().is_some_and(|t| t >= started));

    let object = incident(&sim, request.id).await;
    let embedded = object["comments"]
        .as_array()
        .and_then(|c| c.last())
        .expect("comments");
    assert_eq!(embedded["customer_visible"], 1);
    assert!(
        object["last_update"]
            .as_i64()
            .is_some_and(|t| t >= started && t <= now())
    );
    assert_eq!(
        object["status_id"], life.in_progress,
        "a plain comment keeps the status"
    );
    // A snapshot taken before the write does not change; a new one shows it.
    assert_eq!(
        before.request(request.id).map(|r| r.comments.len()),
        Some(request.comments.len())
    );
    let after = sim.dataset();
    assert_eq!(
        after.request(request.id).map(|r| r.comments.len()),
        Some(request.comments.len() + 1)
    );

    for missing in ["request_id", "comment", "author_id"] {
        let partial: Vec<_> = pairs
            .iter()
            .filter(|(k, _)| *k != missing)
            .cloned()
            .collect();
        post(&sim, "incident.comment", &partial)
            .await
            .precondition(missing);
    }
    let mut unknown = pairs.to_vec();
    unknown[0].1 = "999999".into();
    post(&sim, "incident.comment", &unknown)
        .await
        .logical_error();
    let mut stranger = pairs.to_vec();
    stranger[2].1 = "999999".into();
    post(&sim, "incident.comment", &stranger)
        .await
        .logical_error();
    assert_eq!(
        sim.dataset().request(request.id).map(|r| r.comments.len()),
        Some(request.comments.len() + 1),
        "refused comments are not stored"
    );
}

#[tokio::test]
async fn a_solution_resolves_the_request_and_is_refused_on_a_finished_one() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let open = with_status(&ds, life.open);
    let closed = with_status(&ds, life.closed);
    let solution = |id: u64| {
        [
            ("request_id", s(id)),
            ("comment", "<p>Fixed.</p>".to_string()),
            ("author_id", s(agent(&ds))),
            ("is_solution", "1".into()),
            ("customer_visible", "1".into()),
        ]
    };
    post(&sim, "incident.comment", &solution(open.id))
        .await
        .ok();
    let object = incident(&sim, open.id).await;
    assert_eq!(object["status_id"], life.resolved);
    assert!(object["solved_at"].is_i64());
    let solutions = get(
        &sim,
        &format!("incident.comment?request_id={}&is_solution=1", open.id),
    )
    .await;
    assert!(
        solutions
            .json()
            .as_array()
            .is_some_and(|a| a.iter().any(|c| c["message"] == "<p>Fixed.</p>"))
    );
    post(&sim, "incident.comment", &solution(closed.id))
        .await
        .logical_error();
}

#[tokio::test]
async fn observers_collaborators_and_links_are_added_once() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let request = with_status(&ds, life.in_progress);
    let author = agent(&ds);
    let people: Vec<u64> = ds
        .agents()
        .map(|u| u.id)
        .filter(|id| !request.observers.contains(id))
        .take(2)
        .collect();
    for endpoint in ["incident.observer", "incident.collaborator"] {
        let base = [("request_id", s(request.id)), ("author_id", s(author))];
        let mut one = base.to_vec();
        one.push(("user_id", s(people[0])));
        post(&sim, endpoint, &one).await.ok();
        let mut many = base.to_vec();
        many.extend([("users_id[]", s(people[0])), ("users_id[]", s(people[1]))]);
        post(&sim, endpoint, &many).await.ok();
        let list = get(&sim, &format!("{endpoint}?request_id={}", request.id))
            .await
            .json();
        let ids: Vec<u64> = list
            .as_array()
            .expect("bare ints")
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        for person in &people {
            assert_eq!(
                ids.iter().filter(|id| *id == person).count(),
                1,
                "{endpoint}: {ids:?}"
            );
        }
        post(&sim, endpoint, &base).await.precondition("user_id");
        let mut stranger = base.to_vec();
        stranger.push(("user_id", "999999".into()));
        post(&sim, endpoint, &stranger).await.logical_error();
    }

    let others: Vec<&Request> = ds
        .requests
        .iter()
        .filter(|r| r.id != request.id && !request.links.contains(&r.id))
        .take(2)
        .collect();
    let link = [
        ("request_id", s(request.id)),
        ("request_ids[]", s(others[0].id)),
        ("request_ids[]", s(others[1].id)),
    ];
    post(&sim, "incident.link", &link).await.ok();
    let links = get(&sim, &format!("incident.link?request_id={}", request.id))
        .await
        .json();
    for other in &others {
        assert!(
            links.as_array().is_some_and(|l| l
                .iter()
                .any(|x| x["id"] == other.id && x["title"] == other.title.as_str())),
            "{links}"
        );
    }
    let back = get(&sim, &format!("incident.link?request_id={}", others[0].id))
        .await
        .json();
    assert!(
        back.as_array()
            .is_some_and(|l| l.iter().any(|x| x["id"] == request.id))
    );
    post(&sim, "incident.link", &link).await.ok();
    let again = get(&sim, &format!("incident.link?request_id={}", request.id))
        .await
        .json();
    assert_eq!(
        again.as_array().map(Vec::len),
        links.as_array().map(Vec::len)
    );
    post(&sim, "incident.link", &[("request_id", s(request.id))])
        .await
        .precondition("request_ids");
    post(
        &sim,
        "incident.link",
        &[
            ("request_id", s(request.id)),
            ("request_ids[]", s(request.id)),
        ],
    )
    .await
    .logical_error();
    post(
        &sim,
        "incident.link",
        &[
            ("request_id", s(request.id)),
            ("request_ids[]", "999999".into()),
        ],
    )
    .await
    .logical_error();
}
