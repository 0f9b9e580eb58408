//! The breaking-news form: announce an item (`n` in the news pane) or change one's fields (`e`).
//! One overlay with every field in sight: title, importance, the help desks and groups it
//! affects, when it should be over, and the body. `tab` / `shift-tab` move between fields,
//! `←` `→` choose within a row of choices and `space` ticks one, `ctrl-s` hands the item to the
//! outbox. `esc` closes the form and keeps what was typed: `n` brings it back.
//!
//! The resolution time is read in UTC, as the console shows times: `2h`, `90m`, `1d`, `in 3h`,
//! `16:30` (today, or tomorrow when that has passed), `2026-12-24 09:00`; empty for none.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

use super::action::Action;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::news_pane::NewsView;
use super::writes;
use crate::domain::{DeskId, Importance, NewsDraft, NewsItem, ProfileId, SafeText, Write};

/// The form's fields, in `tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Importance,
    Desks,
    Groups,
    Resolution,
    Body,
}

const ORDER: [Field; 6] = [
    Field::Title,
    Field::Importance,
    Field::Desks,
    Field::Groups,
    Field::Resolution,
    Field::Body,
];

impl Field {
    /// Every field, in `tab` order.
    pub const ORDER: [Field; 6] = ORDER;

    pub const fn label(self) -> &'static str {
        match self {
            Field::Title => "Title",
            Field::Importance => "Importance",
            Field::Desks => "Help desks",
            Field::Groups => "Groups",
            Field::Resolution => "Over by",
            Field::Body => "What is happening",
        }
    }
}

/// A choice in a row of them (a help desk, a group), ticked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    pub name: SafeText,
    pub ticked: bool,
}

/// A row of choices with the one under the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Choices {
    pub items: Vec<Choice>,
    pub cursor: usize,
}

impl Choices {
    /// Every choice of `all` (id, name), those in `ticked` ticked, the cursor on the first.
    pub fn new(all: impl IntoIterator<Item = (String, SafeText)>, ticked: &[String]) -> Choices {
        Choices {
            items: all
                .into_iter()
                .map(|(id, name)| Choice {
                    ticked: ticked.contains(&id),
                    id,
                    name,
                })
                .collect(),
            cursor: 0,
        }
    }

    fn ticked(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|c| c.ticked)
            .map(|c| c.id.clone())
            .collect()
    }

    fn key(&mut self, code: KeyCode) -> bool {
        let len = self.items.len();
        match code {
            KeyCode::Left | KeyCode::Char('h') if self.cursor > 0 => self.cursor -= 1,
            KeyCode::Right | KeyCode::Char('l') if self.cursor + 1 < len => self.cursor += 1,
            KeyCode::Char(' ') | KeyCode::Char('x') => match self.items.get_mut(self.cursor) {
                Some(c) => c.ticked = !c.ticked,
                None => return false,
            },
            _ => return false,
        }
        true
    }
}

#[derive(Debug, Clone)]
pub struct NewsForm {
    pub profile: ProfileId,
    /// The item being changed; `None` for a new one.
    pub editing: Option<String>,
    pub field: Field,
    pub title: TextArea<'static>,
    pub importance: Importance,
    pub desks: Choices,
    pub groups: Choices,
    pub resolution: TextArea<'static>,
    pub body: TextArea<'static>,
    /// Why the last `ctrl-s` did not go out.
    pub error: Option<String>,
    /// The news pane as it was, to go back to.
    pub back: Box<NewsView>,
}

impl PartialEq for NewsForm {
    fn eq(&self, other: &Self) -> bool {
        self.profile == other.profile
            && self.editing == other.editing
            && self.field == other.field
            && self.title.lines() == other.title.lines()
            && self.importance == other.importance
            && self.desks == other.desks
            && self.groups == other.groups
            && self.resolution.lines() == other.resolution.lines()
            && self.body.lines() == other.body.lines()
            && self.error == other.error
    }
}

impl Eq for NewsForm {}

fn line_area(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![SafeText::line(text).to_string()]);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

fn body_area(text: &str) -> TextArea<'static> {
    let safe = SafeText::block(text);
    let mut area = TextArea::new(safe.as_str().split('\n').map(str::to_owned).collect());
    area.set_wrap_mode(WrapMode::Word);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

/// Adds the `named` choices `choices` lacks, after the others.
fn also(
    choices: &mut Vec<(String, SafeText)>,
    named: impl IntoIterator<Item = (String, SafeText)>,
) {
    for (id, name) in named {
        if !choices.iter().any(|(known, _)| *known == id) {
            choices.push((id, name));
        }
    }
}

