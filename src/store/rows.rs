//! Typed JSON rows keyed by (partition, kind, key), and the partitions that own them.
//!
//! A partition is one profile's data, claimed with a fingerprint of where the data came from; a
//! kind is one type of row ("ticket", "queue", "draft"); a key is the row's id within its kind.
//! "Newest" means most recently saved: every save takes the next number of a per-kind sequence,
//! so rows saved within the same second still have an order.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::db::Db;
use super::error::StoreError;
use super::unix_now;

/// A row as read back: its key, when it was saved (unix seconds) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<T> {
    pub key: String,
    pub saved_at: i64,
    pub value: T,
}

const UPSERT: &str = "INSERT INTO rows (partition, kind, key, saved_at, seq, body)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (partition, kind, key)
     DO UPDATE SET saved_at = excluded.saved_at, seq = excluded.seq, body = excluded.body";

impl Db {
    /// Claims `partition` for data from `fingerprint` (vendor, server, user; never a secret).
    /// A different fingerprint than last time wipes the partition's rows, so a profile pointed
    /// at another server never shows the old server's data. Returns true if it wiped.
    pub fn claim_partition(
        &mut self,
        partition: &str,
        fingerprint: &str,
    ) -> Result<bool, StoreError> {
        let now = unix_now();
        let wiped = self.write("claiming a partition", |tx| {
            let previous: Option<String> = tx
                .query_row(
                    "SELECT fingerprint FROM partitions WHERE partition = ?1",
                    [partition],
                    |row| row.get(0),
                )
                .optional()?;
            match previous {
                None => {
                    tx.execute(
                        "INSERT INTO partitions (partition, fingerprint, last_used)
                         VALUES (?1, ?2, ?3)",
                        params![partition, fingerprint, now],
                    )?;
                    Ok(false)
                }
                Some(previous) if previous == fingerprint => {
                    tx.execute(
                        "UPDATE partitions SET last_used = ?2 WHERE partition = ?1",
                        params![partition, now],
                    )?;
                    Ok(false)
                }
                Some(_) => {
                    tx.execute("DELETE FROM rows WHERE partition = ?1", [partition])?;
                    tx.execute(
                        "UPDATE partitions SET fingerprint = ?2, last_used = ?3
                         WHERE partition = ?1",
                        params![partition, fingerprint, now],
                    )?;
                    Ok(true)
                }
            }
        })?;
        if wiped {
            tracing::info!(
                partition,
                "the partition's data came from elsewhere; wiped it"
            );
        }
        Ok(wiped)
    }

    /// Saves `value` under (partition, kind, key), replacing what was there. The partition must
    /// have been claimed ([`Db::claim_partition`]), or this fails with `PartitionNotClaimed`.
    pub fn put<T: Serialize>(
        &mut self,
        partition: &str,
        kind: &str,
        key: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        let body = encode(kind, key, value)?;
        let now = unix_now();
        self.write("saving a row", |tx| {
            let seq = next_seq(tx, partition, kind)?;
            tx.execute(UPSERT, params![partition, kind, key, now, seq, body])?;
            Ok(())
        })
    }

