//! Per-frame and per-keystroke costs of the console on large queues: drawing the whole screen
//! with the Requests table, a filter pass on the worker, and laying out a huge request
//! description. Figures go to BENCHMARKS.md.

// A benchmark whose setup fails has nothing to measure: stopping loudly is right.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttydesk::app::{Candidate, Focus, MatchJob, Matcher, Model, Msg, Row, SortOrder, update};
use ttydesk::domain::{Capabilities, Page, ProfileId, TicketKey};
use ttydesk::provider::{Answer, Call};
use ttydesk::testing;
use ttydesk::text::SafeText;
use ttydesk::ui::{Theme, render};

use ttydesk::testing::many;

/// A model with `n` requests loaded in its one profile, fed through `update`.
fn loaded(n: usize, size: (u16, u16)) -> Model {
    let tickets = many(n);
    let mut m = testing::model();
    m.size = size;
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::List { .. } => Some(Answer::Page(Ok(Page {
            unreadable: 0,
            items: tickets.clone(),
            next: None,
            total: Some(n as u64),
        }))),
        _ => Some(testing::fixture_answer(p, call)),
    });
    m
}

fn frames(c: &mut Criterion) {
    let theme = Theme::default();
    for (n, (w, h)) in [
        (2_000, (160, 48)),
        (20_000, (160, 48)),
        (100_000, (200, 50)),
    ] {
        let mut m = loaded(n, (w, h));
        assert_eq!(m.requests.len(), n);
        for _ in 0..n / 2 {
            m.requests.cursor += 1;
        }
        m.focus = Focus::Requests;
        let effects = update(
            &mut m,
            Msg::Resize {
                width: w,
                height: h,
            },
        );
        testing::settle(&mut m, effects);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        // Each frame a page further or back (PgDn, PgUp): every row of the table changes, so
        // the diff sends a full table to the backend, not an empty one.
        let (here, page) = (m.requests.cursor, usize::from(h));
        c.bench_function(&format!("frame {w}x{h}, {n} requests"), |b| {
            b.iter(|| {
                let at = if m.requests.cursor == here {
                    here + page
                } else {
                    here
                };
                m.requests.cursor = at;
                m.requests.offset = at;
                terminal
                    .draw(|f| render(f, &m, &theme))
                    .map(|_| ())
                    .unwrap()
            })
        });
    }
}

fn candidates(n: usize) -> Arc<[Candidate]> {
    many(n)
        .into_iter()
        .map(|t| Candidate {
            key: TicketKey::new(ProfileId(0), t.id.clone()),
            row: Arc::new(Row::new(t)),
        })
        .collect()
}

fn filter(c: &mut Criterion) {
    for n in [20_000, 100_000] {
        let candidates = candidates(n);
        let job = |query: &str, generation| MatchJob {
            generation,
            intent: generation,
            candidates: Arc::clone(&candidates),
            query: query.to_string(),
            sort: SortOrder::Newest,
        };
        c.bench_function(&format!("filter pass, {n} requests, 'printer'"), |b| {
            let mut matcher = Matcher::default();
            b.iter(|| {
                // A fresh matcher each time: a full pass, as after a backspace.
                matcher = Matcher::default();
                black_box(
                    matcher
                        .run(&job("printer", 1), &|| false)
                        .unwrap()
                        .rows
                        .len(),
                )
            })
        });
        c.bench_function(
            &format!("filter passes, {n} requests, typing 'printer' key by key"),
            |b| {
                b.iter(|| {
                    let mut matcher = Matcher::default();
                    let mut rows = 0;
                    for end in 1..="printer".len() {
                        rows = matcher
                            .run(&job(&"printer"[..end], end as u64), &|| false)
                            .unwrap()
                            .rows
                            .len();
                    }
                    black_box(rows)
                })
            },
        );
        c.bench_function(&format!("sort by priority, {n} requests, no filter"), |b| {
            let mut matcher = Matcher::default();
            let job = MatchJob {
                sort: SortOrder::Priority,
                ..job("", 1)
            };
            b.iter(|| black_box(matcher.run(&job, &|| false).unwrap().rows.len()))
        });
    }
}

fn detail_layout(c: &mut Criterion) {
    let mut detail = testing::detail("1207");
    // Paragraphs of about 1,000 characters: every one wraps at 80 columns, as a pasted log
    // or mail thread does.
    let paragraph = "connection reset by peer while syncing the mailbox, retrying with backoff; ";
    let body: String = (0..260)
        .map(|i| format!("{i}: {}\n\n", paragraph.repeat(13)))
        .collect();
    assert!(body.len() > 200_000, "{}", body.len());
    detail.description = SafeText::block(&body);
    let detail = Arc::new(detail);
    let mut pane = ttydesk::app::DetailPane::default();
    pane.open(TicketKey::new(ProfileId(0), detail.ticket.id.clone()));
    c.bench_function("detail layout, 200 KB description, new width", |b| {
        let mut width = 80;
        b.iter(|| {
            width = if width == 80 { 81 } else { 80 };
            pane.relayout(
                Some(&detail),
                width,
                Capabilities::EVERYTHING,
                (&[], 0),
                None,
            );
            black_box(pane.lines().len())
        })
    });
    c.bench_function("detail layout, same width (kept)", |b| {
        b.iter(|| {
            pane.relayout(Some(&detail), 80, Capabilities::EVERYTHING, (&[], 0), None);
            black_box(pane.lines().len())
        })
    });
}

criterion_group!(benches, frames, filter, detail_layout);
criterion_main!(benches);
