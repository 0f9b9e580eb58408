//! The messages overlay: each profile's state and every warning and error of this run, wrapped
//! whole, never cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::Theme;
use crate::app::{MessageLine, Model, NoticeLevel, message_lines, messages_width, wrap};

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
    super::scrolling_overlay(
        frame,
        area,
        model,
        (width, "Messages"),
        lines,
        scroll,
        theme,
    );
}
