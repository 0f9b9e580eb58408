//! The 2,000 requests: routing (category → help desk → level → agent), a lifecycle consistent
//! with the request's age (older ones are more often closed), SLAs, sentiment, custom field
//! values, comment threads, tasks, observers and links between related requests (approvals
//! are added afterwards, see `approvals.rs`).

use crate::sim::assets::Assets;
use crate::sim::dataset::{Request, User, WaitingFor, field_type, tree_parent};
use crate::sim::generate::catalog::{Catalog, Route};
use crate::sim::generate::text;
use crate::sim::generate::threads::{self, Seq, ThreadPlan};
use crate::sim::generate::workflow::{self, WorkPlan};
use crate::sim::rng::Rng;

const DAY: i64 = 86_400;
/// Salt of the stream tree field values are drawn from.
const TREE_SALT: u64 = 0x7EE5;
const HOUR: i64 = 3_600;

/// Id counters shared by every request.
#[derive(Debug, Clone)]
struct Counters {
    comments: Seq,
    attachments: Seq,
    tasks: Seq,
}

pub fn build(
    rng: &mut Rng,
    assets: &Assets,
    catalog: &Catalog,
    users: &[User],
    now: i64,
) -> Vec<Request> {
    let count = i64::from(assets.instance.request_count);
    let customers: Vec<&User> = users
        .iter()
        .filter(|u| !u.is_agent() && !u.is_deleted)
        .collect();
    // Only the size of the approvers' list matters now: see `workflow::retired_approval_draws`.
    let approvers = users
        .iter()
        .filter(|u| {
            u.is_agent()
                && u.id != 1
                && (u.role_name == "Team lead" || u.role_name == "Administrator")
        })
        .count();
    let weights: Vec<u32> = catalog.routes.iter().map(|r| r.weight).collect();
    if count == 0 || customers.is_empty() || catalog.routes.is_empty() {
        return Vec::new();
    }
    let span = i64::from(assets.instance.history_days.max(1)) * DAY;
    let start = now - span;
    let slot = (span / count).max(1);
    let mut counters = Counters {
        comments: Seq(5_001),
        attachments: Seq(1),
        tasks: Seq(1),
    };
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    for k in 0..count {
        let id = assets.instance.first_request_id + u64::try_from(k).unwrap_or(0);
        let created_at = start + k * slot + rng.range(0, slot - 1);
        let route = &catalog.routes[rng.weighted(&weights).min(catalog.routes.len() - 1)];
        let customer = customers[usize::try_from(rng.below(customers.len() as u64)).unwrap_or(0)];
        let request = one(
            rng,
            assets,
            catalog,
            route,
            customer,
            approvers,
            id,
            created_at,
            now,
            &mut counters,
        );
        out.push(request);
    }
    link_related(rng, &mut out);
    // From a copy of the stream: tree values came later than the rest, and drawing them from
    // `rng` itself would change every request generated before they existed.
    tree_values(&mut rng.clone().fork(TREE_SALT), catalog, &mut out);
    out
}

