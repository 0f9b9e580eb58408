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
    /// take the child's keys. Keys it read before stay in crossterm's queue.
    events: Option<EventStream>,
}

impl TerminalInput {
    /// Reads the terminal ratatui was started on (raw mode and the alternate screen are on).
    pub fn new() -> TerminalInput {
        TerminalInput {
            events: Some(EventStream::new()),
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
        match &mut self.events {
            Some(events) => events.next().await,
            None => std::future::pending().await,
        }
    }

    fn pending(&mut self) -> bool {
        self.events.is_some() && crossterm::event::poll(Duration::ZERO).unwrap_or(false)
    }

    fn release(&mut self) -> io::Result<()> {
        self.events = None;
        crossterm::terminal::disable_raw_mode()?;
        crossterm::execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show)
    }

    fn reclaim(&mut self) -> io::Result<()> {
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
        self.events = Some(EventStream::new());
        Ok(())
    }
}
