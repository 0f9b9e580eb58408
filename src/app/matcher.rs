//! The request filter and sort, as a job a worker runs off the UI task: [`MatchJob`] carries the
//! candidates (shared rows, no copies), the query and the order; [`Matched`] comes back tagged
//! with the job's generation, so the view shows the newest completed pass and never waits for
//! one. [`Matcher`] is pure and remembers its last pass, so typing one more character only
//! re-scores what the shorter query matched.

use std::cmp::Reverse;
use std::sync::Arc;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Utf32Str};

use super::rows::Row;
use crate::domain::{Ticket, TicketKey};

/// Best score first, then the order's own key, then its tie-breaker.
type SortKey = (Reverse<u32>, i64, i64);

/// How often (in candidates) a pass checks whether a newer job has made it pointless.
const CHECK_EVERY: usize = 2_048;

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

/// One request a queue holds, with its row.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub key: TicketKey,
    pub row: Arc<Row>,
}

#[derive(Debug, Clone)]
pub struct MatchJob {
    pub generation: u64,
    /// Bumped when the agent changes what is asked (the filter, the sort, the queue); more rows
    /// for the same question keep it. A pass is abandoned only for a job of a newer intent.
    pub intent: u64,
    pub candidates: Arc<[Candidate]>,
    pub query: String,
    pub sort: SortOrder,
}

/// The rows to show for a job: positions in its candidates, in display order.
#[derive(Debug, Clone)]
pub struct Matched {
    pub generation: u64,
    pub intent: u64,
    pub candidates: Arc<[Candidate]>,
    pub rows: Vec<u32>,
}

impl Matched {
    pub fn empty() -> Matched {
        Matched {
            generation: 0,
            intent: 0,
            candidates: Arc::from(Vec::new()),
            rows: Vec::new(),
        }
    }
}

/// The filter engine. Keeps the last pass to narrow the next one.
#[derive(Debug, Default)]
pub struct Matcher {
    matcher: Option<nucleo_matcher::Matcher>,
    /// Candidates, query and matching positions (unsorted) of the last completed pass.
    last: Option<(Arc<[Candidate]>, String, Vec<u32>)>,
}

impl Matcher {
    /// Runs `job`; `None` when `superseded` said a newer job made it pointless.
    pub fn run(&mut self, job: &MatchJob, superseded: &dyn Fn() -> bool) -> Option<Matched> {
        let query = job.query.trim();
        let matcher = self
            .matcher
            .get_or_insert_with(|| nucleo_matcher::Matcher::new(Config::DEFAULT));
        let narrowed = self
            .last
            .as_ref()
            .and_then(|(candidates, last, positions)| {
                (Arc::ptr_eq(candidates, &job.candidates) && extends(query, last))
                    .then_some(positions.as_slice())
            });
        let mut scored: Vec<(u32, u32)> = Vec::new();
        if query.is_empty() {
            scored.extend((0..job.candidates.len() as u32).map(|i| (0, i)));
        } else {
            let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
            let mut consider = |i: u32| {
                let row = &job.candidates[i as usize].row;
                let haystack: Utf32Str<'_> = row.haystack.slice(..);
                if let Some(score) = pattern.score(haystack, matcher) {
                    scored.push((score, i));
                }
            };
            let all = 0..job.candidates.len() as u32;
            match narrowed {
                Some(positions) => {
                    for (n, &i) in positions.iter().enumerate() {
                        if n.is_multiple_of(CHECK_EVERY) && superseded() {
                            return None;
                        }
                        consider(i);
                    }
                }
                None => {
                    for i in all {
                        if (i as usize).is_multiple_of(CHECK_EVERY) && superseded() {
                            return None;
                        }
                        consider(i);
                    }
                }
            }
        }
        if superseded() {
            return None;
        }
        let positions: Vec<u32> = scored.iter().map(|(_, i)| *i).collect();
        // Keys are computed once per row, not per comparison: sorting 100,000 rows compares
        // about 1.7 million times.
        let mut keyed: Vec<(SortKey, u32)> = scored
            .into_iter()
            .map(|(score, i)| {
                let ticket = &job.candidates[i as usize].row.ticket;
                let (first, second) = order_key(job.sort, ticket);
                ((Reverse(score), first, second), i)
            })
            .collect();
        // Equal keys keep listing order: `i` breaks the tie.
        keyed.sort_unstable();
        self.last = Some((Arc::clone(&job.candidates), query.to_string(), positions));
        Some(Matched {
            generation: job.generation,
            intent: job.intent,
            candidates: Arc::clone(&job.candidates),
            rows: keyed.into_iter().map(|(_, i)| i).collect(),
        })
    }
}

/// `query` can only match rows `last` matched: it extends a plain query. Negation (`!x`), an
/// end anchor (`x$`) and escapes can match more rows when the text grows.
fn extends(query: &str, last: &str) -> bool {
    let plain = |q: &str| !q.contains(['!', '$', '\\']);
    !last.is_empty() && query.starts_with(last) && plain(query) && plain(last)
}

/// Order after the filter score, smallest first. Requests without the date or priority the
/// order needs go last.
fn order_key(sort: SortOrder, t: &Ticket) -> (i64, i64) {
    let newest = t.created_at.map_or(i64::MAX, |d| -d.timestamp());
    match sort {
        SortOrder::Newest => (newest, 0),
        SortOrder::Priority => (
            t.priority.as_ref().map_or(0, |p| -i64::from(p.rank)),
            newest,
        ),
        SortOrder::Updated => (t.updated_at.map_or(i64::MAX, |d| -d.timestamp()), newest),
    }
}
