//! Loading, per profile: what start-up and a refresh ask for, and what each answer changes. Every
//! call goes out as one `Effect::Call` and comes back as one `Msg::Answer`; an answer for a call
//! the profile no longer waits for is dropped. Fresh data is also handed to the store, so the
//! next start opens at once.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use super::listing::Progress;
use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId, StoreOp, Timer};
use super::session::{Connection, short};
use crate::domain::{CountScope, ProfileId, QueueQuery, TicketKey};
use crate::provider::{Answer, Call, ProviderError};

/// A rate limit without a `Retry-After` pauses the profile this long.
const DEFAULT_PAUSE: Duration = Duration::from_secs(30);

/// The shortest pause after a rate limit (a `Retry-After: 0` must not loop), and the longest
/// the backoff grows to when the limits keep coming.
const MIN_PAUSE: Duration = Duration::from_secs(5);
const MAX_PAUSE: Duration = Duration::from_secs(600);

/// A refresh reloads the catalog (desks, statuses, people) when it is older than this.
const CATALOG_MAX_AGE: chrono::Duration = chrono::Duration::hours(1);

/// Ages on screen are redrawn this often while nothing else happens.
pub const CLOCK: Duration = Duration::from_secs(60);

/// The first step: for every profile, what the store kept and the probe. The catalog is asked
/// for once the store has answered ([`after_restore`]), so a saved catalog's validators can
/// spare downloading it again.
pub fn start(m: &mut Model) -> Vec<Effect> {
    let mut effects = vec![
        Effect::SetTimer {
            timer: Timer::Clock,
            after: CLOCK,
        },
        Effect::SetTimer {
            timer: Timer::Approvals,
            after: super::approvals::RECHECK,
        },
        Effect::SetTimer {
            timer: Timer::News,
            after: super::news::interval(m.settings.news_interval),
        },
    ];
    if let Some(p) = m.settings.start_profile {
        m.queues.selected = super::queues::QueueKey::Profile(p);
    }
    let ids: Vec<ProfileId> = m.sessions.iter().map(|s| s.id).collect();
    for p in ids {
        effects.push(Effect::Store(StoreOp::Load { profile: p }));
        effects.extend(probe(m, p));
    }
    effects
}

/// What the store kept of `p` is in: the catalog is asked for now (revalidating the saved one,
/// if any), unless this run already has or is getting one.
pub fn after_restore(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    let asked = m
        .session(p)
        .is_none_or(|s| s.catalog_loaded_at.is_some() || s.catalog.is_loading());
    if asked {
        return Vec::new();
    }
    load_catalog(m, p).into_iter().collect()
}

fn call(m: &mut Model, profile: ProfileId, call: Call) -> (RequestId, Effect) {
    let id = m.next_request_id();
    (id, Effect::Call { profile, id, call })
}

fn probe(m: &mut Model, p: ProfileId) -> Option<Effect> {
    let (id, effect) = call(m, p, Call::Probe);
    m.session_mut(p)?.probe = Some(id);
    Some(effect)
}

fn load_catalog(m: &mut Model, p: ProfileId) -> Option<Effect> {
    let previous = m.session(p).and_then(|s| s.catalog()).cloned();
    let (id, effect) = call(m, p, Call::Catalog { previous });
    m.session_mut(p)?.catalog.start(id);
    Some(effect)
}

/// Counts (where the vendor has them) and the listing, once the catalog is there.
fn load_queues(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    let Some(catalog) = m.session(p).and_then(|s| s.catalog()).cloned() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    let counting = m.session(p).and_then(|s| s.capabilities).map(|c| c.counts);
    match counting {
        Some(true) => effects.extend(load_counts(m, p)),
        Some(false) => {}
        // The probe has not said yet: count when it does.
        None => {
            if let Some(s) = m.session_mut(p) {
                s.counts_wanted = true;
            }
        }
    }
    let (id, effect) = call(
        m,
        p,
        Call::List {
            query: QueueQuery::open(),
            cursor: None,
            catalog,
        },
    );
    if let Some(s) = m.session_mut(p) {
        s.listing.start(id);
    }
    effects.push(effect);
    effects.extend(super::news::load(m, p));
    effects
}

fn load_counts(m: &mut Model, p: ProfileId) -> Option<Effect> {
    let catalog = m.session(p)?.catalog()?.clone();
    let (id, effect) = call(
        m,
        p,
        Call::Counts {
            scope: CountScope::Open,
            catalog,
        },
    );
    let s = m.session_mut(p)?;
    s.counts_wanted = false;
    s.counts.start(id);
    Some(effect)
}

/// Shows request `key` in the Detail pane, leaving whatever overlay was open.
pub fn show_request(m: &mut Model, key: TicketKey) -> Vec<Effect> {
    m.mode = super::mode::Mode::Normal;
    m.detail.open(key.clone());
    m.focus = super::model::Focus::Detail;
    open_detail(m, &key)
}

