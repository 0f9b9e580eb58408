//! [`Session`]: everything the console holds for one open profile — its connection and
//! capabilities, catalog, counts, listing, rows, opened details and rate-limit state. Sessions
//! never share data: request 1207 of one profile and 1207 of another live in different
//! sessions, and one slow or unreachable profile never blocks or blanks another.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::listing::Listing;
use super::msg::RequestId;
use super::outbox::OutboxItem;
use super::remote::Remote;
use super::rows::RowCache;
use super::tally::Tally;
use super::writes::Agent;
use crate::domain::{
    Capabilities, Catalog, Counts, ProfileId, ServerInfo, StatusId, TicketDetail, TicketId,
};
use crate::provider::ProviderError;

/// Who a session talks to, for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileLabel {
    pub name: String,
    pub vendor: String,
    /// The data comes from the built-in simulator, not a real service desk.
    pub demo: bool,
    /// The profile's `agent` key: who acts through the API user (a user name or an email).
    pub agent: Option<String>,
    /// The profile's `read_only` key: every write is refused.
    pub read_only: bool,
    /// Where the vendor's web interface shows a request (`O`, `y`), when it has one.
    pub web: Option<crate::domain::WebLinks>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Connecting,
    Online(ServerInfo),
    Offline(String),
}

#[derive(Debug)]
pub struct Session {
    pub id: ProfileId,
    pub label: ProfileLabel,
    pub connection: Connection,
    /// What the back end can do, once the probe has said.
    pub capabilities: Option<Capabilities>,
    pub catalog: Remote<Arc<Catalog>>,
    /// The vendor's own counts, where it has them.
    pub counts: Remote<Counts>,
    /// `counts` holds counts saved in an earlier run.
    pub counts_saved: bool,
    pub listing: Listing,
    pub rows: RowCache,
    /// Details opened this run (or saved earlier), by ticket.
    pub details: HashMap<TicketId, Remote<Arc<TicketDetail>>>,
    /// The probe in flight.
    pub probe: Option<RequestId>,
    pub last_refresh: Option<DateTime<Utc>>,
    /// The server asked us to wait until then.
    pub rate_limited_until: Option<DateTime<Utc>>,
    /// Rate limits in a row, for the backoff; an answer that is not one resets it.
    pub rate_limits: u32,
    /// When the catalog was last loaded from the server this run.
    pub catalog_loaded_at: Option<DateTime<Utc>>,
    /// Counts per desk and status, from the best source there is (see [`Tally`]).
    pub tally: Tally,
    /// Counts should be asked for as soon as the capabilities are known.
    pub counts_wanted: bool,
    /// Who the agent is on this server.
    pub agent: Agent,
    /// The agent lookup in flight.
    pub agent_lookup: Option<RequestId>,
    /// Writes of this profile not yet confirmed, as the outbox last listed them.
    pub outbox: Vec<OutboxItem>,
    /// Moves whenever `outbox` changes (the Detail layout keys on it).
    pub outbox_version: u64,
    /// The catalog the outbox was last told about.
    pub outbox_ready: Option<Arc<Catalog>>,
    /// Which open requests hold approvals waiting for votes.
    pub approvals: super::approvals::ApprovalBook,
    /// Breaking news.
    pub news: super::news::NewsBoard,
    /// The accounts the profile may work in, when it reaches several and the probe listed
    /// them (Truto without `integrated_account_id`).
    pub accounts: Option<Vec<crate::domain::AccountChoice>>,
    /// The account picked this run, once the server confirmed it.
    pub account: Option<String>,
    /// The choice of an account in flight, and the account.
    pub choosing: Option<(RequestId, String)>,
    /// The account the data held here is of: the one an earlier run saved, then the one
    /// chosen. A profile opens it again without asking, and drops its data on a move.
    pub data_account: Option<String>,
}

impl Session {
    pub fn new(id: ProfileId, label: ProfileLabel) -> Session {
        Session {
            id,
            label,
            connection: Connection::Connecting,
            capabilities: None,
            catalog: Remote::NotAsked,
            counts: Remote::NotAsked,
            counts_saved: false,
            listing: Listing::default(),
            rows: RowCache::default(),
            details: HashMap::new(),
            probe: None,
            last_refresh: None,
            rate_limited_until: None,
            rate_limits: 0,
            catalog_loaded_at: None,
            tally: Tally::default(),
            counts_wanted: false,
            agent: Agent::NotSet,
            agent_lookup: None,
            outbox: Vec::new(),
            accounts: None,
            account: None,
            choosing: None,
            data_account: None,
            outbox_version: 0,
            outbox_ready: None,
            approvals: super::approvals::ApprovalBook::default(),
            news: super::news::NewsBoard::default(),
        }
    }

