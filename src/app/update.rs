//! [`update`]: the one place the model changes. Pure: no IO, no clock (it reads `Model::now`), no
//! terminal. It returns the IO it wants as [`Effect`]s.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::model::{Connection, Focus, Model, NoticeLevel};
use super::msg::{Effect, Loaded, Msg, RequestId};
use super::queues::{self, QueueKey};
use super::remote::Remote;
use crate::config::keymap::Context;
use crate::domain::TicketId;
use crate::provider::ProviderError;

/// Rows fetched per request-load effect: big enough to be few calls, small enough that the
/// first rows of a large queue appear quickly.
const ROWS_PER_LOAD: usize = 500;

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Start => {
            let mut effects = vec![probe(m)];
            effects.extend(load_catalog(m));
            effects
        }
        Msg::Key(event) => key(m, event),
        Msg::Resize { width, height } => {
            m.size = (width, height);
            Vec::new()
        }
        Msg::Loaded(id, loaded) => on_loaded(m, id, loaded),
        Msg::Tick => {
            if m.notice.as_ref().is_some_and(|n| n.until <= m.now) {
                m.notice = None;
            }
            Vec::new()
        }
    }
}

fn probe(m: &mut Model) -> Effect {
    let id = m.next_request_id();
    m.probe = Some(id);
    Effect::Probe(id)
}

fn load_catalog(m: &mut Model) -> Vec<Effect> {
    let id = m.next_request_id();
    m.catalog.start(id);
    vec![Effect::LoadCatalog(id)]
}

fn load_index(m: &mut Model) -> Vec<Effect> {
    let Some(catalog) = m.catalog.data().cloned() else {
        return Vec::new();
    };
    let id = m.next_request_id();
    m.index.start(id);
    // Row loads for the previous index would mix old and new answers. Their rows count as not
    // loaded until the new index asks for them again (if it fails, they say so).
    let abandoned = m.requests.abandon_loads();
    m.requests.failed.extend(abandoned);
    vec![Effect::LoadIndex(id, catalog)]
}

fn load_detail(m: &mut Model) -> Vec<Effect> {
    let (Some(ticket), Some(catalog)) = (m.detail.id.clone(), m.catalog.data().cloned()) else {
        return Vec::new();
    };
    let id = m.next_request_id();
    m.detail.data.start(id);
    vec![Effect::LoadDetail(id, ticket, catalog)]
}

/// Shows `queue` in the Requests pane and loads rows it lacks (all of them when `reload`).
fn show_queue(m: &mut Model, queue: QueueKey, reload: bool) -> Vec<Effect> {
    let (Some(catalog), Some(index)) = (m.catalog.data().cloned(), m.index.data()) else {
        return Vec::new();
    };
    let status = m.queues.status_filter.clone();
    let members = queues::members(index, &catalog, &queue, status.as_deref());
    if m.requests.queue.as_ref() != Some(&queue) {
        m.requests.cursor = 0;
    }
    m.requests.queue = Some(queue);
    m.requests.members = members;
    m.requests.rebuild(&m.tickets);
    let wanted: Vec<TicketId> = m
        .requests
        .members
        .iter()
        .filter(|id| reload || !(m.tickets.contains(id) || m.requests.is_pending(id)))
        .cloned()
        .collect();
    for id in &wanted {
        m.requests.failed.remove(id);
    }
    let mut effects = Vec::new();
    for chunk in wanted.chunks(ROWS_PER_LOAD) {
        let id = m.next_request_id();
        m.requests.start_load(id, chunk.to_vec());
        effects.push(Effect::LoadTickets(
            id,
            chunk.to_vec(),
            Arc::clone(&catalog),
        ));
    }
    effects
}

fn preview_selected_queue(m: &mut Model) -> Vec<Effect> {
    let Some(catalog) = m.catalog.data().cloned() else {
        return Vec::new();
    };
    let queue = m.queues.selected(&catalog);
    show_queue(m, queue, false)
}

fn refresh(m: &mut Model) -> Vec<Effect> {
    let mut effects = Vec::new();
    if !matches!(m.connection, Connection::Online(_)) {
        effects.push(probe(m));
    }
    if m.catalog.data().is_none() {
        effects.extend(load_catalog(m));
        return effects;
    }
    effects.extend(load_index(m));
    effects.extend(load_detail(m));
    effects
}

fn key(m: &mut Model, event: KeyEvent) -> Vec<Effect> {
    if event.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if event.code == KeyCode::Char('c') && event.modifiers.contains(KeyModifiers::CONTROL) {
        m.quit = true;
        return Vec::new();
    }
    if let Some(scroll) = m.help {
        let help = m.keymap.resolve(Context::Global, &event) == Some(Action::Help);
        // Help lines minus roughly one screen: further down would show nothing new.
        let last = super::action::help_len(&m.keymap)
            .saturating_sub(usize::from(m.size.1.saturating_sub(4)));
        m.help = match event.code {
            _ if help => None,
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => None,
            KeyCode::Down | KeyCode::Char('j') => Some((scroll + 1).min(last)),
            KeyCode::Up | KeyCode::Char('k') => Some(scroll.saturating_sub(1)),
            _ => Some(scroll),
        };
        return Vec::new();
    }
    if m.requests.editing {
        edit_filter(m, event);
        return Vec::new();
    }
    match m.keymap.resolve(m.focus.context(), &event) {
        Some(action) => act(m, action),
        None => Vec::new(),
    }
}

