//! Approvals on InvGate: the approvals of a request (`incident.approval?request_id=`, with
//! `only_pending=1` for the ones still waiting), each with all its voters
//! (`incident.approval.possible_voters?approval_id=`), the approval templates a request may be
//! sent through (`incident.custom_approval`), and the server's words for statuses, kinds and
//! votes, which the catalog carries.
//!
//! Reads fan out: one voter list per approval, one approval list per request of a batch. A
//! [`Gate`] keeps at most [`IN_FLIGHT`] calls running across the whole batch and stops sending
//! once the profile as a whole cannot be served (credentials refused, rate limited, server
//! unreachable), so a batch of a thousand requests does not become a thousand refusals.
//!
//! The mapping to the domain, one for the Detail pane and the pending check alike, is in
//! `approval_map`.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Mutex, PoisonError};

use futures_util::stream::{self, StreamExt};
use serde_json::Value;
use tokio::sync::Semaphore;

use super::approval_map::approval;
use super::approval_wire::{self, ApprovalWire, TemplateWire, VoterWire};
use super::client::{Client, Query};
use super::queues::IN_FLIGHT;
use crate::domain::{ApprovalTemplate, ApprovalWords, Catalog, TicketApprovals, TicketId};
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

/// An approval as read, with its voters or why they could not be read.
#[derive(Debug)]
pub struct ApprovalRead {
    pub wire: ApprovalWire,
    pub voters: Result<Vec<VoterWire>, ProviderError>,
}

/// A failure that says the profile cannot be served right now, whatever is asked: every other
/// call of the batch would fail the same way.
pub fn profile_wide(e: &ProviderError) -> bool {
    matches!(
        e,
        ProviderError::Unauthorized
            | ProviderError::Forbidden(_)
            | ProviderError::RateLimited { .. }
            | ProviderError::Unavailable { .. }
            | ProviderError::Connect(_)
    )
}

/// The calls of one batch: at most [`IN_FLIGHT`] at once, and none once a profile-wide failure
/// was seen (each later call fails with that failure, unsent). HttpSettings are not profile-wide
/// on their own (one request may be slow), but [`IN_FLIGHT`] of them in a row with no answer in
/// between say the server is not answering: the batch stops then too, instead of waiting out
/// every timeout of a long batch.
#[derive(Debug)]
pub struct Gate {
    permits: Semaphore,
    state: Mutex<GateState>,
}

#[derive(Debug, Default)]
struct GateState {
    stopped: Option<ProviderError>,
    timeouts_in_a_row: usize,
}

impl Gate {
    pub fn new() -> Gate {
        Gate {
            permits: Semaphore::new(IN_FLIGHT),
            state: Mutex::default(),
        }
    }

    /// Why the batch stopped, if it did.
    pub fn stopped(&self) -> Option<ProviderError> {
        self.lock().stopped.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `call` when a permit is free, unless the batch has stopped.
    pub async fn call<T>(
        &self,
        call: impl Future<Output = ProviderResult<T>>,
    ) -> ProviderResult<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ProviderError::Internal("waiting for a free connection".into()))?;
        if let Some(e) = self.stopped() {
            return Err(e);
        }
        let result = call.await;
        let mut state = self.lock();
        match &result {
            Err(e) if profile_wide(e) => {
                state.stopped.get_or_insert_with(|| e.clone());
            }
            Err(e @ ProviderError::Timeout { .. }) => {
                state.timeouts_in_a_row += 1;
                if state.timeouts_in_a_row >= IN_FLIGHT {
                    state.stopped.get_or_insert_with(|| e.clone());
                }
            }
            _ => state.timeouts_in_a_row = 0,
        }
        result
    }
}

/// The approvals of request `ticket`; only those still waiting for votes with `only_pending`.
/// Approvals without an id (nothing could be done with them) are skipped.
pub async fn list(
    c: &Client,
    ticket: &str,
    only_pending: bool,
) -> ProviderResult<Vec<ApprovalWire>> {
    const ENDPOINT: &str = "incident.approval";
    let mut query = Query::new().param("request_id", ticket);
    if only_pending {
        query = query.flag("only_pending", true);
    }
    let reply: Value = c.get(ENDPOINT, query).await?;
    let list = approval_wire::elements::<ApprovalWire>(ENDPOINT, reply)?
        .into_iter()
        .enumerate()
        .filter_map(|(position, (key, mut wire))| {
            if wire.id.is_empty() {
                wire.id = key.unwrap_or_default();
            }
            if wire.id.is_empty() {
                tracing::warn!(endpoint = ENDPOINT, position, "skipped an approval: no id");
                return None;
            }
            Some(wire)
        })
        .collect();
    Ok(list)
}

/// Everyone asked to vote on `approval`, whatever their vote. Voters without a user id are
/// skipped, and a voter listed twice counts once.
pub async fn voters(c: &Client, approval: &str) -> ProviderResult<Vec<VoterWire>> {
    const ENDPOINT: &str = "incident.approval.possible_voters";
    let reply: Value = c
        .get(ENDPOINT, Query::new().param("approval_id", approval))
        .await?;
    let mut seen = HashSet::new();
    let list = approval_wire::elements::<VoterWire>(ENDPOINT, reply)?
        .into_iter()
        .enumerate()
        .filter_map(|(position, (_, voter))| match voter.user() {
            Some(user) => seen.insert(user.to_string()).then_some(voter),
            None => {
                tracing::warn!(endpoint = ENDPOINT, position, "skipped a voter: no user id");
                None
            }
        })
        .collect();
    Ok(list)
}

