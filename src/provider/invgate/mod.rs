//! InvGate Service Management API v1 as a [`Provider`]: configuration, and the operations
//! assembled from InvGate's dotted endpoints. The conversation itself (URLs, auth, envelopes) is
//! in `client`, the per-endpoint calls and their pagination in `fetch`, the queue join and its
//! snapshots in `queues`, the tolerant wire types in `wire`/`lenient`, and the mapping to domain
//! types in `map`/`detail`; the catalog is assembled in `catalog`, how custom field values are
//! entered (types, options) in `fields`.
//! Wire types never leave this folder.
//!
//! Writes are in `write` (each [`Write`] as endpoint, method and parameters), the agent's
//! identity in `agent`, and the check of a write whose reply was lost in `reconcile`
//! (`approval_reconcile` for the approval writes).
//!
//! Approvals (a request's approvals with their voters, the pending check across many requests,
//! templates, the server's words for statuses and votes) are read in `approvals`, mapped in
//! `approval_map`, their wire types are in `approval_wire`.
//!
//! Breaking news is read in `news`, the knowledge base in `kb`; both map in `news_map`, their
//! wire types are in `news_wire`.
//!
//! InvGate lists requests by id only (`incidents.by.status`, `incidents.by.helpdesk`, open ones
//! only) and serves rows by id (`incidents?ids[]=`). So `counts` is the join of those id lists,
//! and `list` pages through the ids of one join, fetching the rows of each page.

mod agent;
mod approval_map;
mod approval_reconcile;
#[cfg(test)]
mod approval_stub;
#[cfg(test)]
mod approval_tests;
mod approval_wire;
mod approvals;
mod catalog;
pub(crate) mod client;
pub(crate) mod detail;
pub(crate) mod fetch;
mod fields;
mod kb;
#[cfg(test)]
mod kb_tests;
pub(crate) mod lenient;
pub(crate) mod map;
mod news;
pub(crate) mod news_map;
#[cfg(test)]
mod news_tests;
pub(crate) mod news_wire;
mod news_write;
#[cfg(test)]
mod paging_tests;
#[cfg(test)]
mod pending_tests;
mod queues;
mod reconcile;
mod typed;
pub(crate) mod wire;
mod write;
#[cfg(test)]
mod write_tests;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use secrecy::{ExposeSecret, SecretString};

use self::client::Client;
pub use self::client::normalize_base;
use self::lenient::Listing;
use self::queues::Snapshots;
pub use self::reconcile::CLOCK_SKEW;
use self::wire::IncidentWire;
use crate::domain::{
    ApprovalTemplate, Capabilities, Catalog, CountScope, Counts, Cursor, KbArticle, KbCategory,
    KbHit, KbQuery, KbSummary, NewsDetail, NewsItem, NewsUpdate, Page, Person, Probe, QueueQuery,
    Reconciled, ServerInfo, Ticket, TicketApprovals, TicketDetail, TicketId, UserId, Write,
    Written,
};
use crate::provider::http::{HttpClient, HttpSettings};
use crate::provider::{Provider, ProviderError, ProviderResult};
use crate::text::SafeText;

/// Ids per `incidents` call; longer URLs risk proxies' limits.
const TICKET_BATCH: usize = 100;

/// Rows per page of a listing: big enough to be few pages, small enough that the first rows of
/// a large queue appear quickly (5 calls of 100, 4 in flight).
const PAGE_SIZE: usize = 500;

/// How to reach one InvGate instance.
#[derive(Debug, Clone)]
pub struct InvGateConfig {
    /// `https://<instance>`, with or without a trailing slash or `/api/v1`.
    pub base_url: String,
    /// The API user (HTTP Basic user name).
    pub username: String,
    /// The API token (HTTP Basic password). Only ever exposed to build the auth header.
    pub token: SecretString,
    pub timeouts: HttpSettings,
}

/// An InvGate profile's provider. Cheap to clone: clones share one connection pool and the
/// queue snapshots.
#[derive(Clone)]
pub struct InvGate {
    client: Arc<Client>,
    snapshots: Arc<Snapshots>,
    news_words: Arc<news::WordsCache>,
}

