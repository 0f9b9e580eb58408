//! Approvals through the real InvGate provider against the project's simulator (its GET
//! endpoints): the server's words in the catalog, and a catalog that survives their failure;
//! every approval of the open request with all its voters; the pending check across requests,
//! with `only_pending=1`, a voter read failing only its approval, and refused credentials
//! failing the check.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use secrecy::SecretString;
use ttydesk::domain::{ApprovalStatus, Catalog, TicketId, Vote};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::invgate::{InvGate, InvGateConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions};

async fn sim(opts: SimOptions) -> SimHandle {
    SimHandle::start(opts).await.expect("simulator starts")
}

fn provider_with(sim: &SimHandle, password: &str) -> InvGate {
    InvGate::new(InvGateConfig {
        base_url: sim.base_url(),
        username: sim.username().to_string(),
        token: SecretString::from(password.to_string()),
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds")
}

fn provider(sim: &SimHandle) -> InvGate {
    provider_with(sim, sim.password())
}

fn param<'a>(r: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn fault(endpoint: &str, kind: FaultKind) -> Fault {
    Fault {
        endpoint: Some(endpoint.to_string()),
        kind,
        times: 1,
    }
}

async fn catalog(ig: &InvGate) -> Arc<Catalog> {
    Arc::new(ig.catalog().await.expect("catalog loads"))
}

/// Ids of requests with at least `n` approvals of which one is still waiting.
fn with_pending(sim: &SimHandle, n: usize) -> Vec<u64> {
    sim.dataset()
        .requests
        .iter()
        .filter(|r| r.approvals.len() >= n && r.approvals.iter().any(|a| a.status == -1))
        .map(|r| r.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_carries_the_servers_approval_words() {
    let sim = sim(SimOptions::default()).await;
    let c = catalog(&provider(&sim)).await;
    let words = &c.approval_words;
    let word = |map: &std::collections::HashMap<String, ttydesk::domain::SafeText>, id: &str| {
        map.get(id).map(|w| w.as_str().to_string())
    };
    assert_eq!(word(&words.statuses, "-1").as_deref(), Some("Waiting"));
    assert_eq!(
        word(&words.kinds, "2").as_deref(),
        Some("Spontaneous approval")
    );
    assert_eq!(word(&words.votes, "-2").as_deref(), Some("Annulled"));
    assert_eq!(word(&words.votes, "2").as_deref(), Some("Expired"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_approval_words_leave_the_rest_of_the_catalog_whole() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    sim.inject(fault(
        "incident.approval.status",
        FaultKind::Status(500, r#"{"error":"boom"}"#.into()),
    ));
    sim.inject(fault(
        "incident.approval.type",
        FaultKind::LogicalError("No types.".into()),
    ));
    sim.inject(fault("incident.approval.vote_status", FaultKind::Malformed));
    let degraded = catalog(&ig).await;
    assert!(degraded.approval_words.statuses.is_empty());
    assert!(degraded.approval_words.kinds.is_empty());
    assert!(degraded.approval_words.votes.is_empty());
    let whole = catalog(&ig).await;
    assert!(!whole.approval_words.votes.is_empty(), "faults are spent");
    let without_words = Catalog {
        approval_words: Default::default(),
        ..(*whole).clone()
    };
    assert_eq!(*degraded, without_words, "the rest of the catalog is whole");
    assert!(!degraded.statuses.is_empty() && !degraded.people.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_detail_shows_every_approval_with_all_its_voters() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    let id = *with_pending(&sim, 1)
        .first()
        .expect("a request with approvals");
    let ds = sim.dataset();
    let want = ds.requests.iter().find(|r| r.id == id).expect("request");
    sim.clear_requests();
    let d = ig
        .detail(TicketId::from(id.to_string()), c.clone())
        .await
        .expect("detail");

    assert!(d.partial.is_empty(), "{:?}", d.partial);
    assert_eq!(d.approvals.len(), want.approvals.len());
    for w in &want.approvals {
        let got = d
            .approvals
            .iter()
            .find(|a| a.id == w.id.to_string())
            .expect("approval shown");
        assert_eq!(
            got.voters.len(),
            w.voters.len(),
            "all voters, not only pending"
        );
        assert_eq!(got.voters_error, None);
        assert!(got.kind_name.is_some(), "the server's word for the kind");
        for v in &w.voters {
            let shown = got
                .voters
                .iter()
                .find(|s| s.user.id.as_str() == v.user_id.to_string())
                .expect("voter shown");
            let name = c.person(&v.user_id.to_string()).map(|p| p.name.as_str());
            assert_eq!(
                Some(shown.user.name.as_str()),
                name,
                "named through the catalog"
            );
            let vote = match v.status {
                -2 => Vote::Annulled,
                -1 => Vote::Waiting,
                0 => Vote::Rejected,
                1 => Vote::Approved,
                _ => Vote::Expired,
            };
            assert_eq!(shown.vote, vote);
        }
    }
    let log = sim.requests();
    let voter_calls: Vec<_> = log
        .iter()
        .filter(|r| r.endpoint == "incident.approval.possible_voters")
        .collect();
    assert_eq!(voter_calls.len(), want.approvals.len());
    assert!(voter_calls.iter().all(|r| param(r, "approval_id").is_some()
        && param(r, "only_pending").is_none()
        && param(r, "request_id").is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_list_that_fails_costs_only_its_approval() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    let id = *with_pending(&sim, 2)
        .first()
        .expect("a request with two approvals");
    sim.inject(fault(
        "incident.approval.possible_voters",
        FaultKind::Status(500, r#"{"error":"boom"}"#.into()),
    ));
    let d = ig
        .detail(TicketId::from(id.to_string()), c)
        .await
        .expect("detail");
    assert!(d.partial.is_empty(), "{:?}", d.partial);
    let failed: Vec<_> = d
        .approvals
        .iter()
        .filter(|a| a.voters_error.is_some())
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].voters.is_empty());
    assert!(
        failed[0]
            .voters_error
            .as_deref()
            .is_some_and(|e| e.contains("HTTP 500")),
        "{:?}",
        failed[0].voters_error
    );
    assert!(
        d.approvals
            .iter()
            .filter(|a| a.voters_error.is_none())
            .all(|a| !a.voters.is_empty())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pending_check_lists_the_waiting_approvals_of_each_request() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    let ds = sim.dataset();
    let mut ids: Vec<u64> = with_pending(&sim, 1).into_iter().take(5).collect();
    let without = ds
        .requests
        .iter()
        .find(|r| r.approvals.is_empty())
        .expect("a request without approvals");
    ids.push(without.id);
    sim.clear_requests();
    let asked: Vec<TicketId> = ids.iter().map(|i| TicketId::from(i.to_string())).collect();
    let got = ig
        .pending_approvals(asked.clone(), c)
        .await
        .expect("the check");

    let order: Vec<&TicketId> = got.iter().map(|t| &t.ticket).collect();
    assert_eq!(order, asked.iter().collect::<Vec<_>>());
    for entry in &got {
        let want = ds
            .requests
            .iter()
            .find(|r| r.id.to_string() == entry.ticket.as_str())
            .expect("request");
        let pending = entry.pending.as_ref().expect("read");
        let waiting: Vec<_> = want.approvals.iter().filter(|a| a.status == -1).collect();
        assert_eq!(pending.len(), waiting.len(), "{}", entry.ticket);
        for (a, w) in pending.iter().zip(&waiting) {
            assert_eq!(a.status, ApprovalStatus::Waiting);
            assert_eq!(a.voters.len(), w.voters.len());
        }
    }
    let log = sim.requests();
    let lists: Vec<_> = log
        .iter()
        .filter(|r| r.endpoint == "incident.approval")
        .collect();
    assert_eq!(lists.len(), ids.len());
    assert!(lists.iter().all(|r| param(r, "only_pending") == Some("1")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_fail_the_pending_check() {
    let sim = sim(SimOptions::default()).await;
    let c = catalog(&provider(&sim)).await;
    let ids: Vec<TicketId> = with_pending(&sim, 1)
        .into_iter()
        .take(10)
        .map(|i| TicketId::from(i.to_string()))
        .collect();
    let wrong = provider_with(&sim, "not-the-token");
    let got = wrong.pending_approvals(ids, c).await;
    assert_eq!(got, Err(ProviderError::Unauthorized));
}