    /// Saves many rows of one kind in one transaction (all or none). Later rows count as newer.
    /// The partition must have been claimed, as for [`Db::put`].
    pub fn put_many<'a, T: Serialize + 'a>(
        &mut self,
        partition: &str,
        kind: &str,
        rows: impl IntoIterator<Item = (&'a str, &'a T)>,
    ) -> Result<(), StoreError> {
        let rows = rows
            .into_iter()
            .map(|(key, value)| Ok((key, encode(kind, key, value)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        if rows.is_empty() {
            return Ok(());
        }
        let now = unix_now();
        self.write("saving rows", |tx| {
            let first = next_seq(tx, partition, kind)?;
            let mut upsert = tx.prepare(UPSERT)?;
            for (seq, (key, body)) in (first..).zip(&rows) {
                upsert.execute(params![partition, kind, key, now, seq, body])?;
            }
            Ok(())
        })
    }

    /// The row under (partition, kind, key). A row that no longer decodes as `T` (the app's
    /// types changed) reads as absent and is deleted.
    pub fn get<T: DeserializeOwned>(
        &mut self,
        partition: &str,
        kind: &str,
        key: &str,
    ) -> Result<Option<Stored<T>>, StoreError> {
        let found = self.read("reading a row", |conn| {
            Ok(conn
                .query_row(
                    "SELECT saved_at, seq, body FROM rows
                     WHERE partition = ?1 AND kind = ?2 AND key = ?3",
                    params![partition, kind, key],
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get(2)?)),
                )
                .optional()?)
        })?;
        let Some((saved_at, seq, body)) = found else {
            return Ok(None);
        };
        let body: String = body;
        match serde_json::from_str(&body) {
            Ok(value) => Ok(Some(Stored {
                key: key.to_owned(),
                saved_at,
                value,
            })),
            Err(_) => {
                self.drop_undecodable(partition, kind, &[(key.to_owned(), seq)]);
                Ok(None)
            }
        }
    }

    /// Every row of a kind, newest first. Rows that no longer decode as `T` are left out and
    /// deleted.
    pub fn all<T: DeserializeOwned>(
        &mut self,
        partition: &str,
        kind: &str,
    ) -> Result<Vec<Stored<T>>, StoreError> {
        let rows = self.read("reading rows", |conn| {
            let mut select = conn.prepare(
                "SELECT key, saved_at, seq, body FROM rows
                 WHERE partition = ?1 AND kind = ?2
                 ORDER BY seq DESC",
            )?;
            let rows = select
                .query_map(params![partition, kind], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })?;
        let mut stored = Vec::with_capacity(rows.len());
        let mut undecodable = Vec::new();
        for (key, saved_at, seq, body) in rows {
            match serde_json::from_str(&body) {
                Ok(value) => stored.push(Stored {
                    key,
                    saved_at,
                    value,
                }),
                Err(_) => undecodable.push((key, seq)),
            }
        }
        if !undecodable.is_empty() {
            self.drop_undecodable(partition, kind, &undecodable);
        }
        Ok(stored)
    }

    /// Deletes the row under (partition, kind, key), if there is one.
    pub fn delete(&mut self, partition: &str, kind: &str, key: &str) -> Result<(), StoreError> {
        self.write("deleting a row", |tx| {
            tx.execute(
                "DELETE FROM rows WHERE partition = ?1 AND kind = ?2 AND key = ?3",
                params![partition, kind, key],
            )?;
            Ok(())
        })
    }

    /// Deletes every row of these kinds in the partition, in one transaction.
    pub fn clear(&mut self, partition: &str, kinds: &[&str]) -> Result<(), StoreError> {
        self.write("dropping saved data", |tx| {
            let mut delete = tx.prepare("DELETE FROM rows WHERE partition = ?1 AND kind = ?2")?;
            for kind in kinds {
                delete.execute(params![partition, kind])?;
            }
            Ok(())
        })
    }

    /// Deletes the rows of a kind whose key `keep` refuses, in one transaction; reads only the
    /// keys, never the bodies. Returns how many rows went.
    pub fn retain(
        &mut self,
        partition: &str,
        kind: &str,
        keep: impl Fn(&str) -> bool,
    ) -> Result<usize, StoreError> {
        self.write("dropping rows no longer wanted", |tx| {
            let keys: Vec<String> = tx
                .prepare("SELECT key FROM rows WHERE partition = ?1 AND kind = ?2")?
                .query_map(params![partition, kind], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            let mut delete =
                tx.prepare("DELETE FROM rows WHERE partition = ?1 AND kind = ?2 AND key = ?3")?;
            let mut gone = 0;
            for key in keys.iter().filter(|key| !keep(key)) {
                gone += delete.execute(params![partition, kind, key])?;
            }
            Ok(gone)
        })
    }

    /// Keeps the `keep` most recently saved rows of a kind and deletes the others.
    pub fn prune(&mut self, partition: &str, kind: &str, keep: usize) -> Result<(), StoreError> {
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        self.write("pruning rows", |tx| {
            // The seq of the newest row to delete; none if there are `keep` rows or fewer.
            tx.execute(
                "DELETE FROM rows WHERE partition = ?1 AND kind = ?2 AND seq <= (
                     SELECT seq FROM rows WHERE partition = ?1 AND kind = ?2
                     ORDER BY seq DESC LIMIT 1 OFFSET ?3
                 )",
                params![partition, kind, keep],
            )?;
            Ok(())
        })
    }

    /// Deletes rows that failed to decode, unless they were saved again since they were read
    /// (another ttydesk, perhaps a newer one, may have just written them).
    fn drop_undecodable(&mut self, partition: &str, kind: &str, rows: &[(String, i64)]) {
        for (key, _) in rows {
            // Only the address: the body, and serde's message about it, may hold ticket text.
            tracing::debug!(
                partition,
                kind,
                key,
                "a stored row no longer decodes; dropping it"
            );
        }
        let deleted = self.write("dropping rows that no longer decode", |tx| {
            let mut delete = tx.prepare(
                "DELETE FROM rows WHERE partition = ?1 AND kind = ?2 AND key = ?3 AND seq = ?4",
            )?;
            for (key, seq) in rows {
                delete.execute(params![partition, kind, key, seq])?;
            }
            Ok(())
        });
        if let Err(error) = deleted {
            tracing::warn!(%error, "could not drop rows that no longer decode");
        }
    }
}

fn encode<T: Serialize>(kind: &str, key: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|_| StoreError::Encode {
        kind: kind.to_owned(),
        key: key.to_owned(),
    })
}

/// The sequence number of the next save in (partition, kind). Also checks that the partition
/// was claimed, so that every row belongs to a fingerprint.
fn next_seq(tx: &Transaction<'_>, partition: &str, kind: &str) -> Result<i64, StoreError> {
    let claimed: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM partitions WHERE partition = ?1)",
        [partition],
        |row| row.get(0),
    )?;
    if !claimed {
        return Err(StoreError::PartitionNotClaimed {
            partition: partition.to_owned(),
        });
    }
    let last: Option<i64> = tx.query_row(
        "SELECT max(seq) FROM rows WHERE partition = ?1 AND kind = ?2",
        params![partition, kind],
        |row| row.get(0),
    )?;
    Ok(last.unwrap_or(0) + 1)
}
