//! The simulator's breaking news and knowledge-base search as a real HTTP client sees them:
//! announcing an outage (`breakingnews` POST), editing, closing and reopening it (PUT),
//! posting to its timeline (`breakingnews.status` POST, `is_solution=1` closes), each read
//! back through `breakingnews`, `breakingnews.all` and `breakingnews.status`; and the KB's
//! keyword search (`kb.articles.by.keywords`): relevance order, `min_search_scoring`, `limit`,
//! no match, the 428. This file holds the helpers; the tests live in `sim_news/`: `create`,
//! `timeline` (edits, updates, closing) and `search`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use ttydesk::sim::{Dataset, SimHandle};

#[path = "sim_news/create.rs"]
mod create;
#[path = "sim_news/search.rs"]
mod search;
#[path = "sim_news/timeline.rs"]
mod timeline;

mod sim_http;

use sim_http::*;

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
