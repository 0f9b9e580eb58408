//! Contract tests: the real Iden provider against the project's simulator. They check what goes
//! over the wire (the `Api-Key` header, `ticket_status` / `app` filters, `next` followed as sent,
//! never in a circle and never to another host) and what comes back (errors classified, one
//! unreadable ticket costing only itself).

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use ttydesk::domain::{Catalog, CountScope, Cursor, DeskId, QueueQuery, StatusId, StatusScope};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::iden::{Iden, IdenConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{
    Fault, FaultKind, IDEN_HOSTILE_TICKET, IdenNext, RecordedRequest, SimHandle, SimOptions,
};

async fn sim() -> SimHandle {
    SimHandle::start(SimOptions::default())
        .await
        .expect("simulator starts")
}

fn provider_with(sim: &SimHandle, key: &str) -> Iden {
    Iden::new(IdenConfig {
        base_url: sim.iden_base_url("acme"),
        token: SecretString::from(key.to_string()),
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds")
}

fn provider(sim: &SimHandle) -> Iden {
    provider_with(sim, &sim.iden_key())
}

fn calls(log: &[RecordedRequest], endpoint: &str) -> Vec<RecordedRequest> {
    log.iter()
        .filter(|r| r.endpoint == endpoint)
        .cloned()
        .collect()
}

fn param<'a>(r: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Every status: the listing is not filtered by status.
fn everything() -> QueueQuery {
    QueueQuery {
        desk: None,
        status: StatusScope::Only(
            ["PENDING", "APPROVED", "REJECTED", "EXPIRED", "CANCELED"]
                .map(StatusId::from)
                .to_vec(),
        ),
    }
}

async fn catalog(p: &Iden) -> Arc<Catalog> {
    Arc::new(p.catalog().await.expect("catalog loads"))
}

#[tokio::test]
async fn every_call_carries_the_api_key_header_and_the_profile_connects() {
    let sim = sim().await;
    let profile = ttydesk::config::Profile {
        provider: ttydesk::config::ProviderKind::Iden,
        base_url: sim.iden_base_url("acme"),
        username: None,
        token: Some(sim.iden_key()),
        ..ttydesk::cli::sim_profile(&sim)
    };
    let connected = ttydesk::cli::connect("access", &profile)
        .await
        .expect("an Iden profile connects");
    assert_eq!(connected.vendor, "Iden");
    let probe = connected.provider.probe().await.expect("probe");
    assert_eq!(probe.server.product, "Iden");
    let caps = probe.capabilities;
    assert!(!caps.writes && !caps.news && !caps.kb && !caps.comments);
    // Pending requests are decisions waiting in Iden: shown, never voted on from here.
    assert!(caps.approvals);
    assert!(caps.help_desks && caps.statuses && caps.counts);
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    p.list(QueueQuery::open(), None, catalog)
        .await
        .expect("list");
    let log = sim.requests();
    assert!(log.len() >= 4, "{log:?}");
    let expected = format!("Api-Key {}", sim.iden_key());
    for r in &log {
        assert_eq!(r.authorization.as_deref(), Some(expected.as_str()), "{r:?}");
        assert!(r.path.starts_with("/iden/acme/api/"), "{}", r.path);
        assert!(
            r.path.ends_with('/'),
            "DRF routes end with a slash: {}",
            r.path
        );
    }
    assert_eq!(
        param(&log[0], "limit"),
        Some("1"),
        "the probe reads one app"
    );
    assert_eq!(log[0].endpoint, "iden/apps");
}

#[tokio::test]
async fn a_listing_follows_next_to_the_end_without_duplicates() {
    let sim = sim().await;
    sim.set_iden_max_limit(Some(25));
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    sim.clear_requests();
    let mut ids = Vec::new();
    let mut cursor = None;
    let mut total = None;
    for _ in 0..10 {
        let page = p
            .list(everything(), cursor.take(), Arc::clone(&catalog))
            .await
            .expect("page");
        total = total.or(page.total);
        ids.extend(page.items.into_iter().map(|t| t.id.to_string()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let org = sim.iden_org();
    let seeded: HashSet<String> = org.tickets.iter().map(|t| t.uuid.clone()).collect();
    assert_eq!(ids.len(), seeded.len(), "every ticket once");
    assert_eq!(ids.iter().cloned().collect::<HashSet<_>>(), seeded);
    assert_eq!(total, Some(seeded.len() as u64));
    let pages = calls(&sim.requests(), "iden/tickets");
    assert_eq!(pages.len(), 3, "60 tickets at 25 a page");
    assert_eq!(
        param(&pages[0], "ticket_status"),
        None,
        "all statuses: no filter"
    );
    let offsets: Vec<_> = pages.iter().map(|r| param(r, "offset")).collect();
    assert_eq!(
        offsets,
        [None, Some("25"), Some("50")],
        "next followed as sent"
    );
}

#[tokio::test]
async fn an_app_queue_sends_ticket_status_and_app_filters() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    let org = sim.iden_org();
    assert_eq!(
        catalog.help_desks.len(),
        org.apps.len(),
        "one queue per app"
    );
    assert_eq!(catalog.people.len(), org.users.len());
    let github = org
        .apps
        .iter()
        .position(|a| a.name == "GitHub")
        .expect("GitHub");
    let query = QueueQuery {
        desk: Some(DeskId::from(org.apps[github].uuid.as_str())),
        status: StatusScope::Open,
    };
    sim.clear_requests();
    let page = p
        .list(query, None, Arc::clone(&catalog))
        .await
        .expect("page");
    let wanted = org
        .tickets
        .iter()
        .filter(|t| t.app == github && t.status == "PENDING")
        .count();
    assert!(wanted > 0, "the seed has pending GitHub requests");
    assert_eq!(page.items.len(), wanted);
    assert!(page.items.iter().all(|t| {
        t.status.id == "PENDING"
            && t.help_desk
                .as_ref()
                .is_some_and(|d| d.name.as_str() == "GitHub")
    }));
    let log = sim.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(param(&log[0], "ticket_status"), Some("PENDING"));
    assert_eq!(param(&log[0], "app"), Some(org.apps[github].uuid.as_str()));
}

#[tokio::test]
async fn a_next_that_repeats_the_page_ends_the_listing() {
    let sim = sim().await;
    sim.set_iden_max_limit(Some(25));
    sim.set_iden_next(IdenNext::SamePage);
    let p = provider(&sim);
    let catalog = Arc::new(Catalog::default());
    let page = tokio::time::timeout(Duration::from_secs(10), p.list(everything(), None, catalog))
        .await
        .expect("no loop")
        .expect("the page read is kept");
    assert_eq!(page.items.len(), 25);
    assert_eq!(page.next, None, "a repeated next is not handed out");
    assert_eq!(calls(&sim.requests(), "iden/tickets").len(), 1);
}

#[tokio::test]
async fn a_next_on_another_host_is_refused_and_never_followed() {
    let sim = sim().await;
    sim.set_iden_max_limit(Some(25));
    sim.set_iden_next(IdenNext::ForeignHost);
    let p = provider(&sim);
    let catalog = Arc::new(Catalog::default());
    let err = p
        .list(everything(), None, Arc::clone(&catalog))
        .await
        .expect_err("refused");
    let ProviderError::Decode { endpoint, detail } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(endpoint, "tickets");
    assert!(
        detail.contains("evil.example") && detail.contains("not followed"),
        "{detail}"
    );
    assert_eq!(sim.requests().len(), 1);
    // A cursor kept from elsewhere is checked too, before anything is sent.
    sim.clear_requests();
    let kept = Cursor("http://evil.example/iden/acme/api/tickets/?offset=25".into());
    let err = p
        .list(everything(), Some(kept), catalog)
        .await
        .expect_err("refused");
    assert!(matches!(err, ProviderError::Decode { .. }), "{err:?}");
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn bad_and_revoked_keys_are_credential_errors_sent_once() {
    let sim = sim().await;
    let err = provider_with(&sim, "sk_live_wrong")
        .probe()
        .await
        .expect_err("401");
    assert_eq!(err, ProviderError::Unauthorized);
    assert_eq!(sim.requests().len(), 1, "never retried");
    sim.clear_requests();
    sim.set_iden_key_revoked(true);
    let p = provider(&sim);
    let err = p.probe().await.expect_err("403");
    let ProviderError::Forbidden(text) = &err else {
        panic!("expected Forbidden, got {err:?}");
    };
    assert!(text.as_str().contains("revoked"), "{text}");
    assert_eq!(sim.requests().len(), 1, "never retried");
    sim.clear_requests();
    let err = p.catalog().await.expect_err("the catalog says so too");
    assert!(matches!(err, ProviderError::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn a_wrong_tenant_slug_is_a_configuration_error() {
    let sim = sim().await;
    let p = Iden::new(IdenConfig {
        base_url: sim.iden_base_url("acme-typo"),
        token: SecretString::from(sim.iden_key()),
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds");
    let err = p.probe().await.expect_err("404");
    let ProviderError::Config(text) = &err else {
        panic!("expected a configuration error, got {err:?}");
    };
    assert!(
        text.contains("tenant slug") && text.contains("/iden/acme-typo/"),
        "{text}"
    );
}

#[tokio::test]
async fn one_ticket_and_its_absence() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    let org = sim.iden_org();
    let t = org
        .tickets
        .iter()
        .find(|t| {
            !t.initial_comment.is_empty() && t.end_time.is_some() && !t.label.contains('\u{1b}')
        })
        .expect("a ticket with a comment and an end");
    let d = p
        .detail(t.uuid.as_str().into(), Arc::clone(&catalog))
        .await
        .expect("detail");
    assert_eq!(d.ticket.title.as_str(), t.label);
    assert_eq!(d.description.as_str(), t.initial_comment);
    let requester = &org.users[t.requester];
    let customer = d.ticket.customer.as_ref().expect("requester");
    assert_eq!(
        customer.name.as_str(),
        format!("{} {}", requester.first_name, requester.last_name),
        "named from /api/users/"
    );
    let account = d.custom_fields.iter().find(|f| f.field_id == "app_user");
    assert_eq!(
        account.map(|f| f.value.as_str()),
        Some(t.app_user_email.as_str())
    );
    assert!(d.comments.is_empty());
    let log = sim.requests();
    let last = log.last().expect("a request");
    assert_eq!(last.path, format!("/iden/acme/api/tickets/{}/", t.uuid));

    let err = p
        .detail("00000000-0000-4000-8000-000000000000".into(), catalog)
        .await
        .expect_err("404");
    assert!(matches!(err, ProviderError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn rate_limits_server_errors_and_non_json_are_explained() {
    let sim = sim().await;
    let p = provider(&sim);
    let fault = |kind| {
        sim.inject(Fault {
            endpoint: Some("iden/apps".into()),
            kind,
            times: 1,
        })
    };

    fault(FaultKind::RateLimit {
        retry_after_secs: 30,
    });
    let err = p.probe().await.expect_err("429");
    assert_eq!(
        err,
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(30))
        }
    );

    // Three times: a read is tried twice more after a 503 before it fails.
    for _ in 0..3 {
        fault(FaultKind::Status(
            503,
            r#"{"detail":"Service unavailable"}"#.into(),
        ));
    }
    let err = p.probe().await.expect_err("503");
    assert!(
        matches!(err, ProviderError::Server { status: 503, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Service unavailable"), "{err}");

    fault(FaultKind::Malformed);
    let err = p.probe().await.expect_err("cut off");
    assert!(matches!(err, ProviderError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("cut off"), "{err}");

    fault(FaultKind::Status(
        200,
        "<!DOCTYPE html><html><body>Sign in to Iden</body></html>".into(),
    ));
    let err = p.probe().await.expect_err("html");
    let text = err.to_string();
    assert!(
        text.contains("sent an HTML page instead of data") && text.contains("base_url"),
        "{text}"
    );
    assert!(
        !text.contains("Sign in"),
        "the page itself is not quoted: {text}"
    );
}

#[tokio::test]
async fn one_malformed_ticket_costs_only_itself() {
    let sim = sim().await;
    let org = sim.iden_org();
    let broken = &org.tickets[3].uuid;
    sim.break_iden_ticket(broken);
    let p = provider(&sim);
    let page = p
        .list(everything(), None, Arc::new(Catalog::default()))
        .await
        .expect("the page survives");
    assert_eq!(page.items.len(), 49, "50 on the page, one unreadable");
    assert_eq!(page.total, Some(60));
    assert!(page.items.iter().all(|t| t.id.as_str() != broken));
    assert!(page.next.is_some());
}

#[tokio::test]
async fn counts_are_pending_per_app_from_one_row_reads_and_names_survive_a_failed_list() {
    let sim = sim().await;
    let p = provider(&sim);
    let catalog = catalog(&p).await;
    sim.clear_requests();
    let counts = p
        .counts(CountScope::Open, Arc::clone(&catalog))
        .await
        .expect("counts");
    let org = sim.iden_org();
    let pending = org.tickets.iter().filter(|t| t.status == "PENDING").count();
    assert_eq!(counts.total(), pending as u64);
    assert!(
        counts
            .cells
            .iter()
            .all(|c| c.desk.is_some() && c.status.as_ref().is_some_and(|s| s == "PENDING"))
    );
    let log = sim.requests();
    assert_eq!(log.len(), org.apps.len(), "one read per app");
    assert!(log.iter().all(|r| param(r, "limit") == Some("1")
        && param(r, "ticket_status") == Some("PENDING")
        && param(r, "app").is_some()));

    sim.inject(Fault {
        endpoint: Some("iden/users".into()),
        kind: FaultKind::Status(500, "oops".into()),
        times: 1,
    });
    let catalog = p.catalog().await.expect("apps are enough");
    assert!(catalog.people.is_empty());
    assert_eq!(catalog.help_desks.len(), org.apps.len());
    let page = p
        .list(QueueQuery::open(), None, Arc::new(catalog))
        .await
        .expect("list");
    assert!(
        page.items.iter().all(|t| t
            .customer
            .as_ref()
            .is_some_and(|c| c.name.as_str().contains('@'))),
        "requesters fall back to their email"
    );
}

#[tokio::test]
async fn hostile_ticket_text_arrives_inert_and_flagged() {
    let sim = sim().await;
    let p = provider(&sim);
    let org = sim.iden_org();
    let hostile = &org.tickets[IDEN_HOSTILE_TICKET];
    let d = p
        .detail(hostile.uuid.as_str().into(), Arc::new(Catalog::default()))
        .await
        .expect("detail");
    for text in [d.ticket.title.as_str(), d.description.as_str()] {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n')
                && !text.contains('\u{202e}')
                && !text.contains("PWNED")
                && !text.contains("]52;")
                && !text.contains("[2J"),
            "{text:?}"
        );
    }
    assert!(d.ticket.title.as_str().starts_with("Access to AWS"));
    assert!(d.had_hidden_controls, "the agent is told");
}

#[tokio::test]
async fn several_statuses_are_listed_unfiltered_and_narrowed() {
    let sim = sim().await;
    let p = provider(&sim);
    let query = QueueQuery {
        desk: None,
        status: StatusScope::Only(vec!["APPROVED".into(), "REJECTED".into()]),
    };
    let mut kept = Vec::new();
    let mut cursor = None;
    for _ in 0..5 {
        let page = p
            .list(query.clone(), cursor.take(), Arc::new(Catalog::default()))
            .await
            .expect("page");
        assert_eq!(page.total, None, "the server's count covers every status");
        kept.extend(page.items);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let org = sim.iden_org();
    let wanted = org
        .tickets
        .iter()
        .filter(|t| matches!(t.status, "APPROVED" | "REJECTED"))
        .count();
    assert_eq!(kept.len(), wanted);
    assert!(
        kept.iter()
            .all(|t| matches!(t.status.id.as_str(), "APPROVED" | "REJECTED"))
    );
    let log = sim.requests();
    assert!(log.iter().all(|r| param(r, "ticket_status").is_none()));
}
