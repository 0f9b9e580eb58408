//! [`Tally`]: one profile's open requests counted per help desk and status, from the best source
//! there is: a complete listing (the rows the agent sees), else the vendor's own counts, else
//! the rows listed so far. Every count in the Queues pane is read from it, so the sums a desk
//! needs (its own requests and its levels') are made once, when the tally is made.

use std::collections::HashMap;

use crate::domain::{Catalog, Counts, DeskId, StatusId};

type Cell = (DeskId, Option<StatusId>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests sitting in exactly this desk or level.
    exact: HashMap<Cell, u64>,
    /// Requests in this top-level desk or any of its levels.
    under: HashMap<Cell, u64>,
    /// Requests of the whole profile, per status (`None` key: no status known).
    by_status: HashMap<Option<StatusId>, u64>,
    total: u64,
    /// Counts are known exactly (not a listing still being read).
    pub exact_counts: bool,
    /// Any count at all is known.
    pub known: bool,
}

impl Tally {
    /// A tally of `counts`; `catalog` says which desk each level belongs to.
    pub fn new(counts: &Counts, exact: bool, catalog: Option<&Catalog>) -> Tally {
        let mut tally = Tally {
            exact_counts: exact,
            known: true,
            ..Tally::default()
        };
        for cell in &counts.cells {
            tally.total += cell.count;
            *tally.by_status.entry(cell.status.clone()).or_default() += cell.count;
            let Some(desk) = &cell.desk else {
                continue;
            };
            *tally
                .exact
                .entry((desk.clone(), cell.status.clone()))
                .or_default() += cell.count;
            let root = catalog.map_or(desk, |c| c.root_of(desk));
            *tally
                .under
                .entry((root.clone(), cell.status.clone()))
                .or_default() += cell.count;
        }
        tally
    }

    /// Requests in `desk` (with its levels; `None` = every desk) whose status is one of
    /// `statuses` (`None` = any open status).
    pub fn count(&self, desk: Option<&DeskId>, statuses: Option<&[StatusId]>) -> u64 {
        match desk {
            None => match statuses {
                None => self.total,
                Some(ids) => ids
                    .iter()
                    .map(|s| self.by_status.get(&Some(s.clone())).copied().unwrap_or(0))
                    .sum(),
            },
            // A level has nothing under it but itself.
            Some(desk) => self
                .sum(&self.under, desk, statuses)
                .max(self.exactly(desk, statuses)),
        }
    }

    /// Requests sitting in exactly this desk or level (not its levels).
    pub fn exactly(&self, desk: &DeskId, statuses: Option<&[StatusId]>) -> u64 {
        self.sum(&self.exact, desk, statuses)
    }

    fn sum(&self, map: &HashMap<Cell, u64>, desk: &DeskId, statuses: Option<&[StatusId]>) -> u64 {
        match statuses {
            Some(ids) => ids
                .iter()
                .map(|s| {
                    map.get(&(desk.clone(), Some(s.clone())))
                        .copied()
                        .unwrap_or(0)
                })
                .sum(),
            None => map
                .iter()
                .filter(|((d, _), _)| d == desk)
                .map(|(_, n)| *n)
                .sum(),
        }
    }
}
