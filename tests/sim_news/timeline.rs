//! Editing an item (`breakingnews` PUT), posting updates to its timeline
//! (`breakingnews.status` POST) and closing it, by PUT or by a solution.

use super::*;

#[tokio::test]
async fn an_edit_changes_the_fields_sent_and_keeps_the_others() {
    let sim = start().await;
    let id = announce(&sim).await;
    let ([_, other_desk], [group, _]) = audience(&sim.dataset());
    let original = item(&sim, id).await;
    put(
        &sim,
        "breakingnews",
        &[
            ("id", s(id)),
            ("title", "Printers offline in Madrid and Lisbon".into()),
            ("type_id", s(1)),
            ("affected_helpdesk_ids[]", s(other_desk)),
            ("affected_group_ids[]", s(group)),
            ("resolution_time", s(1_900_003_600)),
        ],
    )
    .await
    .ok();
    let served = item(&sim, id).await;
    assert_eq!(served["title"], "Printers offline in Madrid and Lisbon");
    assert_eq!(served["type_id"], 1);
    assert_eq!(ids(&served["affected_helpdesk_ids"]), [other_desk]);
    assert_eq!(ids(&served["affected_group_ids"]), [group]);
    assert_eq!(served["resolution_time"], 1_900_003_600);
    assert_eq!(served["body"], original["body"], "not sent, not changed");
    assert_eq!(served["created_at"], original["created_at"]);
    assert_eq!(served["status_id"], 1);

    // Emptying the desks is fine while a group is still named; blank clears the estimate.
    put(
        &sim,
        "breakingnews",
        &[
            ("id", s(id)),
            ("affected_helpdesk_ids[]", String::new()),
            ("resolution_time", String::new()),
        ],
    )
    .await
    .ok();
    let served = item(&sim, id).await;
    assert_eq!(served["affected_helpdesk_ids"], serde_json::json!([]));
    assert_eq!(ids(&served["affected_group_ids"]), [group]);
    assert!(served["resolution_time"].is_null());
    assert_eq!(
        all(&sim).await.into_iter().find(|n| n["id"] == id),
        Some(served)
    );
}

#[tokio::test]
async fn a_refused_edit_changes_nothing() {
    let sim = start().await;
    let id = announce(&sim).await;
    let before = item(&sim, id).await;
    put(&sim, "breakingnews", &[("title", "x".into())])
        .await
        .precondition("id");
    put(
        &sim,
        "breakingnews",
        &[("id", s(id)), ("type_id", "low".into())],
    )
    .await
    .precondition("type_id");
    let info = put(
        &sim,
        "breakingnews",
        &[("id", s(999_999)), ("title", "x".into())],
    )
    .await
    .logical_error();
    assert!(info.contains("does not exist"), "{info}");
    let refusals = [
        vec![("status_id", s(3))],
        vec![("type_id", s(7))],
        vec![("title", " ".into())],
        vec![("affected_helpdesk_ids[]", s(9_999))],
        vec![
            ("title", "Renamed".into()),
            ("affected_helpdesk_ids[]", String::new()),
        ],
    ];
    for extra in refusals {
        let mut pairs = vec![("id", s(id))];
        pairs.extend(extra.iter().cloned());
        let info = put(&sim, "breakingnews", &pairs).await.logical_error();
        assert!(!info.is_empty(), "{extra:?}");
    }
    assert_eq!(item(&sim, id).await, before);
}

