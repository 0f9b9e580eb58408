//! `kb.articles.by.keywords` as a search engine: title matches outrank body matches, scores in
//! `0..=1` best first, `min_search_scoring` and `limit`, no match, the 428s.

use super::*;

/// `(title, search_scoring)` of every result of `query`.
async fn search(sim: &SimHandle, query: &str) -> Vec<(String, f64)> {
    let body = get(sim, &format!("kb.articles.by.keywords?{query}"))
        .await
        .json();
    assert_eq!(body["status"], "OK", "{body}");
    body["data"]
        .as_array()
        .expect("data is an array")
        .iter()
        .map(|a| {
            (
                a["title"].as_str().expect("title").to_string(),
                a["search_scoring"].as_f64().expect("search_scoring"),
            )
        })
        .collect()
}

fn scores(results: &[(String, f64)]) -> Vec<f64> {
    results.iter().map(|(_, s)| *s).collect()
}

fn best_first(results: &[(String, f64)]) -> bool {
    results.windows(2).all(|w| w[0].1 >= w[1].1)
}

#[tokio::test]
async fn a_title_match_outranks_a_body_match() {
    let sim = start().await;
    // "MFA" is in one title, and in the steps of the password reset article.
    let results = search(&sim, "keywords=MFA").await;
    assert_eq!(
        results[0],
        ("Register a new phone for MFA".to_string(), 1.0)
    );
    let reset = results
        .iter()
        .find(|(t, _)| t == "Reset your password with self-service")
        .expect("the body match is found too");
    assert!(reset.1 > 0.0 && reset.1 < results[0].1, "{results:?}");
    assert!(best_first(&results), "{results:?}");
    assert!(scores(&results).iter().all(|s| (0.0..=1.0).contains(s)));
}

#[tokio::test]
async fn every_word_counts_and_word_beginnings_match() {
    let sim = start().await;
    let results = search(&sim, "keywords=vpn+disconnect").await;
    assert_eq!(
        results[0],
        ("Troubleshoot VPN disconnections".to_string(), 1.0),
        "both words in the title: the top score"
    );
    let install = results
        .iter()
        .find(|(t, _)| t == "Install the VPN client")
        .expect("one word in the title");
    assert!(install.1 < 1.0 && install.1 >= 0.5, "{install:?}");
    assert!(best_first(&results), "{results:?}");
    // Markup is not text: every article links somewhere, none is about "href".
    assert!(search(&sim, "keywords=href").await.is_empty());
}

#[tokio::test]
async fn min_search_scoring_leaves_out_weaker_matches() {
    let sim = start().await;
    let everything = search(&sim, "keywords=printer+windows").await;
    assert!(
        everything.iter().any(|(_, s)| *s < 0.75),
        "weaker matches exist: {everything:?}"
    );
    let strong = search(&sim, "keywords=printer+windows&min_search_scoring=0.75").await;
    assert!(!strong.is_empty());
    assert!(scores(&strong).iter().all(|s| *s >= 0.75), "{strong:?}");
    let expected: Vec<_> = everything.into_iter().filter(|(_, s)| *s >= 0.75).collect();
    assert_eq!(strong, expected, "the same articles, in the same order");
    assert_eq!(
        search(&sim, "keywords=printer+windows&min_search_scoring=1").await[0].0,
        "Add a network printer on Windows"
    );
    for bad in ["high", "1.5", "-0.1", "NaN"] {
        let answer = get(
            &sim,
            &format!("kb.articles.by.keywords?keywords=printer&min_search_scoring={bad}"),
        )
        .await;
        answer.precondition("min_search_scoring");
    }
}

#[tokio::test]
async fn limit_caps_the_results_and_defaults_to_25() {
    let sim = start().await;
    let all_of_them = search(&sim, "keywords=the&limit=100").await;
    assert!(all_of_them.len() > 25, "{}", all_of_them.len());
    let three = search(&sim, "keywords=the&limit=3").await;
    assert_eq!(three.as_slice(), &all_of_them[..3], "the three best");
    assert_eq!(search(&sim, "keywords=the").await.len(), 25);
}

#[tokio::test]
async fn no_match_is_an_empty_list_and_no_keywords_is_428() {
    let sim = start().await;
    let body = get(&sim, "kb.articles.by.keywords?keywords=zzyzx+quux")
        .await
        .json();
    assert_eq!(body, serde_json::json!({ "status": "OK", "data": [] }));
    get(&sim, "kb.articles.by.keywords")
        .await
        .precondition("keywords");
    get(&sim, "kb.articles.by.keywords?keywords=+&limit=5")
        .await
        .precondition("keywords");
}
