//! The Queues pane: each open profile as a top-level node (name, vendor, connection) with its help
//! desks and their levels below, "All open · every profile" on top when more than one profile is
//! open, every node with its count of open requests; and below the tree the status filter with
//! the counts of the selected queue. Also which requests a queue holds. Pure data, no IO.

use std::collections::HashSet;
use std::sync::Arc;

use super::matcher::Candidate;
use super::model::Model;
use super::session::{Session, fold};
use crate::domain::{DeskId, ProfileId, StatusKind, TicketKey};
use crate::text::SafeText;

/// A queue the agent can open.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QueueKey {
    /// Every open request of every open profile.
    Everything,
    /// Every open request of one profile.
    Profile(ProfileId),
    /// A help desk (with its levels) or one level, of one profile.
    Desk(ProfileId, DeskId),
}

impl QueueKey {
    /// The profile the queue belongs to (`None` for the queue of every profile).
    pub fn profile(&self) -> Option<ProfileId> {
        match self {
            QueueKey::Everything => None,
            QueueKey::Profile(p) | QueueKey::Desk(p, _) => Some(*p),
        }
    }
}

/// What a line of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Everything,
    Profile,
    Desk,
}

/// One line of the queue tree, as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub key: QueueKey,
    pub kind: RowKind,
    pub label: SafeText,
    /// 0 for the top nodes, 1 for desks, 2 for levels.
    pub depth: u8,
    /// Some(expanded) when the node has children.
    pub expandable: Option<bool>,
    /// Open requests (in the status filter), when known.
    pub count: Option<u64>,
    /// The count is still growing (a listing being read).
    pub partial: bool,
}

/// One line of the status filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// The folded name the filter keeps; `None` for "all open".
    pub key: Option<String>,
    pub label: SafeText,
    pub kind: Option<StatusKind>,
    pub count: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct QueuesPane {
    pub selected: QueueKey,
    /// First row drawn, so the tree scrolls instead of jumping.
    pub offset: usize,
    /// Desks whose levels are shown.
    pub expanded: HashSet<(ProfileId, DeskId)>,
    /// Profiles whose desks are hidden.
    pub collapsed: HashSet<ProfileId>,
    /// Only requests in a status of this (folded) name are listed; `None` = every open status.
    pub status_filter: Option<String>,
}

impl Default for QueuesPane {
    fn default() -> Self {
        QueuesPane {
            selected: QueueKey::Everything,
            offset: 0,
            expanded: HashSet::new(),
            collapsed: HashSet::new(),
            status_filter: None,
        }
    }
}

/// The tree as shown now: collapsed nodes hide what is under them.
pub fn rows(m: &Model) -> Vec<QueueRow> {
    let filter = m.queues.status_filter.as_deref();
    let mut rows = Vec::new();
    if m.sessions.len() > 1 {
        // What the profiles that can be counted hold; still growing while another loads.
        let (count, partial) = m.sessions.iter().fold((None, false), |(sum, partial), s| {
            let (c, p) = profile_count(s, filter);
            let sum = match (sum, c) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            };
            (sum, partial || p)
        });
        rows.push(QueueRow {
            key: QueueKey::Everything,
            kind: RowKind::Everything,
            label: SafeText::ours("All open · every profile"),
            depth: 0,
            expandable: None,
            count,
            partial,
        });
    }
    for s in &m.sessions {
        let (count, partial) = profile_count(s, filter);
        let catalog = s.catalog();
        let has_desks = catalog.is_some_and(|c| c.root_desks().next().is_some());
        let expanded = !m.queues.collapsed.contains(&s.id);
        rows.push(QueueRow {
            key: QueueKey::Profile(s.id),
            kind: RowKind::Profile,
            label: SafeText::ours(s.label.name.clone()),
            depth: 0,
            expandable: has_desks.then_some(expanded),
            count,
            partial,
        });
        let Some(catalog) = catalog.filter(|_| expanded) else {
            continue;
        };
        let statuses = filter.map(|f| s.statuses_named(f));
        let statuses = statuses.as_deref();
        for desk in catalog.root_desks() {
            let levels = catalog.levels_of(desk.id.as_str());
            let open = m.queues.expanded.contains(&(s.id, desk.id.clone()));
            rows.push(QueueRow {
                key: QueueKey::Desk(s.id, desk.id.clone()),
                kind: RowKind::Desk,
                label: desk.name.clone(),
                depth: 1,
                expandable: (!levels.is_empty()).then_some(open),
                count: s
                    .tally
                    .known
                    .then(|| s.tally.count(Some(&desk.id), statuses)),
                partial: !s.tally.exact_counts,
            });
            if open {
                for level in levels {
                    rows.push(QueueRow {
                        key: QueueKey::Desk(s.id, level.id.clone()),
                        kind: RowKind::Desk,
                        label: level.name.clone(),
                        depth: 2,
                        expandable: None,
                        count: s.tally.known.then(|| s.tally.exactly(&level.id, statuses)),
                        partial: !s.tally.exact_counts,
                    });
                }
            }
        }
    }
    rows
}

