//! [`ScreenBackend`]: a `TestBackend` that publishes every frame it is sent, so a test (or a
//! bench) that drives the real loop can read what the agent would see while the loop runs, count
//! frames, and time them.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// The last frame drawn, and how many there were.
#[derive(Debug, Default, Clone)]
pub struct Shot {
    pub text: String,
    pub frames: u64,
    pub last: Option<Instant>,
}

#[derive(Debug)]
pub struct ScreenBackend {
    inner: TestBackend,
    shot: Arc<Mutex<Shot>>,
}

/// The test's side of a [`ScreenBackend`].
#[derive(Debug, Clone)]
pub struct ScreenWatch {
    shot: Arc<Mutex<Shot>>,
}

impl ScreenBackend {
    pub fn new(width: u16, height: u16) -> (ScreenBackend, ScreenWatch) {
        let shot = Arc::new(Mutex::new(Shot::default()));
        let watch = ScreenWatch {
            shot: Arc::clone(&shot),
        };
        (
            ScreenBackend {
                inner: TestBackend::new(width, height),
                shot,
            },
            watch,
        )
    }
}

impl ScreenWatch {
    pub fn shot(&self) -> Shot {
        self.shot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn text(&self) -> String {
        self.shot().text
    }

    pub fn frames(&self) -> u64 {
        self.shot().frames
    }

    /// Waits until a frame satisfies `ready` and returns it; after `limit`, returns the last
    /// frame as an error.
    pub async fn wait_for(
        &self,
        limit: Duration,
        ready: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let started = Instant::now();
        loop {
            let text = self.text();
            if ready(&text) {
                return Ok(text);
            }
            if started.elapsed() > limit {
                return Err(text);
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits until no frame has been drawn for `quiet` (the loop is idle).
    pub async fn settle(&self, quiet: Duration, limit: Duration) {
        let started = Instant::now();
        let mut seen = self.frames();
        let mut since = Instant::now();
        while started.elapsed() < limit {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let now = self.frames();
            if now != seen {
                seen = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }
}

impl Backend for ScreenBackend {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    /// The end of a frame: publish it.
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        let mut shot = self.shot.lock().unwrap_or_else(PoisonError::into_inner);
        shot.text = self.inner.to_string();
        shot.frames += 1;
        shot.last = Some(Instant::now());
        Ok(())
    }
}
