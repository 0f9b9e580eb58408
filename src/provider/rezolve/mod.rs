//! Rezolve.ai ticketing as a [`Provider`], read-only: the user directory (`GET user/list` by
//! `type` and `module`) for names and assignee lists, and tickets listed by
//! `POST ticket/list` with `top` / `offset` and a filter (team, status, id). The conversation
//! (Bearer JWT, `x-tenantid`, `realmname`, the `{success, data}` envelope) is in `client`, the
//! wire types in `wire`, the mapping in `map`; wire types never leave this folder.
//!
//! **The directory is revalidated, not downloaded again.** The catalog keeps each list's `ETag`
//! with the ids of the people it brought ([`Validator`]), and is saved with them; the next load
//! (in this run or a later one) sends `if-none-match`, and a `304` rebuilds the list from the
//! catalog kept, with no body read.
//!
//! **Offset pages without gaps or duplicates.** Tickets are listed oldest first (`createdAt`
//! ascending), so new ones land at the end and never push earlier pages forward. A ticket that
//! closes or is deleted while the agent pages pulls later ones back by one: each page after the
//! first starts [`OVERLAP`] rows early, and rows already listed on the previous page (their ids
//! travel in the cursor) are dropped. A page that brings nothing new ends the listing, so a
//! server whose `hasMore` never turns false cannot loop it.

pub(crate) mod client;
pub(crate) mod map;
pub(crate) mod wire;

use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use self::client::normalize_base;
use self::client::{Client, Got, decode_error};
use self::wire::{TicketWire, UserWire};
use crate::domain::{
    Capabilities, Catalog, Cursor, HelpDesk, Page, Person, Probe, QueueQuery, ServerInfo,
    StatusScope, Ticket, TicketDetail, TicketId, Validator,
};
use crate::provider::http::{HttpClient, HttpSettings};
use crate::provider::{Provider, ProviderError, ProviderResult};
use crate::text::SafeText;

/// Rows per page (the documented example's is 30; the simulator, like the API, takes up to 100).
const PAGE_SIZE: u64 = 50;

/// Rows each later page starts early, to catch rows pulled back by ones that left.
const OVERLAP: u64 = 5;

/// Pages of one listing read before giving up (25,000 tickets).
const MAX_PAGES: u64 = 500;

/// What Rezolve's public ticketing API offers a console: tickets by team and status, their
/// fields, the user directory; no comment thread, writes, counts, approvals, news or knowledge
/// base.
const CAPABILITIES: Capabilities = Capabilities {
    counts: false,
    help_desks: true,
    statuses: true,
    comments: false,
    custom_fields: true,
    links: false,
    approvals: false,
    writes: false,
    news: false,
    kb: false,
    private_comments: false,
    votes: false,
};

/// How to reach one Rezolve tenant.
#[derive(Debug, Clone)]
pub struct RezolveConfig {
    /// The tenant's address, `https://acme.rezolve.ai` (with or without `/api/v2/ticketing`).
    pub base_url: String,
    /// The JWT (`Authorization: Bearer <jwt>`).
    pub token: SecretString,
    /// Sent as `x-tenantid`.
    pub tenant_id: String,
    /// Sent as `realmname` when set.
    pub realm: Option<String>,
    pub timeouts: HttpSettings,
}

/// A Rezolve profile's provider. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Rezolve {
    client: Arc<Client>,
}

impl fmt::Debug for Rezolve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rezolve")
            .field("base", &self.client.base().as_str())
            .finish_non_exhaustive()
    }
}

/// One directory list as this load has it: its people, the help desks it makes (teams come
/// from the agents), and the validator to send next time.
#[derive(Default)]
struct Part {
    people: Vec<Person>,
    desks: Vec<HelpDesk>,
    validator: Option<Validator>,
}

impl Part {
    /// The part as `previous` kept it, rebuilt from its people's ids.
    fn kept(kind: &str, previous: &Catalog) -> Option<Part> {
        let validator = previous.validators.get(kind)?;
        Some(Part {
            people: validator
                .people
                .iter()
                .filter_map(|id| previous.people.get(id).cloned())
                .collect(),
            desks: if kind == AGENTS {
                previous.help_desks.clone()
            } else {
                Vec::new()
            },
            validator: Some(validator.clone()),
        })
    }
}

/// The directory's two lists: agents (who also make the teams) and users.
const AGENTS: &str = "agent";
const USERS: &str = "user";

/// Where the next page starts, and the rows the last page listed.
#[derive(Debug, Serialize, Deserialize)]
struct Resume {
    offset: u64,
    seen: Vec<String>,
    pages: u64,
}

impl Rezolve {
    pub fn new(cfg: RezolveConfig) -> Result<Rezolve, ProviderError> {
        let base = client::normalize_base(&cfg.base_url)?;
        if cfg.token.expose_secret().trim().is_empty() {
            return Err(ProviderError::Config(
                "the Rezolve profile needs the JWT".into(),
            ));
        }
        let tenant = cfg.tenant_id.trim().to_string();
        if tenant.is_empty() || tenant.chars().any(|c| c.is_control() || c == ' ') {
            return Err(ProviderError::Config(
                "tenant_id must be the tenant's id, without spaces".into(),
            ));
        }
        let realm = cfg
            .realm
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        let http = HttpClient::new(cfg.timeouts)?;
        Ok(Rezolve {
            client: Arc::new(Client::new(http, base, cfg.token, tenant, realm)),
        })
    }