impl NewsForm {
    fn new(m: &Model, profile: ProfileId, item: Option<&NewsItem>) -> NewsForm {
        let catalog = m.session(profile).and_then(|s| s.catalog());
        let mut desks: Vec<(String, SafeText)> = catalog.map_or_else(Vec::new, |c| {
            c.help_desks
                .iter()
                .filter(|d| d.parent_id.is_none())
                .map(|d| (d.id.to_string(), d.name.clone()))
                .collect()
        });
        let mut groups: Vec<(String, SafeText)> = catalog.map_or_else(Vec::new, |c| {
            c.groups
                .iter()
                .map(|g| (g.id.clone(), g.name.clone()))
                .collect()
        });
        // What the item affects stays in sight (and ticked) even when it is not among the
        // choices: a level of a help desk, a group the catalog does not list. Otherwise a
        // change would silently drop it.
        if let Some(item) = item {
            also(
                &mut desks,
                item.desks
                    .iter()
                    .map(|d| (d.id.to_string(), d.name.clone())),
            );
            also(
                &mut groups,
                item.groups.iter().map(|g| (g.id.clone(), g.name.clone())),
            );
        }
        let ticked_desks: Vec<String> = item
            .map(|i| i.desks.iter().map(|d| d.id.to_string()).collect())
            .unwrap_or_default();
        let ticked_groups: Vec<String> = item
            .map(|i| i.groups.iter().map(|g| g.id.clone()).collect())
            .unwrap_or_default();
        let resolution = item
            .and_then(|i| i.resolution_at)
            .map(|at| at.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        NewsForm {
            profile,
            editing: item.map(|i| i.id.clone()),
            field: Field::Title,
            title: line_area(item.map_or("", |i| i.title.as_str())),
            importance: item.map_or(Importance::High, |i| i.importance),
            desks: Choices::new(desks, &ticked_desks),
            groups: Choices::new(groups, &ticked_groups),
            resolution: line_area(&resolution),
            body: body_area(item.map_or("", |i| i.body.as_str())),
            error: None,
            back: Box::default(),
        }
    }

    /// The item as typed, or what is wrong with it.
    pub fn draft(&self, now: DateTime<Utc>) -> Result<NewsDraft, String> {
        let resolution = self.resolution.lines().join(" ");
        let resolution_at = resolution_time(&resolution, now)?;
        Ok(NewsDraft {
            title: self.title.lines().join(" ").trim().to_string(),
            body: self.body.lines().join("\n"),
            importance: self.importance,
            desks: self.desks.ticked().into_iter().map(DeskId::from).collect(),
            groups: self.groups.ticked(),
            resolution_at,
        })
    }

    /// What the resolution field reads as, for the line beside it.
    pub fn resolution_reading(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
        resolution_time(&self.resolution.lines().join(" "), now)
    }
}

/// `n` in the news pane: the form for a new item on `profile`, with what was left in it.
pub fn create(m: &mut Model, profile: ProfileId) -> Vec<Effect> {
    if let Err(why) = writes::may_write(m, profile) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    let form = match m.news_draft.take().filter(|f| f.profile == profile) {
        Some(kept) => {
            m.notify(NoticeLevel::Info, "the item you were writing is back");
            kept
        }
        None => Box::new(NewsForm::new(m, profile, None)),
    };
    open(m, form)
}

/// `e` on an item: the form with its fields.
pub fn edit_item(m: &mut Model, profile: ProfileId, id: &str) -> Vec<Effect> {
    if let Err(why) = writes::may_write(m, profile) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    let item = super::news::item(m, profile, id).cloned();
    let Some(item) = item else {
        m.notify(NoticeLevel::Warning, "that news item is no longer listed");
        return Vec::new();
    };
    let form = Box::new(NewsForm::new(m, profile, Some(&item)));
    open(m, form)
}

fn open(m: &mut Model, mut form: Box<NewsForm>) -> Vec<Effect> {
    if let Mode::News(view) = std::mem::take(&mut m.mode) {
        form.back = view;
    }
    m.mode = Mode::NewsForm(form);
    Vec::new()
}

/// Back to the news pane, as it was.
fn close(m: &mut Model, form: &NewsForm) {
    m.mode = Mode::News(form.back.clone());
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::NewsForm(form) = &mut m.mode else {
        return Vec::new();
    };
    match action {
        Action::NextField | Action::PrevField => {
            let at = ORDER.iter().position(|f| *f == form.field).unwrap_or(0);
            let next = if action == Action::NextField {
                (at + 1) % ORDER.len()
            } else {
                (at + ORDER.len() - 1) % ORDER.len()
            };
            form.field = ORDER[next];
        }
        Action::Cancel | Action::Close => {
            let Mode::NewsForm(form) = std::mem::take(&mut m.mode) else {
                return Vec::new();
            };
            close(m, &form);
            if form.editing.is_none() {
                m.news_draft = Some(form);
                m.notify(
                    NoticeLevel::Info,
                    "the item is kept for later: n in the news pane brings it back",
                );
            }
        }
        Action::Send => return send(m),
        Action::Help => super::keys::open_help(m),
        _ => {}
    }
    Vec::new()
}

fn send(m: &mut Model) -> Vec<Effect> {
    let now = m.now;
    let Mode::NewsForm(form) = &mut m.mode else {
        return Vec::new();
    };
    let draft = match form.draft(now) {
        Ok(draft) => draft,
        Err(why) => {
            form.field = Field::Resolution;
            form.error = Some(why);
            return Vec::new();
        }
    };
    if let Err(why) = draft.check() {
        form.field = if draft.title.is_empty() {
            Field::Title
        } else if draft.body.trim().is_empty() {
            Field::Body
        } else {
            Field::Desks
        };
        form.error = Some(why);
        return Vec::new();
    }
    let profile = form.profile;
    let write = match form.editing.clone() {
        Some(id) => Write::EditNews { id, news: draft },
        None => Write::CreateNews { news: draft },
    };
    let Mode::NewsForm(form) = std::mem::take(&mut m.mode) else {
        return Vec::new();
    };
    close(m, &form);
    match writes::submit(m, profile, write) {
        Ok(effects) => {
            m.news_draft = None;
            effects
        }
        Err(why) => {
            // Nothing was sent: the form comes back with the reason.
            let mut form = form;
            form.error = Some(why);
            open(m, form)
        }
    }
}

/// A key for the field being typed in.
pub fn edit(m: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::NewsForm(form) = &mut m.mode else {
        return Vec::new();
    };
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let changed = match form.field {
        // One line: enter goes on to the next field.
        Field::Title | Field::Resolution if key.code == KeyCode::Enter => {
            return action(m, Action::NextField);
        }
        Field::Title => form.title.input(key),
        Field::Resolution => form.resolution.input(key),
        Field::Body => form.body.input(key),
        Field::Importance if plain => {
            let order = [Importance::High, Importance::Medium, Importance::Low];
            let at = order
                .iter()
                .position(|i| *i == form.importance)
                .unwrap_or(0);
            let next = match key.code {
                KeyCode::Left | KeyCode::Char('h') => at.saturating_sub(1),
                KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                    (at + 1).min(order.len() - 1)
                }
                _ => at,
            };
            let changed = order[next] != form.importance;
            form.importance = order[next];
            changed
        }
        Field::Desks if plain => form.desks.key(key.code),
        Field::Groups if plain => form.groups.key(key.code),
        Field::Importance | Field::Desks | Field::Groups => false,
    };
    if changed {
        form.error = None;
    }
    Vec::new()
}

