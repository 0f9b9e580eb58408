//! Status changes: waiting for something, reopening, cancelling, rejecting, and the
//! customer's answer to a solution.

use super::*;
use ttydesk::sim::WaitingFor;

#[tokio::test]
async fn waiting_for_moves_to_the_waiting_statuses_and_remembers_why() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let candidates: Vec<u64> = ds
        .requests
        .iter()
        .filter(|r| r.status_id == life.in_progress && !ds.hostile_ids.contains(&r.id))
        .map(|r| r.id)
        .take(4)
        .collect();
    let [a, b, c, d] = candidates[..] else {
        panic!("four requests in progress")
    };
    let until = now() + 86_400;
    post(
        &sim,
        "incident.waitingfor.customer",
        &[("request_id", s(a))],
    )
    .await
    .ok();
    post(&sim, "incident.waitingfor.agent", &[("request_id", s(b))])
        .await
        .ok();
    post(
        &sim,
        "incident.waitingfor.date",
        &[("request_id", s(c)), ("timestamp", until.to_string())],
    )
    .await
    .ok();
    post(
        &sim,
        "incident.waitingfor.incident",
        &[("request_id", s(d)), ("wait_request_id", s(a))],
    )
    .await
    .ok();
    let after = sim.dataset();
    let state = |id: u64| {
        after
            .request(id)
            .map(|r| (r.status_id, r.waiting_for.clone()))
    };
    assert_eq!(
        state(a),
        Some((life.waiting_customer, Some(WaitingFor::Customer)))
    );
    assert_eq!(
        state(b),
        Some((life.waiting_other, Some(WaitingFor::Agent)))
    );
    assert_eq!(
        state(c),
        Some((life.waiting_other, Some(WaitingFor::Date(until))))
    );
    assert_eq!(
        state(d),
        Some((life.waiting_other, Some(WaitingFor::Request(a))))
    );
    assert_eq!(incident(&sim, a).await["status_id"], life.waiting_customer);
    let waiting = get(
        &sim,
        &format!(
            "incidents.by.status?status_id={}&limit=1000",
            life.waiting_customer
        ),
    )
    .await;
    assert!(
        ids_of(&waiting.json()).contains(&a),
        "still open, now waiting"
    );

    post(&sim, "incident.waitingfor.date", &[("request_id", s(c))])
        .await
        .precondition("timestamp");
    post(
        &sim,
        "incident.waitingfor.incident",
        &[("request_id", s(d)), ("wait_request_id", s(d))],
    )
    .await
    .logical_error();
    post(
        &sim,
        "incident.waitingfor.incident",
        &[("request_id", s(d)), ("wait_request_id", "999999".into())],
    )
    .await
    .logical_error();
    post(&sim, "incident.waitingfor.customer", &[])
        .await
        .precondition("request_id");
    let closed = with_status(&ds, life.closed);
    post(
        &sim,
        "incident.waitingfor.customer",
        &[("request_id", s(closed.id))],
    )
    .await
    .logical_error();
}

#[tokio::test]
async fn reopening_works_only_from_resolved_or_closed() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let open = with_status(&ds, life.open);
    let closed = with_status(&ds, life.closed);
    let author = s(agent(&ds));
    put(
        &sim,
        "incident.reopen",
        &[("request_id", s(open.id)), ("author_id", author.clone())],
    )
    .await
    .logical_error();
    assert_eq!(incident(&sim, open.id).await["status_id"], life.open);
    put(&sim, "incident.reopen", &[("author_id", author.clone())])
        .await
        .precondition("request_id");

    put(
        &sim,
        "incident.reopen",
        &[("request_id", s(closed.id)), ("author_id", author)],
    )
    .await
    .ok();
    let object = incident(&sim, closed.id).await;
    assert_eq!(
        object["status_id"],
        life.resumed(closed.assigned_id.is_some())
    );
    assert_eq!(object["closed_at"], Value::Null);
    let listed = get(
        &sim,
        &format!(
            "incidents.by.status?status_id={}&limit=1000",
            object["status_id"]
        ),
    )
    .await;
    assert!(
        ids_of(&listed.json()).contains(&closed.id),
        "a reopened request is open again"
    );
}

