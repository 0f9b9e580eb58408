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
        conn.execute_batch(UP[0])
            .expect("migration 1 is idempotent");
    }
}
