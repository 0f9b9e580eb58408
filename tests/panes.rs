//! Snapshots of every pane as the agent sees it, at 80×24 and 160×48, in loading, error, saved
//! and loaded states, with one profile and with two. Styles are not in these text snapshots; the
//! tests at the end check the ones an agent relies on (comment marks, `NO_COLOR`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttydesk::app::{Effect, Model, Msg, Stored, update};
use ttydesk::domain::{Page, ProfileId};
use ttydesk::provider::{Answer, Call, ProviderError};
use ttydesk::testing;
use ttydesk::ui::{Theme, render};

fn draw(model: &mut Model, width: u16, height: u16) -> String {
    draw_with(model, width, height, &Theme::default())
        .backend()
        .to_string()
}

fn draw_with(model: &mut Model, width: u16, height: u16, theme: &Theme) -> Terminal<TestBackend> {
    let effects = update(model, Msg::Resize { width, height });
    testing::settle(model, effects);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| render(f, model, theme)).unwrap();
    terminal
}

fn send(m: &mut Model, code: KeyCode) {
    let effects = update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    testing::settle(m, effects);
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        send(m, KeyCode::Char(c));
    }
}

fn started() -> (Model, Vec<Effect>) {
    let mut m = testing::model();
    let effects = testing::start(&mut m);
    (m, effects)
}

/// Answers everything but calls `hold` picks; returns those.
fn answer_except(m: &mut Model, effects: Vec<Effect>, hold: fn(&Call) -> bool) -> Vec<Effect> {
    testing::settle_with(m, effects, |p, call| {
        (!hold(call)).then(|| testing::fixture_answer(p, call))
    })
}

fn with_detail() -> Model {
    let mut m = testing::loaded_model();
    send(&mut m, KeyCode::Tab);
    send(&mut m, KeyCode::Char('j'));
    send(&mut m, KeyCode::Enter);
    m
}

#[test]
fn loading() {
    let (mut m, _) = started();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("loading help desks"), "{screen}");
    assert!(screen.contains("connecting"));
    insta::assert_snapshot!("loading_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("loading help desks"));
    insta::assert_snapshot!("loading_160x48", wide);
}

#[test]
fn requests_the_server_sent_unreadable_are_counted_in_the_title() {
    let (mut m, effects) = started();
    let effects = answer_except(&mut m, effects, |c| matches!(c, Call::List { .. }));
    let list = testing::find_call(&effects, |c| matches!(c, Call::List { .. }));
    let first = Page {
        unreadable: 1,
        items: testing::tickets()[..5].to_vec(),
        next: Some(ttydesk::domain::Cursor("5".into())),
        total: Some(10),
    };
    let effects = testing::deliver(&mut m, list.0, list.1, Answer::Page(Ok(first)));
    let list = testing::find_call(&effects, |c| matches!(c, Call::List { .. }));
    let rest = Page {
        unreadable: 1,
        items: testing::tickets()[5..].to_vec(),
        next: None,
        total: Some(10),
    };
    let effects = testing::deliver(&mut m, list.0, list.1, Answer::Page(Ok(rest)));
    testing::settle(&mut m, effects);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("2 requests could not be read (see log)"),
        "{wide}"
    );
    assert!(wide.contains("#1201"), "the others are listed: {wide}");
    // A refresh whose pages all read well clears it.
    m.now += chrono::Duration::minutes(1);
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    testing::settle(&mut m, effects);
    assert!(!draw(&mut m, 160, 48).contains("could not be read"));
}

