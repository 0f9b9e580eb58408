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

fn parse_action(text: &str) -> Option<Action> {
    toml::Value::String(text.to_string())
        .try_into::<Action>()
        .ok()
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
    pub(super) fn text(&self) -> Option<char> {
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

/// One binding the user wrote, and where: `[keys.CONTEXT] "KEY" = "ACTION"` on `line` (0 when
/// not from a file), or a saved view's `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserBinding {
    pub context: String,
    pub key: String,
    pub action: UserAction,
    pub line: usize,
}

/// What a user binding asks for: an action by name, or a saved view by its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserAction {
    Named(String),
    View { index: u8, name: String },
}

/// The user's bindings, with the file they came from (for warnings that say where to look).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserKeys {
    pub file: String,
    pub bindings: Vec<UserBinding>,
}

impl UserKeys {
    /// Bindings given as tables, as in `[keys.*]`, without a file (tests, built-in profiles).
    pub fn from_tables(tables: &BTreeMap<String, BTreeMap<String, String>>) -> UserKeys {
        let bindings = tables
            .iter()
            .flat_map(|(context, table)| {
                table.iter().map(|(key, action)| UserBinding {
                    context: context.clone(),
                    key: key.clone(),
                    action: UserAction::Named(action.clone()),
                    line: 0,
                })
            })
            .collect();
        UserKeys {
            file: String::new(),
            bindings,
        }
    }

