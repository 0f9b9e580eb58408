//! Generated approvals: every one a state the rules reach, templates offered by request type
//! and desk, and the work promised to the demo agent.

use std::collections::HashSet;

use crate::sim::Instance;
use crate::sim::dataset::{Dataset, approval_kind, approval_status, vote_status};
use crate::sim::generate::{demo_dataset, demo_dataset_at, instance_dataset, shared_dataset};

/// Every generated approval is a state the rules can reach: see `dataset/approvals.rs`.
#[test]
fn approvals_follow_the_rules() {
    check_approvals(&shared_dataset(Instance::It, 7));
    check_approvals(&shared_dataset(Instance::Hr, 7));
    for seed in [0, 42] {
        check_approvals(&demo_dataset(seed));
        check_approvals(&instance_dataset(Instance::Hr, seed, None));
    }
}

fn check_approvals(ds: &Dataset) {
    let life = ds.lifecycle();
    let mut ids = HashSet::new();
    let mut seen = HashSet::new();
    for r in &ds.requests {
        if ![2, 5].contains(&r.type_id) {
            assert!(
                r.approvals.is_empty(),
                "request {} of type {}",
                r.id,
                r.type_id
            );
        }
        let end = r.closed_at.or(r.solved_at).unwrap_or(ds.now).min(ds.now);
        for a in &r.approvals {
            let at = format!("approval {} of request {}", a.id, r.id);
            assert!(ids.insert(a.id), "{at}: ids are unique");
            assert!(
                a.created_at >= r.created_at && a.created_at <= end,
                "{at}: {} not in {}..={end} (status {})",
                a.created_at,
                r.created_at,
                r.status_id
            );
            assert!(
                (1..=4).contains(&a.voters.len()),
                "{at}: {} voters",
                a.voters.len()
            );
            let voters: HashSet<u64> = a.voters.iter().map(|v| v.user_id).collect();
            assert_eq!(voters.len(), a.voters.len(), "{at}: a voter is asked once");
            assert!(voters.iter().all(|id| ds.user(*id).is_some()), "{at}");
            assert!(ds.user(a.author_id).is_some_and(|u| u.is_agent()), "{at}");
            let template = a.template_id.and_then(|id| ds.approval_template(id));
            if a.kind == approval_kind::PREDEFINED {
                let t = template
                    .unwrap_or_else(|| panic!("{at}: a predefined approval has its template"));
                assert!(
                    t.applies_to(r.type_id, ds.desk_of(r.assigned_group_id)),
                    "{at}"
                );
                assert!(t.voters.iter().all(|v| voters.contains(v)), "{at}");
                let expiry = (t.expired_in > 0).then(|| a.created_at + t.expired_in);
                assert_eq!(a.expires_at, expiry, "{at}");
            } else {
                assert_eq!(a.kind, approval_kind::SPONTANEOUS, "{at}");
                assert!(a.template_id.is_none() && a.expires_at.is_none(), "{at}");
            }
            let votes: Vec<i8> = a.voters.iter().map(|v| v.status).collect();
            let count = |status: i8| votes.iter().filter(|v| **v == status).count();
            let expired = count(vote_status::EXPIRED) > 0;
            if expired {
                assert!(
                    a.expires_at.is_some_and(|t| t <= end),
                    "{at}: expired in time"
                );
            }
            match a.status {
                approval_status::WAITING => {
                    assert!(
                        ds.is_open_status(r.status_id) && r.status_id != life.resolved,
                        "{at}"
                    );
                    assert!(count(vote_status::WAITING) > 0, "{at}");
                    assert!(votes.iter().all(|v| [-1, 1].contains(v)), "{at}: {votes:?}");
                    assert!(a.expires_at.is_none_or(|t| t > ds.now + 3_600), "{at}");
                }
                approval_status::APPROVED => {
                    assert!(votes.iter().all(|v| [1, 2].contains(v)), "{at}: {votes:?}");
                    assert!(
                        !expired || template.is_some_and(|t| t.expired_approved),
                        "{at}"
                    );
                }
                approval_status::REJECTED if expired => {
                    assert!(votes.iter().all(|v| [1, 2].contains(v)), "{at}: {votes:?}");
                    assert!(template.is_some_and(|t| !t.expired_approved), "{at}");
                }
                approval_status::REJECTED => {
                    assert_eq!(count(vote_status::REJECTED), 1, "{at}: {votes:?}");
                    assert!(
                        votes.iter().all(|v| [1, 0, -2].contains(v)),
                        "{at}: {votes:?}"
                    );
                }
                approval_status::CANCELLED => {
                    assert!(count(vote_status::ANNULLED) > 0, "{at}: {votes:?}");
                    assert!(votes.iter().all(|v| [1, -2].contains(v)), "{at}: {votes:?}");
                }
                other => panic!("{at}: status {other}"),
            }
            if a.status == approval_status::WAITING && count(vote_status::APPROVED) > 0 {
                seen.insert("waiting with a vote in");
            }
            seen.insert(match a.status {
                approval_status::WAITING => "waiting",
                approval_status::APPROVED if expired => "expired and approved",
                approval_status::REJECTED if expired => "expired and rejected",
                approval_status::APPROVED => "approved",
                approval_status::REJECTED => "rejected",
                _ => "cancelled",
            });
            seen.insert(if a.kind == approval_kind::PREDEFINED {
                "predefined"
            } else {
                "spontaneous"
            });
            if a.voters.len() >= 3 {
                seen.insert("three voters or more");
            }
        }
    }
    for kind in [
        "waiting",
        "waiting with a vote in",
        "approved",
        "rejected",
        "cancelled",
        "predefined",
        "spontaneous",
        "three voters or more",
    ] {
        assert!(seen.contains(kind), "no {kind} approval");
    }
    assert!(
        seen.contains("expired and approved") || seen.contains("expired and rejected"),
        "no expired approval"
    );
    assert!(!ds.approvals_due(ds.now), "nothing expires at start");
}

