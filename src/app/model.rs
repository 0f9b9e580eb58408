//! [`Model`]: the whole state of the console, owned by the main task: what all panes share
//! (focus, mode, notices, the panes' own state) and one [`Session`] per open profile. Background
//! work never touches it; it only sends messages that `update` applies.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::detail::DetailPane;
use super::layout::Screen;
use super::mode::Mode;
use super::msg::RequestId;
use super::queues::{QueueKey, QueuesPane};
use super::requests::RequestsPane;
use super::session::{ProfileLabel, Session};
use crate::config::Keymap;
use crate::domain::{ProfileId, Ticket, TicketDetail, TicketKey};

/// The pane that receives keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Queues,
    Requests,
    Detail,
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
    /// The fault it reports: it goes as soon as that kind of call of that profile answers
    /// well again.
    pub about: Option<Fault>,
}

/// Which profile's which kind of call ([`crate::provider::Answer::kind`]) a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    pub profile: ProfileId,
    /// Empty until the answer that failed is known.
    pub call: &'static str,
}

/// What the console was started with, beyond the profiles.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The pager (argv) `:log` opens the log in.
    pub pager: Vec<String>,
    /// The log file, if logging to one.
    pub log_file: Option<PathBuf>,
    /// The queue selected at start (`default_profile`).
    pub start_profile: Option<ProfileId>,
    /// The editor (argv) `ctrl-e` hands a reply to: `$VISUAL`, else `$EDITOR`.
    pub editor: Vec<String>,
    /// The outbox is there (the store opened): writes can be made.
    pub outbox: bool,
    /// Tells this process's writes from another's in outbox ids.
    pub instance: String,
    /// `news_interval`: seconds between two reads of breaking news (see `news::interval`).
    pub news_interval: Option<u64>,
    /// `bell = true`: ring the terminal's bell when breaking news arrives.
    pub bell: bool,
    /// `kb_min_score`: the lowest relevance (0 to 1) a knowledge-base result may have.
    pub kb_min_score: Option<f64>,
    /// How `O` opens a web page on this host.
    pub browser: Browser,
    /// Running inside tmux: OSC 52 is also sent through tmux's passthrough.
    pub in_tmux: bool,
    /// Request links are drawn as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// The mouse scrolls and clicks (`mouse = true`).
    pub mouse: bool,
    /// `[views.NAME]`, in file order.
    pub views: Vec<(String, crate::config::View)>,
}

/// How a web page is opened here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Browser {
    /// No browser: no `$BROWSER`, no display.
    #[default]
    None,
    /// A graphical one (`xdg-open`, `open`): started beside the console.
    Desktop(Vec<String>),
    /// `$BROWSER` with no display: a text browser, given the terminal until it ends.
    Terminal(Vec<String>),
}

#[derive(Debug)]
pub struct Model {
    pub keymap: Arc<Keymap>,
    pub settings: Settings,
    /// The clock, set by the runtime before each step so `update` stays pure.
    pub now: DateTime<Utc>,
    pub size: (u16, u16),
    pub focus: Focus,
    pub mode: Mode,
    pub sessions: Vec<Session>,
    pub queues: QueuesPane,
    pub requests: RequestsPane,
    pub detail: DetailPane,
    pub notice: Option<Notice>,
    /// The notice whose expiry timer is set.
    pub(super) notice_timer: Option<DateTime<Utc>>,
    /// Keys waiting for the filter pass they act on (see `keys::key`), in the order typed.
    pub deferred_keys: VecDeque<crossterm::event::KeyEvent>,
    /// Replies handed to the outbox, by outbox id, until it has them: their drafts go then.
    pub drafts_sent: std::collections::HashMap<String, TicketKey>,
    /// Writes made this run, for their ids.
    pub writes_made: u64,
    /// The composer's text is in an editor under this hand-over.
    pub composer_editor: Option<RequestId>,
    /// A state change waiting for a fresh read of its request (the stale-write guard).
    pub guard: Option<super::writes::Guard>,
    /// A news item being written, closed with `esc`: `n` in the news pane brings it back.
    pub news_draft: Option<Box<super::news_form::NewsForm>>,
    /// The knowledge base: the search, the tree, the article read.
    pub kb: super::kb::Kb,
    /// Warnings and errors said this run, newest first (the messages overlay).
    pub said: VecDeque<super::messages::Said>,
    pub quit: bool,
    next_request: u64,
}

impl Model {
    /// A model for these profiles, in configuration order; nothing loaded yet.
    pub fn new(profiles: Vec<ProfileLabel>, keymap: Arc<Keymap>, now: DateTime<Utc>) -> Model {
        let sessions: Vec<Session> = profiles
            .into_iter()
            .enumerate()
            .map(|(i, label)| Session::new(ProfileId(u16::try_from(i).unwrap_or(u16::MAX)), label))
            .collect();
        let start = if sessions.len() == 1 {
            QueueKey::Profile(ProfileId(0))
        } else {
            QueueKey::Everything
        };
        let queues = QueuesPane {
            selected: start,
            ..QueuesPane::default()
        };
        Model {
            keymap,
            settings: Settings::default(),
            now,
            size: (80, 24),
            focus: Focus::Queues,
            mode: Mode::Normal,
            sessions,
            queues,
            requests: RequestsPane::default(),
            detail: DetailPane::default(),
            notice: None,
            notice_timer: None,
            deferred_keys: VecDeque::new(),
            drafts_sent: std::collections::HashMap::new(),
            writes_made: 0,
            composer_editor: None,
            guard: None,
            news_draft: None,
            kb: super::kb::Kb::default(),
            said: VecDeque::new(),
            quit: false,
            next_request: 0,
        }
    }

