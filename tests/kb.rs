//! The knowledge-base pane as the agent sees it, and end to end against the simulator.
//! Snapshots at 80×24 and 160×48: the search with its results, the category tree, and an
//! article read from a reply with lines selected. Through the real event loop: a slow answer to
//! older words never replaces the newer words' results, and an article found from a reply
//! (`ctrl-k`) goes into it and reaches the server with it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use harness::{Desk, agent_login, run_as, run_console, sim};
use ttydesk::app::{Model, Msg, Timer, update};
use ttydesk::sim::{Fault, FaultKind, Instance};
use ttydesk::testing;

fn key(m: &mut Model, code: KeyCode) {
    let effects = update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    testing::settle(m, effects);
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, KeyCode::Char(c));
    }
    let effects = update(m, Msg::Timer(Timer::KbSearch));
    testing::settle(m, effects);
}

fn both(m: &mut Model, name: &str) -> String {
    let small = testing::drawn(m, 80, 24);
    insta::assert_snapshot!(format!("{name}_80x24"), small);
    insta::assert_snapshot!(format!("{name}_160x48"), testing::drawn(m, 160, 48));
    small
}

#[test]
fn search_results_show_score_category_path_rating_views_and_age() {
    let mut m = testing::loaded_model();
    key(&mut m, KeyCode::Char('K'));
    typed(&mut m, "re");
    let screen = both(&mut m, "kb_search");
    assert!(screen.contains("Search: re"), "{screen}");
    assert!(screen.contains("Reset your VPN token"), "{screen}");
    assert!(screen.contains("Hardware › Printers › Toner"), "{screen}");
    assert!(screen.contains("★4.5 · 1,204 views"), "{screen}");
    assert!(testing::drawn(&mut m, 40, 10).contains("Search"));
}

#[test]
fn the_category_tree_is_indented_under_its_parents() {
    let mut m = testing::loaded_model();
    key(&mut m, KeyCode::Char('K'));
    key(&mut m, KeyCode::Tab);
    let screen = both(&mut m, "kb_tree");
    assert!(screen.contains("▸ Hardware"), "{screen}");
    assert!(screen.contains("    Toner"), "{screen}");
}

#[test]
fn an_article_read_from_a_reply_with_lines_selected() {
    let mut m = testing::writable_model();
    key(&mut m, KeyCode::Char('c'));
    let effects = update(&mut m, Msg::Key(ctrl('k')));
    testing::settle(&mut m, effects);
    typed(&mut m, "printer");
    key(&mut m, KeyCode::Enter);
    for c in "jjvj".chars() {
        key(&mut m, KeyCode::Char(c));
    }
    let screen = both(&mut m, "kb_article");
    assert!(screen.contains("for the reply on"), "{screen}");
    assert!(
        screen.contains("[1]: https://drivers.example.com/pcl6"),
        "{screen}"
    );
    assert!(screen.contains("insert lines"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_to_older_words_never_replaces_the_newer_results() {
    let sim = sim(Instance::It).await;
    // The first search is answered two seconds late.
    sim.inject(Fault {
        endpoint: Some("kb.articles.by.keywords".into()),
        kind: FaultKind::Delay(Duration::from_secs(2)),
        times: 1,
    });
    let desks = [Desk::new("work", &sim)];
    run_console(&desks, (100, 30), |console| async move {
        console.wait(|s| s.contains("refreshed")).await;
        console.key(KeyCode::Char('K'));
        console.text("printer");
        // Typing paused: the search for "printer" is out, and slow.
        console.wait(|s| s.contains("searching…")).await;
        console.press(ctrl('u'));
        console.text("vpn");
        let screen = console
            .wait(|s| s.contains("Install the VPN client") && !s.contains("searching…"))
            .await;
        assert!(!screen.contains("network printer"), "{screen}");
        // The late answer for "printer" arrives and is dropped.
        console.settle_for(Duration::from_millis(2500)).await;
        let screen = console.wait(|s| s.contains("Install the VPN client")).await;
        assert!(!screen.contains("network printer"), "{screen}");
        assert!(screen.contains("Search: vpn"), "{screen}");
    })
    .await;
    let searched: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "kb.articles.by.keywords")
        .filter_map(|r| {
            r.query
                .iter()
                .find(|(k, _)| k == "keywords")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(
        searched,
        ["printer", "vpn"],
        "one search per pause in typing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_found_from_a_reply_goes_out_with_it() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let dir = tempfile::tempdir().unwrap();
    let model = run_as(&sim, &login, dir.path(), (100, 30), |console| async move {
        console.wait(|s| s.contains("refreshed")).await;
        console.key(KeyCode::Tab);
        console.key(KeyCode::Enter);
        console.wait(|s| s.contains("Description")).await;
        console.key(KeyCode::Char('c'));
        console.wait(|s| s.contains("Public reply")).await;
        console.text("This should help: ");
        console.press(ctrl('k'));
        console.wait(|s| s.contains("Knowledge base")).await;
        console.text("vpn client");
        console
            .wait(|s| s.contains("Install the VPN client") && !s.contains("searching…"))
            .await;
        console.press(ctrl('l'));
        console.wait(|s| s.contains("Public reply")).await;
        console.press(ctrl('s'));
        console
            .wait(|s| s.contains(": delivered") && !s.contains("pending"))
            .await;
    })
    .await;
    let key = model.detail.open.clone().expect("a request is open");
    let id: u64 = key.id.as_str().parse().unwrap();
    let ds = sim.dataset();
    let article = (ds.articles.iter())
        .find(|a| a.title == "Install the VPN client")
        .expect("the demo has the article");
    let wanted = format!(
        "knowledge-base article {}: “Install the VPN client”",
        article.id
    );
    let request = ds.request(id).expect("the request");
    assert!(
        request
            .comments
            .iter()
            .any(|c| c.message.contains("This should help:") && c.message.contains(&wanted)),
        "no comment carries the article: {:?}",
        request.comments.last().map(|c| &c.message)
    );
}
