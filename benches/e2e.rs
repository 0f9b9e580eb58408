//! End to end against the simulator on 127.0.0.1: what the agent waits for after start-up (the
//! catalog, the counts and every open request's row, 2,000-request demo), when opening a
//! request, for the first approvals scan, and in the Breaking news and Knowledge base panes,
//! through the real InvGate provider and HTTP stack.
//! Run on a local link and with a simulated 30 ms round trip, to show what the bounded
//! concurrency buys on a slow link.

// A benchmark whose setup fails has nothing to measure: stopping loudly is right.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ttydesk::config::Profile;
use ttydesk::domain::{Catalog, CountScope, KbQuery, QueueQuery, TicketId};
use ttydesk::provider::Provider;
use ttydesk::sim::{SimHandle, SimOptions};

async fn provider(sim: &SimHandle) -> Arc<dyn Provider> {
    let profile = Profile {
        timeout_secs: Some(30),
        ..ttydesk::cli::sim_profile(sim)
    };
    ttydesk::cli::connect("bench", &profile)
        .await
        .unwrap()
        .provider
}

/// Every open request's id, from the listing.
async fn open_ids(p: &dyn Provider, catalog: &Arc<Catalog>) -> Vec<TicketId> {
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let page = p
            .list(QueueQuery::open(), cursor, Arc::clone(catalog))
            .await
            .unwrap();
        ids.extend(page.items.into_iter().map(|t| t.id));
        match page.next {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
}

/// The first approvals scan on a machine: every open request's pending approvals and their
/// voters, 25 requests per call, one call after the other, as the console sends them.
async fn scan_approvals(p: &dyn Provider, catalog: &Arc<Catalog>, ids: &[TicketId]) -> usize {
    let mut pending = 0;
    for chunk in ids.chunks(25) {
        let read = p
            .pending_approvals(chunk.to_vec(), Arc::clone(catalog))
            .await
            .unwrap();
        pending += read
            .iter()
            .filter_map(|t| t.pending.as_ref().ok())
            .map(Vec::len)
            .sum::<usize>();
    }
    pending
}

/// Catalog, then counts and the listing together, page after page: the console's start-up.
async fn load_board(p: &dyn Provider) -> usize {
    let catalog = Arc::new(p.catalog().await.unwrap());
    let (counts, first) = tokio::join!(
        p.counts(CountScope::Open, Arc::clone(&catalog)),
        p.list(QueueQuery::open(), None, Arc::clone(&catalog)),
    );
    counts.unwrap();
    let mut page = first.unwrap();
    let mut rows = page.items.len();
    while let Some(next) = page.next.take() {
        page = p
            .list(QueueQuery::open(), Some(next), Arc::clone(&catalog))
            .await
            .unwrap();
        rows += page.items.len();
    }
    rows
}

fn start_up(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for latency_ms in [0, 30] {
        let (sim, p) = rt.block_on(async {
            let sim = SimHandle::start(SimOptions {
                latency: Duration::from_millis(latency_ms),
                ..SimOptions::default()
            })
            .await
            .unwrap();
            let p = provider(&sim).await;
            (sim, p)
        });
        let mut group = c.benchmark_group(format!("demo start-up, {latency_ms} ms per call"));
        group.sample_size(10);
        // A fresh provider each time: a provider reuses a join made in the last 5 s, which a
        // console starting up has not made yet.
        group.bench_function("catalog + counts + all open rows", |b| {
            b.iter_batched(
                || rt.block_on(provider(&sim)),
                |fresh| rt.block_on(load_board(fresh.as_ref())),
                criterion::BatchSize::PerIteration,
            )
        });
        let catalog = Arc::new(rt.block_on(p.catalog()).unwrap());
        let id = TicketId::from("2990");
        group.bench_function(
            "open one request (detail, comments, links, approvals)",
            |b| {
                b.iter(|| {
                    rt.block_on(p.detail(id.clone(), Arc::clone(&catalog)))
                        .unwrap()
                })
            },
        );
        let ids = rt.block_on(open_ids(p.as_ref(), &catalog));
        group.bench_function("first approvals scan of every open request", |b| {
            b.iter(|| rt.block_on(scan_approvals(p.as_ref(), &catalog, &ids)))
        });
        bench_news_kb(&mut group, &rt, p.as_ref(), &catalog);
        group.finish();
        drop(sim);
    }
}

/// What the Breaking news and Knowledge base panes wait for: the news list, one item with its
/// timeline, a search as the pane sends it (30 hits at most), and opening the best hit.
fn bench_news_kb(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    rt: &tokio::runtime::Runtime,
    p: &dyn Provider,
    catalog: &Arc<Catalog>,
) {
    group.bench_function("breaking news: every item", |b| {
        b.iter(|| rt.block_on(p.news(Arc::clone(catalog))).unwrap().len())
    });
    let news = rt.block_on(p.news(Arc::clone(catalog))).unwrap();
    let item = news.first().map(|n| n.id.clone()).unwrap();
    group.bench_function("breaking news: one item with its timeline", |b| {
        b.iter(|| {
            rt.block_on(p.news_detail(item.clone(), Arc::clone(catalog)))
                .unwrap()
        })
    });
    let query = KbQuery {
        words: "printer network vpn".into(),
        min_score: None,
        limit: 30,
    };
    group.bench_function("knowledge base: search, 30 hits at most", |b| {
        b.iter(|| rt.block_on(p.kb_search(query.clone())).unwrap().len())
    });
    let hits = rt.block_on(p.kb_search(query.clone())).unwrap();
    let best = hits.first().map(|h| h.article.id.clone()).unwrap();
    group.bench_function("knowledge base: open the best hit", |b| {
        b.iter(|| rt.block_on(p.kb_articles(vec![best.clone()])).unwrap())
    });
}

criterion_group!(benches, start_up);
criterion_main!(benches);
