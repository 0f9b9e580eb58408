//! Per-frame and per-keystroke costs of the console on large queues: drawing the whole screen
//! with the Requests table, rebuilding the list for a fuzzy filter, and laying out a huge
//! request description. Figures go to BENCHMARKS.md.

// A benchmark whose setup fails has nothing to measure: stopping loudly is right.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttydesk::app::{Loaded, Model, Msg, update};
use ttydesk::domain::{QueueEntry, QueueIndex, Ticket, TicketId};
use ttydesk::testing;
use ttydesk::text::SafeText;
use ttydesk::ui::{Theme, render};

/// `n` requests cycling through the fixture rows with distinct ids and titles.
fn many(n: usize) -> (Vec<Ticket>, QueueIndex) {
    let base = testing::tickets();
    let tickets: Vec<Ticket> = (0..n)
        .map(|i| {
            let mut t = base[i % base.len()].clone();
            t.id = TicketId((100_000 + i).to_string());
            t.display_id = SafeText::line(&format!("#{}", 100_000 + i));
            t.title = SafeText::line(&format!("{} (case {i})", t.title));
            t
        })
        .collect();
    let index = QueueIndex {
        entries: tickets
            .iter()
            .map(|t| QueueEntry {
                id: t.id.clone(),
                help_desk_id: t.help_desk.as_ref().map(|d| d.id.clone()),
                status_id: Some(t.status.id.clone()),
            })
            .collect(),
    };
    (tickets, index)
}

/// A model with `n` requests loaded in "All open", by feeding answers through `update`.
fn loaded(n: usize) -> Model {
    let (tickets, index) = many(n);
    let mut m = testing::model();
    let first = update(&mut m, Msg::Start);
    let id = |effects: &[ttydesk::app::Effect], nth: usize| effects[nth].request_id();
    let e = update(
        &mut m,
        Msg::Loaded(
            id(&first, 1),
            Loaded::Catalog(Box::new(Ok(testing::catalog()))),
        ),
    );
    let e = update(&mut m, Msg::Loaded(id(&e, 0), Loaded::Index(Ok(index))));
    for effect in e {
        if let ttydesk::app::Effect::LoadTickets(rid, ids, _) = effect {
            let rows = tickets
                .iter()
                .filter(|t| ids.contains(&t.id))
                .cloned()
                .collect();
            update(&mut m, Msg::Loaded(rid, Loaded::Tickets(Ok(rows))));
        }
    }
    m
}

fn frames(c: &mut Criterion) {
    let theme = Theme::default();
    for n in [2_000, 20_000] {
        let mut m = loaded(n);
        assert_eq!(m.requests.rows.len(), n);
        m.focus = ttydesk::app::Focus::Requests;
        m.requests.cursor = n / 2;
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        c.bench_function(&format!("frame 160x48, {n} requests"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| render(f, &mut m, &theme))
                    .map(|_| ())
                    .unwrap()
            })
        });
    }
}

fn filter(c: &mut Criterion) {
    let (tickets, _) = many(20_000);
    let map: ttydesk::app::TicketCache = tickets.iter().cloned().collect();
    let mut requests = ttydesk::app::RequestsState::default();
    requests.members = tickets.iter().map(|t| t.id.clone()).collect();
    c.bench_function(
        "filter 20000 requests, full pass ('printer' after a backspace)",
        |b| {
            b.iter(|| {
                requests.filter = "printer".into();
                requests.rebuild(black_box(&map));
                black_box(requests.rows.len())
            })
        },
    );
    c.bench_function(
        "filter 20000 requests, typing 'printer' key by key (7 keys)",
        |b| {
            b.iter(|| {
                requests.filter.clear();
                requests.rebuild(&map);
                for ch in "printer".chars() {
                    requests.filter.push(ch);
                    requests.narrow(black_box(&map));
                }
                black_box(requests.rows.len())
            })
        },
    );
}

fn detail_layout(c: &mut Criterion) {
    let mut detail = testing::detail("1207");
    let body: String = (0..4_000)
        .map(|i| format!("line {i}: connection reset by peer while syncing\n"))
        .collect();
    detail.description = SafeText::block(&body);
    let mut state = ttydesk::app::DetailState::default();
    state.open(detail.ticket.id.clone());
    state.data = ttydesk::app::Remote::Loaded {
        data: detail,
        at: testing::now(),
    };
    c.bench_function("detail layout, 200 KB description, new width", |b| {
        let mut width = 80;
        b.iter(|| {
            width = if width == 80 { 81 } else { 80 };
            black_box(state.lines(width).len())
        })
    });
    c.bench_function("detail layout, same width (cached)", |b| {
        b.iter(|| black_box(state.lines(80).len()))
    });
}

criterion_group!(benches, frames, filter, detail_layout);
criterion_main!(benches);
