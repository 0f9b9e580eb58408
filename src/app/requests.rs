//! The Requests pane's state: which requests the open queue holds, the fuzzy filter, the sort
//! order and the cursor. The visible rows are rebuilt when any input changes, keeping the cursor
//! on the same request.

use std::collections::HashMap;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::msg::RequestId;
use super::queues::QueueKey;
use crate::domain::{Ticket, TicketId};
use crate::provider::ProviderError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Newest,
    Priority,
    Updated,
}

impl SortOrder {
    pub fn next(self) -> SortOrder {
        match self {
            SortOrder::Newest => SortOrder::Priority,
            SortOrder::Priority => SortOrder::Updated,
            SortOrder::Updated => SortOrder::Newest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Priority => "priority",
            SortOrder::Updated => "last update",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RequestsState {
    /// The queue whose requests are listed.
    pub queue: Option<QueueKey>,
    /// Its open requests (after the status filter), newest first.
    pub members: Vec<TicketId>,
    /// What is drawn: members after the text filter, in sort order.
    pub rows: Vec<TicketId>,
    pub cursor: usize,
    /// First row drawn; kept by the UI so the list scrolls instead of jumping.
    pub offset: usize,
    pub filter: String,
    /// Keys go to the filter text while true.
    pub editing: bool,
    pub sort: SortOrder,
    /// Row loads in flight for the current queue index.
    pub pending: HashMap<RequestId, usize>,
    /// The last row load that failed, until a later one succeeds.
    pub error: Option<ProviderError>,
}

impl RequestsState {
    pub fn selected(&self) -> Option<&TicketId> {
        self.rows.get(self.cursor)
    }

    pub fn loading(&self) -> usize {
        self.pending.values().sum()
    }

    /// Rebuilds `rows` from `members`, the filter and the sort, keeping the cursor on the same
    /// request when it is still listed.
    pub fn rebuild(&mut self, tickets: &HashMap<TicketId, Ticket>) {
        let keep = self.selected().cloned();
        let query = self.filter.trim();
        let mut scored: Vec<(u32, &TicketId)> = if query.is_empty() {
            self.members.iter().map(|id| (0, id)).collect()
        } else {
            let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            let mut haystack = String::new();
            self.members
                .iter()
                .filter_map(|id| {
                    haystack.clear();
                    searchable(&mut haystack, id, tickets.get(id));
                    pattern
                        .score(Utf32Str::new(&haystack, &mut buf), &mut matcher)
                        .map(|s| (s, id))
                })
                .collect()
        };
        let sort = self.sort;
        scored.sort_by(|(sa, a), (sb, b)| {
            sb.cmp(sa)
                .then_with(|| compare(sort, tickets.get(*a), tickets.get(*b)))
                .then_with(|| newest(a, b))
        });
        self.rows = scored.into_iter().map(|(_, id)| id.clone()).collect();
        self.cursor = keep
            .and_then(|id| self.rows.iter().position(|r| *r == id))
            .unwrap_or(self.cursor)
            .min(self.rows.len().saturating_sub(1));
    }
}

/// The text the filter matches against: id, title, customer, agent, status.
fn searchable(out: &mut String, id: &TicketId, ticket: Option<&Ticket>) {
    out.push_str(&id.0);
    if let Some(t) = ticket {
        for part in [
            Some(&t.title),
            t.customer.as_ref().map(|c| &c.name),
            t.agent.as_ref().map(|a| &a.name),
        ]
        .into_iter()
        .flatten()
        .chain([&t.status.name])
        {
            out.push(' ');
            out.push_str(part.as_str());
        }
    }
}

fn newest(a: &TicketId, b: &TicketId) -> std::cmp::Ordering {
    b.number().cmp(&a.number()).then_with(|| b.cmp(a))
}

/// Loaded requests before unloaded ones, then by the chosen order (most important first).
fn compare(sort: SortOrder, a: Option<&Ticket>, b: Option<&Ticket>) -> std::cmp::Ordering {
    if sort == SortOrder::Newest {
        // Id order needs no loaded data: rows keep their place while loading.
        return std::cmp::Ordering::Equal;
    }
    match (a, b) {
        (Some(a), Some(b)) => match sort {
            SortOrder::Newest | SortOrder::Priority => {
                let rank = |t: &Ticket| t.priority.as_ref().map_or(0, |p| p.rank);
                rank(b).cmp(&rank(a))
            }
            SortOrder::Updated => b.updated_at.cmp(&a.updated_at),
        },
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}
