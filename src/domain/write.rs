//! Writes a provider may be asked to make. Declared here so every call kind exists in one
//! place with its retry rule; each vendor implements the kinds it supports (the Detail pane's
//! actions bring them). A write that is not idempotent is never repeated blindly: after an
//! ambiguous failure it is reconciled with the server first.

use serde::{Deserialize, Serialize};

use super::ids::TicketId;
use super::ticket::Visibility;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Write {
    /// A reply to the customer, an internal note, or a proposed solution.
    Comment {
        ticket: TicketId,
        body: String,
        visibility: Visibility,
        solution: bool,
    },
}

impl Write {
    /// Sending it twice has the same effect as sending it once.
    pub fn idempotent(&self) -> bool {
        match self {
            // A second send is a second comment.
            Write::Comment { .. } => false,
        }
    }
}

/// The server's confirmation of a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub ticket: TicketId,
    /// The id the server gave what was created (a comment), when it says.
    pub created_id: Option<String>,
}
