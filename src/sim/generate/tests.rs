//! Properties of the generated demo instance that the console and the tests rely on.

use std::collections::HashSet;

use super::{demo_dataset, shared_dataset};
use crate::sim::Instance;
use crate::sim::dataset::Dataset;

#[test]
fn same_seed_same_data_and_different_seed_differs() {
    let a = demo_dataset(7);
    let b = demo_dataset(7);
    assert!(a == b, "generation must be deterministic");
    let c = demo_dataset(8);
    assert!(
        a.requests != c.requests,
        "another seed must give other requests"
    );
    // The fixed catalog does not depend on the seed.
    assert_eq!(a.statuses, c.statuses);
    assert_eq!(
        a.helpdesks.iter().map(|h| h.id).collect::<Vec<_>>(),
        c.helpdesks.iter().map(|h| h.id).collect::<Vec<_>>()
    );
}

#[test]
fn catalog_has_the_documented_shape() {
    let ds = shared_dataset(Instance::It, 7);
    let statuses: Vec<&str> = ds.statuses.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "New",
            "Open",
            "In progress",
            "Waiting for customer",
            "Waiting for third party",
            "Resolved",
            "Closed",
            "Rejected"
        ]
    );
    assert_eq!(ds.open_status_ids, [1, 2, 3, 4, 5, 6]);
    assert_eq!(ds.priorities.len(), 5);
    assert_eq!(ds.types.first().map(|t| t.name.as_str()), Some("Incident"));
    assert_eq!(
        ds.types.get(5).map(|t| t.name.as_str()),
        Some("Major Incident")
    );
    let desks: Vec<_> = ds
        .helpdesks
        .iter()
        .filter(|h| h.parent_id.is_none() && !h.deleted)
        .collect();
    assert!(desks.len() >= 4);
    for desk in &desks {
        let levels = ds
            .helpdesks
            .iter()
            .filter(|h| h.parent_id == Some(desk.id))
            .count();
        assert!(
            (2..=3).contains(&levels),
            "{} has {levels} levels",
            desk.name
        );
    }
    assert!(
        ds.categories.len() >= 25,
        "categories must need two pages of 20"
    );
    assert!(ds.categories.iter().any(|c| c.parent_id.is_some()));
    assert!(ds.agents().count() >= 30);
    assert!(ds.customers().count() >= 60);
    assert!(
        ds.users
            .iter()
            .any(|u| u.name == "José" && u.lastname == "Núñez")
    );
    assert!(
        ds.users
            .iter()
            .any(|u| u.name == "Zoë" && u.lastname == "Ångström")
    );
    let usernames: HashSet<&str> = ds.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(usernames.len(), ds.users.len(), "usernames are unique");
    assert!((3..=6).contains(&ds.custom_fields.len()));
    assert_eq!(ds.news.len(), 6);
    assert_eq!(ds.articles.len(), 30);
}

#[test]
fn requests_are_consistent() {
    check_requests(&shared_dataset(Instance::It, 7));
}

/// Edge cases (a request created minutes before "now", a one-voter approval…) depend on the
/// seed, so a few more seeds go through the same checks.
#[test]
fn other_seeds_are_consistent_too() {
    for seed in [0, 1, 42, u64::MAX] {
        check_requests(&demo_dataset(seed));
    }
}

fn check_requests(ds: &Dataset) {
    assert_eq!(ds.requests.len(), 2_000);
    assert!(
        ds.requests.windows(2).all(|w| w[0].id < w[1].id),
        "sorted by id, unique"
    );
    let group_ids: HashSet<u64> = ds
        .helpdesks
        .iter()
        .filter(|h| !h.deleted)
        .map(|h| h.id)
        .collect();
    let category_ids: HashSet<u64> = ds.categories.iter().map(|c| c.id).collect();
    let comment_ids: HashSet<u64> = ds
        .requests
        .iter()
        .flat_map(|r| r.comments.iter().map(|c| c.id))
        .collect();
    let comment_count: usize = ds.requests.iter().map(|r| r.comments.len()).sum();
    assert_eq!(comment_ids.len(), comment_count, "comment ids are unique");
    for r in &ds.requests {
        assert!(
            group_ids.contains(&r.assigned_group_id),
            "request {} has unknown group",
            r.id
        );
        assert!(category_ids.contains(&r.category_id));
        assert!(ds.user(r.user_id).is_some_and(|u| !u.is_agent()));
        if let Some(agent) = r.assigned_id {
            assert!(ds.user(agent).is_some_and(|u| u.is_agent()));
        }
        assert!(
            r.created_at <= ds.now
                && r.last_update <= ds.now
                && r.created_at >= ds.now - 91 * 86_400
        );
        assert!(r.last_update >= r.created_at);
        let open = ds.is_open_status(r.status_id);
        assert_eq!(
            r.closed_at.is_none(),
            open,
            "request {} closed_at vs status",
            r.id
        );
        assert!(r.comments.len() <= 13);
        assert!(
            r.comments
                .windows(2)
                .all(|w| w[0].created_at <= w[1].created_at)
        );
        if matches!(r.status_id, 6 | 7) {
            assert_eq!(
                r.comments.iter().filter(|c| c.is_solution).count(),
                1,
                "request {}",
                r.id
            );
        }
        for link in &r.links {
            assert!(
                ds.request(*link)
                    .is_some_and(|other| other.links.contains(&r.id)),
                "links are symmetric"
            );
        }
    }
    let open = ds.open_requests().count();
    assert!(
        (1_350..=1_650).contains(&open),
        "about 75% open, got {open}"
    );
    for status in 1..=8 {
        assert!(
            ds.requests.iter().any(|r| r.status_id == status),
            "status {status} is used"
        );
    }
    assert!(
        ds.requests
            .iter()
            .any(|r| r.comments.iter().any(|c| !c.customer_visible))
    );
    assert!(ds.requests.iter().any(|r| !r.links.is_empty()));
    assert!(
        ds.requests
            .iter()
            .any(|r| r.approvals.iter().any(|a| a.status == -1))
    );
    assert!(ds.requests.iter().any(|r| !r.tasks.is_empty()));
    assert!(ds.requests.iter().any(|r| !r.custom_fields.is_empty()));
    assert!(ds.requests.iter().any(|r| r.description.contains("<table")));
    assert!(ds.requests.iter().any(|r| r.description.contains("<ul>")));
}

#[test]
fn hostile_requests_are_planted_and_open() {
    let ds = shared_dataset(Instance::It, 7);
    assert_eq!(ds.hostile_ids.len(), 8);
    let hostile: Vec<_> = ds
        .hostile_ids
        .iter()
        .filter_map(|id| ds.request(*id))
        .collect();
    assert_eq!(hostile.len(), 8);
    assert!(hostile.iter().all(|r| ds.is_open_status(r.status_id)));
    assert!(
        hostile
            .iter()
            .any(|r| r.title.contains("\u{1b}]0;PWNED\u{7}"))
    );
    assert!(
        hostile
            .iter()
            .any(|r| r.description.contains("\u{1b}]52;c;"))
    );
    assert!(hostile.iter().any(|r| r.description.contains("\u{1b}[2J")));
    assert!(hostile.iter().any(|r| r.title.contains('\u{200b}')));
    assert!(
        hostile
            .iter()
            .any(|r| r.comments.iter().any(|c| c.message.contains('\u{202e}')))
    );
    assert!(
        hostile
            .iter()
            .any(|r| r.description.matches("<div>").count() >= 2_000)
    );
    assert!(hostile.iter().any(|r| r.description.len() >= 200 * 1024));
}
