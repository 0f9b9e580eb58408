//! Pagination and batching against a tiny scripted server: the stop conditions the simulator
//! never exercises (servers that ignore `page` or `offset`, short pages, string ids, `limit:null`)
//! and the shape of batched `incidents` calls. Test-only.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::client::{Client, normalize_base};
use super::fetch;
use crate::domain::{Catalog, TicketId};
use crate::provider::http::{HttpClient, HttpSettings};

type Log = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;
type Script = Arc<dyn Fn(&str, &[(String, String)]) -> Value + Send + Sync>;

#[derive(Clone)]
struct Stub {
    log: Log,
    script: Script,
    in_flight: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

async fn handle(State(stub): State<Stub>, uri: Uri) -> impl IntoResponse {
    // Hold every call a moment so concurrent callers overlap and the peak is measurable.
    let now = stub.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stub.peak.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(15)).await;
    stub.in_flight.fetch_sub(1, Ordering::SeqCst);
    let endpoint = uri.path().trim_start_matches("/api/v1/").to_string();
    let query: Vec<(String, String)> = reqwest::Url::parse(&format!("http://x/{uri}"))
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default();
    let body = (stub.script)(&endpoint, &query);
    stub.log.lock().unwrap().push((endpoint, query));
    axum::Json(body)
}

/// Serves `script` on 127.0.0.1 and returns a client for it plus the request log.
async fn serve(
    script: impl Fn(&str, &[(String, String)]) -> Value + Send + Sync + 'static,
) -> (Client, Log) {
    let (client, log, _) = serve_measured(script).await;
    (client, log)
}

