//! Vendor-neutral types: what a ticket, a queue, a comment or a person is, whichever provider
//! delivered it, and what the console asks providers for. Every string in here that came from a
//! vendor is a [`SafeText`]: it has passed the `text` boundary once and may be drawn as is. No IO,
//! no UI types. Everything serializes, so the store can keep what was seen.

mod approval;
mod catalog;
mod ids;
mod news;
mod query;
mod subject;
mod ticket;
mod web;
mod write;

use serde::{Deserialize, Serialize};

pub use approval::{
    Approval, ApprovalKind, ApprovalStatus, ApprovalTemplate, ApprovalWords, TicketApprovals, Vote,
    VoteTally, Voter,
};
pub use catalog::{
    Catalog, CustomFieldDef, FieldEditor, HelpDesk, Named, Person, Priority, Status, StatusKind,
    Validator,
};
pub use ids::{DeskId, ProfileId, StatusId, TicketId, TicketKey, UserId};
pub use news::{
    Importance, KbArticle, KbCategory, KbHit, KbQuery, KbSummary, NewsDetail, NewsItem, NewsUpdate,
    category_path, sort_news,
};
pub use query::{CountCell, CountScope, Counts, Cursor, Page, QueueQuery, StatusScope};
pub use ticket::{Comment, CustomFieldValue, LinkedTicket, Ticket, TicketDetail, Visibility};
pub use web::WebLinks;
pub use write::{
    Attribute, NewsDraft, RATING_WITHOUT_COMMENT, Reconciled, Subject, WaitFor, Write, Written,
};

pub use crate::text::SafeText;

/// Facts about the server a profile talks to, from the connectivity probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    /// Product name as shown in the status bar ("InvGate Service Management").
    pub product: String,
    /// Version string the server reported, scrubbed.
    pub version: SafeText,
    /// The tool the requests live in when the vendor's API stands in front of another one
    /// (Truto's integrated Zendesk, Jira…): where the agent acts when the API cannot.
    #[serde(default)]
    pub via: Option<String>,
}

/// What one profile's back end can do. It comes from the probe, because it may differ per
/// account (Truto: per integrated account); the UI offers only what is supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Capabilities {
    /// Open tickets can be counted per desk and status without listing them.
    pub counts: bool,
    /// Tickets sit in help desks (queues), shown as a tree under the profile.
    pub help_desks: bool,
    /// Queues can be narrowed to one status.
    pub statuses: bool,
    pub comments: bool,
    pub custom_fields: bool,
    pub links: bool,
    pub approvals: bool,
    /// Anything can be written at all (replies, state changes).
    pub writes: bool,
    /// Breaking news can be read.
    #[serde(default)]
    pub news: bool,
    /// A knowledge base can be searched and read.
    #[serde(default)]
    pub kb: bool,
    /// Comments can be written for agents only (an internal note), not only to the customer.
    #[serde(default = "yes")]
    pub private_comments: bool,
    /// Approvals are voted on here; without it they are decided in the vendor's own tool and
    /// only shown (Iden's access requests).
    #[serde(default = "yes")]
    pub votes: bool,
}

fn yes() -> bool {
    true
}

impl Capabilities {
    /// Everything: what is assumed of a profile whose probe has not answered yet, so nothing
    /// the server does send is hidden.
    pub const EVERYTHING: Capabilities = Capabilities {
        counts: true,
        help_desks: true,
        statuses: true,
        comments: true,
        custom_fields: true,
        links: true,
        approvals: true,
        writes: true,
        news: true,
        kb: true,
        private_comments: true,
        votes: true,
    };
}

/// What the probe learns: who answers, and what it can do for this profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    pub server: ServerInfo,
    pub capabilities: Capabilities,
    /// Where a profile reaches several accounts (Truto's integrated accounts): the ones it
    /// may work in. With no `account` in use, nothing else loads until one is picked.
    #[serde(default)]
    pub accounts: Option<Vec<AccountChoice>>,
    /// The account in use, of `accounts`; `None` with `accounts` listed means pick one first.
    #[serde(default)]
    pub account: Option<String>,
}

impl Probe {
    /// A probe of a profile that works as it is.
    pub fn ready(server: ServerInfo, capabilities: Capabilities) -> Probe {
        Probe {
            server,
            capabilities,
            accounts: None,
            account: None,
        }
    }
}

/// One account a profile may work in, as the account picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChoice {
    pub id: String,
    /// What it is ("Zendesk · acme.zendesk.com").
    pub label: SafeText,
    /// Its state in words ("active", "needs re-authorisation").
    pub state: SafeText,
    /// Why it cannot be used, said plainly; `None` for a usable account.
    pub problem: Option<SafeText>,
}
