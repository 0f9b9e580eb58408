//! [`Unusable`]: the provider of a profile that cannot be used as configured (its token cannot
//! be read, say). It answers every call with the reason, so the profile shows as not usable
//! beside the others instead of keeping the console from opening.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::{Provider, ProviderError, ProviderResult};
use crate::domain::{Catalog, Cursor, Page, Probe, QueueQuery, Ticket, TicketDetail, TicketId};

#[derive(Debug, Clone)]
pub struct Unusable {
    reason: String,
}

impl Unusable {
    pub fn new(reason: String) -> Unusable {
        Unusable { reason }
    }

    fn refuse<T>(&self) -> BoxFuture<'_, ProviderResult<T>>
    where
        T: Send + 'static,
    {
        let reason = self.reason.clone();
        Box::pin(async move { Err(ProviderError::Config(reason)) })
    }
}

impl Provider for Unusable {
    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>> {
        self.refuse()
    }

    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>> {
        self.refuse()
    }

    fn list(
        &self,
        _query: QueueQuery,
        _cursor: Option<Cursor>,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Page<Ticket>>> {
        self.refuse()
    }

    fn detail(
        &self,
        _id: TicketId,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>> {
        self.refuse()
    }
}