#[tokio::test]
async fn updates_are_appended_in_order_with_their_author() {
    let sim = start().await;
    let ds = sim.dataset();
    let generated = ds
        .news
        .iter()
        .find(|n| n.is_open() && !n.updates.is_empty())
        .expect("an open item with a timeline");
    let agent = ds
        .agents()
        .map(|u| u.id)
        .find(|id| *id != 1)
        .expect("agent");
    let started = now();
    post(
        &sim,
        "breakingnews.status",
        &[
            ("id", s(generated.id)),
            ("body", "<p>Vendor engaged.</p>".into()),
            ("creator_id", s(agent)),
        ],
    )
    .await
    .ok();
    post(
        &sim,
        "breakingnews.status",
        &[
            ("id", s(generated.id)),
            ("body", "<p>Fix deployed.</p>".into()),
        ],
    )
    .await
    .ok();
    let timeline = timeline_of(&sim, generated.id).await;
    assert_eq!(timeline.len(), generated.updates.len() + 2);
    let [.., vendor, fix] = timeline.as_slice() else {
        panic!("two new updates")
    };
    assert_eq!(vendor["body"], "<p>Vendor engaged.</p>");
    assert_eq!(vendor["creator_id"], agent);
    assert_eq!(fix["body"], "<p>Fix deployed.</p>");
    assert_eq!(fix["creator_id"], 1, "without creator_id: the API user");
    let dates: Vec<i64> = timeline
        .iter()
        .map(|u| u["created_at"].as_i64().expect("epoch"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert!(dates[dates.len() - 1] >= started);
    assert_eq!(
        item(&sim, generated.id).await["status_id"],
        1,
        "an update does not close"
    );
}

#[tokio::test]
async fn a_solution_closes_the_item_and_a_closed_item_takes_no_update() {
    let sim = start().await;
    let id = announce(&sim).await;
    post(
        &sim,
        "breakingnews.status",
        &[
            ("id", s(id)),
            (
                "body",
                "<p>Print server restarted; all queues work.</p>".into(),
            ),
            ("is_solution", s(1)),
        ],
    )
    .await
    .ok();
    assert_eq!(item(&sim, id).await["status_id"], 2);
    let listed = all(&sim).await;
    let listed = listed.iter().find(|n| n["id"] == id).expect("listed");
    assert_eq!(listed["status_id"], 2, "closed in the list too");
    let timeline = timeline_of(&sim, id).await;
    assert_eq!(timeline.len(), 1);
    assert_eq!(
        timeline[0]["body"],
        "<p>Print server restarted; all queues work.</p>"
    );

    for is_solution in ["0", "1"] {
        let info = post(
            &sim,
            "breakingnews.status",
            &[
                ("id", s(id)),
                ("body", "<p>Late note.</p>".into()),
                ("is_solution", is_solution.into()),
            ],
        )
        .await
        .logical_error();
        assert!(info.contains("closed"), "{info}");
    }
    assert_eq!(timeline_of(&sim, id).await.len(), 1);

    // Reopened, it takes updates again.
    put(&sim, "breakingnews", &[("id", s(id)), ("status_id", s(1))])
        .await
        .ok();
    post(
        &sim,
        "breakingnews.status",
        &[("id", s(id)), ("body", "<p>It failed again.</p>".into())],
    )
    .await
    .ok();
    assert_eq!(timeline_of(&sim, id).await.len(), 2);
    assert_eq!(item(&sim, id).await["status_id"], 1);
}

#[tokio::test]
async fn closing_by_put_adds_no_update() {
    let sim = start().await;
    let id = announce(&sim).await;
    put(&sim, "breakingnews", &[("id", s(id)), ("status_id", s(2))])
        .await
        .ok();
    assert_eq!(item(&sim, id).await["status_id"], 2);
    assert!(timeline_of(&sim, id).await.is_empty());
}

#[tokio::test]
async fn an_update_needs_an_item_a_body_and_a_known_author() {
    let sim = start().await;
    let id = announce(&sim).await;
    post(&sim, "breakingnews.status", &[("body", "<p>x</p>".into())])
        .await
        .precondition("id");
    post(&sim, "breakingnews.status", &[("id", s(id))])
        .await
        .precondition("body");
    post(
        &sim,
        "breakingnews.status",
        &[
            ("id", s(id)),
            ("body", "<p>x</p>".into()),
            ("is_solution", "maybe".into()),
        ],
    )
    .await
    .precondition("is_solution");
    let info = post(
        &sim,
        "breakingnews.status",
        &[("id", s(999_999)), ("body", "<p>x</p>".into())],
    )
    .await
    .logical_error();
    assert!(info.contains("does not exist"), "{info}");
    let info = post(
        &sim,
        "breakingnews.status",
        &[
            ("id", s(id)),
            ("body", "<p>x</p>".into()),
            ("creator_id", s(999_999)),
        ],
    )
    .await
    .logical_error();
    assert!(info.contains("creator"), "{info}");
    assert!(timeline_of(&sim, id).await.is_empty());
    assert_eq!(item(&sim, id).await["status_id"], 1);
}