#[test]
fn a_page_that_failed_says_why_beside_the_rows_it_left() {
    let (mut m, effects) = started();
    let effects = answer_except(&mut m, effects, |c| matches!(c, Call::List { .. }));
    let list = testing::find_call(&effects, |c| matches!(c, Call::List { .. }));
    let first = Page {
        unreadable: 0,
        items: testing::tickets()[..5].to_vec(),
        next: Some(ttydesk::domain::Cursor("5".into())),
        total: Some(10),
    };
    let effects = testing::deliver(&mut m, list.0, list.1, Answer::Page(Ok(first)));
    let effects = answer_except(&mut m, effects, |c| matches!(c, Call::List { .. }));
    let list = testing::find_call(&effects, |c| matches!(c, Call::List { .. }));
    let failed = ProviderError::Timeout {
        what: "incidents: the server sent nothing for 30 s".into(),
    };
    let effects = testing::deliver(&mut m, list.0, list.1, Answer::Page(Err(failed)));
    testing::settle(&mut m, effects);
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("#1208"), "the rows read stay: {wide}");
    assert!(
        wide.contains("not all loaded (")
            && wide.contains("did not answer in time")
            && wide.contains("press r to retry · E: details"),
        "{wide}"
    );
    // At 80 columns the reason is cut, never the rows.
    let narrow = draw(&mut m, 80, 24);
    assert!(narrow.contains("not all loaded ("), "{narrow}");
}

#[test]
fn first_page_shown_while_the_rest_loads() {
    let (mut m, effects) = started();
    let effects = answer_except(&mut m, effects, |c| matches!(c, Call::List { .. }));
    let list = testing::find_call(&effects, |c| matches!(c, Call::List { .. }));
    let page = Page {
        unreadable: 0,
        items: testing::tickets()[..3].to_vec(),
        next: Some(ttydesk::domain::Cursor("3".into())),
        total: Some(8),
    };
    let effects = testing::deliver(&mut m, list.0, list.1, Answer::Page(Ok(page)));
    answer_except(&mut m, effects, |c| matches!(c, Call::List { .. }));
    let screen = draw(&mut m, 80, 24);
    assert!(
        screen.contains("#1208") && screen.contains("#1206"),
        "{screen}"
    );
    assert!(!screen.contains("#1205"), "{screen}");
    assert!(
        screen.contains("loading 3 of 8"),
        "the title says how far the listing is: {screen}"
    );
    insta::assert_snapshot!("first_page_80x24", screen);
    insta::assert_snapshot!("first_page_160x48", draw(&mut m, 160, 48));
}

#[test]
fn catalog_error() {
    let (mut m, effects) = started();
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::Catalog { .. } => Some(Answer::Catalog(Err(ProviderError::Unauthorized))),
        _ => Some(testing::fixture_answer(p, call)),
    });
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Could not load the help desks"), "{screen}");
    assert!(screen.contains("the profile's token"), "{screen}");
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
fn listing_error_keeps_the_tree_and_explains() {
    let (mut m, effects) = started();
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::List { .. } => Some(Answer::Page(Err(ProviderError::Timeout {
            what: "incidents, limit 60\u{a0}s".into(),
        }))),
        _ => Some(testing::fixture_answer(p, call)),
    });
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Service Desk"), "{screen}");
    assert!(screen.contains("did not answer in time"), "{screen}");
    insta::assert_snapshot!("listing_error_80x24", screen);
    insta::assert_snapshot!("listing_error_160x48", draw(&mut m, 160, 48));
}

#[test]
fn queues_and_requests_loaded() {
    let mut m = testing::loaded_model();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Printer prints garbage"), "{screen}");
    assert!(screen.contains("work · all open"), "{screen}");
    insta::assert_snapshot!("loaded_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("Zoë Ångström"),
        "customer column at wide widths"
    );
    assert!(
        !wide.contains("Profile"),
        "no profile column with one profile"
    );
    insta::assert_snapshot!("loaded_160x48", wide);
}

#[test]
fn two_profiles_side_by_side() {
    let mut m = testing::loaded_two();
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("All open · every profile"), "{screen}");
    assert!(
        screen.contains("Acme IT") && screen.contains("Acme HR"),
        "{screen}"
    );
    assert!(
        screen.contains("Profile"),
        "the combined queue names each row's profile"
    );
    insta::assert_snapshot!("two_profiles_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("Parental leave request") && wide.contains("Printer prints"));
    insta::assert_snapshot!("two_profiles_160x48", wide);
}

