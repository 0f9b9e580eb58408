//! The outbox: writes waiting to be confirmed by a server, kept until they are. Generic like the
//! rest of the store: an entry is a JSON body about a *subject* (the app uses the request id), in
//! a partition, for a fingerprint; nothing here knows what a write is.
//!
//! The rules that make a write neither lost nor doubled:
//! - An entry is committed ([`Db::outbox_add`]) before anything is sent (`synchronous=FULL`).
//! - A sender takes an entry with a **lease** ([`Db::outbox_claim`]): for `lease` milliseconds no
//!   other sender (another ttydesk process of the same user on the same file) may take it. The
//!   claim is one `BEGIN IMMEDIATE` transaction, so two processes can never both win it.
//! - Before sending, the sender records the attempt ([`Db::outbox_attempt`]): from then on the
//!   entry is [`EntryState::Sending`] on disk, so a sender that dies mid-send (SIGKILL, lost SSH
//!   session) leaves an entry whose next sender knows the server may already have it, and
//!   reconciles before sending again.
//! - A sender settles the entry ([`Db::outbox_settle`]) only while it still holds the lease.
//! - Entries about one subject go out in the order they were added: an entry is not taken while
//!   an older one about the same subject is still waiting to go out.
//!
//! Times are unix milliseconds, given by the caller so tests control the clock.

use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::db::Db;
use super::error::StoreError;

/// Where an entry is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryState {
    /// Not sent yet, or known not to have reached the server: may be sent.
    Pending,
    /// An attempt began and its end was not recorded (the sender died): may have been applied.
    Sending,
    /// An attempt ended without knowing whether the server applied it (timeout, reset, 5xx):
    /// reconcile before sending again.
    Uncertain,
    /// The server refused it; kept with its reason until the agent retries or discards it.
    Failed,
}

impl EntryState {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Sending => "sending",
            EntryState::Uncertain => "uncertain",
            EntryState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> EntryState {
        match text {
            "pending" => EntryState::Pending,
            "sending" => EntryState::Sending,
            "uncertain" => EntryState::Uncertain,
            // Unknown states (a newer ttydesk) are treated as the most careful one.
            _ => EntryState::Failed,
        }
    }

    /// The server may already have applied it.
    pub fn may_have_arrived(self) -> bool {
        matches!(self, EntryState::Sending | EntryState::Uncertain)
    }
}

/// One outbox entry as read back. `body` is `Err(raw JSON)` when it no longer decodes as the type
/// asked for: it is still listed (and can be discarded), never silently dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<T> {
    pub id: String,
    pub subject: String,
    pub body: Result<T, String>,
    pub state: EntryState,
    pub attempts: u32,
    pub created_at: i64,
    pub first_attempt_at: Option<i64>,
    pub next_attempt_at: i64,
    /// Someone holds the lease until then.
    pub leased_until: Option<i64>,
    pub last_error: Option<String>,
}

/// How an attempt ended, for [`Db::outbox_settle`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    /// The server confirmed it (or reconciliation found it there): the entry is removed.
    Done,
    /// The server refused it for this reason.
    Failed(String),
    /// It did not reach the server (or reconciliation showed it did not apply): send again at.
    Retry { reason: String, at: i64 },
    /// Unknown whether it applied: reconcile at, then maybe send again.
    Unsure { reason: String, at: i64 },
}

const COLUMNS: &str = "id, subject, body, state, attempts, created_at, first_attempt_at, \
                       next_attempt_at, lease_until, last_error";

