//! Breaking news and knowledge-base replies read and mapped: ints or strings, the KB envelope
//! with "OK" or "success", `[]` for nothing, an element that cannot be read costing only
//! itself, and the names a user reads (importance, status, desks, groups, people, categories)
//! with their fallbacks.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::map;
use super::news_map::{self, NewsWords};
use super::news_wire::{self, KbCategoryWire, NewsUpdateWire, NewsWire};
use super::wire::HelpDeskWire;
use crate::domain::{Catalog, Importance, Person, UserId};
use crate::provider::ProviderError;
use crate::text::SafeText;

fn catalog() -> Catalog {
    let desk = |id: &str, name: Option<&str>, parent: Option<&str>| HelpDeskWire {
        id: id.into(),
        name: name.map(str::to_string),
        parent_id: parent.map(str::to_string),
        level_order: parent.map(|_| 2),
        ..Default::default()
    };
    let mut c = Catalog {
        help_desks: map::help_desks(&[
            desk("3", Some("Service Desk"), None),
            desk("4", None, Some("3")),
            desk("5", Some("Facilities"), None),
        ]),
        ..Default::default()
    };
    c.people.insert(
        UserId::from("12"),
        Person {
            id: UserId::from("12"),
            name: SafeText::line("Ada Lovelace"),
            email: None,
            is_agent: true,
        },
    );
    c
}

fn words() -> NewsWords {
    let names = |pairs: &[(&str, &str)]| -> HashMap<String, SafeText> {
        pairs
            .iter()
            .map(|(id, n)| (id.to_string(), SafeText::line(n)))
            .collect()
    };
    NewsWords {
        types: names(&[("1", "Critical outage"), ("2", "Degraded")]),
        statuses: names(&[("1", "Ongoing"), ("2", "Resolved")]),
        groups: names(&[("101", "Finance"), ("5", "Facilities team")]),
    }
}

fn news(reply: Value) -> Vec<NewsWire> {
    news_wire::with_ids("breakingnews.all", reply, |n: &mut NewsWire| &mut n.id).unwrap()
}

#[test]
fn news_reads_alike_with_ints_or_strings() {
    let modern = json!([{"id": 3, "type_id": 1, "title": "Mail down", "body": "<p>Delays</p>",
        "affected_helpdesk_ids": [3, 5], "affected_group_ids": [], "resolution_time": 1_700_003_600,
        "created_at": 1_700_000_000, "created_by_id": 12, "status_id": 1}]);
    let legacy = json!([{"id": "3", "type_id": "1", "title": "Mail down", "body": "<p>Delays</p>",
        "affected_helpdesk_ids": ["3", "5"], "affected_group_ids": null,
        "resolution_time": "1700003600", "created_at": "1700000000", "created_by_id": "12",
        "status_id": "1"}]);
    for reply in [modern, legacy] {
        let list = news(reply);
        let n = &list[0];
        assert_eq!(
            (n.id.as_str(), n.type_id, n.status_id),
            ("3", Some(1), Some(1))
        );
        assert_eq!(n.affected_helpdesk_ids, ["3", "5"]);
        assert_eq!(n.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(
            n.resolution_time.map(|t| t.timestamp()),
            Some(1_700_003_600)
        );
        assert_eq!(n.created_by_id.as_deref(), Some("12"));
    }
}

#[test]
fn a_malformed_news_item_costs_only_itself() {
    let list = news(
        json!([{"id": 1}, "garbage", {"id": {"x": 1}, "title": "odd id"}, {"title": "no id"},
        {"id": 4}]),
    );
    let ids: Vec<&str> = list.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["1", "4"]);
    assert!(news(json!([])).is_empty());
    let keyed = news(json!({"7": {"title": "keyed by id"}}));
    assert_eq!(keyed[0].id, "7");
    let nothing = news_wire::with_ids("breakingnews.all", json!("x"), |n: &mut NewsWire| &mut n.id);
    assert!(matches!(nothing, Err(ProviderError::Decode { .. })));
}

#[test]
fn one_news_item_is_an_object_or_wrapped_in_data() {
    for reply in [
        json!({"id": 3, "title": "Outage"}),
        json!({"status": "OK", "data": {"id": "3", "title": "Outage"}}),
        json!([{"id": 3, "title": "Outage"}]),
    ] {
        let n = news_wire::one_news("breakingnews", reply).unwrap();
        assert_eq!((n.id.as_str(), n.title.as_deref()), ("3", Some("Outage")));
    }
    for bad in [json!("Outage"), json!([]), json!(null)] {
        assert!(matches!(
            news_wire::one_news("breakingnews", bad),
            Err(ProviderError::Decode { .. })
        ));
    }
}