    /// One user list (`agent` or `user`), revalidated against the part `previous` kept: a 304
    /// rebuilds it from there with no body read. A list that cannot be read keeps what
    /// `previous` had (names are worth more stale than missing), or is left empty; only a
    /// refused credential fails the catalog.
    async fn part(&self, kind: &'static str, previous: Option<&Catalog>) -> ProviderResult<Part> {
        let kept = previous.and_then(|c| Part::kept(kind, c));
        let tag = kept
            .as_ref()
            .and_then(|k| k.validator.as_ref())
            .map(|v| v.tag.clone());
        let url = self.client.url(
            &["user", "list"],
            &[
                ("type", kind.to_string()),
                ("module", "ticketing".to_string()),
            ],
        );
        let got = self
            .client
            .send(Method::GET, url, None, tag.as_deref(), "user/list")
            .await;
        match got {
            Ok(Got::NotModified) => {
                tracing::info!(kind, "user directory unchanged (304)");
                kept.ok_or_else(|| {
                    decode_error("user/list", "the server answered 304 to a first download")
                })
            }
            Ok(Got::Data(mut data, etag)) => {
                let (users, skipped) = wire::list::<UserWire>("user/list", &mut data, "users")?;
                if skipped > 0 {
                    tracing::warn!(
                        kind,
                        skipped,
                        kept = users.len(),
                        "left out users that could not be read"
                    );
                }
                let people: Vec<Person> = users.iter().filter_map(map::person).collect();
                let validator = etag.as_deref().and_then(|tag| {
                    Validator::new(tag, people.iter().map(|p| p.id.clone()).collect())
                });
                Ok(Part {
                    desks: if kind == AGENTS {
                        map::desks(&users)
                    } else {
                        Vec::new()
                    },
                    people,
                    validator,
                })
            }
            Err(e @ (ProviderError::Unauthorized | ProviderError::Forbidden(_))) => Err(e),
            Err(e) => {
                tracing::warn!(kind, error = %e, "the user directory could not be read");
                Ok(kept.unwrap_or_default())
            }
        }
    }

    async fn load_catalog(&self, previous: Option<Arc<Catalog>>) -> ProviderResult<Catalog> {
        let previous = previous.as_deref();
        let (agents, users) = tokio::join!(self.part(AGENTS, previous), self.part(USERS, previous));
        let (agents, users) = (agents?, users?);
        let validators = [(AGENTS, &agents), (USERS, &users)]
            .into_iter()
            .filter_map(|(kind, part)| Some((kind.to_string(), part.validator.clone()?)))
            .collect();
        Ok(Catalog {
            statuses: map::statuses(),
            priorities: map::priorities(),
            help_desks: agents.desks,
            people: agents
                .people
                .into_iter()
                .chain(users.people)
                .map(|p| (p.id.clone(), p))
                .collect(),
            validators,
            ..Catalog::default()
        })
    }

    /// One `ticket/list` call.
    async fn tickets(
        &self,
        filter: Vec<Value>,
        offset: u64,
        top: u64,
        overlap: u64,
    ) -> ProviderResult<(Vec<TicketWire>, wire::Pagination, usize, u64)> {
        let url = self.client.url(
            &["ticket", "list"],
            &[
                ("type", "template".to_string()),
                ("module", "ticketing".to_string()),
            ],
        );
        let body = json!({
            "search": "",
            "top": top,
            "offset": offset,
            "sort": "createdAt",
            "searchOrder": "ASC",
            "sortOrder": [],
            "filter": { "op": "AND", "operand": filter },
        });
        let Got::Data(mut data, _) = self
            .client
            .send(Method::POST, url, Some(&body), None, "ticket/list")
            .await?
        else {
            return Err(decode_error(
                "ticket/list",
                "the server answered 304 to a list",
            ));
        };
        let overlap = usize::try_from(overlap).unwrap_or(usize::MAX);
        let (items, skipped, rows) =
            wire::list_after::<TicketWire>("ticket/list", &mut data, "tickets", overlap)?;
        if skipped > 0 {
            tracing::warn!(
                skipped,
                kept = items.len(),
                "left out tickets that could not be read"
            );
        }
        Ok((items, wire::pagination(&data), skipped, rows as u64))
    }

