//! The Queues pane: every open profile with its connection dot and vendor, its help desks and
//! levels below, "All open · every profile" on top when several are open, each with its count of
//! open requests; and below the tree the status filter with the counts of the selected queue.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Theme, format::fit, pane_block, spinner};
use crate::app::{Action, Connection, Focus, Model, QueueRow, RowKind, Screen};
use crate::config::keymap::Context;

pub fn render(frame: &mut Frame, area: Rect, screen: &Screen, model: &Model, theme: &Theme) {
    let focused = model.focus == Focus::Queues;
    let mut title = vec![Span::styled(" Queues ", theme.title())];
    if model.sessions.iter().any(|s| s.label.demo) {
        title.push(Span::styled("demo data ", theme.muted()));
    }
    frame.render_widget(pane_block(Line::from(title), focused, theme), area);

    let tree = screen.queues_tree;
    let width = usize::from(tree.width);
    let rows = crate::app::queue_rows(model);
    let lines: Vec<Line> = rows
        .iter()
        .skip(model.queues.offset)
        .take(usize::from(tree.height))
        .map(|row| {
            let selected = row.key == model.queues.selected;
            let style = if selected {
                if focused {
                    theme.selection()
                } else {
                    theme.selection_unfocused()
                }
            } else if row.depth > 1 {
                theme.muted()
            } else {
                theme.text()
            };
            tree_line(row, width, model, theme).style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), tree);

    if let Some(status_area) = screen.queues_status {
        let heading = match super::key_of(model, Context::Queues, Action::NextStatusFilter) {
            Some(key) => format!("Status filter ({key})"),
            None => "Status filter".to_string(),
        };
        let mut lines = vec![Line::styled(fit(&heading, width), theme.muted())];
        for row in crate::app::status_rows(model) {
            let active = row.key == model.queues.status_filter;
            let style = match row.kind {
                Some(kind) if active => theme
                    .status(kind)
                    .add_modifier(ratatui::style::Modifier::BOLD),
                Some(kind) => theme.status(kind),
                None => theme.text(),
            };
            let count = row.count.map_or_else(|| "·".to_string(), |n| n.to_string());
            lines.push(count_line(
                if active { "● " } else { "  " },
                row.label.as_str(),
                &count,
                width,
                style,
            ));
        }
        frame.render_widget(Paragraph::new(lines), status_area);
    }
}

/// One line of the tree: marker, (for a profile) its connection dot, label, and the count at
/// the right edge.
fn tree_line<'a>(row: &QueueRow, width: usize, model: &Model, theme: &Theme) -> Line<'a> {
    let marker = match row.expandable {
        Some(true) => "▾ ",
        Some(false) => "▸ ",
        None => "  ",
    };
    let indent = "  ".repeat(usize::from(row.depth));
    let session = match (&row.kind, row.key.profile()) {
        (RowKind::Profile, Some(p)) => model.session(p),
        _ => None,
    };
    // Unknown while loading: a spinner; unknown and nothing loading (it failed): "?".
    let owner = row.key.profile().and_then(|p| model.session(p));
    let loading = match owner {
        Some(s) => s.is_busy(),
        None => model.is_busy(),
    };
    let count = match row.count {
        Some(n) if row.partial => format!("{n}…"),
        Some(n) => n.to_string(),
        None if loading => spinner(model).into(),
        None => "?".into(),
    };
    let mut spans = vec![Span::raw(indent.clone()), Span::raw(marker)];
    let mut used = indent.width() + marker.width();
    if let Some(s) = session {
        let dot = match s.connection {
            Connection::Online(_) => "● ",
            Connection::Connecting => "○ ",
            Connection::Offline(_) => "✕ ",
        };
        spans.push(Span::styled(dot, theme.connection(&s.connection)));
        used += 2;
    }
    let room = width.saturating_sub(used + count.width() + 1);
    let label = fit(row.label.as_str(), room);
    used += label.width();
    spans.push(Span::raw(label));
    // The vendor, when there is room for it.
    if let Some(s) = session {
        let vendor = format!(" {}", s.label.vendor);
        if used + vendor.width() + count.width() < width {
            used += vendor.width();
            spans.push(Span::styled(vendor, theme.muted()));
        }
    }
    let pad = width.saturating_sub(used + count.width());
    spans.push(Span::raw(" ".repeat(pad.max(1))));
    spans.push(Span::raw(count));
    Line::from(spans)
}

fn count_line(marker: &str, label: &str, count: &str, width: usize, style: Style) -> Line<'static> {
    let label_width = width.saturating_sub(marker.chars().count() + count.width() + 1);
    let label = fit(label, label_width);
    let pad = label_width.saturating_sub(label.width());
    Line::from(vec![
        Span::raw(marker.to_string()),
        Span::styled(label, style),
        Span::raw(" ".repeat(pad + 1)),
        Span::styled(count.to_string(), style),
    ])
}
