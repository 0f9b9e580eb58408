//! The outbox worker: the one part of the console that sends writes. `update` only ever adds a
//! write to the outbox (committed to the store before anything else happens); this task takes
//! entries from the store with a lease, reconciles those that may already have reached the
//! server, sends the rest, and records how each attempt ended. It reports to the model with
//! [`OutboxEvent`]s and never touches it.
//!
//! What keeps a write from being lost or doubled is in `store/outbox.rs`; what this adds:
//! - An entry that may have arrived (an attempt was begun and its end is unknown: timeout, reset,
//!   5xx, a sender killed mid-send) is **reconciled** first: the provider re-reads the request
//!   and looks for the write. Found: done, never resent. Not found: sent again. The check itself
//!   failing: tried again later, never resent blind.
//! - A refusal (HTTP 4xx, `status:"ERROR"`) fails the entry with the server's reason; its text
//!   stays in the outbox until the agent retries or discards it.
//! - Not sent (a 429): tried again after the server's wait.
//! - It polls every [`POLL`], so entries another ttydesk process added or abandoned are picked
//!   up, and backoffs end on time.
//!
//! Entries are sent one at a time per process, oldest first; writes about one request keep
//! their order.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use super::msg::Msg;
use super::persist::Partition;
use crate::domain::{Catalog, ProfileId, Reconciled, Subject, UserId, Write};
use crate::provider::{Provider, ProviderError};
use crate::store::{Db, Entry, EntryState, Settle, Store, StoreError};

/// How often the outbox is looked at without being asked.
pub const POLL: Duration = Duration::from_secs(2);

/// How long a sender holds an entry: longer than a reconciliation and a send together (each is
/// bounded by the HTTP client's whole-call timeout, 60 s by default).
pub const LEASE: Duration = Duration::from_secs(150);

/// Longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// How an entry waiting for the account it was made in says so (and is found again).
const OTHER_ACCOUNT: &str = "made in another account";

/// How often such an entry is looked at again, besides being woken when its account returns.
const ACCOUNT_WAIT_MS: i64 = 60_000;

/// What an outbox entry holds: the write, who makes it, and what the agent saw when they made
/// it. Never a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub write: Write,
    /// The agent's user id on the server.
    pub author: UserId,
    /// The request or news item as the agent knows it ("#1207 Printer jams"), for the outbox
    /// panel.
    pub title: String,
    /// The account it was made in, for a profile whose token reaches several (Truto): it is
    /// sent only while that account is the one in use, never to another account's request of
    /// the same number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// An outbox entry as the model shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: String,
    pub subject: Subject,
    /// `None` when the entry was saved by another ttydesk version and cannot be read.
    pub queued: Option<Queued>,
    pub state: EntryState,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    /// A sender (this process or another) is working on it now.
    pub in_flight: bool,
    pub last_error: Option<String>,
}

impl OutboxItem {
    pub fn failed(&self) -> bool {
        self.state == EntryState::Failed
    }

    /// What it is, in a few words.
    pub fn describe(&self) -> String {
        self.queued
            .as_ref()
            .map_or_else(|| "unreadable write".into(), |q| q.write.describe())
    }
}

/// What `update` asks of the outbox.
#[derive(Debug, Clone)]
pub enum OutboxOp {
    /// The profile's catalog is known: its entries may be sent (reconciliation needs the
    /// statuses). Sent again when the catalog changes. `account`: the account that catalog is
    /// of, when the profile works in one of several.
    Ready {
        profile: ProfileId,
        catalog: Arc<Catalog>,
        account: Option<String>,
    },
    /// Commit this write; answered with `Queued` or `NotQueued`.
    Add {
        profile: ProfileId,
        id: String,
        queued: Queued,
    },
    Retry {
        profile: ProfileId,
        id: String,
    },
    Discard {
        profile: ProfileId,
        id: String,
    },
}

