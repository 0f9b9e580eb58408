//! Contract tests: the real Rezolve provider against the project's simulator. They check what
//! goes over the wire (the Bearer JWT, `x-tenantid`, `realmname` only when configured, the
//! ticket list's POST body, `if-none-match`) and what comes back (the directory revalidated with
//! a 304, pages to the end with no gap or duplicate when tickets shift, errors classified in
//! words, one unreadable record costing only itself).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use ttydesk::domain::{
    Catalog, Cursor, DeskId, QueueQuery, StatusId, StatusScope, Ticket, TicketId,
};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::rezolve::{Rezolve, RezolveConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions};

async fn sim() -> SimHandle {
    SimHandle::start(SimOptions::default())
        .await
        .expect("simulator starts")
}

fn provider_with(sim: &SimHandle, token: &str, tenant: &str, realm: Option<String>) -> Rezolve {
    Rezolve::new(RezolveConfig {
        base_url: sim.rezolve_base_url("acme"),
        token: SecretString::from(token.to_string()),
        tenant_id: tenant.to_string(),
        realm,
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds")
}

fn provider(sim: &SimHandle) -> Rezolve {
    provider_with(
        sim,
        &sim.rezolve_token(),
        &sim.rezolve_tenant_id(),
        Some(sim.rezolve_realm()),
    )
}

fn calls(sim: &SimHandle) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.endpoint.starts_with("rezolve/"))
        .collect()
}

async fn catalog(p: &Rezolve) -> Arc<Catalog> {
    Arc::new(p.catalog().await.expect("catalog loads"))
}

fn every_status() -> QueueQuery {
    QueueQuery {
        desk: None,
        status: StatusScope::Only(
            ["open", "in_progress", "on_hold", "resolved", "closed"]
                .map(StatusId::from)
                .to_vec(),
        ),
    }
}

async fn list_all(p: &Rezolve, query: QueueQuery, catalog: &Arc<Catalog>) -> (Vec<Ticket>, usize) {
    let mut all = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        let page = p
            .list(query.clone(), cursor.take(), Arc::clone(catalog))
            .await
            .expect("page");
        pages += 1;
        all.extend(page.items);
        assert!(pages < 50, "the listing does not end");
        match page.next {
            Some(next) => cursor = Some(next),
            None => return (all, pages),
        }
    }
}

#[tokio::test]
async fn every_call_carries_the_jwt_and_the_tenant_and_the_profile_connects() {
    let sim = sim().await;
    let connected = ttydesk::cli::connect("rz", &ttydesk::cli::sim_rezolve_profile(&sim, "acme"))
        .await
        .expect("a Rezolve profile connects");
    assert_eq!(connected.vendor, "Rezolve");
    let probe = connected.provider.probe().await.expect("probe");
    assert_eq!(probe.server.product, "Rezolve · Acme Corporation");
    assert!(!probe.capabilities.writes && !probe.capabilities.comments);
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    list_all(&p, QueueQuery::open(), &catalog).await;
    let log = calls(&sim);
    assert!(log.len() >= 4);
    for r in &log {
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bearer {}", sim.rezolve_token()).as_str())
        );
    }
    // Without a realm none is sent, and the tenant still answers.
    let bare = provider_with(&sim, &sim.rezolve_token(), &sim.rezolve_tenant_id(), None);
    bare.probe().await.expect("no realm is fine");
    // The wrong tenant is refused in Rezolve's words.
    let other = provider_with(&sim, &sim.rezolve_token(), "another-tenant", None);
    let err = other.probe().await.unwrap_err();
    assert!(
        matches!(&err, ProviderError::Forbidden(m) if m.as_str().contains("does not belong to this tenant")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_directory_is_revalidated_with_its_etag_and_a_304_keeps_it() {
    let sim = sim().await;
    let p = provider(&sim);
    let first = catalog(&p).await;
    assert_eq!(
        sim.rezolve_directory_replies(),
        (2, 0),
        "agents and users, downloaded"
    );
    assert!(first.help_desks.iter().any(|d| d.name.as_str() == "IT"));
    assert!(first.people.values().any(|p| p.is_agent));
    // Loaded afresh, the directory is downloaded again: the validators travel with the catalog.
    let again = catalog(&p).await;
    assert_eq!(sim.rezolve_directory_replies(), (4, 0));
    assert_eq!(first, again);
    let second = Arc::new(
        p.revalidate_catalog(Arc::clone(&first))
            .await
            .expect("revalidated"),
    );
    assert_eq!(sim.rezolve_directory_replies(), (4, 2), "both answered 304");
    assert_eq!(first.people, second.people, "the same directory is shown");
    assert_eq!(first.help_desks, second.help_desks);
    // The directory changes: the next load downloads it again and shows the new name.
    let (users, _) = sim.rezolve_data();
    let agent = users.iter().find(|u| u.kind == "agent").unwrap();
    sim.rename_rezolve_user(&agent.id, "Deepa");
    let third = p
        .revalidate_catalog(Arc::clone(&second))
        .await
        .expect("revalidated");
    assert_eq!(
        sim.rezolve_directory_replies(),
        (5, 3),
        "the agents downloaded, the users still unchanged"
    );
    assert_eq!(third.people.len(), first.people.len(), "no one lost");
    let renamed = third.person(&agent.id).unwrap();
    assert!(
        renamed.name.as_str().starts_with("Deepa "),
        "{}",
        renamed.name
    );
}

#[tokio::test]
async fn pages_are_followed_to_the_end_each_ticket_once() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    let (tickets, pages) = list_all(&p, every_status(), &catalog).await;
    assert_eq!(pages, 2, "80 tickets at 50 a page");
    let ids: HashSet<_> = tickets.iter().map(|t| t.id.clone()).collect();
    assert_eq!((ids.len(), tickets.len()), (80, 80));
    // Open queues are filtered on the server: status IN the open ones.
    let (open, _) = list_all(&p, QueueQuery::open(), &catalog).await;
    assert!(!open.is_empty() && open.len() < 80);
    assert!(open.iter().all(|t| t.status.kind.is_open()));
    let (it, _) = list_all(
        &p,
        QueueQuery {
            desk: Some(DeskId::from("it")),
            status: StatusScope::Open,
        },
        &catalog,
    )
    .await;
    assert!(
        !it.is_empty()
            && it
                .iter()
                .all(|t| t.help_desk.as_ref().is_some_and(|d| d.id == "it"))
    );
}

#[tokio::test]
async fn tickets_that_shift_between_pages_leave_no_gap_and_no_duplicate() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    let (_, before) = sim.rezolve_data();
    // After the first page: the oldest ticket (listed on it) is deleted and a new one arrives.
    sim.shift_rezolve_tickets_after(1);
    let (tickets, _) = list_all(&p, every_status(), &catalog).await;
    let ids: Vec<String> = tickets.iter().map(|t| t.id.to_string()).collect();
    let unique: HashSet<_> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "a ticket was listed twice");
    for t in &before {
        assert!(unique.contains(&t.id), "ticket {} was skipped", t.number);
    }
    assert!(
        ids.iter().any(|id| id.ends_with("-new")),
        "the new ticket is listed"
    );
}

