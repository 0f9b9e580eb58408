#![allow(clippy::unwrap_used)]
//! The binary as scripts run it: a configuration file in a temporary directory, the data
//! directory beside it, no terminal.

use std::path::PathBuf;
use std::process::{Output, Stdio};

use tempfile::TempDir;

/// Writes `text` as `ttydesk.toml` in `dir` (each test has its own, removed when it ends).
pub fn write_config(dir: &TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("ttydesk.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the binary with `dir`/data as its data directory, no terminal, and `stdin` (or
/// nothing) on standard input.
pub async fn run_with(
    dir: &TempDir,
    args: &[&str],
    envs: &[(&str, &str)],
    stdin: Option<&str>,
) -> Output {
    let input = match stdin {
        Some(text) => {
            let path = dir.path().join("stdin.txt");
            std::fs::write(&path, text).unwrap();
            Stdio::from(std::fs::File::open(&path).unwrap())
        }
        None => Stdio::null(),
    };
    tokio::process::Command::new(env!("CARGO_BIN_EXE_ttydesk"))
        .args(args)
        .envs(envs.iter().copied())
        .env("TTYDESK_DATA_DIR", dir.path().join("data"))
        .env_remove("TTYDESK_CONFIG")
        .stdin(input)
        .output()
        .await
        .unwrap()
}

/// Runs the binary with nothing on standard input.
pub async fn run(dir: &TempDir, args: &[&str], envs: &[(&str, &str)]) -> Output {
    run_with(dir, args, envs, None).await
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
