//! Iden (access-request tickets) as a [`Provider`], read-only: configuration, and the operations
//! assembled from `/api/tickets/`, `/api/tickets/{external_uuid}/`, `/api/apps/` and
//! `/api/users/`. The conversation (API root, `Api-Key` auth, JSON that is not JSON) is in
//! `client`, the wire types and per-element reading of pages in `wire`, the mapping to domain
//! types in `map`. Wire types never leave this folder.
//!
//! Queues are by app: each Iden app is a pseudo help desk, so the queue tree reads "GitHub",
//! "Salesforce"… with their pending requests. Listings follow the server's absolute `next` URL
//! (the cursor), but only to the configured server, and never round in a circle.

pub(crate) mod client;
pub(crate) mod map;
#[cfg(test)]
mod tests;
pub(crate) mod wire;

use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

pub use self::client::normalize_base;
use self::client::{Client, decode_error};
use self::wire::{AppWire, PageWire, TicketWire, UserWire};
use crate::domain::{
    Capabilities, Catalog, CountCell, CountScope, Counts, Cursor, DeskId, Page, Probe, QueueQuery,
    ServerInfo, StatusId, StatusScope, Ticket, TicketDetail, TicketId,
};
use crate::provider::http::{HttpClient, HttpSettings};
use crate::provider::{Provider, ProviderError, ProviderResult};
use crate::text::SafeText;

/// Rows per page: Iden's documented default. Asking for more risks a server-side cap that is
/// not documented; `next` is followed either way.
const PAGE_SIZE: u32 = 50;

/// Pages of apps or users read for names before giving up: 5,000 entries.
const MAX_NAME_PAGES: usize = 100;

/// Count reads in flight at once.
const IN_FLIGHT: usize = 4;

/// How to reach one Iden organisation.
#[derive(Debug, Clone)]
pub struct IdenConfig {
    /// The organisation's API root, `https://developer.idenhq.com/org/<slug>` (with or without
    /// a trailing slash or `/api`).
    pub base_url: String,
    /// The API key (`Authorization: Api-Key <key>`). Only ever exposed to build that header.
    pub token: SecretString,
    pub timeouts: HttpSettings,
}

/// An Iden profile's provider. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Iden {
    client: Arc<Client>,
}

impl fmt::Debug for Iden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iden")
            .field("base", &self.client.base().as_str())
            .finish_non_exhaustive()
    }
}

/// What Iden's public API offers: read-only tickets, filterable by app and status, counted by
/// `count`, each pending one a decision waiting in Iden (its reviewers are not in the API); no
/// comments, writes, news or knowledge base. The access
/// details (app, account, window) are shown as fields.
const CAPABILITIES: Capabilities = Capabilities {
    counts: true,
    help_desks: true,
    statuses: true,
    comments: false,
    custom_fields: true,
    links: false,
    // Each pending access request is one decision waiting in Iden: listed in the Approvals
    // pane, read-only (the reviewers vote in Iden).
    approvals: true,
    writes: false,
    news: false,
    kb: false,
    private_comments: false,
    votes: false,
};

impl Iden {
    pub fn new(cfg: IdenConfig) -> Result<Iden, ProviderError> {
        let base = client::normalize_base(&cfg.base_url)?;
        if cfg.token.expose_secret().trim().is_empty() {
            return Err(ProviderError::Config(
                "the Iden profile needs the API key".into(),
            ));
        }
        let http = HttpClient::new(cfg.timeouts)?;
        Ok(Iden {
            client: Arc::new(Client::new(http, base, cfg.token)),
        })
    }

    /// One page at `url`, which must be on the configured server; its `next` is checked the
    /// same way before it is handed out as the cursor.
    async fn read_page<T: DeserializeOwned>(
        &self,
        url: Url,
        endpoint: &str,
    ) -> ProviderResult<(PageWire<T>, Option<Url>)> {
        let reply = self.client.get(url.clone(), endpoint).await?;
        let page: PageWire<T> = wire::page(endpoint, reply)?;
        crate::provider::elements::log_skipped(endpoint, page.skipped, page.items.len());
        let next = match page.next.as_deref() {
            None => None,
            Some(raw) => self.next_of(&url, raw, endpoint)?,
        };
        Ok((page, next))
    }

