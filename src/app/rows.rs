//! [`RowCache`]: one profile's request rows loaded so far, by id, each with the text the fuzzy
//! filter matches against prepared once per row instead of once per keystroke. Rows are shared
//! (`Arc`) with the filter worker, so a queue of 100,000 is handed over without copying.

use std::collections::HashMap;
use std::sync::Arc;

use nucleo_matcher::Utf32String;

use crate::domain::{Ticket, TicketId};

/// A ticket and its prepared filter text.
#[derive(Debug)]
pub struct Row {
    pub ticket: Ticket,
    pub haystack: Utf32String,
}

impl Row {
    pub fn new(ticket: Ticket) -> Row {
        let haystack = Utf32String::from(searchable(&ticket).as_str());
        Row { ticket, haystack }
    }
}

#[derive(Debug, Default, Clone)]
pub struct RowCache {
    rows: HashMap<TicketId, Arc<Row>>,
    /// Bumped on every change, so views built from the rows know to rebuild.
    version: u64,
}

impl RowCache {
    pub fn get(&self, id: &TicketId) -> Option<&Ticket> {
        self.rows.get(id).map(|r| &r.ticket)
    }

    pub fn row(&self, id: &TicketId) -> Option<&Arc<Row>> {
        self.rows.get(id)
    }

    /// Keeps `ticket` as the newest copy of its row.
    pub fn insert(&mut self, ticket: Ticket) -> Arc<Row> {
        let row = Arc::new(Row::new(ticket));
        self.rows.insert(row.ticket.id.clone(), Arc::clone(&row));
        self.version += 1;
        row
    }

    /// Keeps `ticket` unless a row for it is already there (saved rows never replace fresher
    /// ones).
    pub fn offer(&mut self, ticket: Ticket) {
        if !self.rows.contains_key(&ticket.id) {
            self.insert(ticket);
        }
    }

    /// Drops every row but those `keep` says to keep.
    pub fn retain(&mut self, mut keep: impl FnMut(&TicketId) -> bool) {
        let before = self.rows.len();
        self.rows.retain(|id, _| keep(id));
        if self.rows.len() != before {
            self.version += 1;
        }
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn values(&self) -> impl Iterator<Item = &Ticket> {
        self.rows.values().map(|r| &r.ticket)
    }
}

/// The text the filter matches against: display id, title, customer, agent, status.
fn searchable(t: &Ticket) -> String {
    let mut out = String::with_capacity(96);
    out.push_str(t.display_id.as_str());
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
    out
}
