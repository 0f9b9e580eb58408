//! Approval templates and the approvals of service requests and changes. Each approval is
//! played through the same rules the endpoints apply (votes one by one, then a cancel or an
//! expiry), so every generated state is one the simulator could have reached itself: waiting
//! ones with some votes in, approved, rejected, cancelled and expired ones, with one to four
//! voters and dates inside the request's life. Waiting approvals sit on open requests only and
//! expire no sooner than two hours after "now", so a test or a demo never sees them expire at
//! start.

use crate::sim::assets::Assets;
use crate::sim::dataset::{
    Approval, ApprovalTemplate, Dataset, HelpDesk, Named, User, approval_kind, approval_status,
};
use crate::sim::generate::threads::Seq;
use crate::sim::rng::Rng;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Agents who may be asked to approve: team leads and administrators (not the API account).
pub fn approvers(users: &[User]) -> Vec<u64> {
    users
        .iter()
        .filter(|u| {
            u.is_agent()
                && u.id != 1
                && !u.is_disabled
                && (u.role_name == "Team lead" || u.role_name == "Administrator")
        })
        .map(|u| u.id)
        .collect()
}

/// The asset's templates, ids in asset order, each asking its number of approvers.
pub fn templates(
    rng: &mut Rng,
    assets: &Assets,
    types: &[Named],
    helpdesks: &[HelpDesk],
    approvers: &[u64],
    now: i64,
) -> Vec<ApprovalTemplate> {
    let type_id = |name: &String| types.iter().find(|t| &t.name == name).map(|t| t.id);
    let desk_id = |name: &String| {
        helpdesks
            .iter()
            .find(|h| h.parent_id.is_none() && &h.name == name)
            .map(|h| h.id)
    };
    (1u64..)
        .zip(&assets.approval_templates)
        .map(|(id, seed)| {
            let wanted = usize::try_from(seed.voters.clamp(1, 4)).unwrap_or(1);
            let mut voters = Vec::new();
            // Bounded: a pool smaller than `wanted` yields fewer voters, never a hang.
            for _ in 0..wanted * 8 {
                if voters.len() == wanted {
                    break;
                }
                if let Some(user) = rng.pick(approvers).copied()
                    && !voters.contains(&user)
                {
                    voters.push(user);
                }
            }
            ApprovalTemplate {
                id,
                title: seed.title.clone(),
                description: seed.description.clone(),
                description_required: seed.description_required,
                description_prompt: seed.description_prompt.clone(),
                expired_in: i64::from(seed.expires_in_hours) * HOUR,
                expired_approved: seed.expired_approved,
                pause_sla: seed.pause_sla,
                created_at: now - 400 * DAY + i64::try_from(id).unwrap_or(0) * 9 * DAY,
                voters,
                type_ids: seed.types.iter().filter_map(type_id).collect(),
                desk_ids: seed.desks.iter().filter_map(desk_id).collect(),
            }
        })
        .collect()
}

/// How a generated approval ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Waiting,
    Approved,
    Rejected,
    Cancelled,
    Expired,
}

/// Gives about a third of the service requests and changes one or two approvals.
pub fn plant(rng: &mut Rng, assets: &Assets, ds: &mut Dataset) {
    let approvers = approvers(&ds.users);
    let mut ids = Seq(ds.next_approval_id());
    for index in 0..ds.requests.len() {
        let Some(request) = ds.requests.get(index) else {
            continue;
        };
        if !(request.type_id == 2 || request.type_id == 5) || !rng.chance(0.3) {
            continue;
        }
        let approvals = for_request(rng, assets, ds, index, &approvers, &mut ids);
        if let Some(request) = ds.requests.get_mut(index) {
            request.approvals = approvals;
        }
    }
}

