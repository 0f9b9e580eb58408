//! Key bindings: the embedded defaults (`config/keymap.toml`) with the user's `[keys.*]` tables
//! merged over them. A bad key or action name becomes a warning and the default stays, so a typo
//! never costs the agent their console.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::Action;

const DEFAULTS: &str = include_str!("../../config/keymap.toml");

/// Where a binding applies. Lookup goes pane, then navigation, then global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    Navigation,
    Queues,
    Requests,
    Detail,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Context::Global,
        Context::Navigation,
        Context::Queues,
        Context::Requests,
        Context::Detail,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Navigation => "navigation",
            Context::Queues => "queues",
            Context::Requests => "requests",
            Context::Detail => "detail",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A key with its modifiers, as written in the config ("ctrl-r", "G", "enter").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// `KeyCode` is not `Ord`; this keeps the subset we bind, in a sortable form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum KeyCodeOrd {
    Char(char),
    Named(u8),
    F(u8),
}

const NAMED: [(&str, KeyCode); 13] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdown", KeyCode::PageDown),
];

impl Key {
    pub fn parse(text: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = if rest == "space" {
            KeyCodeOrd::Char(' ')
        } else if let Some(i) = NAMED.iter().position(|(n, _)| *n == rest) {
            KeyCodeOrd::Named(u8::try_from(i).ok()?)
        } else if let Some(n) = rest.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            KeyCodeOrd::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCodeOrd::Char(c),
                _ => return None,
            }
        };
        Some(Key { code, ctrl, alt })
    }

    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let code = match event.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => {
                KeyCodeOrd::Named(u8::try_from(NAMED.iter().position(|(_, k)| *k == other)?).ok()?)
            }
        };
        Some(Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        })
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::Named(i) => f.write_str(NAMED.get(usize::from(i)).map_or("?", |(n, _)| n)),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Key, Action>>,
}

impl Keymap {
    /// The defaults with `user` merged over them; problems come back as warnings.
    pub fn load(user: &BTreeMap<String, BTreeMap<String, String>>) -> (Keymap, Vec<String>) {
        let mut warnings = Vec::new();
        let mut keymap = Keymap::default();
        match toml::from_str::<BTreeMap<String, BTreeMap<String, String>>>(DEFAULTS) {
            Ok(defaults) => keymap.merge(&defaults, &mut warnings),
            Err(e) => warnings.push(format!("built-in key bindings are broken: {e}")),
        }
        let mut user_warnings = Vec::new();
        keymap.merge(user, &mut user_warnings);
        warnings.extend(user_warnings.into_iter().map(|w| format!("[keys] {w}")));
        (keymap, warnings)
    }

    fn merge(
        &mut self,
        tables: &BTreeMap<String, BTreeMap<String, String>>,
        warnings: &mut Vec<String>,
    ) {
        for (context_name, table) in tables {
            let Some(context) = Context::from_name(context_name) else {
                warnings.push(format!("unknown context `{context_name}` ignored"));
                continue;
            };
            for (key_text, action_text) in table {
                let Some(key) = Key::parse(key_text) else {
                    warnings.push(format!(
                        "unknown key `{key_text}` in {context_name} ignored"
                    ));
                    continue;
                };
                let action = match toml::Value::String(action_text.clone()).try_into::<Action>() {
                    Ok(action) => action,
                    Err(_) => {
                        warnings.push(format!(
                            "unknown action `{action_text}` for `{key_text}` ignored"
                        ));
                        continue;
                    }
                };
                self.bindings
                    .entry(context)
                    .or_default()
                    .insert(key, action);
            }
        }
    }

    /// The action for `event` in a pane, after the navigation and global contexts.
    pub fn resolve(&self, pane: Context, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event)?;
        [pane, Context::Navigation, Context::Global]
            .into_iter()
            .find_map(|c| self.bindings.get(&c)?.get(&key).copied())
            .filter(|a| *a != Action::None)
    }

    /// Bindings of one context grouped by action, for the help overlay: (keys, description).
    pub fn help_rows(&self, context: Context) -> Vec<(String, &'static str)> {
        let mut by_action: Vec<(Action, Vec<String>)> = Vec::new();
        for (key, action) in self.bindings.get(&context).into_iter().flatten() {
            if *action == Action::None {
                continue;
            }
            match by_action.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(key.to_string()),
                None => by_action.push((*action, vec![key.to_string()])),
            }
        }
        by_action.sort_by_key(|(a, _)| a.describe());
        by_action
            .into_iter()
            .map(|(a, keys)| (keys.join(" "), a.describe()))
            .collect()
    }

    /// The contexts that have bindings, each with its help rows, in display order.
    pub fn help_sections(&self) -> Vec<(Context, Vec<(String, &'static str)>)> {
        Context::ALL
            .into_iter()
            .map(|c| (c, self.help_rows(c)))
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    }

    /// The first key bound to `action` in `context`, for hints ("press r to retry").
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        self.bindings
            .get(&context)?
            .iter()
            .find(|(_, a)| **a == action)
            .map(|(k, _)| k.to_string())
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyEvent;

    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_load_without_warnings_and_resolve_through_contexts() {
        let (keymap, warnings) = Keymap::load(&BTreeMap::new());
        assert!(warnings.is_empty(), "{warnings:?}");
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(Context::Requests, &j), Some(Action::Down));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(Context::Detail, &q), Some(Action::Quit));
        let slash = press(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(
            keymap.resolve(Context::Requests, &slash),
            Some(Action::Filter)
        );
        assert_eq!(keymap.resolve(Context::Detail, &slash), None);
        let ctrl_r = press(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(
            keymap.resolve(Context::Queues, &ctrl_r),
            Some(Action::Refresh)
        );
    }

    #[test]
    fn user_bindings_override_add_and_unbind_with_warnings_for_typos() {
        let mut user = BTreeMap::new();
        user.insert(
            "global".to_string(),
            BTreeMap::from([
                ("x".to_string(), "quit".to_string()),
                ("q".to_string(), "none".to_string()),
                ("ctrl-zz".to_string(), "quit".to_string()),
                ("y".to_string(), "explode".to_string()),
            ]),
        );
        user.insert("nowhere".to_string(), BTreeMap::new());
        let (keymap, warnings) = Keymap::load(&user);
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(Context::Queues, &x), Some(Action::Quit));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(Context::Queues, &q), None);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("explode")));
    }

    #[test]
    fn every_default_action_has_a_help_row() {
        let (keymap, _) = Keymap::load(&BTreeMap::new());
        let rows = keymap.help_rows(Context::Global);
        assert!(
            rows.iter()
                .any(|(keys, desc)| keys.contains('q') && *desc == "quit ttydesk")
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
}
