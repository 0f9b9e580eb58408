//! The provider layer: the vendor-neutral [`Provider`] trait the app talks to, the one dispatch
//! point for calls ([`call`]), the errors it can explain to an agent, and the one HTTP client. One
//! folder per vendor; vendor wire types never leave their folder, only `domain` types cross. No
//! ratatui, no crossterm here.

pub mod body;
pub mod call;
pub mod elements;
pub mod error;
pub mod fuzzing;
pub mod http;
pub mod iden;
pub mod invgate;
mod issuer;
pub mod mapping;
mod retry;
pub mod rezolve;
pub mod truto;
mod unusable;

use std::sync::Arc;

use futures_util::future::BoxFuture;

pub use call::{Answer, Call, KbAnswer, KbCall, perform};
pub use error::ProviderError;
pub use unusable::Unusable;

use crate::domain::{
    ApprovalTemplate, Catalog, CountScope, Counts, Cursor, KbArticle, KbCategory, KbHit, KbQuery,
    KbSummary, NewsDetail, NewsItem, Page, Person, Probe, QueueQuery, Reconciled, Ticket,
    TicketApprovals, TicketDetail, TicketId, UserId, Write, Written,
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

    /// The server's clock minus ours, in seconds, from the `Date` of its last reply.
    fn clock_skew(&self) -> Option<i64> {
        None
    }

    /// Where the vendor's web interface shows a request, when it has one the console knows.
    fn web_links(&self) -> Option<crate::domain::WebLinks> {
        None
    }

    /// The account calls go to now, for vendors whose profiles reach several (`None` before
    /// one is chosen, and for every other vendor).
    fn account(&self) -> Option<String> {
        None
    }

    /// Works in the account `id` from now on (one of [`Probe::accounts`]), and probes it:
    /// what it can do. Only for vendors whose profiles reach several accounts.
    fn choose_account(&self, _id: String) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(async { Err(ProviderError::Unsupported("choosing an account")) })
    }

    /// Reference data: statuses, priorities, help desks, people, custom field definitions.
    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>>;

    /// The catalog again, given the one loaded before (this run's or a saved one): a vendor
    /// with validators (`ETag`) asks whether each part changed and keeps what did not. Others
    /// load it afresh.
    fn revalidate_catalog(
        &self,
        _previous: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Catalog>> {
        self.catalog()
    }

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

    /// The person the agent named in the profile (`agent = "hana"`: a user name or an email),
    /// as the server knows them: writes are made in their name.
    fn agent(&self, _login: String) -> BoxFuture<'_, ProviderResult<Person>> {
        Box::pin(async { Err(ProviderError::Unsupported("looking up the agent")) })
    }

    /// Changes something on the server, as `author` (the agent's user id). Each vendor
    /// implements the kinds it supports.
    fn write(
        &self,
        _write: Write,
        _author: UserId,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Written>> {
        Box::pin(async { Err(ProviderError::Unsupported("changes from ttydesk")) })
    }

    /// Whether `write`, first attempted at `since` (the console's clock), shows on the server:
    /// asked after its reply was lost (a timeout, a reset connection), before it is sent again.
    /// A comment is looked for in the thread by its text and author; a state change by the
    /// request's state.
    fn reconcile(
        &self,
        _write: Write,
        _author: UserId,
        _since: chrono::DateTime<chrono::Utc>,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Reconciled>> {
        Box::pin(async { Err(ProviderError::Unsupported("checking what a write did")) })
    }

    /// The approvals still waiting for votes on each of `tickets`, each with all its voters.
    /// One request that cannot be read costs only its own entry. Only where
    /// `Capabilities::approvals` says so.
    fn pending_approvals(
        &self,
        _tickets: Vec<TicketId>,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Vec<TicketApprovals>>> {
        Box::pin(async { Err(ProviderError::Unsupported("approvals")) })
    }

    /// The approval templates `ticket` may be sent through.
    fn approval_templates(
        &self,
        _ticket: TicketId,
    ) -> BoxFuture<'_, ProviderResult<Vec<ApprovalTemplate>>> {
        Box::pin(async { Err(ProviderError::Unsupported("approval templates")) })
    }

    /// Every breaking-news item, open and closed, names resolved through the catalog. Only
    /// where `Capabilities::news` says so.
    fn news(&self, _catalog: Arc<Catalog>) -> BoxFuture<'_, ProviderResult<Vec<NewsItem>>> {
        Box::pin(async { Err(ProviderError::Unsupported("breaking news")) })
    }

    /// One news item with its timeline of updates.
    fn news_detail(
        &self,
        _id: String,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<NewsDetail>> {
        Box::pin(async { Err(ProviderError::Unsupported("breaking news")) })
    }

    /// The timeline of one news item alone, oldest update first: what polling for updates
    /// reads (a listing need not say how many updates an item has).
    fn news_timeline(
        &self,
        _id: String,
        _catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Vec<crate::domain::NewsUpdate>>> {
        Box::pin(async { Err(ProviderError::Unsupported("news timelines")) })
    }

    /// Knowledge-base articles matching `query`, best first. Only where `Capabilities::kb`
    /// says so.
    fn kb_search(&self, _query: KbQuery) -> BoxFuture<'_, ProviderResult<Vec<KbHit>>> {
        Box::pin(async { Err(ProviderError::Unsupported("the knowledge base")) })
    }

    /// The knowledge base's categories (a tree through `parent`).
    fn kb_categories(&self) -> BoxFuture<'_, ProviderResult<Vec<KbCategory>>> {
        Box::pin(async { Err(ProviderError::Unsupported("the knowledge base")) })
    }

    /// One page of a category's articles; `cursor` as `list` takes it.
    fn kb_category(
        &self,
        _category: String,
        _cursor: Option<Cursor>,
    ) -> BoxFuture<'_, ProviderResult<Page<KbSummary>>> {
        Box::pin(async { Err(ProviderError::Unsupported("the knowledge base")) })
    }

    /// Articles to read, by id; ids the server does not know are left out.
    fn kb_articles(&self, _ids: Vec<String>) -> BoxFuture<'_, ProviderResult<Vec<KbArticle>>> {
        Box::pin(async { Err(ProviderError::Unsupported("the knowledge base")) })
    }
}