/// What the outbox tells the model.
#[derive(Debug, Clone)]
pub enum OutboxEvent {
    /// The profile's entries now.
    Listed {
        profile: ProfileId,
        items: Vec<OutboxItem>,
    },
    /// The write is committed to the outbox.
    Queued { profile: ProfileId, id: String },
    /// The write could not be committed; nothing was sent.
    NotQueued {
        profile: ProfileId,
        id: String,
        reason: String,
    },
    /// The server has it.
    Delivered {
        profile: ProfileId,
        subject: Subject,
        what: String,
    },
    /// The server refused it; it stays in the outbox with the reason.
    Refused {
        profile: ProfileId,
        subject: Subject,
        what: String,
        reason: String,
    },
    /// A discard was refused because the write is being sent right now.
    Busy { profile: ProfileId },
}

/// The handle `update`'s outbox effects go to.
pub struct OutboxWorker {
    ops: mpsc::UnboundedSender<OutboxOp>,
}

impl OutboxWorker {
    /// Starts the worker for these profiles (in profile order).
    pub fn start(
        store: Store,
        partitions: Vec<Partition>,
        providers: Vec<Arc<dyn Provider>>,
        tx: mpsc::UnboundedSender<Msg>,
    ) -> OutboxWorker {
        let (ops, queue) = mpsc::unbounded_channel();
        let worker = Worker {
            store,
            partitions,
            providers,
            tx,
            owner: owner_id(),
            ready: HashMap::new(),
            published: HashMap::new(),
        };
        tokio::spawn(worker.run(queue));
        OutboxWorker { ops }
    }

    pub fn send(&self, op: OutboxOp) {
        let _ = self.ops.send(op);
    }
}

/// This process's name on the leases it takes: unique per process start, not a PID file.
fn owner_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}-{nanos:x}", std::process::id())
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

struct Worker {
    store: Store,
    partitions: Vec<Partition>,
    providers: Vec<Arc<dyn Provider>>,
    tx: mpsc::UnboundedSender<Msg>,
    owner: String,
    /// Per profile, the catalog its entries go out with and the account it is of.
    ready: HashMap<ProfileId, (Arc<Catalog>, Option<String>)>,
    /// What was last reported per profile: an unchanged list is not sent again, so an idle
    /// console is not woken (and redrawn) by every poll.
    published: HashMap<ProfileId, Vec<OutboxItem>>,
}

impl Worker {
    async fn run(mut self, mut queue: mpsc::UnboundedReceiver<OutboxOp>) {
        for at in 0..self.partitions.len() {
            self.publish(profile_at(at)).await;
        }
        loop {
            while let Ok(op) = queue.try_recv() {
                self.handle(op).await;
            }
            let mut worked = false;
            for at in 0..self.partitions.len() {
                let profile = profile_at(at);
                if self.ready.contains_key(&profile) && self.work_one(profile).await {
                    worked = true;
                }
            }
            if worked {
                continue;
            }
            tokio::select! {
                op = queue.recv() => match op {
                    Some(op) => self.handle(op).await,
                    // The console is gone.
                    None => return,
                },
                () = tokio::time::sleep(POLL) => {
                    for at in 0..self.partitions.len() {
                        self.publish(profile_at(at)).await;
                    }
                }
            }
        }
    }

    async fn handle(&mut self, op: OutboxOp) {
        match op {
            OutboxOp::Ready {
                profile,
                catalog,
                account,
            } => {
                let changed = self.ready.get(&profile).map(|(_, a)| a) != Some(&account);
                if changed && let Some(account) = account.clone() {
                    self.wake_account(profile, account).await;
                }
                self.ready.insert(profile, (catalog, account));
            }
            OutboxOp::Add {
                profile,
                id,
                queued,
            } => {
                let Some(part) = self.partition(profile) else {
                    return;
                };
                let subject = queued.write.subject().to_string();
                let key = id.clone();
                let added = on_store(&self.store, move |db| {
                    db.outbox_add(
                        &part.name,
                        &part.fingerprint,
                        &key,
                        &subject,
                        &queued,
                        now_ms(),
                    )
                })
                .await;
                let event = match added {
                    Ok(()) => OutboxEvent::Queued { profile, id },
                    Err(e) => {
                        tracing::warn!(error = %e, "a write could not be added to the outbox");
                        OutboxEvent::NotQueued {
                            profile,
                            id,
                            reason: e.to_string(),
                        }
                    }
                };
                self.tell(event);
                self.publish(profile).await;
            }
            OutboxOp::Retry { profile, id } => {
                if let Err(e) =
                    on_store(&self.store, move |db| db.outbox_retry(&id, now_ms())).await
                {
                    tracing::warn!(error = %e, "retrying a write failed");
                }
                self.publish(profile).await;
            }
            OutboxOp::Discard { profile, id } => {
                match on_store(&self.store, move |db| db.outbox_discard(&id, now_ms())).await {
                    Ok(true) => {}
                    Ok(false) => self.tell(OutboxEvent::Busy { profile }),
                    Err(e) => tracing::warn!(error = %e, "discarding a write failed"),
                }
                self.publish(profile).await;
            }
        }
    }