/// As [`serve`], also returning the peak number of calls in flight.
async fn serve_measured(
    script: impl Fn(&str, &[(String, String)]) -> Value + Send + Sync + 'static,
) -> (Client, Log, Arc<AtomicUsize>) {
    let log: Log = Arc::default();
    let peak = Arc::new(AtomicUsize::new(0));
    let stub = Stub {
        log: log.clone(),
        script: Arc::new(script),
        in_flight: Arc::default(),
        peak: peak.clone(),
    };
    let app = Router::new().fallback(handle).with_state(stub);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let timeouts = HttpSettings {
        connect: Duration::from_secs(2),
        read: Duration::from_secs(5),
        total: Duration::from_secs(5),
        ..HttpSettings::default()
    };
    let client = Client::new(
        HttpClient::new(timeouts).unwrap(),
        normalize_base(&format!("http://{addr}")).unwrap(),
        "api".into(),
        "t".to_string().into(),
    );
    (client, log, peak)
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn num(q: &[(String, String)], key: &str, default: usize) -> usize {
    param(q, key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn categories(range: std::ops::Range<usize>) -> Value {
    Value::Array(
        range
            .map(|i| json!({"id": i.to_string(), "name": format!("C{i}"), "parent_category_id": 0}))
            .collect(),
    )
}

#[tokio::test]
async fn categories_follow_pages_until_a_short_one() {
    let (c, log) = serve(|_, q| {
        let (page, size) = (num(q, "page", 1), num(q, "page_size", 20));
        let start = (page - 1) * size;
        categories(start..(start + size).min(1203))
    })
    .await;
    let all = fetch::categories(&c).await.unwrap();
    assert_eq!(all.len(), 1203);
    let log = log.lock().unwrap();
    let pages: Vec<_> = log.iter().map(|(_, q)| param(q, "page")).collect();
    assert_eq!(pages, [Some("1"), Some("2"), Some("3")]);
    assert!(
        log.iter()
            .all(|(_, q)| param(q, "page_size") == Some("500"))
    );
}

#[tokio::test]
async fn categories_stop_when_the_server_ignores_page() {
    let (c, log) = serve(|_, _| categories(0..500)).await;
    assert_eq!(fetch::categories(&c).await.unwrap().len(), 500);
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn status_lists_page_by_offset_with_string_ids() {
    let (c, log) = serve(|_, q| {
        let (offset, limit) = (num(q, "offset", 0), num(q, "limit", 500));
        let ids: Vec<Value> = (offset..(offset + limit).min(1100))
            .map(|i| json!(i.to_string()))
            .collect();
        json!({"status":"OK","info":"x","requestIds":ids,"limit":null,
               "offset":offset.to_string(),"total":"1100"})
    })
    .await;
    let ids = fetch::ids_by_status(&c, "2").await.unwrap();
    assert_eq!(ids.len(), 1100);
    let log = log.lock().unwrap();
    let offsets: Vec<_> = log.iter().map(|(_, q)| param(q, "offset")).collect();
    assert_eq!(offsets, [Some("0"), Some("500"), Some("1000")]);
    assert!(log.iter().all(|(e, q)| e == "incidents.by.status"
        && param(q, "status_id") == Some("2")
        && param(q, "limit") == Some("500")));
}

#[tokio::test]
async fn status_lists_end_when_the_server_ignores_offset() {
    let (c, log) = serve(|_, _| {
        let ids: Vec<usize> = (0..500).collect();
        json!({"status":"OK","requestIds":ids,"limit":500,"offset":0,"total":5000})
    })
    .await;
    assert_eq!(fetch::ids_by_status(&c, "1").await.unwrap().len(), 500);
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn status_lists_without_total_end_on_an_empty_page() {
    let (c, log) = serve(|_, q| {
        let ids: Vec<usize> = if num(q, "offset", 0) == 0 {
            (1..=3).collect()
        } else {
            vec![]
        };
        json!({"status":"OK","requestIds":ids})
    })
    .await;
    assert_eq!(
        fetch::ids_by_status(&c, "1").await.unwrap(),
        ["1", "2", "3"]
    );
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn incidents_are_fetched_by_php_array_and_empty_maps_may_be_lists() {
    let (c, log) = serve(|_, q| {
        let ids: Vec<&str> = q
            .iter()
            .filter(|(k, _)| k == "ids[]")
            .map(|(_, v)| v.as_str())
            .collect();
        if ids.contains(&"404") {
            return json!([]);
        }
        let map: serde_json::Map<String, Value> = ids
            .iter()
            .map(|id| (id.to_string(), json!({"id": id, "title": format!("T{id}")})))
            .collect();
        Value::Object(map)
    })
    .await;
    let got = fetch::incidents(&c, &["7".to_string(), "8".to_string()])
        .await
        .unwrap();
    assert_eq!(got.items.len(), 2);
    assert!(
        fetch::incidents(&c, &["404".to_string()])
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let log = log.lock().unwrap();
    assert_eq!(
        log[0].1,
        [
            ("ids[]".to_string(), "7".to_string()),
            ("ids[]".to_string(), "8".to_string())
        ]
    );
    assert!(log.iter().all(|(_, q)| param(q, "ids").is_none()));
}

#[tokio::test]
async fn rejected_envelope_on_200_is_an_error() {
    let (c, _) = serve(
        |_, _| json!({"status":"ERROR","info":"None of the provided helpdesk_ids is an INTEGER."}),
    )
    .await;
    let err = fetch::ids_by_helpdesk(&c, "x").await.unwrap_err();
    assert!(err.to_string().contains("helpdesk_ids"), "{err}");
}

fn incident_map(q: &[(String, String)]) -> Value {
    let map: serde_json::Map<String, Value> = q
        .iter()
        .filter(|(k, _)| k == "ids[]")
        .filter(|(_, id)| id.parse::<u32>().is_ok_and(|n| n % 10 != 0))
        .map(|(_, id)| {
            (
                id.clone(),
                json!({"id": id, "title": format!("T{id}"), "status_id": 1}),
            )
        })
        .collect();
    Value::Object(map)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_come_in_batches_of_100_four_at_a_time_in_request_order() {
    let (c, log, peak) = serve_measured(|_, q| incident_map(q)).await;
    let provider = super::InvGate::from_client(c);
    let ids: Vec<TicketId> = (1..=950)
        .rev()
        .map(|n| TicketId::from(n.to_string()))
        .collect();
    let (tickets, unreadable) = provider
        .load_tickets(ids.clone(), Arc::new(Catalog::default()))
        .await
        .unwrap();
    assert_eq!(unreadable, 0);
    // Every tenth id is unknown to the server and left out; the rest keep the asked order.
    let want: Vec<&TicketId> = ids
        .iter()
        .filter(|id| id.number().unwrap() % 10 != 0)
        .collect();
    let got: Vec<&TicketId> = tickets.iter().map(|t| &t.id).collect();
    assert_eq!(got, want);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 10);
    assert!(
        log.iter().all(|(e, q)| e == "incidents"
            && q.len() <= 100
            && q.iter().all(|(k, _)| k == "ids[]"))
    );
    let peak = peak.load(Ordering::SeqCst);
    assert!((2..=4).contains(&peak), "peak in flight {peak}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_index_fans_out_at_most_four_calls() {
    let (c, log, peak) = serve_measured(|endpoint, q| match endpoint {
        "incidents.by.status" => {
            let status: u32 = param(q, "status_id").and_then(|s| s.parse().ok()).unwrap_or(0);
            json!({"status":"OK","requestIds":[status * 100, status * 100 + 1],"offset":0,"total":2})
        }
        _ => json!({"status":"OK","requestIds":[param(q, "helpdesk_id").unwrap_or("0")]}),
    })
    .await;
    let mut catalog = Catalog::default();
    for i in 1..=8 {
        catalog
            .statuses
            .push(super::map::status(&super::wire::NamedWire {
                id: i.to_string(),
                name: Some(if i == 8 {
                    "Closed".into()
                } else {
                    format!("S{i}")
                }),
            }));
        catalog.help_desks.push(crate::domain::HelpDesk {
            id: crate::domain::DeskId::from(format!("{}", i * 100)),
            name: crate::text::SafeText::line("D"),
            parent_id: None,
            level_order: None,
            members: Vec::new(),
        });
    }
    let index = super::queues::queue_index(&c, &catalog).await.unwrap();
    let log = log.lock().unwrap();
    assert!(
        log.iter().all(|(_, q)| param(q, "status_id") != Some("8")),
        "closed status listed"
    );
    assert!(log.iter().all(|(e, q)| e != "incidents.by.helpdesk"
        || (param(q, "helpdesk_id").is_some() && param(q, "id").is_none())));
    assert_eq!(log.len(), 7 + 8);
    // 7 open statuses × 2 ids, plus desk 800's id that no open status lists.
    assert_eq!(index.entries.len(), 15);
    assert_eq!(index.entries[0].id, "800");
    assert_eq!(index.entries[0].status_id, None);
    assert_eq!(index.entries[1].id, "701");
    assert_eq!(
        index.entries[2].help_desk_id,
        Some(crate::domain::DeskId::from("700"))
    );
    assert_eq!(
        index.entries[2].status_id,
        Some(crate::domain::StatusId::from("7"))
    );
    let peak = peak.load(Ordering::SeqCst);
    assert!((2..=4).contains(&peak), "peak in flight {peak}");
}

#[tokio::test]
async fn help_desk_lists_follow_offset_pages_when_the_total_says_there_are_more() {
    // 250 ids served 100 at a time, as a newer instance with limit/offset/total does.
    let (client, log) = serve(|_, query| {
        let offset: usize = param(query, "offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        let ids: Vec<u64> = (offset..(offset + 100).min(250))
            .map(|i| 5000 + i as u64)
            .collect();
        json!({"status": "OK", "requestIds": ids, "limit": 100, "offset": offset, "total": 250})
    })
    .await;
    let ids = fetch::ids_by_helpdesk(&client, "11").await.unwrap();
    assert_eq!(ids.len(), 250);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|(_, q)| param(q, "helpdesk_id") == Some("11"))
    );
    assert_eq!(param(&log[2].1, "offset"), Some("200"));
}

#[tokio::test]
async fn help_desk_lists_follow_page_keys_and_stop_when_none_is_left() {
    let (client, log) = serve(|_, query| match param(query, "page_key") {
        None => json!({"status": "OK", "requestIds": [1, 2], "next_page_key": "k2"}),
        Some("k2") => json!({"status": "OK", "requestIds": [3], "next_page_key": null}),
        Some(_) => json!({"status": "OK", "requestIds": [9]}),
    })
    .await;
    let ids = fetch::ids_by_helpdesk(&client, "4").await.unwrap();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn help_desk_lists_from_older_servers_are_one_call() {
    let (client, log) = serve(|_, _| json!({"status": "OK", "requestIds": ["7", "8"], "limit": null, "offset": 0, "total": 0})).await;
    assert_eq!(
        fetch::ids_by_helpdesk(&client, "4").await.unwrap(),
        ["7", "8"]
    );
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "total 0 (older servers) is not a reason to page"
    );
}

#[tokio::test]
async fn help_desk_keyset_pages_are_followed_past_a_page_of_repeats() {
    let (client, log) = serve(|_, query| match param(query, "page_key") {
        None => json!({"requestIds": [1, 2], "next_page_key": "a"}),
        Some("a") => json!({"requestIds": [2, "bad\u{1b}id"], "next_page_key": "b"}),
        Some("b") => json!({"requestIds": [3], "next_page_key": "b"}),
        Some(_) => json!({"requestIds": [99]}),
    })
    .await;
    let ids = fetch::ids_by_helpdesk(&client, "4").await.unwrap();
    assert_eq!(ids, ["1", "2", "3"], "a repeated key ends the list");
    assert_eq!(log.lock().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_of_one_listing_come_from_the_join_it_started_on() {
    // The server's open requests change between two joins: 1..=600, then 1001..=1600.
    let later = Arc::new(AtomicUsize::new(0));
    let flag = Arc::clone(&later);
    let (c, _log) = serve(move |endpoint, q| match endpoint {
        "incidents.by.status" => {
            let base = if flag.load(Ordering::SeqCst) == 0 {
                0
            } else {
                1000
            };
            let offset = num(q, "offset", 0);
            let limit = num(q, "limit", 500);
            let ids: Vec<usize> = (1..=600)
                .map(|i| base + i)
                .skip(offset)
                .take(limit)
                .collect();
            json!({"status":"OK","requestIds":ids,"offset":offset,"total":600})
        }
        "incidents" => incident_map(q),
        _ => json!([]),
    })
    .await;
    let provider = super::InvGate::from_client(c);
    let mut catalog = Catalog::default();
    catalog
        .statuses
        .push(super::map::status(&super::wire::NamedWire {
            id: "1".into(),
            name: Some("Open".into()),
        }));
    let catalog = Arc::new(catalog);
    let first = provider
        .load_page(
            crate::domain::QueueQuery::open(),
            None,
            Arc::clone(&catalog),
        )
        .await
        .unwrap();
    assert_eq!(first.total, Some(600));
    let next = first.next.clone().expect("a second page");
    // A refresh joins again while the first listing still has a page to read.
    later.store(1, Ordering::SeqCst);
    provider.snapshots.expire();
    provider.load_counts(Arc::clone(&catalog)).await.unwrap();
    let second = provider
        .load_page(
            crate::domain::QueueQuery::open(),
            Some(next),
            Arc::clone(&catalog),
        )
        .await
        .unwrap();
    assert!(second.next.is_none());
    let numbers: Vec<u64> = second.items.iter().filter_map(|t| t.id.number()).collect();
    assert!(!numbers.is_empty());
    assert!(
        numbers.iter().all(|n| *n <= 600),
        "the second page continues the first join, not the new one: {numbers:?}"
    );
    // A new listing starts on the new join.
    let fresh = provider
        .load_page(crate::domain::QueueQuery::open(), None, catalog)
        .await
        .unwrap();
    assert!(
        fresh
            .items
            .iter()
            .filter_map(|t| t.id.number())
            .all(|n| n > 1000)
    );
}
