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
