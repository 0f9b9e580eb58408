//! Two ttydesk processes of one user sharing one store file (two SSH sessions on a jump host):
//! both write at the same time, neither sees "database is locked", and no row is lost.
//!
//! The test binary re-executes itself (`--exact <test name>`) with an environment variable that
//! turns the copy into a writer, so the two writers are real processes with their own SQLite
//! connections and POSIX locks, not threads sharing one.

// Helpers outside the #[test] functions set up and check; a failure there must stop the test.
#![allow(clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ttydesk::store::{self, Db, JournalChoice, JournalMode, Store, StoreError, StoreOptions};

/// Set in a child: its name ("a" or "b").
const CHILD: &str = "TTYDESK_STORE_TEST_CHILD";
const STORE_PATH: &str = "TTYDESK_STORE_TEST_PATH";
const JOURNAL: &str = "TTYDESK_STORE_TEST_JOURNAL";

const TRANSACTIONS: usize = 50;
const ROWS_PER_TRANSACTION: usize = 20;
const PARTITION: &str = "work";
const FINGERPRINT: &str = "invgate https://acme.example api";

#[test]
fn two_processes_write_one_wal_store_at_once() {
    two_writers(
        "two_processes_write_one_wal_store_at_once",
        JournalChoice::Auto,
    );
}

#[test]
fn two_processes_write_one_rollback_journal_store_at_once() {
    two_writers(
        "two_processes_write_one_rollback_journal_store_at_once",
        JournalChoice::Delete,
    );
}

fn two_writers(test: &str, journal: JournalChoice) {
    if let Ok(name) = std::env::var(CHILD) {
        return child(&name);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // The children race to create the file, as two sessions started together would.
    let path = dir.path().join("store.sqlite3");
    let exe = std::env::current_exe().expect("the test binary");
    let children: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let child = Command::new(&exe)
                .args([test, "--exact", "--test-threads=1", "--nocapture"])
                .env(CHILD, name)
                .env(STORE_PATH, &path)
                .env(JOURNAL, journal_word(journal))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn a writer");
            (name, child)
        })
        .collect();
    for (name, child) in children {
        let out = child.wait_with_output().expect("writer finished");
        assert!(
            out.status.success(),
            "writer {name} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // They really wrote at the same time: each began writing before the other had finished.
    // (SQLite's lock is not fair, so one writer's commits may all come first; the other was
    // waiting for the lock meanwhile, which is the case under test.)
    let (a_began, a_done) = window(dir.path(), "a");
    let (b_began, b_done) = window(dir.path(), "b");
    assert!(
        a_began < b_done && b_began < a_done,
        "the writers did not overlap: a {a_began}..{a_done}, b {b_began}..{b_done}"
    );

    let opened = store::open(options(&path, journal)).expect("the shared store opens");
    let expected_mode = match journal {
        JournalChoice::Auto => JournalMode::Wal,
        JournalChoice::Delete => JournalMode::Delete,
    };
    assert_eq!(opened.journal, expected_mode);
    let rows = call(&opened.store, |db| db.all::<Payload>(PARTITION, "ticket")).expect("rows");
    let keys: BTreeSet<String> = rows.iter().map(|row| row.key.clone()).collect();
    let expected: BTreeSet<String> = ["a", "b"]
        .into_iter()
        .flat_map(|name| {
            (0..TRANSACTIONS)
                .flat_map(move |t| (0..ROWS_PER_TRANSACTION).map(move |r| key(name, t, r)))
        })
        .collect();
    assert_eq!(rows.len(), 2 * TRANSACTIONS * ROWS_PER_TRANSACTION);
    assert_eq!(keys, expected, "every row of both writers is there");
    assert!(
        rows.iter().all(|row| row.value.writer == row.key[..1]),
        "each row holds what its writer saved"
    );
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Payload {
    writer: String,
    transaction: usize,
    title: String,
}

fn key(name: &str, transaction: usize, row: usize) -> String {
    format!("{name}-{transaction:03}-{row:02}")
}

/// One writer: opens the shared store, waits for the common start, then commits its
/// transactions one by one (reading the kind back now and then, as the UI would).
fn child(name: &str) {
    let path = PathBuf::from(std::env::var(STORE_PATH).expect("store path"));
    let journal = match std::env::var(JOURNAL).expect("journal").as_str() {
        "delete" => JournalChoice::Delete,
        _ => JournalChoice::Auto,
    };
    let opened = store::open(options(&path, journal))
        .unwrap_or_else(|e| panic!("writer {name} could not open the store: {e}"));
    call(&opened.store, |db| {
        db.claim_partition(PARTITION, FINGERPRINT)
    })
    .expect("claimed");

    // Both start writing once both are ready, however long each took to start.
    let dir = path.parent().expect("a directory");
    std::fs::write(dir.join(format!("{name}.ready")), "").expect("ready written");
    let started = std::time::Instant::now();
    while !["a", "b"]
        .iter()
        .all(|other| dir.join(format!("{other}.ready")).exists())
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "writer {name}: the other writer never got ready"
        );
        std::thread::sleep(Duration::from_millis(2));
    }

    let (done, replies) = mpsc::channel();
    for t in 0..TRANSACTIONS {
        let name = name.to_owned();
        let done = done.clone();
        opened.store.run(
            move |db| {
                let began = now_ms();
                let rows: Vec<(String, Payload)> = (0..ROWS_PER_TRANSACTION)
                    .map(|r| {
                        let payload = Payload {
                            writer: name.clone(),
                            transaction: t,
                            title: format!("VPN drops every {r} minutes"),
                        };
                        (key(&name, t, r), payload)
                    })
                    .collect();
                db.put_many(
                    PARTITION,
                    "ticket",
                    rows.iter().map(|(key, value)| (key.as_str(), value)),
                )?;
                if t % 10 == 9 {
                    db.all::<Payload>(PARTITION, "ticket")?;
                }
                Ok((began, now_ms()))
            },
            move |result: Result<(u128, u128), StoreError>| {
                let _ = done.send(result);
            },
        );
    }
    let (mut began, mut done) = (u128::MAX, 0);
    for _ in 0..TRANSACTIONS {
        let (job_began, committed) = replies
            .recv_timeout(Duration::from_secs(60))
            .expect("a reply")
            .unwrap_or_else(|e| panic!("writer {name}: a transaction failed: {e}"));
        began = began.min(job_began);
        done = done.max(committed);
    }
    std::fs::write(
        dir.join(format!("{name}.window")),
        format!("{began} {done}"),
    )
    .expect("window written");
}

/// When a writer began its first transaction and committed its last one (unix ms).
fn window(dir: &Path, name: &str) -> (u128, u128) {
    let text = std::fs::read_to_string(dir.join(format!("{name}.window"))).expect("window");
    let mut parts = text
        .split(' ')
        .map(|n| n.parse::<u128>().expect("a number"));
    (parts.next().expect("first"), parts.next().expect("last"))
}

/// The store at `path`, on a file system taken as local whatever TMPDIR is: the WAL test
/// tests WAL.
fn options(path: &Path, journal: JournalChoice) -> StoreOptions {
    StoreOptions {
        path: path.to_path_buf(),
        journal,
        network_fs: Some(false),
    }
}

fn journal_word(journal: JournalChoice) -> &'static str {
    match journal {
        JournalChoice::Delete => "delete",
        _ => "auto",
    }
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn call<R: Send + 'static>(
    store: &Store,
    job: impl FnOnce(&mut Db) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, StoreError> {
    let (tx, rx) = mpsc::channel();
    store.run(job, move |result| {
        let _ = tx.send(result);
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the store thread answered")
}
