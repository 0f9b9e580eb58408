//! Tests of the store: what a user of the app would notice (rows kept or lost, files and their
//! modes, notices), through the public API and the crate-private knobs.

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

#[test]
fn rows_round_trip_through_put_get_all_put_many_delete_and_prune() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    let before = unix_now();
    call(&opened.store, move |db| {
        assert!(!db.claim_partition("work", "invgate https://acme.example api")?);
        assert_eq!(db.get::<Ticket>("work", "ticket", "1")?, None);

        db.put("work", "ticket", "1", &ticket(1))?;
        db.put("work", "ticket", "2", &ticket(2))?;
        let one = db.get::<Ticket>("work", "ticket", "1")?.expect("row 1");
        assert_eq!(one.key, "1");
        assert_eq!(one.value, ticket(1));
        assert!(one.saved_at >= before && one.saved_at <= unix_now());

        // Replacing a row keeps one row and makes it the newest.
        let renamed = Ticket {
            id: 1,
            title: "Printer fixed".into(),
        };
        db.put("work", "ticket", "1", &renamed)?;
        let all = db.all::<Ticket>("work", "ticket")?;
        assert_eq!(keys(&all), ["1", "2"]);
        assert_eq!(all[0].value, renamed);

        let batch: Vec<(String, Ticket)> = (3..=7).map(|i| (i.to_string(), ticket(i))).collect();
        db.put_many(
            "work",
            "ticket",
            batch.iter().map(|(key, value)| (key.as_str(), value)),
        )?;
        assert_eq!(
            keys(&db.all::<Ticket>("work", "ticket")?),
            ["7", "6", "5", "4", "3", "1", "2"]
        );
        // Kinds are apart: another kind sees none of these rows.
        assert!(db.all::<Ticket>("work", "draft")?.is_empty());

        db.delete("work", "ticket", "5")?;
        db.delete("work", "ticket", "no such key")?;
        assert_eq!(db.get::<Ticket>("work", "ticket", "5")?, None);

        db.prune("work", "ticket", 3)?;
        assert_eq!(keys(&db.all::<Ticket>("work", "ticket")?), ["7", "6", "4"]);
        db.prune("work", "ticket", 10)?;
        assert_eq!(db.all::<Ticket>("work", "ticket")?.len(), 3);
        db.prune("work", "ticket", 0)?;
        assert!(db.all::<Ticket>("work", "ticket")?.is_empty());
        Ok(())
    })
    .expect("round trip");
}

#[test]
fn rows_survive_closing_and_reopening_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    fill(&opened.store, 3);
    close(opened);
    let opened = open_ok(options(dir.path()));
    let all = call(&opened.store, |db| db.all::<Ticket>("work", "ticket")).expect("rows");
    assert_eq!(keys(&all), ["t00002", "t00001", "t00000"]);
    assert!(opened.notices.is_empty(), "{:?}", opened.notices);
}

#[test]
fn claiming_a_partition_wipes_it_on_a_new_fingerprint_and_keeps_it_on_the_same_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        assert!(!db.claim_partition("work", "invgate https://a.example api")?);
        assert!(!db.claim_partition("home", "iden https://b.example me")?);
        db.put("work", "ticket", "1", &ticket(1))?;
        db.put("home", "ticket", "1", &ticket(100))?;

        assert!(!db.claim_partition("work", "invgate https://a.example api")?);
        assert_eq!(db.all::<Ticket>("work", "ticket")?.len(), 1);

        // The profile now points at another server: its old rows must not show.
        assert!(db.claim_partition("work", "invgate https://other.example api")?);
        assert!(db.all::<Ticket>("work", "ticket")?.is_empty());
        // Other partitions are not touched.
        let home = db.get::<Ticket>("home", "ticket", "1")?.expect("home row");
        assert_eq!(home.value, ticket(100));
        // And the new fingerprint is the one remembered.
        assert!(!db.claim_partition("work", "invgate https://other.example api")?);
        Ok(())
    })
    .expect("claims");
}

#[test]
fn writing_to_a_partition_nobody_claimed_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    let error = call(&opened.store, |db| {
        db.put("work", "ticket", "1", &ticket(1))
    })
    .expect_err("an unclaimed partition");
    assert!(
        matches!(error, StoreError::PartitionNotClaimed { ref partition } if partition == "work")
    );
    assert!(
        error.to_string().contains("\"work\" was not claimed"),
        "{error}"
    );
}

