//! The reply composer: a text area (ratatui-textarea) for a public reply, an internal note or a
//! solution on the open request, whose kind is always in its title and colour. What is typed is
//! saved to the store as a draft shortly after each change (and at once when the console quits),
//! so a crash, a SIGKILL or a dropped SSH session loses at most the last half second; the draft is
//! offered back when the request is opened again. `ctrl-s` hands the reply to the outbox;
//! `ctrl-e` hands it to `$VISUAL` / `$EDITOR` and takes back what was saved there.

use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui_textarea::{TextArea, WrapMode};
use serde::{Deserialize, Serialize};

use super::action::Action;
use super::confirm::{Confirm, Confirmed};
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::{Effect, StoreOp, Timer};
use super::writes;
use crate::domain::{TicketKey, Visibility, Write};

/// How long typing may pause before the draft is saved.
pub const DRAFT_DEBOUNCE: Duration = Duration::from_millis(400);

/// What the reply will be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Public,
    Internal,
    Solution,
}

impl ReplyKind {
    /// `ctrl-t`: public reply → internal note → solution → public reply.
    pub fn next(self) -> ReplyKind {
        match self {
            ReplyKind::Public => ReplyKind::Internal,
            ReplyKind::Internal => ReplyKind::Solution,
            ReplyKind::Solution => ReplyKind::Public,
        }
    }

    /// The composer's title: who will read it.
    pub fn title(self) -> &'static str {
        match self {
            ReplyKind::Public => "Public reply: the customer will read this",
            ReplyKind::Internal => "Internal note: agents only",
            ReplyKind::Solution => {
                "Solution: proposed to the customer, who may accept or reject it"
            }
        }
    }

    fn write(self, key: &TicketKey, body: String) -> Write {
        Write::Comment {
            ticket: key.id.clone(),
            body,
            visibility: match self {
                ReplyKind::Internal => Visibility::Internal,
                ReplyKind::Public | ReplyKind::Solution => Visibility::Public,
            },
            solution: self == ReplyKind::Solution,
        }
    }
}

/// A draft as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub text: String,
    pub kind: ReplyKind,
}

#[derive(Debug, Clone)]
pub struct Composer {
    pub key: TicketKey,
    pub kind: ReplyKind,
    pub text: TextArea<'static>,
    /// Changed since the draft was last saved.
    pub dirty: bool,
}

impl PartialEq for Composer {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.kind == other.kind
            && self.dirty == other.dirty
            && self.text.lines() == other.text.lines()
    }
}

impl Eq for Composer {}

impl Composer {
    /// A composer holding `text`, which is scrubbed first: it may come back from an editor or
    /// the store holding control sequences the terminal must never receive.
    pub fn new(key: TicketKey, kind: ReplyKind, text: &str) -> Composer {
        let safe = crate::text::SafeText::block(text);
        let text = safe.as_str();
        let lines = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_owned).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(WrapMode::Word);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Composer {
            key,
            kind,
            text: area,
            dirty: false,
        }
    }

    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    pub fn is_blank(&self) -> bool {
        self.body().trim().is_empty()
    }

    fn draft(&self) -> Draft {
        Draft {
            text: self.body(),
            kind: self.kind,
        }
    }
}

/// `c` / `n` in Detail: opens the composer on the open request, with its draft if there is one.
pub fn open(m: &mut Model, kind: ReplyKind) -> Vec<Effect> {
    let Some(key) = m.detail.open.clone() else {
        return Vec::new();
    };
    if let Err(why) = writes::may_write(m, key.profile) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    let composer = match m.detail.draft.take().filter(|(k, _)| *k == key) {
        Some((_, draft)) => {
            m.notify(NoticeLevel::Info, "your unsent draft is back");
            Composer::new(key, draft.kind, &draft.text)
        }
        None => Composer::new(key, kind, ""),
    };
    m.mode = Mode::Composer(Box::new(composer));
    Vec::new()
}

/// A key the composer's keymap section does not bind: it edits the text.
pub fn edit(m: &mut Model, event: KeyEvent) -> Vec<Effect> {
    let Mode::Composer(c) = &mut m.mode else {
        return Vec::new();
    };
    if c.text.input(event) {
        c.dirty = true;
        return vec![Effect::SetTimer {
            timer: Timer::Draft,
            after: DRAFT_DEBOUNCE,
        }];
    }
    Vec::new()
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Composer(c) = &mut m.mode else {
        return Vec::new();
    };
    match action {
        Action::CycleKind => {
            c.kind = c.kind.next();
            c.dirty = true;
            vec![Effect::SetTimer {
                timer: Timer::Draft,
                after: DRAFT_DEBOUNCE,
            }]
        }
        Action::Cancel if c.is_blank() => {
            let key = c.key.clone();
            m.mode = Mode::Normal;
            vec![
                Effect::CancelTimer(Timer::Draft),
                Effect::Store(StoreOp::DeleteDraft { key }),
            ]
        }
        Action::Cancel => {
            let composer = std::mem::take(&mut m.mode);
            m.mode = Mode::Confirm(Box::new(Confirm {
                title: "Discard this draft?".into(),
                lines: vec![
                    "What you typed will be gone.".into(),
                    "y discards it, n goes back to writing.".into(),
                ],
                then: Confirmed::DiscardDraft,
                back: Box::new(composer),
            }));
            Vec::new()
        }
        Action::Send => send(m),
        Action::Kb => super::kb_pane::from_reply(m),
        Action::ExternalEditor => {
            if m.settings.editor.is_empty() {
                m.notify(NoticeLevel::Warning, "no editor: set $VISUAL or $EDITOR");
                return Vec::new();
            }
            let text = c.body();
            let id = m.next_request_id();
            m.composer_editor = Some(id);
            vec![Effect::Suspend {
                id,
                command: m.settings.editor.clone(),
                edit: Some(text),
            }]
        }
        Action::Help => {
            super::keys::open_help(m);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `ctrl-s`: the reply goes to the outbox; the draft stays in the store until the outbox has it.
fn send(m: &mut Model) -> Vec<Effect> {
    let Mode::Composer(c) = &m.mode else {
        return Vec::new();
    };
    let write = c.kind.write(&c.key, c.body().trim_end().to_string());
    let profile = c.key.profile;
    let mut effects = save(m);
    match writes::submit(m, profile, write) {
        Ok(more) => {
            m.mode = Mode::Normal;
            effects.extend(more);
        }
        Err(why) => m.notify(NoticeLevel::Warning, why),
    }
    effects
}

/// The debounce timer went off, or the console is quitting: save the draft if it changed.
pub fn save(m: &mut Model) -> Vec<Effect> {
    let Mode::Composer(c) = &mut m.mode else {
        return Vec::new();
    };
    if !c.dirty {
        return Vec::new();
    }
    c.dirty = false;
    vec![
        Effect::CancelTimer(Timer::Draft),
        Effect::Store(StoreOp::SaveDraft {
            key: c.key.clone(),
            draft: c.draft(),
        }),
    ]
}

/// The editor the draft was handed to has ended; `text` is what it saved.
pub fn edited(m: &mut Model, text: String) -> Vec<Effect> {
    let Mode::Composer(c) = &mut m.mode else {
        return Vec::new();
    };
    let text = text.strip_suffix('\n').unwrap_or(&text).to_string();
    if text != c.body() {
        let (key, kind) = (c.key.clone(), c.kind);
        let mut fresh = Composer::new(key, kind, &text);
        fresh.dirty = true;
        **c = fresh;
    }
    save(m)
}
