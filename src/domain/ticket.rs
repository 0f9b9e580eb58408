//! Tickets (InvGate calls them requests), their detail, comments, custom field values, links and
//! approvals, plus the queue index that says which open ticket sits in which help desk and status.

use chrono::{DateTime, Utc};

use super::catalog::{Named, Priority, Status};
use crate::text::SafeText;

/// A ticket's id as the provider knows it (InvGate: a number; others: strings).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketId(pub String);

impl TicketId {
    /// Numeric value when the id is a number, for natural sorting (9 before 10).
    pub fn number(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

impl std::fmt::Display for TicketId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One row of a queue: what the agent needs to triage, names already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    /// The id as the service desk shows it to people ("#1234", "INC-1234").
    pub display_id: SafeText,
    pub title: SafeText,
    pub status: Status,
    pub priority: Option<Priority>,
    pub kind: Option<Named>,
    pub category: Option<Named>,
    pub customer: Option<Named>,
    pub agent: Option<Named>,
    pub help_desk: Option<Named>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Who may read a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Sent to the customer.
    Public,
    /// Agents only.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    pub author: Option<Named>,
    pub created_at: Option<DateTime<Utc>>,
    /// Plain text, converted from the vendor's HTML and scrubbed.
    pub body: SafeText,
    pub visibility: Visibility,
    /// This comment was proposed as the solution.
    pub is_solution: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFieldValue {
    pub field_id: String,
    /// The field's label from the catalog, or its id when the catalog does not know it.
    pub label: SafeText,
    pub value: SafeText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedTicket {
    pub id: TicketId,
    pub title: SafeText,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalStatus {
    Waiting,
    Approved,
    Rejected,
    Cancelled,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub id: String,
    pub status: ApprovalStatus,
    pub description: SafeText,
    pub author: Option<Named>,
    pub created_at: Option<DateTime<Utc>>,
}

/// Everything the Detail pane shows about one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDetail {
    pub ticket: Ticket,
    /// Plain text, converted from HTML and scrubbed.
    pub description: SafeText,
    pub comments: Vec<Comment>,
    pub custom_fields: Vec<CustomFieldValue>,
    pub links: Vec<LinkedTicket>,
    pub approvals: Vec<Approval>,
    /// Set when part of the detail could not be loaded: the rest is still shown.
    pub partial: Vec<String>,
    /// The server's text for this request held terminal control sequences or hidden
    /// characters, which were removed before display.
    pub had_hidden_controls: bool,
}

/// Where each open ticket sits: help desk and status, ids only. Cheap to load (no ticket bodies)
/// and enough to count every queue and to know which ids a queue holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueIndex {
    pub entries: Vec<QueueEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub id: TicketId,
    pub help_desk_id: Option<String>,
    pub status_id: Option<String>,
}
