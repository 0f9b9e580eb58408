//! What keys do: the key press is resolved by the keymap for the current mode (no key code is
//! looked at here), then the action is applied to the mode and pane that have the keys.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::action::Action;
use super::help;
use super::load;
use super::mode::Mode;
use super::model::{Focus, Model, NoticeLevel};
use super::msg::Effect;
use super::palette::{self, Command, Palette};
use super::queues::{self, QueueKey, RowKind};
use crate::config::keymap::Input;

pub fn key(m: &mut Model, event: KeyEvent) -> Vec<Effect> {
    if event.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let input = m.keymap.resolve(m.mode.chain(m.focus), &event);
    // Quitting never waits (a reply being written is saved as a draft on the way out).
    if input == Input::Action(Action::Quit) {
        m.quit = true;
        return super::composer::save(m);
    }
    // Keys typed ahead of a key that waits keep their order behind it.
    if !m.deferred_keys.is_empty() {
        m.deferred_keys.push_back(event);
        return Vec::new();
    }
    apply(m, event, input)
}

/// A deferred key is resolved again when its turn comes: the keys before it may have changed
/// the mode or the focus.
fn key_now(m: &mut Model, event: KeyEvent) -> Vec<Effect> {
    let input = m.keymap.resolve(m.mode.chain(m.focus), &event);
    apply(m, event, input)
}

fn apply(m: &mut Model, event: KeyEvent, input: Input) -> Vec<Effect> {
    match input {
        Input::Action(action) if m.requests.is_behind() && acts_on_rows(m, action) => {
            // "/printer, enter, enter" typed in one go opens the first match, not whatever
            // was first before the filter pass came in: the key waits for the rows it acts on.
            m.deferred_keys.push_back(event);
            Vec::new()
        }
        Input::Action(action) => act(m, action),
        Input::Text(c) => type_text(m, c),
        Input::Edit(event) => match m.mode {
            Mode::NewsForm(_) => super::news_form::edit(m, event),
            _ => super::composer::edit(m, event),
        },
        Input::Ignored => Vec::new(),
    }
}

/// Keys that waited for a filter pass, now that it is in: one by one, the rows brought up to
/// date after each, until one asks for another pass or hands the terminal to a program (the
/// rest wait for that to end).
pub fn replay(m: &mut Model) -> Vec<Effect> {
    let mut effects = Vec::new();
    while !m.requests.is_behind() {
        let Some(event) = m.deferred_keys.pop_front() else {
            break;
        };
        let produced = key_now(m, event);
        let suspends = produced.iter().any(|e| matches!(e, Effect::Suspend { .. }));
        effects.extend(produced);
        effects.extend(super::update::rebuild_rows(m));
        if suspends {
            break;
        }
    }
    effects
}

/// The action picks or moves through the Requests pane's rows.
fn acts_on_rows(m: &Model, action: Action) -> bool {
    let moves = action.moves();
    match m.mode {
        Mode::Normal => m.focus == Focus::Requests && (moves || action == Action::Open),
        Mode::Filter => moves,
        Mode::Palette(_)
        | Mode::Help { .. }
        | Mode::Composer(_)
        | Mode::Confirm(_)
        | Mode::Outbox { .. }
        | Mode::Picker(_)
        | Mode::Approvals(_)
        | Mode::Prompt(_)
        | Mode::News(_)
        | Mode::NewsForm(_)
        | Mode::Kb(_)
        | Mode::Messages { .. } => false,
    }
}

pub(super) fn act(m: &mut Model, action: Action) -> Vec<Effect> {
    // Quitting works from every mode that lets the key through.
    if action == Action::Quit {
        m.quit = true;
        return super::composer::save(m);
    }
    match m.mode {
        Mode::Normal => normal(m, action),
        Mode::Filter => filter(m, action),
        Mode::Palette(_) => palette_action(m, action),
        Mode::Help { .. } => help_action(m, action),
        Mode::Composer(_) => super::composer::action(m, action),
        Mode::Confirm(_) => super::confirm::action(m, action),
        Mode::Outbox { .. } => super::outbox_panel::action(m, action),
        Mode::Picker(_) => super::picker::action(m, action),
        Mode::Approvals(_) => super::approval_pane::action(m, action),
        Mode::Prompt(_) => super::prompt::action(m, action),
        Mode::News(_) => super::news_pane::action(m, action),
        Mode::NewsForm(_) => super::news_form::action(m, action),
        Mode::Kb(_) => super::kb_pane::action(m, action),
        Mode::Messages { .. } => super::messages::action(m, action),
    }
}