    pub fn next_request_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    /// Where everything goes on the screen now.
    pub fn screen(&self) -> Screen {
        Screen::of(self)
    }

    pub fn session(&self, id: ProfileId) -> Option<&Session> {
        self.sessions.get(usize::from(id.0))
    }

    pub fn session_mut(&mut self, id: ProfileId) -> Option<&mut Session> {
        self.sessions.get_mut(usize::from(id.0))
    }

    /// The open profiles' names, in order.
    pub fn profile_names(&self) -> Vec<&str> {
        self.sessions
            .iter()
            .map(|s| s.label.name.as_str())
            .collect()
    }

    pub fn session_named(&self, name: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.label.name == name)
    }

    pub fn ticket(&self, key: &TicketKey) -> Option<&Ticket> {
        self.session(key.profile)?.rows.get(&key.id)
    }

    /// The open request's detail, as loaded (or saved) so far.
    pub fn open_detail(&self) -> Option<(&Session, &super::remote::Remote<Arc<TicketDetail>>)> {
        let key = self.detail.open.as_ref()?;
        let session = self.session(key.profile)?;
        Some((session, session.details.get(&key.id)?))
    }

    /// The session the selected queue belongs to, or the first one for the queue of every
    /// profile: whose state the status bar shows.
    pub fn current_session(&self) -> Option<&Session> {
        match self.queues.selected.profile() {
            Some(p) => self.session(p),
            None => self.sessions.first(),
        }
    }

    /// Something on screen moves (a spinner, a countdown), so the loop should tick.
    pub fn animating(&self) -> bool {
        self.is_busy()
            || self.requests.is_matching()
            || self.sessions.iter().any(|s| s.rate_limited_until.is_some())
    }

    pub fn is_busy(&self) -> bool {
        self.sessions.iter().any(Session::is_busy)
    }

    /// Keeps `text` for the messages overlay without showing it now (the start-up warnings
    /// after the first).
    pub fn remember(&mut self, level: NoticeLevel, text: &str) {
        super::messages::remember(&mut self.said, self.now, level, text);
    }

    pub fn notify(&mut self, level: NoticeLevel, text: impl Into<String>) {
        let text = text.into();
        super::messages::remember(&mut self.said, self.now, level, &text);
        self.show(level, text);
    }

    /// Shows `text` in the status bar without keeping it for the messages overlay (it keeps
    /// the same words already).
    pub fn show(&mut self, level: NoticeLevel, text: String) {
        let secs = if level == NoticeLevel::Info { 4 } else { 10 };
        self.notice = Some(Notice {
            level,
            text,
            until: self.now + chrono::Duration::seconds(secs),
            about: None,
        });
    }

    /// A notice about a fault of profile `p`; the answer being handled names the call
    /// ([`Model::fault_of`]), and [`Model::fault_cleared`] takes it away.
    pub fn notify_fault(&mut self, p: ProfileId, level: NoticeLevel, text: impl Into<String>) {
        self.notify(level, text);
        if let Some(notice) = &mut self.notice {
            notice.about = Some(Fault {
                profile: p,
                call: "",
            });
        }
    }

    /// The answer of kind `call` for `p` failed: a fault notice it raised is about that call.
    pub fn fault_of(&mut self, p: ProfileId, call: &'static str) {
        if let Some(fault) = self.notice.as_mut().and_then(|n| n.about.as_mut())
            && fault.profile == p
            && fault.call.is_empty()
        {
            fault.call = call;
        }
    }

    /// A call of kind `call` for `p` answered well, with `p` online: a notice about that
    /// call's fault goes, so "online · refreshed" is not drawn beside an error already mended.
    pub fn fault_cleared(&mut self, p: ProfileId, call: &'static str) {
        let online = self.session(p).is_some_and(Session::is_online);
        let mended = self
            .notice
            .as_ref()
            .and_then(|n| n.about)
            .is_some_and(|f| f.profile == p && f.call == call);
        if online && mended {
            self.notice = None;
        }
    }

    /// Every open profile has shown data fresh from its server, or has failed to: what
    /// `--startup-report` waits for.
    pub fn fresh_everywhere(&self) -> bool {
        self.sessions.iter().all(|s| {
            s.listing.is_fresh()
                || matches!(s.connection, super::session::Connection::Offline(_))
                || s.catalog.error().is_some()
                || s.listing.error().is_some()
        })
    }

    /// Some profile shows data saved by an earlier run.
    pub fn shows_saved_data(&self) -> bool {
        self.sessions.iter().any(Session::shows_saved_data)
    }
}
