//! `Db`: the store's connection as jobs see it on the store thread, with the rules every
//! statement goes through: writes in `BEGIN IMMEDIATE` transactions, `SQLITE_BUSY` retried with
//! backoff, and a file found corrupt moved aside and replaced by a fresh one.
//!
//! The typed row operations are in `rows.rs`.

use std::path::Path;
use std::time::Instant;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::connect::{self, Connected, FileId, Settings};
use super::error::StoreError;

/// The store's connection. Jobs given to [`super::Store::run`] receive it on the store thread.
pub struct Db {
    settings: Settings,
    /// `None` once a corrupt file could not be replaced; every call then fails.
    conn: Option<Connection>,
    identity: Option<FileId>,
}

impl Db {
    pub(crate) fn new(settings: Settings, connected: Connected) -> Self {
        Db {
            settings,
            conn: Some(connected.conn),
            identity: connected.identity,
        }
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.settings.path
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction and commits it. `body` runs again from
    /// the start if the write lock stayed busy past the busy timeout, so it must not have
    /// effects outside the transaction. `what` names the work in errors ("saving a row").
    pub(crate) fn write<R>(
        &mut self,
        what: &'static str,
        mut body: impl FnMut(&Transaction<'_>) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.attempt(what, |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = body(&tx)?;
            tx.commit()?;
            Ok(value)
        })
    }

    /// Runs `body`, a read outside any explicit transaction, with the same busy and corruption
    /// handling as [`Db::write`].
    pub(crate) fn read<R>(
        &mut self,
        what: &'static str,
        mut body: impl FnMut(&Connection) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        self.attempt(what, |conn| body(conn))
    }

    fn attempt<R>(
        &mut self,
        what: &'static str,
        mut once: impl FnMut(&mut Connection) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let started = Instant::now();
        let mut tries = 0;
        loop {
            let Some(conn) = self.conn.as_mut() else {
                return Err(StoreError::Unavailable {
                    path: self.settings.path.clone(),
                });
            };
            let error = match once(conn) {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if error.is_busy() {
                if let Some(pause) = self.settings.backoff.get(tries) {
                    tracing::debug!(what, "the store is locked by another process; waiting");
                    std::thread::sleep(*pause);
                    tries += 1;
                    continue;
                }
                return Err(StoreError::Busy {
                    action: what,
                    waited: started.elapsed(),
                });
            }
            if error.is_corrupt() {
                return Err(self.replace_corrupt_file(&error.while_doing(what)));
            }
            return Err(error.while_doing(what));
        }
    }

    /// Closes the connection, moves the damaged file aside (unless another process already
    /// did) and opens a fresh store in its place. Returns the error that tells the caller.
    fn replace_corrupt_file(&mut self, cause: &StoreError) -> StoreError {
        let path = self.settings.path.clone();
        tracing::warn!(error = %cause, "the store file is corrupt; moving it aside");
        let moved_to = match connect::move_aside(&path, self.identity, self.conn.take()) {
            Ok(moved_to) => moved_to,
            Err(source) => return StoreError::CannotMoveAside { path, source },
        };
        match connect::connect(&self.settings) {
            Ok(connected) => {
                for notice in &connected.notices {
                    tracing::info!("{notice}");
                }
                self.conn = Some(connected.conn);
                self.identity = connected.identity;
                StoreError::Corrupt { path, moved_to }
            }
            Err(failure) => {
                tracing::warn!(error = %failure.into_error(), "could not reopen the store");
                StoreError::Unavailable { path }
            }
        }
    }

    /// After a job panicked: roll back a transaction it may have left open.
    pub(crate) fn recover_after_panic(&mut self) {
        if let Some(conn) = self.conn.as_ref()
            && !conn.is_autocommit()
            && let Err(error) = conn.execute_batch("ROLLBACK")
        {
            tracing::warn!(%error, "could not roll back after a store job panicked");
        }
    }

    /// Tests only: shorter waits, so that lock contention can be provoked quickly.
    #[cfg(test)]
    pub(crate) fn set_busy_policy(
        &mut self,
        timeout: std::time::Duration,
        backoff: Vec<std::time::Duration>,
    ) -> Result<(), StoreError> {
        self.settings.busy_timeout = timeout;
        self.settings.backoff = backoff;
        if let Some(conn) = self.conn.as_ref() {
            conn.busy_timeout(timeout)?;
        }
        Ok(())
    }
}