fn type_text(m: &mut Model, c: char) -> Vec<Effect> {
    match &mut m.mode {
        Mode::Filter => {
            m.requests.filter.push(c);
            vec![Effect::Match(m.requests.reset())]
        }
        Mode::Palette(p) => {
            p.input.push(c);
            p.selected = 0;
            Vec::new()
        }
        Mode::Picker(_) => super::picker::type_text(m, c),
        Mode::Prompt(_) => super::prompt::type_text(m, c),
        Mode::Kb(_) => super::kb_pane::type_text(m, c),
        Mode::Normal
        | Mode::Help { .. }
        | Mode::Composer(_)
        | Mode::Confirm(_)
        | Mode::Outbox { .. }
        | Mode::Approvals(_)
        | Mode::News(_)
        | Mode::NewsForm(_)
        | Mode::Messages { .. } => Vec::new(),
    }
}

/// Editing keys shared by the text fields.
pub(super) fn edit(text: &mut String, action: Action) -> bool {
    match action {
        Action::DeleteBack => text.pop().is_some(),
        Action::DeleteWord => {
            let before = text.len();
            let kept = text.trim_end().len();
            // After the last whitespace before the word, whatever its width in bytes (a
            // no-break space is two).
            let cut = text[..kept]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            text.truncate(cut);
            text.len() != before
        }
        Action::ClearLine => {
            let had = !text.is_empty();
            text.clear();
            had
        }
        _ => false,
    }
}

/// Opens help for the mode the keys are in now; closing it goes back there.
pub(super) fn open_help(m: &mut Model) {
    let of = std::mem::take(&mut m.mode);
    m.mode = Mode::Help {
        scroll: 0,
        of: Box::new(of),
    };
}

fn filter(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Accept => m.mode = Mode::Normal,
        Action::Cancel => {
            m.mode = Mode::Normal;
            return clear_filter(m);
        }
        // Moving while typing, as in fzf: pick a match without leaving the filter.
        Action::Up | Action::Down => {
            m.requests.cursor = moved(m.requests.cursor, m.requests.len(), action, 1);
        }
        Action::DeleteBack | Action::DeleteWord | Action::ClearLine
            if edit(&mut m.requests.filter, action) =>
        {
            return vec![Effect::Match(m.requests.reset())];
        }
        Action::Help => open_help(m),
        Action::Refresh => return load::refresh_all(m),
        _ => {}
    }
    Vec::new()
}

/// Empties the filter: every row of the queue again.
fn clear_filter(m: &mut Model) -> Vec<Effect> {
    if m.requests.filter.is_empty() {
        return Vec::new();
    }
    m.requests.filter.clear();
    vec![Effect::Match(m.requests.reset())]
}

fn help_action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Help { of, .. } = &m.mode else {
        return Vec::new();
    };
    let of = (**of).clone();
    match action {
        Action::Close | Action::Help => m.mode = of,
        Action::Refresh => return load::refresh_all(m),
        action => {
            let len = help::lines(m, &of, m.focus).len();
            let visible = help::visible(m.size.1);
            let last = len.saturating_sub(visible);
            if let Mode::Help { scroll, .. } = &mut m.mode {
                *scroll = moved(*scroll, last + 1, action, visible);
            }
        }
    }
    Vec::new()
}

fn palette_action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Palette(p) = &m.mode else {
        return Vec::new();
    };
    let completions = palette::completions(&p.input, &m.profile_names(), &|kind| {
        super::actions::choices(m, kind)
    });
    let names: Vec<&str> = m.sessions.iter().map(|s| s.label.name.as_str()).collect();
    let Mode::Palette(p) = &mut m.mode else {
        return Vec::new();
    };
    match action {
        Action::Cancel => m.mode = Mode::Normal,
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::Down => p.selected = (p.selected + 1).min(completions.len().saturating_sub(1)),
        Action::Complete => {
            if let Some(c) = completions.get(p.selected) {
                p.input.clone_from(&c.line);
                p.selected = 0;
            }
        }
        Action::DeleteBack | Action::DeleteWord | Action::ClearLine => {
            edit(&mut p.input, action);
            p.selected = 0;
        }
        Action::Accept => {
            let input = std::mem::take(&mut p.input);
            m.mode = Mode::Normal;
            if input.trim().is_empty() {
                return Vec::new();
            }
            return match palette::parse(&input, &names) {
                Ok(command) => run(m, command),
                Err(why) => {
                    m.notify(NoticeLevel::Warning, why);
                    Vec::new()
                }
            };
        }
        Action::Help => open_help(m),
        Action::Refresh => return load::refresh_all(m),
        _ => {}
    }
    Vec::new()
}

