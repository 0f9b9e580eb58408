//! Snapshots of every pane as the agent sees it, at 80×24 and 160×48, in loading, error and
//! loaded states. Styles are not in these text snapshots; the colour roles have their own tests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttydesk::app::{Effect, Loaded, Model, Msg, RequestId, update};
use ttydesk::provider::ProviderError;
use ttydesk::testing;
use ttydesk::ui::{Theme, render};

fn draw(model: &mut Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    update(model, Msg::Resize { width, height });
    terminal
        .draw(|f| render(f, model, &Theme::default()))
        .unwrap();
    terminal.backend().to_string()
}

fn send(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn id_of(effects: &[Effect], want: fn(&Effect) -> bool) -> RequestId {
    effects
        .iter()
        .find(|e| want(e))
        .map(Effect::request_id)
        .unwrap_or_else(|| panic!("no such effect in {effects:?}"))
}

fn started() -> (Model, Vec<Effect>) {
    let mut m = testing::model();
    let effects = update(&mut m, Msg::Start);
    (m, effects)
}

fn online(m: &mut Model, effects: &[Effect]) {
    let probe = id_of(effects, |e| matches!(e, Effect::Probe(_)));
    let info = ttydesk::domain::ServerInfo {
        product: "InvGate Service Management".into(),
        version: ttydesk::text::SafeText::line("v8.15.13"),
    };
    update(m, Msg::Loaded(probe, Loaded::Probe(Ok(info))));
}

fn loaded() -> Model {
    let (mut m, effects) = started();
    online(&mut m, &effects);
    let effects = testing::answer_catalog(&mut m, &effects);
    let effects = testing::answer_index(&mut m, &effects);
    testing::answer_rows(&mut m, &effects);
    m
}

fn with_detail() -> Model {
    let mut m = loaded();
    send(&mut m, KeyCode::Tab);
    send(&mut m, KeyCode::Char('j'));
    let effects = send(&mut m, KeyCode::Enter);
    let id = id_of(&effects, |e| matches!(e, Effect::LoadDetail(..)));
    update(
        &mut m,
        Msg::Loaded(id, Loaded::Detail(Box::new(Ok(testing::detail("1207"))))),
    );
    m
}

#[test]
fn loading() {
    let (mut m, _) = started();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("loading help desks"));
    assert!(screen.contains("connecting"));
    insta::assert_snapshot!("loading_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("loading help desks"));
    insta::assert_snapshot!("loading_160x48", wide);
}

#[test]
fn rows_still_loading_are_listed_by_id() {
    let (mut m, effects) = started();
    let effects = testing::answer_catalog(&mut m, &effects);
    testing::answer_index(&mut m, &effects);
    let screen = draw(&mut m, 80, 24);
    assert!(
        screen.contains("#1208") && screen.contains("loading…"),
        "{screen}"
    );
    assert!(
        screen.contains("loading 8"),
        "the title says how many rows are coming: {screen}"
    );
    insta::assert_snapshot!("rows_loading_80x24", screen);
    insta::assert_snapshot!("rows_loading_160x48", draw(&mut m, 160, 48));
}

#[test]
fn catalog_error() {
    let (mut m, effects) = started();
    let catalog = id_of(&effects, |e| matches!(e, Effect::LoadCatalog(_)));
    update(
        &mut m,
        Msg::Loaded(
            catalog,
            Loaded::Catalog(Box::new(Err(ProviderError::Unauthorized))),
        ),
    );
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Could not load the help desks"), "{screen}");
    assert!(screen.contains("Help desks not loaded"), "{screen}");
    assert!(screen.contains("credentials rejected"), "{screen}");
    assert!(
        !screen.contains("loading requests"),
        "nothing is loading: {screen}"
    );
    assert!(screen.contains("press r to retry"));
    insta::assert_snapshot!("catalog_error_80x24", screen);
    insta::assert_snapshot!("catalog_error_160x48", draw(&mut m, 160, 48));
}

#[test]
fn index_error_keeps_the_tree_and_explains() {
    let (mut m, effects) = started();
    let effects = testing::answer_catalog(&mut m, &effects);
    let index = id_of(&effects, |e| matches!(e, Effect::LoadIndex(..)));
    let error = ProviderError::Timeout {
        what: "incidents.by.status, limit 60 s".into(),
    };
    update(&mut m, Msg::Loaded(index, Loaded::Index(Err(error))));
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Service Desk"));
    assert!(screen.contains("did not answer in time"));
    insta::assert_snapshot!("index_error_80x24", screen);
    insta::assert_snapshot!("index_error_160x48", draw(&mut m, 160, 48));
}

#[test]
fn queues_and_requests_loaded() {
    let mut m = loaded();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Printer prints garbage"), "{screen}");
    assert!(screen.contains("All open"));
    insta::assert_snapshot!("loaded_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("Zoë Ångström"),
        "customer column at wide widths"
    );
    insta::assert_snapshot!("loaded_160x48", wide);
}

#[test]
fn detail_loaded() {
    let mut m = with_detail();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Affected asset: PRN-0042"), "{screen}");
    insta::assert_snapshot!("detail_80x24", screen);
    send(&mut m, KeyCode::Char('G'));
    let bottom = draw(&mut m, 80, 24);
    assert!(bottom.contains("[INTERNAL] Ana Pérez"), "{bottom}");
    assert!(bottom.contains("[SOLUTION]"), "{bottom}");
    insta::assert_snapshot!("detail_bottom_80x24", bottom);
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("[SOLUTION]") && wide.contains("Affected asset: PRN-0042"));
    insta::assert_snapshot!("detail_160x48", wide);
}

