//! The queue index: which open request sits in which status and help desk. InvGate has no single
//! call for it, so it is joined from `incidents.by.status` (one paged list per open status) and
//! `incidents.by.helpdesk` (one list per desk and per level), with at most
//! [`IN_FLIGHT`] calls running at once so a big catalog does not flood the server.

use std::cmp::Reverse;
use std::collections::HashMap;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::client::Client;
use super::fetch;
use crate::domain::{Catalog, QueueEntry, QueueIndex, TicketId};
use crate::provider::ProviderError;

/// Calls in flight at once for fan-out work (queue lists, ticket batches).
pub const IN_FLIGHT: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Status,
    Desk,
}

/// Every id list for `catalog`, then their join.
pub async fn queue_index(c: &Client, catalog: &Catalog) -> Result<QueueIndex, ProviderError> {
    let jobs: Vec<(ListKind, String)> = catalog
        .statuses
        .iter()
        .filter(|s| s.kind.is_open())
        .map(|s| (ListKind::Status, s.id.clone()))
        .chain(
            catalog
                .help_desks
                .iter()
                .map(|d| (ListKind::Desk, d.id.clone())),
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
    struct Slot {
        status: Option<String>,
        desk: Option<(u8, String)>,
    }
    let mut slots: HashMap<&str, Slot> = HashMap::new();
    for (status_id, ids) in statuses {
        for id in ids {
            slots
                .entry(id.as_str())
                .or_default()
                .status
                .get_or_insert_with(|| status_id.clone());
        }
    }
    for (desk_id, ids) in desks {
        let depth = match catalog.help_desk(desk_id) {
            Some(desk) if desk.parent_id.is_some() => 1,
            _ => 0,
        };
        for id in ids {
            let slot = slots.entry(id.as_str()).or_default();
            if slot.desk.as_ref().is_none_or(|(d, _)| depth > *d) {
                slot.desk = Some((depth, desk_id.clone()));
            }
        }
    }
    let mut entries: Vec<QueueEntry> = slots
        .into_iter()
        .map(|(id, slot)| QueueEntry {
            id: TicketId(id.to_string()),
            help_desk_id: slot.desk.map(|(_, d)| d),
            status_id: slot.status,
        })
        .collect();
    entries.sort_by(|a, b| {
        let key = |e: &QueueEntry| (e.id.number().is_some(), e.id.number(), e.id.0.clone());
        Reverse(key(a)).cmp(&Reverse(key(b)))
    });
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
            parent_id: parent.map(str::to_string),
            level_order: parent.map(|_| 1),
        }
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn join_dedups_prefers_levels_and_sorts_newest_first() {
        let catalog = Catalog {
            help_desks: vec![desk("1", None), desk("11", Some("1"))],
            ..Default::default()
        };
        let statuses = vec![
            ("2".to_string(), strings(&["9", "10", "9"])),
            ("3".to_string(), strings(&["100"])),
        ];
        let desks = vec![
            ("1".to_string(), strings(&["9", "10", "100"])),
            ("11".to_string(), strings(&["10", "7"])),
        ];
        let index = join(&statuses, &desks, &catalog);
        let got: Vec<_> = index
            .entries
            .iter()
            .map(|e| {
                (
                    e.id.0.as_str(),
                    e.status_id.as_deref(),
                    e.help_desk_id.as_deref(),
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
}
