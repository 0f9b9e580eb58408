//! The application core, Elm style: [`Model`] is the state (shared panes plus one [`Session`]
//! per open profile), [`Msg`] what happened, [`update`] the pure step from one to the next (no IO,
//! no clock, no terminal), [`Effect`] the IO `update` asks for, and [`runtime`] the part that
//! performs it and runs the event loop.

mod accounts;
mod action;
mod actions;
mod approval_pane;
mod approvals;
mod composer;
mod confirm;
mod detail;
mod help;
pub mod input;
mod kb;
mod kb_pane;
mod keys;
mod layout;
mod links;
mod listing;
mod load;
mod matcher;
mod messages;
pub(crate) mod mode;
mod model;
mod mouse;
mod msg;
mod news;
mod news_form;
mod news_pane;
pub mod outbox;
mod outbox_panel;
mod palette;
pub mod persist;
mod picker;
mod prompt;
mod queues;
mod remote;
mod requests;
mod restore;
mod rows;
pub mod runtime;
mod session;
pub mod startup;
mod tally;
mod update;
mod views;
mod writes;

pub use action::Action;
pub use actions::choices;
pub use approval_pane::{
    ApprovalView, Item as ApprovalItem, Scope as ApprovalScope, items as approval_items,
    pending_write as approval_pending_write,
};
pub use approvals::CHUNK as APPROVAL_CHUNK;
pub use approvals::{ApprovalBook, Checked, waiting as approvals_waiting};
pub use composer::{Composer, Draft, ReplyKind};
pub use confirm::{Confirm, Confirmed};
pub use detail::{DetailLine, DetailPane, LineKind, wrap};
pub use help::HelpLine;
pub use kb::Kb;
pub use kb_pane::{KbFocus, KbView, excerpt_range as kb_excerpt_range, tree_rows as kb_tree_rows};
pub use layout::{MIN_HEIGHT, MIN_WIDTH, Screen, inner};
pub use links::{browser, web_link};
pub use listing::Listing;
pub use matcher::{Candidate, MatchJob, Matched, Matcher, SortOrder};
pub use messages::{MessageLine, Said, lines as message_lines, width as messages_width};
pub use mode::Mode;
pub use model::{Browser, Focus, Model, Notice, NoticeLevel, Settings};
pub use msg::{Effect, Msg, RequestId, Saved, SavedListing, StoreOp, Stored, Timer};
pub use news::{Banner, all as news_items, banner};
pub use news_form::{Choices as NewsChoices, Field as NewsField, NewsForm};
pub use news_pane::NewsView;
pub use outbox::{OutboxEvent, OutboxItem, OutboxOp, Queued};
pub use outbox_panel::items as outbox_items;
pub use palette::{COMMANDS, Choices, Completion, Palette, completions};
pub use picker::{Pick, PickOption, Picker};
pub use prompt::Prompt;
pub use queues::{QueueKey, QueueRow, QueuesPane, RowKind, StatusRow};
pub use remote::Remote;
pub use requests::RequestsPane;
pub use rows::{Row, RowCache};
pub use session::{Connection, ProfileLabel, Session};
pub use tally::Tally;
pub use update::{scrolled, update};
pub use writes::{Agent, tally as outbox_tally};

/// The help overlay's lines for the mode it shows.
pub fn help_lines(m: &Model) -> Vec<HelpLine> {
    match &m.mode {
        Mode::Help { of, .. } => help::lines(m, of, m.focus),
        other => help::lines(m, other, m.focus),
    }
}

/// Help lines visible on a terminal this high.
pub fn help_visible(height: u16) -> usize {
    help::visible(height)
}

/// The rows of the queue tree as drawn now.
pub fn queue_rows(m: &Model) -> Vec<QueueRow> {
    queues::rows(m)
}

/// The sessions a queue lists.
pub fn sessions_of<'a>(m: &'a Model, queue: &QueueKey) -> impl Iterator<Item = &'a Session> {
    queues::sessions_of(m, queue)
}

/// The status filter's lines for the selected queue.
pub fn status_rows(m: &Model) -> Vec<StatusRow> {
    queues::status_rows(m)
}

#[cfg(test)]
mod tests;
