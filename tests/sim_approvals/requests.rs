//! Templates (`incident.custom_approval` GET) and new approvals: from a template
//! (`incident.custom_approval` POST) or of one person (`incident.spontaneous_approval`).

use super::*;
use ttydesk::sim::ApprovalTemplate;

/// An open, ordinary request that may use a template accepted by `test`, and that template.
fn offering(ds: &Dataset, test: impl Fn(&ApprovalTemplate) -> bool) -> (Request, ApprovalTemplate) {
    let life = ds.lifecycle();
    ds.requests
        .iter()
        .filter(|r| !life.is_finished(r.status_id) && !ds.hostile_ids.contains(&r.id))
        .find_map(|r| {
            ds.approval_templates_for(r)
                .find(|t| test(t))
                .map(|t| (r.clone(), t.clone()))
        })
        .expect("a request offered such a template")
}

/// The approvals the request gained since `before` (as served), in order.
async fn new_approvals(sim: &SimHandle, request: &Request) -> Vec<Value> {
    approvals_of(sim, request.id)
        .await
        .into_iter()
        .filter(|a| !request.approvals.iter().any(|old| a["id"] == old.id))
        .collect()
}

#[tokio::test]
async fn custom_approval_lists_the_templates_the_request_may_use_by_id() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, _) = offering(&ds, |_| true);
    let offered: Vec<&ApprovalTemplate> = ds.approval_templates_for(&request).collect();
    let map = get(
        &sim,
        &format!("incident.custom_approval?request_id={}", request.id),
    )
    .await
    .json();
    let map = map.as_object().expect("a map keyed by template id");
    assert_eq!(map.len(), offered.len());
    for t in offered {
        let entry = &map[&t.id.to_string()];
        assert_eq!(entry["id"], t.id);
        assert_eq!(entry["title"], t.title.as_str());
        assert_eq!(entry["description_required"], t.description_required);
        assert_eq!(entry["expired_in"], t.expired_in);
        assert_eq!(entry["expired_approved"], i64::from(t.expired_approved));
        assert!(entry["created_at"].is_i64(), "epoch by default");
        for field in [
            "description",
            "description_prompt",
            "pause_sla",
            "status",
            "wf_process_id",
            "wf_item_id",
        ] {
            assert!(entry.get(field).is_some(), "{field} missing: {entry}");
        }
    }
    let iso = get(
        &sim,
        &format!(
            "incident.custom_approval?request_id={}&date_format=iso8601",
            request.id
        ),
    )
    .await
    .json();
    let first = iso
        .as_object()
        .and_then(|m| m.values().next())
        .expect("an entry");
    assert!(
        first["created_at"]
            .as_str()
            .is_some_and(|d| d.contains('T')),
        "{first}"
    );
    get(&sim, "incident.custom_approval?id=1001")
        .await
        .precondition("request_id");
}

#[tokio::test]
async fn a_request_without_templates_answers_an_empty_array() {
    let sim = start().await;
    let ds = sim.dataset();
    let incident = ds
        .requests
        .iter()
        .find(|r| r.type_id == 1)
        .expect("an incident");
    assert_eq!(ds.approval_templates_for(incident).count(), 0);
    let reply = get(
        &sim,
        &format!("incident.custom_approval?request_id={}", incident.id),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text, "[]", "PHP's empty map");
}

#[tokio::test]
async fn a_template_approval_asks_the_templates_voters() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, template) = offering(&ds, |t| !t.description_required);
    let author = request.assigned_id.unwrap_or(2);
    let started = now();
    post(
        &sim,
        "incident.custom_approval",
        &[
            ("request_id", s(request.id)),
            ("author_id", s(author)),
            ("approval_id", s(template.id)),
        ],
    )
    .await
    .ok();

    let added = new_approvals(&sim, &request).await;
    let [approval] = &added[..] else {
        panic!("one new approval: {added:?}")
    };
    assert_eq!(approval["type"], 1);
    assert_eq!(approval["status"], -1);
    assert_eq!(approval["author_id"], author);
    assert_eq!(approval["approval_request_id"], template.id);
    assert_eq!(
        approval["approval_request_description"],
        template.description.as_str()
    );
    assert!(
        approval["created_at"]
            .as_i64()
            .is_some_and(|t| t >= started)
    );
    let id = approval["id"].as_u64().expect("id");
    let asked: Vec<(u64, i64)> = template.voters.iter().map(|v| (*v, -1)).collect();
    assert_eq!(voters(&sim, id).await, asked);
    assert!(last_update(&sim, request.id).await >= started);
}

