//! Tasks attached to service requests and changes, with states consistent with the request's
//! own status. (Approvals come later, in their own pass: see `approvals.rs`.)

use crate::sim::assets::Assets;
use crate::sim::dataset::Task;
use crate::sim::generate::threads::Seq;
use crate::sim::rng::Rng;

/// The parts of a request that tasks depend on.
#[derive(Debug, Clone)]
pub struct WorkPlan<'a> {
    pub created_at: i64,
    pub end: i64,
    pub open: bool,
    pub group_id: u64,
    pub agents: &'a [u64],
}

/// Approvals used to be drawn here, from the request stream; they now come from a pass of
/// their own (`approvals.rs`). The draws they took are still taken, in the same order and
/// number, so that every other generated value (titles, statuses, threads, tasks…) stays what
/// the tests and the demo were written against. `approvers` and `descriptions` are the sizes
/// of the lists the retired code drew from.
pub fn retired_approval_draws(
    rng: &mut Rng,
    plan: &WorkPlan<'_>,
    status_id: u64,
    approvers: usize,
    descriptions: usize,
) {
    let size = |n: usize| u64::try_from(n).unwrap_or(0);
    let count = if rng.chance(0.2) { 2 } else { 1 };
    for n in 0..count {
        let last = n + 1 == count;
        let status: i8 = if status_id == 8 {
            0
        } else if plan.open && status_id != 6 && last {
            [-1, 1, 0][rng.weighted(&[65, 25, 10])]
        } else if last {
            [1, 0, -2][rng.weighted(&[80, 12, 8])]
        } else {
            1
        };
        rng.chance(0.7);
        rng.below(size(descriptions));
        let mut voters: Vec<u64> = Vec::new();
        for _ in 0..rng.range(1, 3) {
            if approvers == 0 {
                break;
            }
            let voter = rng.below(size(approvers));
            if !voters.contains(&voter) {
                voters.push(voter);
            }
        }
        let decisive = rng.below(size(voters.len()));
        for voter in 0..size(voters.len()) {
            match status {
                -1 if voter == 0 && decisive != 0 => {
                    rng.chance(0.3);
                }
                1 if voter != decisive => {
                    rng.chance(0.5);
                }
                _ => {}
            }
        }
        let span = (plan.end - plan.created_at).max(600);
        rng.range(0, span / 3);
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