    /// Takes one due entry of `profile` and sees it through one attempt. False when nothing was
    /// due.
    async fn work_one(&mut self, profile: ProfileId) -> bool {
        let (Some(part), Some((catalog, account))) =
            (self.partition(profile), self.ready.get(&profile))
        else {
            return false;
        };
        let Some(provider) = self.providers.get(usize::from(profile.0)).cloned() else {
            return false;
        };
        // The profile moved to another account whose catalog is not known yet: nothing goes
        // out with the old one's.
        if provider.account() != *account {
            return false;
        }
        let catalog = Arc::clone(catalog);
        let owner = self.owner.clone();
        let lease = i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
        let claimed = on_store(&self.store, move |db| {
            db.outbox_claim::<Queued>(&part.name, &part.fingerprint, &owner, now_ms(), lease)
        })
        .await;
        let entry = match claimed {
            Ok(Some(entry)) => entry,
            Ok(None) => return false,
            Err(e) => {
                tracing::warn!(error = %e, "the outbox could not be read");
                return false;
            }
        };
        let outcome = self.attempt(&entry, provider.as_ref(), catalog).await;
        let id = entry.id.clone();
        let owner = self.owner.clone();
        let settle = outcome.settle.clone();
        match on_store(&self.store, move |db| {
            db.outbox_settle(&id, &owner, &settle, now_ms())
        })
        .await
        {
            Ok(true) => {
                if let Some(event) = outcome.event(profile, &entry) {
                    self.tell(event);
                }
            }
            Ok(false) => tracing::info!("another ttydesk process took over a write"),
            Err(e) => tracing::warn!(error = %e, "how a write went could not be recorded"),
        }
        self.publish(profile).await;
        true
    }

    /// One attempt: reconcile if it may have arrived, then send.
    async fn attempt(
        &self,
        entry: &Entry<Queued>,
        provider: &dyn Provider,
        catalog: Arc<Catalog>,
    ) -> Outcome {
        let queued = match &entry.body {
            Ok(queued) => queued.clone(),
            Err(_) => {
                return Outcome::settle(Settle::Failed(
                    "this write was saved by another version of ttydesk and cannot be read".into(),
                ));
            }
        };
        let backoff = backoff(entry.attempts);
        if let Some(made_in) = &queued.account
            && provider.account().as_ref() != Some(made_in)
        {
            // Another account's request of the same number is not this one: it waits, and is
            // woken when its account is chosen again. One that may have arrived stays so.
            let reason = format!(
                "{OTHER_ACCOUNT} (“{made_in}”): it is sent once that account is in use again \
                 (:account)"
            );
            let at = now_ms() + ACCOUNT_WAIT_MS;
            return Outcome::settle(if entry.state.may_have_arrived() {
                Settle::Unsure { reason, at }
            } else {
                Settle::Retry { reason, at }
            });
        }
        if entry.state.may_have_arrived() {
            let since = time(entry.first_attempt_at.unwrap_or(entry.created_at));
            let check = guarded(provider.reconcile(
                queued.write.clone(),
                queued.author.clone(),
                since,
                Arc::clone(&catalog),
            ))
            .await;
            match check {
                Ok(Reconciled::Applied(_)) => {
                    tracing::info!("a write whose reply was lost had arrived; not resending");
                    return Outcome::delivered();
                }
                Ok(Reconciled::NotApplied) => {
                    tracing::info!("a write whose reply was lost had not arrived; resending");
                }
                Err(e) => {
                    return Outcome::settle(Settle::Unsure {
                        reason: format!("could not check whether it arrived: {e}"),
                        at: now_ms() + backoff,
                    });
                }
            }
        }
        let id = entry.id.clone();
        let owner = self.owner.clone();
        if let Err(e) = on_store(&self.store, move |db| {
            db.outbox_attempt(&id, &owner, now_ms())
        })
        .await
        {
            // Not recorded, so not sent: the lease ran out, or the store failed.
            return Outcome::settle(Settle::Retry {
                reason: e.to_string(),
                at: now_ms() + backoff,
            });
        }
        let sent = guarded(provider.write(queued.write, queued.author, catalog)).await;
        match sent {
            Ok(_) => Outcome::delivered(),
            Err(e) => Outcome::settle(after_error(&e, backoff)),
        }
    }

