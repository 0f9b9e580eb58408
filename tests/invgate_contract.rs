//! Contract tests: the real InvGate provider against the project's simulator. They check what
//! goes over the wire (endpoints, parameter names, PHP arrays, Basic auth, batching, paging) and
//! what comes back (names resolved, comments and custom fields mapped, errors classified).

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::SecretString;
use ttydesk::domain::{
    Catalog, CountScope, Cursor, DeskId, QueueQuery, StatusId, StatusScope, Ticket, TicketId,
    Visibility,
};
use ttydesk::provider::http::Timeouts;
use ttydesk::provider::invgate::{InvGate, InvGateConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions};

async fn sim(opts: SimOptions) -> SimHandle {
    SimHandle::start(opts).await.expect("simulator starts")
}

fn provider_with(sim: &SimHandle, password: &str, timeouts: Timeouts) -> InvGate {
    InvGate::new(InvGateConfig {
        base_url: sim.base_url(),
        username: sim.username().to_string(),
        token: SecretString::from(password.to_string()),
        timeouts,
    })
    .expect("provider builds")
}

fn provider(sim: &SimHandle) -> InvGate {
    provider_with(sim, sim.password(), Timeouts::default())
}

fn calls<'a>(log: &'a [RecordedRequest], endpoint: &str) -> Vec<&'a RecordedRequest> {
    log.iter().filter(|r| r.endpoint == endpoint).collect()
}

fn param<'a>(r: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn has_controls(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