#[tokio::test]
async fn cancelled_and_rejected_requests_leave_the_open_listings() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let request = with_status(&ds, life.in_progress);
    let other = ds
        .requests
        .iter()
        .find(|r| r.status_id == life.new && r.id != request.id)
        .cloned()
        .expect("a new request");
    let author = s(agent(&ds));
    let listed = |status: u64| format!("incidents.by.status?status_id={status}&limit=1000");
    assert!(ids_of(&get(&sim, &listed(life.in_progress)).await.json()).contains(&request.id));

    let cancel = [
        ("request_id", s(request.id)),
        ("author_id", author.clone()),
        ("comment", "<p>Duplicate of another request</p>".to_string()),
    ];
    post(&sim, "incident.cancel", &cancel).await.ok();
    let object = incident(&sim, request.id).await;
    assert_eq!(object["status_id"], life.cancelled);
    let note = object["comments"]
        .as_array()
        .and_then(|c| c.last())
        .expect("the note")
        .clone();
    assert_eq!(note["message"], "<p>Duplicate of another request</p>");
    assert_eq!(
        note["customer_visible"], 0,
        "the cancel comment is internal"
    );
    assert!(!ids_of(&get(&sim, &listed(life.in_progress)).await.json()).contains(&request.id));
    let desk = get(
        &sim,
        &format!(
            "incidents.by.helpdesk?helpdesk_id={}",
            request.assigned_group_id
        ),
    )
    .await;
    assert!(!ids_of(&desk.json()).contains(&request.id));
    let customer = get(
        &sim,
        &format!("incidents.by.customer?id={}&limit=1000", request.user_id),
    )
    .await;
    assert!(
        customer.json()["requests"]
            .get(request.id.to_string())
            .is_none()
    );
    post(&sim, "incident.cancel", &cancel).await.logical_error();
    post(&sim, "incident.cancel", &cancel[..1])
        .await
        .precondition("author_id");

    let reject = [("request_id", s(other.id)), ("author_id", author)];
    post(&sim, "incident.reject", &reject).await.ok();
    assert_eq!(incident(&sim, other.id).await["status_id"], life.rejected);
    assert!(!ids_of(&get(&sim, &listed(life.new)).await.json()).contains(&other.id));
    post(&sim, "incident.reject", &reject).await.logical_error();
    let statuses = get(&sim, "incident.attributes.status").await.json();
    assert!(statuses.as_array().is_some_and(|all| {
        all.iter()
            .any(|s| s["id"] == life.cancelled && s["name"] == "Cancelled")
    }));
}

#[tokio::test]
async fn a_solution_is_accepted_or_rejected_only_when_the_request_is_resolved() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let resolved: Vec<Request> = ds
        .requests
        .iter()
        .filter(|r| r.status_id == life.resolved && !ds.hostile_ids.contains(&r.id))
        .take(3)
        .cloned()
        .collect();
    let [good, poor, refused] = &resolved[..] else {
        panic!("three resolved requests")
    };
    let open = with_status(&ds, life.open);

    let accept = |id: u64, rating: &str| vec![("id", s(id)), ("rating", rating.to_string())];
    put(&sim, "incident.solution.accept", &accept(open.id, "5"))
        .await
        .logical_error();
    put(
        &sim,
        "incident.solution.accept",
        &[("request_id", s(good.id)), ("rating", "5".into())],
    )
    .await
    .precondition("id");
    put(&sim, "incident.solution.accept", &[("id", s(good.id))])
        .await
        .precondition("rating");
    put(&sim, "incident.solution.accept", &accept(good.id, "7"))
        .await
        .logical_error();
    put(&sim, "incident.solution.accept", &accept(good.id, "5"))
        .await
        .ok();
    let object = incident(&sim, good.id).await;
    assert_eq!(object["status_id"], life.closed);
    assert_eq!(object["rating"], 5);
    assert!(object["closed_at"].is_i64());

    put(&sim, "incident.solution.accept", &accept(poor.id, "2"))
        .await
        .logical_error();
    let mut with_comment = accept(poor.id, "2");
    with_comment.push(("comment", "<p>Took a week</p>".into()));
    put(&sim, "incident.solution.accept", &with_comment)
        .await
        .ok();
    assert_eq!(incident(&sim, poor.id).await["rating"], 2);

    put(&sim, "incident.solution.reject", &[("id", s(refused.id))])
        .await
        .precondition("comment");
    let reject = [
        ("id", s(refused.id)),
        ("comment", "<p>Still broken</p>".to_string()),
    ];
    put(&sim, "incident.solution.reject", &reject).await.ok();
    let object = incident(&sim, refused.id).await;
    assert_eq!(
        object["status_id"],
        life.resumed(refused.assigned_id.is_some())
    );
    let last = object["comments"]
        .as_array()
        .and_then(|c| c.last())
        .expect("comments")
        .clone();
    assert_eq!(
        (last["message"].as_str(), last["author_id"].as_u64()),
        (Some("<p>Still broken</p>"), Some(refused.user_id))
    );
    put(&sim, "incident.solution.reject", &reject)
        .await
        .logical_error();
}