#[test]
fn a_row_that_no_longer_decodes_reads_as_absent_and_is_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        db.claim_partition("work", "fp")?;
        db.put("work", "ticket", "a", &ticket(1))?;
        db.put("work", "ticket", "b", &ticket(2))?;
        db.put("work", "ticket", "c", &Counter { count: 3 })?;

        // The app's type changed under row "a": absent, and gone for good.
        assert_eq!(db.get::<Counter>("work", "ticket", "a")?, None);
        assert_eq!(db.get::<Ticket>("work", "ticket", "a")?, None);

        // Reading all as Ticket leaves "c" out and deletes it.
        let all = db.all::<Ticket>("work", "ticket")?;
        assert_eq!(keys(&all), ["b"]);
        assert_eq!(db.get::<Counter>("work", "ticket", "c")?, None);
        assert_eq!(db.all::<serde_json::Value>("work", "ticket")?.len(), 1);
        Ok(())
    })
    .expect("decoding");
}

/// Collects what a `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn dropping_an_undecodable_row_logs_its_address_but_not_its_contents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    let log = Captured::default();
    let writer = log.clone();
    call(&opened.store, move |db| {
        db.claim_partition("work", "fp")?;
        // serde's own message for this row would quote it: "invalid type: string \"Payroll…".
        let private = serde_json::json!({ "count": "Payroll of Jane Doe is wrong" });
        db.put("work", "ticket", "t7", &private)?;
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        // The job runs on the store thread, so that is where the subscriber must be.
        tracing::subscriber::with_default(subscriber, || {
            db.get::<Counter>("work", "ticket", "t7").map(drop)
        })
    })
    .expect("read");
    let text = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("utf-8");
    assert!(text.contains("DEBUG"), "{text}");
    assert!(text.contains("no longer decodes"), "{text}");
    assert!(
        text.contains("work") && text.contains("ticket") && text.contains("t7"),
        "{text}"
    );
    assert!(
        !text.contains("Jane Doe"),
        "the row's contents stay out of the log: {text}"
    );
}

#[test]
fn an_error_never_quotes_the_row_it_is_about() {
    struct Unencodable;
    impl Serialize for Unencodable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom(
                "cannot encode 'Payroll of Jane Doe'",
            ))
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    let error = call(&opened.store, |db| {
        db.claim_partition("work", "fp")?;
        db.put("work", "draft", "d1", &Unencodable)
    })
    .expect_err("cannot be encoded");
    let message = error.to_string();
    assert!(matches!(error, StoreError::Encode { .. }), "{error:?}");
    assert!(
        message.contains("\"draft\"") && message.contains("\"d1\""),
        "{message}"
    );
    assert!(!message.contains("Jane Doe"), "{message}");
    // Nothing was saved.
    let draft = call(&opened.store, |db| db.get::<String>("work", "draft", "d1")).expect("read");
    assert_eq!(draft, None);
}

#[test]
fn jobs_run_in_order_on_the_store_thread_and_sending_one_never_waits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    let (release, blocked) = mpsc::channel::<()>();
    let (done, replies) = mpsc::channel::<(usize, Option<String>)>();

    // The first job holds the store thread until the test lets it go.
    let first = done.clone();
    opened.store.run(
        move |_db| {
            blocked
                .recv_timeout(Duration::from_secs(30))
                .expect("released");
            Ok(std::thread::current().name().map(str::to_owned))
        },
        move |result| {
            let _ = first.send((0, result.expect("first job")));
        },
    );
    let started = Instant::now();
    for n in 1..=20 {
        let done = done.clone();
        opened.store.run(
            move |db| {
                if n == 1 {
                    db.claim_partition("work", "fp")?;
                }
                db.put("work", "order", &n.to_string(), &n)?;
                Ok(std::thread::current().name().map(str::to_owned))
            },
            move |result| {
                let _ = done.send((n, result.expect("job")));
            },
        );
    }
    // Twenty jobs were queued while the thread was busy: sending did not wait for it.
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        replies.try_recv().is_err(),
        "nothing ran past the blocked job"
    );
    release.send(()).expect("release");

    for expected in 0..=20 {
        let (n, thread) = replies
            .recv_timeout(Duration::from_secs(30))
            .expect("a reply");
        assert_eq!(n, expected, "jobs answer in the order they were sent");
        assert_eq!(thread.as_deref(), Some(THREAD_NAME));
    }
    let newest = call(&opened.store, |db| db.all::<usize>("work", "order")).expect("rows");
    assert_eq!(newest.first().map(|row| row.value), Some(20));
}

