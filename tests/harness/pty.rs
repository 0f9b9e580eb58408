//! For tests that run the binary on a real terminal (a pty made by `script`, from util-linux):
//! what the child wrote, read as it comes, and a patient wait.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Everything the child wrote so far, raw: ratatui draws cell by cell, so look for words, not
/// sentences.
#[derive(Clone, Default)]
pub struct Screen(Arc<Mutex<Vec<u8>>>);

impl Screen {
    pub fn read_from(&self, mut from: impl tokio::io::AsyncRead + Unpin + Send + 'static) {
        use tokio::io::AsyncReadExt;
        let screen = self.clone();
        tokio::spawn(async move {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = from.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                screen
                    .0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(&chunk[..n]);
            }
        });
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

/// Waits up to 20 s for `done`, checking every 50 ms.
pub async fn wait_for(what: &str, done: impl Fn() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("waited 20 s for {what}");
}
