//! The approval book: per profile, which open requests hold approvals still waiting for votes,
//! as last read from the server, and the scan that keeps it current without asking about every
//! request on every refresh.
//!
//! InvGate has no "approvals waiting for me" call, only `incident.approval` per request. The
//! console already lists every open request with its `last_update` (that listing is what the
//! queues are made of), so a scan reads approvals only where they can have changed:
//! - requests never checked on this machine (the first scan reads them all, once);
//! - requests whose `last_update` moved since their approvals were read;
//! - requests that held a pending approval last time (votes by others and expiry may not move
//!   `last_update`; there are few of them), and those whose check failed.
//!
//! What was read is kept in the store per request (kind `approvals`), so the next start scans
//! only what changed while the console was closed. Requests go out [`CHUNK`] per call; the
//! provider reads them with bounded concurrency. A scan follows every complete listing (start,
//! `r`); in between, every [`RECHECK`] the requests with approvals waiting for the agent are read
//! again, so one decided by someone else leaves the list. Cost per profile is in
//! `docs/ARCHITECTURE.md`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId, StoreOp, Timer};
use super::writes::Agent;
use crate::domain::{
    Approval, ApprovalTemplate, ProfileId, TicketApprovals, TicketId, TicketKey, UserId,
};
use crate::provider::{Call, ProviderError, ProviderResult};

/// Requests per `Call::Approvals`.
pub const CHUNK: usize = 25;

/// How often the requests holding pending approvals are read again between listings.
pub const RECHECK: Duration = Duration::from_secs(300);

/// One request's approvals as last read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub ticket: TicketId,
    /// The request's `last_update` when its approvals were read.
    pub stamp: Option<DateTime<Utc>>,
    /// Approvals still waiting for votes.
    pub pending: Vec<Approval>,
    /// Why they could not be read, when they could not.
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// A request to read, with its `last_update` as the listing showed it.
type Stamped = (TicketId, Option<DateTime<Utc>>);

/// The scan under way.
#[derive(Debug, Clone, Default)]
struct Scan {
    queue: VecDeque<Stamped>,
    /// The call in flight and the requests it covers.
    in_flight: Option<(RequestId, Vec<Stamped>)>,
    done: usize,
    total: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ApprovalBook {
    checked: HashMap<TicketId, Checked>,
    scan: Option<Scan>,
    /// Another scan was asked for while one ran.
    again: bool,
    /// Why the last scan stopped short.
    pub error: Option<String>,
    /// When a scan last finished.
    pub scanned_at: Option<DateTime<Utc>>,
    /// Bumped whenever what the book holds changes.
    pub version: u64,
}

impl ApprovalBook {
    pub fn checked(&self) -> impl Iterator<Item = &Checked> {
        self.checked.values()
    }

    pub fn get(&self, ticket: &TicketId) -> Option<&Checked> {
        self.checked.get(ticket)
    }

    /// (requests read, requests to read) of the scan under way.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.scan.as_ref().map(|s| (s.done, s.total))
    }

    pub fn is_scanning(&self) -> bool {
        self.scan.is_some()
    }

    /// What the store kept; a request read this run keeps its fresher entry.
    pub fn restore(&mut self, saved: Vec<Checked>) {
        for c in saved {
            self.checked.entry(c.ticket.clone()).or_insert(c);
        }
        self.version += 1;
    }

    fn waits_for(&self, request: RequestId) -> bool {
        self.scan
            .as_ref()
            .and_then(|s| s.in_flight.as_ref())
            .is_some_and(|(id, _)| *id == request)
    }
}

/// An approval waiting for the agent's vote, with its profile.
#[derive(Debug, Clone, Copy)]
pub struct Waiting<'a> {
    pub profile: ProfileId,
    pub approval: &'a Approval,
}

/// The approvals waiting for the agent's vote on every profile, oldest first (those waiting
/// longest come first).
pub fn waiting(m: &Model) -> Vec<Waiting<'_>> {
    let mut out: Vec<Waiting<'_>> = m
        .sessions
        .iter()
        .flat_map(|s| {
            let me = match &s.agent {
                Agent::Known(person) => Some(person.id.clone()),
                _ => None,
            };
            // A vendor whose approvals are decided in its own tool (Iden): every one waiting
            // is shown, for the agent to know of and act on there.
            let elsewhere = s.capabilities.is_some_and(|c| c.approvals && !c.votes);
            s.approvals
                .checked()
                .flat_map(|c| &c.pending)
                .filter(move |a| {
                    (elsewhere && a.status == crate::domain::ApprovalStatus::Waiting)
                        || me.as_ref().is_some_and(|me| a.waits_for(me))
                })
                .map(move |approval| Waiting {
                    profile: s.id,
                    approval,
                })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.approval.created_at, a.profile, &a.approval.id).cmp(&(
            b.approval.created_at,
            b.profile,
            &b.approval.id,
        ))
    });
    out
}

