//! The app's use of the store: what is kept per profile (one partition each) and under which
//! kind, and how [`StoreOp`]s become store jobs. Jobs run on the store's own thread; reads come
//! back as `Msg::Stored`. Only domain data is kept, never a credential.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::composer::Draft;
use super::msg::{Msg, Saved, SavedListing, StoreOp, Stored};
use crate::domain::{Capabilities, Catalog, Counts, ProfileId, Ticket, TicketDetail, TicketId};
use crate::store::{Db, Store, StoreError};

const CATALOG: &str = "catalog";
const CAPABILITIES: &str = "capabilities";
const COUNTS: &str = "counts";
const LISTING: &str = "listing";
const TICKET: &str = "ticket";
const DETAIL: &str = "detail";
const AGENT: &str = "agent";
const APPROVALS: &str = "approvals";
const ACCOUNT: &str = "account";

/// What an account's data is saved as; it goes when the profile moves to another account.
const ACCOUNT_DATA: &[&str] = &[
    CATALOG,
    CAPABILITIES,
    COUNTS,
    LISTING,
    TICKET,
    DETAIL,
    AGENT,
    APPROVALS,
];

/// Details kept per profile: the most recently opened.
const DETAILS_KEPT: usize = 300;

/// The store, and which partition each open profile's data goes to.
#[derive(Clone)]
pub struct StoreLink {
    store: Store,
    /// Per profile, in profile order.
    partitions: Vec<Partition>,
    /// The account each profile that works in one of several is in (as saved, then as
    /// chosen): a draft is kept under it, so a reply typed on one account's request #12 is
    /// never offered on another's.
    accounts: Arc<Mutex<HashMap<ProfileId, String>>>,
}

impl std::fmt::Debug for StoreLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreLink")
            .field("partitions", &self.partitions)
            .finish_non_exhaustive()
    }
}

/// One open profile's place in the store: its partition and what identifies where its data came
/// from (vendor, server, user; never a secret). Data saved under another fingerprint is wiped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub name: String,
    pub fingerprint: String,
}

impl StoreLink {
    /// Claims each profile's partition (in order: the claims run before any later job).
    pub fn new(store: Store, partitions: Vec<Partition>) -> StoreLink {
        for p in &partitions {
            let (name, fingerprint) = (p.name.clone(), p.fingerprint.clone());
            store.spawn(move |db| {
                if db.claim_partition(&name, &fingerprint)? {
                    tracing::info!(partition = %name, "saved data of another server was dropped");
                }
                Ok(())
            });
        }
        StoreLink {
            store,
            partitions,
            accounts: Arc::default(),
        }
    }

