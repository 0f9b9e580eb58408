//! The help overlay: the keys of the mode it was opened from, generated from the keymap in force,
//! so it cannot drift from the bindings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::format::fit;
use super::{Theme, pane_block};
use crate::app::{HelpLine, Mode, Model, help_lines, help_visible};
use crate::config::keymap::Context;

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
    let visible = help_visible(area.height).min(lines.len());
    let height = u16::try_from(visible + 2).unwrap_or(u16::MAX);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    let scroll = u16::try_from(scroll.min(lines.len().saturating_sub(visible))).unwrap_or(0);
    let of = match &model.mode {
        Mode::Help { of, .. } => of.title(model.focus),
        other => other.title(model.focus),
    };
    let close = super::key_of(model, Context::Help, crate::app::Action::Close)
        .map(|k| format!(" · {k} closes"))
        .unwrap_or_default();
    let block = pane_block(
        Line::styled(format!(" Help · {of}{close} "), theme.title()),
        true,
        theme,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}
