//! The queue index: which open request sits in which status and help desk. InvGate has no single
//! call for it, so it is joined from `incidents.by.status` (one paged list per open status) and
//! `incidents.by.helpdesk` (one list per desk and per level), with at most [`IN_FLIGHT`] calls
//! running at once so a big catalog does not flood the server.
//!
//! The join is what makes InvGate fast: `counts` is the index tallied, and `list` pages through
//! the ids of one index [`Snapshot`], so every page of one listing comes from the same join.

use std::cmp::Reverse;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::client::Client;
use super::fetch;
use crate::domain::{Catalog, DeskId, QueueQuery, StatusId, StatusScope, TicketId};
use crate::provider::ProviderError;

/// Calls in flight at once for fan-out work (queue lists, ticket batches).
pub const IN_FLIGHT: usize = 4;

/// A join finished this recently is reused by a call that asks for one: a `counts` and a
/// `list` sent together share one join instead of making it twice.
const REUSE: Duration = Duration::from_secs(5);

/// Snapshots kept for listings still paging through them.
const KEPT: usize = 4;

/// Where each open request sits: help desk and status, ids only, newest (highest id) first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueIndex {
    pub entries: Vec<QueueEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub id: TicketId,
    pub help_desk_id: Option<DeskId>,
    pub status_id: Option<StatusId>,
}

impl QueueIndex {
    /// Ids of the entries `query` selects, in index order. A desk selects its levels too.
    pub fn select(&self, query: &QueueQuery, catalog: &Catalog) -> Vec<TicketId> {
        let in_desk = |desk: Option<&DeskId>| match &query.desk {
            None => true,
            Some(wanted) => desk.is_some_and(|d| catalog.within(d, wanted)),
        };
        let in_status = |status: Option<&StatusId>| match &query.status {
            // The index only ever holds open requests.
            StatusScope::Open => true,
            StatusScope::Only(ids) => status.is_some_and(|s| ids.contains(s)),
        };
        self.entries
            .iter()
            .filter(|e| in_desk(e.help_desk_id.as_ref()) && in_status(e.status_id.as_ref()))
            .map(|e| e.id.clone())
            .collect()
    }
}

/// One join, as listings see it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub token: u64,
    pub index: Arc<QueueIndex>,
    /// What queries selected from this join, so the pages of a listing do not filter the whole
    /// index again each (a listing of 100,000 requests is 200 pages).
    selections: Arc<Mutex<Vec<Selection>>>,
    taken: Instant,
}

/// A query and the ids it selected from a join.
type Selection = (QueueQuery, Arc<[TicketId]>);

/// Selections kept per snapshot (one per listing under way).
const SELECTIONS_KEPT: usize = 8;

impl Snapshot {
    fn new(token: u64, index: QueueIndex) -> Snapshot {
        Snapshot {
            token,
            index: Arc::new(index),
            selections: Arc::default(),
            taken: Instant::now(),
        }
    }

    /// The ids `query` selects from this join ([`QueueIndex::select`]), made once per query.
    pub fn select(&self, query: &QueueQuery, catalog: &Catalog) -> Arc<[TicketId]> {
        let mut selections = self
            .selections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, ids)) = selections.iter().find(|(q, _)| q == query) {
            return Arc::clone(ids);
        }
        let ids: Arc<[TicketId]> = self.index.select(query, catalog).into();
        if selections.len() >= SELECTIONS_KEPT {
            selections.remove(0);
        }
        selections.push((query.clone(), Arc::clone(&ids)));
        ids
    }
}

/// The joins made lately. Joining is serialised: a second caller waits for the join under way
/// and reuses it.
#[derive(Debug, Default)]
pub struct Snapshots {
    joining: tokio::sync::Mutex<()>,
    kept: Mutex<VecDeque<Snapshot>>,
    next_token: std::sync::atomic::AtomicU64,
}

impl Snapshots {
    /// A join at most [`REUSE`] old, made now if there is none.
    pub async fn current(&self, c: &Client, catalog: &Catalog) -> Result<Snapshot, ProviderError> {
        let _joining = self.joining.lock().await;
        if let Some(latest) = self.latest().filter(|s| s.taken.elapsed() < REUSE) {
            return Ok(latest);
        }
        let index = queue_index(c, catalog).await?;
        let token = self
            .next_token
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let snapshot = Snapshot::new(token, index);
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.push_back(snapshot.clone());
        while kept.len() > KEPT {
            kept.pop_front();
        }
        Ok(snapshot)
    }

