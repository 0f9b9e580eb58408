//! Contract tests: the real InvGate provider against the project's simulator. They check what
//! goes over the wire (endpoints, parameter names, PHP arrays, Basic auth, batching, paging) and
//! what comes back (names resolved, comments and custom fields mapped, errors classified).

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ttydesk::domain::{
    Catalog, CountScope, Cursor, DeskId, QueueQuery, StatusId, StatusScope, Ticket, TicketId,
    Visibility,
};
use ttydesk::provider::Provider;
use ttydesk::provider::invgate::InvGate;
use ttydesk::sim::SimOptions;

mod invgate_support;

use invgate_support::*;

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