#[test]
fn importance_and_state_come_from_the_ids_with_the_servers_names() {
    let c = catalog();
    let item = |type_id: Value, status_id: Value| {
        let w = &news(json!([{"id": 1, "type_id": type_id, "status_id": status_id}]))[0];
        news_map::news_item(w, &c, &words())
    };
    let high = item(json!(1), json!(1));
    assert_eq!(high.importance, Importance::High);
    assert_eq!(
        high.importance_name.as_ref().map(SafeText::as_str),
        Some("Critical outage")
    );
    assert!(high.open);
    assert_eq!(
        high.status_name.as_ref().map(SafeText::as_str),
        Some("Ongoing")
    );
    let closed = item(json!("2"), json!("2"));
    assert_eq!(closed.importance, Importance::Medium);
    assert!(!closed.open);
    assert_eq!(
        closed.status_name.as_ref().map(SafeText::as_str),
        Some("Resolved")
    );
    let low = item(json!(3), json!(9));
    assert_eq!(low.importance, Importance::Low);
    assert_eq!(low.importance_name, None, "the server named no type 3");
    assert!(low.open, "an unknown status is shown as still going on");
    assert_eq!(item(json!(7), json!(null)).importance, Importance::Other);
    assert_eq!(item(json!(null), json!(1)).importance, Importance::Other);
    let unnamed = news_map::news_item(
        &news(json!([{"id": 1, "type_id": 1, "status_id": 1}]))[0],
        &c,
        &NewsWords::default(),
    );
    assert_eq!((unnamed.importance_name, unnamed.status_name), (None, None));
}

#[test]
fn desks_groups_and_people_are_named_or_fall_back() {
    let c = catalog();
    let w = &news(
        json!([{"id": 8, "title": "  ", "body": "<p>Use <b>webmail</b></p>",
        "affected_helpdesk_ids": [3, 4, 99, 3], "affected_group_ids": [101, 5, 7],
        "created_by_id": 12}]),
    )[0];
    let n = news_map::news_item(w, &c, &words());
    let desks: Vec<String> = n.desks.iter().map(|d| d.name.to_string()).collect();
    assert_eq!(
        desks,
        ["Service Desk", "Service Desk / Level 2", "Help desk 99"]
    );
    let groups = |n: &crate::domain::NewsItem| -> Vec<String> {
        n.groups
            .iter()
            .map(|g| format!("{}={}", g.id, g.name))
            .collect()
    };
    assert_eq!(
        groups(&n),
        ["101=Finance", "5=Facilities team", "7=Group 7"],
        "the groups list names them first"
    );
    let unlisted = news_map::news_item(w, &c, &NewsWords::default());
    assert_eq!(
        groups(&unlisted),
        ["101=Group 101", "5=Facilities", "7=Group 7"],
        "without it, a help desk's id is the desk"
    );
    assert_eq!(
        n.creator.map(|p| p.name.to_string()).as_deref(),
        Some("Ada Lovelace")
    );
    assert_eq!(n.title.as_str(), "Breaking news 8");
    assert!(n.body.as_str().contains("webmail") && !n.body.as_str().contains('<'));
    let stranger =
        &news(json!([{"id": 9, "title": "\u{1b}]0;PWNED\u{7}Mail", "created_by_id": 30}]))[0];
    let n = news_map::news_item(stranger, &c, &words());
    assert_eq!(
        n.creator.map(|p| p.name.to_string()).as_deref(),
        Some("User 30")
    );
    assert!(!n.title.as_str().contains('\u{1b}') && !n.title.as_str().contains("PWNED"));
}

#[test]
fn the_timeline_runs_oldest_first() {
    let list: Vec<NewsUpdateWire> = super::approval_wire::elements(
        "breakingnews.status",
        json!([{"created_at": 300, "creator_id": 12, "body": "<p>Fixed</p>"},
               {"created_at": "100", "creator_id": "30", "body": "Seen"},
               {"body": "undated"}, 5]),
    )
    .unwrap()
    .into_iter()
    .map(|(_, u)| u)
    .collect();
    let updates = news_map::news_updates(&list, &catalog());
    let bodies: Vec<&str> = updates.iter().map(|u| u.body.as_str().trim()).collect();
    assert_eq!(bodies, ["Seen", "Fixed", "undated"]);
    assert_eq!(
        updates[0]
            .creator
            .as_ref()
            .map(|p| p.name.to_string())
            .as_deref(),
        Some("User 30")
    );
}

