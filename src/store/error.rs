//! `StoreError`: what can go wrong in the store, told as a sentence an agent can act on.
//!
//! No message ever quotes a row: they name the file, the partition, the kind and the key, and
//! SQLite's own wording (which names tables and columns, never values). JSON errors are not
//! quoted at all, since serde's messages can contain the value that failed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the local store failed while {action}: {source}")]
    Sqlite {
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },

    #[error(
        "the local store {} has schema version {found}, but this ttydesk knows versions up to \
         {known} only: a newer ttydesk wrote it, so it was left untouched",
        path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: usize,
        known: usize,
    },

    #[error("could not bring the local store {} to the current schema: {reason}", path.display())]
    Migration { path: PathBuf, reason: String },

    #[error("{}", corrupt_sentence(path, moved_to.as_deref()))]
    Corrupt {
        path: PathBuf,
        /// Where the damaged file went; `None` if another ttydesk had already replaced it.
        moved_to: Option<PathBuf>,
    },

    #[error(
        "the local store {} is corrupt or unreadable and could not be moved aside: {source}",
        path.display()
    )]
    CannotMoveAside {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "the local store {} could not be reopened after it was found corrupt; ttydesk goes on \
         without it until restarted",
        path.display()
    )]
    Unavailable { path: PathBuf },

    #[error(
        "the local store stayed locked by another process for {:.1} seconds while {action}; \
         try again in a moment",
        waited.as_secs_f64()
    )]
    Busy {
        action: &'static str,
        waited: Duration,
    },

    #[error("partition {partition:?} was not claimed with its fingerprint before writing to it")]
    PartitionNotClaimed { partition: String },

    /// serde's own message is left out, here and in `Debug`: it may quote the value.
    #[error("could not encode the {kind:?} row {key:?} as JSON")]
    Encode { kind: String, key: String },

    /// Another sender took over an outbox entry whose lease had run out.
    #[error("another ttydesk process took over the outbox entry {id}")]
    LeaseLost { id: String },

    #[error("could not start the store thread: {0}")]
    Thread(#[source] std::io::Error),

    #[error("the store thread has stopped, so the job did not run")]
    Stopped,

    #[error("a store job panicked; its transaction was rolled back and the store carries on")]
    JobPanicked,
}

fn corrupt_sentence(path: &Path, moved_to: Option<&Path>) -> String {
    match moved_to {
        Some(to) => format!(
            "the local store {} was corrupt; it was moved to {} and a fresh store was started",
            path.display(),
            to.display()
        ),
        None => format!(
            "the local store {} was corrupt and another ttydesk had already replaced it; this \
             one now uses the fresh store",
            path.display()
        ),
    }
}

impl StoreError {
    /// The SQLite error code underneath, if any.
    fn code(&self) -> Option<ErrorCode> {
        match self {
            StoreError::Sqlite { source, .. } => source.sqlite_error_code(),
            _ => None,
        }
    }

    /// Another connection holds a lock SQLite's busy handler gave up waiting for.
    pub(crate) fn is_busy(&self) -> bool {
        matches!(
            self.code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        )
    }

    /// The file is damaged or not a database at all.
    pub(crate) fn is_corrupt(&self) -> bool {
        self.code().is_some_and(is_corruption)
    }

    /// Names what was being done, for an error raised with `?` inside a job.
    pub(crate) fn while_doing(self, what: &'static str) -> Self {
        match self {
            StoreError::Sqlite { source, .. } => StoreError::Sqlite {
                action: what,
                source,
            },
            other => other,
        }
    }
}

pub(crate) fn is_corruption(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
}

/// Lets jobs use `?` on rusqlite calls; the action is filled in by the code that ran them.
impl From<rusqlite::Error> for StoreError {
    fn from(source: rusqlite::Error) -> Self {
        StoreError::Sqlite {
            action: "using the store",
            source,
        }
    }
}