/// When the item should be over, from what was typed (UTC, as the console shows times).
pub fn resolution_time(text: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let lower = text.to_lowercase();
    let relative = lower.strip_prefix("in ").unwrap_or(&lower).replace(' ', "");
    let unit_at = relative
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(relative.len());
    if unit_at > 0
        && let Ok(n) = relative[..unit_at].parse::<i64>()
    {
        let span = match &relative[unit_at..] {
            "m" | "min" | "mins" | "minutes" => TimeDelta::try_minutes(n),
            "h" | "hour" | "hours" => TimeDelta::try_hours(n),
            "d" | "day" | "days" => TimeDelta::try_days(n),
            _ => None,
        };
        if let Some(span) = span {
            return now
                .checked_add_signed(span)
                .map(Some)
                .ok_or_else(|| "that is too far ahead".to_string());
        }
    }
    if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M") {
        let today = now.date_naive().and_time(time).and_utc();
        let at = if today > now {
            today
        } else {
            today + TimeDelta::days(1)
        };
        return Ok(Some(at));
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Some(at.and_utc()));
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(23, 59, 0).map(|at| at.and_utc()));
    }
    Err(format!(
        "“{}” is not a time: write 2h, 90m, 1d, 16:30 or 2026-12-24 09:00 (UTC), or leave it empty",
        SafeText::line(text)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn resolution_times_read_as_agents_write_them() {
        let now = at("2026-12-02T10:00:00Z");
        let read = |t: &str| resolution_time(t, now).unwrap();
        assert_eq!(read(""), None);
        assert_eq!(read("2h"), Some(at("2026-12-02T12:00:00Z")));
        assert_eq!(read("in 90 m"), Some(at("2026-12-02T11:30:00Z")));
        assert_eq!(read("1d"), Some(at("2026-12-03T10:00:00Z")));
        assert_eq!(read("16:30"), Some(at("2026-12-02T16:30:00Z")));
        // A time of day already past is tomorrow's.
        assert_eq!(read("09:15"), Some(at("2026-12-03T09:15:00Z")));
        assert_eq!(read("2026-12-24 09:00"), Some(at("2026-12-24T09:00:00Z")));
        let wrong = resolution_time("soon", now).unwrap_err();
        assert!(wrong.contains("“soon” is not a time"), "{wrong}");
    }
}