    async fn load_page(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<Page<Ticket>> {
        let statuses: Vec<String> = match &query.status {
            StatusScope::Open => catalog
                .statuses
                .iter()
                .filter(|s| s.kind.is_open())
                .map(|s| s.id.to_string())
                .collect(),
            StatusScope::Only(ids) => ids.iter().map(ToString::to_string).collect(),
        };
        let mut filter =
            vec![json!({ "id": "status", "op": "IN", "column": "status", "operand": statuses })];
        if let Some(desk) = &query.desk {
            filter.push(
                json!({ "id": "team", "op": "EQ", "column": "team", "operand": desk.as_str() }),
            );
        }
        let resume = match cursor {
            None => Resume {
                offset: 0,
                seen: Vec::new(),
                pages: 0,
            },
            Some(Cursor(raw)) => serde_json::from_str(&raw)
                .map_err(|_| ProviderError::Internal("continuing a listing".into()))?,
        };
        let back = if resume.pages == 0 {
            0
        } else {
            OVERLAP.min(resume.offset)
        };
        let start = resume.offset - back;
        // Rows served, readable or not: an unreadable one still takes its place in the list.
        let (items, pagination, skipped, served) =
            self.tickets(filter, start, PAGE_SIZE + back, back).await?;
        let fresh: Vec<&TicketWire> = items
            .iter()
            .filter(|t| !resume.seen.contains(&t.id))
            .collect();
        let seen: Vec<String> = items.iter().map(|t| t.id.clone()).collect();
        let next_offset = start + served;
        let more = pagination.has_more
            && !fresh.is_empty()
            && next_offset > resume.offset
            && resume.pages + 1 < MAX_PAGES;
        let next = if more {
            let resume = Resume {
                offset: next_offset,
                seen,
                pages: resume.pages + 1,
            };
            Some(Cursor(serde_json::to_string(&resume).map_err(|_| {
                ProviderError::Internal("continuing a listing".into())
            })?))
        } else {
            if pagination.has_more {
                tracing::warn!("ticket/list: a page brought nothing new; listing ended");
            }
            None
        };
        // A row unreadable in the few re-read from the previous page was counted there.
        Ok(Page {
            unreadable: skipped as u64,
            items: fresh
                .into_iter()
                .filter_map(|w| map::ticket(w, &catalog))
                .collect(),
            next,
            total: pagination.total,
        })
    }

    async fn load_detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> ProviderResult<TicketDetail> {
        let Some(tid) = map::id(id.as_str()) else {
            return Err(ProviderError::NotFound(SafeText::ours(
                "not a Rezolve ticket id",
            )));
        };
        let filter = vec![json!({ "id": "id", "op": "EQ", "column": "id", "operand": tid })];
        let (items, _, _, _) = self.tickets(filter, 0, 1, 0).await?;
        let wire = items
            .into_iter()
            .find(|t| t.id == tid)
            .ok_or_else(|| ProviderError::NotFound(SafeText::line(&format!("ticket {tid}"))))?;
        map::detail(&wire, &catalog)
            .ok_or_else(|| decode_error("ticket/list", "the ticket has no usable id"))
    }

    async fn probe_now(&self) -> ProviderResult<Probe> {
        let url = self.client.url(
            &["user", "userinfo"],
            &[
                ("type", "agent".to_string()),
                ("module", "ticketing".to_string()),
            ],
        );
        let got = self
            .client
            .send(Method::GET, url, None, None, "user/userinfo")
            .await
            .map_err(|e| match e {
                ProviderError::NotFound(_) => ProviderError::Config(format!(
                    "no Rezolve tenant answers at {}; check base_url",
                    self.client.base()
                )),
                other => other,
            })?;
        let tenant = match got {
            Got::Data(data, _) => data
                .pointer("/tenant/name")
                .and_then(Value::as_str)
                .map(SafeText::line)
                .filter(|t| !t.is_empty()),
            Got::NotModified => None,
        };
        Ok(Probe::ready(
            ServerInfo {
                product: match tenant {
                    Some(name) => format!("Rezolve · {name}"),
                    None => "Rezolve".into(),
                },
                version: SafeText::default(),
                via: None,
            },
            CAPABILITIES,
        ))
    }
}

impl Provider for Rezolve {
    fn clock_skew(&self) -> Option<i64> {
        self.client.clock_skew()
    }

    /// `user/userinfo`: cheap, needs a valid JWT and tenant, and names the tenant.
    fn probe(&self) -> BoxFuture<'_, ProviderResult<Probe>> {
        Box::pin(self.probe_now())
    }

    /// Statuses, priorities, teams as help desks, the directory's people.
    fn catalog(&self) -> BoxFuture<'_, ProviderResult<Catalog>> {
        Box::pin(self.load_catalog(None))
    }

    /// As [`Provider::catalog`], each directory list revalidated with the `ETag` `previous`
    /// kept: a 304 costs no download and rebuilds that list from `previous`.
    fn revalidate_catalog(&self, previous: Arc<Catalog>) -> BoxFuture<'_, ProviderResult<Catalog>> {
        Box::pin(self.load_catalog(Some(previous)))
    }

    fn list(
        &self,
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<Page<Ticket>>> {
        Box::pin(self.load_page(query, cursor, catalog))
    }

    /// The ticket list filtered to one id: Rezolve documents no single-ticket read.
    fn detail(
        &self,
        id: TicketId,
        catalog: Arc<Catalog>,
    ) -> BoxFuture<'_, ProviderResult<TicketDetail>> {
        Box::pin(self.load_detail(id, catalog))
    }
}
