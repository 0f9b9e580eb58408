use crossterm::event::KeyEvent;

use super::*;
use crate::config::UserKeys;

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

use crate::app::{Focus, Mode};

// The chains the console itself uses, not copies that could drift from them.
fn requests() -> Chain {
    Mode::Normal.chain(Focus::Requests)
}

fn detail() -> Chain {
    Mode::Normal.chain(Focus::Detail)
}

fn filter() -> Chain {
    Mode::Filter.chain(Focus::Requests)
}

#[test]
fn defaults_load_without_warnings_and_resolve_through_contexts() {
    let (keymap, warnings) = Keymap::load(&UserKeys::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(keymap.resolve(requests(), &j), Input::Action(Action::Down));
    let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(keymap.resolve(detail(), &q), Input::Action(Action::Quit));
    let slash = press(KeyCode::Char('/'), KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(requests(), &slash),
        Input::Action(Action::Filter)
    );
    assert_eq!(keymap.resolve(detail(), &slash), Input::Ignored);
    let ctrl_r = press(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(
        keymap.resolve(requests(), &ctrl_r),
        Input::Action(Action::Refresh)
    );
}

#[test]
fn in_a_field_letters_are_text_and_chords_still_act() {
    let (keymap, _) = Keymap::load(&UserKeys::default());
    let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(filter(), &q),
        Input::Text('q'),
        "q types, it does not quit"
    );
    let shifted = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(keymap.resolve(filter(), &shifted), Input::Text('G'));
    let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(
        keymap.resolve(filter(), &ctrl_c),
        Input::Action(Action::Quit)
    );
    let esc = press(KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(filter(), &esc),
        Input::Action(Action::Cancel)
    );
    let tab = press(KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(filter(), &tab),
        Input::Ignored,
        "tab does not leave the field"
    );
}

/// The keymap and warnings of a configuration file's text, as the console loads them.
fn load_file(keys: &str) -> (Keymap, Vec<String>) {
    let text = format!(
        "[profiles.it]\nprovider = \"invgate\"\nbase_url = \"https://it.example\"\nusername = \"api\"\ntoken_env = \"T\"\n\n{keys}"
    );
    let file = crate::config::ConfigFile::parse(&text, "ttydesk.toml").unwrap();
    Keymap::load(&file.keys)
}

/// The help overlay's rows for `context` in the mode read through `chain`.
fn help_rows(keymap: &Keymap, chain: Chain, context: Context) -> Vec<(String, String)> {
    keymap
        .help_sections(chain)
        .into_iter()
        .find(|(c, _)| *c == context)
        .map(|(_, rows)| rows)
        .unwrap_or_default()
}

fn char_key(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn a_remapped_key_acts_and_help_shows_it() {
    let (keymap, warnings) = load_file("[keys.requests]\n\"f\" = \"filter\"\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        keymap.resolve(requests(), &char_key('f')),
        Input::Action(Action::Filter)
    );
    assert_eq!(
        keymap.resolve(requests(), &char_key('/')),
        Input::Action(Action::Filter)
    );
    let rows = &help_rows(&keymap, requests(), Context::Requests);
    assert!(
        rows.iter()
            .any(|(keys, d)| keys.split(' ').any(|k| k == "f") && d.starts_with("filter")),
        "{rows:?}"
    );
}

#[test]
fn unbinding_is_allowed_and_warns_only_when_an_action_loses_its_last_key() {
    let (keymap, warnings) = load_file("[keys.global]\n\"q\" = \"none\"\n");
    assert_eq!(keymap.resolve(requests(), &char_key('q')), Input::Ignored);
    assert!(warnings.is_empty(), "ctrl-c still quits: {warnings:?}");

    let (_, warnings) = load_file("[keys.global]\n\"q\" = \"none\"\n\"ctrl-c\" = \"none\"\n");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("ttydesk.toml:8: [keys.global] `q`")
                && w.contains("no key is left for “quit ttydesk” in the Queues pane")),
        "{warnings:?}"
    );
}