#[tokio::test]
async fn a_detail_is_the_list_filtered_to_its_id() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    let (_, tickets) = sim.rezolve_data();
    let wanted = &tickets[10];
    let detail = p
        .detail(TicketId::from(wanted.id.as_str()), Arc::clone(&catalog))
        .await
        .expect("detail");
    assert_eq!(detail.ticket.display_id.as_str(), wanted.number);
    assert!(
        detail
            .custom_fields
            .iter()
            .any(|f| f.label.as_str() == "SLA")
    );
    assert!(
        detail
            .custom_fields
            .iter()
            .any(|f| f.label.as_str() == "Team")
    );
    let missing = p
        .detail(TicketId::from("no-such-ticket"), Arc::clone(&catalog))
        .await;
    assert!(
        matches!(missing, Err(ProviderError::NotFound(_))),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_revoked_token_is_a_credentials_problem_sent_once() {
    let sim = sim().await;
    sim.set_rezolve_token_revoked(true);
    let p = provider(&sim);
    assert_eq!(p.probe().await.unwrap_err(), ProviderError::Unauthorized);
    assert_eq!(calls(&sim).len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn errors_are_classified_in_words() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    let fault = |kind: FaultKind| Fault {
        endpoint: Some("rezolve/ticket/list".into()),
        kind,
        times: 1,
    };

    // Three times: a read is tried twice more after a 503 before it fails.
    sim.inject(Fault {
        times: 3,
        ..fault(FaultKind::Status(503, "maintenance".into()))
    });
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ProviderError::Server { status: 503, .. }),
        "{err:?}"
    );

    sim.inject(fault(FaultKind::Malformed));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Decode { .. }), "{err:?}");

    sim.inject(fault(FaultKind::Status(
        200,
        "<html><head><title>Sign in</title></head></html>".into(),
    )));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("an HTML page (“Sign in”) instead of data"),
        "{err}"
    );

    sim.inject(fault(FaultKind::Status(
        200,
        r#"{"success":false,"error":{"code":"INVALID_FILTER","message":"Invalid filter configuration"}}"#.into(),
    )));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server refused the request: Invalid filter configuration"
    );

    sim.inject(fault(FaultKind::Status(
        422,
        r#"{"success":false,"error":{"code":"INVALID_FILTER","message":"Invalid filter configuration"}}"#.into(),
    )));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ProviderError::Rejected(ttydesk::text::SafeText::line(
            "Invalid filter configuration"
        ))
    );

    sim.inject(fault(FaultKind::RateLimit {
        retry_after_secs: 30,
    }));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(30))
        }
    );

    let wrong = Rezolve::new(RezolveConfig {
        base_url: sim.rezolve_base_url("nobody"),
        token: SecretString::from(sim.rezolve_token()),
        tenant_id: sim.rezolve_tenant_id(),
        realm: None,
        timeouts: HttpSettings::default(),
    })
    .unwrap();
    let err = wrong.probe().await.unwrap_err();
    assert!(
        err.to_string().contains("no Rezolve tenant answers"),
        "{err}"
    );
}

#[tokio::test]
async fn one_unreadable_ticket_or_user_costs_only_itself_and_hostile_text_is_scrubbed() {
    let sim = sim().await;
    let (users, tickets) = sim.rezolve_data();
    sim.break_rezolve_record(&users[1].id);
    sim.break_rezolve_record(&tickets[6].id);
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    assert_eq!(
        catalog.people.len(),
        users.len() - 1,
        "the broken user alone is left out"
    );
    let (listed, _) = list_all(&p, every_status(), &catalog).await;
    assert_eq!(listed.len(), 80);
    let broken = listed
        .iter()
        .find(|t| t.id.as_str() == tickets[6].id)
        .expect("kept");
    assert_eq!(broken.title.as_str(), "(no subject)");
    let hostile = &tickets[ttydesk::sim::REZOLVE_HOSTILE_TICKET];
    let detail = p
        .detail(TicketId::from(hostile.id.as_str()), Arc::clone(&catalog))
        .await
        .unwrap();
    for text in [detail.ticket.title.as_str(), detail.description.as_str()] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
    assert!(detail.had_hidden_controls);
}
