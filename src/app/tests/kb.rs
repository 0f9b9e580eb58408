//! The knowledge base as the agent uses it: searching as they type (one search when typing
//! pauses, the newest words winning over a slow answer to older ones), browsing the category
//! tree, reading an article, and putting its link or lines into the reply they are writing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::kb_pane::KbFocus;
use crate::domain::KbQuery;
use crate::provider::{Answer, KbAnswer, KbCall};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn view(m: &Model) -> &crate::app::KbView {
    match &m.mode {
        Mode::Kb(v) => v,
        other => panic!("expected the knowledge base, got {other:?}"),
    }
}

fn searches(effects: &[Effect]) -> Vec<(RequestId, String)> {
    calls(effects)
        .into_iter()
        .filter_map(|(_, id, call)| match call {
            Call::Kb(KbCall::Search(KbQuery { words, .. })) => Some((id, words)),
            _ => None,
        })
        .collect()
}

fn hit_titles(m: &Model) -> Vec<String> {
    m.kb.hits
        .data()
        .map(|h| h.iter().map(|h| h.article.title.to_string()).collect())
        .unwrap_or_default()
}

/// Types `text` into the search without settling: the effects it asked for.
fn type_words(m: &mut Model, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| update(m, ch(c))).collect()
}

fn answer(m: &mut Model, id: RequestId, call: &KbCall) {
    let effects = update(
        m,
        Msg::Answer {
            profile: ProfileId(0),
            id,
            answer: Answer::Kb(testing::kb_answer(call)),
        },
    );
    testing::settle(m, effects);
}

fn search_for(words: &str) -> KbCall {
    KbCall::Search(KbQuery {
        words: words.into(),
        min_score: None,
        limit: crate::app::kb::LIMIT,
    })
}

#[test]
fn typing_searches_once_when_it_pauses() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    assert_eq!(view(&m).focus, KbFocus::Search);
    assert!(
        m.kb.categories.data().is_some(),
        "the tree is read on opening"
    );
    let typed = type_words(&mut m, "printer");
    assert!(searches(&typed).is_empty(), "nothing is sent while typing");
    let timers = typed
        .iter()
        .filter(|e| {
            matches!(
                e,
                Effect::SetTimer {
                    timer: Timer::KbSearch,
                    ..
                }
            )
        })
        .count();
    assert_eq!(timers, 7, "each key sets the pause timer again");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    let sent = searches(&fired);
    assert_eq!(
        sent.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>(),
        ["printer"]
    );
    testing::settle(&mut m, fired);
    assert_eq!(hit_titles(&m), ["Printer prints random symbols"]);
    // The same words are not searched twice; enter opens the highlighted result.
    assert!(searches(&update(&mut m, Msg::Timer(Timer::KbSearch))).is_empty());
    let opened = update(&mut m, key(KeyCode::Enter));
    assert!(
        calls(&opened)
            .iter()
            .any(|(_, _, c)| *c == Call::Kb(KbCall::Article { id: "21".into() }))
    );
    testing::settle(&mut m, opened);
    assert_eq!(view(&m).focus, KbFocus::Article);
    let body = m.kb.article.as_ref().and_then(|(_, r)| r.data()).unwrap();
    assert!(
        body.body
            .as_str()
            .contains("[1]: https://drivers.example.com/pcl6")
    );
}

#[test]
fn a_slow_answer_to_older_words_never_replaces_the_newer_one() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    type_words(&mut m, "re");
    let first = update(&mut m, Msg::Timer(Timer::KbSearch));
    let (old, _) = searches(&first)[0].clone();
    type_words(&mut m, "set");
    let second = update(&mut m, Msg::Timer(Timer::KbSearch));
    let (new, words) = searches(&second)[0].clone();
    assert_eq!(words, "reset");
    // The newer answer comes first, then the older one, late.
    answer(&mut m, new, &search_for("reset"));
    assert_eq!(hit_titles(&m), ["Reset your VPN token"]);
    answer(&mut m, old, &search_for("re"));
    assert_eq!(
        hit_titles(&m),
        ["Reset your VPN token"],
        "the late answer is dropped"
    );
    // And the other way round: the older answer first is not shown as the newer one's.
    type_words(&mut m, " toner");
    let third = update(&mut m, Msg::Timer(Timer::KbSearch));
    let (newest, _) = searches(&third)[0].clone();
    answer(&mut m, new, &search_for("re"));
    assert!(m.kb.hits.is_loading(), "still waiting for the newest words");
    answer(&mut m, newest, &search_for("reset toner"));
    assert_eq!(m.kb.searched(), Some("reset toner"));
    assert!(hit_titles(&m).contains(&"Replace a toner cartridge".to_string()));
}

