//! Key bindings: the embedded defaults (`config/keymap.toml`) with the user's `[keys.*]` tables
//! merged over them, and the one function that turns a key press into what it means in the
//! current mode ([`Keymap::resolve`]). A bad key or action name becomes a warning and the default
//! stays, so a typo never costs the agent their console.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::Action;

const DEFAULTS: &str = include_str!("../../config/keymap.toml");

/// A section of the keymap: a pane, a mode, or the fallbacks every mode shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    Navigation,
    Queues,
    Requests,
    Detail,
    Filter,
    Palette,
    Help,
    Composer,
    Confirm,
    Outbox,
    Picker,
    Approvals,
    Prompt,
    News,
    NewsForm,
    Kb,
    KbBrowse,
}

impl Context {
    pub const ALL: [Context; 18] = [
        Context::Global,
        Context::Navigation,
        Context::Queues,
        Context::Requests,
        Context::Detail,
        Context::Filter,
        Context::Palette,
        Context::Help,
        Context::Composer,
        Context::Confirm,
        Context::Outbox,
        Context::Picker,
        Context::Approvals,
        Context::Prompt,
        Context::News,
        Context::NewsForm,
        Context::Kb,
        Context::KbBrowse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Navigation => "navigation",
            Context::Queues => "queues",
            Context::Requests => "requests",
            Context::Detail => "detail",
            Context::Filter => "filter",
            Context::Palette => "palette",
            Context::Help => "help",
            Context::Composer => "composer",
            Context::Confirm => "confirm",
            Context::Outbox => "outbox",
            Context::Picker => "picker",
            Context::Approvals => "approvals",
            Context::Prompt => "prompt",
            Context::News => "news",
            Context::NewsForm => "news_form",
            Context::Kb => "kb",
            Context::KbBrowse => "kb_browse",
        }
    }

    /// The heading the help overlay gives this section.
    pub fn heading(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Navigation => "Moving",
            Context::Queues => "Queues pane",
            Context::Requests => "Requests pane",
            Context::Detail => "Detail pane",
            Context::Filter => "While filtering",
            Context::Palette => "In the command palette",
            Context::Help => "In this help",
            Context::Composer => "Writing a reply",
            Context::Confirm => "Confirming",
            Context::Outbox => "In the outbox",
            Context::Picker => "Choosing from a list",
            Context::Approvals => "In the approvals pane",
            Context::Prompt => "Typing a note",
            Context::News => "In breaking news",
            Context::NewsForm => "Writing breaking news",
            Context::Kb => "Searching the knowledge base",
            Context::KbBrowse => "Browsing and reading the knowledge base",
        }
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// How a mode reads keys: which sections, in order, and what happens to keys none of them binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chain {
    pub contexts: &'static [Context],
    /// A plain character (no ctrl or alt) the sections do not bind is text typed into a field.
    pub typing: bool,
    /// Keys with ctrl or alt, and F-keys, fall through to the global section (quit, help).
    pub chords_to_global: bool,
    /// Every key the sections do not bind goes to a text editor as it is (enter, arrows,
    /// backspace, characters): the reply composer.
    pub editor: bool,
}

