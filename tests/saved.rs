//! The store as the agent meets it, through the real loop and a real store file: a warm start
//! draws the last queues before the server answers, a start with the server down opens from the
//! store, a corrupt file is moved aside and rebuilt, and no credential ever lands in the file.

#![allow(clippy::expect_used)]

mod harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use harness::{Console, Desk, open_count, run_console_stored, sim_with};
use ttydesk::app::persist;
use ttydesk::sim::{SimHandle, SimOptions};
use ttydesk::store::JournalChoice;

/// A fresh directory for one test's store file (removed when the test ends), and the path.
fn store_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("store.sqlite3");
    (dir, path)
}

fn open(path: &Path) -> (ttydesk::store::Store, Vec<String>) {
    let (store, notices) = persist::open(path.to_path_buf(), JournalChoice::Auto);
    (store.expect("the store opens"), notices)
}

/// Runs the console once against `sim` until its queue is loaded fresh, then waits until the
/// store has written everything.
async fn first_run(path: &Path, sim: &SimHandle) {
    let open_requests = open_count(sim);
    let (store, notices) = open(path);
    assert!(notices.is_empty(), "{notices:?}");
    let script = |c: Console| async move {
        c.wait(|s| s.contains(&format!("· {open_requests} ")) && s.contains("refreshed"))
            .await;
    };
    run_console_stored(
        &[Desk::new("work", sim)],
        (80, 24),
        Some(store.clone()),
        |_| {},
        script,
    )
    .await;
    persist::flush(&store).await;
}