/// No control characters, no bidi overrides, and no printable residue of an escape sequence
/// (`]0;PWNED`, `]52;c;…`, `[2J`).
fn inert(text: &str) -> bool {
    !has_controls(text)
        && !text.contains('\u{202e}')
        && !text.contains("]0;")
        && !text.contains("PWNED")
        && !text.contains("]52;")
        && !text.contains("[2J")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_sends_basic_auth_to_sd_version() {
    let sim = sim(SimOptions::default()).await;
    let probe = provider(&sim).probe().await.unwrap();
    assert_eq!(probe.server.product, "InvGate Service Management");
    assert_eq!(probe.server.version.as_str(), sim.dataset().version);
    let caps = probe.capabilities;
    assert!(caps.counts && caps.help_desks && caps.statuses && caps.comments && caps.approvals);
    let log = sim.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].endpoint, "sd.version");
    let expected = format!("Basic {}", STANDARD.encode("api:demo-token"));
    assert_eq!(log[0].authorization.as_deref(), Some(expected.as_str()));
    assert!(log[0].query.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_pages_categories_and_resolves_reference_data() {
    let sim = sim(SimOptions::default()).await;
    let catalog = provider(&sim).catalog().await.unwrap();
    let ds = sim.dataset();

    let log = sim.requests();
    let pages: Vec<_> = calls(&log, "categories")
        .iter()
        .map(|r| (param(r, "page"), param(r, "page_size")))
        .collect();
    let expected_pages = ds.categories.len() / 500 + 1;
    let want: Vec<_> = (1..=expected_pages)
        .map(|p| (Some(p.to_string()), Some("500")))
        .collect();
    let pages: Vec<_> = pages
        .iter()
        .map(|(p, s)| (p.map(str::to_string), *s))
        .collect();
    assert_eq!(pages, want);
    let got: HashSet<_> = catalog.categories.iter().map(|c| c.id.clone()).collect();
    let want: HashSet<_> = ds.categories.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(got, want);

    assert_eq!(catalog.statuses.len(), ds.statuses.len());
    for status in &catalog.statuses {
        let id: u64 = status.id.number().unwrap();
        assert_eq!(
            status.kind.is_open(),
            ds.is_open_status(id),
            "{}",
            status.name
        );
    }
    assert_eq!(catalog.priorities.len(), ds.priorities.len());
    assert!(catalog.priorities.iter().all(|p| (1..=5).contains(&p.rank)));
    assert_eq!(catalog.custom_fields.len(), ds.custom_fields.len());
    for field in &ds.custom_fields {
        let def = catalog.custom_field(&field.uid.to_string()).unwrap();
        assert_eq!(def.label.as_str(), field.label.trim());
    }
    for desk in &catalog.help_desks {
        let wire = ds.helpdesk(desk.id.number().unwrap()).unwrap();
        assert_eq!(
            desk.parent_id,
            wire.parent_id.map(|p| DeskId::from(p.to_string()))
        );
        assert_eq!(desk.level_order, wire.level_order);
    }
    let agent = ds
        .agents()
        .find(|u| !u.is_disabled && !u.is_deleted)
        .unwrap();
    let person = catalog.person(&agent.id.to_string()).unwrap();
    assert!(person.is_agent);
    assert_eq!(
        person.name.as_str(),
        format!("{} {}", agent.name, agent.lastname).trim()
    );
}

/// Every page of a listing, following the cursors to the end; also the pages' (next, total).
async fn all_pages(
    ig: &InvGate,
    query: QueueQuery,
    catalog: &Arc<Catalog>,
) -> (Vec<Ticket>, Vec<(Option<Cursor>, Option<u64>)>) {
    let mut items = Vec::new();
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let page = ig
            .list(query.clone(), cursor.clone(), catalog.clone())
            .await
            .expect("a page");
        pages.push((page.next.clone(), page.total));
        items.extend(page.items);
        cursor = page.next;
        if cursor.is_none() || pages.len() > 100 {
            return (items, pages);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_join_the_open_status_lists_and_every_desk() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());
    sim.clear_requests();
    let counts = ig.counts(CountScope::Open, catalog.clone()).await.unwrap();
    let ds = sim.dataset();
    let log = sim.requests();

    let by_status = calls(&log, "incidents.by.status");
    assert!(!by_status.is_empty());
    for r in &by_status {
        assert!(param(r, "status_id").is_some() && param(r, "limit").is_some());
        assert!(param(r, "offset").is_some());
    }
    let asked: HashSet<_> = by_status
        .iter()
        .filter_map(|r| param(r, "status_id"))
        .collect();
    let open: HashSet<String> = ds.open_status_ids.iter().map(u64::to_string).collect();
    assert_eq!(asked, open.iter().map(String::as_str).collect());

    let by_desk = calls(&log, "incidents.by.helpdesk");
    assert_eq!(by_desk.len(), catalog.help_desks.len());
    for r in &by_desk {
        assert!(param(r, "helpdesk_id").is_some(), "{:?}", r.query);
        assert!(param(r, "id").is_none(), "{:?}", r.query);
    }
    assert!(
        calls(&log, "incidents").is_empty(),
        "counting reads no rows"
    );

    // Every open request counted once, in its own desk or level and its status.
    let mut got: BTreeMap<(String, String), u64> = BTreeMap::new();
    for cell in &counts.cells {
        let desk = cell
            .desk
            .as_ref()
            .map(DeskId::to_string)
            .unwrap_or_default();
        let status = cell
            .status
            .as_ref()
            .map(StatusId::to_string)
            .unwrap_or_default();
        *got.entry((desk, status)).or_default() += cell.count;
    }
    let mut want: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in ds.open_requests() {
        *want
            .entry((r.assigned_group_id.to_string(), r.status_id.to_string()))
            .or_default() += 1;
    }
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_pages_through_one_join_in_batches_of_ids_with_names_resolved() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());
    let ds = sim.dataset();
    let open = ds.open_requests().count();
    // Counts and a first page asked together share one join.
    let (counts, first) = tokio::join!(
        ig.counts(CountScope::Open, catalog.clone()),
        ig.list(QueueQuery::open(), None, catalog.clone()),
    );
    assert_eq!(counts.unwrap().total(), open as u64);
    let first = first.unwrap();
    let log = sim.requests();
    assert_eq!(
        calls(&log, "incidents.by.helpdesk").len(),
        catalog.help_desks.len(),
        "the desk lists are read once for both"
    );
    assert_eq!(first.items.len(), 500);
    assert_eq!(first.total, Some(open as u64));
    assert!(first.next.is_some());
    let batches = calls(&log, "incidents");
    assert_eq!(batches.len(), 5, "500 rows, 100 ids per call");
    for r in &batches {
        let n = r.query.iter().filter(|(k, _)| k == "ids[]").count();
        assert!((1..=100).contains(&n), "{n} ids in one call");
        assert!(param(r, "ids").is_none(), "comma ids sent: {:?}", r.query);
    }

    sim.clear_requests();
    let (tickets, pages) = all_pages(&ig, QueueQuery::open(), &catalog).await;
    assert_eq!(pages.len(), open.div_ceil(500));
    assert!(pages.iter().all(|(_, total)| *total == Some(open as u64)));
    assert_eq!(tickets.len(), open, "every open request, once");
    let numbers: Vec<u64> = tickets.iter().filter_map(|t| t.id.number()).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] > w[1]),
        "newest first, no duplicates"
    );
    assert_eq!(
        calls(&sim.requests(), "incidents.by.status").len(),
        0,
        "the pages of one listing come from the join already made"
    );

    for t in tickets.iter().take(250) {
        let r = ds.request(t.id.number().unwrap()).unwrap();
        let status = ds.statuses.iter().find(|s| s.id == r.status_id).unwrap();
        assert_eq!(t.status.name.as_str(), status.name);
        assert_eq!(
            t.display_id.as_str(),
            format!("{}{}", ds.pretty_prefix, r.id)
        );
        let priority = ds
            .priorities
            .iter()
            .find(|p| p.id == r.priority_id)
            .unwrap();
        assert_eq!(t.priority.as_ref().unwrap().name.as_str(), priority.name);
        let desk = ds.helpdesk(r.assigned_group_id).unwrap();
        assert!(
            t.help_desk
                .as_ref()
                .unwrap()
                .name
                .as_str()
                .contains(desk.name.trim())
        );
        assert_eq!(t.created_at.map(|d| d.timestamp()), Some(r.created_at));
        if let Some(user) = ds
            .user(r.user_id)
            .filter(|u| !u.is_disabled && !u.is_deleted)
        {
            let want = format!("{} {}", user.name, user.lastname);
            assert_eq!(t.customer.as_ref().unwrap().name.as_str(), want.trim());
        }
        assert_eq!(t.agent.is_some(), r.assigned_id.is_some());
        assert!(!has_controls(t.title.as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_and_status_query_lists_that_desk_with_its_levels_in_that_status() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());
    let ds = sim.dataset();
    let desk = catalog.root_desks().next().unwrap().clone();
    let levels: Vec<u64> = catalog
        .levels_of(desk.id.as_str())
        .iter()
        .filter_map(|l| l.id.number())
        .collect();
    assert!(!levels.is_empty(), "the first desk has levels");
    let status = catalog.open_statuses().next().unwrap().id.clone();
    let query = QueueQuery {
        desk: Some(desk.id.clone()),
        status: StatusScope::Only(vec![status.clone()]),
    };
    let (tickets, _) = all_pages(&ig, query, &catalog).await;
    let desk_number = desk.id.number().unwrap();
    let want: HashSet<u64> = ds
        .open_requests()
        .filter(|r| r.assigned_group_id == desk_number || levels.contains(&r.assigned_group_id))
        .filter(|r| r.status_id.to_string() == status.as_str())
        .map(|r| r.id)
        .collect();
    let got: HashSet<u64> = tickets.iter().filter_map(|t| t.id.number()).collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_arrives_scrubbed() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());
    let ids: Vec<TicketId> = sim
        .dataset()
        .hostile_ids
        .iter()
        .map(|id| TicketId::from(id.to_string()))
        .collect();
    assert!(!ids.is_empty());
    let (listed, _) = all_pages(&ig, QueueQuery::open(), &catalog).await;
    let hostile: Vec<&Ticket> = listed.iter().filter(|t| ids.contains(&t.id)).collect();
    assert_eq!(hostile.len(), ids.len(), "every hostile request is listed");
    for t in &hostile {
        assert!(inert(t.title.as_str()), "{:?}", t.title);
    }
    for id in ids {
        let d = ig.detail(id, catalog.clone()).await.unwrap();
        assert!(inert(d.ticket.title.as_str()), "{:?}", d.ticket.title);
        assert!(inert(d.description.as_str()), "{:?}", d.description);
        assert!(d.comments.iter().all(|c| inert(c.body.as_str())));
    }
}

