//! The Rezolve tenant the simulator serves under `/rezolve/<slug>/api/v2/ticketing/`: its user
//! directory (agents in teams, end users) and tickets, generated deterministically from
//! `assets/demo/rezolve.toml`, and the switches tests turn (a revoked token, a ticket or user
//! that cannot be read, a renamed user, tickets arriving or leaving between page reads). The
//! HTTP side is in `endpoints`. Its own wire shapes, written from `shared/api/rezolve.md`;
//! nothing from `crate::provider`.

mod endpoints;

use serde::Deserialize;

use crate::sim::rng::Rng;

pub use endpoints::{Request, Route, serve};

const REZOLVE_TOML: &str = include_str!("../../../assets/demo/rezolve.toml");

/// The generated ticket that carries the hostile text.
pub const HOSTILE_TICKET: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RezolveUser {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `agent` or `user`.
    pub kind: &'static str,
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RezolveTicket {
    pub id: String,
    pub number: String,
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub category: String,
    pub team: String,
    /// Index into the tenant's users.
    pub requester: usize,
    pub assignee: Option<usize>,
    pub created_at: i64,
    pub updated_at: i64,
    pub due: Option<i64>,
    pub sla: String,
}

/// The served tenant and the switches tests turn.
#[derive(Debug, Clone)]
pub struct RezolveState {
    pub slug: String,
    pub tenant_id: String,
    pub realm: String,
    pub name: String,
    pub token: String,
    pub now: i64,
    pub users: Vec<RezolveUser>,
    pub tickets: Vec<RezolveTicket>,
    pub revoked: bool,
    /// Ticket and user ids rendered with fields of the wrong kind.
    pub broken: Vec<String>,
    /// Served `user/list` answers: (200s, 304s).
    pub directory_replies: (usize, usize),
    /// After this many `ticket/list` pages, the first listed ticket is deleted and a new one
    /// arrives (items shift between the pages a client reads).
    pub shift_after: Option<usize>,
    pub pages_served: usize,
}

impl RezolveState {
    pub fn new(seed: u64, now: Option<i64>) -> RezolveState {
        let parsed: Seed = toml::from_str(REZOLVE_TOML).unwrap_or_else(|err| {
            // Embedded and covered by tests: only a broken build gets here.
            tracing::error!(%err, "the Rezolve demo asset is invalid; serving an empty tenant");
            Seed::default()
        });
        build(&parsed, seed, now)
    }

    /// Applies the shift a test asked for, once, after `n` pages were served.
    fn shift(&mut self) {
        self.pages_served += 1;
        if self.shift_after != Some(self.pages_served) {
            return;
        }
        let mut sorted: Vec<usize> = (0..self.tickets.len()).collect();
        sorted.sort_by_key(|i| (self.tickets[*i].created_at, self.tickets[*i].id.clone()));
        if let Some(first) = sorted.first().copied() {
            self.tickets.remove(first);
        }
        if let Some(mut newest) = self.tickets.last().cloned() {
            newest.id = format!("{}-new", newest.id);
            newest.number = "TKT-2026-999999".into();
            newest.subject = "Arrived while the list was read".into();
            newest.created_at = self.now + 60;
            self.tickets.push(newest);
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Seed {
    tenant: TenantSeed,
    categories: Vec<CategorySeed>,
    directory: DirectorySeed,
    hostile: HostileSeed,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TenantSeed {
    slug: String,
    tenant_id: String,
    realm: String,
    name: String,
    token: String,
    now: String,
    ticket_count: usize,
    teams: Vec<String>,
    statuses: Vec<String>,
    status_weights: Vec<u32>,
    priorities: Vec<String>,
    sla: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CategorySeed {
    team: String,
    category: String,
    subjects: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DirectorySeed {
    apps: Vec<String>,
    agents: Vec<Vec<String>>,
    users: Vec<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HostileSeed {
    subject: String,
    description: String,
}

/// A version-4-shaped UUID from the generator.
fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

fn person(names: &[String], kind: &'static str, rng: &mut Rng) -> RezolveUser {
    let first = names.first().cloned().unwrap_or_default();
    let last = names.get(1).cloned().unwrap_or_default();
    let local: String = format!("{first}.{last}")
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    RezolveUser {
        id: uuid(rng),
        email: format!("{local}@acme.example"),
        first_name: first,
        last_name: last,
        kind,
        teams: names
            .get(2)
            .into_iter()
            .cloned()
            .chain(["global".to_string()])
            .collect(),
    }
}

fn build(seed: &Seed, salt: u64, at: Option<i64>) -> RezolveState {
    let mut rng = Rng::new(salt ^ 0x2E20);
    let t = &seed.tenant;
    let now = at.unwrap_or_else(|| {
        chrono::DateTime::parse_from_rfc3339(&t.now).map_or(0, |d| d.timestamp())
    });
    let mut users: Vec<RezolveUser> = seed
        .directory
        .agents
        .iter()
        .map(|n| person(n, "agent", &mut rng))
        .collect();
    users.extend(
        seed.directory
            .users
            .iter()
            .map(|n| person(n, "user", &mut rng)),
    );
    let agents: Vec<usize> = (0..users.len())
        .filter(|i| users[*i].kind == "agent")
        .collect();
    let people: Vec<usize> = (0..users.len())
        .filter(|i| users[*i].kind == "user")
        .collect();
    let mut tickets = Vec::new();
    for n in 0..t.ticket_count {
        let Some(category) = rng.pick(&seed.categories) else {
            break;
        };
        let requester = people
            .get(rng.below(people.len().max(1) as u64) as usize)
            .copied()
            .unwrap_or(0);
        let first = users.get(requester).map_or("", |u| u.first_name.as_str());
        let app = rng.pick(&seed.directory.apps).cloned().unwrap_or_default();
        let subject = rng
            .pick(&category.subjects)
            .cloned()
            .unwrap_or_default()
            .replace("{n}", &(2 + rng.below(40)).to_string())
            .replace("{app}", &app)
            .replace("{first}", first);
        let team_agents: Vec<usize> = agents
            .iter()
            .copied()
            .filter(|a| users[*a].teams.contains(&category.team))
            .collect();
        let assignee = (!rng.chance(0.25))
            .then(|| {
                team_agents
                    .get(rng.below(team_agents.len().max(1) as u64) as usize)
                    .copied()
            })
            .flatten();
        let created = now - rng.range(1_800, 30 * 86_400);
        let status = t
            .statuses
            .get(rng.weighted(&t.status_weights))
            .cloned()
            .unwrap_or_else(|| "open".into());
        let mut ticket = RezolveTicket {
            id: uuid(&mut rng),
            number: format!("TKT-2026-{:06}", 1200 + n),
            description: format!("{subject}. Reported by {first} through the portal."),
            subject,
            status,
            priority: rng.pick(&t.priorities).cloned().unwrap_or_default(),
            category: category.category.clone(),
            team: category.team.clone(),
            requester,
            assignee,
            created_at: created,
            updated_at: (created + rng.range(0, 2 * 86_400)).min(now),
            due: (!rng.chance(0.3)).then(|| created + rng.range(86_400, 7 * 86_400)),
            sla: rng.pick(&t.sla).cloned().unwrap_or_default(),
        };
        if n == HOSTILE_TICKET && !seed.hostile.subject.is_empty() {
            ticket.subject = seed.hostile.subject.clone();
            ticket.description = seed.hostile.description.clone();
        }
        tickets.push(ticket);
    }
    RezolveState {
        slug: t.slug.clone(),
        tenant_id: t.tenant_id.clone(),
        realm: t.realm.clone(),
        name: t.name.clone(),
        token: t.token.clone(),
        now,
        users,
        tickets,
        revoked: false,
        broken: Vec::new(),
        directory_replies: (0, 0),
        shift_after: None,
        pages_served: 0,
    }
}

/// The Rezolve tenant the simulator serves beside the other vendors, under `/rezolve/<slug>/`.
impl crate::sim::SimHandle {
    /// The tenant's address (`http://127.0.0.1:PORT/rezolve/acme`), what a profile's
    /// `base_url` holds; `/api/v2/ticketing/...` is appended by the client.
    pub fn rezolve_base_url(&self, slug: &str) -> String {
        format!("{}/rezolve/{slug}", self.base_url())
    }

    fn rezolve(&self) -> std::sync::MutexGuard<'_, RezolveState> {
        crate::sim::lock(&self.shared.rezolve)
    }

    /// The JWT the tenant accepts (`Authorization: Bearer <jwt>`).
    pub fn rezolve_token(&self) -> String {
        self.rezolve().token.clone()
    }

    pub fn rezolve_tenant_id(&self) -> String {
        self.rezolve().tenant_id.clone()
    }

    pub fn rezolve_realm(&self) -> String {
        self.rezolve().realm.clone()
    }

    /// The users and tickets as served now.
    pub fn rezolve_data(&self) -> (Vec<RezolveUser>, Vec<RezolveTicket>) {
        let state = self.rezolve();
        (state.users.clone(), state.tickets.clone())
    }

    /// Revokes (or restores) the token: while revoked every call is answered 401.
    pub fn set_rezolve_token_revoked(&self, revoked: bool) {
        self.rezolve().revoked = revoked;
    }

    /// Renders this ticket or user with fields of the wrong kind from now on.
    pub fn break_rezolve_record(&self, id: &str) {
        self.rezolve().broken.push(id.to_string());
    }

    /// Renames a user (the directory changes, so its ETag does).
    pub fn rename_rezolve_user(&self, id: &str, first_name: &str) {
        if let Some(u) = self.rezolve().users.iter_mut().find(|u| u.id == id) {
            u.first_name = first_name.to_string();
        }
    }

    /// `user/list` answers served so far: (200 with the list, 304 not modified).
    pub fn rezolve_directory_replies(&self) -> (usize, usize) {
        self.rezolve().directory_replies
    }

    /// After `pages` more `ticket/list` pages, the oldest ticket is deleted and a new one
    /// arrives.
    pub fn shift_rezolve_tickets_after(&self, pages: usize) {
        let mut state = self.rezolve();
        state.shift_after = Some(state.pages_served + pages);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_tenant_has_agents_in_teams_users_and_tickets() {
        let state = RezolveState::new(7, None);
        assert_eq!(state.tickets.len(), 80);
        assert!(
            state
                .users
                .iter()
                .any(|u| u.kind == "agent" && u.teams.contains(&"it".into()))
        );
        assert!(state.tickets[HOSTILE_TICKET].subject.contains('\u{1b}'));
        assert_eq!(RezolveState::new(7, None).tickets, state.tickets);
    }
}
