//! Damaged and foreign files: moved aside and replaced, or (written by a newer ttydesk) left
//! untouched.

use super::*;

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

/// A store in `dir` holding 2000 rows over many pages, closed; its path.
fn closed_store_of_many_pages(dir: &Path) -> PathBuf {
    let opened = open_ok(options(dir));
    fill(&opened.store, 2000);
    close(opened);
    dir.join("store.sqlite3")
}

#[test]
fn a_truncated_database_is_moved_aside_and_a_fresh_store_takes_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = closed_store_of_many_pages(dir.path());
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
    assert_works_fresh(&opened.store);
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
    let path = closed_store_of_many_pages(dir.path());

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

    assert_works_fresh(&opened.store);
}

#[test]
fn corruption_met_after_another_process_moved_the_file_leaves_that_file_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = closed_store_of_many_pages(dir.path());
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
    assert_works_fresh(&opened.store);
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
