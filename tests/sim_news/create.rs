//! Announcing an outage (`breakingnews` POST) and reading it back; what the POST refuses.

use super::*;

#[tokio::test]
async fn a_new_item_is_open_and_served_by_every_read() {
    let sim = start().await;
    let ds = sim.dataset();
    let ([desk, other_desk], [group, _]) = audience(&ds);
    let request = ds.requests[0].id;
    let before = all(&sim).await.len();
    let started = now();
    let body = post(
        &sim,
        "breakingnews",
        &[
            ("title", "ERP down for everyone".into()),
            ("type_id", s(1)),
            (
                "body",
                "<p>Nobody can sign in to the <b>ERP</b>.</p>".into(),
            ),
            ("affected_helpdesk_ids[]", s(desk)),
            ("affected_helpdesk_ids[]", s(other_desk)),
            ("affected_helpdesk_ids[]", s(desk)),
            ("affected_group_ids[]", s(group)),
            ("resolution_time", s(1_900_000_000)),
            ("creator_id", s(2)),
            ("major_incident_id", s(request)),
        ],
    )
    .await
    .ok();
    let id = body["id"].as_u64().expect("the POST answers the new id");
    assert!(ds.news.iter().all(|n| n.id < id), "a fresh id");

    let served = item(&sim, id).await;
    assert_eq!(served["title"], "ERP down for everyone");
    assert_eq!(
        served["body"],
        "<p>Nobody can sign in to the <b>ERP</b>.</p>"
    );
    assert_eq!(served["type_id"], 1);
    assert_eq!(served["status_id"], 1, "a new item is open");
    assert_eq!(
        ids(&served["affected_helpdesk_ids"]),
        [desk, other_desk],
        "each desk once, in the order sent"
    );
    assert_eq!(ids(&served["affected_group_ids"]), [group]);
    assert_eq!(served["resolution_time"], 1_900_000_000);
    assert_eq!(served["created_by_id"], 2);
    let created_at = served["created_at"].as_i64().expect("epoch created_at");
    assert!((started..=now()).contains(&created_at), "{created_at}");
    assert!(timeline_of(&sim, id).await.is_empty());

    let listed = all(&sim).await;
    assert_eq!(listed.len(), before + 1);
    assert_eq!(listed.iter().find(|n| n["id"] == id), Some(&served));
    let stored = sim.dataset();
    let stored = stored.news_item(id).expect("stored");
    assert_eq!(stored.major_incident_id, Some(request));

    let iso = get(&sim, &format!("breakingnews?id={id}&date_format=iso8601"))
        .await
        .json();
    assert!(iso["created_at"].as_str().is_some_and(|d| d.contains('T')));
}

#[tokio::test]
async fn a_group_alone_is_an_audience_and_the_api_user_is_the_default_creator() {
    let sim = start().await;
    let (_, [_, group]) = audience(&sim.dataset());
    let body = post(
        &sim,
        "breakingnews",
        &[
            ("title", "Payroll portal slow".into()),
            ("type_id", s(3)),
            ("body", "<p>Slow.</p>".into()),
            ("affected_group_ids[]", s(group)),
            ("creator_id", String::new()),
        ],
    )
    .await
    .ok();
    let served = item(&sim, body["id"].as_u64().expect("id")).await;
    assert_eq!(served["created_by_id"], 1);
    assert_eq!(served["affected_helpdesk_ids"], serde_json::json!([]));
    assert_eq!(ids(&served["affected_group_ids"]), [group]);
    assert!(served["resolution_time"].is_null());
}

#[tokio::test]
async fn missing_or_mistyped_parameters_are_428_and_create_nothing() {
    let sim = start().await;
    let ds = sim.dataset();
    let before = all(&sim).await.len();
    for name in ["title", "type_id", "body"] {
        let pairs: Vec<_> = announcement(&ds)
            .into_iter()
            .filter(|(k, _)| *k != name)
            .collect();
        post(&sim, "breakingnews", &pairs).await.precondition(name);
        let blank: Vec<_> = announcement(&ds)
            .into_iter()
            .map(|(k, v)| if k == name { (k, " ".into()) } else { (k, v) })
            .collect();
        post(&sim, "breakingnews", &blank).await.precondition(name);
    }
    let mistyped = [
        ("type_id", "high"),
        ("resolution_time", "tomorrow"),
        ("creator_id", "x"),
        ("affected_helpdesk_ids[]", "first"),
    ];
    for (name, value) in mistyped {
        let mut pairs = announcement(&ds);
        pairs.push((name, value.into()));
        let param = name.trim_end_matches("[]");
        post(&sim, "breakingnews", &pairs).await.precondition(param);
    }
    // A PHP array sent as a plain string.
    let mut pairs = announcement(&ds);
    pairs.push(("affected_group_ids", "1,2".into()));
    assert_eq!(post(&sim, "breakingnews", &pairs).await.status, 428);
    assert_eq!(all(&sim).await.len(), before);
}

#[tokio::test]
async fn what_the_desk_does_not_know_is_refused_and_creates_nothing() {
    let sim = start().await;
    let ds = sim.dataset();
    let before = all(&sim).await.len();
    for type_id in ["0", "4"] {
        let mut pairs = announcement(&ds);
        pairs.push(("type_id", type_id.into()));
        let info = post(&sim, "breakingnews", &pairs).await.logical_error();
        assert!(info.contains("type"), "{info}");
    }
    let nobody: Vec<_> = announcement(&ds)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("affected"))
        .collect();
    let info = post(&sim, "breakingnews", &nobody).await.logical_error();
    assert!(info.contains("at least one"), "{info}");
    let mut empty = nobody.clone();
    empty.push(("affected_helpdesk_ids[]", String::new()));
    empty.push(("affected_group_ids[]", String::new()));
    post(&sim, "breakingnews", &empty).await.logical_error();
    let unknown = [
        ("affected_helpdesk_ids[]", "9999", "help desk"),
        ("affected_group_ids[]", "9999", "group"),
        ("creator_id", "999999", "creator"),
        ("major_incident_id", "999999", "request"),
    ];
    for (name, value, what) in unknown {
        let mut pairs = announcement(&ds);
        pairs.push((name, value.into()));
        let info = post(&sim, "breakingnews", &pairs).await.logical_error();
        assert!(info.contains(what), "{name}: {info}");
    }
    assert_eq!(all(&sim).await.len(), before);
    let info = get(&sim, "breakingnews?id=999999").await.logical_error();
    assert!(info.contains("does not exist"), "{info}");
}
