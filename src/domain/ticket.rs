//! Tickets (InvGate calls them requests), their detail, comments, custom field values, links and
//! approvals.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::approval::Approval;
use super::catalog::{Named, Priority, Status};
use super::ids::{DeskId, TicketId, UserId};
use crate::text::SafeText;

/// One row of a queue: what the agent needs to triage, names already resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    /// The id as the service desk shows it to people ("#1234", "INC-1234").
    pub display_id: SafeText,
    pub title: SafeText,
    pub status: Status,
    pub priority: Option<Priority>,
    pub kind: Option<Named>,
    pub category: Option<Named>,
    pub customer: Option<Named<UserId>>,
    pub agent: Option<Named<UserId>>,
    pub help_desk: Option<Named<DeskId>>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Who may read a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    /// Sent to the customer.
    Public,
    /// Agents only.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: String,
    pub author: Option<Named<UserId>>,
    pub created_at: Option<DateTime<Utc>>,
    /// Plain text, converted from the vendor's HTML and scrubbed.
    pub body: SafeText,
    pub visibility: Visibility,
    /// This comment was proposed as the solution.
    pub is_solution: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldValue {
    pub field_id: String,
    /// The field's label from the catalog, or its id when the catalog does not know it.
    pub label: SafeText,
    pub value: SafeText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedTicket {
    pub id: TicketId,
    pub title: SafeText,
}

/// Everything the Detail pane shows about one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
