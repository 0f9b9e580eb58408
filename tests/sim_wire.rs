//! Wire-level contract of the InvGate simulator: what a real HTTP client sees, quirks included
//! (428s, HTTP-200 logical errors, id-keyed dictionaries, 0/1 vs boolean flags, legacy string
//! numbers), plus fault injection and request recording.

// The helpers below are test code outside `#[test]` functions; failing loudly is their job.
#![allow(clippy::expect_used)]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::Value;
use ttydesk::sim::{Fault, FaultKind, Instance, SimHandle, SimOptions};

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", self.text))
    }
}

async fn start() -> SimHandle {
    start_with(SimOptions::default()).await
}

async fn start_with(opts: SimOptions) -> SimHandle {
    SimHandle::start(opts).await.expect("simulator starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request succeeds");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    Answer {
        status,
        headers,
        text,
    }
}

/// GET `/api/v1/<endpoint_and_query>` with the simulator's credentials.
async fn get(sim: &SimHandle, endpoint_and_query: &str) -> Answer {
    let url = format!("{}/api/v1/{endpoint_and_query}", sim.base_url());
    send(
        client()
            .get(url)
            .basic_auth(sim.username(), Some(sim.password())),
    )
    .await
}

fn open_ids_with_status(sim: &SimHandle, status: u64) -> Vec<u64> {
    sim.dataset()
        .open_requests()
        .filter(|r| r.status_id == status)
        .map(|r| r.id)
        .collect()
}

#[tokio::test]
async fn every_endpoint_requires_valid_basic_credentials() {
    let sim = start().await;
    let url = format!("{}/api/v1/sd.version", sim.base_url());
    let anonymous = send(client().get(&url)).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(
        anonymous.json(),
        serde_json::json!({"error": "Unauthorized", "status": 401})
    );
    let wrong = send(
        client()
            .get(&url)
            .basic_auth(sim.username(), Some("not-the-token")),
    )
    .await;
    assert_eq!(wrong.status, 401);
    let bearer = send(client().get(&url).bearer_auth(sim.password())).await;
    assert_eq!(bearer.status, 401);
    let ok = get(&sim, "sd.version").await;
    assert_eq!(ok.status, 200);
    assert!(
        ok.json()["version"]
            .as_str()
            .is_some_and(|v| v.starts_with('v'))
    );
}

#[tokio::test]
async fn unknown_endpoint_is_404_and_wrong_method_is_405() {
    let sim = start().await;
    let unknown = get(&sim, "incidents.by.category?category_id=1").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["status"], 404);
    let url = format!("{}/api/v1/incidents", sim.base_url());
    let wrong = send(
        client()
            .delete(url)
            .basic_auth(sim.username(), Some(sim.password())),
    )
    .await;
    assert_eq!(wrong.status, 405);
    // The trailing-slash form some clients use reaches the same endpoint.
    let first = sim.dataset().requests[0].id;
    let slash = get(&sim, &format!("incident/?id={first}")).await;
    assert_eq!(slash.json()["id"], first);
}

#[tokio::test]
async fn incidents_returns_a_dictionary_keyed_by_id() {
    let sim = start().await;
    let ids: Vec<u64> = sim
        .dataset()
        .requests
        .iter()
        .skip(10)
        .take(3)
        .map(|r| r.id)
        .collect();
    let query: String = ids.iter().map(|id| format!("ids[]={id}&")).collect();
    let answer = get(&sim, &format!("incidents?{query}ids[]=999999")).await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    let map = body.as_object().expect("a JSON object keyed by id");
    let keys: HashSet<String> = map.keys().cloned().collect();
    assert_eq!(
        keys,
        ids.iter().map(u64::to_string).collect(),
        "unknown ids are simply absent"
    );
    for id in &ids {
        let incident = &map[&id.to_string()];
        assert_eq!(incident["id"], *id);
        assert!(
            incident["pretty_id"]
                .as_str()
                .is_some_and(|p| p.ends_with(&id.to_string()))
        );
        assert!(incident["created_at"].is_i64(), "epoch ints by default");
        assert!(
            incident.get("date_ocurred").is_some(),
            "the typo is part of the wire format"
        );
        assert!(
            incident.get("comments").is_none(),
            "comments only on request"
        );
    }
    // Indexed PHP arrays work too; nothing found is PHP's empty array.
    let indexed = get(
        &sim,
        &format!("incidents?ids[0]={}&ids[1]={}", ids[0], ids[1]),
    )
    .await;
    assert_eq!(indexed.json().as_object().map(|m| m.len()), Some(2));
    assert_eq!(
        get(&sim, "incidents?ids[]=999999").await.json(),
        serde_json::json!([])
    );
}