/// A port on 127.0.0.1 where nothing listens: connections are refused.
fn refused() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warm_start_draws_the_saved_queue_before_the_server_answers() {
    let (_dir, path) = store_path();
    let it = sim_with(SimOptions::default()).await;
    let open_requests = open_count(&it);
    first_run(&path, &it).await;

    // Every reply now takes 2 s.
    let slow = sim_with(SimOptions {
        latency: Duration::from_secs(2),
        ..SimOptions::default()
    })
    .await;
    let (store, _) = open(&path);
    let script = |c: Console| async move {
        let screen = c
            .wait(|s| s.contains(&format!("· {open_requests} ")) && s.contains("saved"))
            .await;
        assert!(screen.contains("Service Desk"), "{screen}");
        // Drawn before the first reply (each takes 2 s): the profile is still connecting.
        assert!(
            screen.contains("connecting"),
            "no server answer yet: {screen}"
        );
        // The server answers behind it; the saved rows stay until the new listing is in.
        let screen = c.wait(|s| s.contains("online")).await;
        assert!(screen.contains("saved"), "{screen}");
    };
    run_console_stored(
        &[Desk::new("work", &slow)],
        (80, 24),
        Some(store),
        |_| {},
        script,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_server_refusing_connections_the_console_opens_from_the_store() {
    let (_dir, path) = store_path();
    let it = sim_with(SimOptions::default()).await;
    let open_requests = open_count(&it);
    let newest = it
        .dataset()
        .open_requests()
        .filter(|r| !it.dataset().hostile_ids.contains(&r.id))
        .max_by_key(|r| r.created_at)
        .expect("an open request")
        .title
        .clone();
    first_run(&path, &it).await;

    let (store, _) = open(&path);
    let desk = Desk::new("work", &it).at(refused());
    let script = |c: Console| async move {
        let screen = c
            // Unreachable once the probe's tries (a refused connection is tried twice more) end.
            .wait(|s| {
                s.contains(&format!("· {open_requests} "))
                    && s.contains("read-only")
                    && s.contains("unreachable")
            })
            .await;
        assert!(screen.contains("saved"), "{screen}");
        assert!(screen.contains("Service Desk"), "{screen}");
        // The saved rows can be read: filter them and open one. Its detail was not saved, so
        // the pane says what it knows and why it could not load the rest.
        let words: String = newest
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        c.key(crossterm::event::KeyCode::Tab);
        c.text(&format!("/{words}"));
        c.key(crossterm::event::KeyCode::Enter);
        c.wait(|s| s.contains(&format!("/{words}"))).await;
        c.key(crossterm::event::KeyCode::Enter);
        let screen = c.wait(|s| s.contains("Could not load this request")).await;
        assert!(screen.contains("cannot reach the server"), "{screen}");
        assert!(
            screen.contains(&words),
            "what the list knows stays: {screen}"
        );
    };
    run_console_stored(&[desk], (100, 30), Some(store), |_| {}, script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_store_is_moved_aside_and_rebuilt() {
    let (_dir, path) = store_path();
    std::fs::write(
        &path,
        b"this is not a database, it is a note left by accident\n",
    )
    .expect("write garbage");
    let (store, notices) = open(&path);
    assert!(
        notices
            .iter()
            .any(|n| n.contains("corrupt") || n.contains("moved")),
        "{notices:?}"
    );
    let aside: Vec<_> = std::fs::read_dir(path.parent().expect("a dir"))
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the old file is kept aside");
    drop(store);
    // The rebuilt store keeps what the next run sees, and the run after opens from it.
    let it = sim_with(SimOptions::default()).await;
    first_run(&path, &it).await;
    let (store, notices) = open(&path);
    assert!(notices.is_empty(), "{notices:?}");
    let desk = Desk::new("work", &it).at(refused());
    let script = |c: Console| async move {
        c.wait(|s| s.contains("saved") && s.contains("Service Desk"))
            .await;
    };
    run_console_stored(&[desk], (80, 24), Some(store), |_| {}, script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credential_is_ever_written_to_the_store() {
    let (_dir, path) = store_path();
    let token = "tok-3f9c-NEVER-ON-DISK-71d2";
    let it = sim_with(SimOptions {
        password: token.into(),
        ..SimOptions::default()
    })
    .await;
    first_run(&path, &it).await;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("api:{token}"));
    let mut read = 0;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        read += bytes.len();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(token), "the token is in {}", file.display());
        assert!(
            !text.contains(&basic),
            "the auth header is in {}",
            file.display()
        );
        assert!(
            !text.contains("NEVER-ON-DISK"),
            "part of the token in {}",
            file.display()
        );
    }
    assert!(
        read > 10_000,
        "the store holds the run's data ({read} bytes)"
    );
}

/// Runs the console once on a Rezolve profile of `sim` with its store at `path`, until the
/// queue is refreshed; returns the catalog the run ended with.
async fn rezolve_run(path: &Path, sim: &SimHandle) -> std::sync::Arc<ttydesk::domain::Catalog> {
    let (store, _) = open(path);
    let desk = Desk::new("rz", sim).with_profile(ttydesk::cli::sim_rezolve_profile(sim, "acme"));
    let script = |c: Console| async move {
        let screen = c.wait(|s| s.contains("refreshed")).await;
        assert!(screen.contains("IT"), "the teams are the desks: {screen}");
    };
    let model = run_console_stored(&[desk], (120, 30), Some(store.clone()), |_| {}, script).await;
    persist::flush(&store).await;
    model.sessions[0]
        .catalog()
        .cloned()
        .expect("the run loaded a catalog")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_rezolve_directory_is_revalidated_not_downloaded() {
    let (_dir, path) = store_path();
    let sim = sim_with(SimOptions::default()).await;
    let first = rezolve_run(&path, &sim).await;
    assert_eq!(
        sim.rezolve_directory_replies(),
        (2, 0),
        "a first run downloads agents and users"
    );
    assert!(!first.validators.is_empty(), "the ETags are kept");

    // The next run starts from the saved catalog: both lists answer 304, nothing is downloaded,
    // and the directory is the same.
    let second = rezolve_run(&path, &sim).await;
    assert_eq!(sim.rezolve_directory_replies(), (2, 2));
    assert_eq!(first.people, second.people);
    assert_eq!(first.help_desks, second.help_desks);
}
