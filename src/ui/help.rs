//! The help overlay: the keys of the mode it was opened from, generated from the keymap in force,
//! so it cannot drift from the bindings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::format::fit;
use crate::app::{HelpLine, Mode, Model, help_lines};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, scroll: usize, theme: &Theme) {
    let width = area.width.min(64);
    // Inside the border; a line too long for a narrow terminal ends in "…", not mid-word.
    let inner = usize::from(width.saturating_sub(2));
    let lines: Vec<Line> = help_lines(model)
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(text) => Line::styled(
                fit(text, inner),
                theme.accent().add_modifier(ratatui::style::Modifier::BOLD),
            ),
            HelpLine::Binding { keys, describe } => {
                let keys = fit(&format!("  {keys:<16} "), inner);
                let room = inner.saturating_sub(keys.width());
                Line::from(vec![
                    Span::styled(keys, theme.title()),
                    Span::raw(fit(describe.as_str(), room)),
                ])
            }
            HelpLine::Blank => Line::raw(""),
            HelpLine::Footer(text) => Line::styled(fit(text, inner), theme.muted()),
        })
        .collect();
    let of = match &model.mode {
        Mode::Help { of, .. } => of.title(model.focus),
        other => other.title(model.focus),
    };
    let title = format!("Help · {of}");
    super::scrolling_overlay(frame, area, model, (width, &title), lines, scroll, theme);
}
