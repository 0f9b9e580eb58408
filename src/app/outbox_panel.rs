//! The outbox panel (`O`, `:outbox`): every write not yet confirmed by a server, of every open
//! profile, with its state and the server's reason when it was refused. `r` sends the selected one
//! again now, `d` gives it up (after a question), `enter` opens its request.

use super::action::Action;
use super::confirm::{Confirm, Confirmed};
use super::keys::moved;
use super::mode::Mode;
use super::model::Model;
use super::msg::Effect;
use super::outbox::{OutboxItem, OutboxOp};
use crate::domain::{ProfileId, Subject, TicketKey};

/// The entries the panel lists, in order: profile by profile, oldest first.
pub fn items(m: &Model) -> Vec<(ProfileId, &OutboxItem)> {
    m.sessions
        .iter()
        .flat_map(|s| s.outbox.iter().map(move |item| (s.id, item)))
        .collect()
}

pub fn open(m: &mut Model) -> Vec<Effect> {
    m.mode = Mode::Outbox { cursor: 0 };
    Vec::new()
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Outbox { cursor } = m.mode else {
        return Vec::new();
    };
    let selected = items(m).get(cursor).map(|(p, item)| (*p, (*item).clone()));
    match action {
        Action::Close | Action::Cancel | Action::Outbox => m.mode = Mode::Normal,
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let len = items(m).len();
            m.mode = Mode::Outbox {
                cursor: moved(cursor, len, action, 5),
            };
        }
        Action::Retry => {
            if let Some((profile, item)) = selected {
                return vec![Effect::Outbox(OutboxOp::Retry {
                    profile,
                    id: item.id,
                })];
            }
        }
        Action::Discard => {
            if let Some((profile, item)) = selected {
                let name = m.session(profile).map_or("?", |s| s.label.name.as_str());
                let title = item
                    .queued
                    .as_ref()
                    .map_or_else(|| item.subject.shown(), |q| q.title.clone());
                let what = match item.subject {
                    Subject::Ticket(_) => "request",
                    Subject::News(_) | Subject::NewNews => "news item",
                };
                let mut lines = vec![format!("profile {name}, {what} {title}")];
                if item.queued.as_ref().and_then(|q| q.write.text()).is_some() {
                    lines.push("The text you wrote for it will be gone.".into());
                }
                lines.push("y discards it, n keeps it.".into());
                let back = Box::new(m.mode.clone());
                m.mode = Mode::Confirm(Box::new(Confirm {
                    title: format!("Discard this {}?", item.describe()),
                    lines,
                    then: Confirmed::DiscardWrite {
                        profile,
                        id: item.id,
                    },
                    back,
                }));
            }
        }
        Action::Open => {
            if let Some((profile, item)) = selected {
                return match item.subject {
                    Subject::Ticket(id) => super::load::show_request(m, TicketKey { profile, id }),
                    Subject::News(id) => super::news_pane::read(m, profile, &id),
                    Subject::NewNews => super::news_pane::open(m),
                };
            }
        }
        Action::Help => super::keys::open_help(m),
        _ => {}
    }
    Vec::new()
}
