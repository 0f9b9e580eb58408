//! The knowledge-base reads against a scripted server: a category paged by offset until
//! `total_count` (or a short page) says it is over, search results put in score order with what
//! the server ignored (`min_search_scoring`, `limit`) enforced here, a blank search never sent,
//! and articles fetched in batches and given back in the order asked.

use serde_json::{Value, json};

use super::approval_stub::{Seen, Stub, serve};
use super::kb::{self, CATEGORY_PAGE};
use crate::domain::{Cursor, KbQuery};
use crate::provider::ProviderError;

fn articles(ids: impl IntoIterator<Item = u64>) -> Vec<Value> {
    ids.into_iter()
        .map(|id| json!({"id": id, "title": format!("Article {id}"), "category_id": 4}))
        .collect()
}

fn calls(stub: &Stub, endpoint: &str) -> Vec<Seen> {
    stub.seen()
        .into_iter()
        .filter(|s| s.endpoint == endpoint)
        .collect()
}

#[tokio::test]
async fn a_category_is_paged_by_offset_until_its_total() {
    let stub = Stub::default();
    stub.can(
        "kb.articles.by.category",
        200,
        json!({"status": "OK", "total_count": "120", "data": articles(1..=50)}),
    );
    stub.can(
        "kb.categories",
        200,
        json!([{"id": 4, "parent_id": 0, "name": "Printers"}]),
    );
    let c = serve(stub.clone()).await;
    let first = kb::category_page(&c, "4", None).await.unwrap();
    assert_eq!(first.items.len(), CATEGORY_PAGE);
    assert_eq!(first.total, Some(120));
    assert_eq!(
        first.items[0]
            .category
            .as_ref()
            .map(|n| n.name.to_string())
            .as_deref(),
        Some("Printers")
    );
    let second = kb::category_page(&c, "4", first.next.as_ref())
        .await
        .unwrap();
    let third = kb::category_page(&c, "4", second.next.as_ref())
        .await
        .unwrap();
    assert_eq!(third.next, None, "150 sent of 120: nothing is left");
    let seen = calls(&stub, "kb.articles.by.category");
    let asked: Vec<_> = seen
        .iter()
        .map(|s| (s.get("category_id"), s.get("limit"), s.get("offset")))
        .collect();
    assert_eq!(
        asked,
        [
            (Some("4"), Some("50"), Some("0")),
            (Some("4"), Some("50"), Some("50")),
            (Some("4"), Some("50"), Some("100")),
        ]
    );
}

#[tokio::test]
async fn without_a_total_a_category_goes_on_while_pages_come_full() {
    let next_after = |reply: Value| async move {
        let stub = Stub::default();
        stub.can("kb.articles.by.category", 200, reply);
        let c = serve(stub).await;
        let page = kb::category_page(&c, "4", Some(&Cursor("50".into())))
            .await
            .unwrap();
        let category = page.items.first().and_then(|a| a.category.clone());
        (
            page.items.len(),
            page.next,
            category.map(|c| c.name.to_string()),
        )
    };
    // kb.categories is not served here: the category is named by its id.
    let named = Some("Category 4".to_string());
    assert_eq!(
        next_after(json!({"status": "success", "data": articles(1..=50)})).await,
        (50, Some(Cursor("100".into())), named.clone())
    );
    assert_eq!(
        next_after(json!({"status": "OK", "data": articles(1..=3)})).await,
        (3, None, named)
    );
    assert_eq!(next_after(json!([])).await, (0, None, None));
}

#[tokio::test]
async fn a_cursor_that_is_no_offset_is_refused_unsent() {
    let stub = Stub::default();
    let c = serve(stub.clone()).await;
    let e = kb::category_page(&c, "4", Some(&Cursor("7:12".into())))
        .await
        .unwrap_err();
    assert!(matches!(e, ProviderError::Internal(_)), "{e:?}");
    assert!(calls(&stub, "kb.articles.by.category").is_empty());
}

