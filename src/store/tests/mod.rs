//! Tests of the store: what a user of the app would notice (rows kept or lost, files and their
//! modes, notices), through the public API and the crate-private knobs. Shared helpers here;
//! one file per theme below.

mod damaged;
mod files;
mod locks;
mod outbox;
mod rows;
mod thread;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::connect::with_suffix;
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Ticket {
    id: u32,
    title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Counter {
    count: u32,
}

fn ticket(id: u32) -> Ticket {
    Ticket {
        id,
        title: format!("Printer on floor {id} jams"),
    }
}

fn options(dir: &Path) -> StoreOptions {
    StoreOptions {
        path: dir.join("store.sqlite3"),
        journal: JournalChoice::Auto,
        network_fs: Some(false),
    }
}

fn open_ok(options: StoreOptions) -> Opened {
    open(options).expect("the store opens")
}

/// Runs `job` on the store thread and waits for its result (tests only ever wait like this).
fn call<R: Send + 'static>(
    store: &Store,
    job: impl FnOnce(&mut Db) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, StoreError> {
    let (tx, rx) = mpsc::channel();
    store.run(job, move |result| {
        let _ = tx.send(result);
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the store thread answered")
}

fn journal_mode(store: &Store) -> String {
    call(store, |db| {
        db.read("reading the journal mode", |conn| {
            Ok(conn.query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))?)
        })
    })
    .expect("journal mode")
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Drops the handle and waits for the store thread to close the file: in WAL mode, closing the
/// last connection checkpoints the log into the file and deletes `-wal`.
fn close(opened: Opened) {
    let path = call(&opened.store, |db| Ok(db.path().to_path_buf())).expect("path");
    drop(opened);
    wait_until_closed(&path);
}

fn wait_until_closed(path: &Path) {
    let wal = with_suffix(path, "-wal");
    let deadline = Instant::now() + Duration::from_secs(10);
    while wal.exists() {
        assert!(
            Instant::now() < deadline,
            "the store thread did not close the file"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn keys<T>(rows: &[Stored<T>]) -> Vec<&str> {
    rows.iter().map(|row| row.key.as_str()).collect()
}

/// Store files moved aside in `dir` (`*.corrupt-*`, without their `-wal`/`-shm` companions).
fn moved_aside(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let name = path.to_string_lossy();
            name.contains(".corrupt-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .collect();
    found.sort();
    found
}

fn fill(store: &Store, rows: u32) {
    call(store, move |db| {
        db.claim_partition("work", "invgate https://acme.example api")?;
        let tickets: Vec<(String, Ticket)> =
            (0..rows).map(|i| (format!("t{i:05}"), ticket(i))).collect();
        db.put_many(
            "work",
            "ticket",
            tickets.iter().map(|(key, value)| (key.as_str(), value)),
        )
    })
    .expect("rows saved");
}

/// Writes one row into a store that was just replaced by a fresh file and
/// asserts it is the only row there: the store goes on working after damage.
fn assert_works_fresh(store: &Store) {
    let all = call(store, |db| {
        db.claim_partition("work", "invgate https://acme.example api")?;
        db.put("work", "ticket", "new", &ticket(1))?;
        db.all::<Ticket>("work", "ticket")
    })
    .expect("the fresh store works");
    assert_eq!(keys(&all), ["new"]);
}