fn for_request(
    rng: &mut Rng,
    assets: &Assets,
    ds: &Dataset,
    index: usize,
    approvers: &[u64],
    ids: &mut Seq,
) -> Vec<Approval> {
    let Some(request) = ds.requests.get(index) else {
        return Vec::new();
    };
    let life = ds.lifecycle();
    let members = ds
        .helpdesk(request.assigned_group_id)
        .map(|h| h.members.as_slice())
        .unwrap_or_default();
    let Some(author) = request.assigned_id.or_else(|| members.first().copied()) else {
        return Vec::new();
    };
    let templates: Vec<&ApprovalTemplate> = ds.approval_templates_for(request).collect();
    let can_wait = ds.is_open_status(request.status_id) && request.status_id != life.resolved;
    let end = request
        .closed_at
        .or(request.solved_at)
        .unwrap_or(ds.now)
        .min(ds.now);
    let count = if rng.chance(0.2) { 2 } else { 1 };
    let mut out = Vec::new();
    let mut earliest = request.created_at + 300;
    for n in 0..count {
        if earliest > end {
            break;
        }
        let last = n + 1 == count;
        let mut outcome = if request.status_id == life.rejected && last {
            Outcome::Rejected
        } else if can_wait && last {
            pick(rng, &[60, 18, 8, 7, 7])
        } else if last {
            pick(rng, &[0, 72, 8, 8, 12])
        } else {
            pick(rng, &[0, 70, 0, 15, 15])
        };
        let expiring: Vec<&ApprovalTemplate> = templates
            .iter()
            .copied()
            .filter(|t| t.expired_in > 0)
            .collect();
        let template = if outcome == Outcome::Expired {
            rng.pick(&expiring).copied()
        } else if rng.chance(0.75) {
            rng.pick(&templates).copied()
        } else {
            None
        };
        // Only a template's expiry decides an approval.
        if outcome == Outcome::Expired && template.is_none() {
            outcome = Outcome::Approved;
        }
        let expired_in = template.map_or(0, |t| t.expired_in);
        let latest = (end - 600).max(earliest);
        let mut created_at = match outcome {
            Outcome::Waiting if expired_in > 0 => {
                rng.range(earliest.max(ds.now - expired_in + 2 * HOUR), latest)
            }
            Outcome::Expired => rng.range(earliest, latest.min(end - expired_in)),
            _ => rng.range(earliest, latest),
        };
        if outcome == Outcome::Expired && created_at + expired_in > end {
            // The request is too young for this approval to have expired already.
            outcome = Outcome::Approved;
        }
        created_at = created_at.min(ds.now);
        earliest = created_at + 60;
        let voters = match template {
            Some(t) => t.voters.clone(),
            None => spontaneous_voters(rng, approvers, author),
        };
        if voters.is_empty() {
            continue;
        }
        let mut approval = Approval {
            id: ids.take(),
            author_id: author,
            status: approval_status::WAITING,
            kind: if template.is_some() {
                approval_kind::PREDEFINED
            } else {
                approval_kind::SPONTANEOUS
            },
            created_at,
            template_id: template.map(|t| t.id),
            description: template.map_or_else(
                || rng.word(&assets.text.approval_descriptions).to_string(),
                |t| t.description.clone(),
            ),
            expires_at: (expired_in > 0).then_some(created_at + expired_in),
            voters: Vec::new(),
        };
        for voter in voters {
            approval.add_voter(voter);
        }
        play(rng, &mut approval, outcome, template);
        out.push(approval);
    }
    out
}

fn pick(rng: &mut Rng, weights: &[u32; 5]) -> Outcome {
    [
        Outcome::Waiting,
        Outcome::Approved,
        Outcome::Rejected,
        Outcome::Cancelled,
        Outcome::Expired,
    ][rng.weighted(weights).min(4)]
}

/// One approver asked by the author, sometimes with one or two more added later.
fn spontaneous_voters(rng: &mut Rng, approvers: &[u64], author: u64) -> Vec<u64> {
    let others: Vec<u64> = approvers.iter().copied().filter(|a| *a != author).collect();
    let wanted = if rng.chance(0.35) {
        usize::try_from(rng.range(2, 3)).unwrap_or(2)
    } else {
        1
    };
    let mut voters = Vec::new();
    for _ in 0..wanted * 8 {
        if voters.len() == wanted {
            break;
        }
        if let Some(user) = rng.pick(&others).copied()
            && !voters.contains(&user)
        {
            voters.push(user);
        }
    }
    voters
}

/// Votes one by one until the approval reaches `outcome`, through the rules of
/// [`Approval::vote`], [`Approval::cancel`] and [`Approval::expire`].
fn play(
    rng: &mut Rng,
    approval: &mut Approval,
    outcome: Outcome,
    template: Option<&ApprovalTemplate>,
) {
    let voters: Vec<u64> = approval.voters.iter().map(|v| v.user_id).collect();
    let count = u64::try_from(voters.len()).unwrap_or(0);
    // The voter who decides (rejects) or who has not voted yet (waiting, cancelled, expired).
    let key = usize::try_from(rng.below(count)).unwrap_or(0);
    for (n, user) in voters.iter().enumerate() {
        match outcome {
            Outcome::Approved => approval.vote(*user, true, None),
            Outcome::Rejected if n == key => approval.vote(*user, false, None),
            Outcome::Rejected if n < key && rng.chance(0.5) => approval.vote(*user, true, None),
            Outcome::Waiting | Outcome::Cancelled | Outcome::Expired
                if n != key && rng.chance(0.4) =>
            {
                approval.vote(*user, true, None);
            }
            _ => {}
        }
    }
    match outcome {
        Outcome::Cancelled => approval.cancel(),
        Outcome::Expired => approval.expire(template.is_some_and(|t| t.expired_approved)),
        Outcome::Waiting | Outcome::Approved | Outcome::Rejected => {}
    }
}