    /// The snapshot a listing started on, if it is still kept.
    pub fn get(&self, token: u64) -> Option<Snapshot> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.iter().find(|s| s.token == token).cloned()
    }

    /// Makes the newest join too old to reuse (tests: a later join without waiting).
    #[cfg(test)]
    pub fn expire(&self) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(latest) = kept.back_mut()
            && let Some(old) = Instant::now().checked_sub(REUSE * 2)
        {
            latest.taken = old;
        }
    }

    fn latest(&self) -> Option<Snapshot> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.back().cloned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Status,
    Desk,
}

/// Every id list for `catalog`, then their join.
pub async fn queue_index(c: &Client, catalog: &Catalog) -> Result<QueueIndex, ProviderError> {
    let jobs: Vec<(ListKind, String)> = catalog
        .open_statuses()
        .map(|s| (ListKind::Status, s.id.to_string()))
        .chain(
            catalog
                .help_desks
                .iter()
                .map(|d| (ListKind::Desk, d.id.to_string())),
        )
        .collect();
    let mut lists: Vec<(usize, ListKind, String, Vec<String>)> =
        stream::iter(jobs.into_iter().enumerate())
            .map(|(order, (kind, id))| async move {
                let ids = match kind {
                    ListKind::Status => fetch::ids_by_status(c, &id).await?,
                    ListKind::Desk => fetch::ids_by_helpdesk(c, &id).await?,
                };
                Ok::<_, ProviderError>((order, kind, id, ids))
            })
            .buffer_unordered(IN_FLIGHT)
            .try_collect()
            .await?;
    // Answers arrive in any order; the join is defined in catalog order.
    lists.sort_by_key(|(order, ..)| *order);
    let (statuses, desks): (Vec<_>, Vec<_>) = lists
        .into_iter()
        .map(|(_, kind, id, ids)| (kind, (id, ids)))
        .partition(|(kind, _)| *kind == ListKind::Status);
    let statuses: Vec<_> = statuses.into_iter().map(|(_, l)| l).collect();
    let desks: Vec<_> = desks.into_iter().map(|(_, l)| l).collect();
    Ok(join(&statuses, &desks, catalog))
}

