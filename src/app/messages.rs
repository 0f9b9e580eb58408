//! The messages overlay (`E`, `:messages`): everything the status bar could only start to say,
//! in full. Each profile's state with the whole reason of what failed (connecting, its help
//! desks and statuses, its listing), then the warnings and errors of this run, newest first:
//! the start-up warnings (a key conflict, an unusable profile) included, not just the first.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::action::Action;
use super::keys::moved;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::session::Connection;

/// Messages kept for the overlay.
pub const KEPT: usize = 200;

/// One warning or error said during this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub at: DateTime<Utc>,
    pub level: NoticeLevel,
    pub text: String,
}

/// Keeps `text` for the overlay (warnings and errors only: an info notice is done when read).
pub fn remember(kept: &mut VecDeque<Said>, at: DateTime<Utc>, level: NoticeLevel, text: &str) {
    if level == NoticeLevel::Info {
        return;
    }
    if kept.front().is_some_and(|s| s.text == text) {
        return;
    }
    kept.push_front(Said {
        at,
        level,
        text: text.to_string(),
    });
    kept.truncate(KEPT);
}

/// A line of the overlay, before wrapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageLine {
    Heading(String),
    Fine(String),
    Problem(NoticeLevel, String),
    Blank,
}

pub fn lines(m: &Model) -> Vec<MessageLine> {
    let mut out = vec![MessageLine::Heading("Profiles".into())];
    for s in &m.sessions {
        let name = &s.label.name;
        match &s.connection {
            Connection::Online(info) => out.push(MessageLine::Fine(format!(
                "{name}: online, {} {}",
                info.product, info.version
            ))),
            Connection::Connecting => out.push(MessageLine::Fine(format!("{name}: connecting"))),
            Connection::Offline(why) => out.push(MessageLine::Problem(
                NoticeLevel::Error,
                format!("{name}: offline: {why}"),
            )),
        }
        if let Some(e) = s.catalog.error() {
            out.push(MessageLine::Problem(
                NoticeLevel::Error,
                format!("{name}: help desks and statuses: {e}"),
            ));
        }
        if let Some(e) = s.listing.error() {
            out.push(MessageLine::Problem(
                NoticeLevel::Error,
                format!("{name}: its requests: {e}"),
            ));
        }
        let unreadable = s.listing.unreadable();
        if unreadable > 0 {
            out.push(MessageLine::Problem(
                NoticeLevel::Warning,
                format!("{name}: {unreadable} requests the server sent could not be read (the log names each)"),
            ));
        }
    }
    out.push(MessageLine::Blank);
    out.push(MessageLine::Heading("Said this run, newest first".into()));
    if m.said.is_empty() {
        out.push(MessageLine::Fine("no warning and no error".into()));
    }
    for said in &m.said {
        let at = said.at.format("%H:%M:%S");
        out.push(MessageLine::Problem(
            said.level,
            format!("{at}  {}", said.text),
        ));
    }
    out
}

pub fn open(m: &mut Model) -> Vec<Effect> {
    m.mode = Mode::Messages { scroll: 0 };
    Vec::new()
}

/// Lines of the overlay at the width it is drawn (see `ui::messages`).
pub fn wrapped_len(m: &Model) -> usize {
    let width = usize::from(width(m.size.0).saturating_sub(4));
    lines(m)
        .iter()
        .map(|l| match l {
            MessageLine::Heading(t) | MessageLine::Fine(t) | MessageLine::Problem(_, t) => {
                super::detail::wrap(t, width).len().max(1)
            }
            MessageLine::Blank => 1,
        })
        .sum()
}

/// The overlay's width on a terminal `columns` wide.
pub fn width(columns: u16) -> u16 {
    columns.saturating_sub(4).clamp(20, 110)
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Close | Action::Help | Action::Messages | Action::Cancel => m.mode = Mode::Normal,
        action if action.moves() => {
            let visible = super::help::visible(m.size.1);
            let last = wrapped_len(m).saturating_sub(visible);
            if let Mode::Messages { scroll } = &mut m.mode {
                *scroll = moved(*scroll, last + 1, action, visible);
            }
        }
        _ => {}
    }
    Vec::new()
}
