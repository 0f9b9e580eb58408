//! Truto's unified ticketing API as a [`Provider`]: one API token reaches every integrated
//! account of an environment (a connected Zendesk, Jira, Freshdesk…), and a profile works in
//! one of them at a time. With `integrated_account_id` configured that one is used; without
//! it the probe lists the accounts ([`Probe::accounts`]) and the agent picks one
//! ([`Provider::choose_account`]). An account that is not `active` (`needs_reauth`, a failed
//! install) is never queried: the probe says why, in words.
//!
//! What an account can do comes from its capabilities (`/integrated-account/{id}/
//! capabilities`): comments are listed only where `comments.list` is, written where
//! `comments.create` is (privately only for integrations whose comments have an agents-only
//! form), and state changes go out as `PATCH tickets/{id}` where `tickets.update` is.
//!
//! Listings follow `next_cursor` to the end; a cursor already followed ends the listing
//! instead of looping. `truto_ignore_remote_data=true` is sent on every read: the console never
//! needs the integration's raw payload. The conversation is in `client`, wire types in `wire`,
//! the mapping in `map`; wire types never leave this folder.

mod account;
pub(crate) mod client;
pub(crate) mod map;
pub(crate) mod wire;
mod write;

use std::fmt;
use std::sync::{Arc, RwLock};

use futures_util::future::BoxFuture;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use self::account::Chosen;
use self::client::{Client, decode_error};
pub use self::client::{Quota, normalize_base};
use self::wire::{CommentWire, NamedWire, PersonWire, TicketWire};
use crate::domain::{
    Capabilities, Catalog, Comment, Cursor, Page, Person, Probe, QueueQuery, Reconciled,
    ServerInfo, StatusScope, Ticket, TicketDetail, TicketId, UserId, Write, Written,
};
use crate::provider::http::{HttpClient, HttpSettings};
use crate::provider::{Provider, ProviderError, ProviderResult};
use crate::text::SafeText;

/// Rows per page; Truto passes `limit` on to the integration.
const PAGE_SIZE: u32 = 50;

/// Pages of accounts, people or comments read before giving up.
const MAX_PAGES: usize = 40;

/// How to reach one Truto environment.
#[derive(Debug, Clone)]
pub struct TrutoConfig {
    /// The API root, `https://api.truto.one`.
    pub base_url: String,
    /// The environment's API token (`Authorization: Bearer <token>`).
    pub token: SecretString,
    /// The account to work in; `None` lists the accounts to pick from.
    pub integrated_account_id: Option<String>,
    pub timeouts: HttpSettings,
}

/// A Truto profile's provider. Cheap to clone: clones share one connection pool and the
/// chosen account.
#[derive(Clone)]
pub struct Truto {
    client: Arc<Client>,
    configured: Option<String>,
    chosen: Arc<RwLock<Option<Chosen>>>,
}

impl fmt::Debug for Truto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Truto")
            .field("base", &self.client.base().as_str())
            .field("account", &self.configured)
            .finish_non_exhaustive()
    }
}

impl Truto {
    pub fn new(cfg: TrutoConfig) -> Result<Truto, ProviderError> {
        let base = client::normalize_base(&cfg.base_url)?;
        if cfg.token.expose_secret().trim().is_empty() {
            return Err(ProviderError::Config(
                "the Truto profile needs the API token".into(),
            ));
        }
        let configured = match cfg.integrated_account_id.as_deref().map(str::trim) {
            None => None,
            Some(raw) => Some(
                map::id(raw)
                    .ok_or_else(|| {
                        ProviderError::Config(
                            "integrated_account_id is not an id Truto gives (letters, digits, dashes)"
                                .into(),
                        )
                    })?
                    .to_string(),
            ),
        };
        let http = HttpClient::new(cfg.timeouts)?;
        Ok(Truto {
            client: Arc::new(Client::new(http, base, cfg.token)),
            configured,
            chosen: Arc::new(RwLock::new(None)),
        })
    }

    /// What the last reply said of the account's rate limit.
    pub fn quota(&self) -> Option<Quota> {
        self.client.quota()
    }

    fn chosen(&self) -> ProviderResult<Chosen> {
        self.chosen
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or(ProviderError::NoAccount)
    }

    /// `unified/ticketing/<segments>` in the chosen account, remote data left out.
    fn unified(&self, chosen: &Chosen, segments: &[&str], extra: &[(&str, String)]) -> Url {
        let mut path = vec!["unified", "ticketing"];
        path.extend_from_slice(segments);
        let mut query = vec![
            ("integrated_account_id", chosen.id.clone()),
            ("truto_ignore_remote_data", "true".to_string()),
        ];
        query.extend(extra.iter().cloned());
        self.client.url(&path, &query)
    }

