//! The command palette: the line being typed after `:` just above the status bar, with the
//! completions of what is typed above it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{Theme, format::fit, pane_block};
use crate::app::{Model, Palette, completions};
use crate::config::keymap::Context;

/// Completions shown at once.
const SHOWN: usize = 6;

pub fn render(
    frame: &mut Frame,
    status_bar: Rect,
    model: &Model,
    palette: &Palette,
    theme: &Theme,
) {
    let options = completions(&palette.input, &model.profile_names(), &|kind| {
        crate::app::choices(model, kind)
    });
    let width = status_bar.width.min(72);
    let shown = options.len().min(SHOWN);
    let height = u16::try_from(shown + 3).unwrap_or(3).min(status_bar.y);
    let rect = Rect {
        x: status_bar.x,
        y: status_bar.y.saturating_sub(height),
        width,
        height,
    };
    let inner_width = usize::from(width.saturating_sub(2));
    let first = palette.selected.saturating_sub(SHOWN - 1);
    let mut lines: Vec<Line> = options
        .iter()
        .enumerate()
        .skip(first)
        .take(SHOWN)
        .map(|(i, c)| {
            let name = format!(":{}", c.line.trim_end());
            let gap = 18usize.saturating_sub(name.width()).max(1);
            let text = fit(
                &format!("{name}{}{}", " ".repeat(gap), c.describe),
                inner_width,
            );
            if i == palette.selected {
                Line::styled(text, theme.selection())
            } else {
                Line::styled(text, theme.muted())
            }
        })
        .collect();
    lines.push(Line::from(vec![
        Span::styled(":", theme.accent()),
        Span::raw(palette.input.clone()),
        Span::styled("▏", theme.accent()),
    ]));
    let hint = |action, what: &str| {
        super::key_of(model, Context::Palette, action)
            .map(|k| format!(" · {k} {what}"))
            .unwrap_or_default()
    };
    let title = format!(
        " Command{}{} ",
        hint(crate::app::Action::Complete, "completes"),
        hint(crate::app::Action::Accept, "runs")
    );
    let block = pane_block(Line::styled(title, theme.title()), true, theme);
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