impl Db {
    /// Adds an entry about `subject`; committed when this returns.
    #[allow(clippy::too_many_arguments)]
    pub fn outbox_add<T: Serialize>(
        &mut self,
        partition: &str,
        fingerprint: &str,
        id: &str,
        subject: &str,
        body: &T,
        now: i64,
    ) -> Result<(), StoreError> {
        let body = serde_json::to_string(body).map_err(|_| StoreError::Encode {
            kind: "outbox".to_owned(),
            key: id.to_owned(),
        })?;
        self.write("adding a write to the outbox", |tx| {
            let seq: i64 =
                tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM outbox", [], |row| {
                    row.get(0)
                })?;
            tx.execute(
                "INSERT INTO outbox (id, partition, fingerprint, subject, seq, body, state,
                                     created_at, next_attempt_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7, ?7)",
                params![id, partition, fingerprint, subject, seq, body, now],
            )?;
            Ok(())
        })
    }

    /// Takes the oldest entry of (partition, fingerprint) that is due, not leased and not behind
    /// an older waiting entry about the same subject, leasing it to `owner` until `now + lease`.
    /// `None` when nothing is due.
    pub fn outbox_claim<T: DeserializeOwned>(
        &mut self,
        partition: &str,
        fingerprint: &str,
        owner: &str,
        now: i64,
        lease: i64,
    ) -> Result<Option<Entry<T>>, StoreError> {
        self.write("taking a write from the outbox", |tx| {
            let id: Option<String> = tx
                .query_row(
                    "SELECT o.id FROM outbox o
                     WHERE o.partition = ?1 AND o.fingerprint = ?2
                       AND o.state IN ('pending', 'sending', 'uncertain')
                       AND o.next_attempt_at <= ?3
                       AND (o.lease_until IS NULL OR o.lease_until <= ?3)
                       AND NOT EXISTS (
                           SELECT 1 FROM outbox b
                           WHERE b.partition = o.partition AND b.fingerprint = o.fingerprint
                             AND b.subject = o.subject AND b.seq < o.seq
                             AND b.state IN ('pending', 'sending', 'uncertain'))
                     ORDER BY o.seq LIMIT 1",
                    params![partition, fingerprint, now],
                    |row| row.get(0),
                )
                .optional()?;
            let Some(id) = id else {
                return Ok(None);
            };
            tx.execute(
                "UPDATE outbox SET lease_owner = ?2, lease_until = ?3, updated_at = ?4
                 WHERE id = ?1",
                params![id, owner, now + lease, now],
            )?;
            let entry = tx.query_row(
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [&id],
                entry_of::<T>,
            )?;
            Ok(Some(entry))
        })
    }

    /// Records that `owner` is about to send the entry: it is `Sending` on disk from now on.
    /// Fails with `LeaseLost` if `owner` no longer holds it (it expired and another took it).
    pub fn outbox_attempt(&mut self, id: &str, owner: &str, now: i64) -> Result<(), StoreError> {
        let changed = self.write("recording a send attempt", |tx| {
            Ok(tx.execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1,
                        first_attempt_at = coalesce(first_attempt_at, ?3), updated_at = ?3
                 WHERE id = ?1 AND lease_owner = ?2 AND lease_until > ?3",
                params![id, owner, now],
            )?)
        })?;
        if changed == 0 {
            return Err(StoreError::LeaseLost { id: id.to_owned() });
        }
        Ok(())
    }

    /// Ends `owner`'s turn with the entry. Returns false (and changes nothing) if `owner` no
    /// longer held it: another sender took over, and its outcome counts.
    pub fn outbox_settle(
        &mut self,
        id: &str,
        owner: &str,
        outcome: &Settle,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write("recording how a write went", |tx| {
            let held = "id = ?1 AND lease_owner = ?2";
            let changed = match outcome {
                Settle::Done => tx.execute(
                    &format!("DELETE FROM outbox WHERE {held}"),
                    params![id, owner],
                )?,
                Settle::Failed(reason) => tx.execute(
                    &format!(
                        "UPDATE outbox SET state = 'failed', last_error = ?3, lease_owner = NULL,
                                lease_until = NULL, updated_at = ?4 WHERE {held}"
                    ),
                    params![id, owner, reason, now],
                )?,
                Settle::Retry { reason, at } | Settle::Unsure { reason, at } => {
                    let state = if matches!(outcome, Settle::Retry { .. }) {
                        EntryState::Pending
                    } else {
                        EntryState::Uncertain
                    };
                    tx.execute(
                        &format!(
                            "UPDATE outbox SET state = ?3, last_error = ?4, next_attempt_at = ?5,
                                    lease_owner = NULL, lease_until = NULL, updated_at = ?6
                             WHERE {held}"
                        ),
                        params![id, owner, state.as_str(), reason, at, now],
                    )?
                }
            };
            Ok(changed > 0)
        })
    }

    /// The entries of (partition, fingerprint), oldest first.
    pub fn outbox_list<T: DeserializeOwned>(
        &mut self,
        partition: &str,
        fingerprint: &str,
    ) -> Result<Vec<Entry<T>>, StoreError> {
        self.read("reading the outbox", |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM outbox WHERE partition = ?1 AND fingerprint = ?2
                 ORDER BY seq"
            ))?;
            let rows = stmt.query_map(params![partition, fingerprint], entry_of::<T>)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The agent asked to send it again now. A failed entry becomes pending (its reason stays
    /// until the next attempt); one that may have arrived keeps that state, so it is still
    /// reconciled first. Returns false if there is no such entry.
    pub fn outbox_retry(&mut self, id: &str, now: i64) -> Result<bool, StoreError> {
        self.write("retrying a write", |tx| {
            Ok(tx.execute(
                "UPDATE outbox SET next_attempt_at = ?2, updated_at = ?2,
                        state = CASE state WHEN 'failed' THEN 'pending' ELSE state END
                 WHERE id = ?1",
                params![id, now],
            )? > 0)
        })
    }

    /// The agent gave the entry up. Refused (false) while a sender holds its lease: it may be
    /// on the wire right now, and discarding would hide what happens to it.
    pub fn outbox_discard(&mut self, id: &str, now: i64) -> Result<bool, StoreError> {
        self.write("discarding a write", |tx| {
            Ok(tx.execute(
                "DELETE FROM outbox WHERE id = ?1 AND (lease_until IS NULL OR lease_until <= ?2)",
                params![id, now],
            )? > 0)
        })
    }
}