#[test]
fn dropping_the_last_handle_ends_the_thread_after_the_queued_jobs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    let path = dir.path().join("store.sqlite3");
    let store = opened.store.clone();
    drop(opened);
    call(&store, |db| db.claim_partition("work", "fp").map(drop)).expect("claimed");
    // A slow first job, so that the handles are all gone while the others still wait.
    store.spawn(|db| {
        std::thread::sleep(Duration::from_millis(200));
        db.put("work", "n", "slow", &0)
    });
    let second = store.clone();
    for n in 0..50 {
        second.spawn(move |db| db.put("work", "n", &n.to_string(), &n));
    }
    assert!(
        with_suffix(&path, "-wal").exists(),
        "the file is still open"
    );
    drop(second);
    drop(store);
    // Only the end of the thread closes the connection (and deletes the -wal).
    wait_until_closed(&path);

    let opened = open_ok(options(dir.path()));
    let all = call(&opened.store, |db| db.all::<u32>("work", "n")).expect("rows");
    assert_eq!(all.len(), 51, "every job queued before the drop ran");
}

#[test]
fn a_panicking_job_rolls_back_and_the_store_carries_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        db.claim_partition("work", "fp").map(drop)
    })
    .expect("claimed");
    let result = call(&opened.store, |db| {
        db.write::<()>("a job that panics", |tx| {
            tx.execute(
                "INSERT INTO rows (partition, kind, key, saved_at, seq, body)
                 VALUES ('work', 'n', 'half-done', 0, 1, '1')",
                [],
            )?;
            panic!("a bug in a job");
        })
    });
    assert!(matches!(result, Err(StoreError::JobPanicked)), "{result:?}");
    call(&opened.store, |db| {
        assert_eq!(db.get::<u32>("work", "n", "half-done")?, None);
        db.put("work", "n", "after", &1)?;
        assert!(db.get::<u32>("work", "n", "after")?.is_some());
        Ok(())
    })
    .expect("the store still works");
}

#[test]
fn the_file_and_its_wal_and_shm_are_private_and_new_directories_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("data").join("ttydesk");
    let opened = open_ok(options(&nested));
    let path = nested.join("store.sqlite3");
    fill(&opened.store, 10);

    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&with_suffix(&path, "-wal")), 0o600);
    assert_eq!(mode(&with_suffix(&path, "-shm")), 0o600);
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    assert_eq!(mode(&nested), 0o700);
}

#[test]
fn an_existing_file_readable_by_others_is_made_private() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    fs::write(&path, b"").expect("empty file");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    let _opened = open_ok(options(dir.path()));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn the_journal_is_wal_on_a_local_disk_and_a_rollback_journal_when_asked_or_on_a_network_fs() {
    let dir = tempfile::tempdir().expect("temp dir");

    let local = open_ok(options(&dir.path().join("local")));
    assert_eq!(local.journal, JournalMode::Wal);
    assert_eq!(journal_mode(&local.store), "wal");
    assert!(local.notices.is_empty(), "{:?}", local.notices);

    let asked = open_ok(StoreOptions {
        journal: JournalChoice::Delete,
        ..options(&dir.path().join("asked"))
    });
    assert_eq!(asked.journal, JournalMode::Delete);
    assert_eq!(journal_mode(&asked.store), "delete");
    assert!(asked.notices.is_empty(), "asked for, so nothing to explain");

    let network = open_ok(StoreOptions {
        network_fs: Some(true),
        ..options(&dir.path().join("network"))
    });
    assert_eq!(network.journal, JournalMode::Delete);
    assert_eq!(journal_mode(&network.store), "delete");
    assert_eq!(network.notices.len(), 1, "{:?}", network.notices);
    assert!(network.notices[0].contains("network file system"));
    assert!(network.notices[0].contains("rollback journal"));
    fill(&network.store, 5);
    assert!(!with_suffix(&network_path(dir.path()), "-wal").exists());

    // A store that was WAL goes to a rollback journal when reopened with Delete.
    close(local);
    let reopened = open_ok(StoreOptions {
        journal: JournalChoice::Delete,
        ..options(&dir.path().join("local"))
    });
    assert_eq!(journal_mode(&reopened.store), "delete");
}

fn network_path(dir: &Path) -> PathBuf {
    dir.join("network").join("store.sqlite3")
}