#[tokio::test]
async fn search_results_come_best_first_within_the_asked_score_and_count() {
    let stub = Stub::default();
    stub.can(
        "kb.articles.by.keywords",
        200,
        json!({"status": "OK", "data": [
            {"id": 1, "title": "Toner", "search_scoring": "0.5"},
            {"id": 2, "title": "Paper", "search_scoring": 0.1},
            {"id": 3, "title": "Printer jams", "search_scoring": 0.9},
            {"id": 4, "title": "Drivers", "search_scoring": 0.4}]}),
    );
    let c = serve(stub.clone()).await;
    let query = KbQuery {
        words: "  printer toner ".into(),
        min_score: Some(0.3),
        limit: 2,
    };
    let hits = kb::search(&c, &query).await.unwrap();
    let got: Vec<(&str, Option<f64>)> = hits
        .iter()
        .map(|h| (h.article.title.as_str(), h.score))
        .collect();
    assert_eq!(got, [("Printer jams", Some(0.9)), ("Toner", Some(0.5))]);
    assert_eq!(
        hits[0].article.category, None,
        "the article names no category"
    );
    let sent = calls(&stub, "kb.articles.by.keywords");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].get("keywords"), Some("printer toner"));
    assert_eq!(sent[0].get("min_search_scoring"), Some("0.3"));
    assert_eq!(sent[0].get("limit"), Some("2"));

    let any = KbQuery {
        words: "printer".into(),
        min_score: None,
        limit: 0,
    };
    assert_eq!(kb::search(&c, &any).await.unwrap().len(), 4);
    let sent = calls(&stub, "kb.articles.by.keywords");
    assert_eq!(sent[1].get("min_search_scoring"), None);
    assert_eq!(sent[1].get("limit"), Some("25"), "the API's default");
}

#[tokio::test]
async fn a_blank_search_is_refused_before_anything_is_sent() {
    let stub = Stub::default();
    let c = serve(stub.clone()).await;
    let blank = KbQuery {
        words: " \t ".into(),
        min_score: None,
        limit: 10,
    };
    let e = kb::search(&c, &blank).await.unwrap_err();
    assert!(
        matches!(&e, ProviderError::Rejected(why) if why.as_str().contains("search")),
        "{e:?}"
    );
    assert!(stub.seen().is_empty(), "{:?}", stub.seen());
}

#[tokio::test]
async fn articles_are_read_in_batches_and_given_in_the_order_asked() {
    let stub = Stub::default();
    stub.can(
        "kb.articles.by.ids",
        200,
        json!({"status": "OK", "data": [
            {"id": 1, "title": "One", "content": "<p>First</p>"},
            {"id": 3, "title": "Three", "content": "<p>Third</p>"}]}),
    );
    let c = serve(stub.clone()).await;
    let asked = ["3", "999", "1", "3", " "].map(String::from).to_vec();
    let got = kb::by_ids(&c, asked).await.unwrap();
    let titles: Vec<&str> = got.iter().map(|a| a.summary.title.as_str()).collect();
    assert_eq!(titles, ["Three", "One"], "the unknown 999 is left out");
    assert_eq!(got[0].body.as_str().trim(), "Third");
    let first = &calls(&stub, "kb.articles.by.ids")[0];
    let ids: Vec<&str> = first
        .query
        .iter()
        .filter(|(k, _)| k == "ids[]")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(ids, ["3", "999", "1"]);

    let many: Vec<String> = (1..=150).map(|i| i.to_string()).collect();
    kb::by_ids(&c, many).await.unwrap();
    let mut sizes: Vec<usize> = calls(&stub, "kb.articles.by.ids")[1..]
        .iter()
        .map(|s| s.query.iter().filter(|(k, _)| k == "ids[]").count())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [50, 100]);

    let before = stub.seen().len();
    assert!(kb::by_ids(&c, Vec::new()).await.unwrap().is_empty());
    assert_eq!(stub.seen().len(), before, "no ids, no call");
}
