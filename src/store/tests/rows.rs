//! Rows and partitions: what is saved is read back, wiped when it must be, dropped when it no
//! longer decodes, and never quoted in logs or errors.

use super::*;

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

        // Retain reads keys only: a row whose body no longer decodes goes like any other.
        db.put("work", "ticket", "8", &"not a ticket")?;
        assert_eq!(
            db.retain("work", "ticket", |key| key != "8" && key != "2")?,
            2
        );
        assert_eq!(db.retain("work", "ticket", |_| true)?, 0);
        assert_eq!(
            keys(&db.all::<Ticket>("work", "ticket")?),
            ["7", "6", "4", "3", "1"]
        );

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
    let debug = format!("{error:?}");
    assert!(!debug.contains("Jane Doe"), "not in Debug either: {debug}");
    // Nothing was saved.
    let draft = call(&opened.store, |db| db.get::<String>("work", "draft", "d1")).expect("read");
    assert_eq!(draft, None);
}