    /// The key a draft on `id` is kept under: the id, after the account where there is one.
    fn draft_key(&self, profile: ProfileId, id: &TicketId) -> String {
        let accounts = self
            .accounts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match accounts.get(&profile) {
            Some(account) => format!("{account}/{}", id.as_str()),
            None => id.as_str().to_string(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Each open profile's partition, in profile order.
    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }

    pub fn execute(&self, op: StoreOp, tx: &mpsc::UnboundedSender<Msg>) {
        let partition = |p: ProfileId| {
            self.partitions
                .get(usize::from(p.0))
                .map(|part| part.name.clone())
        };
        let owner = |p: ProfileId| self.partitions.get(usize::from(p.0)).cloned();
        match op {
            StoreOp::Load { profile } => {
                let Some(part) = partition(profile) else {
                    return;
                };
                let tx = tx.clone();
                let accounts = Arc::clone(&self.accounts);
                self.store.run(
                    move |db| {
                        let saved = load(db, &part)?;
                        if let Some(account) = &saved.account {
                            accounts
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .entry(profile)
                                .or_insert_with(|| account.clone());
                        }
                        Ok(saved)
                    },
                    move |result| {
                        // Unreadable saved data is said, then treated as none: the profile
                        // loads from the server as on a first run.
                        let saved = result.unwrap_or_else(|e| {
                            tracing::warn!(error = %e, "reading saved data failed");
                            let text = format!("saved data could not be read: {e}");
                            let _ = tx.send(Msg::Stored(Stored::Notice(text)));
                            Saved::default()
                        });
                        let _ = tx.send(Msg::Stored(Stored::Profile {
                            profile,
                            saved: Box::new(saved),
                        }));
                    },
                );
            }
            StoreOp::LoadDetail { profile, id } => {
                let Some(part) = partition(profile) else {
                    return;
                };
                let tx = tx.clone();
                let key = id.clone();
                self.store.run(
                    move |db| db.get::<TicketDetail>(&part, DETAIL, key.as_str()),
                    move |result| {
                        let detail = match result {
                            Ok(found) => found.map(|s| Box::new((s.value, at(s.saved_at)))),
                            Err(e) => {
                                tracing::warn!(error = %e, "reading a saved request failed");
                                None
                            }
                        };
                        let _ = tx.send(Msg::Stored(Stored::Detail {
                            profile,
                            id,
                            detail,
                        }));
                    },
                );
            }
            StoreOp::SaveCatalog { profile, catalog } => {
                self.save(partition(profile), move |db, part| {
                    db.put::<Catalog>(part, CATALOG, "", &catalog)
                });
            }
            StoreOp::SaveCapabilities {
                profile,
                capabilities,
            } => {
                self.save(partition(profile), move |db, part| {
                    db.put::<Capabilities>(part, CAPABILITIES, "", &capabilities)
                });
            }
            StoreOp::SaveCounts { profile, counts } => {
                self.save(partition(profile), move |db, part| {
                    db.put::<Counts>(part, COUNTS, "", &counts)
                });
            }
            StoreOp::SaveListing {
                profile,
                ids,
                total,
            } => {
                self.save(partition(profile), move |db, part| {
                    let listing = SavedListing {
                        ids: ids.to_vec(),
                        total,
                    };
                    db.put(part, LISTING, "", &listing)?;
                    // Rows of requests no longer listed are not kept.
                    let listed: HashSet<&str> = ids.iter().map(|id| id.as_str()).collect();
                    db.retain(part, TICKET, |key| listed.contains(key))
                        .map(drop)
                });
            }
            StoreOp::SaveRows { profile, rows } => {
                self.save(partition(profile), move |db, part| {
                    db.put_many(
                        part,
                        TICKET,
                        rows.iter().map(|r| (r.ticket.id.as_str(), &r.ticket)),
                    )
                });
            }
            StoreOp::SaveDetail { profile, detail } => {
                self.save(partition(profile), move |db, part| {
                    db.put::<TicketDetail>(part, DETAIL, detail.ticket.id.as_str(), &detail)?;
                    db.prune(part, DETAIL, DETAILS_KEPT)
                });
            }
            StoreOp::SaveAgent {
                profile,
                login,
                person,
            } => {
                self.save(partition(profile), move |db, part| {
                    db.put(part, AGENT, "", &SavedAgent { login, person })
                });
            }
            StoreOp::SaveAccount { profile, account } => {
                self.accounts
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(profile, account.clone());
                self.save(partition(profile), move |db, part| {
                    db.put(part, ACCOUNT, "", &account)
                });
            }
            StoreOp::ForgetData { profile } => {
                self.save(partition(profile), move |db, part| {
                    db.clear(part, ACCOUNT_DATA)
                });
            }
            StoreOp::SaveApprovals { profile, checked } => {
                self.save(partition(profile), move |db, part| {
                    db.put_many(
                        part,
                        APPROVALS,
                        checked.iter().map(|c| (c.ticket.as_str(), c)),
                    )
                });
            }
            StoreOp::KeepApprovals { profile, keep } => {
                self.save(partition(profile), move |db, part| {
                    db.retain(part, APPROVALS, |key| {
                        keep.contains(&crate::domain::TicketId::from(key))
                    })
                    .map(drop)
                });
            }
            StoreOp::SaveDraft { key, draft } => {
                if let Some(part) = owner(key.profile) {
                    let id = self.draft_key(key.profile, &key.id);
                    self.store.spawn(move |db| {
                        let now = crate::store::unix_now();
                        db.draft_put(&part.name, &part.fingerprint, &id, &draft, now)
                    });
                }
            }
            StoreOp::DeleteDraft { key } => {
                if let Some(part) = owner(key.profile) {
                    let id = self.draft_key(key.profile, &key.id);
                    self.store
                        .spawn(move |db| db.draft_delete(&part.name, &part.fingerprint, &id));
                }
            }
            StoreOp::LoadDraft { key } => {
                let Some(part) = owner(key.profile) else {
                    return;
                };
                let tx = tx.clone();
                let id = self.draft_key(key.profile, &key.id);
                self.store.run(
                    move |db| db.draft_get::<Draft>(&part.name, &part.fingerprint, &id),
                    move |result| {
                        let draft = match result {
                            Ok(found) => found.map(|(draft, at)| (draft, at_time(at))),
                            Err(e) => {
                                tracing::warn!(error = %e, "reading a draft failed");
                                None
                            }
                        };
                        let _ = tx.send(Msg::Stored(Stored::Draft { key, draft }));
                    },
                );
            }
        }
    }

    fn save(
        &self,
        partition: Option<String>,
        job: impl FnOnce(&mut Db, &str) -> Result<(), StoreError> + Send + 'static,
    ) {
        if let Some(part) = partition {
            self.store.spawn(move |db| job(db, &part));
        }
    }
}

/// Opens the store at `path` for the console. Without one the console still runs; either way
/// the sentences for the agent (the file was moved aside, the journal fell back, the store is
/// unavailable) come back with it.
pub fn open(
    path: std::path::PathBuf,
    journal: crate::store::JournalChoice,
) -> (Option<Store>, Vec<String>) {
    let options = crate::store::StoreOptions {
        path,
        journal,
        network_fs: None,
    };
    match crate::store::open(options) {
        Ok(opened) => (Some(opened.store), opened.notices),
        Err(e) => (
            None,
            vec![format!(
                "saved data is unavailable ({e}); running without it"
            )],
        ),
    }
}

/// Waits until every job queued so far has run (the data is on disk).
pub async fn flush(store: &Store) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    store.run(
        |_| Ok(()),
        move |_| {
            let _ = tx.send(());
        },
    );
    let _ = rx.await;
}

/// Without a store (`--no-store`, or one that could not be opened) nothing is kept and nothing
/// is read back; a profile's load is still answered, with nothing saved, so the profile goes on
/// to load from the server.
pub fn without_store(op: StoreOp, tx: &mpsc::UnboundedSender<Msg>) {
    if let StoreOp::Load { profile } = op {
        let _ = tx.send(Msg::Stored(Stored::Profile {
            profile,
            saved: Box::default(),
        }));
    }
}

fn at_time(saved_at: i64) -> DateTime<Utc> {
    at(saved_at)
}

/// The profile's agent as last looked up.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SavedAgent {
    login: String,
    person: crate::domain::Person,
}

fn at(saved_at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(saved_at, 0).unwrap_or_default()
}

fn load(db: &mut Db, part: &str) -> Result<Saved, StoreError> {
    Ok(Saved {
        catalog: db
            .get::<Catalog>(part, CATALOG, "")?
            .map(|s| (s.value, at(s.saved_at))),
        capabilities: db
            .get::<Capabilities>(part, CAPABILITIES, "")?
            .map(|s| s.value),
        counts: db
            .get::<Counts>(part, COUNTS, "")?
            .map(|s| (s.value, at(s.saved_at))),
        listing: db
            .get::<SavedListing>(part, LISTING, "")?
            .map(|s| (s.value, at(s.saved_at))),
        tickets: db
            .all::<Ticket>(part, TICKET)?
            .into_iter()
            .map(|s| s.value)
            .collect(),
        agent: db
            .get::<SavedAgent>(part, AGENT, "")?
            .map(|s| (s.value.login, s.value.person)),
        approvals: db
            .all::<super::approvals::Checked>(part, APPROVALS)?
            .into_iter()
            .map(|s| s.value)
            .collect(),
        account: db.get::<String>(part, ACCOUNT, "")?.map(|s| s.value),
    })
}
