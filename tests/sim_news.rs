//! The simulator's breaking news and knowledge-base search as a real HTTP client sees them:
//! announcing an outage (`breakingnews` POST), editing, closing and reopening it (PUT),
//! posting to its timeline (`breakingnews.status` POST, `is_solution=1` closes), each read
//! back through `breakingnews`, `breakingnews.all` and `breakingnews.status`; and the KB's
//! keyword search (`kb.articles.by.keywords`): relevance order, `min_search_scoring`, `limit`,
//! no match, the 428. This file holds the helpers; the tests live in `sim_news/`: `create`,
//! `timeline` (edits, updates, closing) and `search`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use ttydesk::sim::{Dataset, SimHandle, SimOptions};

#[path = "sim_news/create.rs"]
mod create;
#[path = "sim_news/search.rs"]
mod search;
#[path = "sim_news/timeline.rs"]
mod timeline;

struct Answer {
    status: u16,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", self.text))
    }

    /// A write's `{"status":"OK"}` on HTTP 200; the body.
    fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], "OK", "{}", self.text);
        assert!(body["info"].as_str().is_some_and(|i| !i.is_empty()));
        body
    }

    /// InvGate's logical error: HTTP 200 with `{"status":"ERROR","info":…}`; the info.
    fn logical_error(&self) -> String {
        assert_eq!(self.status, 200, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], "ERROR", "{}", self.text);
        let info = body["info"].as_str().unwrap_or_default().to_string();
        assert!(!info.is_empty(), "{}", self.text);
        info
    }

    /// HTTP 428 with the `{error, status}` envelope naming the parameter.
    fn precondition(&self, param: &str) {
        assert_eq!(self.status, 428, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], 428, "{}", self.text);
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(param)),
            "{}",
            self.text
        );
    }
}

async fn start() -> SimHandle {
    SimHandle::start(SimOptions::default())
        .await
        .expect("simulator starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request succeeds");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    Answer { status, text }
}

/// A form-encoded write with the simulator's credentials.
async fn write(
    sim: &SimHandle,
    method: reqwest::Method,
    endpoint: &str,
    pairs: &[(&str, String)],
) -> Answer {
    answer(
        client()
            .request(method, format!("{}/api/v1/{endpoint}", sim.base_url()))
            .basic_auth(sim.username(), Some(sim.password()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(pairs)),
    )
    .await
}

async fn post(sim: &SimHandle, endpoint: &str, pairs: &[(&str, String)]) -> Answer {
    write(sim, reqwest::Method::POST, endpoint, pairs).await
}

async fn put(sim: &SimHandle, endpoint: &str, pairs: &[(&str, String)]) -> Answer {
    write(sim, reqwest::Method::PUT, endpoint, pairs).await
}

async fn get(sim: &SimHandle, endpoint_and_query: &str) -> Answer {
    let url = format!("{}/api/v1/{endpoint_and_query}", sim.base_url());
    answer(
        client()
            .get(url)
            .basic_auth(sim.username(), Some(sim.password())),
    )
    .await
}

fn s(value: impl ToString) -> String {
    value.to_string()
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    i64::try_from(secs).expect("epoch fits")
}

/// `breakingnews?id=`: one item as served.
async fn item(sim: &SimHandle, id: u64) -> Value {
    let body = get(sim, &format!("breakingnews?id={id}")).await.json();
    assert_eq!(body["id"], id, "{body}");
    body
}

/// `breakingnews.all`, as served.
async fn all(sim: &SimHandle) -> Vec<Value> {
    get(sim, "breakingnews.all")
        .await
        .json()
        .as_array()
        .expect("an array of items")
        .clone()
}

/// `breakingnews.status?id=`: the item's timeline, as served.
async fn timeline_of(sim: &SimHandle, id: u64) -> Vec<Value> {
    get(sim, &format!("breakingnews.status?id={id}"))
        .await
        .json()
        .as_array()
        .expect("an array of updates")
        .clone()
}

/// Ids of a JSON array of numbers.
fn ids(value: &Value) -> Vec<u64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_u64().expect("an id"))
        .collect()
}

/// Two live help desks (not levels) and two user groups of the served data.
fn audience(ds: &Dataset) -> ([u64; 2], [u64; 2]) {
    let desks: Vec<u64> = ds
        .helpdesks
        .iter()
        .filter(|h| h.parent_id.is_none() && !h.deleted)
        .map(|h| h.id)
        .collect();
    let groups: Vec<u64> = ds.groups.iter().map(|g| g.id).collect();
    ([desks[0], desks[1]], [groups[0], groups[1]])
}

/// The form of a complete, valid `breakingnews` POST affecting one desk.
fn announcement(ds: &Dataset) -> Vec<(&'static str, String)> {
    let ([desk, _], _) = audience(ds);
    vec![
        ("title", "Printers offline in Madrid".into()),
        ("type_id", s(2)),
        ("body", "<p>The print server does not answer.</p>".into()),
        ("affected_helpdesk_ids[]", s(desk)),
    ]
}

/// Posts `announcement` and returns the new item's id.
async fn announce(sim: &SimHandle) -> u64 {
    let body = post(sim, "breakingnews", &announcement(&sim.dataset()))
        .await
        .ok();
    body["id"].as_u64().expect("the new item's id")
}
