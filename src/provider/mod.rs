//! The provider layer: the vendor-neutral [`Provider`] trait the app talks to, the errors it can
//! explain to an agent, and the one HTTP client. One folder per vendor; vendor wire types never
//! leave their folder, only `domain` types cross. No ratatui, no crossterm here.

pub mod error;
pub mod http;
pub mod invgate;

use std::sync::Arc;

use futures_util::future::BoxFuture;

pub use error::ProviderError;

use crate::domain::{Catalog, QueueIndex, ServerInfo, Ticket, TicketDetail, TicketId};

pub type ProviderResult<T> = Result<T, ProviderError>;

/// What a profile's provider can do; the UI shows only the panes and actions it supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities {
    pub queues_by_help_desk: bool,
    pub queues_by_status: bool,
    pub comments: bool,
    pub custom_fields: bool,
    pub approvals: bool,
}

/// Read side of a help desk back end. Implementations are cheap to clone into tasks (they hold
/// an `Arc`'d HTTP client) and every call has a timeout, so a future always ends.
pub trait Provider: Send + Sync {
    /// Short vendor name for the status bar ("InvGate").
    fn vendor(&self) -> &'static str;

    fn capabilities(&self) -> Capabilities;

    /// Cheap call that proves the base URL and the credentials work.
    fn probe(&self) -> BoxFuture<'_, ProviderResult<ServerInfo>>;

    /// Reference data: statuses, priorities, help desks, people, custom field definitions.
    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>>;

    /// Which open ticket sits in which help desk and status (ids only).
    fn queue_index(&self, catalog: Arc<Catalog>) -> BoxFuture<'_, ProviderResult<QueueIndex>>;

    /// The rows for these ids, names resolved through the catalog. Ids the server no longer
    /// knows are left out.
    fn tickets(
        &self,
        ids: Vec<TicketId>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Vec<Ticket>>>;

    /// Everything the Detail pane shows about one ticket.
    fn ticket_detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>>;
}