    /// `account` is in use again: its entries that waited for it are due now.
    async fn wake_account(&self, profile: ProfileId, account: String) {
        let Some(part) = self.partition(profile) else {
            return;
        };
        let woken = on_store(&self.store, move |db| {
            let now = now_ms();
            let mut woken = 0;
            for entry in db.outbox_list::<Queued>(&part.name, &part.fingerprint)? {
                let waited = entry
                    .last_error
                    .as_deref()
                    .is_some_and(|e| e.starts_with(OTHER_ACCOUNT));
                let mine = entry
                    .body
                    .as_ref()
                    .is_ok_and(|q| q.account.as_deref() == Some(account.as_str()));
                if waited && mine && entry.state != EntryState::Failed {
                    woken += usize::from(db.outbox_retry(&entry.id, now)?);
                }
            }
            Ok(woken)
        })
        .await;
        match woken {
            Ok(0) => {}
            Ok(n) => tracing::info!(entries = n, "writes that waited for their account are due"),
            Err(e) => tracing::warn!(error = %e, "the outbox could not be read"),
        }
    }

    fn partition(&self, profile: ProfileId) -> Option<Partition> {
        self.partitions.get(usize::from(profile.0)).cloned()
    }

    fn tell(&self, event: OutboxEvent) {
        let _ = self.tx.send(Msg::Outbox(event));
    }

    async fn publish(&mut self, profile: ProfileId) {
        let Some(part) = self.partition(profile) else {
            return;
        };
        match list(&self.store, part).await {
            Ok(items) => {
                if self.published.get(&profile) != Some(&items) {
                    self.published.insert(profile, items.clone());
                    self.tell(OutboxEvent::Listed { profile, items });
                }
            }
            Err(e) => tracing::warn!(error = %e, "the outbox could not be listed"),
        }
    }
}

fn profile_at(at: usize) -> ProfileId {
    ProfileId(u16::try_from(at).unwrap_or(u16::MAX))
}

/// How an attempt ended: what to record, and whether to tell the agent.
struct Outcome {
    settle: Settle,
}

impl Outcome {
    fn settle(settle: Settle) -> Outcome {
        Outcome { settle }
    }

    fn delivered() -> Outcome {
        Outcome {
            settle: Settle::Done,
        }
    }

    fn event(&self, profile: ProfileId, entry: &Entry<Queued>) -> Option<OutboxEvent> {
        let subject = Subject::parse(&entry.subject);
        let what = entry
            .body
            .as_ref()
            .map_or_else(|_| "write".into(), |q| q.write.describe());
        match &self.settle {
            Settle::Done => Some(OutboxEvent::Delivered {
                profile,
                subject,
                what,
            }),
            Settle::Failed(reason) => Some(OutboxEvent::Refused {
                profile,
                subject,
                what,
                reason: reason.clone(),
            }),
            Settle::Retry { .. } | Settle::Unsure { .. } => None,
        }
    }
}

