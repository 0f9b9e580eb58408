//! The help overlay, generated from the key bindings in force: it cannot drift from them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Theme, pane_block};
use crate::app::{HELP_FOOTER, Model, help_len};
use crate::config::keymap::Context;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, scroll: usize, theme: &Theme) {
    let mut lines = Vec::new();
    for (context, rows) in model.keymap.help_sections() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        let heading = match context {
            Context::Global => "Everywhere",
            Context::Navigation => "Moving",
            Context::Queues => "Queues pane",
            Context::Requests => "Requests pane",
            Context::Detail => "Detail pane",
        };
        lines.push(Line::styled(
            heading,
            theme.accent().add_modifier(ratatui::style::Modifier::BOLD),
        ));
        for (keys, description) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<16} "), theme.title()),
                Span::raw(description),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.extend(HELP_FOOTER.iter().map(|l| Line::styled(*l, theme.muted())));
    // `update` bounds the scroll with the same count; keep them in step.
    debug_assert_eq!(lines.len(), help_len(&model.keymap));
    let width = area.width.min(64);
    let height = area
        .height
        .saturating_sub(2)
        .min(u16::try_from(lines.len() + 2).unwrap_or(u16::MAX));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    let max_scroll = lines
        .len()
        .saturating_sub(usize::from(height.saturating_sub(2)));
    let scroll = u16::try_from(scroll.min(max_scroll)).unwrap_or(0);
    let block = pane_block(
        Line::styled(" Help · esc closes · j/k scroll ", theme.title()),
        true,
        theme,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}