#[tokio::test]
async fn incidents_is_strict_about_its_parameters() {
    let sim = start().await;
    for bad in [
        "incidents?ids=1001,1002",
        "incidents",
        "incidents?ids[]=1001&page=1",
        "incidents?ids[]=1001&page_size=10",
        "incidents?ids[]=abc",
    ] {
        let answer = get(&sim, bad).await;
        assert_eq!(answer.status, 428, "{bad}");
        assert_eq!(answer.json()["status"], 428, "{bad}");
    }
    assert_eq!(
        get(&sim, "incidents?ids=1001,1002").await.json()["error"],
        "tipo string pasado es inválido"
    );
    let too_many: String = (1001..1102).map(|id| format!("ids[]={id}&")).collect();
    assert_eq!(
        get(&sim, &format!("incidents?{too_many}")).await.status,
        428
    );
}

#[tokio::test]
async fn incident_comment_needs_request_id_and_uses_booleans() {
    let sim = start().await;
    let request = sim
        .dataset()
        .requests
        .iter()
        .find(|r| r.comments.len() >= 3)
        .cloned()
        .expect("a thread");
    assert_eq!(
        get(&sim, &format!("incident.comment?id={}", request.id))
            .await
            .status,
        428
    );
    let answer = get(&sim, &format!("incident.comment?request_id={}", request.id)).await;
    assert_eq!(answer.status, 200);
    let comments = answer.json();
    let list = comments.as_array().expect("a bare array");
    assert_eq!(list.len(), request.comments.len());
    for comment in list {
        assert!(comment["customer_visible"].is_boolean());
        assert!(comment["is_solution"].is_boolean());
        assert_eq!(comment["incident_id"], request.id);
        assert!(comment["attached_files"].is_array());
        assert!(
            comment["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("<p>"))
        );
    }
    let solved = sim
        .dataset()
        .requests
        .iter()
        .find(|r| r.status_id == 7)
        .cloned()
        .expect("a closed request");
    let solutions = get(
        &sim,
        &format!("incident.comment?request_id={}&is_solution=1", solved.id),
    )
    .await
    .json();
    assert_eq!(solutions.as_array().map(Vec::len), Some(1));
    assert_eq!(solutions[0]["is_solution"], true);
    let iso = get(
        &sim,
        &format!(
            "incident.comment?request_id={}&date_format=iso8601",
            request.id
        ),
    )
    .await
    .json();
    assert!(
        iso[0]["created_at"]
            .as_str()
            .is_some_and(|d| d.contains('T'))
    );
}

#[tokio::test]
async fn incident_embeds_comments_with_integer_visibility() {
    let sim = start().await;
    let request = sim
        .dataset()
        .requests
        .iter()
        .find(|r| {
            r.comments.iter().any(|c| !c.customer_visible)
                && r.comments.iter().any(|c| c.customer_visible)
        })
        .cloned()
        .expect("public and internal comments");
    let incident = get(&sim, &format!("incident?id={}&comments=1", request.id))
        .await
        .json();
    assert_eq!(incident["id"], request.id);
    let comments = incident["comments"].as_array().expect("comments");
    let flags: HashSet<i64> = comments
        .iter()
        .map(|c| c["customer_visible"].as_i64().expect("0/1 int"))
        .collect();
    assert_eq!(flags, HashSet::from([0, 1]));
    assert!(comments.iter().all(|c| c.get("attached_files").is_some()));
    let without = get(
        &sim,
        &format!(
            "incident?id={}&comments=true&date_format=iso8601",
            request.id
        ),
    )
    .await
    .json();
    assert!(
        without["created_at"]
            .as_str()
            .is_some_and(|d| d.ends_with("+00:00"))
    );
    assert!(without["comments"].is_array());
    assert_eq!(get(&sim, "incident").await.status, 428);
    let missing = get(&sim, "incident?id=999999").await;
    assert_eq!(missing.status, 200);
    assert_eq!(missing.json()["status"], "ERROR");
}

#[tokio::test]
async fn listing_errors_come_back_as_http_200() {
    let sim = start().await;
    let no_status = get(&sim, "incidents.by.status?limit=10").await;
    assert_eq!(no_status.status, 200);
    assert_eq!(no_status.json()["status"], "ERROR");
    let by_id = get(&sim, "incidents.by.helpdesk?id=1").await;
    assert_eq!(by_id.status, 200);
    assert_eq!(
        by_id.json(),
        serde_json::json!({"status": "ERROR", "info": "None of the provided helpdesk_ids is an INTEGER."})
    );
    assert_eq!(
        get(&sim, "incidents.by.status?status_id=abc").await.status,
        428
    );
}

#[tokio::test]
async fn by_status_pages_add_up_to_the_open_requests() {
    let sim = start().await;
    let expected = open_ids_with_status(&sim, 2);
    assert!(expected.len() > 120, "enough to need several pages");
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = get(
            &sim,
            &format!("incidents.by.status?status_id=2&limit=50&offset={offset}"),
        )
        .await
        .json();
        assert_eq!(page["status"], "OK");
        assert_eq!(page["limit"], 50);
        assert_eq!(page["offset"], offset);
        assert_eq!(page["total"], expected.len());
        let ids: Vec<u64> = page["requestIds"]
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        if ids.is_empty() {
            break;
        }
        seen.extend(ids);
        offset += 50;
    }
    assert_eq!(
        seen, expected,
        "every open request of the status exactly once, in order"
    );
    let unique: HashSet<u64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len());
    // Without limit: default page of 100 and `limit` echoed as null; closed statuses never listed.
    let first = get(&sim, "incidents.by.status?status_ids[]=2&status_ids[]=3")
        .await
        .json();
    assert_eq!(first["limit"], Value::Null);
    assert_eq!(first["requestIds"].as_array().map(Vec::len), Some(100));
    assert_eq!(
        first["total"],
        expected.len() + open_ids_with_status(&sim, 3).len()
    );
    let closed = get(&sim, "incidents.by.status?status_id=7").await.json();
    assert_eq!(closed["total"], 0);
}

