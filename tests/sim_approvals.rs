//! The simulator's approvals as a real HTTP client sees them: votes, cancels and added voters
//! (`incident.approval.accept` / `.reject` / `.cancel` / `.add_voter`), new approvals from a
//! template or of one person (`incident.custom_approval`, `incident.spontaneous_approval`), the
//! reads that show the result (`incident.approval`, `.possible_voters`), the vocabularies, and
//! expiry on the simulator's clock. Every write is checked on the wire and read back through
//! the GETs. This file holds the helpers; the tests live in `sim_approvals/`: `votes`,
//! `manage` (cancel, add voter, voters), `requests` (templates and new approvals) and `clock`
//! (expiry, the vocabularies switched to `[]`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use ttydesk::sim::{Approval, Dataset, Request, SimHandle, SimOptions, vote_status};

#[path = "sim_approvals/clock.rs"]
mod clock;
#[path = "sim_approvals/manage.rs"]
mod manage;
#[path = "sim_approvals/requests.rs"]
mod requests;
#[path = "sim_approvals/votes.rs"]
mod votes;

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

fn s(value: u64) -> String {
    value.to_string()
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    i64::try_from(secs).expect("epoch fits")
}

/// `incident.approval?request_id=`: the request's approvals as served.
async fn approvals_of(sim: &SimHandle, request_id: u64) -> Vec<Value> {
    let list = get(sim, &format!("incident.approval?request_id={request_id}"))
        .await
        .json();
    list.as_array().expect("an array of approvals").clone()
}

/// One approval as `incident.approval` serves it.
async fn served(sim: &SimHandle, request_id: u64, approval_id: u64) -> Value {
    approvals_of(sim, request_id)
        .await
        .into_iter()
        .find(|a| a["id"] == approval_id)
        .expect("the approval is listed")
}

/// `(user_id, vote status)` of every voter, as `incident.approval.possible_voters` serves them.
async fn voters(sim: &SimHandle, approval_id: u64) -> Vec<(u64, i64)> {
    let list = get(
        sim,
        &format!("incident.approval.possible_voters?approval_id={approval_id}"),
    )
    .await
    .json();
    list.as_array()
        .expect("an array of voters")
        .iter()
        .map(|v| {
            (
                v["user_id"].as_u64().expect("user_id"),
                v["status"].as_i64().expect("status"),
            )
        })
        .collect()
}

/// The request's `last_update`, as `incident` serves it.
async fn last_update(sim: &SimHandle, request_id: u64) -> i64 {
    get(sim, &format!("incident?id={request_id}")).await.json()["last_update"]
        .as_i64()
        .expect("last_update")
}

/// The first waiting approval on an open, ordinary (not hostile-text) request that `test`
/// accepts, with its request.
fn waiting_where(ds: &Dataset, test: impl Fn(&Approval) -> bool) -> (Request, Approval) {
    let life = ds.lifecycle();
    ds.requests
        .iter()
        .filter(|r| {
            ds.is_open_status(r.status_id)
                && r.status_id != life.resolved
                && !ds.hostile_ids.contains(&r.id)
        })
        .find_map(|r| {
            r.approvals
                .iter()
                .find(|a| a.is_waiting() && test(a))
                .map(|a| (r.clone(), a.clone()))
        })
        .expect("a waiting approval of that kind")
}

/// Voters of `approval` whose vote is still waiting.
fn waiting_voters(approval: &Approval) -> Vec<u64> {
    approval
        .voters
        .iter()
        .filter(|v| v.status == vote_status::WAITING)
        .map(|v| v.user_id)
        .collect()
}

/// An agent (not the API account) who is not a voter of `approval`.
fn outsider(ds: &Dataset, approval: &Approval) -> u64 {
    ds.agents()
        .map(|u| u.id)
        .find(|id| *id != 1 && approval.vote_of(*id).is_none() && *id != approval.author_id)
        .expect("an agent outside the approval")
}

fn vote_pairs(approval_id: u64, user_id: u64) -> Vec<(&'static str, String)> {
    vec![("approval_id", s(approval_id)), ("user_id", s(user_id))]
}
