//! [`Msg`] (what happened) and [`Effect`] (the IO `update` asks the runtime for). Every provider
//! call carries a [`RequestId`]; an answer whose id the model no longer waits for is dropped.
//! Effects are grouped by kind: provider calls, the filter worker, the store, timers, and
//! handing the terminal to another program.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::composer::Draft;
use super::matcher::{MatchJob, Matched};
use super::outbox::{OutboxEvent, OutboxOp};
use super::rows::Row;
use crate::domain::{
    Capabilities, Catalog, Counts, Person, ProfileId, Ticket, TicketDetail, TicketId, TicketKey,
};
use crate::provider::{Answer, Call};

/// Identifies one call, so a late answer can be told from the one awaited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// A timer `update` can set, cancel, and be told about. Setting one that is already set moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// The notice in the status bar has been read long enough.
    Notice,
    /// A profile's rate-limit pause is over.
    RateLimit(ProfileId),
    /// Ages on screen ("5m") move on.
    Clock,
    /// Typing in the composer paused: save the draft.
    Draft,
    /// Time to read the pending approvals again.
    Approvals,
    /// Time to read breaking news again.
    News,
    /// Typing in the knowledge-base search paused: search.
    KbSearch,
}

#[derive(Debug)]
pub enum Msg {
    /// First message: start loading.
    Start,
    /// A key press from the terminal.
    Key(KeyEvent),
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
    /// The mouse, with `mouse = true`.
    Mouse(crossterm::event::MouseEvent),
    /// A provider call finished.
    Answer {
        profile: ProfileId,
        id: RequestId,
        answer: Answer,
    },
    /// A filter pass finished.
    Matched(Matched),
    /// The store answered.
    Stored(Stored),
    /// A timer went off.
    Timer(Timer),
    /// The program the terminal was handed to has ended and the console is back. For an edit,
    /// `Ok(Some(text))` is what the editor saved.
    Resumed {
        id: RequestId,
        outcome: Result<Option<String>, String>,
    },
    /// The outbox worker reports.
    Outbox(OutboxEvent),
    /// Time passed while something animates (a spinner); the clock itself is `Model::now`.
    Tick,
}

/// IO that `update` asks for.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Any provider operation, for one profile; answered with `Msg::Answer`.
    Call {
        profile: ProfileId,
        id: RequestId,
        call: Call,
    },
    /// A filter pass on the worker; answered with `Msg::Matched`.
    Match(MatchJob),
    /// Read or write the store; reads are answered with `Msg::Stored`.
    Store(StoreOp),
    SetTimer {
        timer: Timer,
        after: Duration,
    },
    CancelTimer(Timer),
    /// Hand the terminal to `command` (argv) until it ends; answered with `Msg::Resumed`. With
    /// `edit`, the text is written to a private temporary file whose path is added to the
    /// command, and read back when it ends.
    Suspend {
        id: RequestId,
        command: Vec<String>,
        edit: Option<String>,
    },
    /// Add to, retry or discard from the outbox; answered with `Msg::Outbox`.
    Outbox(OutboxOp),
    /// Ring the terminal's bell (only when the configuration asks for it).
    Bell,
    /// Put `text` on the terminal's clipboard (OSC 52; also through tmux's passthrough with
    /// `tmux`). Checked by `ui::osc::copy` first.
    Copy {
        text: String,
        tmux: bool,
    },
    /// Start `command` (argv) beside the console, its input and output going nowhere: a
    /// graphical browser. It is not waited for; a failure to start, or a failed exit, comes
    /// back as `Msg::Resumed` with the error.
    Launch {
        id: RequestId,
        command: Vec<String>,
    },
}

/// What to read from or keep in the store, per profile.
#[derive(Debug, Clone)]
pub enum StoreOp {
    /// Everything kept for the profile: answered with `Stored::Profile`.
    Load {
        profile: ProfileId,
    },
    /// One detail: answered with `Stored::Detail`.
    LoadDetail {
        profile: ProfileId,
        id: TicketId,
    },
    SaveCatalog {
        profile: ProfileId,
        catalog: Arc<Catalog>,
    },
    SaveCapabilities {
        profile: ProfileId,
        capabilities: Capabilities,
    },
    SaveCounts {
        profile: ProfileId,
        counts: Counts,
    },
    /// A complete listing (ids in order).
    SaveListing {
        profile: ProfileId,
        ids: Arc<[TicketId]>,
        total: Option<u64>,
    },
    SaveRows {
        profile: ProfileId,
        rows: Vec<Arc<Row>>,
    },
    SaveDetail {
        profile: ProfileId,
        detail: Arc<TicketDetail>,
    },
    /// The draft of a reply on `key`: answered with `Stored::Draft`.
    LoadDraft {
        key: TicketKey,
    },
    SaveDraft {
        key: TicketKey,
        draft: Draft,
    },
    DeleteDraft {
        key: TicketKey,
    },
    /// Who the profile's `agent` turned out to be, for writes while offline.
    SaveAgent {
        profile: ProfileId,
        login: String,
        person: Person,
    },
    /// The account the profile works in now (one of several its token reaches): the next run
    /// works in it again, and drafts are kept per account from now on.
    SaveAccount {
        profile: ProfileId,
        account: String,
    },
    /// Everything saved of the profile's requests, catalog and agent: it was another account's.
    /// Drafts and the outbox stay (they know their account).
    ForgetData {
        profile: ProfileId,
    },
    /// Requests' approvals as just read.
    SaveApprovals {
        profile: ProfileId,
        checked: Vec<super::approvals::Checked>,
    },
    /// Forget the approvals of requests not in `keep` (closed since).
    KeepApprovals {
        profile: ProfileId,
        keep: Arc<std::collections::HashSet<TicketId>>,
    },
}

/// What the store answered.
#[derive(Debug)]
pub enum Stored {
    Profile {
        profile: ProfileId,
        saved: Box<Saved>,
    },
    Detail {
        profile: ProfileId,
        id: TicketId,
        detail: Option<Box<(TicketDetail, DateTime<Utc>)>>,
    },
    Draft {
        key: TicketKey,
        draft: Option<(Draft, DateTime<Utc>)>,
    },
    /// Something about the store the agent should know (it was rebuilt, it is unavailable).
    Notice(String),
}

/// A profile's data as an earlier run left it.
#[derive(Debug, Default)]
pub struct Saved {
    pub catalog: Option<(Catalog, DateTime<Utc>)>,
    pub capabilities: Option<Capabilities>,
    pub counts: Option<(Counts, DateTime<Utc>)>,
    pub listing: Option<(SavedListing, DateTime<Utc>)>,
    pub tickets: Vec<Ticket>,
    /// The agent's login and who it was on the server.
    pub agent: Option<(String, Person)>,
    /// Requests' approvals as last read.
    pub approvals: Vec<super::approvals::Checked>,
    /// The account the data is of, for a profile that works in one of several.
    pub account: Option<String>,
}

/// A complete listing as it was saved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SavedListing {
    pub ids: Vec<TicketId>,
    pub total: Option<u64>,
}