#[test]
fn a_garbage_file_is_moved_aside_and_a_fresh_store_takes_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    fs::write(&path, &garbage).expect("garbage");
    fs::write(with_suffix(&path, "-wal"), b"stale log").expect("stale wal");

    let opened = open_ok(options(dir.path()));
    let moved = moved_aside(dir.path());
    assert_eq!(moved.len(), 1, "{moved:?}");
    let moved_file = &moved[0];
    assert_eq!(fs::read(moved_file).expect("moved file"), garbage);
    assert_eq!(
        fs::read(with_suffix(moved_file, "-wal")).expect("moved wal"),
        b"stale log",
        "the -wal went with its file"
    );
    assert_eq!(opened.notices.len(), 1, "{:?}", opened.notices);
    assert!(
        opened.notices[0].contains(&moved_file.display().to_string()),
        "the notice names where the old file went: {}",
        opened.notices[0]
    );

    fill(&opened.store, 3);
    let all = call(&opened.store, |db| db.all::<Ticket>("work", "ticket")).expect("rows");
    assert_eq!(all.len(), 3);
}

#[test]
fn a_truncated_database_is_moved_aside_and_a_fresh_store_takes_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    let opened = open_ok(options(dir.path()));
    fill(&opened.store, 2000);
    close(opened);
    let full = fs::metadata(&path).expect("store file").len();
    assert!(full > 64 * 1024, "a file of many pages: {full}");
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|file| file.set_len(full / 2))
        .expect("truncated");

    let opened = open_ok(options(dir.path()));
    let moved = moved_aside(dir.path());
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(fs::metadata(&moved[0]).expect("moved").len(), full / 2);
    assert!(opened.notices[0].contains(&moved[0].display().to_string()));
    let all = call(&opened.store, |db| {
        db.claim_partition("work", "invgate https://acme.example api")?;
        db.put("work", "ticket", "new", &ticket(1))?;
        db.all::<Ticket>("work", "ticket")
    })
    .expect("the fresh store works");
    assert_eq!(keys(&all), ["new"]);
}

/// Scribbles over pages in the middle of the file, where the rows are; the header and the
/// schema on page 1 stay intact, so opening does not notice.
fn scribble_over_the_middle(path: &Path) {
    let mut bytes = fs::read(path).expect("store file");
    let len = bytes.len();
    for (i, byte) in bytes[len * 2 / 5..len * 4 / 5].iter_mut().enumerate() {
        *byte = (i % 253) as u8 ^ 0xA5;
    }
    fs::write(path, &bytes).expect("scribbled");
}

#[test]
fn corruption_met_while_reading_moves_the_file_aside_and_the_store_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    let opened = open_ok(options(dir.path()));
    fill(&opened.store, 2000);
    close(opened);

    scribble_over_the_middle(&path);

    let opened = open_ok(options(dir.path()));
    assert!(moved_aside(dir.path()).is_empty());
    let error = call(&opened.store, |db| db.all::<Ticket>("work", "ticket"))
        .expect_err("the damage is found while reading");
    let StoreError::Corrupt {
        moved_to: Some(moved_to),
        ..
    } = &error
    else {
        panic!("expected Corrupt with the new place, got {error:?}");
    };
    assert!(moved_to.exists());
    assert_eq!(moved_aside(dir.path()), std::slice::from_ref(moved_to));
    assert!(
        error.to_string().contains(&moved_to.display().to_string()),
        "{error}"
    );

    let all = call(&opened.store, |db| {
        db.claim_partition("work", "invgate https://acme.example api")?;
        db.put("work", "ticket", "new", &ticket(1))?;
        db.all::<Ticket>("work", "ticket")
    })
    .expect("the store goes on with a fresh file");
    assert_eq!(keys(&all), ["new"]);
}

