//! Reassigning, custom field values, the `incident` PUT edit and the `user.by` lookup.

use super::*;

#[tokio::test]
async fn reassigning_moves_the_request_between_desks_and_agents() {
    let sim = start().await;
    let ds = sim.dataset();
    let life = ds.lifecycle();
    let request = with_status(&ds, life.in_progress);
    let (level, agent_id) = level_with_agent(&ds, request.assigned_group_id);
    let author = agent(&ds);
    let pairs = [
        ("request_id", s(request.id)),
        ("author_id", s(author)),
        ("group_id", s(level.id)),
        ("agent_id", s(agent_id)),
    ];
    post(&sim, "incident.reassign", &pairs).await.ok();
    let object = incident(&sim, request.id).await;
    assert_eq!(object["assigned_group_id"], level.id);
    assert_eq!(object["assigned_id"], agent_id);
    let new_desk = get(
        &sim,
        &format!("incidents.by.helpdesk?helpdesk_id={}", level.id),
    )
    .await
    .json();
    assert!(ids_of(&new_desk).contains(&request.id));
    let old_desk = get(
        &sim,
        &format!(
            "incidents.by.helpdesk?helpdesk_id={}",
            request.assigned_group_id
        ),
    )
    .await
    .json();
    assert!(!ids_of(&old_desk).contains(&request.id));
    let mine = get(
        &sim,
        &format!("incidents.by.agent?id={agent_id}&limit=1000"),
    )
    .await
    .json();
    assert!(mine["requests"].get(request.id.to_string()).is_some());

    // Without agent_id the agent is cleared.
    post(&sim, "incident.reassign", &pairs[..3]).await.ok();
    assert_eq!(incident(&sim, request.id).await["assigned_id"], Value::Null);

    let outsider = ds
        .agents()
        .map(|u| u.id)
        .find(|id| !level.members.contains(id))
        .expect("an outsider");
    let mut wrong_agent = pairs.to_vec();
    wrong_agent[3].1 = s(outsider);
    post(&sim, "incident.reassign", &wrong_agent)
        .await
        .logical_error();
    let mut no_desk = pairs.to_vec();
    no_desk[2].1 = "424242".into();
    post(&sim, "incident.reassign", &no_desk)
        .await
        .logical_error();
    post(
        &sim,
        "incident.reassign",
        &[pairs[0].clone(), pairs[1].clone()],
    )
    .await
    .precondition("group_id");
    let closed = with_status(&ds, life.closed);
    let mut finished = pairs.to_vec();
    finished[0].1 = s(closed.id);
    post(&sim, "incident.reassign", &finished)
        .await
        .logical_error();
}

#[tokio::test]
async fn custom_field_values_are_set_and_erased() {
    let sim = start().await;
    let ds = sim.dataset();
    let request = with_status(&ds, ds.lifecycle().open);
    let uid = ds
        .custom_fields
        .iter()
        .find(|f| f.category_ids.is_empty())
        .expect("a global field")
        .uid;
    let base = [
        ("request_id", s(request.id)),
        ("author_id", s(agent(&ds))),
        ("custom_field_uid", s(uid)),
    ];
    let mut set = base.to_vec();
    set.push(("values[]", "CC-4242".into()));
    post(&sim, "incident.custom_field", &set).await.ok();
    assert_eq!(
        incident(&sim, request.id).await["custom_fields"][uid.to_string()],
        "CC-4242"
    );

    let mut erase = base.to_vec();
    erase.push(("values[]", String::new()));
    post(&sim, "incident.custom_field", &erase).await.ok();
    let fields = incident(&sim, request.id).await["custom_fields"].clone();
    assert!(fields.get(uid.to_string()).is_none(), "{fields}");

    post(&sim, "incident.custom_field", &base)
        .await
        .precondition("values");
    let mut undefined = set.clone();
    undefined[2].1 = "4242".into();
    post(&sim, "incident.custom_field", &undefined)
        .await
        .logical_error();
}

#[tokio::test]
async fn incident_put_edits_the_request_and_answers_the_object() {
    let sim = start().await;
    let ds = sim.dataset();
    let request = with_status(&ds, ds.lifecycle().open);
    let priority = if request.priority_id == 5 { 1 } else { 5 };
    let category = ds
        .categories
        .iter()
        .find(|c| c.id != request.category_id)
        .expect("another category")
        .id;
    let edit = [
        ("id", s(request.id)),
        ("priority_id", s(priority)),
        ("category_id", s(category)),
        ("title", "Printer on fire".to_string()),
    ];
    let reply = put(&sim, "incident", &edit).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let object = reply.json();
    assert_eq!(
        (object["id"].as_u64(), object["priority_id"].as_u64()),
        (Some(request.id), Some(priority))
    );
    assert_eq!(object["title"], "Printer on fire");
    let read = incident(&sim, request.id).await;
    assert_eq!(
        (read["category_id"].as_u64(), read["title"].as_str()),
        (Some(category), Some("Printer on fire"))
    );

    put(
        &sim,
        "incident",
        &[("id", s(request.id)), ("priority_id", "9".into())],
    )
    .await
    .logical_error();
    put(
        &sim,
        "incident",
        &[("id", s(request.id)), ("type_id", "42".into())],
    )
    .await
    .logical_error();
    put(
        &sim,
        "incident",
        &[("id", s(request.id)), ("category_id", "999999".into())],
    )
    .await
    .logical_error();
    put(&sim, "incident", &edit[1..]).await.precondition("id");
    assert_eq!(
        incident(&sim, request.id).await["priority_id"],
        priority,
        "refused edits change nothing"
    );
}

