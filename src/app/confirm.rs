//! Confirmations: a question in the middle of the screen that must be answered before anything
//! irreversible happens (cancelling or rejecting a request, discarding a draft or a write that
//! was never confirmed). The question names the profile and the request it is about; `n` or
//! `esc` goes back to exactly where the agent was.

use super::action::Action;
use super::mode::Mode;
use super::model::Model;
use super::msg::{Effect, StoreOp, Timer};
use super::outbox::OutboxOp;
use super::writes;
use crate::domain::{ProfileId, Write};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub then: Confirmed,
    /// The mode to go back to when the answer is no (and, for a draft, the composer itself).
    pub back: Box<Mode>,
}

/// What a yes does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// Hand the write to the outbox.
    Submit { profile: ProfileId, write: Write },
    /// Drop the composer in `back` and its saved draft.
    DiscardDraft,
    /// Remove a write from the outbox.
    DiscardWrite { profile: ProfileId, id: String },
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    // Any other key leaves the question on screen.
    if !matches!(action, Action::Accept | Action::Cancel | Action::Close) {
        return Vec::new();
    }
    let Mode::Confirm(confirm) = std::mem::take(&mut m.mode) else {
        return Vec::new();
    };
    let Confirm { then, back, .. } = *confirm;
    if action != Action::Accept {
        m.mode = *back;
        return Vec::new();
    }
    match then {
        Confirmed::Submit { profile, write } => {
            m.mode = *back;
            match writes::enqueue(m, profile, write) {
                Ok(effects) => effects,
                Err(why) => {
                    m.notify(super::model::NoticeLevel::Warning, why);
                    Vec::new()
                }
            }
        }
        Confirmed::DiscardDraft => {
            m.mode = Mode::Normal;
            match *back {
                Mode::Composer(c) => vec![
                    Effect::CancelTimer(Timer::Draft),
                    Effect::Store(StoreOp::DeleteDraft { key: c.key }),
                ],
                _ => Vec::new(),
            }
        }
        Confirmed::DiscardWrite { profile, id } => {
            m.mode = *back;
            vec![Effect::Outbox(OutboxOp::Discard { profile, id })]
        }
    }
}