/// The agent's user id on `profile`, when known.
pub fn me(m: &Model, profile: ProfileId) -> Option<&UserId> {
    match &m.session(profile)?.agent {
        Agent::Known(person) => Some(&person.id),
        _ => None,
    }
}

fn supported(m: &Model, p: ProfileId) -> bool {
    m.session(p)
        .is_some_and(|s| s.capabilities.is_none_or(|c| c.approvals) && s.catalog().is_some())
}

/// After a complete listing: reads the approvals of every request that may have changed.
pub fn scan(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    if !supported(m, p) {
        return Vec::new();
    }
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    if s.approvals.scan.is_some() {
        s.approvals.again = true;
        return Vec::new();
    }
    let listed: HashSet<&TicketId> = s.listing.ids().iter().collect();
    // Closed requests no longer take votes.
    let before = s.approvals.checked.len();
    s.approvals.checked.retain(|id, _| listed.contains(id));
    let forgot = before != s.approvals.checked.len();
    let mut first = Vec::new();
    let mut rest = Vec::new();
    for id in s.listing.ids() {
        let stamp = s.rows.get(id).and_then(|t| t.updated_at);
        match s.approvals.checked.get(id) {
            Some(c) if !c.pending.is_empty() || c.error.is_some() => {
                first.push((id.clone(), stamp));
            }
            Some(c) if c.stamp.is_some() && c.stamp == stamp => {}
            _ => rest.push((id.clone(), stamp)),
        }
    }
    first.extend(rest);
    let mut effects = Vec::new();
    if forgot {
        s.approvals.version += 1;
        effects.push(Effect::Store(StoreOp::KeepApprovals {
            profile: p,
            keep: Arc::new(s.approvals.checked.keys().cloned().collect()),
        }));
    }
    effects.extend(start(m, p, first));
    effects
}

/// Reads again the requests of `p` with approvals waiting for the agent (the timer), or one
/// request (after a write on it was delivered).
pub fn recheck(m: &mut Model, p: ProfileId, only: Option<&TicketId>) -> Vec<Effect> {
    if !supported(m, p) {
        return Vec::new();
    }
    let Some(s) = m.session(p) else {
        return Vec::new();
    };
    let stamp = |id: &TicketId| s.rows.get(id).and_then(|t| t.updated_at);
    let me = match &s.agent {
        Agent::Known(person) => Some(&person.id),
        _ => None,
    };
    let targets: Vec<Stamped> = match only {
        Some(id) => vec![(id.clone(), stamp(id))],
        // Only what waits for the agent: whether it still does is what the screen shows.
        None => s
            .approvals
            .checked
            .values()
            .filter(|c| me.is_some_and(|me| c.pending.iter().any(|a| a.waits_for(me))))
            .map(|c| (c.ticket.clone(), stamp(&c.ticket)))
            .collect(),
    };
    if s.approvals.scan.is_some() {
        // Joins the scan under way, at its front.
        if let Some(s) = m.session_mut(p)
            && let Some(scan) = s.approvals.scan.as_mut()
        {
            for t in targets.into_iter().rev() {
                scan.queue.push_front(t);
                scan.total += 1;
            }
        }
        return Vec::new();
    }
    start(m, p, targets)
}

fn start(
    m: &mut Model,
    p: ProfileId,
    queue: Vec<(TicketId, Option<DateTime<Utc>>)>,
) -> Vec<Effect> {
    if queue.is_empty() {
        return Vec::new();
    }
    if let Some(s) = m.session_mut(p) {
        s.approvals.scan = Some(Scan {
            total: queue.len(),
            queue: queue.into(),
            in_flight: None,
            done: 0,
        });
        s.approvals.version += 1;
    }
    next(m, p)
}