#[allow(clippy::too_many_arguments)]
fn one(
    rng: &mut Rng,
    assets: &Assets,
    catalog: &Catalog,
    route: &Route,
    customer: &User,
    approvers: usize,
    id: u64,
    created_at: i64,
    now: i64,
    counters: &mut Counters,
) -> Request {
    let span = i64::from(assets.instance.history_days.max(1)) * DAY;
    let age = now - created_at;
    let age_frac = age as f64 / span as f64;
    let status_id = lifecycle_status(rng, age, age_frac);
    let open = catalog.open_status_ids.contains(&status_id);

    let (child_id, child_index) = *rng.pick(&route.children).unwrap_or(&(0, 0));
    let parent_seed = assets.categories.get(route.seed_index);
    let titles = parent_seed
        .and_then(|p| p.children.get(child_index))
        .map(|c| c.titles.as_slice())
        .unwrap_or_default();
    let title_template = rng.word(titles);
    let title = text::fill(rng, title_template, &assets.vocab, &customer.name);

    let group_id = pick_group(rng, catalog, route.desk_id);
    let members: Vec<u64> = catalog
        .helpdesks
        .iter()
        .find(|h| h.id == group_id)
        .map(|h| h.members.clone())
        .unwrap_or_default();
    let assigned_id = if status_id == 1 && rng.chance(0.8) {
        None
    } else {
        rng.pick(&members).copied()
    };
    let mut agents = members.clone();
    if let Some(assigned) = assigned_id {
        agents.retain(|a| *a != assigned);
        agents.insert(0, assigned);
    }

    let priority_id = 1 + rng.weighted(&[25, 40, 20, 10, 5]) as u64;
    let type_id = 1 + rng.weighted(&[50, 30, 10, 4, 5, 1]) as u64;
    let source_id = 1 + rng.weighted(&[35, 30, 15, 8, 3, 4, 4, 1]) as u64;
    // Phone calls and walk-ins are typed in by the agent who took them.
    let creator_id = match (source_id, assigned_id.or_else(|| members.first().copied())) {
        (3 | 5, Some(agent)) => agent,
        _ => customer.id,
    };

    let (solved_at, closed_at) = lifecycle_dates(rng, status_id, created_at, now);
    let end = closed_at.or(solved_at).unwrap_or_else(|| {
        (now - rng.range(300, 2 * DAY))
            .max(created_at + 600)
            .min(now)
    });
    let thread = ThreadPlan {
        created_at,
        end,
        status_id,
        customer_id: customer.id,
        customer_first: &customer.name,
        agents: &agents,
        solved: solved_at.is_some(),
    };
    let comments = threads::comments(
        rng,
        assets,
        &thread,
        &mut counters.comments,
        &mut counters.attachments,
    );
    let last_update = comments
        .iter()
        .map(|c| c.created_at)
        .chain([
            (created_at + 30).min(now),
            solved_at.unwrap_or(0),
            closed_at.unwrap_or(0),
        ])
        .max()
        .unwrap_or(created_at);

    let closed_reason = (status_id == 7).then(|| 1 + rng.weighted(&[60, 25, 10, 5]) as u8);
    let rating = (closed_reason == Some(1) && rng.chance(0.6))
        .then(|| 1 + rng.weighted(&[3, 5, 12, 35, 45]) as u8);
    let has_sla = rng.chance(0.8);
    let p = usize::try_from(priority_id.saturating_sub(1))
        .unwrap_or(0)
        .min(4);
    let sla_first_reply = has_sla.then(|| created_at + [24, 8, 4, 2, 1][p] * HOUR);
    let sla_resolution = has_sla.then(|| created_at + [120, 48, 24, 8, 4][p] * HOUR);
    let sentiment_initial = rng.chance(0.7).then(|| sentiment(rng, [60, 25, 15]));
    let sentiment_current = sentiment_initial.as_ref().map(|initial| {
        if rng.chance(0.7) {
            initial.clone()
        } else {
            sentiment(rng, [40, 30, 30])
        }
    });

    let mut custom_fields = Vec::new();
    for cf in &catalog.custom_fields {
        if cf.field_type == field_type::TREE {
            continue; // See `tree_values`.
        }
        let applies = cf.category_ids.is_empty() || cf.category_ids.contains(&child_id);
        if !applies || !(cf.is_required || rng.chance(0.65)) {
            continue;
        }
        let seed = usize::try_from(cf.uid - 1)
            .ok()
            .and_then(|i| assets.custom_fields.get(i));
        let Some(seed) = seed else { continue };
        let value = if seed.values.is_empty() {
            text::fill(rng, &seed.pattern, &assets.vocab, "")
        } else {
            rng.word(&seed.values).to_string()
        };
        custom_fields.push((cf.uid, value));
    }

    let description = match parent_seed {
        Some(seed) => text::description(rng, assets, seed, &customer.name),
        None => text::paragraph(&title),
    };
    let work = WorkPlan {
        created_at,
        end,
        open,
        group_id,
        agents: &agents,
    };
    let workflow_type = type_id == 2 || type_id == 5;
    if workflow_type && rng.chance(0.2) {
        let descriptions = assets.text.approval_descriptions.len();
        workflow::retired_approval_draws(rng, &work, status_id, approvers, descriptions);
    }
    let tasks = if workflow_type && rng.chance(0.15) {
        workflow::tasks(rng, assets, &work, &mut counters.tasks)
    } else {
        Vec::new()
    };
    let attachments = if rng.chance(0.1) {
        (0..rng.range(1, 2))
            .map(|_| counters.attachments.take())
            .collect()
    } else {
        Vec::new()
    };
    let observers = if rng.chance(0.08) {
        agents.iter().rev().take(2).copied().collect()
    } else {
        Vec::new()
    };
    let collaborators = if rng.chance(0.06) {
        agents.get(1).copied().into_iter().collect()
    } else {
        Vec::new()
    };

    Request {
        id,
        title,
        description,
        status_id,
        priority_id,
        type_id,
        category_id: child_id,
        source_id,
        location_id: rng
            .chance(0.7)
            .then(|| 1 + rng.below(catalog.locations.len().max(1) as u64)),
        user_id: customer.id,
        creator_id,
        assigned_id,
        assigned_group_id: group_id,
        created_at,
        date_ocurred: created_at - rng.range(0, 2 * HOUR),
        last_update,
        solved_at,
        closed_at,
        closed_reason,
        rating,
        sla_first_reply,
        sla_resolution,
        process_id: (type_id == 2 && rng.chance(0.25)).then(|| 100 + rng.below(12)),
        sentiment_initial,
        sentiment_current,
        custom_fields,
        attachments,
        comments,
        links: Vec::new(),
        // See `approvals::plant`, which runs once every request exists.
        approvals: Vec::new(),
        tasks,
        observers,
        collaborators,
        waiting_for: (status_id == 4).then_some(WaitingFor::Customer),
    }
}

