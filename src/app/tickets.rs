//! [`TicketCache`]: every request row loaded so far, by id, with the text the fuzzy filter
//! matches against prepared once per row instead of once per keystroke.

use std::collections::HashMap;

use nucleo_matcher::Utf32String;

use crate::domain::{Ticket, TicketId};

#[derive(Debug, Default)]
pub struct TicketCache {
    rows: HashMap<TicketId, (Ticket, Utf32String)>,
}

impl TicketCache {
    pub fn get(&self, id: &TicketId) -> Option<&Ticket> {
        self.rows.get(id).map(|(t, _)| t)
    }

    /// The prepared filter text of a loaded row.
    pub fn haystack(&self, id: &TicketId) -> Option<&Utf32String> {
        self.rows.get(id).map(|(_, h)| h)
    }

    pub fn insert(&mut self, ticket: Ticket) {
        let haystack = Utf32String::from(searchable(&ticket).as_str());
        self.rows.insert(ticket.id.clone(), (ticket, haystack));
    }

    pub fn contains(&self, id: &TicketId) -> bool {
        self.rows.contains_key(id)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn clear(&mut self) {
        self.rows.clear();
    }

    pub fn values(&self) -> impl Iterator<Item = &Ticket> {
        self.rows.values().map(|(t, _)| t)
    }
}

impl FromIterator<Ticket> for TicketCache {
    fn from_iter<I: IntoIterator<Item = Ticket>>(iter: I) -> Self {
        let mut cache = TicketCache::default();
        for t in iter {
            cache.insert(t);
        }
        cache
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
