//! [`FixtureProvider`]: a provider that answers from memory, for benches and loop tests that must
//! not measure a network: the fixture catalog, and as many requests as asked for, in pages.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::drive::fixture_answer;
use crate::domain::{
    Catalog, CountScope, Counts, Cursor, Page, Probe, ProfileId, QueueQuery, Ticket, TicketDetail,
    TicketId,
};
use crate::provider::{Answer, Call, Provider, ProviderError, ProviderResult};

/// Rows per page, as InvGate's provider pages.
const PAGE: usize = 500;

#[derive(Debug, Clone)]
pub struct FixtureProvider {
    tickets: Arc<Vec<Ticket>>,
}

impl FixtureProvider {
    pub fn new(tickets: Vec<Ticket>) -> FixtureProvider {
        FixtureProvider {
            tickets: Arc::new(tickets),
        }
    }

    fn fixture<T>(
        &self,
        call: Call,
        pick: fn(Answer) -> Option<ProviderResult<T>>,
    ) -> ProviderResult<T> {
        pick(fixture_answer(ProfileId(0), &call))
            .unwrap_or_else(|| Err(ProviderError::Internal("a fixture answer".into())))
    }
}

impl Provider for FixtureProvider {
    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(async move {
            self.fixture(Call::Probe, |a| match a {
                Answer::Probe(r) => Some(r),
                _ => None,
            })
        })
    }

    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>> {
        Box::pin(async move { Ok(super::catalog()) })
    }

    fn list(
        &self,
        _query: QueueQuery,
        cursor: Option<Cursor>,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Page<Ticket>>> {
        Box::pin(async move {
            let from: usize = cursor.and_then(|c| c.0.parse().ok()).unwrap_or(0);
            let to = (from + PAGE).min(self.tickets.len());
            Ok(Page {
                unreadable: 0,
                items: self.tickets.get(from..to).unwrap_or_default().to_vec(),
                next: (to < self.tickets.len()).then(|| Cursor(to.to_string())),
                total: Some(self.tickets.len() as u64),
            })
        })
    }

    fn counts(
        &self,
        _scope: CountScope,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Counts>> {
        Box::pin(async move {
            Ok(Counts::tally(self.tickets.iter().map(|t| {
                (t.help_desk.as_ref().map(|d| &d.id), Some(&t.status.id))
            })))
        })
    }

    fn detail(
        &self,
        id: TicketId,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>> {
        Box::pin(async move {
            let mut detail = super::detail("1207");
            if let Some(t) = self.tickets.iter().find(|t| t.id == id) {
                detail.ticket = t.clone();
            }
            Ok(detail)
        })
    }
}

/// `n` requests cycling through the fixture rows with distinct ids and titles (for benches).
pub fn many(n: usize) -> Vec<Ticket> {
    let base = super::tickets();
    (0..n)
        .map(|i| {
            let mut t = base[i % base.len()].clone();
            t.id = TicketId::from((100_000 + i).to_string());
            t.display_id = crate::text::SafeText::line(&format!("#{}", 100_000 + i));
            t.title = crate::text::SafeText::line(&format!("{} (case {i})", t.title));
            t
        })
        .collect()
}
