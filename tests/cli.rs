//! The binary as a person runs it: a broken configuration is explained with file, line and key
//! before any terminal mode is touched; `doctor` checks real connectivity against the simulator
//! and never prints the token.

// Test set-up that fails (temp files, spawning the binary) should stop the test loudly.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Output;

use ttydesk::sim::{SimHandle, SimOptions};

fn write_config(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ttydesk-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ttydesk.toml");
    std::fs::write(&path, text).unwrap();
    path
}

async fn ttydesk(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let data = std::env::temp_dir().join(format!("ttydesk-cli-data-{}", std::process::id()));
    tokio::process::Command::new(env!("CARGO_BIN_EXE_ttydesk"))
        .args(args)
        .envs(envs.iter().copied())
        .env("TTYDESK_DATA_DIR", data)
        .env_remove("TTYDESK_CONFIG")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn a_misspelt_key_is_reported_with_file_line_and_key() {
    let path = write_config(
        "typo",
        "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"https://x.example\"\nusername = \"api\"\ntokn_env = \"T\"\n",
    );
    let out = ttydesk(&["--config", path.to_str().unwrap()], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}:5:", path.display())), "{err}");
    assert!(err.contains("tokn_env"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn on a broken config");
}

#[tokio::test]
async fn without_a_terminal_the_console_says_so_instead_of_panicking() {
    // stdin is /dev/null and stdout a pipe: no raw mode is possible.
    let out = ttydesk(&["demo"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("needs an interactive terminal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[tokio::test]
async fn a_missing_token_variable_is_named() {
    let path = write_config(
        "noenv",
        "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"https://x.example\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_TEST_UNSET\"\n",
    );
    let out = ttydesk(&["--config", path.to_str().unwrap()], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("TTYDESK_CLI_TEST_UNSET is not set"), "{err}");
    assert!(
        err.starts_with(&format!("ttydesk: {}: profile `work`", path.display())),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_each_profile_against_the_server() {
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    let config = format!(
        "[profiles.good]\nprovider = \"invgate\"\nbase_url = \"{url}\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_GOOD\"\n\n\
         [profiles.bad]\nprovider = \"invgate\"\nbase_url = \"{url}\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_BAD\"\n",
        url = sim.base_url()
    );
    let path = write_config("doctor", &config);
    let out = ttydesk(
        &["doctor", "--config", path.to_str().unwrap()],
        &[
            ("TTYDESK_CLI_GOOD", sim.password()),
            ("TTYDESK_CLI_BAD", "wrong-token-4711"),
        ],
    )
    .await;
    let stdout = text(&out.stdout);
    assert!(stdout.contains("profile good:"), "{stdout}");
    assert!(
        stdout.contains("ok, InvGate Service Management"),
        "{stdout}"
    );
    assert!(
        stdout.contains("token from environment variable TTYDESK_CLI_GOOD"),
        "{stdout}"
    );
    assert!(stdout.contains("rejected the credentials"), "{stdout}");
    assert!(
        !stdout.contains(sim.password()) && !stdout.contains("wrong-token-4711"),
        "{stdout}"
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failing profile fails the check"
    );
    // The simulator saw Basic auth, never the token in a URL.
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.query.iter().all(|(_, v)| !v.contains("token")))
    );
}

#[tokio::test]
async fn one_profile_whose_token_cannot_be_read_does_not_keep_the_others_from_opening() {
    let path = write_config(
        "one-bad",
        "[profiles.good]\nprovider = \"invgate\"\nbase_url = \"https://a.example\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_GOOD\"\n\n\
         [profiles.bad]\nprovider = \"invgate\"\nbase_url = \"https://b.example\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_UNSET\"\n",
    );
    let config = path.to_str().unwrap();
    // With both open, start-up goes on to the terminal (which a pipe is not).
    let out = ttydesk(&["--config", config], &[("TTYDESK_CLI_GOOD", "t")]).await;
    let err = text(&out.stderr);
    assert!(err.contains("needs an interactive terminal"), "{err}");
    // The bad one alone cannot open, and says why.
    let out = ttydesk(
        &["--config", config, "--profile", "bad"],
        &[("TTYDESK_CLI_GOOD", "t")],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("TTYDESK_CLI_UNSET"), "{err}");
}

/// On a real terminal (a pty made by `script`, from util-linux): `:log` hands the terminal to
/// the pager and takes it back, and the console goes on until `q`. Before the fix, coming back
/// failed on crossterm's reader ("the cursor position could not be read").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_comes_back_from_the_pager_on_a_real_terminal() {
    use tokio::io::AsyncWriteExt;
    let data = std::env::temp_dir().join(format!("ttydesk-cli-pty-{}", std::process::id()));
    let command = format!(
        "stty cols 100 rows 30; exec {} demo",
        env!("CARGO_BIN_EXE_ttydesk")
    );
    let mut child = tokio::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TTYDESK_DATA_DIR", &data)
        .env("PAGER", "true")
        .env_remove("TTYDESK_CONFIG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("this test needs `script` (util-linux) to make a real terminal");
    let mut keys = child.stdin.take().unwrap();
    let typing = async move {
        for (wait_ms, text) in [(2000, ":log\r"), (1500, ":log\r"), (1500, "q")] {
            tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
            keys.write_all(text.as_bytes()).await.unwrap();
            keys.flush().await.unwrap();
        }
        keys
    };
    let (keys, out) = tokio::join!(typing, async {
        tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output()).await
    });
    drop(keys);
    let out = out.expect("the console quit on q").unwrap();
    let screen = text(&out.stdout);
    assert!(out.status.success(), "exit {:?}: {screen}", out.status);
    assert!(!screen.contains("cursor position"), "{screen}");
    assert!(!screen.contains("Error"), "{screen}");
    assert!(
        screen.contains("Acme IT"),
        "the console was drawn: {screen}"
    );
    let _ = std::fs::remove_dir_all(data);
}
