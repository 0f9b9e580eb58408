//! The simulator's write endpoints as a real HTTP client sees them: form-encoded writes, the
//! `{status:"OK"|"ERROR", info}` replies, HTTP 428 for a missing required parameter, state that
//! later reads (and the open-only listings) reflect, and the network faults the outbox is
//! tested against (reply lost, reply held, connections refused). This file holds the helpers;
//! the tests live in `sim_writes/`: `thread` (comments, solutions, observers, collaborators,
//! links), `transitions` (waiting, reopen, cancel, reject, solution accept/reject), `fields`
//! (reassign, custom fields, the `incident` PUT, `user.by`) and `faults`.

// The helpers below are test code outside `#[test]` functions; failing loudly is their job.
#![allow(clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use ttydesk::sim::{Dataset, HelpDesk, Request, SimHandle, SimOptions};

#[path = "sim_writes/faults.rs"]
mod faults;
#[path = "sim_writes/fields.rs"]
mod fields;
#[path = "sim_writes/thread.rs"]
mod thread;
#[path = "sim_writes/transitions.rs"]
mod transitions;

struct Answer {
    status: u16,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", self.text))
    }

    /// A write's `{"status":"OK"}` on HTTP 200.
    fn ok(&self) -> &Self {
        assert_eq!(self.status, 200, "{}", self.text);
        assert_eq!(self.json()["status"], "OK", "{}", self.text);
        self
    }

    /// InvGate's logical error: HTTP 200 with `{"status":"ERROR","info":…}`.
    fn logical_error(&self) {
        assert_eq!(self.status, 200, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], "ERROR", "{}", self.text);
        assert!(
            body["info"].as_str().is_some_and(|i| !i.is_empty()),
            "{}",
            self.text
        );
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

fn client_with(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .expect("client")
}

fn client() -> reqwest::Client {
    client_with(Duration::from_secs(10))
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

/// A form-encoded write with the simulator's credentials, on `client`.
fn write_request(
    client: &reqwest::Client,
    sim: &SimHandle,
    method: reqwest::Method,
    endpoint: &str,
    pairs: &[(&str, String)],
) -> reqwest::RequestBuilder {
    client
        .request(method, format!("{}/api/v1/{endpoint}", sim.base_url()))
        .basic_auth(sim.username(), Some(sim.password()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(pairs))
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request succeeds");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    Answer { status, text }
}

async fn post(sim: &SimHandle, endpoint: &str, pairs: &[(&str, String)]) -> Answer {
    answer(write_request(
        &client(),
        sim,
        reqwest::Method::POST,
        endpoint,
        pairs,
    ))
    .await
}

async fn put(sim: &SimHandle, endpoint: &str, pairs: &[(&str, String)]) -> Answer {
    answer(write_request(
        &client(),
        sim,
        reqwest::Method::PUT,
        endpoint,
        pairs,
    ))
    .await
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

async fn incident(sim: &SimHandle, id: u64) -> Value {
    get(sim, &format!("incident?id={id}&comments=1"))
        .await
        .json()
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    i64::try_from(secs).expect("epoch fits")
}

/// A request with `status` that is none of the hostile-text ones.
fn with_status(ds: &Dataset, status: u64) -> Request {
    ds.requests
        .iter()
        .find(|r| r.status_id == status && !ds.hostile_ids.contains(&r.id))
        .cloned()
        .expect("a request with that status")
}

/// An enabled level with at least one member, and that member (an agent).
fn level_with_agent(ds: &Dataset, not: u64) -> (HelpDesk, u64) {
    ds.helpdesks
        .iter()
        .filter(|h| h.parent_id.is_some() && !h.deleted && h.id != not)
        .find_map(|h| h.members.first().map(|agent| (h.clone(), *agent)))
        .expect("a level with a member")
}

fn agent(ds: &Dataset) -> u64 {
    ds.agents()
        .map(|u| u.id)
        .find(|id| *id != 1)
        .expect("an agent")
}

fn s(value: u64) -> String {
    value.to_string()
}

fn ids_of(listing: &Value) -> Vec<u64> {
    listing["requestIds"]
        .as_array()
        .expect("requestIds")
        .iter()
        .filter_map(Value::as_u64)
        .collect()
}