    /// The page after `current`, from the `next` the server wrote: an absolute URL followed as
    /// it is, provided it stays on the configured server and moves forward. A `next` that
    /// repeats the page just read (or goes back) ends the listing instead of looping.
    fn next_of(&self, current: &Url, raw: &str, endpoint: &str) -> ProviderResult<Option<Url>> {
        let next = Url::parse(raw)
            .map_err(|_| decode_error(endpoint, "the link to the next page is not a URL"))?;
        if !self.client.is_ours(&next) {
            return Err(decode_error(
                endpoint,
                format!(
                    "the server pointed the next page to {}, not to the configured {}; \
                     it was not followed, so the API key stays with that server",
                    SafeText::line(&origin(&next)),
                    origin(self.client.base())
                ),
            ));
        }
        // DRF's LimitOffset pages: no `offset` is the first page. A `next` that does not move
        // past the page just read would be read again and again.
        let offset = |url: &Url| {
            url.query_pairs()
                .find(|(k, _)| k == "offset")
                .and_then(|(_, v)| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let stuck = next == *current || offset(&next) <= offset(current);
        if stuck {
            tracing::warn!(
                endpoint,
                "the next page repeats one already read; listing ended"
            );
            return Ok(None);
        }
        Ok(Some(next))
    }

    /// Every element of a listing, page after page (at most [`MAX_NAME_PAGES`]).
    async fn read_all<T: DeserializeOwned>(
        &self,
        segment: &str,
        endpoint: &str,
    ) -> ProviderResult<Vec<T>> {
        let mut url = Some(
            self.client
                .url(&[segment], &[("limit", PAGE_SIZE.to_string())]),
        );
        let mut all = Vec::new();
        let mut pages = 0;
        while let Some(at) = url.take() {
            let (page, next) = self.read_page::<T>(at, endpoint).await?;
            all.extend(page.items);
            pages += 1;
            if pages >= MAX_NAME_PAGES {
                tracing::warn!(endpoint, pages, "stopped reading names after many pages");
                break;
            }
            url = next;
        }
        Ok(all)
    }

    async fn load_catalog(&self) -> ProviderResult<Catalog> {
        let (apps, users) = tokio::join!(
            self.read_all::<AppWire>("apps", "apps"),
            self.read_all::<UserWire>("users", "users"),
        );
        // Tickets name their app and requester themselves, so a list that fails costs only
        // nicer names; credentials that fail, fail everything and are said at once.
        let apps = names_or_nothing(apps, "apps")?;
        let users = names_or_nothing(users, "users")?;
        let mut help_desks: Vec<_> = apps.iter().filter_map(map::desk).collect();
        help_desks.sort_by(|a, b| {
            a.name
                .as_str()
                .to_lowercase()
                .cmp(&b.name.as_str().to_lowercase())
        });
        help_desks.dedup_by(|a, b| a.id == b.id);
        Ok(Catalog {
            statuses: map::statuses(),
            help_desks,
            people: users
                .iter()
                .filter_map(map::person)
                .map(|p| (p.id.clone(), p))
                .collect(),
            ..Catalog::default()
        })
    }

    /// `ticket_status` and `app` for a first page. Several statuses (but not all) cannot be one
    /// filter: the listing is then unfiltered by status and narrowed here, page by page.
    fn first_page(&self, query: &QueueQuery, catalog: &Catalog) -> (Url, Option<Vec<StatusId>>) {
        let mut params = vec![("limit", PAGE_SIZE.to_string())];
        let wanted: Vec<StatusId> = match &query.status {
            StatusScope::Open => {
                let open: Vec<StatusId> = catalog.open_statuses().map(|s| s.id.clone()).collect();
                if open.is_empty() {
                    vec![StatusId::from(map::PENDING)]
                } else {
                    open
                }
            }
            StatusScope::Only(ids) => ids.clone(),
        };
        let mut narrow = None;
        match wanted.as_slice() {
            [one] => params.push(("ticket_status", one.to_string())),
            many if many.len() >= catalog.statuses.len().max(5) => {}
            many => narrow = Some(many.to_vec()),
        }
        if let Some(desk) = &query.desk {
            params.push(("app", desk.to_string()));
        }
        (self.client.url(&["tickets"], &params), narrow)
    }

    async fn load_page(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<Page<Ticket>> {
        let (first, narrow) = self.first_page(&query, &catalog);
        let url = match cursor {
            None => first,
            Some(Cursor(raw)) => {
                // A cursor is a `next` this provider checked, but it may have been kept
                // (the store): checked again before the key goes anywhere.
                let url = Url::parse(&raw)
                    .map_err(|_| ProviderError::Internal("continuing a listing".into()))?;
                if !self.client.is_ours(&url) {
                    return Err(decode_error(
                        "tickets",
                        "the next page is on another server; it was not followed",
                    ));
                }
                url
            }
        };
        let (page, next) = self.read_page::<TicketWire>(url, "tickets").await?;
        let mut items: Vec<Ticket> = page
            .items
            .iter()
            .filter_map(|w| map::ticket(w, &catalog))
            .collect();
        let unreadable = (page.skipped + page.items.len() - items.len()) as u64;
        if let Some(statuses) = &narrow {
            items.retain(|t| statuses.contains(&t.status.id));
        }
        Ok(Page {
            unreadable,
            items,
            next: next.map(|u| Cursor(u.to_string())),
            total: if narrow.is_some() { None } else { page.count },
        })
    }

    /// Pending tickets per app: the `count` of a one-row read per (app, open status), a few in
    /// flight. Without apps in the catalog, one count per status for the whole organisation.
    async fn load_counts(&self, catalog: Arc<Catalog>) -> ProviderResult<Counts> {
        let statuses: Vec<StatusId> = catalog.open_statuses().map(|s| s.id.clone()).collect();
        let desks: Vec<Option<DeskId>> = if catalog.help_desks.is_empty() {
            vec![None]
        } else {
            catalog
                .help_desks
                .iter()
                .map(|d| Some(d.id.clone()))
                .collect()
        };
        let cells: Vec<(Option<DeskId>, StatusId)> = desks
            .iter()
            .flat_map(|d| statuses.iter().map(move |s| (d.clone(), s.clone())))
            .collect();
        let counted: Vec<CountCell> = stream::iter(cells)
            .map(|(desk, status)| async move {
                let mut params = vec![
                    ("limit", "1".to_string()),
                    ("ticket_status", status.to_string()),
                ];
                if let Some(desk) = &desk {
                    params.push(("app", desk.to_string()));
                }
                let url = self.client.url(&["tickets"], &params);
                let reply = self.client.get(url, "tickets").await?;
                let page: PageWire<serde_json::Value> = wire::page("tickets", reply)?;
                let count = page.count.ok_or_else(|| {
                    decode_error(
                        "tickets",
                        "the page does not say how many tickets there are",
                    )
                })?;
                Ok::<_, ProviderError>(CountCell {
                    desk,
                    status: Some(status),
                    count,
                })
            })
            .buffer_unordered(IN_FLIGHT)
            .try_collect()
            .await?;
        let mut cells: Vec<CountCell> = counted.into_iter().filter(|c| c.count > 0).collect();
        cells.sort_by(|a, b| (&a.desk, &a.status).cmp(&(&b.desk, &b.status)));
        Ok(Counts { cells })
    }

    async fn load_detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<TicketDetail> {
        let Some(uuid) = map::id(id.as_str()) else {
            return Err(ProviderError::NotFound(SafeText::ours(
                "an Iden ticket id is a UUID",
            )));
        };
        let url = self.client.url(&["tickets", uuid], &[]);
        let reply = self.client.get(url, "tickets/{id}").await?;
        let wire: TicketWire = wire::one("tickets/{id}", reply)?;
        map::detail(&wire, &catalog)
            .ok_or_else(|| decode_error("tickets/{id}", "the ticket has no usable id"))
    }
}

/// `scheme://host[:port]`, what an agent compares.
fn origin(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

/// A names list that failed is logged and left empty, unless the credentials failed.
fn names_or_nothing<T>(result: ProviderResult<Vec<T>>, endpoint: &str) -> ProviderResult<Vec<T>> {
    match result {
        Ok(items) => Ok(items),
        Err(e @ (ProviderError::Unauthorized | ProviderError::Forbidden(_))) => Err(e),
        Err(e) => {
            tracing::warn!(endpoint, error = %e, "names could not be read; shown without them");
            Ok(Vec::new())
        }
    }
}

impl Provider for Iden {
    fn clock_skew(&self) -> Option<i64> {
        self.client.clock_skew()
    }

    /// `/api/apps/?limit=1`: cheap, and it needs a valid key. Iden reports no version.
    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(async move {
            let url = self.client.url(&["apps"], &[("limit", "1".to_string())]);
            let reply = self.client.get(url, "apps").await.map_err(|e| match e {
                // The org's root answers 404 only when the slug is wrong.
                ProviderError::NotFound(_) => ProviderError::Config(format!(
                    "no Iden organisation answers at {}; check the tenant slug in base_url \
                     (Settings → API Keys shows it)",
                    self.client.base()
                )),
                other => other,
            })?;
            wire::page::<serde_json::Value>("apps", reply)?;
            Ok(Probe {
                server: ServerInfo {
                    product: "Iden".to_string(),
                    version: SafeText::default(),
                    via: None,
                },
                capabilities: CAPABILITIES,
                accounts: None,
                account: None,
            })
        })
    }

    /// Statuses, apps as help desks, users as people (every page of each).
    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>> {
        Box::pin(self.load_catalog())
    }

    /// `/api/tickets/` with `ticket_status` and `app`; the cursor is the server's `next` URL.
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

    /// Each pending access request as the one decision it waits for (`/api/tickets/{uuid}/`,
    /// a few at a time); one that cannot be read costs only its own entry.
    fn pending_approvals(
        &self,
        tickets: Vec<TicketId>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Vec<crate::domain::TicketApprovals>>> {
        Box::pin(async move {
            let read = stream::iter(tickets)
                .map(|id| {
                    let catalog = Arc::clone(&catalog);
                    async move {
                        let result = self.load_detail(id.clone(), catalog).await;
                        (id, result)
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .collect::<Vec<_>>()
                .await;
            let mut out = Vec::new();
            for (ticket, result) in read {
                let pending = match result {
                    Ok(detail) => Ok(map::approval(&detail).into_iter().collect()),
                    Err(e @ (ProviderError::Unauthorized | ProviderError::Forbidden(_))) => {
                        return Err(e);
                    }
                    Err(e) => Err(e.to_string()),
                };
                out.push(crate::domain::TicketApprovals { ticket, pending });
            }
            Ok(out)
        })
    }

    /// `/api/tickets/{external_uuid}/`.
    fn detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>> {
        Box::pin(self.load_detail(id, catalog))
    }
}