/// Runs a palette command.
fn run(m: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Queues => m.focus = Focus::Queues,
        Command::Profile(name) => {
            if let Some(id) = m.session_named(&name).map(|s| s.id) {
                m.queues.selected = QueueKey::Profile(id);
                m.queues.collapsed.remove(&id);
                m.focus = Focus::Requests;
            }
        }
        Command::Refresh => return load::refresh_all(m),
        Command::Help => open_help(m),
        Command::Quit => {
            m.quit = true;
            return super::composer::save(m);
        }
        Command::Outbox => return super::outbox_panel::open(m),
        Command::Approvals => return super::approval_pane::open_mine(m),
        Command::News => return super::news_pane::open(m),
        Command::Kb(words) => return super::kb_pane::open_with(m, &words),
        Command::View(name) => return super::views::open_named(m, &name),
        Command::Messages => return super::messages::open(m),
        Command::Account => return super::accounts::open(m),
        Command::Act { name, arg } => return super::actions::run(m, name, &arg),
        Command::Log => {
            let Some(log) = m.settings.log_file.clone() else {
                m.notify(
                    NoticeLevel::Warning,
                    "there is no log file (no data directory)",
                );
                return Vec::new();
            };
            if m.settings.pager.is_empty() {
                m.notify(NoticeLevel::Warning, "no pager: set $PAGER");
                return Vec::new();
            }
            let mut command = m.settings.pager.clone();
            command.push(log.display().to_string());
            let id = m.next_request_id();
            return vec![Effect::Suspend {
                id,
                command,
                edit: None,
            }];
        }
    }
    Vec::new()
}

fn normal(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Help => open_help(m),
        Action::Palette => m.mode = Mode::Palette(Palette::default()),
        Action::FocusNext | Action::FocusPrev => {
            let order: &[Focus] = if m.detail.open.is_some() {
                &[Focus::Queues, Focus::Requests, Focus::Detail]
            } else {
                &[Focus::Queues, Focus::Requests]
            };
            let at = order.iter().position(|f| *f == m.focus).unwrap_or(0);
            let next = if action == Action::FocusNext {
                at + 1
            } else {
                at + order.len() - 1
            };
            m.focus = order[next % order.len()];
        }
        Action::Refresh => return load::refresh_all(m),
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => navigate(m, action),
        Action::Open => match m.focus {
            Focus::Queues => m.focus = Focus::Requests,
            Focus::Requests => {
                let Some(key) = m.requests.selected_key().cloned() else {
                    return Vec::new();
                };
                return load::show_request(m, key);
            }
            Focus::Detail => {}
        },
        Action::Back => match m.focus {
            Focus::Detail => m.focus = Focus::Requests,
            Focus::Requests => m.focus = Focus::Queues,
            Focus::Queues => {}
        },
        Action::Expand | Action::Collapse => toggle(m, action == Action::Expand),
        Action::Filter => {
            m.focus = Focus::Requests;
            m.mode = Mode::Filter;
        }
        Action::ClearFilter => return clear_filter(m),
        Action::NextStatusFilter | Action::PrevStatusFilter => {
            let rows = queues::status_rows(m);
            let at = rows
                .iter()
                .position(|r| r.key == m.queues.status_filter)
                .unwrap_or(0);
            let n = rows.len().max(1);
            let next = if action == Action::NextStatusFilter {
                (at + 1) % n
            } else {
                (at + n - 1) % n
            };
            m.queues.status_filter = rows.get(next).and_then(|r| r.key.clone());
        }
        Action::CycleSort => {
            m.requests.sort = m.requests.sort.next();
            let label = m.requests.sort.label();
            m.notify(NoticeLevel::Info, format!("sorted by {label}"));
            return vec![Effect::Match(m.requests.job(true))];
        }
        Action::Reply | Action::Note if m.focus == Focus::Detail => {
            let kind = if action == Action::Reply {
                super::composer::ReplyKind::Public
            } else {
                super::composer::ReplyKind::Internal
            };
            return super::composer::open(m, kind);
        }
        Action::Reassign | Action::WaitForCustomer if m.focus == Focus::Detail => {
            return super::actions::detail_key(m, action);
        }
        Action::Outbox => return super::outbox_panel::open(m),
        Action::Messages => return super::messages::open(m),
        Action::OpenInBrowser | Action::CopyLink | Action::CopyId => {
            return super::links::act(m, action);
        }
        Action::View(index) => return super::views::open(m, index),
        Action::Approvals if m.focus == Focus::Detail && m.detail.open.is_some() => {
            return super::approval_pane::open_request(m);
        }
        Action::Approvals => return super::approval_pane::open_mine(m),
        Action::News => return super::news_pane::open(m),
        Action::Kb => return super::kb_pane::open(m),
        Action::NewNews
        | Action::EditNews
        | Action::NewsUpdate
        | Action::CloseNews
        | Action::ReopenNews
        | Action::NextField
        | Action::PrevField
        | Action::KbBrowse
        | Action::InsertLink
        | Action::InsertExcerpt
        | Action::Select => {}
        Action::Quit
        | Action::Reply
        | Action::Note
        | Action::Reassign
        | Action::WaitForCustomer
        | Action::Send
        | Action::CycleKind
        | Action::ExternalEditor
        | Action::Retry
        | Action::Discard
        | Action::Approve
        | Action::RejectApproval
        | Action::CancelApproval
        | Action::AddVoter
        | Action::AskApproval
        | Action::TemplateApproval
        | Action::OpenRequest
        | Action::Accept
        | Action::Cancel
        | Action::Complete
        | Action::DeleteBack
        | Action::DeleteWord
        | Action::ClearLine
        | Action::Close
        | Action::None => {}
    }
    Vec::new()
}

