//! The messages overlay: each profile's state and every warning and error of this run, wrapped
//! whole, never cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane_block};
use crate::app::{MessageLine, Model, NoticeLevel, message_lines, messages_width, wrap};
use crate::config::keymap::Context;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, scroll: usize, theme: &Theme) {
    let width = messages_width(area.width).min(area.width);
    let inner = usize::from(width.saturating_sub(2))
        .saturating_sub(2)
        .max(1);
    let mut lines: Vec<Line> = Vec::new();
    for line in message_lines(model) {
        let (text, style) = match line {
            MessageLine::Heading(t) => (
                t,
                theme.accent().add_modifier(ratatui::style::Modifier::BOLD),
            ),
            MessageLine::Fine(t) => (t, theme.text()),
            MessageLine::Problem(NoticeLevel::Error, t) => (t, theme.danger()),
            MessageLine::Problem(_, t) => (t, theme.warning()),
            MessageLine::Blank => (String::new(), theme.text()),
        };
        let wrapped = wrap(&text, inner);
        if wrapped.is_empty() {
            lines.push(Line::raw(""));
        }
        for (i, part) in wrapped.into_iter().enumerate() {
            // Continuation lines are indented, so one message reads as one.
            let indent = if i == 0 { "" } else { "  " };
            lines.push(Line::styled(format!("{indent}{part}"), style));
        }
    }
    let visible = usize::from(area.height.saturating_sub(4))
        .max(1)
        .min(lines.len());
    let height = u16::try_from(visible + 2).unwrap_or(u16::MAX);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    let scroll = u16::try_from(scroll.min(lines.len().saturating_sub(visible))).unwrap_or(0);
    let close = super::key_of(model, Context::Help, crate::app::Action::Close)
        .map(|k| format!(" · {k} closes"))
        .unwrap_or_default();
    let block = pane_block(
        Line::styled(format!(" Messages{close} "), theme.title()),
        true,
        theme,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}
