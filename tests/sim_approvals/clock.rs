//! Expiry on the simulator's clock, and the vocabularies switched to PHP's empty `[]`.

use super::*;
use ttydesk::sim::ApprovalTemplate;

/// Requests a template approval on an open request that may use a template accepted by
/// `test`; returns the request, the template and the new approval's id.
async fn requested(
    sim: &SimHandle,
    test: impl Fn(&ApprovalTemplate) -> bool,
) -> (Request, ApprovalTemplate, u64) {
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let (request, template) = ds
        .requests
        .iter()
        .filter(|r| !life.is_finished(r.status_id) && !ds.hostile_ids.contains(&r.id))
        .find_map(|r| {
            ds.approval_templates_for(r)
                .find(|t| test(t))
                .map(|t| (r.clone(), t.clone()))
        })
        .expect("a request offered such a template");
    post(
        sim,
        "incident.custom_approval",
        &[
            ("request_id", s(request.id)),
            ("author_id", s(request.assigned_id.unwrap_or(2))),
            ("approval_id", s(template.id)),
            ("description", "Needed for the quarter close".into()),
        ],
    )
    .await
    .ok();
    let id = approvals_of(sim, request.id)
        .await
        .iter()
        .filter_map(|a| a["id"].as_u64())
        .max()
        .expect("the new approval");
    (request, template, id)
}

#[tokio::test]
async fn an_approval_expires_when_the_clock_passes_and_is_rejected_as_its_template_says() {
    let sim = start().await;
    let (request, template, id) = requested(&sim, |t| {
        t.expired_in > 0 && !t.expired_approved && t.voters.len() >= 2
    })
    .await;
    let first = template.voters[0];
    put(&sim, "incident.approval.accept", &vote_pairs(id, first))
        .await
        .ok();

    sim.advance_clock(template.expired_in - 3_600);
    assert_eq!(
        served(&sim, request.id, id).await["status"],
        -1,
        "an hour before the deadline it still waits"
    );
    sim.advance_clock(7_200);
    assert_eq!(served(&sim, request.id, id).await["status"], 0);
    for (user, status) in voters(&sim, id).await {
        let expected = if user == first { 1 } else { 2 };
        assert_eq!(status, expected, "vote of {user}: expired unless given");
    }
    let late = put(
        &sim,
        "incident.approval.accept",
        &vote_pairs(id, template.voters[1]),
    )
    .await
    .logical_error();
    assert!(late.contains("no longer waiting"), "{late}");
}

#[tokio::test]
async fn an_approval_whose_template_says_so_is_approved_when_it_expires() {
    let sim = start().await;
    let (request, template, id) = requested(&sim, |t| t.expired_in > 0 && t.expired_approved).await;
    sim.advance_clock(template.expired_in + 60);
    assert_eq!(served(&sim, request.id, id).await["status"], 1);
    assert!(voters(&sim, id).await.iter().all(|(_, v)| *v == 2));
    let (_, stored) = sim
        .dataset()
        .approval(id)
        .map(|(r, a)| (r.id, a.clone()))
        .expect("kept");
    assert_eq!(stored.status, 1, "the snapshot agrees with the wire");
}

#[tokio::test]
async fn generated_waiting_approvals_expire_on_the_clock_and_spontaneous_ones_never() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, approval) = waiting_where(&ds, |a| a.expires_at.is_some());
    let (other_request, spontaneous) = waiting_where(&ds, |a| a.expires_at.is_none());
    let deadline = approval.expires_at.expect("an expiry");
    assert!(deadline > sim.clock() + 3_600, "nothing expires at start");
    assert_eq!(served(&sim, request.id, approval.id).await["status"], -1);

    sim.advance_clock(deadline - sim.clock() + 60);
    let status = served(&sim, request.id, approval.id).await["status"].clone();
    let template = ds
        .approval_template(approval.template_id.expect("predefined"))
        .expect("its template");
    assert_eq!(status, if template.expired_approved { 1 } else { 0 });
    let pending = get(
        &sim,
        &format!(
            "incident.approval.possible_voters?approval_id={}&only_pending=1",
            approval.id
        ),
    )
    .await
    .json();
    assert_eq!(pending, serde_json::json!([]), "nobody waits to vote");

    sim.advance_clock(400 * 86_400);
    assert_eq!(
        served(&sim, other_request.id, spontaneous.id).await["status"],
        -1
    );
}

#[tokio::test]
async fn the_vocabularies_are_id_keyed_maps_until_switched_to_php_empty_arrays() {
    let sim = start().await;
    let endpoints = [
        ("incident.approval.status", vec!["-2", "-1", "0", "1"]),
        ("incident.approval.type", vec!["1", "2"]),
        (
            "incident.approval.vote_status",
            vec!["-2", "-1", "0", "1", "2"],
        ),
    ];
    for (endpoint, keys) in &endpoints {
        let map = get(&sim, endpoint).await.json();
        let map = map.as_object().expect("a map");
        let mut got: Vec<&str> = map.keys().map(String::as_str).collect();
        got.sort_by_key(|k| k.parse::<i64>().unwrap_or(0));
        assert_eq!(&got, keys, "{endpoint}");
        assert!(
            map.values()
                .all(|v| v.as_str().is_some_and(|t| !t.is_empty()))
        );
    }
    sim.set_empty_approval_vocabularies(true);
    for (endpoint, _) in &endpoints {
        let reply = get(&sim, endpoint).await;
        assert_eq!(
            (reply.status, reply.text.as_str()),
            (200, "[]"),
            "{endpoint}"
        );
    }
    sim.set_empty_approval_vocabularies(false);
    for (endpoint, keys) in &endpoints {
        let map = get(&sim, endpoint).await.json();
        assert_eq!(
            map.as_object().map(|m| m.len()),
            Some(keys.len()),
            "{endpoint}"
        );
    }
}