fn profile_count(s: &Session, filter: Option<&str>) -> (Option<u64>, bool) {
    if !s.tally.known {
        return (None, s.is_busy());
    }
    let statuses = filter.map(|f| s.statuses_named(f));
    let count = s.tally.count(None, statuses.as_deref());
    (Some(count), !s.tally.exact_counts)
}

/// The sessions a queue draws from.
pub fn sessions_of<'a>(m: &'a Model, queue: &QueueKey) -> impl Iterator<Item = &'a Session> {
    let only = queue.profile();
    m.sessions
        .iter()
        .filter(move |s| only.is_none_or(|p| p == s.id))
}

/// How many lines [`status_rows`] has, without counting anything.
pub fn status_row_count(m: &Model) -> usize {
    let mut seen = HashSet::new();
    for s in sessions_of(m, &m.queues.selected) {
        if let Some(catalog) = s.catalog() {
            seen.extend(catalog.open_statuses().map(|st| fold(st.name.as_str())));
        }
    }
    seen.len() + 1
}

/// The status filter for the selected queue: "all open", then each open status of the queue's
/// profile (or, for every profile, each status name any of them has), with counts.
pub fn status_rows(m: &Model) -> Vec<StatusRow> {
    let queue = &m.queues.selected;
    let desk = match queue {
        QueueKey::Desk(_, d) => Some(d),
        _ => None,
    };
    let count_for = |folded: Option<&str>| -> Option<u64> {
        let mut total = 0;
        let mut known = false;
        for s in sessions_of(m, queue) {
            if !s.tally.known {
                continue;
            }
            known = true;
            let statuses = folded.map(|f| s.statuses_named(f));
            total += s.tally.count(desk, statuses.as_deref());
        }
        known.then_some(total)
    };
    let mut rows = vec![StatusRow {
        key: None,
        label: SafeText::ours("all open"),
        kind: None,
        count: count_for(None),
    }];
    let mut seen = HashSet::new();
    for s in sessions_of(m, queue) {
        let Some(catalog) = s.catalog() else {
            continue;
        };
        for status in catalog.open_statuses() {
            let key = fold(status.name.as_str());
            if seen.insert(key.clone()) {
                let count = count_for(Some(&key));
                rows.push(StatusRow {
                    key: Some(key),
                    label: status.name.clone(),
                    kind: Some(status.kind),
                    count,
                });
            }
        }
    }
    rows
}

/// The requests `queue` holds in the status filter, in listing order, profile after profile.
pub fn members(m: &Model, queue: &QueueKey) -> Vec<Candidate> {
    let filter = m.queues.status_filter.as_deref();
    let mut out = Vec::new();
    for s in sessions_of(m, queue) {
        let catalog = s.catalog();
        for id in s.listing.ids() {
            let Some(row) = s.rows.row(id) else {
                continue;
            };
            let t = &row.ticket;
            if let QueueKey::Desk(_, desk) = queue {
                let Some(at) = t.help_desk.as_ref().map(|d| &d.id) else {
                    continue;
                };
                let within = match catalog {
                    Some(c) => c.within(at, desk),
                    None => at == desk,
                };
                if !within {
                    continue;
                }
            }
            if filter.is_some_and(|f| fold(t.status.name.as_str()) != f) {
                continue;
            }
            out.push(Candidate {
                key: TicketKey::new(s.id, id.clone()),
                row: Arc::clone(row),
            });
        }
    }
    out
}