impl fmt::Debug for InvGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvGate")
            .field("base", &self.client.base().as_str())
            .finish_non_exhaustive()
    }
}

impl InvGate {
    pub fn new(cfg: InvGateConfig) -> Result<InvGate, ProviderError> {
        let base = client::normalize_base(&cfg.base_url)?;
        if cfg.username.trim().is_empty() {
            return Err(ProviderError::Config(
                "the InvGate profile needs the API user name".into(),
            ));
        }
        if cfg.token.expose_secret().is_empty() {
            return Err(ProviderError::Config(
                "the InvGate profile needs the API token".into(),
            ));
        }
        let http = HttpClient::new(cfg.timeouts)?;
        let client = Client::new(http, base, cfg.username.trim().to_string(), cfg.token);
        Ok(InvGate::from_client(client))
    }

    fn from_client(client: Client) -> InvGate {
        InvGate {
            client: Arc::new(client),
            snapshots: Arc::default(),
            news_words: Arc::default(),
        }
    }

    async fn load_counts(&self, catalog: Arc<Catalog>) -> ProviderResult<Counts> {
        let snapshot = self.snapshots.current(&self.client, &catalog).await?;
        Ok(Counts::tally(
            snapshot
                .index
                .entries
                .iter()
                .map(|e| (e.help_desk_id.as_ref(), e.status_id.as_ref())),
        ))
    }

    /// One page of a listing: the ids come from the listing's snapshot (the newest one for a
    /// first page), the rows from `incidents`.
    async fn load_page(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<Page<Ticket>> {
        let (token, offset) = match cursor.as_ref().map(parse_cursor) {
            None => (None, 0),
            Some(Some((token, offset))) => (Some(token), offset),
            Some(None) => {
                return Err(ProviderError::Internal("continuing a listing".into()));
            }
        };
        // A listing whose snapshot was dropped continues on the newest one: a row may be
        // listed twice or skipped, which the next refresh mends, rather than failing.
        let snapshot = match token.and_then(|t| self.snapshots.get(t)) {
            Some(snapshot) => snapshot,
            None => self.snapshots.current(&self.client, &catalog).await?,
        };
        let ids = snapshot.select(&query, &catalog);
        let total = ids.len();
        let end = (offset + PAGE_SIZE).min(total);
        let page_ids = ids.get(offset..end).unwrap_or_default().to_vec();
        let (items, unreadable) = self.load_tickets(page_ids, catalog).await?;
        Ok(Page {
            items,
            next: (end < total).then(|| Cursor(format!("{}:{end}", snapshot.token))),
            total: Some(total as u64),
            unreadable,
        })
    }

    /// The rows for these ids, in the order asked; ids the server no longer knows (closed or
    /// deleted since the join) are left out. Also how many rows the server sent that could not
    /// be read: each costs only itself.
    async fn load_tickets(
        &self,
        ids: Vec<TicketId>,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<(Vec<Ticket>, u64)> {
        let mut unique: Vec<TicketId> = Vec::with_capacity(ids.len());
        let mut seen = HashSet::new();
        for id in ids {
            if seen.insert(id.clone()) {
                unique.push(id);
            }
        }
        let c = &*self.client;
        let chunks: Vec<Vec<String>> = unique
            .chunks(TICKET_BATCH)
            .map(|chunk| chunk.iter().map(|id| id.to_string()).collect())
            .collect();
        let batches: Vec<Listing<IncidentWire>> = stream::iter(chunks)
            .map(|batch| async move { fetch::incidents(c, &batch).await })
            // Any order: the rows are put back in the order asked below.
            .buffer_unordered(queues::IN_FLIGHT)
            .try_collect()
            .await?;
        let unreadable = batches.iter().map(|b| b.skipped as u64).sum();
        let mut by_id: HashMap<String, IncidentWire> = HashMap::new();
        for (key, wire) in batches.into_iter().flat_map(|b| b.items) {
            if let Some(id) = wire.id.clone().or(key) {
                by_id.insert(id, wire);
            }
        }
        // Mapping hundreds of rows is CPU work; keep it off the async workers.
        run_blocking("incidents", move || {
            unique
                .into_iter()
                .filter_map(|id| {
                    let wire = by_id.remove(id.as_str())?;
                    Some(map::ticket(&wire, id, &catalog))
                })
                .collect()
        })
        .await
        .map(|items| (items, unreadable))
    }

    async fn load_detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<TicketDetail> {
        let c = &*self.client;
        let (incident, comments, links, approval_reads) = tokio::join!(
            fetch::incident(c, id.as_str()),
            fetch::comments(c, id.as_str()),
            fetch::links(c, id.as_str()),
            async {
                // Voters follow the list: their calls need the approvals' ids.
                let wires = approvals::list(c, id.as_str(), false).await?;
                Ok::<_, ProviderError>(
                    approvals::with_voters(c, &approvals::Gate::new(), wires).await,
                )
            },
        );
        let parts = detail::DetailParts {
            // InvGate answers a read of an unknown request with a logical error ("The request
            // does not exist."), not a 404: on this read that can only mean "no such request".
            incident: incident.map_err(|e| match e {
                ProviderError::Rejected(why) => ProviderError::NotFound(why),
                other => other,
            })?,
            comments,
            links,
            approvals: approval_reads,
        };
        run_blocking("incident", move || detail::detail(&id, parts, &catalog)).await
    }
}

/// `"<snapshot token>:<offset>"`, as [`InvGate::load_page`] writes it.
fn parse_cursor(cursor: &Cursor) -> Option<(u64, usize)> {
    let (token, offset) = cursor.0.split_once(':')?;
    Some((token.parse().ok()?, offset.parse().ok()?))
}

/// Runs CPU-heavy mapping on tokio's blocking pool. A panic there is reported as a reply that
/// could not be processed rather than taking the caller down.
async fn run_blocking<T, F>(endpoint: &str, f: F) -> ProviderResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        // The join error carries the panic message, which may quote the reply: not shown.
        .map_err(|_| ProviderError::Internal(format!("reading the reply of {endpoint}")))
}

/// What every InvGate Service Management instance offers through API v1, writes included.
const CAPABILITIES: Capabilities = Capabilities::EVERYTHING;

impl Provider for InvGate {
    fn clock_skew(&self) -> Option<i64> {
        self.client.clock_skew()
    }

