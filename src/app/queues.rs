//! The Queues pane's state: the help desk tree (desks, their levels), the counts per status
//! derived from the queue index, the cursor and the status filter. Pure data, no IO.

use std::collections::{BTreeSet, HashMap};

use crate::domain::{Catalog, QueueIndex, StatusKind, TicketId};
use crate::text::SafeText;

/// A queue the agent can open.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QueueKey {
    /// Every open request of the profile.
    AllOpen,
    /// A help desk (with its levels) or one level.
    HelpDesk(String),
}

/// One line of the queue tree, as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub key: QueueKey,
    pub label: SafeText,
    /// 0 for "All open" and desks, 1 for levels.
    pub depth: u8,
    /// Some(expanded) when the desk has levels.
    pub expandable: Option<bool>,
    pub count: usize,
}

#[derive(Debug, Clone, Default)]
pub struct QueuesState {
    pub cursor: usize,
    /// First row drawn; kept by the UI so the tree scrolls instead of jumping.
    pub offset: usize,
    /// Desks whose levels are shown.
    pub expanded: BTreeSet<String>,
    /// Only requests in this status are listed; `None` = every open status.
    pub status_filter: Option<String>,
    /// Open requests per help desk id (desk or level, exact) and status id.
    counts: HashMap<Option<String>, HashMap<Option<String>, usize>>,
    total: usize,
}

impl QueuesState {
    /// Recomputes the counts after a new queue index arrived.
    pub fn index_loaded(&mut self, index: &QueueIndex) {
        self.counts.clear();
        for entry in &index.entries {
            *self
                .counts
                .entry(entry.help_desk_id.clone())
                .or_default()
                .entry(entry.status_id.clone())
                .or_default() += 1;
        }
        self.total = index.entries.len();
    }

    /// Rows of the tree as shown now (collapsed desks hide their levels).
    pub fn rows(&self, catalog: &Catalog) -> Vec<QueueRow> {
        let mut rows = vec![QueueRow {
            key: QueueKey::AllOpen,
            label: SafeText::ours("All open"),
            depth: 0,
            expandable: None,
            count: self.total,
        }];
        for desk in catalog.root_desks() {
            let levels = catalog.levels_of(&desk.id);
            let expanded = self.expanded.contains(&desk.id);
            rows.push(QueueRow {
                key: QueueKey::HelpDesk(desk.id.clone()),
                label: desk.name.clone(),
                depth: 0,
                expandable: (!levels.is_empty()).then_some(expanded),
                count: self.count(catalog, &QueueKey::HelpDesk(desk.id.clone()), None),
            });
            if expanded {
                for level in levels {
                    rows.push(QueueRow {
                        key: QueueKey::HelpDesk(level.id.clone()),
                        label: level.name.clone(),
                        depth: 1,
                        expandable: None,
                        count: self.exact(Some(&level.id), None),
                    });
                }
            }
        }
        rows
    }

    /// Open requests in `queue` (a desk counts its levels), optionally in one status.
    pub fn count(&self, catalog: &Catalog, queue: &QueueKey, status: Option<&str>) -> usize {
        match queue {
            QueueKey::AllOpen => match status {
                None => self.total,
                Some(_) => self
                    .counts
                    .keys()
                    .map(|desk| self.exact(desk.as_deref(), status))
                    .sum(),
            },
            QueueKey::HelpDesk(id) => {
                self.exact(Some(id), status)
                    + catalog
                        .levels_of(id)
                        .iter()
                        .map(|l| self.exact(Some(&l.id), status))
                        .sum::<usize>()
            }
        }
    }

    fn exact(&self, desk: Option<&str>, status: Option<&str>) -> usize {
        let Some(by_status) = self.counts.get(&desk.map(str::to_string)) else {
            return 0;
        };
        match status {
            None => by_status.values().sum(),
            Some(s) => by_status.get(&Some(s.to_string())).copied().unwrap_or(0),
        }
    }

    /// The queue under the cursor.
    pub fn selected(&self, catalog: &Catalog) -> QueueKey {
        self.rows(catalog)
            .get(self.cursor)
            .map_or(QueueKey::AllOpen, |r| r.key.clone())
    }

    /// Moves the status filter through the open statuses, then back to "all".
    pub fn cycle_status(&mut self, catalog: &Catalog, forward: bool) {
        let open: Vec<&str> = catalog
            .statuses
            .iter()
            .filter(|s| s.kind != StatusKind::Closed)
            .map(|s| s.id.as_str())
            .collect();
        let position = self
            .status_filter
            .as_deref()
            .and_then(|f| open.iter().position(|s| *s == f));
        let next = match (position, forward) {
            (None, true) => open.first(),
            (None, false) => open.last(),
            (Some(i), true) => open.get(i + 1),
            (Some(i), false) => i.checked_sub(1).and_then(|i| open.get(i)),
        };
        self.status_filter = next.map(|s| s.to_string());
    }
}

/// Ids of the open requests in `queue` and status, in index order (newest first).
pub fn members(
    index: &QueueIndex,
    catalog: &Catalog,
    queue: &QueueKey,
    status: Option<&str>,
) -> Vec<TicketId> {
    let in_queue = |desk: Option<&str>| match queue {
        QueueKey::AllOpen => true,
        QueueKey::HelpDesk(id) => {
            desk == Some(id.as_str())
                || desk
                    .and_then(|d| catalog.help_desk(d))
                    .and_then(|d| d.parent_id.as_deref())
                    == Some(id.as_str())
        }
    };
    index
        .entries
        .iter()
        .filter(|e| in_queue(e.help_desk_id.as_deref()))
        .filter(|e| status.is_none() || e.status_id.as_deref() == status)
        .map(|e| e.id.clone())
        .collect()
}
