//! Input modes: help for the mode it was opened from, the command palette, and how each reads
//! keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::config::{Keymap, UserKeys};

fn bindings(m: &Model) -> Vec<(String, String)> {
    help_lines(m)
        .into_iter()
        .filter_map(|l| match l {
            HelpLine::Binding { keys, describe } => Some((keys, describe.to_string())),
            _ => None,
        })
        .collect()
}

#[test]
fn help_overlay_takes_keys_until_closed() {
    let mut m = testing::loaded_model();
    send(&mut m, ch('?'));
    assert!(matches!(m.mode, Mode::Help { scroll: 0, .. }));
    send(&mut m, ch('q'));
    assert!(!m.quit, "q closes help, it does not quit");
    assert_eq!(m.mode, Mode::Normal);
    send(&mut m, ch('q'));
    assert!(m.quit);
}

#[test]
fn help_scroll_stops_at_its_end_and_the_help_key_closes_it() {
    let mut m = testing::loaded_model();
    m.size = (80, 12);
    send(&mut m, ch('?'));
    for _ in 0..500 {
        send(&mut m, ch('j'));
    }
    let Mode::Help { scroll: end, .. } = m.mode else {
        panic!("help is open");
    };
    // The overlay shows 8 lines at 80x12 (12 - a margin and a border above and below).
    assert_eq!(
        end,
        help_lines(&m).len() - 8,
        "scroll ends where the last line is at the bottom"
    );
    send(&mut m, ch('k'));
    assert!(matches!(m.mode, Mode::Help { scroll, .. } if scroll == end - 1));
    send(&mut m, ch('?'));
    assert_eq!(m.mode, Mode::Normal);
}

#[test]
fn help_lists_the_keys_of_the_mode_it_was_opened_from_as_bound() {
    let mut m = testing::loaded_model();
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, ch('?'));
    let requests = bindings(&m);
    assert!(requests.contains(&("o".into(), "sort: newest, priority, last update".into())));
    assert!(
        !requests.iter().any(|(_, d)| d.contains("levels")),
        "queue keys are not listed for the Requests pane"
    );
    send(&mut m, key(KeyCode::Esc));
    // In the filter, help (F1) lists the field's keys and the chords that still act.
    send(&mut m, ch('/'));
    send(&mut m, key(KeyCode::F(1)));
    let filter = bindings(&m);
    assert!(filter.contains(&("enter".into(), "keep it and leave the field".into())));
    assert!(
        filter
            .iter()
            .any(|(k, d)| k.contains("ctrl-c") && d == "quit ttydesk")
    );
    assert!(
        !filter.iter().any(|(k, _)| k.split(' ').any(|k| k == "q")),
        "q types text in the filter: {filter:?}"
    );
}

#[test]
fn help_follows_a_remapped_key() {
    let user = BTreeMap::from([(
        "requests".to_string(),
        BTreeMap::from([
            ("f".to_string(), "filter".to_string()),
            ("/".to_string(), "none".to_string()),
        ]),
    )]);
    let (keymap, warnings) = Keymap::load(&UserKeys::from_tables(&user));
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut m = testing::loaded_model();
    m.keymap = Arc::new(keymap);
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, ch('?'));
    let listed = bindings(&m);
    assert!(
        listed.contains(&("f".into(), "filter the requests (fuzzy)".into())),
        "{listed:?}"
    );
    assert!(!listed.iter().any(|(k, _)| k == "/"), "{listed:?}");
    send(&mut m, key(KeyCode::Esc));
    send(&mut m, ch('/'));
    assert_eq!(m.mode, Mode::Normal, "the unbound key does nothing");
    send(&mut m, ch('f'));
    assert_eq!(m.mode, Mode::Filter, "the new key filters");
}

#[test]
fn the_palette_completes_and_runs_commands() {
    let mut m = testing::loaded_two();
    send(&mut m, ch(':'));
    assert!(matches!(m.mode, Mode::Palette(_)));
    press(&mut m, "pro");
    send(&mut m, key(KeyCode::Tab));
    assert!(matches!(&m.mode, Mode::Palette(p) if p.input == "profile "));
    press(&mut m, "acme h");
    send(&mut m, key(KeyCode::Tab));
    assert!(matches!(&m.mode, Mode::Palette(p) if p.input == "profile Acme HR"));
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.mode, Mode::Normal);
    assert_eq!(m.queues.selected, QueueKey::Profile(ProfileId(1)));
    assert_eq!(m.focus, Focus::Requests);
    assert_eq!(rows(&m).len(), 8, "only Acme HR's requests");
    send(&mut m, ch(':'));
    press(&mut m, "queues");
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.focus, Focus::Queues);
}

#[test]
fn the_palette_explains_what_it_cannot_run() {
    let mut m = testing::loaded_two();
    send(&mut m, ch(':'));
    press(&mut m, "profile nope");
    send(&mut m, key(KeyCode::Enter));
    let notice = m.notice.clone().expect("a notice");
    assert!(notice.text.contains("no open profile"), "{}", notice.text);
    assert!(notice.text.contains("Acme IT, Acme HR"), "{}", notice.text);
    send(&mut m, ch(':'));
    press(&mut m, "quit");
    send(&mut m, key(KeyCode::Esc));
    assert!(!m.quit, "esc leaves the palette without running");
    send(&mut m, ch(':'));
    press(&mut m, "ref");
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(
        calls(&effects)
            .iter()
            .filter(|(_, _, c)| matches!(c, Call::List { .. }))
            .count(),
        2,
        ":ref refreshes every profile"
    );
}

#[test]
fn the_log_command_hands_the_terminal_to_the_pager() {
    let mut m = testing::loaded_model();
    m.settings.pager = vec!["less".into(), "-R".into()];
    m.settings.log_file = Some("/tmp/ttydesk.log".into());
    send(&mut m, ch(':'));
    press(&mut m, "log");
    let effects = update(&mut m, key(KeyCode::Enter));
    let command = effects.iter().find_map(|e| match e {
        Effect::Suspend { command, .. } => Some(command.clone()),
        _ => None,
    });
    assert_eq!(
        command,
        Some(vec!["less".into(), "-R".into(), "/tmp/ttydesk.log".into()])
    );
}