/// Joins per-status and per-desk id lists into one entry per id, newest (highest id) first. An id
/// in several desk lists (a desk's list may include its levels' requests) goes to the most
/// specific one, a level over its desk.
pub fn join(
    statuses: &[(String, Vec<String>)],
    desks: &[(String, Vec<String>)],
    catalog: &Catalog,
) -> QueueIndex {
    #[derive(Default)]
    struct Slot<'a> {
        status: Option<&'a str>,
        desk: Option<(u8, &'a str)>,
    }
    let mut slots: HashMap<&str, Slot> = HashMap::new();
    for (status_id, ids) in statuses {
        for id in ids {
            slots
                .entry(id.as_str())
                .or_default()
                .status
                .get_or_insert(status_id.as_str());
        }
    }
    for (desk_id, ids) in desks {
        let depth = match catalog.help_desk(desk_id) {
            Some(desk) if desk.parent_id.is_some() => 1,
            _ => 0,
        };
        for id in ids {
            let slot = slots.entry(id.as_str()).or_default();
            if slot.desk.is_none_or(|(d, _)| depth > d) {
                slot.desk = Some((depth, desk_id.as_str()));
            }
        }
    }
    // One shared id per desk and status, not one allocation per entry.
    let desk_ids: HashMap<&str, DeskId> = desks
        .iter()
        .map(|(d, _)| (d.as_str(), DeskId::from(d.as_str())))
        .collect();
    let status_ids: HashMap<&str, StatusId> = statuses
        .iter()
        .map(|(s, _)| (s.as_str(), StatusId::from(s.as_str())))
        .collect();
    let mut entries: Vec<QueueEntry> = slots
        .into_iter()
        .map(|(id, slot)| QueueEntry {
            id: TicketId::from(id),
            help_desk_id: slot.desk.and_then(|(_, d)| desk_ids.get(d).cloned()),
            status_id: slot.status.and_then(|s| status_ids.get(s).cloned()),
        })
        .collect();
    entries.sort_by_cached_key(|e| Reverse((e.id.number().is_some(), e.id.number(), e.id.clone())));
    QueueIndex { entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::HelpDesk;
    use crate::text::SafeText;

    fn desk(id: &str, parent: Option<&str>) -> HelpDesk {
        HelpDesk {
            id: id.into(),
            name: SafeText::line(id),
            parent_id: parent.map(DeskId::from),
            level_order: parent.map(|_| 1),
            members: Vec::new(),
        }
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn catalog() -> Catalog {
        Catalog {
            help_desks: vec![desk("1", None), desk("11", Some("1")), desk("2", None)],
            ..Default::default()
        }
    }

    #[test]
    fn a_snapshot_selects_once_per_query_and_each_query_gets_its_own_ids() {
        let statuses = vec![("2".to_string(), strings(&["9", "10", "7", "100"]))];
        let desks = vec![
            ("1".to_string(), strings(&["9", "100"])),
            ("11".to_string(), strings(&["10"])),
            ("2".to_string(), strings(&["7"])),
        ];
        let snapshot = Snapshot::new(0, join(&statuses, &desks, &catalog()));
        let open = QueueQuery::open();
        let first = snapshot.select(&open, &catalog());
        assert_eq!(first.len(), 4);
        assert!(Arc::ptr_eq(&first, &snapshot.select(&open, &catalog())));
        let desk_one = QueueQuery {
            desk: Some(DeskId::from("1")),
            ..QueueQuery::open()
        };
        let in_desk = snapshot.select(&desk_one, &catalog());
        let ids: Vec<&str> = in_desk.iter().map(TicketId::as_str).collect();
        assert_eq!(
            ids,
            ["100", "10", "9"],
            "desk 1 with its level 11, newest first"
        );
    }

    #[test]
    fn join_dedups_prefers_levels_and_sorts_newest_first() {
        let statuses = vec![
            ("2".to_string(), strings(&["9", "10", "9"])),
            ("3".to_string(), strings(&["100"])),
        ];
        let desks = vec![
            ("1".to_string(), strings(&["9", "10", "100"])),
            ("11".to_string(), strings(&["10", "7"])),
        ];
        let index = join(&statuses, &desks, &catalog());
        let got: Vec<_> = index
            .entries
            .iter()
            .map(|e| {
                (
                    e.id.as_str(),
                    e.status_id.as_ref().map(StatusId::as_str),
                    e.help_desk_id.as_ref().map(DeskId::as_str),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("100", Some("3"), Some("1")),
                ("10", Some("2"), Some("11")),
                ("9", Some("2"), Some("1")),
                ("7", None, Some("11")),
            ]
        );
    }

    #[test]
    fn a_desk_selects_its_levels_and_a_status_scope_narrows() {
        let statuses = vec![
            ("2".to_string(), strings(&["9", "10"])),
            ("3".to_string(), strings(&["100", "5"])),
        ];
        let desks = vec![
            ("1".to_string(), strings(&["9", "100"])),
            ("11".to_string(), strings(&["10"])),
            ("2".to_string(), strings(&["5"])),
        ];
        let catalog = catalog();
        let index = join(&statuses, &desks, &catalog);
        let ids = |q: QueueQuery| -> Vec<String> {
            index
                .select(&q, &catalog)
                .iter()
                .map(|i| i.to_string())
                .collect()
        };
        assert_eq!(ids(QueueQuery::open()), ["100", "10", "9", "5"]);
        let desk_one = QueueQuery {
            desk: Some("1".into()),
            status: StatusScope::Open,
        };
        assert_eq!(
            ids(desk_one.clone()),
            ["100", "10", "9"],
            "level 11 included"
        );
        let desk_one_status_two = QueueQuery {
            status: StatusScope::Only(vec!["2".into()]),
            ..desk_one
        };
        assert_eq!(ids(desk_one_status_two), ["10", "9"]);
    }
}