#[test]
fn a_conflict_is_warned_with_the_file_and_line() {
    let (keymap, warnings) = load_file("[keys.global]\n\"o\" = \"outbox\"\n");
    let queues = Mode::Normal.chain(Focus::Queues);
    assert_eq!(
        keymap.resolve(queues, &char_key('o')),
        Input::Action(Action::Outbox)
    );
    assert_eq!(
        warnings,
        [
            "ttydesk.toml:8: [keys.global] `o` = writes not yet confirmed (retry, discard): does not \
          act in the Requests pane, the approvals pane, the breaking-news pane: [keys.requests] \
          binds the same key to sort: newest, priority, last update first"
        ]
    );

    // A pane key that takes a letter from a text field, and one that tmux keeps.
    let (_, warnings) =
        load_file("[keys.filter]\n\"x\" = \"cancel\"\n\n[keys.detail]\n\"ctrl-b\" = \"back\"\n");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("ttydesk.toml:8: [keys.filter] `x`")
                && w.contains("can no longer be typed in the filter")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("ttydesk.toml:11: [keys.detail] `ctrl-b`")
                && w.contains("tmux and screen keep ctrl-b")),
        "{warnings:?}"
    );

    // One key written two ways in one section: the later line wins, and it is said.
    let (keymap, warnings) = load_file("[keys.requests]\n\"space\" = \"open\"\n\" \" = \"back\"\n");
    assert_eq!(
        keymap.resolve(requests(), &char_key(' ')),
        Input::Action(Action::Back)
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("ttydesk.toml:9:") && w.contains("are the same key")),
        "{warnings:?}"
    );
}

#[test]
fn a_copied_section_of_the_defaults_warns_of_nothing() {
    let copied = include_str!("../../config/keymap.toml")
        .lines()
        .map(|l| match l.strip_prefix('[') {
            Some(section) => format!("[keys.{section}"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (_, warnings) = load_file(&copied);
    assert!(warnings.is_empty(), "{warnings:?}");
    // Giving a default key another action keeps the defaults' shadowing: no news either.
    let (_, warnings) = load_file("[keys.global]\n\"q\" = \"help\"\n");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn bad_names_are_warned_with_their_line_and_the_rest_still_loads() {
    let (keymap, warnings) = load_file(
        "[keys.global]\n\"ctrl-zz\" = \"quit\"\n\"y\" = \"explode\"\n\"x\" = \"quit\"\n\n[keys.nowhere]\n\"a\" = \"quit\"\n",
    );
    let queues = Mode::Normal.chain(Focus::Queues);
    assert_eq!(
        keymap.resolve(queues, &char_key('x')),
        Input::Action(Action::Quit)
    );
    let expect = [
        (
            "ttydesk.toml:8:",
            "`ctrl-zz` in [keys.global] is not a key name",
        ),
        (
            "ttydesk.toml:9:",
            "`explode` (for `y` in [keys.global]) is not an action",
        ),
        ("ttydesk.toml:13:", "there is no key section [keys.nowhere]"),
    ];
    for (place, what) in expect {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(place) && w.contains(what)),
            "{place} {what}: {warnings:?}"
        );
    }
}

#[test]
fn no_default_takes_the_keys_tmux_and_screen_keep() {
    let (keymap, _) = Keymap::load(&UserKeys::default());
    for context in Context::ALL {
        for (key, action) in keymap.section(context) {
            let text = key.to_string();
            assert!(
                text != "ctrl-a" && text != "ctrl-b",
                "{text} = {action:?} in {}",
                context.name()
            );
        }
    }
}

#[test]
fn a_saved_view_key_opens_the_view_and_help_names_it() {
    let (keymap, warnings) = load_file("[views.mine]\nfilter = \"printer\"\nkey = \"1\"\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        keymap.resolve(requests(), &char_key('1')),
        Input::Action(Action::View(0))
    );
    let global = &help_rows(&keymap, requests(), Context::Global);
    assert!(
        global.contains(&("1".to_string(), "saved view “mine”".to_string())),
        "{global:?}"
    );
}

#[test]
fn help_lists_what_acts_in_the_mode() {
    let (keymap, _) = Keymap::load(&UserKeys::default());
    let global = &help_rows(&keymap, requests(), Context::Global);
    assert!(
        global
            .iter()
            .any(|(keys, desc)| keys.contains('q') && *desc == "quit ttydesk")
    );
    // Filter mode: its own keys, then only the chords of the global section.
    let sections = keymap.help_sections(filter());
    let names: Vec<_> = sections.iter().map(|(c, _)| *c).collect();
    assert_eq!(names, [Context::Global, Context::Filter]);
    let global = &sections[0].1;
    assert!(global.iter().any(|(k, _)| k.contains("ctrl-c")));
    assert!(
        !global.iter().any(|(k, _)| k == "q" || k.starts_with("q ")),
        "{global:?}"
    );
    assert_eq!(
        keymap.key_for(Context::Global, Action::Refresh).as_deref(),
        Some("r")
    );
}

#[test]
fn keys_round_trip_through_text() {
    for text in [
        "q", "G", "ctrl-r", "enter", "pgdown", "space", "f5", "alt-x", "backtab",
    ] {
        assert_eq!(Key::parse(text).unwrap().to_string(), text);
    }
    assert!(Key::parse("nope").is_none());
}
