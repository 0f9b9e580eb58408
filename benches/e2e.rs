//! End to end against the simulator on 127.0.0.1: what the agent waits for after start-up (the
//! catalog, the queue index and every open request's row, 2,000-request demo) and when opening
//! a request, through the real InvGate provider and HTTP stack. Run on a local link and with a
//! simulated 30 ms round trip, to show what the bounded concurrency buys on a slow link.

// A benchmark whose setup fails has nothing to measure: stopping loudly is right.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ttydesk::config::Profile;
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

/// Catalog, then the index, then every row: the whole start-up sequence of the console.
async fn load_board(p: &dyn Provider) -> usize {
    let catalog = Arc::new(p.catalog().await.unwrap());
    let index = p.queue_index(Arc::clone(&catalog)).await.unwrap();
    let ids: Vec<_> = index.entries.iter().map(|e| e.id.clone()).collect();
    // The console asks in chunks of 500 ids, all at once.
    let loads = ids
        .chunks(500)
        .map(|c| p.tickets(c.to_vec(), Arc::clone(&catalog)));
    futures_util::future::join_all(loads)
        .await
        .into_iter()
        .map(|r| r.unwrap().len())
        .sum()
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
        group.bench_function("catalog + index + all open rows", |b| {
            b.iter(|| rt.block_on(load_board(p.as_ref())))
        });
        let catalog = Arc::new(rt.block_on(p.catalog()).unwrap());
        let id = ttydesk::domain::TicketId("2990".into());
        group.bench_function(
            "open one request (detail, comments, links, approvals)",
            |b| {
                b.iter(|| {
                    rt.block_on(p.ticket_detail(id.clone(), Arc::clone(&catalog)))
                        .unwrap()
                })
            },
        );
        group.finish();
        drop(sim);
    }
}

criterion_group!(benches, start_up);
criterion_main!(benches);
