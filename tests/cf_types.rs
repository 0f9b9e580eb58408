//! How custom field values are entered, end to end against the simulator: the catalog's editor
//! for every demo field (list options in the server's order, tree nodes as full paths), a field
//! whose options cannot be read falling back to free text, and list and tree values written
//! through the provider.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use secrecy::SecretString;
use ttydesk::domain::{Catalog, FieldEditor, TicketId, UserId, Write};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::invgate::{InvGate, InvGateConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{
    CustomField, Dataset, Fault, FaultKind, Instance, SimHandle, SimOptions, TREE_SEPARATOR,
};

async fn sim(opts: SimOptions) -> SimHandle {
    SimHandle::start(opts).await.expect("simulator starts")
}

fn provider(sim: &SimHandle) -> InvGate {
    InvGate::new(InvGateConfig {
        base_url: sim.base_url(),
        username: sim.username().to_string(),
        token: SecretString::from(sim.password().to_string()),
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds")
}

fn fault(endpoint: &str, kind: FaultKind) -> Fault {
    Fault {
        endpoint: Some(endpoint.to_string()),
        kind,
        times: 1,
    }
}

fn texts(items: &[ttydesk::text::SafeText]) -> Vec<String> {
    items.iter().map(|t| t.as_str().to_string()).collect()
}

fn field<'d>(ds: &'d Dataset, label: &str) -> &'d CustomField {
    (ds.custom_fields.iter())
        .find(|f| f.label == label)
        .unwrap_or_else(|| panic!("field {label}"))
}

/// What the demo asset says each field's editor is: its type code, and its options.
fn expected(cf: &CustomField) -> FieldEditor {
    match cf.field_type {
        1 | 2 => FieldEditor::Text,
        3 => FieldEditor::List(cf.options.iter().map(|o| safe(o)).collect()),
        4 => FieldEditor::Tree(cf.options.iter().map(|o| safe(o)).collect()),
        5 => FieldEditor::Number,
        6 => FieldEditor::Date,
        7 => FieldEditor::Checkbox,
        _ => FieldEditor::ReadOnly,
    }
}

fn safe(text: &str) -> ttydesk::text::SafeText {
    ttydesk::text::SafeText::line(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_field_gets_the_editor_of_its_type() {
    for instance in Instance::ALL {
        let sim = sim(SimOptions {
            instance,
            ..SimOptions::default()
        })
        .await;
        let catalog = provider(&sim).catalog().await.expect("catalog");
        let ds = sim.dataset();
        assert_eq!(catalog.custom_fields.len(), ds.custom_fields.len());
        for cf in &ds.custom_fields {
            let def = catalog.custom_field(&cf.uid.to_string()).expect("defined");
            assert_eq!(
                def.editor,
                expected(cf),
                "{}: {}",
                instance.name(),
                cf.label
            );
        }
        // One lookup per list or tree field, each with its uid.
        let log = sim.requests();
        let lookups = (log.iter())
            .filter(|r| r.endpoint.starts_with("cf.field.options."))
            .count();
        let with_options = (ds.custom_fields.iter())
            .filter(|f| matches!(f.field_type, 3 | 4))
            .count();
        assert_eq!(lookups, with_options, "{}", instance.name());
        assert_eq!(
            log.iter()
                .filter(|r| r.endpoint == "cf.fields.types")
                .count(),
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_it_desk_fields_read_as_the_asset_lists_them() {
    let sim = sim(SimOptions::default()).await;
    let catalog = provider(&sim).catalog().await.expect("catalog");
    let ds = sim.dataset();
    let editor = |label: &str| {
        catalog
            .custom_field(&field(&ds, label).uid.to_string())
            .expect("defined")
            .editor
            .clone()
    };
    let FieldEditor::List(locations) = editor("Location") else {
        panic!("Location is a list");
    };
    assert_eq!(
        texts(&locations),
        [
            "Madrid HQ",
            "Lisbon office",
            "Berlin hub",
            "Toronto office",
            "São Paulo branch",
            "Warehouse B",
            "Dublin office",
            "Remote"
        ]
    );
    let FieldEditor::Tree(rooms) = editor("Room") else {
        panic!("Room is a tree");
    };
    let rooms = texts(&rooms);
    assert_eq!(
        rooms[..4],
        [
            "Madrid HQ",
            "Madrid HQ › Floor 3",
            "Madrid HQ › Floor 3 › Room 301",
            "Madrid HQ › Floor 3 › Room 302"
        ]
    );
    assert!(rooms.contains(&"Berlin hub › Lab".to_string()));
    assert_eq!(editor("Cost center"), FieldEditor::Text);
    assert_eq!(editor("Affected asset"), FieldEditor::ReadOnly);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_whose_options_fail_is_free_text_and_the_catalog_loads() {
    let sim = sim(SimOptions::default()).await;
    let ds = sim.dataset();
    let lists = (ds.custom_fields.iter())
        .filter(|f| f.field_type == 3)
        .count();
    sim.inject(fault(
        "cf.field.options.list",
        FaultKind::Status(500, r#"{"error":"boom","status":500}"#.into()),
    ));
    let catalog = provider(&sim).catalog().await.expect("catalog loads");
    let editors: Vec<&FieldEditor> = (ds.custom_fields.iter())
        .filter(|f| f.field_type == 3)
        .map(|f| {
            &catalog
                .custom_field(&f.uid.to_string())
                .expect("defined")
                .editor
        })
        .collect();
    // The lookups run side by side, so which list meets the fault varies: that one is free
    // text, the others keep their options.
    let text = editors.iter().filter(|e| ***e == FieldEditor::Text).count();
    let listed = (editors.iter())
        .filter(|e| matches!(e, FieldEditor::List(o) if !o.is_empty()))
        .count();
    assert_eq!((text, listed), (1, lists - 1), "{editors:?}");

    // Without the type table every field is text.
    sim.inject(fault(
        "cf.fields.types",
        FaultKind::Status(404, r#"{"error":"Not found","status":404}"#.into()),
    ));
    let catalog = provider(&sim).catalog().await.expect("catalog loads");
    assert!(
        (catalog.custom_fields.iter()).all(|f| f.editor == FieldEditor::Text),
        "{:?}",
        catalog.custom_fields
    );
    assert!(!catalog.statuses.is_empty());
}

/// A simulator, its provider, its catalog and the agent writes are made as.
async fn desk() -> (SimHandle, InvGate, Arc<Catalog>, UserId) {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.expect("catalog"));
    let login = (sim.dataset().agents())
        .find(|u| !u.is_disabled && !u.is_deleted)
        .expect("an agent")
        .username
        .clone();
    let agent = ig.agent(login).await.expect("the agent is known").id;
    (sim, ig, catalog, agent)
}

fn open_ticket(ds: &Dataset) -> TicketId {
    let open = ds.lifecycle().open;
    let request = (ds.requests.iter())
        .find(|r| r.status_id == open && !ds.hostile_ids.contains(&r.id))
        .expect("an open request");
    TicketId::from(request.id.to_string())
}

async fn value_of(ig: &InvGate, catalog: &Arc<Catalog>, ticket: &TicketId, uid: u64) -> String {
    let detail = ig
        .detail(ticket.clone(), catalog.clone())
        .await
        .expect("detail");
    (detail.custom_fields.into_iter())
        .find(|f| f.field_id == uid.to_string())
        .map(|f| f.value.as_str().to_string())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_and_tree_values_are_written_as_the_catalog_offers_them() {
    let (sim, ig, catalog, agent) = desk().await;
    let ds = sim.dataset();
    let ticket = open_ticket(&ds);
    let set = |uid: u64, value: &str| Write::SetField {
        ticket: ticket.clone(),
        field: uid.to_string(),
        values: vec![value.to_string()],
    };
    for label in ["Location", "Room"] {
        let uid = field(&ds, label).uid;
        let options = match &catalog
            .custom_field(&uid.to_string())
            .expect("defined")
            .editor
        {
            FieldEditor::List(options) | FieldEditor::Tree(options) => texts(options),
            other => panic!("{label}: {other:?}"),
        };
        let chosen = options.last().expect("an option").clone();
        ig.write(set(uid, &chosen), agent.clone(), catalog.clone())
            .await
            .unwrap_or_else(|e| panic!("{label}: {e:?}"));
        assert_eq!(
            value_of(&ig, &catalog, &ticket, uid).await,
            chosen,
            "{label}"
        );
        let sent = (sim.requests().into_iter())
            .rfind(|r| r.endpoint == "incident.custom_field")
            .expect("sent");
        let values: Vec<&str> = (sent.form.iter())
            .filter(|(k, _)| k == "values[]")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(values, [chosen.as_str()], "{label}");
    }
    // The tree value on the wire is the node's full path.
    let room = value_of(&ig, &catalog, &ticket, field(&ds, "Room").uid).await;
    assert!(room.contains(TREE_SEPARATOR), "{room}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_outside_the_list_is_refused_with_the_servers_sentence() {
    let (sim, ig, catalog, agent) = desk().await;
    let ds = sim.dataset();
    let ticket = open_ticket(&ds);
    let location = field(&ds, "Location");
    let before = value_of(&ig, &catalog, &ticket, location.uid).await;
    let refused = ig
        .write(
            Write::SetField {
                ticket: ticket.clone(),
                field: location.uid.to_string(),
                values: vec!["Narnia".into()],
            },
            agent.clone(),
            catalog.clone(),
        )
        .await
        .expect_err("refused");
    match refused {
        ProviderError::Rejected(sentence) => {
            let sentence = sentence.as_str();
            assert!(sentence.contains("Narnia"), "{sentence}");
            assert!(sentence.contains("\"Location\""), "{sentence}");
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert_eq!(value_of(&ig, &catalog, &ticket, location.uid).await, before);

    // A tree node's bare name is not its value.
    let refused = ig
        .write(
            Write::SetField {
                ticket: ticket.clone(),
                field: field(&ds, "Room").uid.to_string(),
                values: vec!["Room 301".into()],
            },
            agent,
            catalog,
        )
        .await
        .expect_err("refused");
    assert!(matches!(refused, ProviderError::Rejected(s) if s.as_str().contains("\"Room\"")));
}

/// GET `/api/v1/<endpoint_and_query>` with the simulator's credentials: status and JSON body.
async fn get(sim: &SimHandle, endpoint_and_query: &str) -> (u16, serde_json::Value) {
    let url = format!("{}/api/v1/{endpoint_and_query}", sim.base_url());
    let response = reqwest::Client::new()
        .get(url)
        .basic_auth(sim.username(), Some(sim.password()))
        .send()
        .await
        .expect("request succeeds");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("invalid JSON ({e}): {text}"));
    (status, body)
}

#[tokio::test]
async fn the_option_endpoints_answer_as_the_reference_describes() {
    let sim = sim(SimOptions::default()).await;
    let ds = sim.dataset();
    let location = field(&ds, "Location");
    let room = field(&ds, "Room");

    let (status, list) = get(&sim, &format!("cf.field.options.list?uid={}", location.uid)).await;
    assert_eq!(status, 200);
    let map = list["key-value"].as_object().expect("key-value object");
    assert_eq!(map.len(), location.options.len());
    assert_eq!(map["1"], "Madrid HQ");
    assert_eq!(map["8"], "Remote");

    let (status, tree) = get(&sim, &format!("cf.field.options.tree?uid={}", room.uid)).await;
    assert_eq!(status, 200);
    let roots = tree.as_array().expect("an array of nodes");
    let names: Vec<&str> = roots.iter().filter_map(|n| n["name"].as_str()).collect();
    assert_eq!(names, ["Madrid HQ", "Lisbon office", "Berlin hub"]);
    for node in roots {
        assert!(node["hash"].is_string() && node["key"].is_string() && node["children"].is_array());
    }
    assert_eq!(roots[0]["children"][0]["children"][1]["name"], "Room 302");
    assert_eq!(roots[2]["children"][0]["name"], "Lab");
    assert_eq!(roots[2]["children"][0]["children"], serde_json::json!([]));

    for endpoint in ["cf.field.options.list", "cf.field.options.tree"] {
        let (status, body) = get(&sim, endpoint).await;
        assert_eq!(status, 428, "{endpoint}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains("uid")),
            "{body}"
        );
        let (status, body) = get(&sim, &format!("{endpoint}?uid=4242")).await;
        assert_eq!((status, &body["status"]), (200, &"ERROR".into()), "{body}");
    }
    let (status, body) = get(&sim, &format!("cf.field.options.list?uid={}", room.uid)).await;
    assert_eq!((status, &body["status"]), (200, &"ERROR".into()), "{body}");
    let (_, body) = get(&sim, &format!("cf.field.options.tree?uid={}", location.uid)).await;
    assert_eq!(body["status"], "ERROR", "{body}");

    // Some requests carry a room, as a full path of a leaf.
    let rooms: Vec<&str> = (ds.requests.iter())
        .flat_map(|r| &r.custom_fields)
        .filter(|(uid, _)| *uid == room.uid)
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(rooms.len() > 100, "{}", rooms.len());
    assert!(
        rooms
            .iter()
            .all(|v| v.matches(TREE_SEPARATOR).count() >= 1 && room.options.iter().any(|o| o == v))
    );
    let with_room = (ds.requests.iter())
        .find(|r| r.custom_fields.iter().any(|(uid, _)| *uid == room.uid))
        .expect("a request with a room");
    let (_, object) = get(&sim, &format!("incident?id={}", with_room.id)).await;
    assert!(
        object["custom_fields"][room.uid.to_string()]
            .as_str()
            .is_some_and(|v| v.contains(TREE_SEPARATOR))
    );
}