#[test]
fn emptying_the_words_empties_the_results_and_cancels_the_search() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    type_words(&mut m, "vpn");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    testing::settle(&mut m, fired);
    assert_eq!(hit_titles(&m).len(), 1);
    let mut last = Vec::new();
    for _ in 0..3 {
        last = update(&mut m, key(KeyCode::Backspace));
    }
    assert!(
        last.iter()
            .any(|e| matches!(e, Effect::CancelTimer(Timer::KbSearch)))
    );
    assert!(m.kb.hits.data().is_none());
    let drawn = testing::drawn(&mut m, 80, 24);
    assert!(drawn.contains("Type words to search"), "{drawn}");
}

#[test]
fn the_category_tree_lists_a_categorys_articles_to_read() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    send(&mut m, key(KeyCode::Tab));
    assert_eq!(view(&m).focus, KbFocus::Tree);
    // Hardware, Printers (under it), Toner, Network: down once is Printers.
    send(&mut m, ch('j'));
    let listed = update(&mut m, key(KeyCode::Enter));
    assert!(calls(&listed).iter().any(|(_, _, c)| matches!(c,
        Call::Kb(KbCall::Category { id, .. }) if id == "2")));
    testing::settle(&mut m, listed);
    assert_eq!(view(&m).focus, KbFocus::Category);
    let drawn = testing::drawn(&mut m, 80, 24);
    assert!(drawn.contains("Hardware › Printers"), "{drawn}");
    assert!(drawn.contains("Printer prints random symbols"), "{drawn}");
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(view(&m).focus, KbFocus::Article);
    // Back goes where the article was opened from, then to the tree.
    send(&mut m, key(KeyCode::Esc));
    assert_eq!(view(&m).focus, KbFocus::Category);
    send(&mut m, key(KeyCode::Esc));
    assert_eq!(view(&m).focus, KbFocus::Tree);
}

fn replying() -> Model {
    let mut m = testing::writable_model();
    send(&mut m, ch('c'));
    for c in "Hello, try this: ".chars() {
        update(&mut m, ch(c));
    }
    m
}

fn reply_text(m: &Model) -> String {
    match &m.mode {
        Mode::Composer(c) => c.body(),
        other => panic!("expected the composer, got {other:?}"),
    }
}

#[test]
fn ctrl_k_in_a_reply_searches_and_ctrl_l_puts_the_link_where_the_cursor_was() {
    let mut m = replying();
    let effects = update(&mut m, ctrl('k'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Store(StoreOp::SaveDraft { .. }))),
        "the reply is saved before the pane opens"
    );
    testing::settle(&mut m, effects);
    assert!(view(&m).reply.is_some());
    type_words(&mut m, "printer");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    testing::settle(&mut m, fired);
    let back = update(&mut m, ctrl('l'));
    assert!(back.iter().any(|e| matches!(
        e,
        Effect::SetTimer {
            timer: Timer::Draft,
            ..
        }
    )));
    assert_eq!(
        reply_text(&m),
        "Hello, try this: “Printer prints random symbols”: https://kb.example.com/articles/21"
    );
    assert!(m.notice.as_ref().unwrap().text.contains("put the link"));
}

