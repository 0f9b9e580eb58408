//! The Requests pane's state: which queue is listed, the filter text, the sort order, the cursor,
//! and the rows shown. Rows come from the filter worker ([`Matched`]); the pane keeps the newest
//! completed pass on screen while a newer one runs, and keeps the cursor on the same request
//! when the rows change under it.

use std::sync::Arc;

use super::matcher::{Candidate, MatchJob, Matched, SortOrder};
use super::queues::QueueKey;
use crate::domain::TicketKey;

#[derive(Debug, Clone)]
pub struct RequestsPane {
    pub filter: String,
    pub sort: SortOrder,
    pub cursor: usize,
    /// First row drawn, so the list scrolls instead of jumping.
    pub offset: usize,
    /// The newest completed pass: what is drawn.
    pub shown: Matched,
    /// The queue's requests as of the latest change (the next pass's input).
    candidates: Arc<[Candidate]>,
    /// The generation of the latest job sent.
    asked: u64,
    /// The intent of the latest job sent (see [`MatchJob::intent`]).
    intent: u64,
    /// From this generation on the cursor goes back to the top (the filter text changed: the
    /// best match is first).
    reset_from: Option<u64>,
    /// What the candidates were built from, to know when to build them again.
    pub(super) inputs: Option<Inputs>,
}

/// Everything the queue's requests depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub queue: QueueKey,
    pub status_filter: Option<String>,
    /// Per session: its listing's and its rows' versions.
    pub versions: Vec<(u64, u64)>,
}

impl Default for RequestsPane {
    fn default() -> Self {
        RequestsPane {
            filter: String::new(),
            sort: SortOrder::default(),
            cursor: 0,
            offset: 0,
            shown: Matched::empty(),
            candidates: Arc::from(Vec::new()),
            asked: 0,
            intent: 0,
            reset_from: None,
            inputs: None,
        }
    }
}

impl RequestsPane {
    /// Rows drawn.
    pub fn len(&self) -> usize {
        self.shown.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.rows.is_empty()
    }

    /// The candidate drawn at row `i`.
    pub fn row(&self, i: usize) -> Option<&Candidate> {
        let at = *self.shown.rows.get(i)?;
        self.shown.candidates.get(at as usize)
    }

    pub fn selected(&self) -> Option<&Candidate> {
        self.row(self.cursor)
    }

    pub fn selected_key(&self) -> Option<&TicketKey> {
        self.selected().map(|c| &c.key)
    }

    /// Requests the queue holds (before the text filter).
    pub fn total(&self) -> usize {
        self.candidates.len()
    }

    /// A pass newer than the one shown is running.
    pub fn is_matching(&self) -> bool {
        self.asked > self.shown.generation
    }

    /// The rows shown are not yet those for what the agent last asked (filter, sort, queue):
    /// keys that act on rows wait.
    pub fn is_behind(&self) -> bool {
        self.intent > self.shown.intent
    }

    /// New input for the rows: the queue's requests changed. With `from_top` (another queue)
    /// the cursor starts at the top; otherwise (more rows came) it stays on its request.
    pub fn set_candidates(&mut self, candidates: Vec<Candidate>, from_top: bool) -> MatchJob {
        self.candidates = Arc::from(candidates);
        if from_top {
            self.cursor = 0;
            self.offset = 0;
            self.reset()
        } else {
            self.job(false)
        }
    }

    /// A job after which the cursor goes to the top, where the best match is (the filter text
    /// or the queue changed).
    pub fn reset(&mut self) -> MatchJob {
        let job = self.job(true);
        self.reset_from = Some(job.generation);
        job
    }

    /// A job for the current candidates, filter and sort; `new_intent` when the agent changed
    /// what is asked.
    pub fn job(&mut self, new_intent: bool) -> MatchJob {
        self.asked += 1;
        if new_intent {
            self.intent += 1;
        }
        MatchJob {
            generation: self.asked,
            intent: self.intent,
            candidates: Arc::clone(&self.candidates),
            query: self.filter.clone(),
            sort: self.sort,
        }
    }

    /// Shows a completed pass if it is newer than the one shown; the cursor stays on the
    /// request it was on, except on the top row when `top_stays` (nothing has been pressed
    /// that acts on that row), where it keeps the top (the newest, as rows stream in).
    /// Returns whether anything changed.
    pub fn matched(&mut self, matched: Matched, top_stays: bool) -> bool {
        if matched.generation <= self.shown.generation {
            return false;
        }
        let keep = self.selected_key().cloned();
        let asked_reset = self.reset_from.is_some_and(|g| matched.generation >= g);
        if asked_reset {
            self.reset_from = None;
        }
        let reset = asked_reset || (self.cursor == 0 && top_stays);
        self.shown = matched;
        self.cursor = if reset {
            0
        } else {
            keep.and_then(|key| self.position(&key))
                .unwrap_or(self.cursor)
                .min(self.len().saturating_sub(1))
        };
        true
    }

    /// Where `key` is drawn.
    pub fn position(&self, key: &TicketKey) -> Option<usize> {
        self.shown.rows.iter().position(|&i| {
            self.shown
                .candidates
                .get(i as usize)
                .is_some_and(|c| c.key == *key)
        })
    }
}