    /// Every element of a listing at `first`, following `next_cursor` (at most
    /// [`MAX_PAGES`]); a cursor already followed ends it.
    async fn read_all<T: DeserializeOwned>(
        &self,
        first: Url,
        endpoint: &str,
    ) -> ProviderResult<Vec<T>> {
        let mut all = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut url = first.clone();
        for _ in 0..MAX_PAGES {
            let page = wire::page::<T>(endpoint, self.client.get(url, endpoint).await?)?;
            crate::provider::elements::log_skipped(endpoint, page.skipped, page.items.len());
            all.extend(page.items);
            let Some(next) = page.next_cursor else {
                return Ok(all);
            };
            if seen.contains(&next) {
                tracing::warn!(
                    endpoint,
                    "the next cursor repeats one already read; listing ended"
                );
                return Ok(all);
            }
            url = with_cursor(&first, &next);
            seen.push(next);
        }
        tracing::warn!(endpoint, pages = MAX_PAGES, "stopped after many pages");
        Ok(all)
    }

    fn ready(&self, chosen: Chosen) -> Probe {
        let probe = Probe::ready(
            ServerInfo {
                product: format!("Truto · {}", chosen.vendor),
                version: SafeText::default(),
                via: Some(chosen.vendor.clone()),
            },
            chosen.capabilities(),
        );
        *self
            .chosen
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(chosen);
        probe
    }

    async fn probe_now(&self) -> ProviderResult<Probe> {
        let account = match (&self.configured, self.chosen().ok()) {
            (_, Some(chosen)) => Some(chosen.id),
            (Some(id), None) => Some(id.clone()),
            (None, None) => None,
        };
        if let Some(id) = account {
            let chosen = self.open_account(&id).await?;
            // The others, for `:account`; a listing that fails costs only the choice.
            let accounts = self.choices().await.ok();
            let mut probe = self.ready(chosen);
            probe.account = accounts.is_some().then_some(id);
            probe.accounts = accounts;
            return Ok(probe);
        }
        let choices = self.choices().await?;
        if choices.is_empty() {
            return Err(ProviderError::Config(
                "this Truto environment has no integrated accounts; connect one in Truto first"
                    .into(),
            ));
        }
        Ok(Probe {
            server: ServerInfo {
                product: "Truto".into(),
                version: SafeText::default(),
                via: None,
            },
            capabilities: Capabilities {
                writes: false,
                comments: false,
                ..Capabilities::EVERYTHING
            },
            accounts: Some(choices),
            account: None,
        })
    }

    async fn choose(&self, id: String) -> ProviderResult<Probe> {
        let id = map::id(&id)
            .ok_or_else(|| ProviderError::Config("that is not an integrated account id".into()))?
            .to_string();
        let chosen = self.open_account(&id).await?;
        let mut probe = self.ready(chosen);
        probe.account = Some(id);
        Ok(probe)
    }

    /// A resource's list, or `fallback` where the account does not have it or it fails for
    /// another reason than the credentials (names are cosmetic).
    async fn optional_list<T: DeserializeOwned>(
        &self,
        chosen: &Chosen,
        resource: &str,
    ) -> ProviderResult<Vec<T>> {
        if !chosen.allows(resource, "list") {
            return Ok(Vec::new());
        }
        let url = self.unified(chosen, &[resource], &[("limit", "100".to_string())]);
        match self.read_all::<T>(url, resource).await {
            Ok(items) => Ok(items),
            Err(e @ (ProviderError::Unauthorized | ProviderError::Forbidden(_))) => Err(e),
            Err(e) => {
                tracing::warn!(endpoint = resource, error = %e, "could not be read; shown without it");
                Ok(Vec::new())
            }
        }
    }

    async fn load_catalog(&self) -> ProviderResult<Catalog> {
        let chosen = self.chosen()?;
        let (users, statuses, priorities, types) = tokio::join!(
            self.optional_list::<PersonWire>(&chosen, "users"),
            self.optional_list::<NamedWire>(&chosen, "ticket_status"),
            self.optional_list::<NamedWire>(&chosen, "ticket_priorities"),
            self.optional_list::<NamedWire>(&chosen, "ticket_types"),
        );
        let mut statuses: Vec<_> = statuses?.iter().filter_map(map::status).collect();
        if statuses.is_empty() {
            statuses = map::unified_statuses();
        }
        Ok(Catalog {
            statuses,
            priorities: map::priorities(&priorities?),
            types: types?.iter().filter_map(map::named).collect(),
            people: users?
                .iter()
                .filter_map(map::person)
                .map(|p| (p.id.clone(), p))
                .collect(),
            ..Catalog::default()
        })
    }

