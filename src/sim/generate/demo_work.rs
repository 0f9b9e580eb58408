//! Work promised to the person the interactive demo acts as ([`Dataset::demo_agent`]), so the
//! Approvals pane has something to do from the first second: a waiting vote on several waiting
//! approvals spread over several help desks, some where other voters already approved, and one
//! waiting approval of their own to cancel. Whatever the seeded generation already gave them
//! counts; the rest is added here, in request order, without randomness.

use std::collections::BTreeSet;

use crate::sim::dataset::{Dataset, vote_status};
use crate::sim::generate::approvals::approvers;

/// Waiting approvals the demo agent is asked to vote on, at least.
pub const WAITING_VOTES: usize = 8;
/// Help desks those approvals come from, at least (when the instance has that many).
pub const DESKS: usize = 3;
/// Of those approvals, how many have another voter's approval in already.
pub const WITH_OTHERS_APPROVED: usize = 2;

/// `(request index, approval index)` of one approval.
type At = (usize, usize);

pub fn promise(ds: &mut Dataset) {
    let Some(agent) = ds.demo_agent().map(|u| u.id) else {
        return;
    };
    let candidates = candidates(ds);
    let desk = |ds: &Dataset, (r, _): At| {
        ds.requests
            .get(r)
            .map_or(0, |request| ds.desk_of(request.assigned_group_id))
    };
    let waits = |ds: &Dataset, (r, a): At| {
        ds.requests
            .get(r)
            .and_then(|request| request.approvals.get(a))
            .is_some_and(|approval| approval.waits_for(agent))
    };

    // Votes: first on desks not covered yet, then anywhere, until both counts are met.
    for spread in [true, false] {
        for &at in &candidates {
            let mine: Vec<At> = candidates
                .iter()
                .copied()
                .filter(|&c| waits(ds, c))
                .collect();
            let desks: BTreeSet<u64> = mine.iter().map(|&c| desk(ds, c)).collect();
            if mine.len() >= WAITING_VOTES && desks.len() >= DESKS {
                break;
            }
            if spread && desks.contains(&desk(ds, at)) {
                continue;
            }
            if let Some(approval) = approval_mut(ds, at)
                && approval.voters.len() < 4
            {
                approval.add_voter(agent);
            }
        }
    }

    // Someone else already approved some of them.
    let pool: Vec<u64> = approvers(&ds.users)
        .into_iter()
        .filter(|u| *u != agent)
        .collect();
    let mine: Vec<At> = candidates
        .iter()
        .copied()
        .filter(|&c| waits(ds, c))
        .collect();
    let mut with_others = mine
        .iter()
        .filter(|&&c| others_approved(ds, c, agent))
        .count();
    for &at in &mine {
        if with_others >= WITH_OTHERS_APPROVED {
            break;
        }
        if others_approved(ds, at, agent) {
            continue;
        }
        let Some(approval) = approval_mut(ds, at) else {
            continue;
        };
        let other = approval
            .voters
            .iter()
            .find(|v| v.user_id != agent && v.status == vote_status::WAITING)
            .map(|v| v.user_id)
            .or_else(|| {
                let fresh = pool
                    .iter()
                    .find(|u| approval.vote_of(**u).is_none())
                    .copied();
                fresh.filter(|u| approval.add_voter(*u))
            });
        if let Some(other) = other {
            approval.vote(other, true, None);
            with_others += 1;
        }
    }

    // One waiting approval they asked for themselves, where they do not vote.
    let authored = candidates.iter().any(|&(r, a)| {
        ds.requests
            .get(r)
            .and_then(|request| request.approvals.get(a))
            .is_some_and(|approval| approval.author_id == agent)
    });
    if !authored {
        let in_their_desk = |ds: &Dataset, (r, _): At| {
            ds.requests.get(r).is_some_and(|request| {
                ds.helpdesk(request.assigned_group_id)
                    .is_some_and(|h| h.members.contains(&agent))
            })
        };
        let not_voting = |ds: &Dataset, (r, a): At| {
            ds.requests
                .get(r)
                .and_then(|request| request.approvals.get(a))
                .is_some_and(|approval| approval.vote_of(agent).is_none())
        };
        let choice = candidates
            .iter()
            .copied()
            .find(|&c| not_voting(ds, c) && in_their_desk(ds, c))
            .or_else(|| candidates.iter().copied().find(|&c| not_voting(ds, c)));
        if let Some(approval) = choice.and_then(|at| approval_mut(ds, at)) {
            approval.author_id = agent;
        }
    }
}

/// Waiting approvals on open requests that are not hostile-text ones, in request order.
fn candidates(ds: &Dataset) -> Vec<At> {
    let life = ds.lifecycle();
    let mut out = Vec::new();
    for (r, request) in ds.requests.iter().enumerate() {
        if !ds.is_open_status(request.status_id)
            || request.status_id == life.resolved
            || ds.hostile_ids.contains(&request.id)
        {
            continue;
        }
        for (a, approval) in request.approvals.iter().enumerate() {
            if approval.is_waiting() {
                out.push((r, a));
            }
        }
    }
    out
}

fn approval_mut(ds: &mut Dataset, (r, a): At) -> Option<&mut crate::sim::dataset::Approval> {
    ds.requests
        .get_mut(r)
        .and_then(|request| request.approvals.get_mut(a))
}

fn others_approved(ds: &Dataset, (r, a): At, agent: u64) -> bool {
    ds.requests
        .get(r)
        .and_then(|request| request.approvals.get(a))
        .is_some_and(|approval| {
            approval
                .voters
                .iter()
                .any(|v| v.user_id != agent && v.status == vote_status::APPROVED)
        })
}
