//! The store thread: jobs in order, sending never waits, the thread outlives no handle, and a
//! panicking job harms nothing.

use super::*;

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