fn edit_filter(m: &mut Model, event: KeyEvent) {
    let len = m.requests.rows.len();
    match event.code {
        KeyCode::Enter => m.requests.editing = false,
        // Moving while typing, as in fzf: pick a match without leaving the filter.
        KeyCode::Up => m.requests.cursor = moved(m.requests.cursor, len, Action::Up, 1),
        KeyCode::Down => m.requests.cursor = moved(m.requests.cursor, len, Action::Down, 1),
        KeyCode::Esc => {
            m.requests.editing = false;
            m.requests.filter.clear();
            m.requests.rebuild(&m.tickets);
        }
        KeyCode::Backspace => {
            m.requests.filter.pop();
            m.requests.cursor = 0;
            m.requests.rebuild(&m.tickets);
        }
        KeyCode::Char(c) if !event.modifiers.contains(KeyModifiers::CONTROL) => {
            m.requests.filter.push(c);
            m.requests.cursor = 0;
            m.requests.narrow(&m.tickets);
        }
        _ => {}
    }
}

/// Lines a page moves: the visible rows of a pane, roughly.
fn page(m: &Model) -> usize {
    usize::from(m.size.1.saturating_sub(6)).max(1)
}

fn act(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => m.quit = true,
        Action::Help => m.help = Some(0),
        Action::FocusNext | Action::FocusPrev => {
            let order: &[Focus] = if m.detail.id.is_some() {
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
        Action::Refresh => return refresh(m),
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            return navigate(m, action);
        }
        Action::Open => match m.focus {
            Focus::Queues => {
                let effects = preview_selected_queue(m);
                m.focus = Focus::Requests;
                return effects;
            }
            Focus::Requests => {
                let Some(id) = m.requests.selected().cloned() else {
                    return Vec::new();
                };
                m.detail.open(id);
                m.focus = Focus::Detail;
                return load_detail(m);
            }
            Focus::Detail => {}
        },
        Action::Back => match m.focus {
            Focus::Detail => m.focus = Focus::Requests,
            Focus::Requests => m.focus = Focus::Queues,
            Focus::Queues => {}
        },
        Action::Expand | Action::Collapse => return toggle_desk(m, action == Action::Expand),
        Action::Filter => {
            m.focus = Focus::Requests;
            m.requests.editing = true;
        }
        Action::ClearFilter => {
            m.requests.filter.clear();
            m.requests.rebuild(&m.tickets);
        }
        Action::NextStatusFilter | Action::PrevStatusFilter => {
            if let Some(catalog) = m.catalog.data().cloned() {
                m.queues
                    .cycle_status(&catalog, action == Action::NextStatusFilter);
                let queue = m
                    .requests
                    .queue
                    .clone()
                    .unwrap_or_else(|| m.queues.selected(&catalog));
                return show_queue(m, queue, false);
            }
        }
        Action::CycleSort => {
            m.requests.sort = m.requests.sort.next();
            m.requests.rebuild(&m.tickets);
            m.notify(
                NoticeLevel::Info,
                format!("sorted by {}", m.requests.sort.label()),
            );
        }
        Action::None => {}
    }
    Vec::new()
}

