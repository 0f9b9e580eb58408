//! Another process holding the write lock: waited out, and reported plainly when it never ends.

use super::*;

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