    /// "ttydesk.toml:12" for a warning's start.
    fn place(&self, line: usize) -> String {
        match (self.file.as_str(), line) {
            ("", 0) => "[keys]".to_string(),
            ("", line) => format!("line {line}"),
            (file, 0) => file.to_string(),
            (file, line) => format!("{file}:{line}"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Key, Action>>,
    /// The saved views' names, by index ([`Action::View`]).
    views: Vec<String>,
}

/// A user binding that took effect, for the conflict checks.
#[derive(Debug, Clone)]
pub(super) struct Applied {
    pub context: Context,
    pub key: Key,
    pub action: Action,
    /// Where it was written, for the warning ("ttydesk.toml:12").
    pub place: String,
    /// As written (`"o"`, `"ctrl-b"`).
    pub written: String,
}

impl Keymap {
    /// The defaults with the user's bindings merged over them. Problems come back as warnings
    /// that name the file and line: a section, key or action name that does not exist, a key
    /// written twice, and the conflicts [`super::conflicts`] finds.
    pub fn load(user: &UserKeys) -> (Keymap, Vec<String>) {
        let mut warnings = Vec::new();
        let mut keymap = Keymap::default();
        match toml::from_str::<BTreeMap<String, BTreeMap<String, String>>>(DEFAULTS) {
            Ok(defaults) => keymap.merge_defaults(&defaults, &mut warnings),
            Err(e) => warnings.push(format!("built-in key bindings are broken: {e}")),
        }
        let defaults = keymap.clone();
        let mut applied: Vec<Applied> = Vec::new();
        let mut ordered: Vec<&UserBinding> = user.bindings.iter().collect();
        ordered.sort_by_key(|b| b.line);
        for binding in ordered {
            let place = user.place(binding.line);
            let Some(context) = Context::from_name(&binding.context) else {
                let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                warnings.push(format!(
                    "{place}: there is no key section [keys.{}] (sections: {}); ignored",
                    binding.context,
                    known.join(", ")
                ));
                continue;
            };
            let Some(key) = Key::parse(&binding.key) else {
                warnings.push(format!(
                    "{place}: `{}` in [keys.{}] is not a key name (write \"x\", \"G\", \"ctrl-r\", \"alt-x\", \"enter\", \"f5\", \"space\"…); ignored",
                    binding.key, binding.context
                ));
                continue;
            };
            let action = match &binding.action {
                UserAction::View { index, name } => {
                    keymap.set_view(*index, name);
                    Action::View(*index)
                }
                UserAction::Named(text) => match parse_action(text) {
                    Some(action) => action,
                    None => {
                        warnings.push(format!(
                            "{place}: `{text}` (for `{}` in [keys.{}]) is not an action; ignored",
                            binding.key, binding.context
                        ));
                        continue;
                    }
                },
            };
            if let Some(before) = applied
                .iter()
                .find(|a| a.context == context && a.key == key)
            {
                warnings.push(format!(
                    "{place}: `{}` and `{}` ({}) are the same key in [keys.{}]; this line wins",
                    binding.key, before.written, before.place, binding.context
                ));
            }
            keymap
                .bindings
                .entry(context)
                .or_default()
                .insert(key, action);
            applied.push(Applied {
                context,
                key,
                action,
                place,
                written: binding.key.clone(),
            });
        }
        warnings.extend(super::conflicts::check(&defaults, &keymap, &applied));
        (keymap, warnings)
    }

    fn set_view(&mut self, index: u8, name: &str) {
        let at = usize::from(index);
        if self.views.len() <= at {
            self.views.resize(at + 1, String::new());
        }
        if let Some(slot) = self.views.get_mut(at) {
            *slot = name.to_string();
        }
    }

    fn merge_defaults(
        &mut self,
        tables: &BTreeMap<String, BTreeMap<String, String>>,
        warnings: &mut Vec<String>,
    ) {
        for (context_name, table) in tables {
            let Some(context) = Context::from_name(context_name) else {
                warnings.push(format!("built-in keymap: unknown context `{context_name}`"));
                continue;
            };
            for (key_text, action_text) in table {
                match (Key::parse(key_text), parse_action(action_text)) {
                    (Some(key), Some(action)) => {
                        self.bindings
                            .entry(context)
                            .or_default()
                            .insert(key, action);
                    }
                    _ => warnings.push(format!(
                        "built-in keymap: `{key_text}` = `{action_text}` in {context_name}"
                    )),
                }
            }
        }
    }

    /// What `key` does in a mode read through `chain`, and the section that says so; `None`
    /// when nothing binds it there (it may still be text or go to an editor).
    pub(super) fn lookup(&self, chain: Chain, key: &Key) -> Option<(Context, Action)> {
        let bound = |context: Context| self.bindings.get(&context)?.get(key).copied();
        if let Some(found) = chain
            .contexts
            .iter()
            .find_map(|c| bound(*c).map(|a| (*c, a)))
        {
            return Some(found);
        }
        if chain.editor || (chain.typing && key.text().is_some()) {
            return None;
        }
        if chain.chords_to_global && key.is_chord() {
            return bound(Context::Global).map(|a| (Context::Global, a));
        }
        None
    }

    /// Every key bound in a section (for the checks and the README's table).
    pub(super) fn section(&self, context: Context) -> impl Iterator<Item = (&Key, &Action)> {
        self.bindings.get(&context).into_iter().flatten()
    }

    /// What help says `action` does: a saved view by its name.
    pub fn describe(&self, action: Action) -> String {
        match action {
            Action::View(i) => match self.view_name(i) {
                Some(name) => format!("saved view “{name}”"),
                None => action.describe().to_string(),
            },
            action => action.describe().to_string(),
        }
    }

    /// The name of the saved view `index`, for help.
    pub fn view_name(&self, index: u8) -> Option<&str> {
        self.views.get(usize::from(index)).map(String::as_str)
    }

    /// What `event` means in a mode read through `chain`.
    pub fn resolve(&self, chain: Chain, event: &KeyEvent) -> Input {
        let Some(key) = Key::from_event(event) else {
            return Input::Ignored;
        };
        match self.lookup(chain, &key) {
            Some((_, Action::None)) => Input::Ignored,
            Some((_, action)) => Input::Action(action),
            None if chain.editor => Input::Edit(*event),
            None => match key.text() {
                Some(c) if chain.typing => Input::Text(c),
                _ => Input::Ignored,
            },
        }
    }

    /// Everything bound in a mode, for the help overlay: exactly the keys that act in that mode,
    /// a key shadowed by an earlier section of the lookup listed only there. Sections come in
    /// display order (everywhere, moving, then the pane or mode); each row is (keys,
    /// description), the keys of one action joined.
    pub fn help_sections(&self, chain: Chain) -> Vec<(Context, Vec<(String, String)>)> {
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
            let mut rows: Vec<(String, String)> = by_action
                .into_iter()
                .map(|(a, keys)| (keys.join(" "), self.describe(a)))
                .collect();
            rows.sort_by(|a, b| a.1.cmp(&b.1));
            if !rows.is_empty() {
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
#[path = "keymap_tests.rs"]
mod tests;