/// Opens a request's detail: what the store kept shows at once, the server's answer replaces it.
/// Without the profile's catalog the call waits for it (see the catalog's answer).
pub fn open_detail(m: &mut Model, key: &TicketKey) -> Vec<Effect> {
    let mut effects = Vec::new();
    let known = m
        .session(key.profile)
        .is_some_and(|s| s.details.get(&key.id).is_some_and(|d| d.data().is_some()));
    if !known {
        effects.push(Effect::Store(StoreOp::LoadDetail {
            profile: key.profile,
            id: key.id.clone(),
        }));
    }
    if m.detail.draft.as_ref().is_none_or(|(k, _)| k != key) {
        m.detail.draft = None;
        effects.push(Effect::Store(StoreOp::LoadDraft { key: key.clone() }));
    }
    effects.extend(load_detail(m, key));
    effects
}

/// Loads `key`'s detail from the server again (after a write was delivered).
pub fn reload_detail(m: &mut Model, key: &TicketKey) -> Vec<Effect> {
    load_detail(m, key).into_iter().collect()
}

fn load_detail(m: &mut Model, key: &TicketKey) -> Option<Effect> {
    let catalog = m.session(key.profile)?.catalog()?.clone();
    let (id, effect) = call(
        m,
        key.profile,
        Call::Detail {
            id: key.id.clone(),
            catalog,
        },
    );
    m.session_mut(key.profile)?
        .details
        .entry(key.id.clone())
        .or_default()
        .start(id);
    Some(effect)
}

/// Reloads every profile and the open request.
pub fn refresh_all(m: &mut Model) -> Vec<Effect> {
    let ids: Vec<ProfileId> = m.sessions.iter().map(|s| s.id).collect();
    let mut effects: Vec<Effect> = ids.into_iter().flat_map(|p| refresh(m, p)).collect();
    if let Some(key) = m.detail.open.clone()
        && m.session(key.profile)
            .is_some_and(|s| s.rate_limited_until.is_none())
    {
        effects.extend(load_detail(m, &key));
    }
    effects
}

/// Reloads one profile: what failed or is missing, else its queues. A profile the server asked
/// to wait is left alone until the wait is over (then it reloads by itself).
pub fn refresh(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    let Some(s) = m.session(p) else {
        return Vec::new();
    };
    if let Some(until) = s.rate_limited_until {
        let secs = (until - m.now).num_seconds().max(1);
        let name = s.label.name.clone();
        m.notify(
            NoticeLevel::Warning,
            format!("{name}: rate limited by the server; reloading by itself in {secs} s"),
        );
        return Vec::new();
    }
    let mut effects = Vec::new();
    if !s.is_online() && s.probe.is_none() {
        effects.extend(probe(m, p));
    }
    let Some(s) = m.session(p) else {
        return effects;
    };
    // The catalog is reloaded when it is not this run's (saved, failed, missing) or is old;
    // the queues follow its answer. Otherwise the queues reload on the catalog there is,
    // unless their listing is still being read (restarting it would lose its pages).
    let stale_catalog = s
        .catalog_loaded_at
        .is_none_or(|at| m.now - at > CATALOG_MAX_AGE);
    if stale_catalog {
        if !s.catalog.is_loading() {
            effects.extend(load_catalog(m, p));
        }
    } else if !s.listing.is_loading() {
        effects.extend(load_queues(m, p));
    }
    effects
}