#[tokio::test]
async fn by_helpdesk_lists_open_requests_of_exactly_that_group() {
    let sim = start().await;
    let ds = sim.dataset();
    let level = ds
        .helpdesks
        .iter()
        .find(|h| h.parent_id.is_some())
        .expect("a level");
    let expected: Vec<u64> = ds
        .open_requests()
        .filter(|r| r.assigned_group_id == level.id)
        .map(|r| r.id)
        .collect();
    let answer = get(
        &sim,
        &format!("incidents.by.helpdesk?helpdesk_id={}", level.id),
    )
    .await
    .json();
    assert_eq!(answer["status"], "OK");
    assert_eq!(answer["limit"], Value::Null);
    assert_eq!(answer["total"], expected.len());
    let ids: Vec<u64> = answer["requestIds"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(ids, expected);
    let both = get(
        &sim,
        &format!(
            "incidents.by.helpdesk?helpdesk_ids[]={}&helpdesk_ids[]={}",
            level.id,
            level.parent_id.unwrap_or(1)
        ),
    )
    .await
    .json();
    assert!(
        both["total"]
            .as_u64()
            .is_some_and(|t| t > expected.len() as u64)
    );
}

#[tokio::test]
async fn categories_are_paginated_with_string_ids() {
    let sim = start().await;
    let total = sim.dataset().categories.len();
    assert!(total > 20 && total < 40);
    let first = get(&sim, "categories").await.json();
    assert_eq!(
        first.as_array().map(Vec::len),
        Some(20),
        "first page only without page params"
    );
    let mut all = Vec::new();
    for page in 1.. {
        let batch = get(&sim, &format!("categories?page={page}&page_size=20"))
            .await
            .json();
        let items = batch.as_array().expect("a bare array").clone();
        let short = items.len() < 20;
        all.extend(items);
        if short {
            break;
        }
    }
    assert_eq!(all.len(), total);
    assert!(all.iter().all(|c| c["id"].is_string()));
    assert!(all.iter().any(|c| c["parent_category_id"].is_u64()));
    let ids: HashSet<&str> = all.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids.len(), total);
}

