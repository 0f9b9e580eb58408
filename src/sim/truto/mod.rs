//! The Truto environment the simulator serves under `/truto/`: one API token, three integrated
//! accounts with different capabilities (Zendesk reads and writes, Jira Service Management only
//! reads, Freshdesk waits in `needs_reauth`), each active one with tickets, people and comment
//! threads generated deterministically from `assets/demo/truto.toml`. The HTTP side (Truto's
//! envelopes, cursors, `ratelimit-*` headers, errors) is in `endpoints`. Its own wire shapes,
//! written from `shared/api/truto.md`; nothing from `crate::provider`.

mod endpoints;
mod writes;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::sim::rng::Rng;

pub use endpoints::{Request, Route, serve};

const TRUTO_TOML: &str = include_str!("../../../assets/demo/truto.toml");

/// The generated ticket (of the first account) that carries the hostile text.
pub const HOSTILE_TICKET: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrutoPerson {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_agent: bool,
}

impl TrutoPerson {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrutoComment {
    pub id: String,
    /// Index into the account's people.
    pub author: usize,
    pub body: String,
    pub is_private: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrutoTicket {
    pub id: String,
    pub number: u64,
    pub name: String,
    pub description: String,
    /// Index into the account's statuses.
    pub status: usize,
    pub priority: Option<usize>,
    pub kind: Option<usize>,
    /// Index into the account's people (a contact).
    pub contact: usize,
    /// Index into the account's people (an agent).
    pub assignee: Option<usize>,
    pub created_at: i64,
    pub updated_at: i64,
    pub comments: Vec<TrutoComment>,
}

/// `(id, remote name, Truto's normalized name)`.
pub type TrutoStatus = (String, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrutoAccount {
    pub id: String,
    pub integration: String,
    pub label: String,
    pub tenant_id: String,
    pub context: String,
    pub status: String,
    pub authentication_method: String,
    pub last_error: Option<String>,
    /// Unified resource → methods (`tickets` → `["list", "get", "update"]`).
    pub methods: BTreeMap<String, Vec<String>>,
    pub statuses: Vec<TrutoStatus>,
    pub priorities: Vec<(String, String)>,
    pub types: Vec<(String, String)>,
    pub people: Vec<TrutoPerson>,
    pub tickets: Vec<TrutoTicket>,
}

impl TrutoAccount {
    pub fn allows(&self, resource: &str, method: &str) -> bool {
        self.methods
            .get(resource)
            .is_some_and(|m| m.iter().any(|x| x == method))
    }
}

/// How listings write `next_cursor` (a faithful server, or a broken one a client must survive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrutoCursor {
    /// A cursor past the last row served; `null` after the last page.
    #[default]
    Honest,
    /// The cursor that was sent, again: a client that follows it blindly loops for ever.
    Repeat,
}

/// The served environment and the switches tests turn.
#[derive(Debug, Clone)]
pub struct TrutoState {
    pub token: String,
    pub now: i64,
    pub accounts: Vec<TrutoAccount>,
    pub cursor: TrutoCursor,
    /// Requests each account may take per 10 s window before a 429.
    pub account_limit: u32,
    /// Requests counted per account in the current window, and when it started.
    pub window: BTreeMap<String, (i64, u32)>,
    /// Ticket ids rendered with fields of the wrong kind.
    pub broken: Vec<String>,
    pub revoked: bool,
}

impl TrutoState {
    /// The demo environment from `seed`, its "now" at `now` (epoch seconds) when given, else
    /// the asset's fixed date.
    pub fn new(seed: u64, now: Option<i64>) -> TrutoState {
        let parsed: Seed = toml::from_str(TRUTO_TOML).unwrap_or_else(|err| {
            // Embedded and covered by tests: only a broken build gets here.
            tracing::error!(%err, "the Truto demo asset is invalid; serving no accounts");
            Seed::default()
        });
        build(&parsed, seed, now)
    }

    pub fn account(&self, id: &str) -> Option<&TrutoAccount> {
        self.accounts.iter().find(|a| a.id == id)
    }

