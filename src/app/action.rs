//! [`Action`]: the verbs a key can be bound to. Each has a description, which is what the help
//! overlay shows, so help cannot drift from the bindings.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    Refresh,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    Expand,
    Collapse,
    Filter,
    ClearFilter,
    NextStatusFilter,
    PrevStatusFilter,
    CycleSort,
    /// Explicitly unbinds a key inherited from the defaults.
    None,
}

impl Action {
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit ttydesk",
            Action::Help => "show or hide this help",
            Action::FocusNext => "next pane",
            Action::FocusPrev => "previous pane",
            Action::Refresh => "reload queues and the open request",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Top => "go to the first line",
            Action::Bottom => "go to the last line",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Open => "open the selected queue or request",
            Action::Back => "back: detail → requests → queues",
            Action::Expand => "show the levels of a help desk",
            Action::Collapse => "hide the levels of a help desk",
            Action::Filter => "filter the requests (fuzzy)",
            Action::ClearFilter => "clear the filter",
            Action::NextStatusFilter => "show only the next status",
            Action::PrevStatusFilter => "show only the previous status",
            Action::CycleSort => "sort: newest, priority, last update",
            Action::None => "unbound",
        }
    }
}

/// Lines under the key list in the help overlay (it is 62 columns wide inside).
pub const HELP_FOOTER: [&str; 2] = [
    "Filter: type to match, 'word exact, !word excludes;",
    "up/down move, enter keeps the filter, esc clears it.",
];

/// Lines the help overlay draws: per context a heading and its rows, a blank between contexts,
/// then a blank and the footer. `update` bounds the scroll with it.
pub fn help_len(keymap: &crate::config::Keymap) -> usize {
    let sections = keymap.help_sections();
    sections
        .iter()
        .map(|(_, rows)| rows.len() + 1)
        .sum::<usize>()
        + sections.len().saturating_sub(1)
        + 1
        + HELP_FOOTER.len()
}
