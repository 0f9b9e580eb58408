//! What the breaking news and knowledge-base panes can count on in the demo instances: every
//! importance open more than once (a High one for the banner), closed items, timelines of
//! several updates in order, user groups as an audience, and KB articles whose HTML carries
//! links (for footnotes) in a category tree.

use crate::sim::Instance;
use crate::sim::dataset::{Dataset, news_status, news_type};
use crate::sim::generate::shared_dataset;

#[test]
fn the_demo_has_open_news_of_every_importance_and_closed_ones() {
    let ds = shared_dataset(Instance::It, 7);
    for importance in [news_type::HIGH, news_type::MEDIUM, news_type::LOW] {
        let open = ds
            .news
            .iter()
            .filter(|n| n.is_open() && n.type_id == importance)
            .count();
        assert!(open >= 2, "importance {importance}: {open} open");
    }
    let closed = ds
        .news
        .iter()
        .filter(|n| n.status_id == news_status::CLOSED)
        .count();
    assert!(closed >= 2, "{closed} closed");
    assert!(
        ds.news.iter().filter(|n| n.updates.len() >= 3).count() >= 2,
        "timelines with several entries"
    );
    assert!(ds.news.iter().any(|n| !n.group_ids.is_empty()));
    check_news(&ds);
    check_news(&shared_dataset(Instance::Hr, 7));
    check_news(&shared_dataset(Instance::It, 11));
}

fn check_news(ds: &Dataset) {
    for item in &ds.news {
        let title = &item.title;
        assert!(
            !item.helpdesk_ids.is_empty() || !item.group_ids.is_empty(),
            "{title}"
        );
        assert!(
            item.helpdesk_ids
                .iter()
                .all(|id| ds.helpdesk(*id).is_some())
        );
        assert!(item.group_ids.iter().all(|id| ds.group(*id).is_some()));
        assert!(
            ds.news_types.iter().any(|t| t.id == item.type_id),
            "{title}"
        );
        assert!(item.created_at < ds.now, "{title}");
        let mut previous = item.created_at;
        for update in &item.updates {
            assert!(update.created_at > previous, "{title}: timeline in order");
            assert!(update.created_at < ds.now, "{title}: update in the past");
            assert!(ds.user(update.creator_id).is_some_and(|u| u.is_agent()));
            previous = update.created_at;
        }
        let resolution = item.resolution_time.expect("an estimate");
        if item.is_open() {
            assert!(
                resolution > ds.now,
                "{title}: open items are not yet resolved"
            );
        } else {
            assert!(resolution <= ds.now && resolution >= previous, "{title}");
        }
    }
}

#[test]
fn groups_never_share_an_id_with_a_help_desk_and_hold_their_department() {
    let ds = shared_dataset(Instance::It, 7);
    assert!(ds.groups.len() >= 5);
    for group in &ds.groups {
        assert!(ds.helpdesk(group.id).is_none(), "{}", group.name);
        assert!(!group.members.is_empty(), "{}", group.name);
        for member in &group.members {
            let user = ds.user(*member).expect("a member is a user");
            assert_eq!(user.department, group.name);
        }
    }
}

#[test]
fn articles_are_html_with_links_in_a_category_tree() {
    let ds = shared_dataset(Instance::It, 7);
    for article in &ds.articles {
        let links = article.content.matches("<a href=\"https://").count();
        assert!(links >= 2, "{}: {links} links", article.title);
        assert!(article.content.starts_with("<h2>"), "{}", article.title);
        assert!(ds.kb_categories.iter().any(|c| c.id == article.category_id));
    }
    for category in &ds.kb_categories {
        if let Some(parent) = category.parent_id {
            assert!(
                ds.kb_categories
                    .iter()
                    .any(|c| c.id == parent && c.parent_id.is_none())
            );
        }
    }
    assert!(ds.kb_categories.iter().any(|c| c.parent_id.is_none()));
}