#[tokio::test]
async fn reference_data_has_the_documented_shapes() {
    let sim = start().await;
    let statuses = get(&sim, "incident.attributes.status").await.json();
    // The asset's eight, plus the "Cancelled" status `incident.cancel` moves requests to.
    assert_eq!(statuses.as_array().map(Vec::len), Some(9));
    assert_eq!(statuses[0], serde_json::json!({"id": 1, "name": "New"}));
    assert_eq!(
        get(&sim, "incident.attributes.priority?id=5").await.json(),
        serde_json::json!([{"id": 5, "name": "Critical"}])
    );
    let levels = get(&sim, "helpdesksandlevels").await.json();
    let levels = levels.as_array().expect("array");
    assert!(
        levels
            .iter()
            .any(|h| h["parent_id"].is_null() && h["level_order"].is_null())
    );
    assert!(
        levels.iter().any(|h| h["parent_id"].is_u64()
            && h["members_ids"].as_array().is_some_and(|m| !m.is_empty()))
    );
    let desks = get(&sim, "helpdesks").await.json();
    assert!(
        desks
            .as_array()
            .is_some_and(|d| d.len() >= 4 && d.iter().all(|h| h["parent_id"].is_null()))
    );
    let users = get(&sim, "users?ids[]=2&ids[]=3").await.json();
    assert_eq!(users.as_array().map(Vec::len), Some(2));
    assert_eq!(users[0]["user_type"], 1);
    assert!(users[0]["is_disabled"].is_boolean());
    assert_eq!(get(&sim, "users?ids=2,3").await.status, 428);
    let everyone = get(&sim, "users").await.json();
    assert!(everyone.as_array().is_some_and(|u| u.len() > 90));
    let fields = get(&sim, "cf.fields.all").await.json();
    assert!(fields.as_array().is_some_and(|f| {
        f.iter()
            .all(|cf| cf["uid"].is_u64() && cf["is_required"].is_boolean())
    }));
}

#[tokio::test]
async fn request_sub_resources_use_request_id() {
    let sim = start().await;
    let ds = sim.dataset();
    let linked = ds
        .requests
        .iter()
        .find(|r| !r.links.is_empty())
        .expect("a linked request");
    let links = get(&sim, &format!("incident.link?request_id={}", linked.id))
        .await
        .json();
    assert_eq!(links[0]["id"], linked.links[0]);
    assert!(links[0]["title"].is_string());
    let approved = ds
        .requests
        .iter()
        .find(|r| r.approvals.iter().any(|a| a.status == -1))
        .expect("pending approval");
    let pending = get(
        &sim,
        &format!(
            "incident.approval?request_id={}&only_pending=1&date_format=iso8601",
            approved.id
        ),
    )
    .await
    .json();
    assert!(
        pending
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(|x| x["status"] == -1))
    );
    assert!(
        pending[0]["created_at"].is_i64(),
        "approval dates stay epoch ints"
    );
    let with_tasks = ds
        .requests
        .iter()
        .find(|r| !r.tasks.is_empty())
        .expect("tasks");
    let tasks = get(
        &sim,
        &format!("incident.tasks?request_id={}", with_tasks.id),
    )
    .await
    .json();
    assert_eq!(tasks.as_array().map(Vec::len), Some(with_tasks.tasks.len()));
    assert_eq!(
        get(&sim, &format!("incident.tasks?id={}", with_tasks.id))
            .await
            .status,
        428
    );
}

#[tokio::test]
async fn hostile_text_is_served_byte_for_byte() {
    let sim = start().await;
    let ds = sim.dataset();
    let hostile = ds
        .hostile_ids
        .iter()
        .filter_map(|id| ds.request(*id))
        .find(|r| r.title.contains('\u{1b}'))
        .expect("OSC title");
    let incident = get(&sim, &format!("incident?id={}", hostile.id))
        .await
        .json();
    assert_eq!(incident["title"].as_str(), Some(hostile.title.as_str()));
}