/// Each approval with its voters, read through `gate`; the approvals keep their order.
pub async fn with_voters(c: &Client, gate: &Gate, wires: Vec<ApprovalWire>) -> Vec<ApprovalRead> {
    stream::iter(wires)
        .map(|wire| async move {
            let voters = gate.call(voters(c, &wire.id)).await;
            ApprovalRead { wire, voters }
        })
        .buffered(IN_FLIGHT)
        .collect()
        .await
}

/// The approvals still waiting for votes on each of `tickets`, each with its voters, in the
/// order asked (a ticket asked twice is read once). A request that cannot be read costs only
/// its own entry; the call fails only when no request could be read and the reason is
/// profile-wide (see [`Gate`]), so the caller backs off instead of showing a page of errors.
pub async fn pending(
    c: &Client,
    tickets: Vec<TicketId>,
    catalog: &Catalog,
) -> ProviderResult<Vec<TicketApprovals>> {
    let mut seen = HashSet::new();
    let tickets: Vec<TicketId> = tickets
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect();
    let gate = Gate::new();
    let gate = &gate;
    let reads: Vec<(TicketId, ProviderResult<Vec<ApprovalRead>>)> = stream::iter(tickets)
        .map(|ticket| async move {
            let read = match gate.call(list(c, ticket.as_str(), true)).await {
                Ok(wires) => Ok(with_voters(c, gate, wires).await),
                Err(e) => Err(e),
            };
            (ticket, read)
        })
        // In order, so the answer lists the requests as they were asked.
        .buffered(IN_FLIGHT)
        .collect()
        .await;
    if !reads.is_empty()
        && reads.iter().all(|(_, r)| r.is_err())
        && let Some(e) = gate.stopped()
    {
        return Err(e);
    }
    Ok(reads
        .into_iter()
        .map(|(ticket, read)| TicketApprovals {
            pending: read
                .map(|reads| {
                    reads
                        .iter()
                        .map(|r| approval(r, &ticket, catalog))
                        .collect()
                })
                .map_err(|e| unreadable(&e)),
            ticket,
        })
        .collect())
}

/// Why one request's approvals are missing from a check, as the agent reads it next to it.
pub fn unreadable(e: &ProviderError) -> String {
    format!("approvals could not be read: {e}")
}

/// The templates request `ticket` may be sent through, by title.
pub async fn templates(c: &Client, ticket: &str) -> ProviderResult<Vec<ApprovalTemplate>> {
    const ENDPOINT: &str = "incident.custom_approval";
    let reply: Value = c
        .get(ENDPOINT, Query::new().param("request_id", ticket))
        .await?;
    let mut list: Vec<ApprovalTemplate> = approval_wire::elements::<TemplateWire>(ENDPOINT, reply)?
        .into_iter()
        .filter_map(|(key, wire)| {
            let template = template(key, &wire);
            if template.is_none() {
                tracing::warn!(endpoint = ENDPOINT, "skipped a template: no id");
            }
            template
        })
        .collect();
    list.sort_by_cached_key(|t| {
        (
            t.title.as_str().to_lowercase(),
            t.id.parse::<u64>().ok(),
            t.id.clone(),
        )
    });
    Ok(list)
}

fn template(key: Option<String>, w: &TemplateWire) -> Option<ApprovalTemplate> {
    let id = w.id.clone().or(key).filter(|id| !id.is_empty())?;
    let title = match w.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => SafeText::line(title),
        _ => SafeText::line(&format!("Approval {id}")),
    };
    Some(ApprovalTemplate {
        title,
        description: SafeText::block(w.description.as_deref().unwrap_or("").trim()),
        description_required: w.description_required,
        prompt: w
            .description_prompt
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(SafeText::line),
        id,
    })
}

/// The server's words for approval statuses, kinds and votes. Never fails: a vocabulary that
/// cannot be read (an older instance, a missing scope) stays empty and the console's own words
/// are shown instead.
pub async fn words(c: &Client) -> ApprovalWords {
    let (statuses, kinds, votes) = tokio::join!(
        vocabulary(c, "incident.approval.status"),
        vocabulary(c, "incident.approval.type"),
        vocabulary(c, "incident.approval.vote_status"),
    );
    ApprovalWords {
        statuses,
        kinds,
        votes,
    }
}

async fn vocabulary(c: &Client, endpoint: &str) -> HashMap<String, SafeText> {
    match c.get::<Value>(endpoint, Query::new()).await {
        Ok(reply) => approval_wire::words(endpoint, &reply)
            .into_iter()
            .map(|(id, text)| (id, SafeText::line(&text)))
            .collect(),
        Err(e) => {
            tracing::warn!(endpoint, error = %e, "approval words unavailable; using ttydesk's");
            HashMap::new()
        }
    }
}