    pub fn account_mut(&mut self, id: &str) -> Option<&mut TrutoAccount> {
        self.accounts.iter_mut().find(|a| a.id == id)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Seed {
    environment: EnvironmentSeed,
    accounts: Vec<AccountSeed>,
    comments: CommentsSeed,
    hostile: HostileSeed,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EnvironmentSeed {
    token: String,
    now: String,
    account_limit: u32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountSeed {
    id: String,
    integration: String,
    label: String,
    tenant_id: String,
    context: String,
    status: String,
    authentication_method: String,
    last_error: Option<String>,
    ticket_count: usize,
    methods: BTreeMap<String, Vec<String>>,
    statuses: Vec<Vec<String>>,
    status_weights: Vec<u32>,
    priorities: Vec<Vec<String>>,
    types: Vec<Vec<String>>,
    subjects: Vec<String>,
    agents: Vec<Vec<String>>,
    contacts: Vec<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CommentsSeed {
    lines: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HostileSeed {
    subject: String,
    comment: String,
}

fn pair(v: &[String]) -> (String, String) {
    (
        v.first().cloned().unwrap_or_default(),
        v.get(1).cloned().unwrap_or_default(),
    )
}

fn people(seed: &AccountSeed, rng: &mut Rng) -> Vec<TrutoPerson> {
    let domain = seed.context.split('.').next().unwrap_or("acme");
    let agents = seed.agents.iter().map(|n| (n, true));
    let contacts = seed.contacts.iter().map(|n| (n, false));
    agents
        .chain(contacts)
        .map(|(names, is_agent)| {
            let (first, last) = pair(names);
            let local = format!("{}.{}", first, last)
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect::<String>();
            let host = if is_agent {
                format!("{domain}.example")
            } else {
                "customer.example".to_string()
            };
            TrutoPerson {
                id: format!("{}", 360_000_000 + rng.below(9_000_000)),
                email: format!("{local}@{host}"),
                first_name: first,
                last_name: last,
                is_agent,
            }
        })
        .collect()
}

fn build(seed: &Seed, salt: u64, at: Option<i64>) -> TrutoState {
    let mut rng = Rng::new(salt ^ 0x7A70);
    let now = at.unwrap_or_else(|| {
        chrono::DateTime::parse_from_rfc3339(&seed.environment.now).map_or(0, |t| t.timestamp())
    });
    let accounts = seed
        .accounts
        .iter()
        .enumerate()
        .map(|(index, a)| account(a, index, seed, now, &mut rng.fork(index as u64)))
        .collect();
    TrutoState {
        token: seed.environment.token.clone(),
        now,
        accounts,
        cursor: TrutoCursor::Honest,
        account_limit: seed.environment.account_limit.max(1),
        window: BTreeMap::new(),
        broken: Vec::new(),
        revoked: false,
    }
}

fn account(a: &AccountSeed, index: usize, seed: &Seed, now: i64, rng: &mut Rng) -> TrutoAccount {
    let people = people(a, rng);
    let agents: Vec<usize> = (0..people.len()).filter(|i| people[*i].is_agent).collect();
    let contacts: Vec<usize> = (0..people.len()).filter(|i| !people[*i].is_agent).collect();
    let mut tickets = Vec::new();
    for n in 0..a.ticket_count {
        let created = now - rng.range(3_600, 40 * 86_400);
        let updated = (created + rng.range(0, 3 * 86_400)).min(now);
        let status = rng
            .weighted(&a.status_weights)
            .min(a.statuses.len().saturating_sub(1));
        let contact = contacts
            .get(rng.below(contacts.len().max(1) as u64) as usize)
            .copied();
        let contact = contact.unwrap_or(0);
        let assignee = (!rng.chance(0.2))
            .then(|| {
                agents
                    .get(rng.below(agents.len().max(1) as u64) as usize)
                    .copied()
            })
            .flatten();
        let first = people.get(contact).map_or("", |p| p.first_name.as_str());
        let subject = rng
            .pick(&a.subjects)
            .cloned()
            .unwrap_or_default()
            .replace("{n}", &format!("{}", 1000 + rng.below(9000)))
            .replace("{first}", first);
        let thread_len = rng.below(4) as usize;
        let mut at = created;
        let comments = (0..thread_len)
            .map(|c| {
                at = (at + rng.range(600, 86_400)).min(now);
                let line = rng.pick(&seed.comments.lines).cloned().unwrap_or_default();
                let is_private = line.starts_with("Internal:");
                let author = if c % 2 == 0 && !is_private {
                    contact
                } else {
                    assignee
                        .or_else(|| agents.first().copied())
                        .unwrap_or(contact)
                };
                TrutoComment {
                    id: format!("{}{:02}", 90_000 + n * 10, c),
                    author,
                    body: line,
                    is_private,
                    created_at: at,
                }
            })
            .collect();
        let mut ticket = TrutoTicket {
            id: format!("{}", 4100 + index * 1000 + n),
            number: (4100 + index * 1000 + n) as u64,
            name: subject.clone(),
            description: format!("{subject}.\n\nReported by {first} through the help centre."),
            status,
            priority: (!a.priorities.is_empty())
                .then(|| rng.below(a.priorities.len() as u64) as usize),
            kind: (!a.types.is_empty()).then(|| rng.below(a.types.len() as u64) as usize),
            contact,
            assignee,
            created_at: created,
            updated_at: updated,
            comments,
        };
        if index == 0 && n == HOSTILE_TICKET && !seed.hostile.subject.is_empty() {
            ticket.name = seed.hostile.subject.clone();
            ticket.description = seed.hostile.comment.clone();
        }
        tickets.push(ticket);
    }
    TrutoAccount {
        id: a.id.clone(),
        integration: a.integration.clone(),
        label: a.label.clone(),
        tenant_id: a.tenant_id.clone(),
        context: a.context.clone(),
        status: a.status.clone(),
        authentication_method: a.authentication_method.clone(),
        last_error: a.last_error.clone(),
        methods: a.methods.clone(),
        statuses: a
            .statuses
            .iter()
            .map(|s| {
                let (id, name) = pair(s);
                (id, name, s.get(2).cloned().unwrap_or_default())
            })
            .collect(),
        priorities: a.priorities.iter().map(|p| pair(p)).collect(),
        types: a.types.iter().map(|p| pair(p)).collect(),
        people,
        tickets,
    }
}

/// The Truto environment the simulator serves beside InvGate and Iden, under `/truto/`.
impl crate::sim::SimHandle {
    /// Truto's API root (`http://127.0.0.1:PORT/truto`), what a profile's `base_url` holds.
    pub fn truto_base_url(&self) -> String {
        format!("{}/truto", self.base_url())
    }

    /// The environment's API token (`Authorization: Bearer <token>`).
    pub fn truto_token(&self) -> String {
        crate::sim::lock(&self.shared.truto).token.clone()
    }

    /// The integrated accounts as served now (tickets and comments included).
    pub fn truto_accounts(&self) -> Vec<TrutoAccount> {
        crate::sim::lock(&self.shared.truto).accounts.clone()
    }

    /// Revokes (or restores) the token: while revoked every call is answered 401.
    pub fn set_truto_token_revoked(&self, revoked: bool) {
        crate::sim::lock(&self.shared.truto).revoked = revoked;
    }

    /// How listings write `next_cursor` (see [`TrutoCursor`]).
    pub fn set_truto_cursor(&self, cursor: TrutoCursor) {
        crate::sim::lock(&self.shared.truto).cursor = cursor;
    }

    /// Requests per integrated account per 10 s before a 429 (Truto's is 50).
    pub fn set_truto_account_limit(&self, limit: u32) {
        let mut state = crate::sim::lock(&self.shared.truto);
        state.account_limit = limit.max(1);
        state.window.clear();
    }

    /// Renders this ticket with fields of the wrong kind from now on.
    pub fn break_truto_ticket(&self, id: &str) {
        crate::sim::lock(&self.shared.truto)
            .broken
            .push(id.to_string());
    }

    /// Changes an account's status (`needs_reauth`, `active`) and its `last_error`.
    pub fn set_truto_account_status(&self, account: &str, status: &str, last_error: Option<&str>) {
        if let Some(a) = crate::sim::lock(&self.shared.truto).account_mut(account) {
            a.status = status.to_string();
            a.last_error = last_error.map(str::to_string);
        }
    }

    /// Adds a ticket (the next id) to an account, as if it arrived while a listing was read.
    pub fn add_truto_ticket(&self, account: &str, name: &str) -> Option<String> {
        let mut state = crate::sim::lock(&self.shared.truto);
        let now = state.now;
        let a = state.account_mut(account)?;
        let mut ticket = a.tickets.last()?.clone();
        let next = a
            .tickets
            .iter()
            .filter_map(|t| t.id.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        ticket.id = next.to_string();
        ticket.number = next;
        ticket.name = name.to_string();
        ticket.comments.clear();
        ticket.created_at = now;
        ticket.updated_at = now;
        a.tickets.push(ticket.clone());
        Some(ticket.id)
    }

    /// Removes a ticket from an account, as if it were deleted while a listing was read.
    pub fn remove_truto_ticket(&self, account: &str, id: &str) {
        if let Some(a) = crate::sim::lock(&self.shared.truto).account_mut(account) {
            a.tickets.retain(|t| t.id != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_environment_has_two_working_accounts_and_one_to_reconnect() {
        let state = TrutoState::new(7, None);
        assert!(!state.token.is_empty());
        let statuses: Vec<_> = state.accounts.iter().map(|a| a.status.as_str()).collect();
        assert_eq!(statuses, ["active", "active", "needs_reauth"]);
        let zendesk = &state.accounts[0];
        assert!(zendesk.allows("comments", "create"));
        assert!(!state.accounts[1].allows("comments", "create"));
        assert_eq!(zendesk.tickets.len(), 45);
        assert!(zendesk.tickets[HOSTILE_TICKET].name.contains('\u{1b}'));
        assert!(state.accounts[2].last_error.is_some());
        // The same seed serves the same environment.
        assert_eq!(TrutoState::new(7, None).accounts, state.accounts);
    }
}