#[test]
fn selected_lines_of_an_article_go_into_the_reply_as_a_quotation() {
    let mut m = replying();
    send(&mut m, ctrl('k'));
    type_words(&mut m, "printer");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    testing::settle(&mut m, fired);
    send(&mut m, key(KeyCode::Enter));
    // Lines: 0 intro, 1 blank, 2 "Open Devices…", 3 "Remove…", 4 "Add it again…".
    press(&mut m, "jjvjj");
    send(&mut m, ch('i'));
    assert_eq!(
        reply_text(&m),
        "Hello, try this: \n> Open Devices and Printers.\n> Remove the printer.\n> Add it again \
         with the PCL6 driver [1].\n(from “Printer prints random symbols”: \
         https://kb.example.com/articles/21)\n"
    );
}

#[test]
fn an_article_without_a_web_address_goes_in_by_title_and_number_and_says_so() {
    let mut m = replying();
    send(&mut m, ctrl('k'));
    type_words(&mut m, "vpn");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    testing::settle(&mut m, fired);
    send(&mut m, ctrl('l'));
    assert!(reply_text(&m).ends_with("knowledge-base article 31: “Reset your VPN token”"));
    assert!(m.notice.as_ref().unwrap().text.contains("no web address"));
}

#[test]
fn escape_goes_back_to_the_reply_as_it_was() {
    let mut m = replying();
    send(&mut m, ctrl('k'));
    type_words(&mut m, "vpn");
    send(&mut m, key(KeyCode::Esc));
    assert_eq!(reply_text(&m), "Hello, try this: ");
    // Opened from the panes, inserting says where it works.
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    type_words(&mut m, "vpn");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    testing::settle(&mut m, fired);
    send(&mut m, ctrl('l'));
    assert!(matches!(m.mode, Mode::Kb(_)));
    assert!(m.notice.as_ref().unwrap().text.contains("ctrl-k"));
}

#[test]
fn a_failed_search_says_so_and_keeps_the_words() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    type_words(&mut m, "vpn");
    let fired = update(&mut m, Msg::Timer(Timer::KbSearch));
    let (id, _) = searches(&fired)[0].clone();
    update(
        &mut m,
        Msg::Answer {
            profile: ProfileId(0),
            id,
            answer: Answer::Kb(KbAnswer::Search(Err(
                crate::provider::ProviderError::Timeout {
                    what: "kb.articles.by.keywords".into(),
                },
            ))),
        },
    );
    assert_eq!(m.kb.query, "vpn");
    let drawn = testing::drawn(&mut m, 80, 24);
    assert!(drawn.contains("The search failed"), "{drawn}");
}

#[test]
fn the_palette_opens_the_knowledge_base_on_words() {
    let mut m = testing::loaded_model();
    send(&mut m, ch(':'));
    for c in "kb toner".chars() {
        send(&mut m, ch(c));
    }
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.kb.searched(), Some("toner"));
    assert_eq!(hit_titles(&m), ["Replace a toner cartridge"]);
}

#[test]
fn a_long_category_is_read_page_after_page_into_one_list() {
    use crate::domain::{Cursor, Page};
    let mut m = testing::loaded_model();
    send(&mut m, ch('K'));
    send(&mut m, key(KeyCode::Tab));
    let listed = update(&mut m, key(KeyCode::Enter));
    let articles: Vec<_> = testing::kb_articles().into_iter().map(|(s, _)| s).collect();
    let mut asked = Vec::new();
    testing::settle_with(&mut m, listed, |p, call| match call {
        Call::Kb(KbCall::Category { cursor, .. }) => {
            asked.push(cursor.clone());
            let (items, next) = match cursor {
                None => (articles[..2].to_vec(), Some(Cursor("2".into()))),
                Some(_) => (articles[2..].to_vec(), None),
            };
            Some(Answer::Kb(KbAnswer::Category(Ok(Page {
                unreadable: 0,
                items,
                next,
                total: Some(3),
            }))))
        }
        _ => Some(testing::fixture_answer(p, call)),
    });
    assert_eq!(asked, [None, Some(Cursor("2".into()))]);
    let shown: Vec<String> =
        m.kb.category
            .as_ref()
            .and_then(|(_, r)| r.data())
            .map(|l| l.iter().map(|s| s.id.clone()).collect())
            .unwrap_or_default();
    assert_eq!(shown, ["21", "22", "31"], "both pages, in order, once");
}