#[test]
fn templates_are_offered_by_request_type_and_desk() {
    for instance in Instance::ALL {
        let ds = shared_dataset(instance, 7);
        let name = instance.name();
        assert!(ds.approval_templates.len() >= 4, "{name}");
        for t in &ds.approval_templates {
            assert!(!t.voters.is_empty(), "{name}: {} asks nobody", t.title);
            assert!(
                t.voters
                    .iter()
                    .all(|v| ds.user(*v).is_some_and(|u| u.is_agent()))
            );
            assert!(!t.type_ids.is_empty() && t.type_ids.iter().all(|id| [2, 5].contains(id)));
        }
        assert!(ds.approval_templates.iter().any(|t| t.description_required));
        assert!(
            ds.approval_templates
                .iter()
                .any(|t| !t.description_required)
        );
        assert!(ds.approval_templates.iter().any(|t| t.expired_approved));
        let offered = |type_id: u64| {
            ds.requests
                .iter()
                .filter(|r| r.type_id == type_id)
                .any(|r| ds.approval_templates_for(r).next().is_some())
        };
        assert!(offered(2) && offered(5), "{name}");
        assert!(
            ds.requests
                .iter()
                .filter(|r| r.type_id == 1)
                .all(|r| ds.approval_templates_for(r).next().is_none()),
            "{name}: incidents use no template"
        );
        // Templates differ by desk: some service request is offered fewer than all.
        let all_sr = ds
            .approval_templates
            .iter()
            .filter(|t| t.type_ids.contains(&2))
            .count();
        assert!(
            ds.requests
                .iter()
                .filter(|r| r.type_id == 2)
                .any(|r| { ds.approval_templates_for(r).count() < all_sr })
        );
    }
}

/// `main.rs` acts as the first enabled agent of a help desk; the Approvals pane must have work
/// for that person in the demo (whatever "now" the demo starts at) and in both instances.
#[test]
fn the_demo_agent_has_approvals_to_vote_on_and_one_to_cancel() {
    let cases = [
        demo_dataset(7),
        demo_dataset_at(7, Some(1_900_000_000)),
        instance_dataset(Instance::Hr, 7, None),
    ];
    for ds in &cases {
        // The rule of `main.rs`'s `demo_agent`, verbatim.
        let in_a_desk = |id: u64| ds.helpdesks.iter().any(|d| d.members.contains(&id));
        let agent = ds
            .agents()
            .find(|u| !u.is_disabled && in_a_desk(u.id))
            .expect("a demo agent");
        assert_eq!(ds.demo_agent().map(|u| u.id), Some(agent.id));
        let open = |status: u64| ds.is_open_status(status) && status != ds.lifecycle().resolved;
        let mine: Vec<_> = ds
            .requests
            .iter()
            .filter(|r| open(r.status_id))
            .flat_map(|r| r.approvals.iter().map(move |a| (r, a)))
            .filter(|(_, a)| a.waits_for(agent.id))
            .collect();
        assert!(mine.len() >= 6, "{} waiting votes", mine.len());
        let desks: HashSet<u64> = mine
            .iter()
            .map(|(r, _)| ds.desk_of(r.assigned_group_id))
            .collect();
        assert!(desks.len() >= 3, "{} desks", desks.len());
        let others_in = mine
            .iter()
            .filter(|(_, a)| {
                a.voters
                    .iter()
                    .any(|v| v.user_id != agent.id && v.status == vote_status::APPROVED)
            })
            .count();
        assert!(others_in >= 2, "{others_in} with another voter's approval");
        assert!(
            ds.requests.iter().filter(|r| open(r.status_id)).any(|r| r
                .approvals
                .iter()
                .any(|a| a.is_waiting() && a.author_id == agent.id)),
            "a waiting approval of their own"
        );
    }
}
