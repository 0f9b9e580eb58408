//! Approvals (with their voters) and tasks attached to service requests and changes, with
//! states consistent with the request's own status.

use crate::sim::assets::Assets;
use crate::sim::dataset::{Approval, Task, Vote};
use crate::sim::generate::threads::Seq;
use crate::sim::rng::Rng;

/// The parts of a request that approvals and tasks depend on.
#[derive(Debug, Clone)]
pub struct WorkPlan<'a> {
    pub created_at: i64,
    pub end: i64,
    pub status_id: u64,
    pub open: bool,
    pub author_id: u64,
    pub group_id: u64,
    pub agents: &'a [u64],
    /// Agents allowed to vote (team leads first).
    pub approvers: &'a [u64],
}

pub fn approvals(
    rng: &mut Rng,
    assets: &Assets,
    plan: &WorkPlan<'_>,
    ids: &mut Seq,
) -> Vec<Approval> {
    let count = if rng.chance(0.2) { 2 } else { 1 };
    let mut out = Vec::new();
    for n in 0..count {
        let last = n + 1 == count;
        let status: i8 = if plan.status_id == 8 {
            0
        } else if plan.open && plan.status_id != 6 && last {
            [-1, 1, 0][rng.weighted(&[65, 25, 10])]
        } else if last {
            [1, 0, -2][rng.weighted(&[80, 12, 8])]
        } else {
            1
        };
        let descriptions = &assets.text.approval_descriptions;
        let predefined = rng.chance(0.7);
        let template_index = rng.below(u64::try_from(descriptions.len()).unwrap_or(0));
        let description = descriptions
            .get(usize::try_from(template_index).unwrap_or(0))
            .cloned()
            .unwrap_or_default();
        let voter_count = usize::try_from(rng.range(1, 3)).unwrap_or(1);
        let mut voters: Vec<Vote> = Vec::new();
        for _ in 0..voter_count {
            let Some(user_id) = rng.pick(plan.approvers).copied() else {
                break;
            };
            if voters.iter().any(|v| v.user_id == user_id) {
                continue;
            }
            voters.push(Vote {
                user_id,
                status: -1,
            });
        }
        settle_votes(rng, status, &mut voters);
        let span = (plan.end - plan.created_at).max(600);
        out.push(Approval {
            id: ids.take(),
            author_id: plan.author_id,
            status,
            kind: if predefined { 1 } else { 2 },
            created_at: (plan.created_at + 300 + rng.range(0, span / 3)).min(plan.end),
            template_id: predefined.then_some(template_index + 1),
            description,
            voters,
        });
    }
    out
}

/// Makes the individual votes agree with the approval's outcome.
fn settle_votes(rng: &mut Rng, status: i8, voters: &mut [Vote]) {
    let decisive = rng.below(u64::try_from(voters.len()).unwrap_or(0));
    for (n, vote) in (0u64..).zip(voters.iter_mut()) {
        vote.status = match status {
            // Waiting: nobody decisive yet, although an early voter may have approved.
            -1 if n == 0 && decisive != 0 && rng.chance(0.3) => 1,
            -1 => -1,
            1 if n == decisive || rng.chance(0.5) => 1,
            0 if n == decisive => 0,
            _ => -2,
        };
    }
}

pub fn tasks(rng: &mut Rng, assets: &Assets, plan: &WorkPlan<'_>, ids: &mut Seq) -> Vec<Task> {
    let names = &assets.text.tasks;
    let count = usize::try_from(rng.range(1, 4))
        .unwrap_or(1)
        .min(names.len());
    let start = usize::try_from(rng.below(u64::try_from(names.len()).unwrap_or(0))).unwrap_or(0);
    let span = (plan.end - plan.created_at).max(3600);
    let mut out = Vec::new();
    for n in 0..count {
        let name = names
            .get((start + n) % names.len().max(1))
            .cloned()
            .unwrap_or_default();
        let created_at = (plan.created_at + 120 + i64::try_from(n).unwrap_or(0) * 60).min(plan.end);
        // Finished tasks come first; a closed request has no open task left.
        let status: u8 = if !plan.open {
            if rng.chance(0.85) { 1 } else { 3 }
        } else if n == 0 && rng.chance(0.6) {
            1
        } else if rng.chance(0.05) {
            2
        } else {
            0
        };
        let to_user = rng.chance(0.7);
        out.push(Task {
            id: ids.take(),
            name: name.clone(),
            description: format!("{name} for this request."),
            expiration_date: Some(plan.created_at + rng.range(1, 10) * 86_400),
            agent_id: if to_user {
                rng.pick(plan.agents).copied()
            } else {
                None
            },
            helpdesk_id: Some(plan.group_id),
            assignment_type: if to_user { 1 } else { 2 },
            status,
            created_at,
            completed_at: (status == 1).then(|| {
                (created_at + rng.range(600, span.max(601))).min(plan.end.max(created_at))
            }),
            is_predefined: rng.chance(0.6),
            is_required: rng.chance(0.4),
        });
    }
    out
}
