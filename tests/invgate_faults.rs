//! Contract tests of faults: the real InvGate provider against the simulator sending errors,
//! timeouts, rate limits, web pages and malformed data. Each fault is said in words, and a
//! malformed record costs only itself.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

mod invgate_support;

use std::sync::Arc;
use std::time::Duration;

use invgate_support::*;
use ttydesk::domain::{Catalog, CountScope, QueueQuery, Ticket, TicketId};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::invgate::InvGate;
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Damage, Fault, FaultKind, SimHandle, SimOptions, WireRule};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_is_unauthorized() {
    let sim = sim(SimOptions::default()).await;
    let err = provider_with(&sim, "not-the-token", HttpSettings::default())
        .probe()
        .await
        .unwrap_err();
    assert_eq!(err, ProviderError::Unauthorized);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_faults_are_classified() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);

    let body = r#"{"error":"boom","status":500}"#.to_string();
    sim.inject(fault("sd.version", FaultKind::Status(500, body)));
    match ig.probe().await.unwrap_err() {
        ProviderError::Server { status, message } => {
            assert_eq!(status, 500);
            assert_eq!(message.as_str(), "boom");
        }
        other => panic!("expected Server, got {other:?}"),
    }

    let body = r#"{"error":"tipo string pasado es inválido","status":428}"#.to_string();
    sim.inject(fault("sd.version", FaultKind::Status(428, body)));
    match ig.probe().await.unwrap_err() {
        ProviderError::Rejected(text) => assert!(text.as_str().contains("tipo string")),
        other => panic!("expected Rejected, got {other:?}"),
    }

    sim.inject(fault(
        "sd.version",
        FaultKind::RateLimit {
            retry_after_secs: 7,
        },
    ));
    assert_eq!(
        ig.probe().await.unwrap_err(),
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );

    sim.inject(fault("sd.version", FaultKind::Malformed));
    assert!(matches!(
        ig.probe().await.unwrap_err(),
        ProviderError::Decode { endpoint, .. } if endpoint == "sd.version"
    ));
    assert!(ig.probe().await.is_ok(), "faults are spent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logical_errors_and_malformed_lists_fail_the_operation() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());

    let info = "Status \u{1b}[31mnot allowed".to_string();
    sim.inject(fault("incidents.by.status", FaultKind::LogicalError(info)));
    match ig
        .counts(CountScope::Open, catalog.clone())
        .await
        .unwrap_err()
    {
        ProviderError::Rejected(text) => {
            assert!(text.as_str().contains("not allowed"));
            assert!(!has_controls(text.as_str()));
        }
        other => panic!("expected Rejected, got {other:?}"),
    }

    sim.inject(fault("incidents", FaultKind::Malformed));
    assert!(matches!(
        ig.list(QueueQuery::open(), None, catalog).await.unwrap_err(),
        ProviderError::Decode { endpoint, .. } if endpoint == "incidents"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_times_out() {
    let sim = sim(SimOptions::default()).await;
    let short = HttpSettings {
        connect: Duration::from_millis(300),
        read: Duration::from_millis(300),
        total: Duration::from_millis(300),
        ..HttpSettings::default()
    };
    let ig = provider_with(&sim, sim.password(), short);
    sim.inject(fault(
        "sd.version",
        FaultKind::Delay(Duration::from_secs(3)),
    ));
    let started = std::time::Instant::now();
    let err = ig.probe().await.unwrap_err();
    assert!(matches!(err, ProviderError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The message names the limit that fired: the silence, or the whole call.
    for (read, total, says) in [
        (300, 5000, "the server sent nothing for 0.3\u{a0}s"),
        (5000, 300, "the call took longer than 0.3\u{a0}s in all"),
    ] {
        let ig = provider_with(
            &sim,
            sim.password(),
            HttpSettings {
                connect: Duration::from_secs(5),
                read: Duration::from_millis(read),
                total: Duration::from_millis(total),
                ..HttpSettings::default()
            },
        );
        sim.inject(fault(
            "sd.version",
            FaultKind::Delay(Duration::from_secs(3)),
        ));
        let err = ig.probe().await.unwrap_err().to_string();
        assert!(err.contains(says), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_side_calls_leave_a_usable_partial_detail() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());
    let r = rich_request(&sim);
    let id = TicketId::from(r.id.to_string());
    let full = ig.detail(id.clone(), catalog.clone()).await.unwrap();

    let body = r#"{"error":"link service down","status":500}"#.to_string();
    sim.inject(fault("incident.link", FaultKind::Status(500, body)));
    let d = ig.detail(id.clone(), catalog.clone()).await.unwrap();
    assert_eq!(d.partial.len(), 1, "{:?}", d.partial);
    assert!(d.partial[0].contains("linked requests"), "{}", d.partial[0]);
    assert!(d.links.is_empty());
    assert_eq!(d.comments, full.comments);
    assert_eq!(d.ticket, full.ticket);

    // Without the comment list the thread still comes from the comments embedded in the request.
    let body = r#"{"error":"down","status":503}"#.to_string();
    sim.inject(Fault {
        times: 3,
        ..fault("incident.comment", FaultKind::Status(503, body))
    });
    let d = ig.detail(id.clone(), catalog.clone()).await.unwrap();
    assert!(d.partial.is_empty(), "{:?}", d.partial);
    assert_eq!(d.comments, full.comments);

    // The request itself is essential.
    sim.inject(Fault {
        times: 3,
        ..fault("incident", FaultKind::Status(502, String::new()))
    });
    assert!(matches!(
        ig.detail(id, catalog).await.unwrap_err(),
        ProviderError::Server { status: 502, .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optional_custom_fields_may_be_missing() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    sim.inject(fault(
        "cf.fields.all",
        FaultKind::Status(404, r#"{"error":"Not found","status":404}"#.into()),
    ));
    let catalog: Catalog = ig.catalog().await.unwrap();
    assert!(catalog.custom_fields.is_empty());
    assert!(!catalog.statuses.is_empty());

    // A token whose scope leaves out the users costs the names, not the catalog.
    sim.inject(fault(
        "users",
        FaultKind::Status(403, r#"{"error":"scope missing","status":403}"#.into()),
    ));
    let nameless = ig.catalog().await.expect("the catalog loads");
    assert!(nameless.people.is_empty());
    assert!(!nameless.help_desks.is_empty());
}

#[tokio::test]
async fn a_short_rate_limit_on_a_read_is_waited_out_once() {
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    let ig = provider(&sim);
    sim.inject(Fault {
        endpoint: Some("sd.version".into()),
        kind: FaultKind::RateLimit {
            retry_after_secs: 1,
        },
        times: 1,
    });
    let started = std::time::Instant::now();
    assert!(
        ig.probe().await.is_ok(),
        "retried after the announced second"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    let calls = sim
        .requests()
        .iter()
        .filter(|r| r.endpoint == "sd.version")
        .count();
    assert_eq!(calls, 2);
}

/// A fault that splices `raw` at `pointer` into every reply of `endpoint` (those without the
/// place are left alone).
fn splice(endpoint: &str, pointer: String, raw: &[u8]) -> Fault {
    Fault {
        endpoint: Some(endpoint.to_string()),
        kind: FaultKind::Splice {
            pointer,
            raw: raw.to_vec(),
        },
        times: 1000,
    }
}

/// The first page of all open requests, and the id of its first row.
async fn first_page(ig: &InvGate, catalog: &Arc<Catalog>) -> (Vec<Ticket>, u64) {
    let page = ig
        .list(QueueQuery::open(), None, catalog.clone())
        .await
        .expect("the page loads");
    (page.items, page.unreadable)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_malformed_request_costs_only_itself_and_is_counted() {
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let cases: [(&str, &str, &[u8]); 3] = [
        ("a null element", "", b"null"),
        ("a title nested 10,000 deep", "/title", deep.as_bytes()),
        (
            "a string where a list belongs",
            "/custom_fields",
            b"\"oops\"",
        ),
    ];
    for (what, field, raw) in cases {
        let sim = sim(SimOptions::default()).await;
        let ig = provider(&sim);
        let catalog = Arc::new(ig.catalog().await.expect("catalog"));
        let (clean, unreadable) = first_page(&ig, &catalog).await;
        assert_eq!(unreadable, 0);
        let victim = clean[0].id.clone();
        sim.inject(splice("incidents", format!("/{victim}{field}"), raw));
        let (items, unreadable) = first_page(&ig, &catalog).await;
        let ids: Vec<&TicketId> = items.iter().map(|t| &t.id).collect();
        if field == "/custom_fields" {
            // A field the row does not need: the row loads without it.
            assert_eq!(items.len(), clean.len(), "{what}");
            assert_eq!(unreadable, 0, "{what}");
        } else {
            assert_eq!(
                items.len(),
                clean.len() - 1,
                "{what}: only the bad one is left out"
            );
            assert!(!ids.contains(&&victim), "{what}");
            assert_eq!(unreadable, 1, "{what}: and it is counted");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_element_of_nulls_or_swapped_types_costs_only_itself() {
    for damage in [Damage::Nulls, Damage::Swapped] {
        let sim = sim(SimOptions::default()).await;
        let ig = provider(&sim);
        let catalog = Arc::new(ig.catalog().await.expect("catalog"));
        let (clean, _) = first_page(&ig, &catalog).await;
        let victim = clean[1].id.clone();
        sim.damage(WireRule {
            endpoint: "incidents",
            id: victim.as_str().parse().expect("a numeric id"),
            damage: damage.clone(),
        });
        let (items, unreadable) = first_page(&ig, &catalog).await;
        // Either shown with what could be read, or left out and counted: never silently gone,
        // and never at the others' cost.
        assert_eq!(
            items.len() + usize::try_from(unreadable).expect("small"),
            clean.len(),
            "{damage:?}"
        );
        for (a, b) in clean.iter().zip(&items).take(1) {
            assert_eq!(a.id, b.id, "{damage:?}: the rows before it are untouched");
        }
        assert!(items.iter().any(|t| t.id == clean[2].id), "{damage:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_in_a_title_is_replaced_not_fatal() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.expect("catalog"));
    let (clean, _) = first_page(&ig, &catalog).await;
    let victim = clean[0].id.clone();
    sim.inject(splice(
        "incidents",
        format!("/{victim}/title"),
        b"\"Caf\xe9 printer \xff\xfe down\"",
    ));
    let (items, unreadable) = first_page(&ig, &catalog).await;
    assert_eq!((items.len(), unreadable), (clean.len(), 0));
    let title = items
        .iter()
        .find(|t| t.id == victim)
        .expect("the row")
        .title
        .as_str();
    assert!(title.starts_with("Caf\u{fffd} printer"), "{title}");
    assert!(title.ends_with("down"), "{title}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_embedded_thread_does_not_make_a_request_unopenable() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.expect("catalog"));
    let id = rich_request(&sim).id;
    sim.inject(splice("incident", "/comments".into(), b"\"not a thread\""));
    let detail = ig
        .detail(TicketId::from(id.to_string()), catalog)
        .await
        .expect("the request opens");
    assert!(
        !detail.comments.is_empty(),
        "the thread is read from incident.comment"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_with_bad_users_still_loads_desks_and_queues() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let full = ig.catalog().await.expect("catalog");
    // One user that is not a user: the others keep their names.
    sim.inject(splice("users", "/0".into(), b"\"not a user\""));
    let one_bad = ig.catalog().await.expect("the catalog loads");
    assert_eq!(one_bad.people.len(), full.people.len() - 1);
    assert_eq!(one_bad.help_desks, full.help_desks);
    // The whole user list failing costs only the names.
    let sim = self::sim(SimOptions::default()).await;
    let ig = provider(&sim);
    sim.inject(Fault {
        times: 10,
        ..fault("users", FaultKind::Status(500, "{}".into()))
    });
    let nameless = Arc::new(ig.catalog().await.expect("the catalog loads"));
    assert!(nameless.people.is_empty());
    assert!(!nameless.help_desks.is_empty() && !nameless.statuses.is_empty());
    let (items, _) = first_page(&ig, &nameless).await;
    assert!(!items.is_empty(), "the queues load");
    let named = items
        .iter()
        .filter_map(|t| t.customer.as_ref())
        .next()
        .expect("a customer");
    assert!(
        named.name.as_str().starts_with("User "),
        "a name falls back to its id: {}",
        named.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_page_on_200_is_named_as_such() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let page = "<!DOCTYPE html><html><head><title>Sign in \u{1b}]0;x\u{7} · Contoso SSO</title></head>\
                <body><form>…</form></body></html>";
    sim.inject(fault("sd.version", FaultKind::Page(page.into())));
    let err = ig.probe().await.unwrap_err().to_string();
    assert!(err.contains("sent an HTML page"), "{err}");
    assert!(err.contains("login page"), "{err}");
    assert!(err.contains("Contoso SSO"), "the page's title: {err}");
    assert!(inert(&err), "{err:?}");
    assert!(!err.contains("line 1"), "no parser jargon: {err}");
}