fn entry_of<T: DeserializeOwned>(row: &Row<'_>) -> rusqlite::Result<Entry<T>> {
    let raw: String = row.get(2)?;
    let state: String = row.get(3)?;
    let attempts: i64 = row.get(4)?;
    Ok(Entry {
        id: row.get(0)?,
        subject: row.get(1)?,
        body: serde_json::from_str(&raw).map_err(|_| raw),
        state: EntryState::parse(&state),
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        created_at: row.get(5)?,
        first_attempt_at: row.get(6)?,
        next_attempt_at: row.get(7)?,
        leased_until: row.get(8)?,
        last_error: row.get(9)?,
    })
}

/// Drafts: what the agent is typing, saved as they type, per (partition, fingerprint, key).
/// Like the outbox they survive a change of the partition's fingerprint.
impl Db {
    pub fn draft_put<T: Serialize>(
        &mut self,
        partition: &str,
        fingerprint: &str,
        key: &str,
        body: &T,
        now: i64,
    ) -> Result<(), StoreError> {
        let body = serde_json::to_string(body).map_err(|_| StoreError::Encode {
            kind: "draft".to_owned(),
            key: key.to_owned(),
        })?;
        self.write("saving a draft", |tx| {
            tx.execute(
                "INSERT INTO drafts (partition, fingerprint, key, saved_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (partition, fingerprint, key)
                 DO UPDATE SET saved_at = excluded.saved_at, body = excluded.body",
                params![partition, fingerprint, key, now, body],
            )?;
            Ok(())
        })
    }

    /// The draft under `key`, with when it was saved. One that no longer decodes reads as absent
    /// but stays in the file.
    pub fn draft_get<T: DeserializeOwned>(
        &mut self,
        partition: &str,
        fingerprint: &str,
        key: &str,
    ) -> Result<Option<(T, i64)>, StoreError> {
        let found: Option<(String, i64)> = self.read("reading a draft", |conn| {
            Ok(conn
                .query_row(
                    "SELECT body, saved_at FROM drafts
                     WHERE partition = ?1 AND fingerprint = ?2 AND key = ?3",
                    params![partition, fingerprint, key],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?)
        })?;
        Ok(
            found.and_then(|(body, at)| match serde_json::from_str(&body) {
                Ok(value) => Some((value, at)),
                Err(error) => {
                    tracing::warn!(%error, "a saved draft no longer decodes; left in place");
                    None
                }
            }),
        )
    }

    pub fn draft_delete(
        &mut self,
        partition: &str,
        fingerprint: &str,
        key: &str,
    ) -> Result<(), StoreError> {
        self.write("deleting a draft", |tx| {
            tx.execute(
                "DELETE FROM drafts WHERE partition = ?1 AND fingerprint = ?2 AND key = ?3",
                params![partition, fingerprint, key],
            )?;
            Ok(())
        })
    }
}
