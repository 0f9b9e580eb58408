//! The Iden organisation the simulator serves under `/iden/<slug>/api/`: its data (apps, users,
//! access-request tickets) generated deterministically from `assets/demo/iden.toml`, and the
//! switches tests turn (a revoked key, a server whose `next` repeats or leaves the host, a ticket
//! that cannot be read). The HTTP side is in `endpoints`. Its own wire shapes, written from
//! `shared/api/iden.md`; nothing from `crate::provider`.

mod endpoints;

use std::sync::Arc;

use serde::Deserialize;

use crate::sim::rng::Rng;

pub use endpoints::{Route, auth_failure, handle};

const IDEN_TOML: &str = include_str!("../../../assets/demo/iden.toml");

/// The five `ticket_status` values, in the order of the seed's weights.
pub const TICKET_STATUSES: [&str; 5] = ["PENDING", "APPROVED", "REJECTED", "EXPIRED", "CANCELED"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdenApp {
    pub uuid: String,
    pub name: String,
    pub connection_uuid: String,
    pub connection: String,
    pub identifier: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdenUser {
    pub uuid: String,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdenTicket {
    pub uuid: String,
    pub label: String,
    pub kind: String,
    /// Index into [`IdenOrg::apps`].
    pub app: usize,
    /// Index into [`IdenOrg::users`].
    pub requester: usize,
    /// The account in the app the access is for.
    pub app_user_uuid: String,
    pub app_user_email: String,
    pub status: &'static str,
    pub start_time: i64,
    /// `None` for access without an end.
    pub end_time: Option<i64>,
    pub initial_comment: String,
}

/// One Iden organisation as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdenOrg {
    pub slug: String,
    pub api_key: String,
    pub now: i64,
    pub apps: Vec<IdenApp>,
    pub users: Vec<IdenUser>,
    pub tickets: Vec<IdenTicket>,
}

/// How the simulated server writes `next` (a faithful server, or the broken ones a client must
/// survive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdenNext {
    /// DRF's: the same URL with the next `offset`.
    #[default]
    Honest,
    /// The page's own URL again: a client that follows it blindly loops for ever.
    SamePage,
    /// The right path and offset on another host (`evil.example`): following it would hand the
    /// key to that host.
    ForeignHost,
}

/// The served organisation and the switches tests turn.
#[derive(Debug, Clone)]
pub struct IdenState {
    pub org: Arc<IdenOrg>,
    pub revoked: bool,
    pub next: IdenNext,
    /// Tickets rendered with fields of the wrong kind.
    pub broken: Vec<String>,
    /// DRF's `max_limit`: a larger `limit` is cut to it (`None`: no cap).
    pub max_limit: Option<usize>,
}

impl IdenState {
    /// The demo organisation from `seed`, its "now" at `now` (epoch seconds) when given, else
    /// the asset's fixed date.
    pub fn new(seed: u64, now: Option<i64>) -> IdenState {
        IdenState {
            org: Arc::new(demo_org_at(seed, now)),
            revoked: false,
            next: IdenNext::Honest,
            broken: Vec::new(),
            max_limit: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Seed {
    org: OrgSeed,
    apps: Vec<AppSeed>,
    users: UsersSeed,
    comments: CommentsSeed,
    hostile: HostileSeed,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HostileSeed {
    label: String,
    comment: String,
}

/// The generated ticket that carries the hostile text.
pub const HOSTILE_TICKET: usize = 7;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OrgSeed {
    slug: String,
    tenant: String,
    email_domain: String,
    api_key: String,
    now: String,
    ticket_count: usize,
    status_weights: Vec<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AppSeed {
    name: String,
    connection: String,
    identifier: String,
    labels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UsersSeed {
    people: Vec<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CommentsSeed {
    lines: Vec<String>,
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

fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// The demo organisation: the embedded seed expanded with `seed`.
/// Its "now" is `now` (epoch seconds) when given, else the asset's fixed date.
pub fn demo_org_at(seed: u64, now: Option<i64>) -> IdenOrg {
    let parsed: Seed = toml::from_str(IDEN_TOML).unwrap_or_else(|err| {
        // Embedded and covered by tests: only a broken build gets here.
        tracing::error!(%err, "the Iden demo asset is invalid; serving an empty org");
        Seed::default()
    });
    build(&parsed, seed, now)
}

fn build(seed: &Seed, salt: u64, at: Option<i64>) -> IdenOrg {
    let mut rng = Rng::new(salt ^ 0x1DE4);
    let now = at.unwrap_or_else(|| {
        chrono::DateTime::parse_from_rfc3339(&seed.org.now).map_or(0, |t| t.timestamp())
    });
    let domain = &seed.org.email_domain;
    let apps: Vec<IdenApp> = seed
        .apps
        .iter()
        .map(|a| IdenApp {
            uuid: uuid(&mut rng),
            name: a.name.clone(),
            connection_uuid: uuid(&mut rng),
            connection: a.connection.clone(),
            identifier: a.identifier.clone(),
        })
        .collect();
    let users: Vec<IdenUser> = seed
        .users
        .people
        .iter()
        .filter_map(|p| {
            let (first, last) = (p.first()?, p.get(1)?);
            let username = format!("{}.{}", slug(first), slug(last));
            Some(IdenUser {
                uuid: uuid(&mut rng),
                email: format!("{username}@{domain}"),
                username,
                first_name: first.clone(),
                last_name: last.clone(),
            })
        })
        .collect();
    let weights = &seed.org.status_weights;
    let total_weight: u64 = weights.iter().sum();
    let mut tickets = Vec::new();
    if !apps.is_empty() && !users.is_empty() {
        for n in 0..seed.org.ticket_count {
            // The first five cover every status, whatever the weights draw.
            let status = if let Some(first) = TICKET_STATUSES.get(n) {
                first
            } else {
                let mut draw = rng.below(total_weight.max(1));
                let mut chosen = TICKET_STATUSES[0];
                for (status, weight) in TICKET_STATUSES.iter().zip(weights) {
                    if draw < *weight {
                        chosen = status;
                        break;
                    }
                    draw -= weight;
                }
                chosen
            };
            let app = usize::try_from(rng.below(apps.len() as u64)).unwrap_or(0);
            let requester = usize::try_from(rng.below(users.len() as u64)).unwrap_or(0);
            let user = &users[requester];
            let labels = &seed.apps[app].labels;
            let label = rng
                .pick(labels)
                .map_or_else(|| format!("Access to {}", apps[app].name), Clone::clone)
                .replace("{org}", &seed.org.tenant);
            let comment = rng
                .pick(&seed.comments.lines)
                .cloned()
                .unwrap_or_default()
                .replace("{org}", &seed.org.tenant)
                .replace("{first}", &user.first_name);
            // Pending and approved access starts around now; finished requests in the past.
            let start_time = match status {
                "PENDING" => now + rng.range(-3, 7) * 86_400,
                "APPROVED" => now - rng.range(0, 30) * 86_400,
                _ => now - rng.range(20, 80) * 86_400,
            } + rng.range(0, 23) * 3_600;
            let end_time = (!rng.chance(0.2)).then(|| start_time + rng.range(1, 90) * 86_400);
            let app_user_email = if apps[app].name == "GitHub" {
                format!("{}@users.noreply.github.com", user.username)
            } else {
                user.email.clone()
            };
            tickets.push(IdenTicket {
                uuid: uuid(&mut rng),
                label,
                kind: if end_time.is_some() {
                    "TEMPORARY"
                } else {
                    "PERMANENT"
                }
                .to_string(),
                app,
                requester,
                app_user_uuid: uuid(&mut rng),
                app_user_email,
                status,
                start_time,
                end_time,
                initial_comment: comment,
            });
        }
    }
    if let Some(t) = tickets.get_mut(HOSTILE_TICKET)
        && !seed.hostile.label.is_empty()
    {
        t.label = seed.hostile.label.clone();
        t.initial_comment = seed.hostile.comment.clone();
    }
    IdenOrg {
        slug: seed.org.slug.clone(),
        api_key: seed.org.api_key.clone(),
        now,
        apps,
        users,
        tickets,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_demo_org_is_deterministic_and_covers_every_status() {
        let org = demo_org_at(7, None);
        assert_eq!(org, demo_org_at(7, None));
        assert_eq!(org.slug, "acme");
        assert_eq!(org.apps.len(), 8);
        assert_eq!(org.users.len(), 20);
        assert_eq!(org.tickets.len(), 60);
        for status in TICKET_STATUSES {
            assert!(org.tickets.iter().any(|t| t.status == status), "{status}");
        }
        let ids: HashSet<_> = org.tickets.iter().map(|t| &t.uuid).collect();
        assert_eq!(ids.len(), 60, "ids are unique");
        assert!(
            org.tickets
                .iter()
                .any(|t| t.label == "Access to GitHub org acme (write)")
        );
    }
}
