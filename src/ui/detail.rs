//! The Detail pane: the open request's fields, description, custom fields, links, approvals and
//! comment thread, with public, internal and solution comments marked apart. Text is wrapped once
//! per width by the model's layout cache; only the visible slice is drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{Theme, pane_block, placeholder, retry_hint, spinner};
use crate::app::{DetailLine, Focus, LineKind, Model, Remote};

pub fn render(frame: &mut Frame, area: Rect, model: &mut Model, theme: &Theme) {
    let focused = model.focus == Focus::Detail;
    let Some(id) = model.detail.id.clone() else {
        return;
    };
    let title = match model.tickets.get(&id) {
        Some(t) => format!(" Request {} ", t.display_id),
        None => format!(" Request #{id} "),
    };
    let mut spans = vec![Span::styled(title, theme.title())];
    if model.detail.data.is_loading() {
        spans.push(Span::styled(
            format!("{} loading ", spinner(model)),
            theme.muted(),
        ));
    }
    let block = pane_block(Line::from(spans), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // What the list already knows about the request, while its detail is missing.
    let summary = || {
        model
            .tickets
            .get(&id)
            .map(|t| t.title.to_string())
            .unwrap_or_default()
    };
    if let Remote::Failed { error, stale: None } = &model.detail.data {
        placeholder(
            frame,
            inner,
            vec![
                Line::styled(summary(), theme.title()),
                Line::raw(""),
                Line::styled("Could not load this request", theme.danger()),
                Line::raw(error.to_string()),
                Line::styled(retry_hint(model), theme.muted()),
            ],
        );
        return;
    }
    if model.detail.data.data().is_none() {
        let summary = summary();
        placeholder(
            frame,
            inner,
            vec![
                Line::raw(summary),
                Line::raw(format!("{} loading the request…", spinner(model))),
            ],
        );
        return;
    }

    // One column is kept for the scrollbar.
    let text_width = inner.width.saturating_sub(1);
    let height = usize::from(inner.height);
    let total = model.detail.lines(text_width).len();
    let max_scroll = total.saturating_sub(height);
    model.detail.scroll = model.detail.scroll.min(max_scroll);
    let scroll = model.detail.scroll;
    let lines: Vec<Line> = model.detail.lines(text_width)[scroll..]
        .iter()
        .take(height)
        .map(|l| styled(l, theme))
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            width: text_width,
            ..inner
        },
    );
    if total > height {
        let mut state = ScrollbarState::new(max_scroll).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            inner,
            &mut state,
        );
    }
}

fn styled<'a>(line: &'a DetailLine, theme: &Theme) -> Line<'a> {
    let style = match line.kind {
        LineKind::Title => theme.title(),
        LineKind::Field => theme.text(),
        LineKind::Heading => theme.accent().add_modifier(ratatui::style::Modifier::BOLD),
        LineKind::Body | LineKind::Blank => theme.text(),
        LineKind::Note => theme.warning(),
        LineKind::CommentHeader(visibility, solution) => theme.comment(visibility, solution),
        LineKind::CommentBody(visibility, solution) => {
            // A bar in the comment's colour down its left edge keeps long internal notes
            // recognisable after the header has scrolled away.
            return Line::from(vec![
                Span::styled("│ ", theme.comment(visibility, solution)),
                Span::styled(line.text.as_str(), theme.text()),
            ]);
        }
    };
    Line::styled(line.text.as_str(), style)
}
