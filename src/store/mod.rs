//! The local SQLite store: a warm-start cache of what was seen, drafts, and the outbox of writes
//! not yet confirmed (`outbox.rs`: leases, attempts, the rules that keep a write from being lost
//! or doubled). A generic layer: the app puts its own serde types in it as JSON
//! rows keyed by (partition, kind, key); nothing here knows tickets, profiles or vendors.
//!
//! **Never give the store a secret** (token, password, API key, cookie). The file is private
//! (mode 0600) but it is copied into backups, moved aside when damaged and inspected by hand.
//! A partition's fingerprint names where its data came from (vendor, server, user), not how to
//! log in there.
//!
//! How it holds together:
//! - [`open`] creates the file (0600, parent directories 0700), applies the schema
//!   (`rusqlite_migration`, version in `user_version`) and starts the store thread,
//!   `ttydesk-store`, which alone owns the connection. [`Store::run`] sends it a job and
//!   returns at once, so the UI task never waits on SQLite.
//! - Journal: WAL on a local disk; a rollback journal (`DELETE`) when asked, or when the
//!   directory is on NFS, SMB, FUSE and the like (WAL's shared memory only works on one host).
//!   `synchronous=FULL`: a committed row survives a power cut.
//! - Several ttydesk processes of one user may share the file: writes take the lock up front
//!   (`BEGIN IMMEDIATE`), SQLite waits up to 5 s for it, and a lock that outlasts that is tried
//!   again a few times with backoff.
//! - A damaged file (not a database, truncated, corrupt pages met later) is moved aside to
//!   `<file>.corrupt-<unix seconds>` (with its `-wal` and `-shm`) and a fresh store takes its
//!   place, with a notice (or, when met later, an error) saying where it went; a file written by a
//!   newer ttydesk is left alone and `open` fails. Either way the app can run on without it.
//! - A row that no longer decodes as the type asked for reads as absent and is deleted.
//!
//! `open` does file IO (and may wait for another process's lock): call it off the UI task,
//! e.g. in `spawn_blocking`. Before the process exits, `run` a no-op job and wait for its reply
//! to be sure every job sent before it has been committed.
//!
//! ```no_run
//! use ttydesk::store::{self, JournalChoice, StoreOptions};
//!
//! let opened = store::open(StoreOptions {
//!     path: "/home/agent/.local/share/ttydesk/store.sqlite3".into(),
//!     journal: JournalChoice::Auto,
//!     network_fs: None,
//! })?;
//! for notice in &opened.notices {
//!     eprintln!("{notice}");
//! }
//! opened.store.run(
//!     |db| {
//!         db.claim_partition("work", "invgate https://acme.cloud.invgate.net api")?;
//!         db.put("work", "ticket", "42", &serde_json::json!({ "title": "VPN down" }))?;
//!         db.get::<serde_json::Value>("work", "ticket", "42")
//!     },
//!     |result| println!("{result:?}"),
//! );
//! # Ok::<(), store::StoreError>(())
//! ```

mod connect;
mod db;
mod error;
mod fs_kind;
mod outbox;
mod rows;
mod schema;
mod thread;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use connect::create_private_dirs;
pub use db::Db;
pub use error::StoreError;
pub use outbox::{Entry, EntryState, Settle};
pub use rows::Stored;
pub use thread::{Store, THREAD_NAME};

/// How to open the store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The SQLite file, e.g. `<data dir>/store.sqlite3`. Missing parent directories are created
    /// with mode 0700.
    pub path: PathBuf,
    /// From the configuration key `store_journal`.
    pub journal: JournalChoice,
    /// Tests only: pretend the file system is (or is not) a network one.
    pub network_fs: Option<bool>,
}

/// The journal the configuration asks for (`store_journal = "auto" | "delete"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JournalChoice {
    /// WAL, unless the directory is on a network file system; then a rollback journal.
    #[default]
    Auto,
    /// Always a rollback journal (`journal_mode=DELETE`).
    Delete,
}

/// The journal mode in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalMode {
    /// Write-ahead log: readers never block the writer.
    Wal,
    /// Rollback journal, deleted after each transaction: safe on network file systems.
    Delete,
}

/// An open store.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub journal: JournalMode,
    /// Sentences for the agent: a fallback to the rollback journal, a damaged file moved aside.
    pub notices: Vec<String>,
}

/// Opens (creating if need be) the store file and starts the store thread.
///
/// Fails, leaving the app to run without the store, if the file was written by a newer ttydesk,
/// if a damaged file cannot be moved aside, or if the directory or file cannot be created.
pub fn open(options: StoreOptions) -> Result<Opened, StoreError> {
    let StoreOptions {
        path,
        journal,
        network_fs,
    } = options;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    connect::create_private_dirs(&dir)?;

    let mut notices = Vec::new();
    let journal = match journal {
        JournalChoice::Delete => JournalMode::Delete,
        JournalChoice::Auto => {
            let network = match network_fs {
                Some(true) => Some("a network file system"),
                Some(false) => None,
                None => fs_kind::network_fs_of(&dir),
            };
            match network {
                Some(name) => {
                    notices.push(format!(
                        "The store folder {} is on {name}, where SQLite's WAL mode is unsafe, so \
                         the store uses a rollback journal instead (safe, a little slower).",
                        dir.display()
                    ));
                    JournalMode::Delete
                }
                None => JournalMode::Wal,
            }
        }
    };

    let settings = connect::Settings {
        path,
        journal,
        busy_timeout: connect::BUSY_TIMEOUT,
        backoff: connect::BUSY_BACKOFF.to_vec(),
    };
    let connected = match connect::connect(&settings) {
        Ok(connected) => connected,
        Err(connect::Failure::Fatal(error)) => return Err(error),
        Err(connect::Failure::Damaged(damage)) => {
            let connect::Damage {
                error,
                conn,
                identity,
            } = *damage;
            tracing::warn!(%error, "the store file is unreadable; moving it aside");
            let moved = connect::move_aside(&settings.path, identity, conn).map_err(|source| {
                StoreError::CannotMoveAside {
                    path: settings.path.clone(),
                    source,
                }
            })?;
            notices.push(match moved {
                Some(moved) => format!(
                    "The local store {} could not be read, so it was moved to {} and a fresh \
                     one was started.",
                    settings.path.display(),
                    moved.display()
                ),
                None => format!(
                    "The local store {} could not be read; another ttydesk process already \
                     moved it aside, and this one uses the fresh store.",
                    settings.path.display()
                ),
            });
            connect::connect(&settings).map_err(connect::Failure::into_error)?
        }
    };
    notices.extend(connected.notices.iter().cloned());
    let journal = connected.journal;
    tracing::info!(path = %settings.path.display(), ?journal, "store opened");
    let store = Store::start(Db::new(settings, connected))?;
    Ok(Opened {
        store,
        journal,
        notices,
    })
}

/// Now, in unix seconds (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// What `ttydesk doctor` says of the store file at `path`, read-only: whether it is there,
/// only its owner may read it, and SQLite finds it whole. Problems come with what to do.
pub fn health(path: &std::path::Path) -> Result<String, String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok("not created yet (the first run of the console creates it)".into());
        }
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "may be read by others (mode {mode:04o}): it holds ticket text; chmod 600 {}",
            path.display()
        ));
    }
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot be opened ({e})"))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|e| format!("cannot be checked ({e}); another ttydesk may hold it"))?;
    if check != "ok" {
        return Err(format!(
            "is damaged ({check}); the console moves it aside and starts a new one"
        ));
    }
    Ok(format!(
        "ok, mode {mode:04o}, {} KiB",
        meta.len().div_ceil(1024)
    ))
}