#[test]
fn kb_envelopes_read_with_ok_or_success_and_string_numbers() {
    for status in ["OK", "success"] {
        let page = news_wire::articles(
            "kb.articles.by.category",
            json!({"status": status, "total_count": "41", "data": [
                {"id": "2", "title": "Reset password", "category_id": "4", "views": "120",
                 "rating": "4.5", "last_update_date": "1700000000", "search_scoring": "0.75"},
                {"id": 3, "title": "VPN", "visits": 9, "rating": 3, "creation_date": 1_600_000_000,
                 "search_scoring": 1}]}),
        )
        .unwrap();
        assert_eq!((page.total, page.sent), (Some(41), 2), "{status}");
        let a = &page.articles[0];
        assert_eq!(
            (a.views(), a.rating, a.search_scoring),
            (Some(120), Some(4.5), Some(0.75))
        );
        assert_eq!(a.updated_at().map(|t| t.timestamp()), Some(1_700_000_000));
        let b = &page.articles[1];
        assert_eq!(
            (b.views(), b.rating, b.search_scoring),
            (Some(9), Some(3.0), Some(1.0))
        );
        assert_eq!(
            b.updated_at().map(|t| t.timestamp()),
            Some(1_600_000_000),
            "never changed"
        );
    }
    let empty =
        news_wire::articles("kb.articles.by.ids", json!({"status": "OK", "data": []})).unwrap();
    assert!(empty.articles.is_empty() && empty.total.is_none());
    assert!(
        news_wire::articles("kb.articles.by.ids", json!([]))
            .unwrap()
            .articles
            .is_empty()
    );
}

#[test]
fn a_malformed_article_costs_only_itself_but_still_moves_the_page_on() {
    let page = news_wire::articles(
        "kb.articles.by.category",
        json!({"status": "OK", "data": [{"id": 1}, 7, {"id": ["x"], "title": "odd id"}, {"id": 3}]}),
    )
    .unwrap();
    let ids: Vec<&str> = page.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["1", "3"]);
    assert_eq!(page.sent, 4, "the next page starts after all four");
}

#[test]
fn search_hits_are_ordered_best_first_whatever_the_server_sent() {
    let page = news_wire::articles(
        "kb.articles.by.keywords",
        json!({"status": "OK", "data": [
            {"id": 1, "search_scoring": 0.2}, {"id": 2}, {"id": 3, "search_scoring": "0.9"},
            {"id": 4, "search_scoring": 7}, {"id": 5, "search_scoring": 0.5}]}),
    )
    .unwrap();
    let mut hits: Vec<_> = page
        .articles
        .iter()
        .map(|a| news_map::hit(a, &HashMap::new()))
        .collect();
    news_map::sort_hits(&mut hits);
    let order: Vec<(&str, Option<f64>)> = hits
        .iter()
        .map(|h| (h.article.id.as_str(), h.score))
        .collect();
    assert_eq!(
        order,
        [
            ("3", Some(0.9)),
            ("5", Some(0.5)),
            ("1", Some(0.2)),
            ("2", None),
            ("4", None)
        ]
    );
}

#[test]
fn articles_are_named_rendered_and_linked_safely() {
    let page = news_wire::articles(
        "kb.articles.by.ids",
        json!({"status": "OK", "data": [
            {"id": 2, "title": "Printer jams", "category_id": 4, "url": "https://kb.example/a/2",
             "content": "<p>Open the <a href=\"https://intranet.example/portal\">portal</a>.</p>"},
            {"id": 3, "title": "", "category_id": 99, "link": "javascript:alert(1)",
             "description": "Only a summary", "content": ""}]}),
    )
    .unwrap();
    let names: HashMap<String, SafeText> = [("4".to_string(), SafeText::line("Printers"))].into();
    let a = news_map::article(&page.articles[0], &names);
    assert_eq!(
        a.summary.category.map(|c| c.name.to_string()).as_deref(),
        Some("Printers")
    );
    assert_eq!(a.summary.url.as_deref(), Some("https://kb.example/a/2"));
    assert!(a.body.as_str().contains("portal"), "{}", a.body);
    assert!(
        a.body.as_str().contains("https://intranet.example/portal"),
        "{}",
        a.body
    );
    assert!(!a.body.as_str().contains("<a"), "{}", a.body);
    let b = news_map::article(&page.articles[1], &names);
    assert_eq!(b.summary.title.as_str(), "Article 3");
    assert_eq!(
        b.summary.category.map(|c| c.name.to_string()).as_deref(),
        Some("Category 99")
    );
    assert_eq!(b.summary.url, None, "only web addresses are kept");
    assert_eq!(b.body.as_str(), "Only a summary");
}

#[test]
fn categories_keep_their_parents_and_roots() {
    let list = news_wire::with_ids(
        "kb.categories",
        json!([{"id": 1, "parent_id": 0, "name": "Hardware"}, {"id": "2", "parent_id": "1",
                "name": "Printers"}, {"id": 3, "parent_id": 3}, {"parent_id": 1}]),
        |w: &mut KbCategoryWire| &mut w.id,
    )
    .unwrap();
    let got: Vec<(String, String, Option<String>)> = list
        .iter()
        .map(news_map::category)
        .map(|c| (c.id, c.name.to_string(), c.parent))
        .collect();
    assert_eq!(
        got,
        [
            ("1".into(), "Hardware".into(), None),
            ("2".into(), "Printers".into(), Some("1".into())),
            ("3".into(), "Category 3".into(), None),
        ]
    );
}