/// What a failed send means for the entry.
fn after_error(e: &ProviderError, backoff: i64) -> Settle {
    let reason = e.to_string();
    match e {
        // The server looked at it and said no: the agent decides what to do.
        ProviderError::Rejected(_)
        | ProviderError::NotFound(_)
        | ProviderError::Forbidden(_)
        | ProviderError::Unauthorized
        | ProviderError::Unsupported(_)
        | ProviderError::Config(_) => Settle::Failed(reason),
        // Sent once the agent picks the account to work in.
        ProviderError::NoAccount => Settle::Retry {
            reason,
            at: now_ms() + backoff,
        },
        // Refused before it was looked at.
        ProviderError::RateLimited { retry_after } | ProviderError::Unavailable { retry_after } => {
            Settle::Retry {
                reason,
                // Never sooner than the usual backoff: a `Retry-After: 0`, or a date already past
                // by this host's clock, would resend in a tight loop.
                at: now_ms()
                    + retry_after
                        .map_or(backoff, |d| i64::try_from(d.as_millis()).unwrap_or(backoff))
                        .max(backoff),
            }
        }
        // It may have been applied: reconcile before anything else.
        ProviderError::Timeout { .. }
        | ProviderError::Connect(_)
        | ProviderError::Server { .. }
        | ProviderError::Decode { .. }
        | ProviderError::Internal(_) => Settle::Unsure {
            reason,
            at: now_ms() + backoff,
        },
    }
}

/// Milliseconds to wait after `attempts` attempts: 2 s, 4 s, 8 s … up to five minutes.
fn backoff(attempts: u32) -> i64 {
    let secs = 2u64.saturating_pow(attempts.clamp(1, 16));
    let capped = Duration::from_secs(secs).min(MAX_BACKOFF);
    i64::try_from(capped.as_millis()).unwrap_or(i64::MAX)
}

/// A provider call whose panic (a bug on hostile input) becomes an error, not a dead worker.
async fn guarded<T>(
    call: futures_util::future::BoxFuture<'_, Result<T, ProviderError>>,
) -> Result<T, ProviderError> {
    match AssertUnwindSafe(call).catch_unwind().await {
        Ok(result) => result,
        Err(_) => {
            tracing::error!("a provider call panicked in the outbox");
            Err(ProviderError::Internal("sending a write".into()))
        }
    }
}

/// The entries of one partition, oldest first, as the outbox panel and `ttydesk outbox ls` show
/// them.
pub async fn list(store: &Store, part: Partition) -> Result<Vec<OutboxItem>, StoreError> {
    let entries = on_store(store, move |db| {
        db.outbox_list::<Queued>(&part.name, &part.fingerprint)
    })
    .await?;
    let now = now_ms();
    Ok(entries
        .into_iter()
        .map(|e| OutboxItem {
            subject: Subject::parse(&e.subject),
            queued: e.body.ok(),
            state: e.state,
            attempts: e.attempts,
            created_at: time(e.created_at),
            next_attempt_at: time(e.next_attempt_at),
            in_flight: e.leased_until.is_some_and(|until| until > now),
            last_error: e.last_error,
            id: e.id,
        })
        .collect())
}

/// Runs `job` on the store thread and waits for it without blocking the runtime.
pub async fn on_store<R: Send + 'static>(
    store: &Store,
    job: impl FnOnce(&mut Db) -> Result<R, StoreError> + Send + 'static,
) -> Result<R, StoreError> {
    let (tx, rx) = oneshot::channel();
    store.run(job, move |result| {
        let _ = tx.send(result);
    });
    rx.await.unwrap_or(Err(StoreError::Stopped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_fail_and_lost_replies_are_reconciled() {
        let rejected = ProviderError::Rejected(crate::text::SafeText::line("closed"));
        assert!(matches!(after_error(&rejected, 1), Settle::Failed(_)));
        let timeout = ProviderError::Timeout { what: "x".into() };
        assert!(matches!(after_error(&timeout, 1), Settle::Unsure { .. }));
        let reset = ProviderError::Connect("connection reset".into());
        assert!(matches!(after_error(&reset, 1), Settle::Unsure { .. }));
        let limited = ProviderError::RateLimited { retry_after: None };
        assert!(matches!(after_error(&limited, 1), Settle::Retry { .. }));
        // A 503 saying "now" (or a date this host thinks is past) still waits the backoff.
        let now = ProviderError::Unavailable {
            retry_after: Some(std::time::Duration::ZERO),
        };
        let before = now_ms();
        let Settle::Retry { at, .. } = after_error(&now, 2_000) else {
            panic!("a 503 is retried");
        };
        assert!(at >= before + 2_000, "{at} {before}");
    }

    #[test]
    fn backoff_doubles_and_stops_at_five_minutes() {
        assert_eq!(backoff(1), 2_000);
        assert_eq!(backoff(2), 4_000);
        assert_eq!(backoff(30), 300_000);
    }
}