/// Applies one answer for profile `p`.
pub fn answer(m: &mut Model, p: ProfileId, id: RequestId, answer: Answer) -> Vec<Effect> {
    let ok = answer.is_ok();
    let kind = answer.kind();
    let mut effects = match answer {
        Answer::Probe(result) => probed(m, p, id, result),
        Answer::Catalog(result) => {
            let now = m.now;
            let Some(s) = m.session_mut(p) else {
                return Vec::new();
            };
            let failed = result.as_ref().err().cloned();
            let saved = result.as_ref().ok().cloned();
            if !s.catalog.finish(id, result, now) {
                return Vec::new();
            }
            match (failed, saved) {
                (Some(e), _) => failure(m, p, "could not load the help desks and statuses", &e),
                (None, Some(catalog)) => {
                    s.catalog_loaded_at = Some(now);
                    let mut effects = vec![Effect::Store(StoreOp::SaveCatalog {
                        profile: p,
                        catalog,
                    })];
                    effects.extend(load_queues(m, p));
                    // A request opened before the catalog was there waited for it.
                    if let Some(key) = m.detail.open.clone().filter(|k| k.profile == p)
                        && m.session(p)
                            .and_then(|s| s.details.get(&key.id))
                            .is_none_or(|d| d.data().is_none() && !d.is_loading())
                    {
                        effects.extend(load_detail(m, &key));
                    }
                    effects
                }
                (None, None) => Vec::new(),
            }
        }
        Answer::Counts(result) => {
            let now = m.now;
            let Some(s) = m.session_mut(p) else {
                return Vec::new();
            };
            let failed = result.as_ref().err().cloned();
            let saved = result.as_ref().ok().cloned();
            if !s.counts.finish(id, result, now) {
                return Vec::new();
            }
            s.counts_saved = false;
            s.recount();
            match (failed, saved) {
                (Some(e), _) => failure(m, p, "could not count the queues", &e),
                (None, Some(counts)) => {
                    vec![Effect::Store(StoreOp::SaveCounts { profile: p, counts })]
                }
                (None, None) => Vec::new(),
            }
        }
        Answer::Page(result) => paged(m, p, id, result),
        Answer::Approvals(result) => super::approvals::answered(m, p, id, result),
        Answer::ApprovalTemplates(result) => super::approvals::templates(m, p, id, result),
        Answer::News(result) => super::news::answered(m, p, id, result),
        Answer::NewsDetail(result) => super::news::detail_answered(m, p, id, result),
        Answer::NewsTimeline(result) => super::news::timeline_answered(m, p, id, result),
        Answer::Kb(answer) => super::kb::answered(m, p, id, answer),
        Answer::Detail(result) => {
            let now = m.now;
            let Some(s) = m.session_mut(p) else {
                return Vec::new();
            };
            let Some((ticket, remote)) = s.details.iter_mut().find(|(_, r)| r.waits_for(id)) else {
                return Vec::new();
            };
            let ticket = ticket.clone();
            let failed = result.as_ref().err().cloned();
            let detail = result.as_ref().ok().cloned();
            remote.finish(id, result, now);
            let fresh = detail.as_ref().map(|d| d.ticket.clone());
            let key = TicketKey {
                profile: p,
                id: ticket.clone(),
            };
            let mut guarded = super::writes::checked(m, &key, fresh.as_ref());
            let Some(s) = m.session_mut(p) else {
                return guarded;
            };
            guarded.extend(match (failed, detail) {
                (Some(e), _) => failure(m, p, "could not load the request", &e),
                (None, Some(detail)) => {
                    // The detail carries the newest copy of the row: the list shows it too.
                    let row = s.rows.insert(detail.ticket.clone());
                    debug_assert_eq!(row.ticket.id, ticket);
                    vec![
                        Effect::Store(StoreOp::SaveDetail { profile: p, detail }),
                        Effect::Store(StoreOp::SaveRows {
                            profile: p,
                            rows: vec![row],
                        }),
                    ]
                }
                (None, None) => Vec::new(),
            });
            guarded
        }
        Answer::Agent(result) => super::writes::agent_answer(m, p, id, result),
        // Writes are sent by the outbox worker, which gets its answers itself.
        Answer::Written(_) | Answer::Reconciled(_) => Vec::new(),
    };
    if ok && let Some(s) = m.session_mut(p) {
        s.rate_limits = 0;
    }
    if ok {
        m.fault_cleared(p, kind);
    } else {
        m.fault_of(p, kind);
    }
    // A server that answers again after a failure: check it properly so the screen stops
    // saying "offline" (the probe also refreshes the version shown).
    if ok
        && let Some(s) = m.session(p)
        && matches!(s.connection, Connection::Offline(_))
        && s.probe.is_none()
    {
        effects.extend(probe(m, p));
    }
    effects
}

fn probed(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: Result<crate::domain::Probe, ProviderError>,
) -> Vec<Effect> {
    let Some(s) = m.session_mut(p).filter(|s| s.probe == Some(id)) else {
        return Vec::new();
    };
    s.probe = None;
    let choice = s
        .choosing
        .take()
        .and_then(|(request, account)| (request == id).then_some(account));
    match result {
        Ok(probe) => {
            s.connection = Connection::Online(probe.server);
            s.capabilities = Some(probe.capabilities);
            if let Some(choices) = probe.accounts {
                s.accounts = Some(choices);
                if probe.account.is_none() {
                    return super::accounts::offer(m, p);
                }
            }
            // The configured account, unless this run chose one: when the data held is of
            // another account (the agent moved to it last time), it is treated as a choice.
            let configured = probe.account.filter(|_| choice.is_none());
            let moved = configured
                .as_ref()
                .filter(|a| s.data_account.as_ref().is_some_and(|d| d != *a))
                .cloned();
            if configured.is_some() {
                s.account = configured;
            }
            let mut effects = vec![Effect::Store(StoreOp::SaveCapabilities {
                profile: p,
                capabilities: probe.capabilities,
            })];
            if let Some(account) = choice.or(moved) {
                effects.extend(super::accounts::chosen(m, p, account));
                return effects;
            }
            let Some(s) = m.session_mut(p) else {
                return effects;
            };
            if s.counts_wanted {
                s.counts_wanted = false;
                if probe.capabilities.counts {
                    effects.extend(load_counts(m, p));
                }
            }
            effects.extend(super::writes::look_up_agent(m, p));
            effects
        }
        // The account chosen could not be opened: the profile stays as it was.
        Err(e) if choice.is_some() => failure(m, p, "could not open that account", &e),
        Err(e) => {
            s.connection = Connection::Offline(short(&e));
            failure(m, p, "connection check failed", &e)
        }
    }
}