#[tokio::test]
async fn a_required_description_must_be_given() {
    let sim = start().await;
    let ds = sim.dataset();
    let (request, template) = offering(&ds, |t| t.description_required);
    let mut pairs = vec![
        ("request_id", s(request.id)),
        ("author_id", s(request.assigned_id.unwrap_or(2))),
        ("approval_id", s(template.id)),
    ];
    let info = post(&sim, "incident.custom_approval", &pairs)
        .await
        .logical_error();
    assert!(info.contains("description"), "{info}");
    pairs.push(("description", "  ".into()));
    post(&sim, "incident.custom_approval", &pairs)
        .await
        .logical_error();
    assert!(
        new_approvals(&sim, &request).await.is_empty(),
        "nothing created"
    );

    let text = "Two Adobe Acrobat licences, cost centre 4410";
    pairs.pop();
    pairs.push(("description", text.into()));
    post(&sim, "incident.custom_approval", &pairs).await.ok();
    let added = new_approvals(&sim, &request).await;
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["approval_request_description"], text);
}

#[tokio::test]
async fn a_template_the_request_may_not_use_is_refused() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let incident = ds
        .requests
        .iter()
        .find(|r| r.type_id == 1 && !life.is_finished(r.status_id))
        .expect("an open incident");
    let template = ds.approval_templates.first().expect("a template");
    let mut pairs = vec![
        ("request_id", s(incident.id)),
        ("author_id", s(2)),
        ("approval_id", s(template.id)),
        ("description", "Please".into()),
    ];
    let info = post(&sim, "incident.custom_approval", &pairs)
        .await
        .logical_error();
    assert!(info.contains("not available"), "{info}");
    pairs[2].1 = "999".into();
    post(&sim, "incident.custom_approval", &pairs)
        .await
        .logical_error();
    assert!(new_approvals(&sim, incident).await.is_empty());
    post(
        &sim,
        "incident.custom_approval",
        &[("request_id", s(incident.id)), ("author_id", s(2))],
    )
    .await
    .precondition("approval_id");
}

#[tokio::test]
async fn a_spontaneous_approval_asks_one_person() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let request = ds
        .requests
        .iter()
        .find(|r| r.status_id == life.in_progress && !ds.hostile_ids.contains(&r.id))
        .expect("a request in progress")
        .clone();
    let author = request.assigned_id.expect("an agent");
    let approver = ds
        .agents()
        .map(|u| u.id)
        .find(|id| *id != 1 && *id != author)
        .expect("another agent");
    let text = "May we replace the laptop instead of repairing it?";
    let mut pairs = vec![
        ("request_id", s(request.id)),
        ("author_id", s(author)),
        ("approval_user_id", s(approver)),
        ("description", text.to_string()),
    ];
    post(&sim, "incident.spontaneous_approval", &pairs)
        .await
        .ok();
    let added = new_approvals(&sim, &request).await;
    let [approval] = &added[..] else {
        panic!("one new approval: {added:?}")
    };
    assert_eq!(approval["type"], 2);
    assert_eq!(approval["status"], -1);
    assert_eq!(approval["approval_request_id"], Value::Null);
    assert_eq!(approval["approval_request_description"], text);
    let id = approval["id"].as_u64().expect("id");
    assert_eq!(voters(&sim, id).await, [(approver, -1)]);

    pairs[3].1 = String::new();
    post(&sim, "incident.spontaneous_approval", &pairs)
        .await
        .precondition("description");
    pairs.remove(2);
    post(&sim, "incident.spontaneous_approval", &pairs)
        .await
        .precondition("approval_user_id");
    assert_eq!(new_approvals(&sim, &request).await.len(), 1);
}

#[tokio::test]
async fn finished_requests_take_no_new_approvals() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let closed = ds
        .requests
        .iter()
        .find(|r| r.status_id == life.closed && ds.approval_templates_for(r).next().is_some())
        .expect("a closed request that had templates");
    let template = ds.approval_templates_for(closed).next().expect("template");
    let info = post(
        &sim,
        "incident.spontaneous_approval",
        &[
            ("request_id", s(closed.id)),
            ("author_id", s(2)),
            ("approval_user_id", s(3)),
            ("description", "Too late?".into()),
        ],
    )
    .await
    .logical_error();
    assert!(info.contains("closed"), "{info}");
    post(
        &sim,
        "incident.custom_approval",
        &[
            ("request_id", s(closed.id)),
            ("author_id", s(2)),
            ("approval_id", s(template.id)),
            ("description", "Too late?".into()),
        ],
    )
    .await
    .logical_error();
    assert!(new_approvals(&sim, closed).await.is_empty());
}
