//! What the console asks a provider for, in vendor-neutral terms: which queue
//! ([`QueueQuery`]), from where (an opaque [`Cursor`]), and what comes back ([`Page`],
//! [`Counts`]). Each vendor maps these onto its own listing, paging and counting calls.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::ids::{DeskId, StatusId};

/// Which tickets a listing is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QueueQuery {
    /// One help desk (with its levels); `None` = every desk.
    pub desk: Option<DeskId>,
    pub status: StatusScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatusScope {
    /// Every status in which the ticket still needs work.
    Open,
    /// Exactly these statuses.
    Only(Vec<StatusId>),
}

impl QueueQuery {
    /// Every open ticket of the profile: what the console lists and derives its queues from.
    pub fn open() -> QueueQuery {
        QueueQuery {
            desk: None,
            status: StatusScope::Open,
        }
    }
}

/// Where the next page of a listing starts, as the provider wrote it (an offset, a vendor
/// cursor, a URL). The console never looks inside; it hands it back for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor(pub String);

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
    /// How many items the whole listing holds, when the vendor says. An estimate made when the
    /// listing started: items closed since are left out of the pages, so the listing may end
    /// a few short of it.
    pub total: Option<u64>,
    /// Items of this page the vendor sent but that could not be read (left out, logged).
    #[serde(default)]
    pub unreadable: u64,
}

/// What a count covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CountScope {
    /// Open tickets, per help desk and status.
    Open,
}

/// Open tickets per (help desk, status), as exact as the vendor can tell without listing them.
/// A desk's cell counts only tickets sitting in that desk or level itself, not its levels.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub cells: Vec<CountCell>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountCell {
    pub desk: Option<DeskId>,
    pub status: Option<StatusId>,
    pub count: u64,
}

impl Counts {
    /// Counts a sequence of (desk, status) pairs, one per ticket.
    pub fn tally<'a>(
        tickets: impl IntoIterator<Item = (Option<&'a DeskId>, Option<&'a StatusId>)>,
    ) -> Counts {
        let mut cells: HashMap<(Option<&DeskId>, Option<&StatusId>), u64> = HashMap::new();
        for key in tickets {
            *cells.entry(key).or_default() += 1;
        }
        let mut cells: Vec<CountCell> = cells
            .into_iter()
            .map(|((desk, status), count)| CountCell {
                desk: desk.cloned(),
                status: status.cloned(),
                count,
            })
            .collect();
        cells.sort_by(|a, b| (&a.desk, &a.status).cmp(&(&b.desk, &b.status)));
        Counts { cells }
    }

    pub fn total(&self) -> u64 {
        self.cells.iter().map(|c| c.count).sum()
    }
}
