//! Conflicts between the user's key bindings and the rest of the keymap, found at start-up and
//! said with the file and line of the binding that causes them: a binding that an earlier
//! section hides (it never acts, or not in some pane), one that leaves an action with no key in
//! a mode, a letter taken from a text field, and the prefixes tmux and screen keep.

use std::collections::BTreeSet;

use super::keymap::{Applied, Chain, Context, Key, Keymap};
use crate::app::Action;
use crate::app::mode::CHAINS;

/// The warnings for `applied` (the user's bindings, in file order) merged over `defaults`.
pub(super) fn check(defaults: &Keymap, merged: &Keymap, applied: &[Applied]) -> Vec<String> {
    let mut warnings = Vec::new();
    for binding in applied {
        let head = format!(
            "{}: [keys.{}] `{}`",
            binding.place,
            binding.context.name(),
            binding.written
        );
        if is_multiplexer_prefix(&binding.key) {
            warnings.push(format!(
                "{head}: tmux and screen keep {} for themselves; inside them this key may never reach ttydesk",
                binding.key
            ));
        }
        // What the defaults bind to this key in this section: the same again changes nothing
        // (a copied section of keymap.toml); another action keeps the defaults' shadowing,
        // which is no news.
        let default = defaults
            .section(binding.context)
            .find(|(k, _)| **k == binding.key)
            .map(|(_, a)| *a);
        if binding.action == Action::None || default == Some(binding.action) {
            continue;
        }
        let reading: Vec<(&str, Chain)> = CHAINS
            .iter()
            .filter(|(_, chain)| reads(chain, binding.context, &binding.key))
            .copied()
            .collect();
        let hidden: Vec<(&str, Context, Action)> = reading
            .iter()
            .filter_map(|(title, chain)| match merged.lookup(*chain, &binding.key) {
                Some((context, action)) if context != binding.context => {
                    Some((*title, context, action))
                }
                _ => None,
            })
            .collect();
        if let Some((_, context, action)) = hidden.first().filter(|_| default.is_none()) {
            let where_ = if hidden.len() == reading.len() {
                "never acts".to_string()
            } else {
                let titles: Vec<&str> = hidden.iter().map(|(t, _, _)| *t).collect();
                format!("does not act in the {}", titles.join(", the "))
            };
            warnings.push(format!(
                "{head} = {}: {where_}: [keys.{}] binds the same key to {} first",
                merged.describe(binding.action),
                context.name(),
                merged.describe(*action)
            ));
        }
        let typed: Vec<&str> = reading
            .iter()
            .filter(|(_, chain)| chain.typing && chain.contexts.contains(&binding.context))
            .filter(|_| binding.key.text().is_some())
            .map(|(title, _)| *title)
            .collect();
        if !typed.is_empty() {
            warnings.push(format!(
                "{head}: `{}` can no longer be typed in the {}",
                binding.key,
                typed.join(", the ")
            ));
        }
    }
    warnings.extend(lost_actions(defaults, merged, applied));
    warnings
}

/// ctrl-b (tmux) and ctrl-a (screen, and many tmux setups).
fn is_multiplexer_prefix(key: &Key) -> bool {
    ["ctrl-a", "ctrl-b"]
        .iter()
        .any(|k| Key::parse(k).as_ref() == Some(key))
}

/// `chain` looks `key` up in `context`: the section is in its chain, or it is the global
/// section that chords fall through to.
fn reads(chain: &Chain, context: Context, key: &Key) -> bool {
    chain.contexts.contains(&context)
        || (context == Context::Global && chain.chords_to_global && key.is_chord())
}

/// Actions a mode had a key for before the user's bindings and has none for after, each
/// blamed on the user binding that took its key.
fn lost_actions(defaults: &Keymap, merged: &Keymap, applied: &[Applied]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (title, chain) in CHAINS {
        let before = reachable(defaults, *chain);
        let after = reachable(merged, *chain);
        for lost in before.difference(&after) {
            let culprit = applied.iter().find(|b| {
                reads(chain, b.context, &b.key)
                    && defaults.lookup(*chain, &b.key).map(|(_, a)| a) == Some(*lost)
            });
            if let Some(b) = culprit {
                warnings.push(format!(
                    "{}: [keys.{}] `{}`: no key is left for “{}” in the {title}",
                    b.place,
                    b.context.name(),
                    b.written,
                    merged.describe(*lost)
                ));
            }
        }
    }
    warnings
}

/// The actions some key reaches in the mode `chain` reads keys for.
fn reachable(keymap: &Keymap, chain: Chain) -> BTreeSet<Action> {
    let mut keys: BTreeSet<Key> = BTreeSet::new();
    for context in chain.contexts {
        keys.extend(keymap.section(*context).map(|(k, _)| *k));
    }
    if chain.chords_to_global {
        keys.extend(
            keymap
                .section(Context::Global)
                .map(|(k, _)| *k)
                .filter(Key::is_chord),
        );
    }
    keys.iter()
        .filter_map(|k| keymap.lookup(chain, k))
        .filter(|(_, a)| *a != Action::None)
        .map(|(_, a)| a)
        .collect()
}