/// The new position of a cursor over `len` lines after `action`.
pub fn moved(cursor: usize, len: usize, action: Action, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => cursor.saturating_sub(1),
        Action::Down => (cursor + 1).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageUp => cursor.saturating_sub(page),
        Action::PageDown => (cursor + page).min(last),
        _ => cursor,
    }
}

fn navigate(m: &mut Model, action: Action) {
    let screen = m.screen();
    match m.focus {
        Focus::Queues => {
            let rows = queues::rows(m);
            let at = rows
                .iter()
                .position(|r| r.key == m.queues.selected)
                .unwrap_or(0);
            let to = moved(at, rows.len(), action, screen.queue_rows());
            if let Some(row) = rows.get(to) {
                m.queues.selected = row.key.clone();
            }
        }
        Focus::Requests => {
            let page = screen.request_rows();
            m.requests.cursor = moved(m.requests.cursor, m.requests.len(), action, page);
        }
        Focus::Detail => {
            let page = screen.detail_rows();
            let max = m.detail.lines().len().saturating_sub(page);
            m.detail.scroll = moved(m.detail.scroll, max + 1, action, page);
        }
    }
}

/// Shows or hides what the selected node of the tree holds. Collapsing a level goes to its
/// desk, collapsing a desk with nothing shown goes to its profile.
fn toggle(m: &mut Model, expand: bool) {
    if m.focus != Focus::Queues {
        return;
    }
    let rows = queues::rows(m);
    let Some(row) = rows.iter().find(|r| r.key == m.queues.selected) else {
        return;
    };
    match (&row.key, row.kind) {
        (QueueKey::Profile(p), RowKind::Profile) => {
            if expand {
                m.queues.collapsed.remove(p);
            } else {
                m.queues.collapsed.insert(*p);
            }
        }
        (QueueKey::Desk(p, desk), RowKind::Desk) => {
            let (p, desk) = (*p, desk.clone());
            let parent = m
                .session(p)
                .and_then(|s| s.catalog())
                .and_then(|c| c.help_desk(desk.as_str()))
                .and_then(|d| d.parent_id.clone());
            match (parent, expand) {
                (Some(parent), false) => {
                    m.queues.expanded.remove(&(p, parent.clone()));
                    m.queues.selected = QueueKey::Desk(p, parent);
                }
                (Some(_), true) => {}
                (None, true) => {
                    if row.expandable.is_some() {
                        m.queues.expanded.insert((p, desk));
                    }
                }
                (None, false) => {
                    if row.expandable == Some(true) {
                        m.queues.expanded.remove(&(p, desk));
                    } else {
                        m.queues.selected = QueueKey::Profile(p);
                    }
                }
            }
        }
        _ => {}
    }
}