/// An open request whose thread has public, internal and solution comments and which has custom
/// field values: the richest detail the dataset offers.
fn rich_request(sim: &SimHandle) -> ttydesk::sim::Request {
    sim.dataset()
        .requests
        .iter()
        .filter(|r| !r.custom_fields.is_empty())
        .find(|r| {
            r.comments.iter().any(|c| c.customer_visible)
                && r.comments.iter().any(|c| !c.customer_visible)
                && r.comments.iter().any(|c| c.is_solution)
        })
        .cloned()
        .expect("the dataset has a request with a full thread")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticket_detail_uses_request_id_and_maps_thread_and_custom_fields() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let catalog = Arc::new(ig.catalog().await.unwrap());
    let r = rich_request(&sim);
    sim.clear_requests();
    let d = ig
        .detail(TicketId::from(r.id.to_string()), catalog)
        .await
        .unwrap();

    let log = sim.requests();
    let comment_calls = calls(&log, "incident.comment");
    assert_eq!(comment_calls.len(), 1);
    assert_eq!(
        param(comment_calls[0], "request_id"),
        Some(r.id.to_string().as_str())
    );
    assert!(param(comment_calls[0], "id").is_none());
    for endpoint in ["incident.link", "incident.approval"] {
        let c = calls(&log, endpoint);
        assert_eq!(c.len(), 1, "{endpoint}");
        assert!(param(c[0], "request_id").is_some() && param(c[0], "id").is_none());
    }
    assert_eq!(
        param(calls(&log, "incident")[0], "id"),
        Some(r.id.to_string().as_str())
    );

    assert!(d.partial.is_empty(), "{:?}", d.partial);
    assert_eq!(d.ticket.id.to_string(), r.id.to_string());
    assert_eq!(d.comments.len(), r.comments.len());
    for want in &r.comments {
        let got = d
            .comments
            .iter()
            .find(|c| c.id == want.id.to_string())
            .unwrap();
        let visibility = if want.customer_visible {
            Visibility::Public
        } else {
            Visibility::Internal
        };
        assert_eq!(got.visibility, visibility);
        assert_eq!(got.is_solution, want.is_solution);
        assert!(!got.body.as_str().contains("<p>"));
    }
    for (uid, value) in r.custom_fields.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let got = d
            .custom_fields
            .iter()
            .find(|f| f.field_id == uid.to_string())
            .unwrap();
        let ds = sim.dataset();
        let def = ds.custom_fields.iter().find(|f| f.uid == *uid);
        if let Some(def) = def {
            assert_eq!(got.label.as_str(), def.label.trim());
        }
        assert!(!got.value.is_empty(), "{value:?}");
    }
    assert_eq!(d.links.len(), r.links.len());
    assert_eq!(d.approvals.len(), r.approvals.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_string_numbers_map_exactly_like_modern_ones() {
    let modern = sim(SimOptions::default()).await;
    let legacy = sim(SimOptions {
        legacy_strings: true,
        ..SimOptions::default()
    })
    .await;
    let (a, b) = (provider(&modern), provider(&legacy));
    let (ca, cb) = (a.catalog().await.unwrap(), b.catalog().await.unwrap());
    assert_eq!(ca, cb);
    let catalog = Arc::new(ca);
    let (ia, ib) = (
        a.counts(CountScope::Open, catalog.clone()).await.unwrap(),
        b.counts(CountScope::Open, catalog.clone()).await.unwrap(),
    );
    assert_eq!(ia, ib);
    let (la, lb) = (
        all_pages(&a, QueueQuery::open(), &catalog).await,
        all_pages(&b, QueueQuery::open(), &catalog).await,
    );
    assert_eq!(la.0, lb.0);
    assert!(!la.0.is_empty());
    let rich = TicketId::from(rich_request(&modern).id.to_string());
    let da = a.detail(rich.clone(), catalog.clone()).await.unwrap();
    let db = b.detail(rich, catalog).await.unwrap();
    assert_eq!(da, db);
    assert!(!da.comments.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_is_unauthorized() {
    let sim = sim(SimOptions::default()).await;
    let err = provider_with(&sim, "not-the-token", Timeouts::default())
        .probe()
        .await
        .unwrap_err();
    assert_eq!(err, ProviderError::Unauthorized);
}

fn fault(endpoint: &str, kind: FaultKind) -> Fault {
    Fault {
        endpoint: Some(endpoint.to_string()),
        kind,
        times: 1,
    }
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
    let short = Timeouts {
        connect: Duration::from_millis(300),
        read: Duration::from_millis(300),
        total: Duration::from_millis(300),
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
            Timeouts {
                connect: Duration::from_secs(5),
                read: Duration::from_millis(read),
                total: Duration::from_millis(total),
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
    sim.inject(fault("incident.comment", FaultKind::Status(503, body)));
    let d = ig.detail(id.clone(), catalog.clone()).await.unwrap();
    assert!(d.partial.is_empty(), "{:?}", d.partial);
    assert_eq!(d.comments, full.comments);

    // The request itself is essential.
    sim.inject(fault("incident", FaultKind::Status(502, String::new())));
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
