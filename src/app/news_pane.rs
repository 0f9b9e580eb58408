//! The breaking-news pane (`N`, `:news`): every profile's items, open ones first by importance
//! then newest; `Enter` reads one with its timeline of updates, `Esc` goes back, `r` reads
//! everything again. The banner's key (`N`) opens it on the banner's item, which is first.
//! Writing: `n` announces an item, `e` changes the selected one, `u` posts an update, `x` closes
//! it with a last update, `o` opens a closed one again; each goes through the outbox.

use super::action::Action;
use super::keys::moved;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::news;
use crate::domain::ProfileId;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewsView {
    pub cursor: usize,
    /// The item being read, by profile and id.
    pub reading: Option<(ProfileId, String)>,
}

impl NewsView {
    /// Where the item being read is in `items`, if it is still there.
    pub fn read_at(&self, items: &[(ProfileId, &crate::domain::NewsItem)]) -> Option<usize> {
        let (profile, id) = self.reading.as_ref()?;
        items.iter().position(|(p, i)| p == profile && &i.id == id)
    }
}

pub fn open(m: &mut Model) -> Vec<Effect> {
    m.mode = Mode::News(Box::default());
    Vec::new()
}

/// Opens the pane reading item `id` of `profile`.
pub fn read(m: &mut Model, profile: ProfileId, id: &str) -> Vec<Effect> {
    let cursor = news::all(m)
        .iter()
        .position(|(p, i)| *p == profile && i.id == id)
        .unwrap_or(0);
    m.mode = Mode::News(Box::new(NewsView {
        cursor,
        reading: Some((profile, id.to_string())),
    }));
    news::load_detail(m, profile, id)
}

/// The profile a new item goes to: the selected item's, else the first that takes writes.
fn writable(m: &Model, selected: Option<ProfileId>) -> ProfileId {
    selected
        .or_else(|| {
            m.sessions
                .iter()
                .find(|s| super::writes::may_write(m, s.id).is_ok())
                .map(|s| s.id)
        })
        .unwrap_or(ProfileId(0))
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::News(view) = &m.mode else {
        return Vec::new();
    };
    let view = (**view).clone();
    let items = news::all(m);
    let len = items.len();
    let at = view
        .read_at(&items)
        .or_else(|| (len > 0).then(|| view.cursor.min(len - 1)));
    let key_at = |i: usize| items.get(i).map(|(p, item)| (*p, item.id.clone()));
    let reading = view.read_at(&items).is_some();
    let set = |m: &mut Model, v: NewsView| m.mode = Mode::News(Box::new(v));
    match action {
        Action::Close | Action::Cancel | Action::Back | Action::News => {
            drop(items);
            if reading {
                set(
                    m,
                    NewsView {
                        cursor: at.unwrap_or(0),
                        reading: None,
                    },
                );
            } else {
                m.mode = Mode::Normal;
            }
        }
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let cursor = moved(at.unwrap_or(0), len, action, 5);
            let next = if reading { key_at(cursor) } else { None };
            drop(items);
            set(
                m,
                NewsView {
                    cursor,
                    reading: next.clone(),
                },
            );
            if let Some((p, id)) = next {
                return news::load_detail(m, p, &id);
            }
        }
        Action::Open => {
            let next = if reading { None } else { at.and_then(key_at) };
            drop(items);
            set(
                m,
                NewsView {
                    cursor: at.unwrap_or(0),
                    reading: next.clone(),
                },
            );
            if let Some((p, id)) = next {
                return news::load_detail(m, p, &id);
            }
        }
        Action::Refresh => {
            drop(items);
            let ids: Vec<ProfileId> = m.sessions.iter().map(|s| s.id).collect();
            let mut effects: Vec<Effect> = ids.into_iter().flat_map(|p| news::load(m, p)).collect();
            if let Some((p, id)) = view.reading {
                effects.extend(news::load_detail(m, p, &id));
            }
            return effects;
        }
        Action::NewNews => {
            let profile = writable(m, at.and_then(key_at).map(|(p, _)| p));
            drop(items);
            return super::news_form::create(m, profile);
        }
        Action::EditNews | Action::NewsUpdate | Action::CloseNews | Action::ReopenNews => {
            let Some((profile, item)) = at.and_then(|i| items.get(i)).copied() else {
                return Vec::new();
            };
            let (id, title, open) = (item.id.clone(), item.title.to_string(), item.open);
            drop(items);
            return write_on(m, action, profile, id, &title, open);
        }
        Action::Help => super::keys::open_help(m),
        _ => {}
    }
    Vec::new()
}

/// `e`, `u`, `x` or `o` on item `id`.
fn write_on(
    m: &mut Model,
    action: Action,
    profile: ProfileId,
    id: String,
    title: &str,
    open: bool,
) -> Vec<Effect> {
    if let Err(why) = super::writes::may_write(m, profile) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    match action {
        Action::EditNews => super::news_form::edit_item(m, profile, &id),
        Action::NewsUpdate | Action::CloseNews if !open => {
            m.notify(
                NoticeLevel::Warning,
                format!("“{title}” is closed: o opens it again to post an update"),
            );
            Vec::new()
        }
        Action::NewsUpdate => super::prompt::news_update(m, profile, id, title, false),
        Action::CloseNews => super::prompt::news_update(m, profile, id, title, true),
        Action::ReopenNews if open => {
            m.notify(NoticeLevel::Info, format!("“{title}” is open already"));
            Vec::new()
        }
        Action::ReopenNews => {
            super::writes::submit_or_say(m, profile, crate::domain::Write::ReopenNews { id })
        }
        _ => Vec::new(),
    }
}
