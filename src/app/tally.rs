//! [`Tally`]: one profile's open requests counted per (help desk, status), from the best source
//! there is: a complete listing (the rows the agent sees), else the vendor's own counts, else
//! the rows listed so far. Every count in the Queues pane is read from it.

use std::collections::HashMap;

use crate::domain::{Catalog, Counts, DeskId, StatusId};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    cells: HashMap<(Option<DeskId>, Option<StatusId>), u64>,
    /// Counts are known exactly (not a listing still being read).
    pub exact: bool,
    /// Any count at all is known.
    pub known: bool,
}

impl Tally {
    pub fn new(counts: &Counts, exact: bool) -> Tally {
        let mut cells = HashMap::new();
        for cell in &counts.cells {
            *cells
                .entry((cell.desk.clone(), cell.status.clone()))
                .or_default() += cell.count;
        }
        Tally {
            cells,
            exact,
            known: true,
        }
    }

    /// Requests in `desk` (with its levels; `None` = every desk) whose status is one of
    /// `statuses` (`None` = any open status).
    pub fn count(
        &self,
        catalog: Option<&Catalog>,
        desk: Option<&DeskId>,
        statuses: Option<&[StatusId]>,
    ) -> u64 {
        self.cells
            .iter()
            .filter(|((d, s), _)| {
                let in_desk = match desk {
                    None => true,
                    Some(wanted) => d.as_ref().is_some_and(|d| {
                        d == wanted || catalog.is_some_and(|c| c.root_of(d) == wanted)
                    }),
                };
                let in_status = match statuses {
                    None => true,
                    Some(ids) => s.as_ref().is_some_and(|s| ids.contains(s)),
                };
                in_desk && in_status
            })
            .map(|(_, n)| *n)
            .sum()
    }

    /// Requests sitting in exactly this desk or level (not its levels).
    pub fn exactly(&self, desk: &DeskId, statuses: Option<&[StatusId]>) -> u64 {
        self.cells
            .iter()
            .filter(|((d, s), _)| {
                d.as_ref() == Some(desk)
                    && statuses.is_none_or(|ids| s.as_ref().is_some_and(|s| ids.contains(s)))
            })
            .map(|(_, n)| *n)
            .sum()
    }
}
