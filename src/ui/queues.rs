//! The Queues pane: "All open", the help desks with their levels, each with its count of open
//! requests, and below them the status filter with the counts of the selected queue.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, format::fit, pane_block, placeholder, retry_hint, spinner};
use crate::app::{Focus, Model, Remote};
use crate::domain::StatusKind;

pub fn render(frame: &mut Frame, area: Rect, model: &mut Model, theme: &Theme) {
    let focused = model.focus == Focus::Queues;
    let mut title = vec![Span::styled(" Queues ", theme.title())];
    if model.profile.demo {
        title.push(Span::styled("demo data ", theme.muted()));
    }
    let block = pane_block(Line::from(title), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let catalog = match &model.catalog {
        // The reason is spelled out in the wider Requests pane; this pane only says what is
        // missing and how to retry.
        Remote::Failed { stale: None, .. } => {
            placeholder(
                frame,
                inner,
                vec![
                    Line::styled("Help desks not loaded", theme.danger()),
                    Line::styled(retry_hint(model), theme.muted()),
                ],
            );
            return;
        }
        other => match other.data() {
            Some(c) => c.clone(),
            None => {
                placeholder(
                    frame,
                    inner,
                    vec![Line::raw(format!("{} loading help desks…", spinner(model)))],
                );
                return;
            }
        },
    };
    let width = usize::from(inner.width);
    let open_statuses: Vec<_> = catalog
        .statuses
        .iter()
        .filter(|s| s.kind != StatusKind::Closed)
        .collect();
    // The status list needs its own rows; on short terminals the tree keeps them all.
    let status_rows = u16::try_from(open_statuses.len() + 2).unwrap_or(u16::MAX);
    let show_statuses = inner.height >= status_rows + 6;
    let [tree_area, status_area] = if show_statuses {
        Layout::vertical([Constraint::Fill(1), Constraint::Length(status_rows)]).areas(inner)
    } else {
        [inner, Rect::default()]
    };

    let rows = model.queues.rows(&catalog);
    let counts_known = model.index.data().is_some();
    let height = usize::from(tree_area.height);
    let cursor = model.queues.cursor.min(rows.len().saturating_sub(1));
    model.queues.offset = super::requests::scrolled(model.queues.offset, cursor, height);
    let offset = model.queues.offset;
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let marker = match row.expandable {
                Some(true) => "▾ ",
                Some(false) => "▸ ",
                None if row.depth > 0 => "   ",
                None => "  ",
            };
            let count = if counts_known {
                row.count.to_string()
            } else if model.index.error().is_some() {
                "?".into()
            } else {
                spinner(model).into()
            };
            let label_width = width.saturating_sub(marker.chars().count() + count.len() + 1);
            let label = fit(row.label.as_str(), label_width);
            let pad =
                label_width.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
            let style = if i == cursor {
                if focused {
                    theme.selection()
                } else {
                    theme.selection_unfocused()
                }
            } else if row.depth > 0 {
                theme.muted()
            } else {
                theme.text()
            };
            Line::from(vec![
                Span::raw(marker),
                Span::raw(label),
                Span::raw(" ".repeat(pad + 1)),
                Span::raw(count),
            ])
            .style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), tree_area);

    if show_statuses {
        let queue = model.queues.selected(&catalog);
        let mut lines = vec![Line::styled(fit("Status filter (s)", width), theme.muted())];
        let all_marker = if model.queues.status_filter.is_none() {
            "● "
        } else {
            "  "
        };
        let total = model.queues.count(&catalog, &queue, None);
        lines.push(count_line(
            all_marker,
            "all open",
            total,
            width,
            theme.text(),
        ));
        for status in open_statuses {
            let active = model.queues.status_filter.as_deref() == Some(status.id.as_str());
            let count = model.queues.count(&catalog, &queue, Some(&status.id));
            let style = if active {
                theme
                    .status(status.kind)
                    .add_modifier(ratatui::style::Modifier::BOLD)
            } else {
                theme.status(status.kind)
            };
            lines.push(count_line(
                if active { "● " } else { "  " },
                status.name.as_str(),
                count,
                width,
                style,
            ));
        }
        frame.render_widget(Paragraph::new(lines), status_area);
    }
}

fn count_line(
    marker: &str,
    label: &str,
    count: usize,
    width: usize,
    style: ratatui::style::Style,
) -> Line<'static> {
    let count = count.to_string();
    let label_width = width.saturating_sub(marker.chars().count() + count.len() + 1);
    let label = fit(label, label_width);
    let pad = label_width.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
    Line::from(vec![
        Span::raw(marker.to_string()),
        Span::styled(label, style),
        Span::raw(" ".repeat(pad + 1)),
        Span::styled(count, style),
    ])
}