/// The demo opens an IT and an HR profile side by side; their request ids overlap, so the same
/// `incident?id=` must answer with each instance's own request.
#[tokio::test]
async fn it_and_hr_simulators_side_by_side_serve_their_own_request_for_the_same_id() {
    let it = start().await;
    let hr = start_with(SimOptions {
        instance: Instance::Hr,
        ..SimOptions::default()
    })
    .await;
    assert_ne!(it.base_url(), hr.base_url());
    let id = 1207;
    assert!(it.dataset().request(id).is_some() && hr.dataset().request(id).is_some());
    let it_incident = get(&it, &format!("incident?id={id}")).await.json();
    let hr_incident = get(&hr, &format!("incident?id={id}")).await.json();
    assert_eq!(it_incident["id"], id);
    assert_eq!(hr_incident["id"], id);
    assert_eq!(it_incident["pretty_id"], "SD-#1207");
    assert_eq!(hr_incident["pretty_id"], "HR-#1207");
    let (Some(it_title), Some(hr_title)) =
        (it_incident["title"].as_str(), hr_incident["title"].as_str())
    else {
        panic!("both answers carry a title: {it_incident} / {hr_incident}");
    };
    assert_ne!(it_title, hr_title);
    assert_eq!(
        Some(hr_title),
        hr.dataset().request(id).map(|r| r.title.as_str())
    );
    // The HR simulator lists the HR desks, and its request sits in one of them.
    let groups: Vec<Value> = get(&hr, "helpdesksandlevels")
        .await
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = groups.iter().filter_map(|g| g["name"].as_str()).collect();
    assert!(
        names.contains(&"Payroll") && !names.contains(&"Service Desk"),
        "{names:?}"
    );
    assert!(
        groups
            .iter()
            .any(|g| g["id"] == hr_incident["assigned_group_id"])
    );
    // Past the HR instance's last id only the IT instance has a request.
    let beyond = 1_700;
    assert_eq!(
        get(&it, &format!("incident?id={beyond}")).await.json()["id"],
        beyond
    );
    let missing = get(&hr, &format!("incident?id={beyond}")).await;
    assert_eq!(missing.status, 200);
    assert_eq!(missing.json()["status"], "ERROR");
}

#[tokio::test]
async fn legacy_instances_send_numbers_as_strings() {
    let sim = start_with(SimOptions {
        legacy_strings: true,
        ..SimOptions::default()
    })
    .await;
    let first = sim.dataset().requests[0].id;
    let incident = get(&sim, &format!("incident?id={first}")).await.json();
    assert_eq!(incident["id"], first.to_string());
    assert!(incident["created_at"].is_string());
    let page = get(&sim, "incidents.by.status?status_id=2&limit=5")
        .await
        .json();
    assert!(
        page["requestIds"]
            .as_array()
            .is_some_and(|ids| ids.iter().all(Value::is_string))
    );
    assert!(page["total"].is_string());
    assert_eq!(
        get(&sim, "incident.attributes.status").await.json()[0]["id"],
        "1"
    );
}

#[tokio::test]
async fn injected_status_and_rate_limit_hit_exactly_times() {
    let sim = start().await;
    sim.inject(Fault {
        endpoint: Some("incidents.by.status".into()),
        kind: FaultKind::Status(500, "{\"error\":\"boom\",\"status\":500}".into()),
        times: 2,
    });
    // A fault for one endpoint leaves the others alone.
    assert_eq!(get(&sim, "sd.version").await.status, 200);
    for _ in 0..2 {
        let failed = get(&sim, "incidents.by.status?status_id=2").await;
        assert_eq!(failed.status, 500);
        assert_eq!(failed.text, "{\"error\":\"boom\",\"status\":500}");
    }
    assert_eq!(
        get(&sim, "incidents.by.status?status_id=2").await.status,
        200
    );

    sim.inject(Fault {
        endpoint: None,
        kind: FaultKind::RateLimit {
            retry_after_secs: 3,
        },
        times: 1,
    });
    let limited = get(&sim, "sd.version").await;
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("3")
    );
    assert_eq!(get(&sim, "sd.version").await.status, 200);
}

#[tokio::test]
async fn injected_malformed_and_logical_errors_hit_exactly_times() {
    let sim = start().await;
    sim.inject(Fault {
        endpoint: Some("sd.version".into()),
        kind: FaultKind::Malformed,
        times: 1,
    });
    sim.inject(Fault {
        endpoint: Some("sd.version".into()),
        kind: FaultKind::LogicalError("Maintenance".into()),
        times: 1,
    });
    let malformed = get(&sim, "sd.version").await;
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_str::<Value>(&malformed.text).is_err());
    let logical = get(&sim, "sd.version").await;
    assert_eq!(logical.status, 200);
    assert_eq!(
        logical.json(),
        serde_json::json!({"status": "ERROR", "info": "Maintenance"})
    );
    assert!(get(&sim, "sd.version").await.json()["version"].is_string());
}

