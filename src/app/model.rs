//! [`Model`]: the whole state of the console, owned by the main task. Background work never
//! touches it; it only sends messages that `update` applies.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::detail::DetailState;
use super::msg::RequestId;
use super::queues::QueuesState;
use super::remote::Remote;
use super::requests::RequestsState;
use super::tickets::TicketCache;
use crate::config::Keymap;
use crate::config::keymap::Context;
use crate::domain::{Catalog, QueueIndex, ServerInfo};

/// The pane that receives keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Queues,
    Requests,
    Detail,
}

impl Focus {
    pub fn context(self) -> Context {
        match self {
            Focus::Queues => Context::Queues,
            Focus::Requests => Context::Requests,
            Focus::Detail => Context::Detail,
        }
    }
}

/// Who we are talking to, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileLabel {
    pub name: String,
    pub vendor: String,
    /// The data comes from the built-in simulator, not a real service desk.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Connecting,
    Online(ServerInfo),
    Offline(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

/// A message for the agent in the status bar; it fades after a while.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub text: String,
    pub until: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Model {
    pub profile: ProfileLabel,
    pub keymap: Arc<Keymap>,
    /// The clock, set by the runtime before each step so `update` stays pure.
    pub now: DateTime<Utc>,
    pub size: (u16, u16),
    pub focus: Focus,
    pub help: Option<usize>,
    pub connection: Connection,
    pub catalog: Remote<Arc<Catalog>>,
    pub index: Remote<QueueIndex>,
    pub queues: QueuesState,
    /// Every request row loaded so far, by id.
    pub tickets: TicketCache,
    pub requests: RequestsState,
    pub detail: DetailState,
    pub probe: Option<RequestId>,
    pub last_refresh: Option<DateTime<Utc>>,
    pub notice: Option<Notice>,
    pub quit: bool,
    next_request: u64,
}

impl Model {
    pub fn new(profile: ProfileLabel, keymap: Arc<Keymap>, now: DateTime<Utc>) -> Model {
        Model {
            profile,
            keymap,
            now,
            size: (80, 24),
            focus: Focus::Queues,
            help: None,
            connection: Connection::Connecting,
            catalog: Remote::NotAsked,
            index: Remote::NotAsked,
            queues: QueuesState::default(),
            tickets: TicketCache::default(),
            requests: RequestsState::default(),
            detail: DetailState::default(),
            probe: None,
            last_refresh: None,
            notice: None,
            quit: false,
            next_request: 0,
        }
    }

    pub fn next_request_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    /// Something on screen moves (spinner) or fades (notice), so the loop should tick.
    pub fn wants_tick(&self) -> bool {
        self.notice.is_some() || self.is_busy()
    }

    pub fn is_busy(&self) -> bool {
        self.catalog.is_loading()
            || self.index.is_loading()
            || self.detail.data.is_loading()
            || self.requests.is_loading()
    }

    pub fn notify(&mut self, level: NoticeLevel, text: impl Into<String>) {
        let secs = if level == NoticeLevel::Info { 4 } else { 10 };
        self.notice = Some(Notice {
            level,
            text: text.into(),
            until: self.now + chrono::Duration::seconds(secs),
        });
    }
}
