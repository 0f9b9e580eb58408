//! The provider layer: the vendor-neutral [`Provider`] trait the app talks to, the one dispatch
//! point for calls ([`call`]), the errors it can explain to an agent, and the one HTTP client. One
//! folder per vendor; vendor wire types never leave their folder, only `domain` types cross. No
//! ratatui, no crossterm here.

pub mod call;
pub mod error;
pub mod http;
pub mod invgate;
mod unusable;

use std::sync::Arc;

use futures_util::future::BoxFuture;

pub use call::{Answer, Call, perform};
pub use error::ProviderError;
pub use unusable::Unusable;

use crate::domain::{
    Catalog, CountScope, Counts, Cursor, Page, Probe, QueueQuery, Ticket, TicketDetail, TicketId,
    Write, Written,
};

pub type ProviderResult<T> = Result<T, ProviderError>;

/// A help desk back end as the console uses it: reads for every vendor, counts and writes where
/// the vendor has them. Implementations are cheap to share between tasks (they hold an `Arc`'d
/// HTTP client) and every call has a timeout, so a future always ends.
///
/// Every call's idempotency is declared by [`Call::idempotency`]: all reads are idempotent,
/// whatever HTTP method the vendor uses for them, so retry rules never guess from the method.
pub trait Provider: Send + Sync {
    /// A cheap call that proves the address and the credentials work, and what this profile's
    /// back end can do (which may differ per account).
    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>>;

    /// Reference data: statuses, priorities, help desks, people, custom field definitions.
    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>>;

    /// One page of the tickets `query` selects, names resolved through the catalog. `cursor` is
    /// what the previous page returned as `next` (`None` for the first page).
    fn list(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Page<Ticket>>>;

    /// Open tickets per help desk and status, without listing them. Only where
    /// `Capabilities::counts` says so.
    fn counts(
        &self,
        _scope: CountScope,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Counts>> {
        Box::pin(async { Err(ProviderError::Unsupported("counting without listing")) })
    }

    /// Everything the Detail pane shows about one ticket.
    fn detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>>;

    /// Changes something on the server. Each vendor implements the kinds it supports.
    fn write(
        &self,
        _write: Write,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Written>> {
        Box::pin(async { Err(ProviderError::Unsupported("changes from ttydesk")) })
    }
}
