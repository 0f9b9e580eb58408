//! The store's schema, one migration per version, applied by `rusqlite_migration`.
//!
//! The version lives in SQLite's `user_version`. A migration is never edited once released: a
//! change is a new entry at the end of [`UP`]. Statements use `IF NOT EXISTS` so that two ttydesk
//! processes creating the same fresh file at once cannot trip over each other.

use rusqlite_migration::{M, Migrations};

/// The SQL of every migration, oldest first. Version N is the state after the Nth one.
const UP: &[&str] = &[
    // 1: partitions (one per profile) and their typed JSON rows.
    "CREATE TABLE IF NOT EXISTS partitions (
         partition   TEXT PRIMARY KEY NOT NULL,
         fingerprint TEXT NOT NULL,
         last_used   INTEGER NOT NULL
     ) WITHOUT ROWID;

     CREATE TABLE IF NOT EXISTS rows (
         partition TEXT NOT NULL REFERENCES partitions (partition) ON DELETE CASCADE,
         kind      TEXT NOT NULL,
         key       TEXT NOT NULL,
         saved_at  INTEGER NOT NULL,
         seq       INTEGER NOT NULL,
         body      TEXT NOT NULL,
         PRIMARY KEY (partition, kind, key)
     ) WITHOUT ROWID;

     CREATE INDEX IF NOT EXISTS rows_by_seq ON rows (partition, kind, seq);",
    // 2: the outbox (writes not yet confirmed by the server) and drafts. Neither cascades from
    // `partitions`: a profile pointed at another server must not silently drop what the agent
    // typed; rows carry the fingerprint they belong to instead.
    "CREATE TABLE IF NOT EXISTS outbox (
         id               TEXT PRIMARY KEY NOT NULL,
         partition        TEXT NOT NULL,
         fingerprint      TEXT NOT NULL,
         subject          TEXT NOT NULL,
         seq              INTEGER NOT NULL,
         body             TEXT NOT NULL,
         state            TEXT NOT NULL,
         attempts         INTEGER NOT NULL DEFAULT 0,
         created_at       INTEGER NOT NULL,
         first_attempt_at INTEGER,
         next_attempt_at  INTEGER NOT NULL,
         lease_owner      TEXT,
         lease_until      INTEGER,
         last_error       TEXT,
         updated_at       INTEGER NOT NULL
     ) WITHOUT ROWID;

     CREATE INDEX IF NOT EXISTS outbox_by_partition ON outbox (partition, fingerprint, seq);

     CREATE TABLE IF NOT EXISTS drafts (
         partition   TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         key         TEXT NOT NULL,
         saved_at    INTEGER NOT NULL,
         body        TEXT NOT NULL,
         PRIMARY KEY (partition, fingerprint, key)
     ) WITHOUT ROWID;",
];

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(UP.iter().map(|sql| M::up(sql)).collect())
}

/// The newest schema version this binary knows.
pub(crate) fn latest_version() -> usize {
    UP.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_to_an_empty_database_and_end_at_the_latest_version() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        migrations().to_latest(&mut conn).expect("migrated");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("user_version");
        assert_eq!(usize::try_from(version), Ok(latest_version()));
        // Applying them again (a second process racing on a fresh file) changes nothing.
        for (i, sql) in UP.iter().enumerate() {
            conn.execute_batch(sql)
                .unwrap_or_else(|e| panic!("migration {} is not idempotent: {e}", i + 1));
        }
    }
}
