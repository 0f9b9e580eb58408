//! Network faults around a write: the reply lost after the write is applied, the reply held
//! past the client's timeout, and a simulator refusing connections.

use super::*;
use ttydesk::sim::{Fault, FaultKind};

fn comment_pairs(ds: &Dataset, id: u64, text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("request_id", s(id)),
        ("comment", text.to_string()),
        ("author_id", s(agent(ds))),
        ("customer_visible", "0".into()),
    ]
}

fn has_comment(sim: &SimHandle, id: u64, text: &str) -> bool {
    sim.dataset()
        .request(id)
        .is_some_and(|r| r.comments.iter().any(|c| c.message == text))
}

#[tokio::test]
async fn a_lost_reply_applies_the_write_and_gives_the_client_no_status() {
    let sim = start().await;
    let ds = sim.dataset();
    let id = with_status(&ds, ds.lifecycle().open).id;
    sim.inject(Fault {
        endpoint: Some("incident.comment".into()),
        kind: FaultKind::ReplyLost,
        times: 1,
    });
    let http = client_with(Duration::from_secs(5));
    let pairs = comment_pairs(&ds, id, "<p>lost reply</p>");
    let sent = write_request(
        &http,
        &sim,
        reqwest::Method::POST,
        "incident.comment",
        &pairs,
    )
    .send()
    .await;
    let err = sent.expect_err("the connection drops without a reply");
    assert!(err.status().is_none() && !err.is_timeout(), "{err:?}");
    assert!(
        has_comment(&sim, id, "<p>lost reply</p>"),
        "the write was applied"
    );
    // The fault is spent: the same client is answered again.
    let pairs = comment_pairs(&ds, id, "<p>answered</p>");
    answer(write_request(
        &http,
        &sim,
        reqwest::Method::POST,
        "incident.comment",
        &pairs,
    ))
    .await
    .ok();
}

#[tokio::test]
async fn a_held_reply_applies_the_write_and_times_the_client_out() {
    let sim = start().await;
    let ds = sim.dataset();
    let id = with_status(&ds, ds.lifecycle().open).id;
    sim.inject(Fault {
        endpoint: Some("incident.comment".into()),
        kind: FaultKind::Hang(Duration::from_secs(5)),
        times: 1,
    });
    let http = client_with(Duration::from_millis(300));
    let pairs = comment_pairs(&ds, id, "<p>held reply</p>");
    let err = write_request(
        &http,
        &sim,
        reqwest::Method::POST,
        "incident.comment",
        &pairs,
    )
    .send()
    .await
    .expect_err("the reply is held past the timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        has_comment(&sim, id, "<p>held reply</p>"),
        "the write was applied"
    );
}

#[tokio::test]
async fn a_refusing_simulator_applies_nothing_then_serves_again() {
    let sim = start().await;
    let ds = sim.dataset();
    let id = with_status(&ds, ds.lifecycle().open).id;
    let http = client_with(Duration::from_secs(5));
    // A kept-alive connection opened before refusing starts.
    answer(
        http.get(format!("{}/api/v1/sd.version", sim.base_url()))
            .basic_auth(sim.username(), Some(sim.password())),
    )
    .await;
    sim.set_refusing(true);
    let pairs = comment_pairs(&ds, id, "<p>refused</p>");
    for attempt in [&http, &client_with(Duration::from_secs(5))] {
        let err = write_request(
            attempt,
            &sim,
            reqwest::Method::POST,
            "incident.comment",
            &pairs,
        )
        .send()
        .await
        .expect_err("refused");
        assert!(err.status().is_none() && !err.is_timeout(), "{err:?}");
    }
    assert!(
        !has_comment(&sim, id, "<p>refused</p>"),
        "nothing was applied"
    );
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.endpoint != "incident.comment"),
        "nothing was read"
    );

    sim.set_refusing(false);
    answer(write_request(
        &http,
        &sim,
        reqwest::Method::POST,
        "incident.comment",
        &pairs,
    ))
    .await
    .ok();
    assert!(has_comment(&sim, id, "<p>refused</p>"));
}