fn paged(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: Result<crate::domain::Page<crate::domain::Ticket>, ProviderError>,
) -> Vec<Effect> {
    let next_id = m.next_request_id();
    let now = m.now;
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    if !s.listing.waits_for(id) {
        return Vec::new();
    }
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            s.listing.fail(id, e.clone());
            s.recount();
            return failure(m, p, "could not load requests", &e);
        }
    };
    let ids: Vec<_> = page.items.iter().map(|t| t.id.clone()).collect();
    let rows: Vec<_> = page.items.into_iter().map(|t| s.rows.insert(t)).collect();
    s.listing.unreadable_in(id, page.unreadable);
    let progress = s
        .listing
        .page(id, ids, page.next.is_some(), page.total, next_id);
    let mut effects = vec![Effect::Store(StoreOp::SaveRows { profile: p, rows })];
    match progress {
        Progress::Stale => {}
        Progress::More => {
            if let Some(catalog) = s.catalog().cloned() {
                effects.push(Effect::Call {
                    profile: p,
                    id: next_id,
                    call: Call::List {
                        query: QueueQuery::open(),
                        cursor: page.next,
                        catalog,
                    },
                });
            }
        }
        Progress::Done => {
            s.last_refresh = Some(now);
            // Rows of requests no longer listed (closed, moved away) are let go, except the one
            // open in the Detail pane.
            let listed: HashSet<_> = s.listing.ids().iter().cloned().collect();
            let open = m.detail.open.clone();
            let Some(s) = m.session_mut(p) else {
                return effects;
            };
            s.rows.retain(|id| {
                listed.contains(id) || open.as_ref().is_some_and(|k| k.profile == p && k.id == *id)
            });
            effects.push(Effect::Store(StoreOp::SaveListing {
                profile: p,
                ids: Arc::from(s.listing.ids()),
                total: s.listing.total(),
            }));
            effects.extend(super::approvals::scan(m, p));
        }
    }
    if let Some(s) = m.session_mut(p) {
        s.recount();
    }
    effects
}

/// Tells the agent what failed, marks the profile offline when it cannot be reached, and
/// pauses it when the server asked to wait.
pub(super) fn failure(m: &mut Model, p: ProfileId, what: &str, e: &ProviderError) -> Vec<Effect> {
    // Nothing is wrong: the account picker is waiting for the agent.
    if *e == ProviderError::NoAccount {
        return Vec::new();
    }
    let several = m.sessions.len() > 1;
    let now = m.now;
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    s.note_failure(e);
    let mut effects = Vec::new();
    if let ProviderError::RateLimited { retry_after } | ProviderError::Unavailable { retry_after } =
        e
    {
        // What the server asked for, but never less than a few seconds, doubling while the
        // limits keep coming.
        s.rate_limits = s.rate_limits.saturating_add(1);
        let asked = retry_after.unwrap_or(DEFAULT_PAUSE).max(MIN_PAUSE);
        let pause = asked
            .saturating_mul(1 << (s.rate_limits - 1).min(6))
            .min(MAX_PAUSE.max(asked));
        s.rate_limited_until =
            Some(now + chrono::Duration::from_std(pause).unwrap_or(chrono::Duration::seconds(30)));
        effects.push(Effect::SetTimer {
            timer: Timer::RateLimit(p),
            after: pause,
        });
    }
    let prefix = if several {
        format!("{}: ", s.label.name)
    } else {
        String::new()
    };
    // Unreachable with data from an earlier run on screen: what the agent needs to know is
    // that what they see is saved and cannot be changed, more than which call failed.
    if matches!(s.connection, Connection::Offline(_)) && s.shows_saved_data() {
        let text = format!("{prefix}offline ({e}); showing what was saved, read-only");
        m.notify_fault(p, NoticeLevel::Warning, text);
    } else {
        m.notify_fault(p, NoticeLevel::Error, format!("{prefix}{what}: {e}"));
    }
    effects
}

/// A profile's rate-limit pause is over: it reloads.
pub fn pause_over(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    if let Some(s) = m.session_mut(p) {
        s.rate_limited_until = None;
    }
    refresh(m, p)
}
