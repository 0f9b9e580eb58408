//! The help overlay's content, generated from the keymap for the mode it was opened from: it
//! cannot drift from the bindings. The view draws these lines; `update` bounds the scroll with
//! the same list.

use super::mode::Mode;
use super::model::{Focus, Model};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    Binding { keys: String, describe: String },
    Blank,
    Footer(&'static str),
}

/// What the filter text means, under the keys of the Requests pane and of the filter (the
/// overlay is 62 columns wide inside).
const FILTER_FOOTER: [&str; 2] = [
    "Filter: type to match anywhere in id, title, customer, agent",
    "and status; 'word matches exactly, !word excludes.",
];

/// The help for `of` with `focus` the pane that has the keys.
pub fn lines(m: &Model, of: &Mode, focus: Focus) -> Vec<HelpLine> {
    let mut out = Vec::new();
    for (context, rows) in m.keymap.help_sections(of.chain(focus)) {
        if !out.is_empty() {
            out.push(HelpLine::Blank);
        }
        out.push(HelpLine::Heading(context.heading()));
        out.extend(
            rows.into_iter()
                .map(|(keys, describe)| HelpLine::Binding { keys, describe }),
        );
    }
    if matches!(of, Mode::Filter) || (*of == Mode::Normal && focus == Focus::Requests) {
        out.push(HelpLine::Blank);
        out.extend(FILTER_FOOTER.iter().map(|l| HelpLine::Footer(l)));
    }
    out
}

/// Help lines visible at once on a terminal `height` rows high (the overlay keeps a margin and
/// its border).
pub fn visible(height: u16) -> usize {
    usize::from(height.saturating_sub(4)).max(1)
}
