//! The simulator's approvals as a real HTTP client sees them: votes, cancels and added voters
//! (`incident.approval.accept` / `.reject` / `.cancel` / `.add_voter`), new approvals from a
//! template or of one person (`incident.custom_approval`, `incident.spontaneous_approval`), the
//! reads that show the result (`incident.approval`, `.possible_voters`), the vocabularies, and
//! expiry on the simulator's clock. Every write is checked on the wire and read back through
//! the GETs. This file holds the helpers; the tests live in `sim_approvals/`: `votes`,
//! `manage` (cancel, add voter, voters), `requests` (templates and new approvals) and `clock`
//! (expiry, the vocabularies switched to `[]`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use ttydesk::sim::{Approval, Dataset, Request, SimHandle, vote_status};

#[path = "sim_approvals/clock.rs"]
mod clock;
#[path = "sim_approvals/manage.rs"]
mod manage;
#[path = "sim_approvals/requests.rs"]
mod requests;
#[path = "sim_approvals/votes.rs"]
mod votes;

mod sim_http;

use sim_http::*;

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