/// What a key press means in a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Action(Action),
    Text(char),
    /// A key for the text editor of this mode, as pressed.
    Edit(KeyEvent),
    /// Nothing is bound to it here.
    Ignored,
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

    /// Keys with ctrl or alt, and F-keys: the ones that still act while a field has the keys.
    pub fn is_chord(&self) -> bool {
        self.ctrl || self.alt || matches!(self.code, KeyCodeOrd::F(_))
    }

    /// A printable character with no ctrl or alt: text, in a field.
    fn text(&self) -> Option<char> {
        match self.code {
            KeyCodeOrd::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
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

    /// What `event` means in a mode read through `chain`.
    pub fn resolve(&self, chain: Chain, event: &KeyEvent) -> Input {
        let Some(key) = Key::from_event(event) else {
            return Input::Ignored;
        };
        let bound = |context: Context| self.bindings.get(&context)?.get(&key).copied();
        if let Some(action) = chain.contexts.iter().find_map(|c| bound(*c)) {
            return match action {
                Action::None => Input::Ignored,
                action => Input::Action(action),
            };
        }
        if chain.editor {
            return Input::Edit(*event);
        }
        if chain.typing
            && let Some(c) = key.text()
        {
            return Input::Text(c);
        }
        if chain.chords_to_global && key.is_chord() {
            return match bound(Context::Global) {
                Some(Action::None) | None => Input::Ignored,
                Some(action) => Input::Action(action),
            };
        }
        Input::Ignored
    }

    /// Everything bound in a mode, for the help overlay: exactly the keys that act in that mode,
    /// a key shadowed by an earlier section of the lookup listed only there. Sections come in
    /// display order (everywhere, moving, then the pane or mode); each row is (keys,
    /// description), the keys of one action joined.
    pub fn help_sections(&self, chain: Chain) -> Vec<(Context, Vec<(String, &'static str)>)> {
        let mut passes: Vec<(Context, bool)> = chain.contexts.iter().map(|c| (*c, false)).collect();
        if chain.chords_to_global && !chain.contexts.contains(&Context::Global) {
            passes.push((Context::Global, true));
        }
        let mut seen: Vec<Key> = Vec::new();
        let mut sections = Vec::new();
        for (context, chords_only) in passes {
            let mut by_action: Vec<(Action, Vec<String>)> = Vec::new();
            for (key, action) in self.bindings.get(&context).into_iter().flatten() {
                let shadowed = seen.contains(key);
                seen.push(*key);
                if shadowed || *action == Action::None || (chords_only && !key.is_chord()) {
                    continue;
                }
                match by_action.iter_mut().find(|(a, _)| a == action) {
                    Some((_, keys)) => keys.push(key.to_string()),
                    None => by_action.push((*action, vec![key.to_string()])),
                }
            }
            by_action.sort_by_key(|(a, _)| a.describe());
            if !by_action.is_empty() {
                let rows = by_action
                    .into_iter()
                    .map(|(a, keys)| (keys.join(" "), a.describe()))
                    .collect();
                sections.push((context, rows));
            }
        }
        // Context order is display order: Global, Navigation, then panes and modes.
        sections.sort_by_key(|(context, _)| *context);
        sections
    }

    /// The first key bound to `action` in `context`, for hints ("press r to retry").
    /// The key hints name for `action` in `context`: esc, then another named key (enter, tab)
    /// before a letter, a plain letter before a chord, an F-key last, so a footer says "esc back" rather
    /// than "h back".
    pub fn key_for(&self, context: Context, action: Action) -> Option<String> {
        self.bindings
            .get(&context)?
            .iter()
            .filter(|(_, a)| **a == action)
            .min_by_key(|(k, _)| match k.code {
                // Where esc and enter both close something, "esc closes".
                KeyCodeOrd::Named(1) => 0,
                KeyCodeOrd::Named(_) => 1,
                KeyCodeOrd::Char(_) if !k.ctrl && !k.alt => 2,
                KeyCodeOrd::Char(_) => 3,
                KeyCodeOrd::F(_) => 4,
            })
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
        let (keymap, warnings) = Keymap::load(&BTreeMap::new());
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
        let (keymap, _) = Keymap::load(&BTreeMap::new());
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
        let queues = Mode::Normal.chain(Focus::Queues);
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(queues, &x), Input::Action(Action::Quit));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(keymap.resolve(queues, &q), Input::Ignored);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("explode")));
    }

    #[test]
    fn help_lists_what_acts_in_the_mode() {
        let (keymap, _) = Keymap::load(&BTreeMap::new());
        let sections = keymap.help_sections(requests());
        let global = &sections
            .iter()
            .find(|(c, _)| *c == Context::Global)
            .unwrap()
            .1;
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
}
