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
    /// `mouse = true`: the terminal reports the mouse (and its own selection needs shift).
    mouse: bool,
}

impl TerminalInput {
    /// Reads the terminal ratatui was started on (raw mode and the alternate screen are on).
    pub fn new() -> TerminalInput {
        TerminalInput {
            events: None,
            released: false,
            mouse: false,
        }
    }

    /// Also reads the mouse (off by default, so the terminal's text selection works).
    pub fn with_mouse(mut self, mouse: bool) -> io::Result<TerminalInput> {
        self.mouse = mouse;
        if mouse {
            crossterm::execute!(io::stdout(), crossterm::event::EnableMouseCapture)?;
        }
        Ok(self)
    }

    /// Stops mouse reporting before the terminal goes back to the shell.
    pub fn finish(&mut self) {
        if self.mouse {
            let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableMouseCapture);
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
        if self.mouse {
            crossterm::execute!(io::stdout(), crossterm::event::DisableMouseCapture)?;
        }
        crossterm::terminal::disable_raw_mode()?;
        crossterm::execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show)
    }

    fn reclaim(&mut self) -> io::Result<()> {
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
        if self.mouse {
            crossterm::execute!(io::stdout(), crossterm::event::EnableMouseCapture)?;
        }
        self.released = false;
        Ok(())
    }
}

/// The terminal backend for a full-screen console: the real one, except that it never asks
/// the terminal where its cursor is. Ratatui asks before clearing (to put the cursor back, which
/// matters only for inline views); a terminal that does not answer the question (a bare pty, a
/// serial console) would otherwise stop the console when it comes back from a child program.
#[derive(Debug)]
pub struct FullScreen<B> {
    inner: B,
    cursor: ratatui::layout::Position,
}

impl<B> FullScreen<B> {
    pub fn new(inner: B) -> FullScreen<B> {
        FullScreen {
            inner,
            cursor: ratatui::layout::Position::ORIGIN,
        }
    }
}

impl<B: ratatui::backend::Backend> ratatui::backend::Backend for FullScreen<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    /// Where the cursor was last put, without asking the terminal.
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        let position = position.into();
        self.cursor = position;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}