#[test]
fn one_of_two_profiles_unreachable() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, |p, call| {
        if p == ProfileId(0) {
            Some(Answer::failed(
                call,
                ProviderError::Connect("127.0.0.1:9: Connection refused".into()),
            ))
        } else {
            Some(testing::fixture_answer(p, call))
        }
    });
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("✕ Acme IT"), "{screen}");
    assert!(
        screen.contains("Parental leave"),
        "the other profile's rows: {screen}"
    );
    insta::assert_snapshot!("one_unreachable_80x24", screen);
    insta::assert_snapshot!("one_unreachable_160x48", draw(&mut m, 160, 48));
}

#[test]
fn saved_data_while_offline() {
    let mut m = testing::model();
    let mut effects = update(&mut m, Msg::Start);
    let saved = testing::saved(3);
    effects.extend(update(
        &mut m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(0),
            saved: Box::new(saved),
        }),
    ));
    testing::settle_with(&mut m, effects, |_, call| {
        Some(Answer::failed(
            call,
            ProviderError::Connect("desk.example.com:443: Connection refused".into()),
        ))
    });
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("saved 3h ago"), "{screen}");
    assert!(screen.contains("Printer prints garbage"), "{screen}");
    insta::assert_snapshot!("saved_offline_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(wide.contains("read-only"), "{wide}");
    insta::assert_snapshot!("saved_offline_160x48", wide);
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
    let mut m = testing::loaded_model();
    send(&mut m, KeyCode::Tab);
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    answer_except(&mut m, effects, |c| matches!(c, Call::Detail { .. }));
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("Email server down"), "{screen}");
    assert!(screen.contains("loading the request"));
    insta::assert_snapshot!("detail_loading_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("loading the request") && wide.contains("work · all open"),
        "{wide}"
    );
    insta::assert_snapshot!("detail_loading_160x48", wide);
}

#[test]
fn detail_error_says_what_happened_and_how_to_retry() {
    let mut m = testing::loaded_model();
    send(&mut m, KeyCode::Tab);
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::Detail { .. } => Some(Answer::Detail(Err(ProviderError::Rejected(
            ttydesk::text::SafeText::line("The request does not exist."),
        )))),
        _ => Some(testing::fixture_answer(p, call)),
    });
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
    let mut m = testing::loaded_model();
    send(&mut m, KeyCode::Char('/'));
    type_text(&mut m, "vpn");
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("/vpn"));
    insta::assert_snapshot!("filter_80x24", screen);
    insta::assert_snapshot!("filter_160x48", draw(&mut m, 160, 48));
    send(&mut m, KeyCode::Enter);
    send(&mut m, KeyCode::Char('?'));
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains("quit ttydesk"), "{screen}");
    assert!(screen.contains("Help · Requests pane"), "{screen}");
    insta::assert_snapshot!("help_80x24", screen);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains("Requests pane") && wide.contains("Filter: type to match"),
        "the whole help fits when tall enough: {wide}"
    );
    insta::assert_snapshot!("help_160x48", wide);
}

#[test]
fn palette() {
    let mut m = testing::loaded_two();
    send(&mut m, KeyCode::Char(':'));
    type_text(&mut m, "pro");
    let screen = draw(&mut m, 80, 24);
    assert!(screen.contains(":profile"), "{screen}");
    insta::assert_snapshot!("palette_80x24", screen);
    send(&mut m, KeyCode::Tab);
    let wide = draw(&mut m, 160, 48);
    assert!(
        wide.contains(":profile Acme IT") && wide.contains(":profile Acme HR"),
        "{wide}"
    );
    insta::assert_snapshot!("palette_160x48", wide);
}

#[test]
fn small_terminals() {
    let mut m = testing::loaded_model();
    let tiny = draw(&mut m, 39, 9);
    assert!(tiny.contains("Terminal too small"));
    let small = draw(&mut m, 40, 10);
    assert!(!small.contains("too small"));
    assert!(small.contains("work"), "the focused pane alone: {small}");
    insta::assert_snapshot!("small_40x10", small);
}

