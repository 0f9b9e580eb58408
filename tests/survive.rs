//! What the agent typed survives the worst: the process SIGKILLed while a reply is being
//! written (the draft comes back), and SIGKILLed with a reply waiting in the outbox while the
//! server cannot be reached (after a restart and reconnection it is delivered exactly once).
//! The binary runs on a real terminal made by `script` (util-linux), against the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use harness::pty::{Screen, wait_for};
use tokio::io::AsyncWriteExt;
use ttydesk::sim::{Instance, SimHandle};

/// A console process on a pty, and the pid of ttydesk itself (for SIGKILL).
struct Running {
    child: tokio::process::Child,
    keys: tokio::process::ChildStdin,
    screen: Screen,
    pid_file: PathBuf,
}

impl Running {
    async fn start(dir: &Path, config: &Path) -> Running {
        let pid_file = dir.join(format!("pid-{}", rand_suffix()));
        let command = format!(
            "stty cols 120 rows 30; echo $$ > '{}'; exec {} --config '{}'",
            pid_file.display(),
            env!("CARGO_BIN_EXE_ttydesk"),
            config.display()
        );
        let harness::pty::Pty {
            child,
            keys,
            screen,
        } = harness::pty::spawn(&command, |c| {
            c.env("TTYDESK_DATA_DIR", dir.join("data"));
        });
        Running {
            child,
            keys,
            screen,
            pid_file,
        }
    }

    async fn keys(&mut self, text: &str) {
        self.keys.write_all(text.as_bytes()).await.unwrap();
        self.keys.flush().await.unwrap();
    }

    async fn sees(&self, what: &str) {
        for _ in 0..400 {
            if self.screen.text().contains(what) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let text = self.screen.text();
        let tail: String = text
            .chars()
            .rev()
            .take(3000)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        panic!("waited 20 s for {what:?}; the terminal got, last:\n{tail:?}");
    }

    /// SIGKILL to ttydesk itself: no destructor, no flush, no goodbye.
    async fn kill(mut self) {
        let pid = std::fs::read_to_string(&self.pid_file).unwrap();
        let status = std::process::Command::new("kill")
            .args(["-KILL", pid.trim()])
            .status()
            .unwrap();
        assert!(status.success());
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }

    async fn quit(mut self) {
        self.keys("q").await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn config(dir: &Path, sim: &SimHandle) -> PathBuf {
    let path = dir.join("ttydesk.toml");
    let text = format!(
        "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"{}\"\nusername = \"{}\"\n\
         token = \"{}\"\nallow_token_in_file = true\ntimeout_secs = 3\nagent = \"{}\"\n",
        sim.base_url(),
        sim.username(),
        sim.password(),
        harness::agent_login(sim)
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// Opens the first request of the queue.
async fn open_first(console: &mut Running) {
    console.sees("refreshed").await;
    console.keys("\t\r").await;
    console.sees("Description").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_sigkill_and_is_offered_back() {
    let sim = harness::sim(Instance::It).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &sim);

    let mut first = Running::start(dir.path(), &config).await;
    open_first(&mut first).await;
    first.keys("c").await;
    first.sees("Public reply").await;
    first.keys("Half-written answer").await;
    first.sees("answer").await;
    // Past the draft's debounce, then gone without a word.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    first.kill().await;

    let mut second = Running::start(dir.path(), &config).await;
    open_first(&mut second).await;
    // The screen is drawn cell by cell: words, not sentences, arrive in one piece.
    second.sees("unsent").await;
    second.keys("c").await;
    second.sees("Half-written").await;
    second.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_pending_when_killed_offline_is_delivered_once_after_restart() {
    let sim = harness::sim(Instance::It).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &sim);

    let mut first = Running::start(dir.path(), &config).await;
    open_first(&mut first).await;
    // The network goes down while the agent writes.
    sim.set_refusing(true);
    first.keys("c").await;
    first.sees("Public reply").await;
    first.keys("Sent while offline").await;
    first.keys("\x13").await; // ctrl-s
    first.sees("pending").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.kill().await;

    sim.set_refusing(false);
    let second = Running::start(dir.path(), &config).await;
    let delivered = || {
        sim.dataset()
            .requests
            .iter()
            .map(|r| {
                r.comments
                    .iter()
                    .filter(|c| c.message.contains("Sent while offline"))
                    .count()
            })
            .sum::<usize>()
    };
    wait_for("the reply to be delivered", || delivered() > 0).await;
    // Long enough for a second delivery to show, had there been one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(delivered(), 1);
    second.quit().await;
}
