//! The Requests pane's state: which requests the open queue holds, the fuzzy filter, the sort
//! order and the cursor. The visible rows are rebuilt when any input changes, keeping the cursor
//! on the same request.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::msg::RequestId;
use super::queues::QueueKey;
use super::tickets::TicketCache;
use crate::domain::{Ticket, TicketId};

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
    pending: HashMap<RequestId, Vec<TicketId>>,
    /// Every id in `pending`, for a constant-time "already asked for?".
    pending_ids: HashSet<TicketId>,
    /// Rows whose load failed; drawn as such until a retry.
    pub failed: HashSet<TicketId>,
    /// The filter text `rows` was last computed for.
    matched: String,
}

impl RequestsState {
    pub fn selected(&self) -> Option<&TicketId> {
        self.rows.get(self.cursor)
    }

    pub fn is_pending(&self, id: &TicketId) -> bool {
        self.pending_ids.contains(id)
    }

    pub fn is_loading(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Records a row load in flight.
    pub fn start_load(&mut self, request: RequestId, ids: Vec<TicketId>) {
        self.pending_ids.extend(ids.iter().cloned());
        self.pending.insert(request, ids);
    }

    /// The ids `request` asked for, if it is still awaited.
    pub fn finish_load(&mut self, request: RequestId) -> Option<Vec<TicketId>> {
        let ids = self.pending.remove(&request)?;
        for id in &ids {
            self.pending_ids.remove(id);
        }
        Some(ids)
    }

    /// Forgets every load in flight (their answers will be dropped) and returns their ids.
    pub fn abandon_loads(&mut self) -> Vec<TicketId> {
        self.pending_ids.clear();
        self.pending.drain().flat_map(|(_, ids)| ids).collect()
    }

    pub fn loading(&self) -> usize {
        self.pending_ids.len()
    }

    /// Rebuilds `rows` from `members`, the filter and the sort, keeping the cursor on the same
    /// request when it is still listed.
    pub fn rebuild(&mut self, tickets: &TicketCache) {
        self.rebuild_from(tickets, false);
    }

    /// Like [`rebuild`](Self::rebuild) after the filter text grew by a character: only the
    /// rows that matched the shorter text can match the longer one, so only they are scored.
    pub fn narrow(&mut self, tickets: &TicketCache) {
        // Negation (`!x`), an end anchor (`x$`) and escapes can match more rows when the text
        // grows, so only plain queries narrow.
        let plain = |q: &str| !q.contains(['!', '$', '\\']);
        let query = self.filter.trim();
        let extends = !self.matched.is_empty()
            && query.starts_with(self.matched.as_str())
            && plain(query)
            && plain(&self.matched);
        self.rebuild_from(tickets, extends);
    }

    fn rebuild_from(&mut self, tickets: &TicketCache, narrowing: bool) {
        let keep = self.selected().cloned();
        let query = self.filter.trim().to_string();
        let candidates = if narrowing { &self.rows } else { &self.members };
        let scored: Vec<(u32, &TicketId)> = if query.is_empty() {
            candidates.iter().map(|id| (0, id)).collect()
        } else {
            let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            candidates
                .iter()
                .filter_map(|id| {
                    let score = match tickets.haystack(id) {
                        Some(h) => pattern.score(h.slice(..), &mut matcher),
                        // Not loaded yet: only its id can match.
                        None => pattern.score(Utf32Str::new(&id.0, &mut buf), &mut matcher),
                    };
                    score.map(|s| (s, id))
                })
                .collect()
        };
        // Keys are computed once per row, not per comparison: sorting 20,000 rows compares
        // about 300,000 times.
        let sort = self.sort;
        let mut keyed: Vec<_> = scored
            .into_iter()
            .map(|(score, id)| {
                let key = (
                    Reverse(score),
                    order_key(sort, tickets.get(id)),
                    Reverse(id.number()),
                );
                (key, id)
            })
            .collect();
        keyed.sort_unstable_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| b.cmp(a)));
        self.rows = keyed.into_iter().map(|(_, id)| id.clone()).collect();
        self.matched = query;
        self.cursor = keep
            .and_then(|id| self.rows.iter().position(|r| *r == id))
            .unwrap_or(self.cursor)
            .min(self.rows.len().saturating_sub(1));
    }
}

/// Secondary order (after the filter score), most important first; rows not loaded yet go
/// last except in id order, where they keep their place while loading.
fn order_key(sort: SortOrder, ticket: Option<&Ticket>) -> i64 {
    match (sort, ticket) {
        (SortOrder::Newest, _) => 0,
        (_, None) => i64::MAX,
        (SortOrder::Priority, Some(t)) => -i64::from(t.priority.as_ref().map_or(0, |p| p.rank)),
        (SortOrder::Updated, Some(t)) => t.updated_at.map_or(i64::MAX - 1, |d| -d.timestamp()),
    }
}
