//! Breaking news and the knowledge base through the real InvGate provider against the
//! project's simulator: news listed open first and by importance, with the server's names for
//! types and statuses (and without them when those lists fail); one item with its timeline
//! oldest first (and without it when the timeline fails); the timeline alone in one call, a
//! fresh update last; a KB search that puts `min_search_scoring` and `limit` on the wire and
//! comes back best first; the category tree; a category's articles by offset; articles by id,
//! their links shown as footnotes.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use secrecy::SecretString;
use ttydesk::domain::{Catalog, Cursor, Importance, KbQuery, category_path};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::invgate::{InvGate, InvGateConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions};

async fn sim(opts: SimOptions) -> SimHandle {
    SimHandle::start(opts).await.expect("simulator starts")
}

fn provider(sim: &SimHandle) -> InvGate {
    InvGate::new(InvGateConfig {
        base_url: sim.base_url(),
        username: sim.username().to_string(),
        token: SecretString::from(sim.password().to_string()),
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds")
}

async fn catalog(ig: &InvGate) -> Arc<Catalog> {
    Arc::new(ig.catalog().await.expect("catalog loads"))
}

fn param<'a>(r: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn calls(sim: &SimHandle, endpoint: &str) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.endpoint == endpoint)
        .collect()
}

fn fault(endpoint: &str, kind: FaultKind) -> Fault {
    Fault {
        endpoint: Some(endpoint.to_string()),
        kind,
        times: 1,
    }
}

fn legacy() -> SimOptions {
    SimOptions {
        legacy_strings: true,
        ..SimOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_are_listed_open_first_by_importance_with_the_servers_names() {
    for opts in [SimOptions::default(), legacy()] {
        let sim = sim(opts).await;
        let ig = provider(&sim);
        let c = catalog(&ig).await;
        let ds = sim.dataset();
        sim.clear_requests();
        let news = ig.news(c.clone()).await.expect("news");

        assert_eq!(news.len(), ds.news.len());
        let open = news.iter().take_while(|n| n.open).count();
        assert_eq!(open, ds.news.iter().filter(|n| n.status_id == 1).count());
        assert!(news[open..].iter().all(|n| !n.open), "closed ones last");
        assert!(
            news[..open]
                .windows(2)
                .all(|w| w[0].importance <= w[1].importance)
        );
        assert_eq!(news[0].importance, Importance::High);
        for item in &news {
            let want = ds
                .news
                .iter()
                .find(|n| n.id.to_string() == item.id)
                .expect("a news item of the server");
            assert_eq!(item.title.as_str(), want.title);
            let type_name = ds.news_types.iter().find(|t| t.id == want.type_id);
            assert_eq!(
                item.importance_name.as_ref().map(|n| n.as_str()),
                type_name.map(|t| t.name.as_str())
            );
            let status_name = ds.news_statuses.iter().find(|s| s.id == want.status_id);
            assert_eq!(
                item.status_name.as_ref().map(|n| n.as_str()),
                status_name.map(|s| s.name.as_str())
            );
            let desks: Vec<&str> = item.desks.iter().map(|d| d.name.as_str()).collect();
            let want_desks: Vec<&str> = want
                .helpdesk_ids
                .iter()
                .filter_map(|id| ds.helpdesks.iter().find(|h| h.id == *id))
                .map(|h| h.name.as_str())
                .collect();
            assert_eq!(desks, want_desks, "desks by name");
            let creator = item.creator.as_ref().expect("a creator");
            assert_eq!(
                Some(creator.name.as_str()),
                c.person(creator.id.as_str()).map(|p| p.name.as_str()),
                "named through the catalog"
            );
            assert!(!item.body.as_str().contains("<p>"), "{}", item.body);
            assert!(item.created_at.is_some());
        }
        for endpoint in [
            "breakingnews.all",
            "breakingnews.attributes.type",
            "breakingnews.attributes.status",
            "groups",
        ] {
            assert_eq!(calls(&sim, endpoint).len(), 1, "{endpoint}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_names_that_cannot_be_read_leave_the_news_whole() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    sim.inject(fault(
        "breakingnews.attributes.type",
        FaultKind::Status(500, r#"{"error":"boom"}"#.into()),
    ));
    sim.inject(fault(
        "breakingnews.attributes.status",
        FaultKind::LogicalError("No statuses.".into()),
    ));
    let news = ig.news(c).await.expect("news without names");
    assert_eq!(news.len(), sim.dataset().news.len());
    assert!(
        news.iter()
            .all(|n| n.importance_name.is_none() && n.status_name.is_none())
    );
    assert_eq!(news[0].importance, Importance::High, "still by importance");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_an_item_after_the_list_reuses_its_names_unless_they_failed() {
    const NAMES: [&str; 3] = [
        "breakingnews.attributes.type",
        "breakingnews.attributes.status",
        "groups",
    ];
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    let asked_names = |sim: &SimHandle| NAMES.iter().map(|e| calls(sim, e).len()).sum::<usize>();
    // The types fail with the listing: nothing is kept, so the item asks for the names.
    sim.inject(fault(
        "breakingnews.attributes.type",
        FaultKind::Status(500, r#"{"error":"boom"}"#.into()),
    ));
    let news = ig.news(Arc::clone(&c)).await.expect("news");
    let id = news[0].id.clone();
    sim.clear_requests();
    let d = ig
        .news_detail(id.clone(), Arc::clone(&c))
        .await
        .expect("detail");
    assert_eq!(asked_names(&sim), 3, "asked again after a failure");
    assert!(d.item.importance_name.is_some(), "{:?}", d.item);
    // Read in full now: the next item is the item and its timeline only, names and all.
    sim.clear_requests();
    let again = ig.news_detail(id, Arc::clone(&c)).await.expect("detail");
    assert_eq!(asked_names(&sim), 0);
    assert_eq!(sim.requests().len(), 2, "{:?}", sim.requests());
    assert_eq!(again.item.importance_name, d.item.importance_name);
    assert_eq!(again.item.status_name, d.item.status_name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_news_item_shows_its_timeline_oldest_first() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    let ds = sim.dataset();
    let want = ds
        .news
        .iter()
        .find(|n| n.updates.len() >= 2)
        .expect("an item with updates");
    sim.clear_requests();
    let d = ig
        .news_detail(want.id.to_string(), c.clone())
        .await
        .expect("detail");
    assert!(d.partial.is_empty(), "{:?}", d.partial);
    assert_eq!(d.item.id, want.id.to_string());
    assert_eq!(d.item.title.as_str(), want.title);
    assert_eq!(d.updates.len(), want.updates.len());
    assert!(d.updates.windows(2).all(|w| w[0].at <= w[1].at));
    let first = want.updates[0].body.replace("<p>", "").replace("</p>", "");
    assert!(
        d.updates[0].body.as_str().contains(first.trim()),
        "{} / {first}",
        d.updates[0].body
    );
    assert!(d.updates.iter().all(|u| u.creator.is_some()));
    for endpoint in ["breakingnews", "breakingnews.status"] {
        let sent = calls(&sim, endpoint);
        assert_eq!(sent.len(), 1, "{endpoint}");
        assert_eq!(param(&sent[0], "id"), Some(want.id.to_string().as_str()));
    }

    // Three times: a read is tried twice more after a 503 before it fails.
    sim.inject(Fault {
        times: 3,
        ..fault(
            "breakingnews.status",
            FaultKind::Status(503, r#"{"error":"down"}"#.into()),
        )
    });
    let without = ig
        .news_detail(want.id.to_string(), c.clone())
        .await
        .expect("the item without its timeline");
    assert_eq!(without.item.title.as_str(), want.title);
    assert!(without.updates.is_empty());
    assert_eq!(without.partial.len(), 1, "{:?}", without.partial);
    assert!(
        without.partial[0].contains("timeline"),
        "{:?}",
        without.partial
    );

    let missing = ig.news_detail("9999".into(), c).await.unwrap_err();
    assert!(matches!(missing, ProviderError::Rejected(_)), "{missing:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kb_search_asks_for_a_score_and_a_count_and_comes_back_best_first() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let ds = sim.dataset();
    sim.clear_requests();
    let query = KbQuery {
        words: "printer network vpn".into(),
        min_score: Some(0.3),
        limit: 3,
    };
    let hits = ig.kb_search(query).await.expect("search");
    assert!(!hits.is_empty() && hits.len() <= 3, "{hits:?}");
    let scores: Vec<f64> = hits.iter().map(|h| h.score.expect("a score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.iter().all(|s| *s >= 0.3), "{scores:?}");
    for hit in &hits {
        let want = ds
            .articles
            .iter()
            .find(|a| a.id.to_string() == hit.article.id)
            .expect("an article of the server");
        assert_eq!(hit.article.title.as_str(), want.title);
        let category = ds.kb_categories.iter().find(|c| c.id == want.category_id);
        assert_eq!(
            hit.article.category.as_ref().map(|c| c.name.as_str()),
            category.map(|c| c.name.as_str()),
            "the category by name"
        );
    }
    let sent = calls(&sim, "kb.articles.by.keywords");
    assert_eq!(sent.len(), 1);
    assert_eq!(param(&sent[0], "keywords"), Some("printer network vpn"));
    assert_eq!(param(&sent[0], "min_search_scoring"), Some("0.3"));
    assert_eq!(param(&sent[0], "limit"), Some("3"));

    sim.clear_requests();
    let blank = KbQuery {
        words: "   ".into(),
        min_score: None,
        limit: 10,
    };
    let refused = ig.kb_search(blank).await.unwrap_err();
    assert!(matches!(refused, ProviderError::Rejected(_)), "{refused:?}");
    assert!(sim.requests().is_empty(), "nothing sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kb_categories_form_a_tree() {
    let sim = sim(legacy()).await;
    let ig = provider(&sim);
    let ds = sim.dataset();
    let categories = ig.kb_categories().await.expect("categories");
    assert_eq!(categories.len(), ds.kb_categories.len());
    for want in &ds.kb_categories {
        let path: Vec<String> = category_path(&categories, &want.id.to_string())
            .iter()
            .map(|n| n.to_string())
            .collect();
        let mut expected = vec![want.name.clone()];
        if let Some(parent) = want.parent_id {
            let parent = ds.kb_categories.iter().find(|c| c.id == parent);
            expected.insert(0, parent.expect("parent").name.clone());
        }
        assert_eq!(path, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_lists_its_articles_by_offset() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let ds = sim.dataset();
    let (category, count) = ds
        .kb_categories
        .iter()
        .map(|c| {
            let n = ds.articles.iter().filter(|a| a.category_id == c.id).count();
            (c.id.to_string(), n)
        })
        .max_by_key(|(_, n)| *n)
        .expect("a category");
    assert!(count >= 3, "the dataset has a category worth paging");
    sim.clear_requests();
    let first = ig
        .kb_category(category.clone(), None)
        .await
        .expect("first page");
    assert_eq!(first.items.len(), count);
    assert_eq!(first.total, Some(count as u64));
    assert_eq!(first.next, None, "all of it fits one page");
    let name = ds
        .kb_categories
        .iter()
        .find(|c| c.id.to_string() == category)
        .map(|c| c.name.as_str());
    assert!(
        first
            .items
            .iter()
            .all(|a| a.category.as_ref().map(|c| c.name.as_str()) == name)
    );

    let later = ig
        .kb_category(category.clone(), Some(Cursor("2".into())))
        .await
        .expect("a following page");
    let ids = |items: &[ttydesk::domain::KbSummary]| -> Vec<String> {
        items.iter().map(|a| a.id.clone()).collect()
    };
    assert_eq!(ids(&later.items), ids(&first.items[2..]));
    assert_eq!(later.next, None);
    let sent = calls(&sim, "kb.articles.by.category");
    let asked: Vec<_> = sent
        .iter()
        .map(|r| {
            (
                param(r, "category_id"),
                param(r, "offset"),
                param(r, "limit"),
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            (Some(category.as_str()), Some("0"), Some("50")),
            (Some(category.as_str()), Some("2"), Some("50")),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_read_by_id_show_their_links_as_footnotes() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let ds = sim.dataset();
    let (a, b) = (&ds.articles[1], &ds.articles[0]);
    sim.clear_requests();
    let got = ig
        .kb_articles(vec![a.id.to_string(), "9999".into(), b.id.to_string()])
        .await
        .expect("articles");
    let titles: Vec<&str> = got.iter().map(|x| x.summary.title.as_str()).collect();
    assert_eq!(titles, [a.title.as_str(), b.title.as_str()], "as asked");
    let article = &got[0];
    let hrefs: Vec<&str> = a
        .content
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!hrefs.is_empty(), "the article links somewhere");
    let body = article.body.as_str();
    assert!(body.contains("self-service portal]["), "{body}");
    for (n, href) in (1..).zip(&hrefs) {
        assert!(
            body.contains(&format!("[{n}]: {href}")),
            "the real target of link {n}, as its footnote: {body}"
        );
    }
    assert!(!body.contains("<a") && !body.contains("<li>"), "{body}");
    assert_eq!(article.summary.views, Some(a.views));
    assert_eq!(article.summary.rating, Some(a.rating));
    assert_eq!(
        article.summary.updated_at.map(|t| t.timestamp()),
        Some(a.last_update_date)
    );
    let sent = calls(&sim, "kb.articles.by.ids");
    assert_eq!(sent.len(), 1);
    let ids: Vec<&str> = sent[0]
        .query
        .iter()
        .filter(|(k, _)| k == "ids[]")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(ids, [a.id.to_string(), "9999".into(), b.id.to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeline_alone_is_one_call_oldest_first_and_ends_with_the_newest_update() {
    let sim = sim(SimOptions::default()).await;
    let ig = provider(&sim);
    let c = catalog(&ig).await;
    let ds = sim.dataset();
    let want = ds
        .news
        .iter()
        .find(|n| n.updates.len() >= 2 && n.status_id == 1)
        .expect("an open item with updates");
    let id = want.id.to_string();
    sim.clear_requests();
    let updates = ig
        .news_timeline(id.clone(), c.clone())
        .await
        .expect("timeline");
    assert_eq!(updates.len(), want.updates.len());
    assert!(
        updates.windows(2).all(|w| w[0].at <= w[1].at),
        "oldest first"
    );
    assert!(updates.iter().all(|u| u.creator.is_some()));
    assert!(
        !updates[0].body.as_str().contains("<p>"),
        "{}",
        updates[0].body
    );
    let sent = sim.requests();
    assert_eq!(sent.len(), 1, "one call: {sent:?}");
    assert_eq!(sent[0].endpoint, "breakingnews.status");
    assert_eq!(param(&sent[0], "id"), Some(id.as_str()));

    // An update posted now comes last.
    let login = (ds.agents())
        .find(|u| !u.is_disabled && !u.is_deleted)
        .expect("an agent")
        .username
        .clone();
    let agent = ig.agent(login).await.expect("the agent is known");
    ig.write(
        ttydesk::domain::Write::NewsUpdate {
            id: id.clone(),
            body: "Printing again on every floor.".into(),
            solution: false,
        },
        agent.id.clone(),
        c.clone(),
    )
    .await
    .expect("the update is posted");
    let after = ig
        .news_timeline(id.clone(), c.clone())
        .await
        .expect("timeline");
    assert_eq!(after.len(), updates.len() + 1);
    let last = after.last().expect("an update");
    assert!(
        last.body
            .as_str()
            .contains("Printing again on every floor."),
        "{}",
        last.body
    );
    assert_eq!(last.creator.as_ref().map(|p| &p.id), Some(&agent.id));

    let missing = ig.news_timeline("9999".into(), c).await.unwrap_err();
    assert!(matches!(missing, ProviderError::Rejected(_)), "{missing:?}");
}