#[test]
fn the_loading_count_is_of_the_profiles_still_loading() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    // Profile 0 loads whole; profile 1 has read a first page of 3 out of 8.
    let effects = testing::settle_with(&mut m, effects, |p, call| match (p.0, call) {
        (1, Call::List { .. }) => None,
        _ => Some(testing::fixture_answer(p, call)),
    });
    let (p, id) = testing::find_call(&effects, |c| matches!(c, Call::List { .. }));
    let page = Page {
        unreadable: 0,
        items: testing::tickets_of(1)[..3].to_vec(),
        next: Some(ttydesk::domain::Cursor("3".into())),
        total: Some(8),
    };
    let effects = testing::deliver(&mut m, p, id, Answer::Page(Ok(page)));
    testing::settle_with(&mut m, effects, |_, _| None);
    let screen = draw(&mut m, 160, 48);
    assert!(
        screen.contains("· 11 "),
        "8 of one profile and 3 of the other: {screen}"
    );
    assert!(screen.contains("loading 3 of 8"), "{screen}");
    assert!(!screen.contains("of 16"), "{screen}");
}

#[test]
fn the_smallest_terminal_draws_every_pane_and_overlay() {
    let mut m = testing::loaded_two();
    let queues = draw(&mut m, 40, 10);
    assert!(queues.contains("All open · every"), "{queues}");
    send(&mut m, KeyCode::Tab);
    let list = draw(&mut m, 40, 10);
    assert!(list.contains("#1208"), "{list}");
    send(&mut m, KeyCode::Enter);
    let detail = draw(&mut m, 40, 10);
    assert!(detail.contains("Request #1208"), "{detail}");
    insta::assert_snapshot!("detail_40x10", detail);
    send(&mut m, KeyCode::Char('?'));
    let help = draw(&mut m, 40, 10);
    assert!(help.contains("Help · Detail"), "{help}");
    insta::assert_snapshot!("help_40x10", help);
    send(&mut m, KeyCode::Esc);
    send(&mut m, KeyCode::Char(':'));
    type_text(&mut m, "pro");
    let palette = draw(&mut m, 40, 10);
    assert!(palette.contains(":profile"), "{palette}");
    insta::assert_snapshot!("palette_40x10", palette);
}

/// The style of the bar drawn in front of the comment body that starts with `text`.
fn bar_before(terminal: &Terminal<TestBackend>, text: &str) -> ratatui::style::Style {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let line: Vec<&str> = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        let joined: String = line.concat();
        if let Some(byte) = joined.find(text) {
            // Cells hold one symbol each: the column is the number of symbols before it.
            let col = joined[..byte].chars().count() as u16;
            let bar = &buffer[(col - 2, y)];
            assert_eq!(bar.symbol(), "│", "a bar before {text:?}");
            return bar.style();
        }
    }
    panic!("{text:?} is not on screen");
}

#[test]
fn comments_are_marked_apart_by_colour_and_internal_notes_without_colour_too() {
    use ratatui::style::{Color, Modifier};
    let mut m = with_detail();
    let public = "It happens with every document";
    let internal = "Driver was updated last night";
    let solution = "We rolled back the printer driver";

    let coloured = draw_with(&mut m, 160, 48, &Theme::default());
    let [p, i, s] = [public, internal, solution].map(|t| bar_before(&coloured, t).fg);
    assert!(
        p != i && i != s && p != s,
        "three colours: {p:?} {i:?} {s:?}"
    );

    // NO_COLOR: not one cell carries a colour, and an internal note still looks different
    // from a public reply.
    let plain = draw_with(&mut m, 160, 48, &Theme::monochrome());
    for cell in plain.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    let public_bar = bar_before(&plain, public);
    let internal_bar = bar_before(&plain, internal);
    assert!(internal_bar.add_modifier.contains(Modifier::ITALIC));
    assert_ne!(public_bar, internal_bar);
}
