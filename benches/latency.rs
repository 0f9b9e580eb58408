//! Key press → frame through the real event loop while the filter worker matches 100,000
//! requests: what an agent feels typing a filter on a big queue. Not a criterion bench (it
//! measures a distribution, not a mean): it types a few hundred keys at typing speed and prints
//! the median, the 99th percentile and the worst. Figures go to BENCHMARKS.md.
//!
//! `cargo bench --bench latency` (optionally `-- 20000` for another queue size).

// A benchmark whose setup fails has nothing to measure: stopping loudly is right.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ttydesk::app::runtime::{Services, run};
use ttydesk::config::Keymap;
use ttydesk::testing::{FixtureProvider, ScreenBackend, ScriptedInput, many, model};
use ttydesk::ui::Theme;

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn main() {
    let n: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(100_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut m = model();
        let (keymap, _) = Keymap::load(&Default::default());
        m.keymap = Arc::new(keymap);
        let services = Services {
            providers: vec![Arc::new(FixtureProvider::new(many(n)))],
            store: None,
        };
        let (mut input, keys) = ScriptedInput::new();
        let (backend, screen) = ScreenBackend::new(200, 50);
        let mut terminal = Terminal::new(backend).unwrap();
        let theme = Theme::default();
        let script = async move {
            let loaded = format!("· {n} ");
            screen
                .wait_for(Duration::from_secs(120), |s| {
                    s.contains(&loaded) && !s.contains("loading")
                })
                .await
                .unwrap_or_else(|last| panic!("never loaded:\n{last}"));
            keys.send(key(KeyCode::Tab)).unwrap();
            keys.send(key(KeyCode::Char('/'))).unwrap();
            screen.settle(Duration::from_millis(300), Duration::from_secs(30)).await;
            let mut latencies = Vec::new();
            let mut passes_running = 0;
            // Type "printer", then erase it, over and over: every key starts a pass over the
            // queue (each backspace a full one), and the next key comes before it ends.
            let word: Vec<char> = "printer".chars().collect();
            for round in 0..30 {
                let strokes = word
                    .iter()
                    .map(|c| KeyCode::Char(*c))
                    .chain(std::iter::repeat_n(KeyCode::Backspace, word.len()));
                let mut typed = String::new();
                for code in strokes {
                    match code {
                        KeyCode::Char(c) => typed.push(c),
                        _ => {
                            typed.pop();
                        }
                    }
                    // The frame that shows this key: the filter line as typed so far. A frame
                    // drawn for something else meanwhile (a pass coming in) does not count.
                    let shows_key = format!("/{typed}▏");
                    let before = screen.frames();
                    let sent = Instant::now();
                    keys.send(key(code)).unwrap();
                    loop {
                        tokio::time::sleep(Duration::from_micros(200)).await;
                        let shot = screen.shot();
                        if shot.frames > before
                            && shot.text.contains(&shows_key)
                            && let Some(at) = shot.last
                        {
                            latencies.push(at.saturating_duration_since(sent));
                            // The title's spinner says a filter pass was still running.
                            if shot.text.contains(['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧']) {
                                passes_running += 1;
                            }
                            break;
                        }
                        if sent.elapsed() > Duration::from_secs(5) {
                            panic!("no frame 5 s after a key (round {round})");
                        }
                    }
                    // Typing speed: about 12 keys a second.
                    tokio::time::sleep(Duration::from_millis(80)).await;
                }
            }
            drop(keys);
            (latencies, passes_running)
        };
        let (model, (mut latencies, running)) = tokio::join!(
            run(&mut terminal, &mut input, m, services, &theme, None),
            script
        );
        model.unwrap();
        latencies.sort();
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
        println!(
            "key press → frame, {n} requests, 200x50, {} keys ({running} drawn while a pass was running): \
             median {:.2} ms, p99 {:.2} ms, worst {:.2} ms",
            latencies.len(),
            at(0.5).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
            latencies.last().unwrap().as_secs_f64() * 1000.0,
        );
    });
}
