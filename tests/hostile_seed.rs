//! `ttydesk demo --seed hostile`, the real binary on a real terminal (a pty made by `script`,
//! from util-linux): the console opens on the worst vendor data the simulator can serve
//! (escape sequences of every family, C1, bidi and invisible characters in every kind of text,
//! a 20 MB body, HTML 50,000 deep, 1,000 comments, invalid UTF-8, JSON nested too deep, nulls
//! and swapped types), every pane is drawn, nothing panics, and every byte the terminal
//! receives is drawing: no escape sequence, control or invisible character of the payloads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/escapes.rs"]
mod escapes;
mod harness;

use std::path::Path;
use std::time::Duration;

use escapes::{foreign, strip_links};
use harness::pty::Screen;
use tokio::io::AsyncWriteExt;

struct Console {
    child: tokio::process::Child,
    keys: tokio::process::ChildStdin,
    screen: Screen,
}

impl Console {
    fn start(dir: &Path, cols: u16, rows: u16) -> Console {
        let command = format!(
            "stty cols {cols} rows {rows}; exec {} demo --seed hostile",
            env!("CARGO_BIN_EXE_ttydesk")
        );
        let harness::pty::Pty {
            child,
            keys,
            screen,
        } = harness::pty::spawn(&command, |c| {
            c.env("TTYDESK_DATA_DIR", dir.join("data"))
                .env("HOME", dir)
                .env("XDG_CONFIG_HOME", dir.join("config"))
                .env("TERM", "xterm-256color")
                .env("LANG", "C.UTF-8")
                .env_remove("TMUX")
                .env_remove("BROWSER");
        });
        Console {
            child,
            keys,
            screen,
        }
    }

    async fn keys(&mut self, text: &str) {
        self.keys.write_all(text.as_bytes()).await.unwrap();
        self.keys.flush().await.unwrap();
    }

    /// Waits up to 30 s for the screen to show `what`; the screen then, for the caller.
    async fn sees(&self, what: &str) -> String {
        for _ in 0..600 {
            let text = self.screen.text();
            if text.contains(what) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "waited 30 s for {what:?}; the terminal shows:\n{}",
            self.screen.text()
        );
    }

    /// Keys, then a pause for the console to answer them.
    async fn press(&mut self, text: &str, ms: u64) {
        self.keys(text).await;
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    /// `q` (again if the first only closed an overlay), and the console's exit status.
    async fn quit(mut self) -> std::process::ExitStatus {
        for _ in 0..4 {
            // Esc leaves a text field (where `q` is a letter), alone so it is not read as Alt.
            self.press("\x1b", 400).await;
            self.keys("q").await;
            if let Ok(status) =
                tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await
            {
                return status.unwrap();
            }
        }
        panic!(
            "the console did not quit; it shows:\n{}",
            self.screen.text()
        );
    }
}

/// What was sent to the terminal while the console was on it (between entering and leaving
/// the alternate screen), with the console's own links to the simulator's pages taken out.
fn drawn(bytes: &[u8]) -> Vec<u8> {
    let find = |needle: &[u8], from: usize| {
        bytes[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let start = find(b"\x1b[?1049h", 0).expect("the console took the screen") + 8;
    let end = find(b"\x1b[?1049l", start).unwrap_or(bytes.len());
    let part = &bytes[start..end];
    match std::str::from_utf8(part) {
        Ok(text) => strip_links(text, |url| {
            url.starts_with("http://127.0.0.1:") && url.contains("/requests/show/index/id/")
        })
        .into_bytes(),
        Err(_) => part.to_vec(),
    }
}

fn check(bytes: &[u8], what: &str) {
    let drawn = drawn(bytes);
    assert!(
        drawn.len() > 10_000,
        "{what}: the console drew ({} bytes)",
        drawn.len()
    );
    if let Some(found) = foreign(&drawn) {
        panic!("{what}: the terminal received {found}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hostile_seed_opens_draws_every_pane_and_nothing_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let mut console = Console::start(dir.path(), 120, 30);
    // The queues load, and what could not be read is said, not hidden.
    let first = console.sees("could not be read").await;
    assert!(first.contains("Acme IT"), "{first}");

    // Every row of the first two screens of Acme IT's queue, opened and read to the end: the
    // planted requests are the newest open ones.
    console.press("\x1b[B", 200).await; // the Acme IT profile
    console.press("\r", 1500).await; // its queue, with the focus on the rows
    let mut details = Vec::new();
    for _ in 0..30 {
        console.press("\r", 1200).await;
        details.push(console.screen.text());
        console.press("G", 300).await;
        details.push(console.screen.text());
        console.press("h", 200).await;
        console.press("j", 100).await;
    }
    let seen = details.join("\n");
    assert!(seen.contains("Request SD-#"), "requests opened");
    assert!(
        seen.contains("hidden terminal control sequences"),
        "the warning about removed sequences is shown"
    );
    assert!(
        details.iter().any(|d| d.contains("Kind regards")),
        "the body nested 50,000 deep is read as text"
    );
    assert!(
        details.iter().any(|d| d.contains("disk /dev/sda1")),
        "the 20 MB body is shown (cut)"
    );
    assert!(
        details.iter().any(|d| d.contains("Tags and selectors")),
        "the thread of 1,000 comments is shown"
    );
    check(&console.screen.bytes(), "the queue and the requests");

    // The other panes over it, each closed with Esc.
    console.press("h", 200).await;
    for (key, title) in [
        ("A", "Approvals"),
        ("N", "Breaking news"),
        ("?", "help"),
        ("E", "could not be read"),
        ("W", "utbox"),
    ] {
        console.keys(key).await;
        console.sees(title).await;
        console.press("\x1b", 400).await;
    }
    console.keys("K").await;
    console.sees("Knowledge base").await;
    console.press("password\r", 1500).await;
    console.press("\r", 800).await;
    console.press("\x1b", 400).await;
    check(&console.screen.bytes(), "every pane");

    let status = console.quit().await;
    assert!(status.success(), "the console exits cleanly: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hostile_seed_on_a_terminal_of_40_by_10() {
    let dir = tempfile::tempdir().unwrap();
    let mut console = Console::start(dir.path(), 40, 10);
    console.sees("Acme").await;
    console.press("\x1b[B", 200).await;
    console.press("\r", 1500).await;
    let mut seen = String::new();
    for _ in 0..8 {
        console.press("\r", 900).await;
        console.press("G", 200).await;
        seen.push_str(&console.screen.text());
        console.press("h", 200).await;
        console.press("j", 100).await;
    }
    assert!(seen.contains("SD-#"), "requests opened at 40×10:\n{seen}");
    for pane in ["A", "N", "K", "?", "E"] {
        console.press(pane, 600).await;
        console.press("h", 200).await;
    }
    check(&console.screen.bytes(), "40×10");
    assert!(console.quit().await.success());
}
