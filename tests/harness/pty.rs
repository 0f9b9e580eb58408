//! For tests that run the binary on a real terminal (a pty made by `script`, from util-linux):
//! what the child wrote, read as it comes and played onto a grid of cells as a terminal would,
//! and a patient wait.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Everything the child wrote so far. ratatui redraws only the cells that changed, so the raw
/// bytes may never hold a word whole; [`Screen::text`] plays them onto a grid first.
#[derive(Clone, Default)]
pub struct Screen(Arc<Mutex<Vec<u8>>>);

impl Screen {
    pub fn read_from(&self, mut from: impl tokio::io::AsyncRead + Unpin + Send + 'static) {
        use tokio::io::AsyncReadExt;
        let screen = self.clone();
        tokio::spawn(async move {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = from.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                screen
                    .0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(&chunk[..n]);
            }
        });
    }

    /// The raw bytes, as received.
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The raw bytes, as text.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    /// What the terminal shows now, one line per row: cursor moves (`CSI row;col H`), line and
    /// screen clears and text are played onto a grid; colours and modes are skipped.
    pub fn text(&self) -> String {
        let raw = self.raw();
        let mut grid: Vec<Vec<char>> = Vec::new();
        let (mut row, mut col) = (0usize, 0usize);
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\u{1b}' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        let mut last = ' ';
                        for p in chars.by_ref() {
                            if ('@'..='~').contains(&p) {
                                last = p;
                                break;
                            }
                            params.push(p);
                        }
                        let nums: Vec<usize> = params
                            .trim_start_matches('?')
                            .split(';')
                            .map(|n| n.parse().unwrap_or(0))
                            .collect();
                        let at = |i: usize| nums.get(i).copied().unwrap_or(0).max(1) - 1;
                        match last {
                            'H' | 'f' => (row, col) = (at(0), at(1)),
                            'J' if nums.first() == Some(&2) => grid.clear(),
                            'K' => {
                                if let Some(line) = grid.get_mut(row) {
                                    line.truncate(col);
                                }
                            }
                            _ => {}
                        }
                    }
                    // OSC: up to BEL or ST.
                    Some(']') => {
                        while let Some(p) = chars.next() {
                            if p == '\u{7}' || (p == '\u{1b}' && chars.next_if_eq(&'\\').is_some())
                            {
                                break;
                            }
                        }
                    }
                    Some('(' | ')') => {
                        chars.next();
                    }
                    _ => {}
                },
                '\r' => col = 0,
                '\n' => row += 1,
                '\u{8}' => col = col.saturating_sub(1),
                c if c.is_control() => {}
                c => {
                    if grid.len() <= row {
                        grid.resize(row + 1, Vec::new());
                    }
                    let line = &mut grid[row];
                    if line.len() <= col {
                        line.resize(col + 1, ' ');
                    }
                    line[col] = c;
                    let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(1);
                    // The cell a wide character also covers.
                    if width == 2 {
                        if line.len() <= col + 1 {
                            line.resize(col + 2, ' ');
                        }
                        line[col + 1] = ' ';
                    }
                    col += width.max(1);
                }
            }
        }
        grid.into_iter()
            .map(|line| line.into_iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Waits up to 20 s for `done`, checking every 50 ms.
pub async fn wait_for(what: &str, done: impl Fn() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("waited 20 s for {what}");
}

/// A shell `command` on a real terminal made by `script`, as a person's terminal runs it: keys
/// go to its standard input, what it writes is read into a [`Screen`]. `env` adds to the
/// environment (`TTYDESK_CONFIG` is never inherited). Killed when dropped.
pub struct Pty {
    pub child: tokio::process::Child,
    pub keys: tokio::process::ChildStdin,
    pub screen: Screen,
}

pub fn spawn(command: &str, env: impl FnOnce(&mut tokio::process::Command)) -> Pty {
    let mut cmd = tokio::process::Command::new("script");
    cmd.args(["-qec", command, "/dev/null"])
        .env_remove("TTYDESK_CONFIG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    env(&mut cmd);
    let mut child = cmd
        .spawn()
        .expect("this test needs `script` (util-linux) to make a real terminal");
    let screen = Screen::default();
    if let Some(out) = child.stdout.take() {
        screen.read_from(out);
    }
    let keys = child.stdin.take().expect("stdin is piped");
    Pty {
        child,
        keys,
        screen,
    }
}
