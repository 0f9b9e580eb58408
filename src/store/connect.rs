//! Opening the store file: private permissions, connection settings, the schema, the journal
//! mode, and moving a damaged file aside so that a fresh one can take its place.
//!
//! Used by [`super::open`] at start-up and again by [`super::Db`] when it meets corruption later.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use rusqlite_migration::MigrationDefinitionError;

use super::error::{StoreError, is_corruption};
use super::{JournalMode, schema};

/// How long SQLite itself waits for another connection's lock before reporting `SQLITE_BUSY`.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Pauses between further attempts once SQLite's own wait ran out.
pub(crate) const BUSY_BACKOFF: [Duration; 3] = [
    Duration::from_millis(100),
    Duration::from_millis(500),
    Duration::from_secs(2),
];

/// What is needed to (re)open the store file.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) path: PathBuf,
    /// The journal mode asked for (already decided from the choice and the file system).
    pub(crate) journal: JournalMode,
    pub(crate) busy_timeout: Duration,
    pub(crate) backoff: Vec<Duration>,
}

/// An open, migrated connection.
pub(crate) struct Connected {
    pub(crate) conn: Connection,
    pub(crate) journal: JournalMode,
    pub(crate) identity: Option<FileId>,
    pub(crate) notices: Vec<String>,
}

/// Why a connection could not be made.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The file is damaged or unreadable: move it aside and start afresh.
    Damaged(Box<Damage>),
    /// Anything else: give up (the app runs without the store).
    Fatal(StoreError),
}

/// A damaged file, as found.
#[derive(Debug)]
pub(crate) struct Damage {
    pub(crate) error: StoreError,
    /// Kept open until the file has been moved (see [`move_aside`]).
    pub(crate) conn: Option<Connection>,
    /// The file that was found damaged.
    pub(crate) identity: Option<FileId>,
}

impl Failure {
    fn damaged(error: StoreError, conn: Option<Connection>, identity: Option<FileId>) -> Self {
        Failure::Damaged(Box::new(Damage {
            error,
            conn,
            identity,
        }))
    }

    pub(crate) fn into_error(self) -> StoreError {
        match self {
            Failure::Damaged(damage) => damage.error,
            Failure::Fatal(error) => error,
        }
    }
}

/// Which file a path named when it was opened, to notice that another process replaced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileId {
    dev: u64,
    ino: u64,
}

pub(crate) fn file_id(path: &Path) -> Option<FileId> {
    fs::metadata(path).ok().map(|m| FileId {
        dev: m.dev(),
        ino: m.ino(),
    })
}

/// Creates the missing directories above the store file, readable by the user only.
pub fn create_private_dirs(dir: &Path) -> Result<(), StoreError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| StoreError::Io {
            action: "create the store directory",
            path: dir.to_path_buf(),
            source,
        })
}