/// Older requests are more often finished; about a quarter of all requests end up closed or
/// rejected. Brand-new ones are mostly still "New".
fn lifecycle_status(rng: &mut Rng, age: i64, age_frac: f64) -> u64 {
    if rng.chance(0.04 + 0.42 * age_frac) {
        return if rng.chance(0.82) { 7 } else { 8 };
    }
    if age < 36 * HOUR && rng.chance(0.6) {
        return 1;
    }
    1 + rng.weighted(&[6, 22, 28, 14, 9, 21]) as u64
}

/// `(solved_at, closed_at)` consistent with the status and never after `now`.
fn lifecycle_dates(
    rng: &mut Rng,
    status_id: u64,
    created_at: i64,
    now: i64,
) -> (Option<i64>, Option<i64>) {
    // Bounds that hold even for a request created minutes ago: created_at <= earliest <= latest
    // <= now.
    let latest = (now - 600).max(created_at);
    let earliest = (created_at + HOUR).min(latest);
    match status_id {
        6 => {
            // Resolved requests auto-close after a few days, so their solution is recent.
            let solved = (now - rng.range(HOUR, 3 * DAY)).max(earliest).min(latest);
            (Some(solved), None)
        }
        7 => {
            let solved = (created_at + rng.range(HOUR, 10 * DAY)).min(latest);
            let closed = (solved + rng.range(HOUR, 3 * DAY)).min(latest.max(solved));
            (Some(solved), Some(closed))
        }
        8 => (None, Some((created_at + rng.range(600, DAY)).min(latest))),
        _ => (None, None),
    }
}

/// The desk itself now and then (not yet triaged), otherwise one of its levels, lower levels
/// being busier.
fn pick_group(rng: &mut Rng, catalog: &Catalog, desk_id: u64) -> u64 {
    let levels: Vec<u64> = catalog
        .helpdesks
        .iter()
        .filter(|h| h.parent_id == Some(desk_id))
        .map(|h| h.id)
        .collect();
    if levels.is_empty() || rng.chance(0.1) {
        return desk_id;
    }
    let weights: Vec<u32> = [60, 30, 10].into_iter().take(levels.len()).collect();
    levels
        .get(rng.weighted(&weights))
        .copied()
        .unwrap_or(desk_id)
}

fn sentiment(rng: &mut Rng, weights: [u32; 3]) -> String {
    ["neutral", "negative", "positive"][rng.weighted(&weights).min(2)].to_string()
}

/// Some requests are linked to a related one created shortly before (same category), and links
/// are symmetric as in InvGate.
fn link_related(rng: &mut Rng, requests: &mut [Request]) {
    let mut pairs = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        if index == 0 || !rng.chance(0.06) {
            continue;
        }
        let window = index.saturating_sub(60)..index;
        let candidates: Vec<usize> = window
            .filter(|&i| {
                requests
                    .get(i)
                    .is_some_and(|r| r.category_id == request.category_id)
            })
            .collect();
        let other = rng.pick(&candidates).copied().unwrap_or(index - 1);
        pairs.push((index, other));
    }
    for (a, b) in pairs {
        let (Some(id_a), Some(id_b)) =
            (requests.get(a).map(|r| r.id), requests.get(b).map(|r| r.id))
        else {
            continue;
        };
        for (index, other) in [(a, id_b), (b, id_a)] {
            if let Some(request) = requests.get_mut(index)
                && !request.links.contains(&other)
            {
                request.links.push(other);
                request.links.sort_unstable();
            }
        }
    }
}

/// Values of the tree fields: on about half the requests a field applies to, one leaf of its
/// tree, as its full path (how tree values are served and written).
fn tree_values(rng: &mut Rng, catalog: &Catalog, requests: &mut [Request]) {
    for cf in &catalog.custom_fields {
        if cf.field_type != field_type::TREE {
            continue;
        }
        let leaves: Vec<String> = cf
            .options
            .iter()
            .filter(|path| {
                !cf.options
                    .iter()
                    .any(|o| tree_parent(o) == Some(path.as_str()))
            })
            .cloned()
            .collect();
        if leaves.is_empty() {
            continue;
        }
        for request in requests.iter_mut() {
            let applies =
                cf.category_ids.is_empty() || cf.category_ids.contains(&request.category_id);
            if !applies || !(cf.is_required || rng.chance(0.5)) {
                continue;
            }
            let value = rng.word(&leaves).to_string();
            let at = request
                .custom_fields
                .partition_point(|(uid, _)| *uid < cf.uid);
            request.custom_fields.insert(at, (cf.uid, value));
        }
    }
}
