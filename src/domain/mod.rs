//! Vendor-neutral types: what a ticket, a queue, a comment or a person is, whichever provider
//! delivered it. Every string in here that came from a vendor is a [`SafeText`]: it has passed the
//! `text` boundary once and may be drawn as is. No IO, no UI types.

mod catalog;
mod ticket;

pub use catalog::{Catalog, CustomFieldDef, HelpDesk, Named, Person, Priority, Status, StatusKind};
pub use ticket::{
    Approval, ApprovalStatus, Comment, CustomFieldValue, LinkedTicket, QueueEntry, QueueIndex,
    Ticket, TicketDetail, TicketId, Visibility,
};

pub use crate::text::SafeText;

/// Facts about the server a profile talks to, from the connectivity probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// Product name as shown in the status bar ("InvGate Service Management").
    pub product: String,
    /// Version string the server reported, scrubbed.
    pub version: SafeText,
}