#[test]
fn corruption_met_after_another_process_moved_the_file_leaves_that_file_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    let opened = open_ok(options(dir.path()));
    fill(&opened.store, 2000);
    close(opened);
    scribble_over_the_middle(&path);

    let opened = open_ok(options(dir.path()));
    // Another ttydesk sharing the file met the damage first and moved the file away.
    let elsewhere = dir.path().join("moved-by-the-other-process");
    fs::rename(&path, &elsewhere).expect("moved by the other process");
    let before = fs::read(&elsewhere).expect("moved file");

    let error = call(&opened.store, |db| db.all::<Ticket>("work", "ticket"))
        .expect_err("the damage is found while reading");
    assert!(
        matches!(error, StoreError::Corrupt { moved_to: None, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("another ttydesk"), "{error}");
    // The other process's file is not moved again, nor its name reused.
    assert_eq!(fs::read(&elsewhere).expect("moved file"), before);
    assert!(moved_aside(dir.path()).is_empty());
    let all = call(&opened.store, |db| {
        db.claim_partition("work", "fp")?;
        db.put("work", "ticket", "new", &ticket(1))?;
        db.all::<Ticket>("work", "ticket")
    })
    .expect("a fresh store at the path");
    assert_eq!(keys(&all), ["new"]);
}

#[test]
fn a_schema_newer_than_this_binary_is_refused_and_the_file_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    close({
        let opened = open_ok(options(dir.path()));
        fill(&opened.store, 10);
        opened
    });
    let newer = schema::latest_version() + 3;
    {
        let conn = rusqlite::Connection::open(&path).expect("raw connection");
        conn.pragma_update(None, "user_version", i64::try_from(newer).expect("small"))
            .expect("user_version");
    }
    let before = fs::read(&path).expect("file");

    let error = open(options(dir.path())).expect_err("a newer schema");
    assert!(
        matches!(error, StoreError::SchemaTooNew { found, known, .. }
            if found == newer && known == schema::latest_version()),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("newer ttydesk"), "{message}");
    assert!(message.contains("left untouched"), "{message}");

    assert_eq!(
        fs::read(&path).expect("file"),
        before,
        "not one byte changed"
    );
    assert!(moved_aside(dir.path()).is_empty());
}

/// A second connection to the file, as another ttydesk process would hold, that takes the
/// write lock and keeps it for `hold`.
fn hold_write_lock(
    path: &Path,
    hold: Duration,
) -> (std::thread::JoinHandle<()>, mpsc::Receiver<()>) {
    let path = path.to_path_buf();
    let (locked, is_locked) = mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&path).expect("second connection");
        conn.execute_batch("BEGIN IMMEDIATE").expect("write lock");
        locked.send(()).expect("tell");
        std::thread::sleep(hold);
        conn.execute_batch("COMMIT").expect("release");
    });
    (holder, is_locked)
}

#[test]
fn a_lock_held_past_the_busy_timeout_is_waited_out_with_backoff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        db.claim_partition("work", "fp")?;
        db.set_busy_policy(
            Duration::from_millis(50),
            vec![
                Duration::from_millis(100),
                Duration::from_millis(200),
                Duration::from_millis(400),
            ],
        )
    })
    .expect("short timeouts");

    let (holder, is_locked) = hold_write_lock(&path, Duration::from_millis(400));
    is_locked.recv().expect("locked");
    let started = Instant::now();
    let saved = call(&opened.store, |db| {
        db.put("work", "ticket", "1", &ticket(1))
    });
    let waited = started.elapsed();
    holder.join().expect("holder");
    saved.expect("the write went through once the lock was released");
    assert!(
        waited >= Duration::from_millis(300),
        "it did wait: {waited:?}"
    );
    let row = call(&opened.store, |db| db.get::<Ticket>("work", "ticket", "1")).expect("read");
    assert!(row.is_some());
}

#[test]
fn a_lock_that_outlasts_every_retry_fails_with_a_clear_error_and_the_store_recovers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    let opened = open_ok(options(dir.path()));
    call(&opened.store, |db| {
        db.claim_partition("work", "fp")?;
        db.set_busy_policy(
            Duration::from_millis(20),
            vec![Duration::from_millis(10), Duration::from_millis(10)],
        )
    })
    .expect("short timeouts");

    let (holder, is_locked) = hold_write_lock(&path, Duration::from_secs(1));
    is_locked.recv().expect("locked");
    let error = call(&opened.store, |db| {
        db.put("work", "ticket", "1", &ticket(1))
    })
    .expect_err("still locked");
    assert!(matches!(error, StoreError::Busy { .. }), "{error:?}");
    assert!(
        error.to_string().contains("locked by another process"),
        "{error}"
    );
    holder.join().expect("holder");
    call(&opened.store, |db| {
        db.put("work", "ticket", "1", &ticket(1))
    })
    .expect("works again once the lock is gone");
}

#[test]
fn the_journal_choice_reads_from_the_configuration_words() {
    assert_eq!("auto".parse::<JournalChoice>(), Ok(JournalChoice::Auto));
    assert_eq!(
        " Delete ".parse::<JournalChoice>(),
        Ok(JournalChoice::Delete)
    );
    assert!("wal".parse::<JournalChoice>().is_err());

    #[derive(Deserialize)]
    struct Config {
        store_journal: JournalChoice,
    }
    let config: Config = toml::from_str("store_journal = \"delete\"").expect("toml");
    assert_eq!(config.store_journal, JournalChoice::Delete);
    assert!(toml::from_str::<Config>("store_journal = \"memory\"").is_err());
    assert_eq!(JournalChoice::default(), JournalChoice::Auto);
}