    /// One page of tickets. Truto has no status filter common to every integration, so the
    /// listing is read whole and narrowed here; the cursor carries the cursors already read,
    /// so a server that hands one out twice ends the listing instead of looping.
    async fn load_page(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<Page<Ticket>> {
        let chosen = self.chosen()?;
        let first = self.unified(&chosen, &["tickets"], &[("limit", PAGE_SIZE.to_string())]);
        let mut seen: Vec<String> = match &cursor {
            None => Vec::new(),
            Some(Cursor(raw)) => serde_json::from_str(raw)
                .map_err(|_| ProviderError::Internal("continuing a listing".into()))?,
        };
        let url = match seen.last() {
            Some(last) => with_cursor(&first, last),
            None => first,
        };
        let page = wire::page::<TicketWire>("tickets", self.client.get(url, "tickets").await?)?;
        crate::provider::elements::log_skipped("tickets", page.skipped, page.items.len());
        let items: Vec<Ticket> = page
            .items
            .iter()
            .filter_map(|w| map::ticket(w, &catalog))
            .filter(|t| match &query.status {
                StatusScope::Open => t.status.kind.is_open(),
                StatusScope::Only(ids) => ids.contains(&t.status.id),
            })
            .collect();
        let next = match page.next_cursor {
            Some(next) if seen.contains(&next) => {
                tracing::warn!("tickets: the next cursor repeats one already read; listing ended");
                None
            }
            Some(next) => {
                seen.push(next);
                Some(Cursor(serde_json::to_string(&seen).map_err(|_| {
                    ProviderError::Internal("continuing a listing".into())
                })?))
            }
            None => None,
        };
        Ok(Page {
            unreadable: page.skipped as u64,
            items,
            next,
            total: None,
        })
    }

    async fn comments(
        &self,
        chosen: &Chosen,
        ticket: &str,
        catalog: &Catalog,
    ) -> ProviderResult<Vec<Comment>> {
        let url = self.unified(
            chosen,
            &["comments"],
            &[
                ("ticket[id]", ticket.to_string()),
                ("limit", "100".to_string()),
            ],
        );
        let wires: Vec<CommentWire> = self.read_all(url, "comments").await?;
        Ok(wires
            .iter()
            .filter_map(|w| map::comment(w, catalog))
            .collect())
    }

    async fn load_detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<TicketDetail> {
        let chosen = self.chosen()?;
        let Some(tid) = map::id(id.as_str()) else {
            return Err(ProviderError::NotFound(SafeText::ours(
                "not a Truto ticket id",
            )));
        };
        let url = self.unified(&chosen, &["tickets", tid], &[]);
        let reply = self.client.get(url, "tickets/{id}").await?;
        let wire: TicketWire = wire::one("tickets/{id}", reply)?;
        let mut partial = Vec::new();
        let comments = if chosen.allows("comments", "list") {
            match self.comments(&chosen, tid, &catalog).await {
                Ok(comments) => comments,
                Err(e @ ProviderError::Unauthorized) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "comments could not be read");
                    partial.push(format!("the comments could not be read: {e}"));
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let mut detail = map::detail(&wire, comments, &chosen.vendor, &catalog)
            .ok_or_else(|| decode_error("tickets/{id}", "the ticket has no usable id"))?;
        detail.partial = partial;
        Ok(detail)
    }

    async fn find_agent(&self, login: String) -> ProviderResult<Person> {
        let chosen = self.chosen()?;
        let wanted = login.trim().to_lowercase();
        let people: Vec<PersonWire> = self.optional_list(&chosen, "users").await?;
        people
            .iter()
            .filter_map(map::person)
            .find(|p| {
                p.email
                    .as_ref()
                    .is_some_and(|e| e.as_str().to_lowercase() == wanted)
                    || p.name.as_str().to_lowercase() == wanted
            })
            .ok_or_else(|| {
                ProviderError::NotFound(SafeText::line(&format!(
                    "no {} user with the email or name {login}",
                    chosen.vendor
                )))
            })
    }
}

/// `first` with `next_cursor` set (replacing any earlier one).
fn with_cursor(first: &Url, cursor: &str) -> Url {
    let mut url = first.clone();
    let pairs: Vec<(String, String)> = first
        .query_pairs()
        .filter(|(k, _)| k != "next_cursor")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("next_cursor", cursor);
    url
}

impl Provider for Truto {
    fn clock_skew(&self) -> Option<i64> {
        self.client.clock_skew()
    }

    /// The configured (or chosen) account and its capabilities; without one, the accounts to
    /// pick from.
    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(self.probe_now())
    }

    fn account(&self) -> Option<String> {
        self.chosen
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(|c| c.id.clone())
    }

    fn choose_account(&self, id: String) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(self.choose(id))
    }

    /// People, statuses, priorities and types of the chosen account.
    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>> {
        Box::pin(self.load_catalog())
    }

    fn list(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Page<Ticket>>> {
        Box::pin(self.load_page(query, cursor, catalog))
    }

    /// The ticket and, where the account lists them, its comments.
    fn detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>> {
        Box::pin(self.load_detail(id, catalog))
    }

    /// The account's user whose email (or name) is `login`.
    fn agent(&self, login: String) -> BoxFuture<'_, ProviderResult<Person>> {
        Box::pin(self.find_agent(login))
    }

    fn write(
        &self,
        write: Write,
        _author: UserId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Written>> {
        Box::pin(async move { write::send(self, write, &catalog).await })
    }

    fn reconcile(
        &self,
        write: Write,
        _author: UserId,
        since: chrono::DateTime<chrono::Utc>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Reconciled>> {
        Box::pin(async move { write::reconcile(self, write, since, &catalog).await })
    }
}