fn moved(cursor: usize, len: usize, action: Action, page: usize) -> usize {
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

fn navigate(m: &mut Model, action: Action) -> Vec<Effect> {
    let page = page(m);
    match m.focus {
        Focus::Queues => {
            let Some(catalog) = m.catalog.data().cloned() else {
                return Vec::new();
            };
            let len = m.queues.rows(&catalog).len();
            let before = m.queues.cursor;
            m.queues.cursor = moved(before, len, action, page);
            if m.queues.cursor != before {
                return preview_selected_queue(m);
            }
        }
        Focus::Requests => {
            m.requests.cursor = moved(m.requests.cursor, m.requests.rows.len(), action, page);
        }
        Focus::Detail => {
            let max = m.detail.line_count().saturating_sub(page);
            m.detail.scroll = moved(m.detail.scroll, max + 1, action, page);
        }
    }
    Vec::new()
}

fn toggle_desk(m: &mut Model, expand: bool) -> Vec<Effect> {
    if m.focus != Focus::Queues {
        return Vec::new();
    }
    let Some(catalog) = m.catalog.data().cloned() else {
        return Vec::new();
    };
    let rows = m.queues.rows(&catalog);
    let Some(QueueKey::HelpDesk(id)) = rows.get(m.queues.cursor).map(|r| r.key.clone()) else {
        return Vec::new();
    };
    let desk = match catalog.help_desk(&id).and_then(|d| d.parent_id.clone()) {
        Some(parent) if !expand => parent,
        _ => id,
    };
    if expand {
        m.queues.expanded.insert(desk);
    } else {
        m.queues.expanded.remove(&desk);
        let rows = m.queues.rows(&catalog);
        m.queues.cursor = rows
            .iter()
            .position(|r| r.key == QueueKey::HelpDesk(desk.clone()))
            .unwrap_or(m.queues.cursor);
    }
    // Collapsing a level moves the cursor to its desk: the list follows the cursor.
    preview_selected_queue(m)
}

fn on_loaded(m: &mut Model, id: RequestId, loaded: Loaded) -> Vec<Effect> {
    let answered = match &loaded {
        Loaded::Probe(_) => false,
        Loaded::Catalog(r) => r.is_ok(),
        Loaded::Index(r) => r.is_ok(),
        Loaded::Tickets(r) => r.is_ok(),
        Loaded::Detail(r) => r.is_ok(),
    };
    let mut effects = apply_loaded(m, id, loaded);
    // A server that answers again after a failure: check it properly so the status bar stops
    // saying "offline" (the probe also refreshes the version shown).
    if answered && matches!(m.connection, Connection::Offline(_)) && m.probe.is_none() {
        effects.push(probe(m));
    }
    effects
}

fn apply_loaded(m: &mut Model, id: RequestId, loaded: Loaded) -> Vec<Effect> {
    let now = m.now;
    let mut effects = Vec::new();
    match loaded {
        Loaded::Probe(result) => {
            if m.probe != Some(id) {
                return effects;
            }
            m.probe = None;
            m.connection = match result {
                Ok(info) => Connection::Online(info),
                Err(e) => {
                    m.notify(NoticeLevel::Error, format!("connection check failed: {e}"));
                    Connection::Offline(short(&e))
                }
            };
        }
        Loaded::Catalog(result) => {
            let result = (*result).map(Arc::new);
            let failed = result.as_ref().err().cloned();
            if !m.catalog.finish(id, result, now) {
                return effects;
            }
            match failed {
                None => effects.extend(load_index(m)),
                Some(e) => failure(m, "could not load the help desks and statuses", &e),
            }
        }
        Loaded::Index(result) => {
            let failed = result.as_ref().err().cloned();
            if !m.index.finish(id, result, now) {
                return effects;
            }
            match failed {
                None => {
                    if let Some(index) = m.index.data() {
                        m.queues.index_loaded(index);
                    }
                    m.last_refresh = Some(now);
                    let queue = m.requests.queue.clone().unwrap_or(QueueKey::AllOpen);
                    effects.extend(show_queue(m, queue, true));
                }
                Some(e) => failure(m, "could not load the queues", &e),
            }
        }
        Loaded::Tickets(result) => {
            let Some(asked) = m.requests.finish_load(id) else {
                return effects;
            };
            match result {
                Ok(tickets) => {
                    let returned: std::collections::HashSet<TicketId> =
                        tickets.iter().map(|t| t.id.clone()).collect();
                    for t in tickets {
                        m.tickets.insert(t);
                    }
                    // Requests the server no longer returns were closed or deleted since the
                    // index was read: they leave the index (and so the counts and every
                    // queue) instead of "loading" forever.
                    let gone: std::collections::HashSet<TicketId> = asked
                        .into_iter()
                        .filter(|a| !returned.contains(a))
                        .collect();
                    if !gone.is_empty() {
                        m.requests.members.retain(|id| !gone.contains(id));
                        if let Remote::Loaded { data, .. } = &mut m.index {
                            data.entries.retain(|e| !gone.contains(&e.id));
                            m.queues.index_loaded(data);
                        }
                    }
                    m.requests.rebuild(&m.tickets);
                }
                Err(e) => {
                    failure(m, "could not load requests", &e);
                    m.requests.failed.extend(asked);
                }
            }
        }
        Loaded::Detail(result) => {
            let result = *result;
            let fresh_row = result.as_ref().ok().map(|d| d.ticket.clone());
            let failed = result.as_ref().err().cloned();
            if !m.detail.data.finish(id, result, now) {
                return effects;
            }
            // The detail carries the newest copy of the row: the list shows it too.
            if let Some(row) = fresh_row {
                m.tickets.insert(row);
                m.requests.rebuild(&m.tickets);
            }
            m.detail.invalidate();
            if let Some(e) = failed {
                failure(m, "could not load the request", &e);
            }
        }
    }
    effects
}

fn failure(m: &mut Model, what: &str, e: &ProviderError) {
    if matches!(
        e,
        ProviderError::Connect(_) | ProviderError::Timeout { .. } | ProviderError::Unauthorized
    ) {
        m.connection = Connection::Offline(short(e));
    }
    m.notify(NoticeLevel::Error, format!("{what}: {e}"));
}

fn short(e: &ProviderError) -> String {
    match e {
        ProviderError::Unauthorized => "credentials rejected".into(),
        ProviderError::Forbidden(_) => "access denied".into(),
        ProviderError::Timeout { .. } => "no answer".into(),
        ProviderError::Connect(_) => "unreachable".into(),
        ProviderError::RateLimited { .. } => "rate limited".into(),
        _ => "error".into(),
    }
}