#[test]
fn detail_loading_shows_what_is_known() {
    let mut m = loaded();
    send(&mut m, KeyCode::Tab);
    send(&mut m, KeyCode::Enter);
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Email server down"));
    assert!(screen.contains("loading the request"));
    insta::assert_snapshot!("detail_loading_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("loading the request") && wide.contains("All open"),
        "{wide}"
    );
    insta::assert_snapshot!("detail_loading_160x48", wide);
}

#[test]
fn detail_error_says_what_happened_and_how_to_retry() {
    let mut m = loaded();
    send(&mut m, KeyCode::Tab);
    let effects = send(&mut m, KeyCode::Enter);
    let id = id_of(&effects, |e| matches!(e, Effect::LoadDetail(..)));
    let error =
        ProviderError::Rejected(ttydesk::text::SafeText::line("The request does not exist."));
    update(
        &mut m,
        Msg::Loaded(id, Loaded::Detail(Box::new(Err(error)))),
    );
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Could not load this request"), "{screen}");
    assert!(screen.contains("The request does not"), "{screen}");
    assert!(
        screen.contains("Email server down"),
        "what is known stays visible: {screen}"
    );
    assert!(screen.contains("press r to retry"), "{screen}");
    insta::assert_snapshot!("detail_error_80x24", screen);
    insta::assert_snapshot!("detail_error_160x48", draw(&mut m, 160, 48));
}

#[test]
fn filter_and_help() {
    let mut m = loaded();
    send(&mut m, KeyCode::Char('/'));
    for c in "vpn".chars() {
        send(&mut m, KeyCode::Char(c));
    }
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("/vpn"));
    insta::assert_snapshot!("filter_80x24", screen);
    insta::assert_snapshot!("filter_160x48", draw(&mut m, 160, 48));
    send(&mut m, KeyCode::Enter);
    send(&mut m, KeyCode::Char('?'));
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("quit ttydesk"));
    insta::assert_snapshot!("help_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("Detail pane"),
        "the whole help fits when tall enough: {wide}"
    );
    insta::assert_snapshot!("help_160x48", wide);
}

#[test]
fn small_terminals() {
    let mut m = loaded();
    let tiny = draw(&mut m, 39, 9);
    assert!(tiny.contains("Terminal too small"));
    let small = draw(&mut m, 40, 10);
    assert!(!small.contains("too small"));
    assert!(small.contains("All open"), "the focused pane alone");
    insta::assert_snapshot!("small_40x10", small);
}