/// Opens (creating if need be) the store file and brings it to the current schema.
pub(crate) fn connect(settings: &Settings) -> Result<Connected, Failure> {
    let path = &settings.path;
    create_private_file(path)?;
    // Before SQLite reads it: the `-wal` and `-shm` it makes copy the database file's mode,
    // and companions left by an older ttydesk are tightened with it.
    for file in [
        path.to_path_buf(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
    ] {
        tighten_mode(&file);
    }
    // No CREATE (the file exists by now) and no URI parsing (a path is a path).
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(|source| sqlite_failure("opening the file", source))?;
    // SQLite opened the file just now: this is the one the connection reads.
    let identity = file_id(path);
    // Even a pragma reads the schema, so another process's lock can outlast the busy timeout
    // here too: try again with backoff (the migrations retry on their own as well).
    let mut pauses = settings.backoff.iter();
    let configured = loop {
        match configure(&mut conn, settings) {
            Err(Failure::Fatal(error)) if error.is_busy() => match pauses.next() {
                Some(pause) => {
                    tracing::debug!(%error, "the store is locked by another process; waiting");
                    std::thread::sleep(*pause);
                }
                None => break Err(Failure::Fatal(error)),
            },
            other => break other,
        }
    };
    match configured {
        Ok((journal, notices)) => Ok(Connected {
            conn,
            journal,
            identity,
            notices,
        }),
        Err(Failure::Damaged(damage)) => Err(Failure::damaged(damage.error, Some(conn), identity)),
        Err(fatal) => Err(fatal),
    }
}

fn sqlite_failure(action: &'static str, source: rusqlite::Error) -> Failure {
    let error = StoreError::Sqlite { action, source };
    if error.is_corrupt() {
        Failure::damaged(error, None, None)
    } else {
        Failure::Fatal(error)
    }
}

/// Connection settings, schema and journal mode; returns the mode in effect and any notices.
fn configure(
    conn: &mut Connection,
    settings: &Settings,
) -> Result<(JournalMode, Vec<String>), Failure> {
    conn.busy_timeout(settings.busy_timeout)
        .map_err(|e| sqlite_failure("setting the busy timeout", e))?;
    // FULL: a committed write (an outbox row) survives a power cut, in WAL mode too.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| sqlite_failure("setting synchronous=FULL", e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| sqlite_failure("turning foreign keys on", e))?;
    // Every transaction, migrations included, takes the write lock up front, so two processes
    // queue on the busy handler instead of one of them failing to upgrade a read lock.
    conn.set_transaction_behavior(TransactionBehavior::Immediate);

    migrate(conn, settings)?;
    let mut notices = Vec::new();
    let journal = set_journal_mode(conn, settings.journal, &mut notices)?;
    Ok((journal, notices))
}

/// Creates the file with mode 0600 before SQLite sees it: SQLite gives its `-wal`, `-shm` and
/// `-journal` files the mode of the database file.
///
/// The handle is closed again at once. Closing any descriptor of a file drops the process's
/// POSIX locks on it, so nothing but SQLite may keep one open while SQLite holds its locks.
fn create_private_file(path: &Path) -> Result<(), Failure> {
    match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
    {
        Ok(file) => {
            drop(file);
            Ok(())
        }
        Err(source) => {
            let error = StoreError::Io {
                action: "open the store file",
                path: path.to_path_buf(),
                source,
            };
            // A file we may not read or write is as good as a damaged one: move it aside.
            let unreadable = matches!(&error, StoreError::Io { source, .. }
                if source.kind() == io::ErrorKind::PermissionDenied)
                && path.is_file();
            Err(if unreadable {
                Failure::damaged(error, None, file_id(path))
            } else {
                Failure::Fatal(error)
            })
        }
    }
}

/// A file left by an older ttydesk (or restored from a backup) may be readable by others.
fn tighten_mode(path: &Path) {
    let Ok(meta) = fs::metadata(path) else {
        return;
    };
    if meta.permissions().mode() & 0o077 != 0
        && let Err(error) = fs::set_permissions(path, fs::Permissions::from_mode(0o600))
    {
        tracing::warn!(%error, "could not make the store file private (mode 0600)");
    }
}

/// Applies the migrations this binary has not yet applied to the file.
fn migrate(conn: &mut Connection, settings: &Settings) -> Result<(), Failure> {
    use rusqlite_migration::Error as MigrationError;

    let migrations = schema::migrations();
    let mut pauses = settings.backoff.iter();
    loop {
        let error = match migrations.to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        let reason = error.to_string();
        let retry = match error {
            // Checked before anything is written: the file is left as it was.
            MigrationError::MigrationDefinition(MigrationDefinitionError::DatabaseTooFarAhead) => {
                let found = conn
                    .query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
                    .ok()
                    .and_then(|v| usize::try_from(v).ok())
                    .unwrap_or(0);
                return Err(Failure::Fatal(StoreError::SchemaTooNew {
                    path: settings.path.clone(),
                    found,
                    known: schema::latest_version(),
                }));
            }
            MigrationError::RusqliteError { err, .. }
                if err.sqlite_error_code().is_some_and(is_corruption) =>
            {
                let error = StoreError::Sqlite {
                    action: "reading the schema",
                    source: err,
                };
                return Err(Failure::damaged(error, None, None));
            }
            // A lock that outlasted the busy timeout, or another process that migrated the file
            // between our reading its version and our transaction (its tables then exist: a
            // plain SQL error): try again from the top. A full disk, a read-only file or an I/O
            // error will not go away by waiting.
            MigrationError::RusqliteError { err, .. } => err.sqlite_error_code().is_some_and(|c| {
                matches!(
                    c,
                    ErrorCode::DatabaseBusy
                        | ErrorCode::DatabaseLocked
                        | ErrorCode::SchemaChanged
                        | ErrorCode::Unknown
                )
            }),
            _ => false,
        };
        match pauses.next() {
            Some(pause) if retry => {
                tracing::debug!(reason, "store migration failed; trying again");
                std::thread::sleep(*pause);
            }
            _ => {
                return Err(Failure::Fatal(StoreError::Migration {
                    path: settings.path.clone(),
                    reason,
                }));
            }
        }
    }
}

/// Sets the journal mode and returns the one in effect.
fn set_journal_mode(
    conn: &Connection,
    wanted: JournalMode,
    notices: &mut Vec<String>,
) -> Result<JournalMode, Failure> {
    let asked = match wanted {
        JournalMode::Wal => "WAL",
        JournalMode::Delete => "DELETE",
    };
    let set =
        conn.pragma_update_and_check(None, "journal_mode", asked, |row| row.get::<_, String>(0));
    let now = match set {
        Ok(mode) => mode,
        Err(source) => {
            let error = StoreError::Sqlite {
                action: "setting the journal mode",
                source,
            };
            if error.is_corrupt() {
                return Err(Failure::damaged(error, None, None));
            }
            if !error.is_busy() {
                return Err(Failure::Fatal(error));
            }
            // Leaving WAL needs the file to itself; another ttydesk has it open. Carry on in
            // the mode the file is in.
            conn.pragma_query_value(None, "journal_mode", |row| row.get::<_, String>(0))
                .map_err(|source| {
                    Failure::Fatal(StoreError::Sqlite {
                        action: "reading the journal mode",
                        source,
                    })
                })?
        }
    };
    let got = if now.eq_ignore_ascii_case("wal") {
        JournalMode::Wal
    } else {
        JournalMode::Delete
    };
    if got != wanted {
        notices.push(format!(
            "The local store stays in {} journal mode for now because another ttydesk process \
             has it open.",
            now.to_ascii_uppercase()
        ));
    }
    Ok(got)
}

/// Moves a damaged store file, with its `-wal`, `-shm` and `-journal` companions, to
/// `<file>.corrupt-<unix seconds>` (plus `-<n>` if that name is taken), then closes `conn`.
/// Returns the new name, or `None` if the path no longer names the damaged file (`identity`):
/// another ttydesk sharing the store moved it first and may already use a fresh one there.
///
/// The connection is closed only after the move: closing the last connection of a WAL file
/// deletes `-wal` and `-shm` by name, which would otherwise take them away from the moved file.
/// The companions keep SQLite's naming next to the moved file, so the set can still be opened
/// for a post-mortem. A companion that cannot be moved is deleted: a fresh file must never meet
/// an old `-wal`, which SQLite would replay into it.
pub(crate) fn move_aside(
    path: &Path,
    identity: Option<FileId>,
    conn: Option<Connection>,
) -> io::Result<Option<PathBuf>> {
    if identity.is_some() && file_id(path) != identity {
        drop(conn);
        return Ok(None);
    }
    let moved = move_files_aside(path);
    drop(conn);
    moved.map(Some)
}

fn move_files_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = super::unix_now();
    let mut target = with_suffix(path, &format!(".corrupt-{stamp}"));
    let mut n = 1;
    while fs::symlink_metadata(&target).is_ok() {
        n += 1;
        target = with_suffix(path, &format!(".corrupt-{stamp}-{n}"));
    }
    fs::rename(path, &target)?;
    for companion in ["-wal", "-shm", "-journal"] {
        let from = with_suffix(path, companion);
        if fs::symlink_metadata(&from).is_err() {
            continue;
        }
        if let Err(error) = fs::rename(&from, with_suffix(&target, companion)) {
            tracing::warn!(%error, companion, "could not move a store companion file; deleting it");
            fs::remove_file(&from)?;
        }
    }
    Ok(target)
}

/// `path` with `suffix` appended to its file name (`store.sqlite3` → `store.sqlite3-wal`).
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