/// Sends the next chunk of the scan, or ends it.
fn next(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    let id = m.next_request_id();
    let now = m.now;
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    let Some(catalog) = s.catalog().cloned() else {
        s.approvals.scan = None;
        return Vec::new();
    };
    let Some(scan) = s.approvals.scan.as_mut() else {
        return Vec::new();
    };
    let take = scan.queue.len().min(CHUNK);
    let chunk: Vec<_> = scan.queue.drain(..take).collect();
    if chunk.is_empty() {
        s.approvals.scan = None;
        s.approvals.scanned_at = Some(now);
        s.approvals.version += 1;
        if std::mem::take(&mut s.approvals.again) {
            return self::scan(m, p);
        }
        return Vec::new();
    }
    let tickets = chunk.iter().map(|(t, _)| t.clone()).collect();
    scan.in_flight = Some((id, chunk));
    vec![Effect::Call {
        profile: p,
        id,
        call: Call::Approvals { tickets, catalog },
    }]
}

/// The answer to one chunk of the scan.
pub fn answered(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Vec<TicketApprovals>>,
) -> Vec<Effect> {
    let now = m.now;
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    if !s.approvals.waits_for(id) {
        return Vec::new();
    }
    let Some(scan) = s.approvals.scan.as_mut() else {
        return Vec::new();
    };
    let Some((_, chunk)) = scan.in_flight.take() else {
        return Vec::new();
    };
    let answers = match result {
        Ok(answers) => answers,
        Err(e) => return stopped(m, p, &e),
    };
    scan.done += chunk.len();
    let stamps: HashMap<TicketId, Option<DateTime<Utc>>> = chunk.into_iter().collect();
    let mut saved = Vec::new();
    for TicketApprovals { ticket, pending } in answers {
        // Only what was asked for; the stamp is the one seen when asking, so a request that
        // changed meanwhile is read again next time.
        let Some(stamp) = stamps.get(&ticket) else {
            continue;
        };
        let (pending, error) = match pending {
            Ok(list) => (list, None),
            Err(why) => {
                // A failed read keeps what was known, marked.
                let kept = s
                    .approvals
                    .checked
                    .get(&ticket)
                    .map(|c| c.pending.clone())
                    .unwrap_or_default();
                (kept, Some(why))
            }
        };
        let checked = Checked {
            ticket: ticket.clone(),
            stamp: *stamp,
            pending,
            error,
            at: now,
        };
        s.approvals.checked.insert(ticket, checked.clone());
        saved.push(checked);
    }
    s.approvals.error = None;
    s.approvals.version += 1;
    let mut effects = vec![Effect::Store(StoreOp::SaveApprovals {
        profile: p,
        checked: saved,
    })];
    effects.extend(next(m, p));
    effects
}

/// A chunk failed as a whole (the server is unreachable, limits calls, refuses the key): the
/// scan stops, what was read stays, and the next listing or re-check starts over.
fn stopped(m: &mut Model, p: ProfileId, e: &ProviderError) -> Vec<Effect> {
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    s.approvals.scan = None;
    s.approvals.again = false;
    s.approvals.error = Some(super::session::short(e));
    s.approvals.version += 1;
    super::load::failure(m, p, "could not check approvals", e)
}

/// `Timer::Approvals`: re-read what waits for the agent on every profile, and set the timer
/// again.
pub fn tick(m: &mut Model) -> Vec<Effect> {
    let ids: Vec<ProfileId> = m.sessions.iter().map(|s| s.id).collect();
    let mut effects: Vec<Effect> = ids.into_iter().flat_map(|p| recheck(m, p, None)).collect();
    effects.push(Effect::SetTimer {
        timer: Timer::Approvals,
        after: RECHECK,
    });
    effects
}

/// A write on `key` was delivered: its approvals may have changed (a vote, a new approval, a
/// cancelled request), so they are read again.
pub fn delivered(m: &mut Model, key: &TicketKey) -> Vec<Effect> {
    recheck(m, key.profile, Some(&key.id))
}

/// The approval templates of a request, asked for by the "start an approval" picker.
pub fn templates(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Vec<ApprovalTemplate>>,
) -> Vec<Effect> {
    match result {
        Ok(list) => super::approval_pane::templates_arrived(m, p, id, list),
        Err(e) => {
            if super::approval_pane::templates_awaited(m, id) {
                m.notify(
                    NoticeLevel::Warning,
                    format!(
                        "could not load the approval templates: {}",
                        super::session::short(&e)
                    ),
                );
            }
            Vec::new()
        }
    }
}