#[tokio::test]
async fn user_by_finds_a_user_by_username_or_email() {
    let sim = start().await;
    let ds = sim.dataset();
    let user = ds
        .users
        .iter()
        .find(|u| !u.is_disabled && !u.is_deleted)
        .expect("a user")
        .clone();
    let by_name = get(
        &sim,
        &format!("user.by?username={}", encode(&user.username)),
    )
    .await
    .json();
    assert_eq!(
        (by_name["id"].as_u64(), by_name["email"].as_str()),
        (Some(user.id), Some(user.email.as_str()))
    );
    let by_email = get(
        &sim,
        &format!("user.by?email={}", encode(&user.email.to_uppercase())),
    )
    .await
    .json();
    assert_eq!(by_email["id"], user.id);
    get(&sim, "user.by?username=nobody-at-all")
        .await
        .logical_error();
    get(&sim, "user.by").await.logical_error();
}

#[tokio::test]
async fn custom_field_values_must_suit_the_field_type() {
    let sim = start().await;
    let ds = sim.dataset();
    let request = with_status(&ds, ds.lifecycle().open);
    let by_label = |label: &str| {
        ds.custom_fields
            .iter()
            .find(|f| f.label == label)
            .unwrap_or_else(|| panic!("field {label}"))
            .uid
    };
    let set = |uid: u64, value: &str| {
        vec![
            ("request_id", s(request.id)),
            ("author_id", s(agent(&ds))),
            ("custom_field_uid", s(uid)),
            ("values[]", value.to_string()),
        ]
    };
    let value_of = |object: &Value, uid: u64| object["custom_fields"][uid.to_string()].clone();

    // A list takes one of its labels, and nothing else; the refusal names the field.
    let location = by_label("Location");
    post(&sim, "incident.custom_field", &set(location, "Berlin hub"))
        .await
        .ok();
    assert_eq!(
        value_of(&incident(&sim, request.id).await, location),
        "Berlin hub"
    );
    let refused = post(&sim, "incident.custom_field", &set(location, "Narnia")).await;
    refused.logical_error();
    assert!(
        refused.json()["info"]
            .as_str()
            .is_some_and(|i| i.contains("\"Location\""))
    );
    assert_eq!(
        value_of(&incident(&sim, request.id).await, location),
        "Berlin hub",
        "a refused value changes nothing"
    );

    // A tree takes a node's full path, not its bare name.
    let room = by_label("Room");
    let path = "Madrid HQ › Floor 3 › Room 301";
    post(&sim, "incident.custom_field", &set(room, path))
        .await
        .ok();
    assert_eq!(value_of(&incident(&sim, request.id).await, room), path);
    post(
        &sim,
        "incident.custom_field",
        &set(room, "Madrid HQ › Floor 3"),
    )
    .await
    .ok();
    post(&sim, "incident.custom_field", &set(room, "Room 301"))
        .await
        .logical_error();

    // Free text and read-only kinds take anything; erasing a list value still works.
    post(
        &sim,
        "incident.custom_field",
        &set(by_label("Cost center"), "anything"),
    )
    .await
    .ok();
    post(&sim, "incident.custom_field", &set(location, ""))
        .await
        .ok();
    assert!(value_of(&incident(&sim, request.id).await, location).is_null());
}

#[tokio::test]
async fn hr_dates_must_be_calendar_dates() {
    let sim = SimHandle::start(SimOptions {
        instance: ttydesk::sim::Instance::Hr,
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts");
    let ds = sim.dataset();
    let request = with_status(&ds, ds.lifecycle().open);
    let start_date = ds
        .custom_fields
        .iter()
        .find(|f| f.label == "Start date")
        .expect("a date field")
        .uid;
    let set = |value: &str| {
        vec![
            ("request_id", s(request.id)),
            ("author_id", s(agent(&ds))),
            ("custom_field_uid", s(start_date)),
            ("values[]", value.to_string()),
        ]
    };
    post(&sim, "incident.custom_field", &set("2027-02-01"))
        .await
        .ok();
    for wrong in ["01/02/2027", "2027-02-30", "next Monday"] {
        post(&sim, "incident.custom_field", &set(wrong))
            .await
            .logical_error();
    }
    assert_eq!(
        incident(&sim, request.id).await["custom_fields"][start_date.to_string()],
        "2027-02-01"
    );
}
