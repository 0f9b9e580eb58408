//! The binary as a person runs it: a broken configuration is explained with file, line and key
//! before any terminal mode is touched; `doctor` checks real connectivity against the simulator
//! and never prints the token.

// Test set-up that fails (temp files, spawning the binary) should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use harness::bin::{text, write_config};
use harness::pty::wait_for;
use tempfile::TempDir;
use ttydesk::sim::{SimHandle, SimOptions};

async fn ttydesk(dir: &TempDir, args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    harness::bin::run(dir, args, envs).await
}

#[tokio::test]
async fn a_misspelt_key_is_reported_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        &dir,
        "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"https://x.example\"\nusername = \"api\"\ntokn_env = \"T\"\n",
    );
    let out = ttydesk(&dir, &["--config", path.to_str().unwrap()], &[]).await;
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
    let dir = tempfile::tempdir().unwrap();
    let out = ttydesk(&dir, &["demo"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("needs an interactive terminal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[tokio::test]
async fn a_missing_token_variable_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        &dir,
        "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"https://x.example\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_TEST_UNSET\"\n",
    );
    let out = ttydesk(&dir, &["--config", path.to_str().unwrap()], &[]).await;
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
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(&dir, &config);
    let out = ttydesk(
        &dir,
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
    // The host's clock against the server's `Date`, and the store file (not there yet).
    assert!(stdout.contains("clock: within "), "{stdout}");
    assert!(stdout.contains("not created yet"), "{stdout}");
    assert!(
        !stdout.contains(sim.password()) && !stdout.contains("wrong-token-4711"),
        "{stdout}"
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a failing profile fails the check"
    );
    // The simulator saw Basic auth, never a token in a URL.
    let requests = sim.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        for (_, v) in &r.query {
            assert!(
                !v.contains(sim.password()) && !v.contains("wrong-token-4711"),
                "{v}"
            );
        }
    }
}

#[tokio::test]
async fn one_profile_whose_token_cannot_be_read_does_not_keep_the_others_from_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        &dir,
        "[profiles.good]\nprovider = \"invgate\"\nbase_url = \"https://a.example\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_GOOD\"\n\n\
         [profiles.bad]\nprovider = \"invgate\"\nbase_url = \"https://b.example\"\nusername = \"api\"\ntoken_env = \"TTYDESK_CLI_UNSET\"\n",
    );
    let config = path.to_str().unwrap();
    // With both open, start-up goes on to the terminal (which a pipe is not).
    let out = ttydesk(&dir, &["--config", config], &[("TTYDESK_CLI_GOOD", "t")]).await;
    let err = text(&out.stderr);
    assert!(err.contains("needs an interactive terminal"), "{err}");
    // The bad one alone cannot open, and says why.
    let out = ttydesk(
        &dir,
        &["--config", config, "--profile", "bad"],
        &[("TTYDESK_CLI_GOOD", "t")],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("TTYDESK_CLI_UNSET"), "{err}");
}

/// On a real terminal (a pty made by `script`, from util-linux): `:log` hands the terminal to
/// the pager and takes it back, twice, and the console goes on until `q`. Before the fix, coming
/// back failed on the terminal's reply ("the cursor position could not be read"). Also checks
/// that the data directory and the log the pager was shown are private to the agent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_comes_back_from_the_pager_on_a_real_terminal() {
    use std::os::unix::fs::PermissionsExt;
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A pager that notes which file it was given, and returns at once.
    let ran = dir.path().join("pager-ran");
    let pager = dir.path().join("pager");
    std::fs::write(
        &pager,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", ran.display()),
    )
    .unwrap();
    std::fs::set_permissions(&pager, std::fs::Permissions::from_mode(0o755)).unwrap();
    let runs = || {
        std::fs::read_to_string(&ran)
            .map(|t| t.lines().map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_default()
    };

    let command = format!(
        "stty cols 100 rows 30; exec {} demo",
        env!("CARGO_BIN_EXE_ttydesk")
    );
    let harness::pty::Pty {
        mut child,
        mut keys,
        screen,
    } = harness::pty::spawn(&command, |c| {
        c.env("TTYDESK_DATA_DIR", &data).env("PAGER", &pager);
    });
    let mut type_keys = async |text: &str| {
        keys.write_all(text.as_bytes()).await.unwrap();
        keys.flush().await.unwrap();
    };

    wait_for("the first frame", || screen.text().contains("Acme HR")).await;
    type_keys(":log\r").await;
    wait_for("the pager", || runs().len() == 1).await;
    // Typed while the pager may still have the terminal: the console reads it when back.
    type_keys(":log\r").await;
    wait_for("the pager again", || runs().len() == 2).await;
    type_keys("q").await;
    let status = tokio::time::timeout(std::time::Duration::from_secs(20), child.wait())
        .await
        .expect("the console quit on q")
        .unwrap();

    let shown = screen.text();
    assert!(status.success(), "exit {status:?}: {shown}");
    assert!(!shown.contains("cursor position"), "{shown}");
    assert!(!shown.contains("Error"), "{shown}");
    let log = data.join("ttydesk.log");
    assert_eq!(
        runs(),
        vec![log.display().to_string(); 2],
        "the pager was shown the log"
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data directory is private");
    assert_eq!(mode(&log), 0o600, "the log is private");
    assert_eq!(mode(&data.join("store.sqlite3")), 0o600);
}

/// A proxy on 127.0.0.1 that answers every `CONNECT` with `status` and closes: a corporate
/// proxy that wants a login (407) or will not let this host out (403).
async fn refusing_proxy(status: &'static str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut buf = [0u8; 1024];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let reply = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n");
                let _ = conn.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_says_when_the_proxy_refuses() {
    let config = "[profiles.work]\nprovider = \"invgate\"\nbase_url = \"https://helpdesk.example.invalid\"\n\
                  username = \"api\"\ntoken_env = \"TTYDESK_CLI_PROXY\"\n";
    for (status, words) in [
        (
            "407 Proxy Authentication Required",
            "the proxy asks for a login (407)",
        ),
        (
            "403 Forbidden",
            "the proxy refused to connect to the server",
        ),
    ] {
        let proxy = refusing_proxy(status).await;
        let dir = tempfile::tempdir().unwrap();
        let path = write_config(&dir, config);
        let out = ttydesk(
            &dir,
            &["doctor", "--config", path.to_str().unwrap()],
            &[
                ("TTYDESK_CLI_PROXY", "secret-4711"),
                ("HTTPS_PROXY", proxy.as_str()),
                ("https_proxy", proxy.as_str()),
                ("NO_PROXY", ""),
                ("no_proxy", ""),
            ],
        )
        .await;
        let stdout = text(&out.stdout);
        assert!(stdout.contains(words), "{status}: {stdout}");
        assert!(stdout.contains("proxy: HTTPS_PROXY="), "{stdout}");
        assert!(!stdout.contains("secret-4711"), "{stdout}");
        assert_eq!(out.status.code(), Some(2), "{stdout}");
    }
}
