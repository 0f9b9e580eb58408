//! [`Input`]: where the loop's terminal events come from, and how the terminal is handed to
//! another program and taken back. [`TerminalInput`] is the real terminal (crossterm); tests
//! give the loop a scripted one.

use std::io;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use futures_util::StreamExt;

pub trait Input {
    /// The next event; `None` when input has ended.
    fn next(&mut self) -> impl Future<Output = Option<io::Result<Event>>>;

    /// An event is already waiting (the frame about to be drawn would be stale at once).
    fn pending(&mut self) -> bool;

    /// Stops reading and gives the terminal back to the shell's normal mode, for a child
    /// program. Events already read stay queued for [`Input::reclaim`].
    fn release(&mut self) -> io::Result<()>;

    /// Takes the terminal back after a child program: raw mode, the alternate screen, reading.
    fn reclaim(&mut self) -> io::Result<()>;
}

/// The real terminal.
#[derive(Debug)]
pub struct TerminalInput {
    /// Reading stops while a child has the terminal: crossterm's reader thread would otherwise
    /// take the child's keys. Keys it read before stay in crossterm's queue. The stream is
    /// made again on the first read after the terminal is back, not at once: until then the
    /// loop can still ask the terminal things (where the cursor is, when redrawing).
    events: Option<EventStream>,
    released: bool,
}

impl TerminalInput {
    /// Reads the terminal ratatui was started on (raw mode and the alternate screen are on).
    pub fn new() -> TerminalInput {
        TerminalInput {
            events: None,
            released: false,
        }
    }
}

impl Default for TerminalInput {
    fn default() -> Self {
        TerminalInput::new()
    }
}

impl Input for TerminalInput {
    async fn next(&mut self) -> Option<io::Result<Event>> {
        if self.released {
            return std::future::pending().await;
        }
        self.events
            .get_or_insert_with(EventStream::new)
            .next()
            .await
    }

    fn pending(&mut self) -> bool {
        !self.released && crossterm::event::poll(Duration::ZERO).unwrap_or(false)
    }

    fn release(&mut self) -> io::Result<()> {
        // Dropping the stream wakes crossterm's reader; a wake that no read consumed would
        // interrupt the next one (the cursor query of the redraw after the child, which then
        // fails). This read of nothing consumes it, and queues keys already typed for us.
        self.events = None;
        let _ = crossterm::event::poll(Duration::ZERO);
        self.released = true;
        crossterm::terminal::disable_raw_mode()?;
        crossterm::execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show)
    }

    fn reclaim(&mut self) -> io::Result<()> {
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
        self.released = false;
        Ok(())
    }
}