    /// The agent's view of a request: `<instance>/requests/show/index/id/<id>`, the instance
    /// being the configured base URL without `/api/v1`.
    fn web_links(&self) -> Option<crate::domain::WebLinks> {
        let api = self.client.base().as_str();
        let instance = api.strip_suffix("api/v1/").unwrap_or(api);
        crate::domain::WebLinks::new(&format!("{instance}requests/show/index/id/"), "")
    }

    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(async move {
            let version = fetch::version(&self.client).await?;
            Ok(Probe {
                server: ServerInfo {
                    product: "InvGate Service Management".to_string(),
                    version: SafeText::line(&version),
                    via: None,
                },
                capabilities: CAPABILITIES,
                accounts: None,
                account: None,
            })
        })
    }

    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>> {
        Box::pin(async move { catalog::load(&self.client).await })
    }

    fn list(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Page<Ticket>>> {
        Box::pin(self.load_page(query, cursor, catalog))
    }

    fn counts(
        &self,
        scope: CountScope,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Counts>> {
        match scope {
            CountScope::Open => Box::pin(self.load_counts(catalog)),
        }
    }

    fn detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>> {
        Box::pin(self.load_detail(id, catalog))
    }

    /// `user.by` with `email=` for a login with an `@`, `username=` otherwise.
    fn agent(&self, login: String) -> BoxFuture<'_, ProviderResult<Person>> {
        Box::pin(async move { agent::lookup(&self.client, &login).await })
    }

    /// `author` is the id [`Provider::agent`] returned for the profile's agent.
    fn write(
        &self,
        write: Write,
        author: UserId,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Written>> {
        Box::pin(async move { write::send(&self.client, &write, &author).await })
    }

    /// `since` is when the write was first attempted, by the console's clock; the server's
    /// records of it may be up to [`CLOCK_SKEW`] older.
    fn reconcile(
        &self,
        write: Write,
        author: UserId,
        since: chrono::DateTime<chrono::Utc>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Reconciled>> {
        Box::pin(async move {
            reconcile::reconcile(&self.client, &write, &author, since, &catalog).await
        })
    }

    /// `incident.approval?only_pending=1` per request, then the voters of each approval found,
    /// at most four calls in flight across the batch.
    fn pending_approvals(
        &self,
        tickets: Vec<TicketId>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Vec<TicketApprovals>>> {
        Box::pin(async move { approvals::pending(&self.client, tickets, &catalog).await })
    }

    /// `incident.custom_approval?request_id=`, by title.
    fn approval_templates(
        &self,
        ticket: TicketId,
    ) -> BoxFuture<'_, ProviderResult<Vec<ApprovalTemplate>>> {
        Box::pin(async move { approvals::templates(&self.client, ticket.as_str()).await })
    }

    /// `breakingnews.all` with the server's names for types and statuses.
    fn news(&self, catalog: Arc<Catalog>) -> BoxFuture<'_, ProviderResult<Vec<NewsItem>>> {
        Box::pin(async move { news::all(&self.client, &self.news_words, &catalog).await })
    }

    /// `breakingnews?id=` with its timeline, `breakingnews.status?id=`.
    fn news_detail(
        &self,
        id: String,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<NewsDetail>> {
        Box::pin(async move { news::detail(&self.client, &self.news_words, &id, &catalog).await })
    }

    /// `breakingnews.status?id=` alone.
    fn news_timeline(
        &self,
        id: String,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Vec<NewsUpdate>>> {
        Box::pin(async move { news::timeline(&self.client, &id, &catalog).await })
    }

    /// `kb.articles.by.keywords`, ordered here by `search_scoring`.
    fn kb_search(&self, query: KbQuery) -> BoxFuture<'_, ProviderResult<Vec<KbHit>>> {
        Box::pin(async move { kb::search(&self.client, &query).await })
    }

    fn kb_categories(&self) -> BoxFuture<'_, ProviderResult<Vec<KbCategory>>> {
        Box::pin(async move { kb::categories(&self.client).await })
    }

    /// `kb.articles.by.category` with `limit`/`offset`; the cursor is the next offset.
    fn kb_category(
        &self,
        category: String,
        cursor: Option<Cursor>,
    ) -> BoxFuture<'_, ProviderResult<Page<KbSummary>>> {
        Box::pin(async move { kb::category_page(&self.client, &category, cursor.as_ref()).await })
    }

    /// `kb.articles.by.ids` with `ids[]`, in batches.
    fn kb_articles(&self, ids: Vec<String>) -> BoxFuture<'_, ProviderResult<Vec<KbArticle>>> {
        Box::pin(async move { kb::by_ids(&self.client, ids).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> InvGateConfig {
        InvGateConfig {
            base_url: base.into(),
            username: "api".into(),
            token: SecretString::from("s3cret-token"),
            timeouts: HttpSettings::default(),
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let ig = InvGate::new(config("https://desk.example.com/api/v1/")).unwrap();
        let shown = format!("{ig:?} {:?}", config("https://x"));
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("https://desk.example.com/api/v1/"));
    }

    #[test]
    fn construction_refuses_unusable_profiles() {
        assert!(matches!(
            InvGate::new(config("gopher://desk.example.com")),
            Err(ProviderError::Config(_))
        ));
        let mut no_user = config("https://desk.example.com");
        no_user.username = " ".into();
        assert!(matches!(
            InvGate::new(no_user),
            Err(ProviderError::Config(_))
        ));
        let mut no_token = config("https://desk.example.com");
        no_token.token = SecretString::from("");
        assert!(matches!(
            InvGate::new(no_token),
            Err(ProviderError::Config(_))
        ));
    }

    #[test]
    fn provider_is_cheap_to_share() {
        fn assert_traits<T: Provider + Clone + Send + Sync + 'static>() {}
        assert_traits::<InvGate>();
    }
}