#[tokio::test]
async fn injected_delay_trips_client_timeouts_once() {
    let sim = start().await;
    sim.inject(Fault {
        endpoint: None,
        kind: FaultKind::Delay(Duration::from_secs(3)),
        times: 1,
    });
    let url = format!("{}/api/v1/sd.version", sim.base_url());
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let timed_out = impatient
        .get(&url)
        .basic_auth(sim.username(), Some(sim.password()))
        .send()
        .await;
    assert!(timed_out.is_err_and(|e| e.is_timeout()));
    // The fault is spent: the next call is answered without the delay (generous bound, the
    // machine may be busy).
    let started = Instant::now();
    let ok = get(&sim, "sd.version").await;
    assert_eq!(ok.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn latency_option_delays_every_reply() {
    let sim = start_with(SimOptions {
        latency: Duration::from_millis(120),
        ..SimOptions::default()
    })
    .await;
    let started = Instant::now();
    assert_eq!(get(&sim, "sd.version").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(120));
}

#[tokio::test]
async fn requests_are_recorded_as_received() {
    let sim = start().await;
    get(
        &sim,
        "incidents?ids%5B%5D=1001&ids[]=1002&comments=1&date_format=iso8601",
    )
    .await;
    let url = format!("{}/api/v1/incident.comment", sim.base_url());
    let post = client()
        .post(url)
        .basic_auth(sim.username(), Some(sim.password()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("request_id=1001&comment=%3Cp%3EHola+se%C3%B1or%3C%2Fp%3E&author_id=2&customer_visible=1");
    let answer = send(post).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json()["status"], "OK", "{}", answer.text);
    let recorded = sim.requests();
    assert_eq!(recorded.len(), 2);
    let first = &recorded[0];
    assert_eq!(first.method, "GET");
    assert_eq!(first.endpoint, "incidents");
    let pairs: Vec<(&str, &str)> = first
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("ids[]", "1001"),
            ("ids[]", "1002"),
            ("comments", "1"),
            ("date_format", "iso8601")
        ]
    );
    assert!(first.form.is_empty());
    let expected_auth = format!(
        "Basic {}",
        base64_encode(&format!("{}:{}", sim.username(), sim.password()))
    );
    assert_eq!(first.authorization.as_deref(), Some(expected_auth.as_str()));
    let second = &recorded[1];
    assert_eq!(second.method, "POST");
    assert_eq!(second.endpoint, "incident.comment");
    assert!(
        second
            .form
            .contains(&("comment".into(), "<p>Hola señor</p>".into()))
    );
    sim.clear_requests();
    assert!(sim.requests().is_empty());
    // Unauthenticated calls are recorded too, without a header.
    send(client().get(format!("{}/api/v1/sd.version", sim.base_url()))).await;
    assert_eq!(sim.requests()[0].authorization, None);
}

#[tokio::test]
async fn news_and_knowledge_base_are_served() {
    let sim = start().await;
    let news = get(&sim, "breakingnews.all").await.json();
    assert_eq!(news.as_array().map(Vec::len), Some(9));
    assert!(news[0]["affected_helpdesk_ids"].is_array());
    let kb = get(&sim, "kb.articles?limit=10&offset=5").await.json();
    assert_eq!(kb["status"], "OK");
    assert_eq!(kb["total_count"], 30);
    assert_eq!(kb["data"].as_array().map(Vec::len), Some(10));
    let found = get(&sim, "kb.articles.by.keywords?keywords=vpn+disconnect")
        .await
        .json();
    let data = found["data"].as_array().expect("data");
    assert!(!data.is_empty());
    assert!(data.iter().all(|a| {
        a["search_scoring"]
            .as_f64()
            .is_some_and(|s| s > 0.0 && s <= 1.0)
    }));
    assert!(data[0]["title"].as_str().is_some_and(|t| t.contains("VPN")));
    assert_eq!(get(&sim, "kb.articles.by.keywords").await.status, 428);
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sim = start().await;
    let url = format!("{}/api/v1/sd.version", sim.base_url());
    drop(sim);
    // Let the runtime cancel the aborted accept loop, which closes the listener.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("client");
    assert!(
        quick
            .get(url)
            .basic_auth("api", Some("demo-token"))
            .send()
            .await
            .is_err()
    );
}

/// The page `O` opens in the demo: the request's web view, its title escaped.
#[tokio::test]
async fn a_request_has_a_web_page_where_the_console_links_it() {
    let sim = start().await;
    let request = sim.dataset().requests.first().expect("a request").clone();
    let url = |id: u64| format!("{}/requests/show/index/id/{id}", sim.base_url());
    let page = send(client().get(url(request.id))).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html; charset=utf-8")
    );
    let prefix = &sim.dataset().pretty_prefix;
    assert!(
        page.text
            .contains(&format!("<title>{prefix}{} ", request.id)),
        "{}",
        page.text
    );
    assert_eq!(send(client().get(url(999_999))).await.status, 404);
}