    /// Forgets everything loaded of the account it was in (requests, details, counts, catalog,
    /// approvals, news, who the agent is): the profile moved to another. Answers still on their
    /// way are for nothing any more and are dropped.
    pub fn forget_account_data(&mut self) {
        let fresh = Session::new(self.id, self.label.clone());
        self.catalog = fresh.catalog;
        self.counts = fresh.counts;
        self.counts_saved = false;
        self.listing = fresh.listing;
        self.rows = fresh.rows;
        self.details = fresh.details;
        self.last_refresh = None;
        self.catalog_loaded_at = None;
        self.tally = fresh.tally;
        self.agent = fresh.agent;
        self.agent_lookup = None;
        self.outbox_ready = None;
        self.approvals = fresh.approvals;
        self.news = fresh.news;
    }

    pub fn catalog(&self) -> Option<&Arc<Catalog>> {
        self.catalog.data()
    }

    pub fn is_online(&self) -> bool {
        matches!(self.connection, Connection::Online(_))
    }

    /// Something of this session is being loaded.
    pub fn is_busy(&self) -> bool {
        self.catalog.is_loading()
            || self.counts.is_loading()
            || self.listing.is_loading()
            || self.details.values().any(Remote::is_loading)
    }

    /// The session shows data saved in an earlier run, not (yet) fresh from the server.
    pub fn shows_saved_data(&self) -> bool {
        self.listing.saved_at().is_some()
    }

    /// The ids of this profile's statuses called `name` (folded), for a status filter.
    pub fn statuses_named(&self, folded: &str) -> Vec<StatusId> {
        self.catalog()
            .map(|c| {
                c.statuses
                    .iter()
                    .filter(|s| fold(s.name.as_str()) == folded)
                    .map(|s| s.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Recomputes the counts from the best source: a complete fresh listing, else the vendor's
    /// fresh counts, else a complete saved listing, else saved counts, else the rows so far.
    pub fn recount(&mut self) {
        let listing_complete = self.listing.is_complete();
        let listing_fresh = self.listing.saved_at().is_none();
        let counts = self.counts.data();
        let counts_fresh = matches!(self.counts, Remote::Loaded { .. }) && !self.counts_saved;
        self.tally = if listing_complete && listing_fresh {
            self.tally_rows(true)
        } else if let (Some(counts), true) = (counts, counts_fresh) {
            Tally::new(counts, true, self.catalog().map(AsRef::as_ref))
        } else if listing_complete {
            self.tally_rows(true)
        } else if let Some(counts) = counts {
            Tally::new(counts, true, self.catalog().map(AsRef::as_ref))
        } else if !self.listing.ids().is_empty() {
            self.tally_rows(false)
        } else {
            Tally::default()
        };
    }

    fn tally_rows(&self, exact: bool) -> Tally {
        let counts = Counts::tally(self.listing.ids().iter().filter_map(|id| {
            let t = self.rows.get(id)?;
            Some((t.help_desk.as_ref().map(|d| &d.id), Some(&t.status.id)))
        }));
        Tally::new(&counts, exact, self.catalog().map(AsRef::as_ref))
    }

    /// Records a failure that says the server cannot be reached or will not talk to us.
    pub fn note_failure(&mut self, e: &ProviderError) {
        if matches!(
            e,
            ProviderError::Connect(_)
                | ProviderError::Timeout { .. }
                | ProviderError::Unauthorized
                | ProviderError::Config(_)
        ) {
            self.connection = Connection::Offline(short(e));
        }
    }
}

/// Status names compare folded, so "Open" of one profile and "open" of another are one filter.
pub fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// What the status bar and the Queues pane say about a failure, in a word or two.
pub fn short(e: &ProviderError) -> String {
    match e {
        ProviderError::Unauthorized => "credentials rejected".into(),
        ProviderError::Forbidden(_) => "access denied".into(),
        ProviderError::Timeout { .. } => "no answer".into(),
        ProviderError::Connect(_) => "unreachable".into(),
        ProviderError::RateLimited { .. } => "rate limited".into(),
        ProviderError::Unavailable { .. } => "unavailable".into(),
        ProviderError::Config(_) => "not usable".into(),
        _ => "error".into(),
    }
}
