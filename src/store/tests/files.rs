//! The file on disk: private modes, and the journal mode for the file system it is on.

use super::*;

#[test]
fn the_file_and_its_wal_and_shm_are_private_and_new_directories_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("data").join("ttydesk");
    let opened = open_ok(options(&nested));
    let path = nested.join("store.sqlite3");
    fill(&opened.store, 10);

    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&with_suffix(&path, "-wal")), 0o600);
    assert_eq!(mode(&with_suffix(&path, "-shm")), 0o600);
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    assert_eq!(mode(&nested), 0o700);
}

#[test]
fn an_existing_file_readable_by_others_is_made_private() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    fs::write(&path, b"").expect("empty file");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    let _opened = open_ok(options(dir.path()));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_wal_store_readable_by_others_gets_private_wal_and_shm_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.sqlite3");
    close(open_ok(options(dir.path())));
    // An older ttydesk, or a backup restored without its modes.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    let opened = open_ok(options(dir.path()));
    assert_eq!(opened.journal, JournalMode::Wal);
    fill(&opened.store, 10);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        mode(&with_suffix(&path, "-wal")),
        0o600,
        "SQLite copies the file's mode"
    );
    assert_eq!(mode(&with_suffix(&path, "-shm")), 0o600);
}

#[test]
fn the_journal_is_wal_on_a_local_disk_and_a_rollback_journal_when_asked_or_on_a_network_fs() {
    let dir = tempfile::tempdir().expect("temp dir");

    let local = open_ok(options(&dir.path().join("local")));
    assert_eq!(local.journal, JournalMode::Wal);
    assert_eq!(journal_mode(&local.store), "wal");
    assert!(local.notices.is_empty(), "{:?}", local.notices);

    let asked = open_ok(StoreOptions {
        journal: JournalChoice::Delete,
        ..options(&dir.path().join("asked"))
    });
    assert_eq!(asked.journal, JournalMode::Delete);
    assert_eq!(journal_mode(&asked.store), "delete");
    assert!(asked.notices.is_empty(), "asked for, so nothing to explain");

    let network = open_ok(StoreOptions {
        network_fs: Some(true),
        ..options(&dir.path().join("network"))
    });
    assert_eq!(network.journal, JournalMode::Delete);
    assert_eq!(journal_mode(&network.store), "delete");
    assert_eq!(network.notices.len(), 1, "{:?}", network.notices);
    assert!(network.notices[0].contains("network file system"));
    assert!(network.notices[0].contains("rollback journal"));
    fill(&network.store, 5);
    assert!(!with_suffix(&network_path(dir.path()), "-wal").exists());

    // A store that was WAL goes to a rollback journal when reopened with Delete.
    close(local);
    let reopened = open_ok(StoreOptions {
        journal: JournalChoice::Delete,
        ..options(&dir.path().join("local"))
    });
    assert_eq!(journal_mode(&reopened.store), "delete");
}

fn network_path(dir: &Path) -> PathBuf {
    dir.join("network").join("store.sqlite3")
}

#[test]
fn the_journal_choice_reads_from_the_configuration_words() {
    #[derive(Deserialize)]
    struct Config {
        store_journal: JournalChoice,
    }
    let config: Config = toml::from_str("store_journal = \"delete\"").expect("toml");
    assert_eq!(config.store_journal, JournalChoice::Delete);
    assert!(toml::from_str::<Config>("store_journal = \"memory\"").is_err());
    assert_eq!(JournalChoice::default(), JournalChoice::Auto);
}
