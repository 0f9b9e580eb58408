//! Pickers: a fuzzy-filtered list to choose what an action needs — a help desk, a level or one of
//! their agents to reassign to, a person to add as observer or collaborator. Typing narrows the
//! list (nucleo, as the request filter), ↑/↓ move, Enter takes the highlighted option and hands
//! the write to the outbox, Esc leaves without doing anything.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::action::Action;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::writes;
use crate::domain::{Catalog, DeskId, TicketKey, UserId, Write};

/// What the choice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Reassign,
    Observer,
    Collaborator,
    /// A value of the custom field in `Picker::field`.
    Field,
    /// One more voter for the approval in `Picker::approval`.
    Voter,
    /// The person a new (spontaneous) approval asks.
    Approver,
    /// The template a new approval follows.
    Template,
    /// The account a profile works in.
    Account,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickValue {
    Desk(DeskId, Option<UserId>),
    Person(UserId),
    /// A custom field value, as the server takes it.
    Value(String),
    /// An approval template.
    Template(crate::domain::ApprovalTemplate),
    /// An account, with why it cannot be used when it cannot.
    Account {
        id: String,
        problem: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOption {
    pub label: String,
    /// A word on what it is ("help desk", "agent").
    pub hint: &'static str,
    pub value: PickValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    pub key: TicketKey,
    pub pick: Pick,
    /// The custom field a `Pick::Field` sets.
    pub field: Option<String>,
    /// The approval a `Pick::Voter` adds to.
    pub approval: Option<String>,
    /// Where Esc goes back to.
    pub back: Box<Mode>,
    pub query: String,
    pub options: Vec<PickOption>,
    /// Indexes into `options` that match `query`, best first.
    pub matches: Vec<usize>,
    pub selected: usize,
}

impl Picker {
    fn refilter(&mut self) {
        self.selected = 0;
        if self.query.trim().is_empty() {
            self.matches = (0..self.options.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .options
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let score = pattern.score(Utf32Str::new(&o.label, &mut buf), &mut matcher)?;
                Some((score, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn highlighted(&self) -> Option<&PickOption> {
        self.options.get(*self.matches.get(self.selected)?)
    }
}

/// Opens a picker for `pick` on the open request.
pub fn open(m: &mut Model, pick: Pick) -> Vec<Effect> {
    let Some(key) = m.detail.open.clone() else {
        return Vec::new();
    };
    if let Err(why) = writes::may_write(m, key.profile) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    let Some(catalog) = m.session(key.profile).and_then(|s| s.catalog()).cloned() else {
        m.notify(NoticeLevel::Warning, "the help desks are not loaded yet");
        return Vec::new();
    };
    let (title, options) = match pick {
        Pick::Reassign => ("Reassign to", desk_options(&catalog)),
        Pick::Observer => ("Add an observer", person_options(&catalog)),
        Pick::Collaborator => ("Add a collaborator", person_options(&catalog)),
        // Opened with their options by `open_field`, `open_for` and `accounts`.
        Pick::Field | Pick::Voter | Pick::Approver | Pick::Template | Pick::Account => {
            return Vec::new();
        }
    };
    show(m, key, pick, None, format!("{title} · #"), options)
}

/// Opens a picker for an approval action on `key` (from the approvals pane, which Esc goes
/// back to): a voter for `approval`, the person a new approval asks, or a template.
pub fn open_for(
    m: &mut Model,
    key: TicketKey,
    pick: Pick,
    approval: Option<String>,
    templates: Vec<crate::domain::ApprovalTemplate>,
) -> Vec<Effect> {
    let Some(catalog) = m.session(key.profile).and_then(|s| s.catalog()).cloned() else {
        m.notify(NoticeLevel::Warning, "the help desks are not loaded yet");
        return Vec::new();
    };
    let (title, options) = match pick {
        Pick::Voter => ("Add a voter", person_options(&catalog)),
        Pick::Approver => ("Ask for approval", person_options(&catalog)),
        Pick::Template => (
            "Start an approval",
            templates
                .into_iter()
                .map(|t| PickOption {
                    label: t.title.to_string(),
                    hint: "template",
                    value: PickValue::Template(t),
                })
                .collect(),
        ),
        Pick::Reassign | Pick::Observer | Pick::Collaborator | Pick::Field | Pick::Account => {
            return Vec::new();
        }
    };
    let back = Box::new(std::mem::take(&mut m.mode));
    let effects = show(m, key, pick, None, format!("{title} · #"), options);
    if let Mode::Picker(p) = &mut m.mode {
        p.approval = approval;
        p.back = back;
    }
    effects
}

/// Opens a picker over `options` for the custom field `field` of the open request.
pub fn open_field(
    m: &mut Model,
    field: &str,
    label: &str,
    options: Vec<PickOption>,
) -> Vec<Effect> {
    let Some(key) = m.detail.open.clone() else {
        return Vec::new();
    };
    show(
        m,
        key,
        Pick::Field,
        Some(field.to_string()),
        format!("{label} · #"),
        options,
    )
}

/// Shows a picker titled `title` as it is (no request number after it).
pub fn show_titled(
    m: &mut Model,
    key: TicketKey,
    pick: Pick,
    title: String,
    options: Vec<PickOption>,
) {
    show(m, key, pick, None, String::new(), options);
    if let Mode::Picker(p) = &mut m.mode {
        p.title = title;
    }
}

fn show(
    m: &mut Model,
    key: TicketKey,
    pick: Pick,
    field: Option<String>,
    title: String,
    options: Vec<PickOption>,
) -> Vec<Effect> {
    let mut picker = Picker {
        title: format!("{title}{}", key.id),
        key,
        pick,
        field,
        approval: None,
        back: Box::new(Mode::Normal),
        query: String::new(),
        matches: Vec::new(),
        options,
        selected: 0,
    };
    picker.refilter();
    m.mode = Mode::Picker(Box::new(picker));
    Vec::new()
}

/// Every desk and level by its full name, each followed by its agents.
fn desk_options(catalog: &Catalog) -> Vec<PickOption> {
    let mut out = Vec::new();
    let mut desks: Vec<_> = catalog.root_desks().collect();
    desks.sort_by_key(|d| d.name.to_string());
    for desk in desks {
        let mut entries = vec![(desk.name.to_string(), desk)];
        entries.extend(
            catalog
                .levels_of(desk.id.as_str())
                .into_iter()
                .map(|l| (format!("{} › {}", desk.name, l.name), l)),
        );
        for (name, d) in entries {
            out.push(PickOption {
                label: name.clone(),
                hint: "help desk",
                value: PickValue::Desk(d.id.clone(), None),
            });
            for member in &d.members {
                let who = catalog
                    .person(member.as_str())
                    .map_or_else(|| format!("user {member}"), |p| p.name.to_string());
                out.push(PickOption {
                    label: format!("{name} / {who}"),
                    hint: "agent",
                    value: PickValue::Desk(d.id.clone(), Some(member.clone())),
                });
            }
        }
    }
    out
}

fn person_options(catalog: &Catalog) -> Vec<PickOption> {
    let mut people: Vec<_> = catalog.people.values().collect();
    people.sort_by_key(|p| (!p.is_agent, p.name.to_string()));
    people
        .into_iter()
        .map(|p| PickOption {
            label: match &p.email {
                Some(email) => format!("{} <{email}>", p.name),
                None => p.name.to_string(),
            },
            hint: if p.is_agent { "agent" } else { "user" },
            value: PickValue::Person(p.id.clone()),
        })
        .collect()
}

pub fn type_text(m: &mut Model, c: char) -> Vec<Effect> {
    if let Mode::Picker(p) = &mut m.mode {
        p.query.push(c);
        p.refilter();
    }
    Vec::new()
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Picker(p) = &mut m.mode else {
        return Vec::new();
    };
    match action {
        Action::Cancel => m.mode = *std::mem::take(&mut p.back),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::Down => p.selected = (p.selected + 1).min(p.matches.len().saturating_sub(1)),
        Action::DeleteBack | Action::DeleteWord | Action::ClearLine => {
            super::keys::edit(&mut p.query, action);
            p.refilter();
        }
        Action::Accept => {
            let Some(option) = p.highlighted().cloned() else {
                return Vec::new();
            };
            let key = p.key.clone();
            let ticket = key.id.clone();
            let write = match (p.pick, option.value) {
                (Pick::Reassign, PickValue::Desk(desk, agent)) => Write::Reassign {
                    ticket,
                    desk,
                    agent,
                },
                (Pick::Observer, PickValue::Person(user)) => Write::AddObserver { ticket, user },
                (Pick::Collaborator, PickValue::Person(user)) => {
                    Write::AddCollaborator { ticket, user }
                }
                (Pick::Field, PickValue::Value(value)) => Write::SetField {
                    ticket,
                    field: p.field.clone().unwrap_or_default(),
                    values: vec![value],
                },
                (Pick::Voter, PickValue::Person(user)) => Write::AddVoter {
                    ticket,
                    approval: p.approval.clone().unwrap_or_default(),
                    user,
                },
                (Pick::Approver, PickValue::Person(user)) => {
                    let back = std::mem::take(&mut p.back);
                    m.mode = *back;
                    return super::prompt::ask_approval(m, key, user, option.label);
                }
                (Pick::Account, PickValue::Account { id, problem }) => {
                    if let Some(problem) = problem {
                        // The list stays open: another account may be the one.
                        m.notify(NoticeLevel::Warning, problem);
                        return Vec::new();
                    }
                    m.mode = *std::mem::take(&mut p.back);
                    return super::accounts::choose(m, key.profile, id);
                }
                (Pick::Template, PickValue::Template(template)) => {
                    let back = std::mem::take(&mut p.back);
                    m.mode = *back;
                    return super::prompt::template_approval(m, key, template);
                }
                _ => return Vec::new(),
            };
            m.mode = *std::mem::take(&mut p.back);
            return writes::submit_or_say(m, key.profile, write);
        }
        Action::Help => super::keys::open_help(m),
        _ => {}
    }
    Vec::new()
}
