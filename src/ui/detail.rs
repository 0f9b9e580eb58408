//! The Detail pane: the open request's fields, description, custom fields, links, approvals and
//! comment thread, with public, internal and solution comments marked apart. The lines are laid
//! out by the model at the width this pane has; only the visible slice is drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::{Theme, pane_block, placeholder, retry_hint, spinner};
use crate::app::{DetailLine, Focus, LineKind, Model, Remote, Screen};

pub fn render(frame: &mut Frame, area: Rect, screen: &Screen, model: &Model, theme: &Theme) {
    let focused = model.focus == Focus::Detail;
    let Some(key) = &model.detail.open else {
        return;
    };
    let ticket = model.ticket(key);
    let title = match ticket {
        Some(t) => format!(" Request {} ", t.display_id),
        None => format!(" Request #{} ", key.id),
    };
    let mut spans = vec![Span::styled(title, theme.title())];
    if model.sessions.len() > 1
        && let Some(s) = model.session(key.profile)
    {
        spans.push(Span::styled(format!("· {} ", s.label.name), theme.muted()));
    }
    let detail = model.open_detail().map(|(_, d)| d);
    if detail.is_some_and(Remote::is_loading) {
        spans.push(Span::styled(
            format!("{} loading ", spinner(model)),
            theme.muted(),
        ));
    }
    // What is shown cannot be changed or reloaded now.
    if detail.and_then(Remote::data).is_some()
        && model.session(key.profile).is_some_and(|s| !s.is_online())
    {
        spans.push(Span::styled("· offline, read-only ", theme.stale()));
    }
    let block = pane_block(Line::from(spans), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // What the list already knows about the request, while its detail is missing.
    let summary = || ticket.map(|t| t.title.to_string()).unwrap_or_default();
    let failed = |what: &'static str, error: String| {
        vec![
            Line::styled(summary(), theme.title()),
            Line::raw(""),
            Line::styled(what, theme.danger()),
            Line::raw(error),
            Line::styled(retry_hint(model), theme.muted()),
        ]
    };
    if let Some(Remote::Failed { error, stale: None }) = detail {
        let lines = failed("Could not load this request", error.to_string());
        placeholder(frame, inner, lines);
        return;
    }
    // Opened before its profile's help desks and statuses loaded, and they did not.
    if detail.is_none_or(|d| matches!(d, Remote::NotAsked))
        && let Some(e) = model.session(key.profile).and_then(|s| s.catalog.error())
    {
        let lines = failed("Could not load the help desks and statuses", e.to_string());
        placeholder(frame, inner, lines);
        return;
    }
    if detail.and_then(Remote::data).is_none() {
        placeholder(
            frame,
            inner,
            vec![
                Line::raw(summary()),
                Line::raw(format!("{} loading the request…", spinner(model))),
            ],
        );
        return;
    }

    let text = screen.detail_text();
    let all = model.detail.lines();
    let height = usize::from(text.height);
    let scroll = model.detail.scroll.min(all.len());
    let lines: Vec<Line> = all[scroll..]
        .iter()
        .take(height)
        .map(|l| styled(l, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), text);
    if model.settings.hyperlinks
        && let Ok(url) = crate::app::web_link(model, key)
        && let Some(row) = all[scroll..]
            .iter()
            .take(height)
            .position(|l| l.kind == LineKind::Link && l.text.ends_with(&url))
    {
        let width = u16::try_from(url.len()).unwrap_or(u16::MAX);
        let start = u16::try_from(all[scroll + row].text.len() - url.len()).unwrap_or(0);
        let row = u16::try_from(row).unwrap_or(0);
        if start.saturating_add(width) <= text.width {
            link(
                frame,
                Rect::new(text.x + start, text.y + row, width, 1),
                &url,
            );
        }
    }
    if all.len() > height {
        let mut state = ScrollbarState::new(all.len().saturating_sub(height)).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            inner,
            &mut state,
        );
    }
}

/// Makes the cells of `area` (where `url` is drawn, one line) an OSC 8 link to it: the first
/// cell carries the sequence and the text with the text's width, the others are skipped.
fn link(frame: &mut Frame, area: Rect, url: &str) {
    use ratatui::buffer::CellDiffOption;
    let (Some(symbol), Some(width)) = (
        crate::ui::osc::hyperlink(url, url),
        std::num::NonZeroU16::new(area.width),
    ) else {
        return;
    };
    let buffer = frame.buffer_mut();
    for x in area.x..area.x + area.width {
        if let Some(cell) = buffer.cell_mut((x, area.y)) {
            if x == area.x {
                cell.set_symbol(&symbol)
                    .set_diff_option(CellDiffOption::ForcedWidth(width));
            } else {
                cell.set_diff_option(CellDiffOption::Skip);
            }
        }
    }
}

fn styled<'a>(line: &'a DetailLine, theme: &Theme) -> Line<'a> {
    let style = match line.kind {
        LineKind::Title => theme.title(),
        LineKind::Link => theme.accent(),
        LineKind::Field => theme.text(),
        LineKind::Heading => theme.accent().add_modifier(ratatui::style::Modifier::BOLD),
        LineKind::Body | LineKind::Blank => theme.text(),
        LineKind::Note => theme.warning(),
        LineKind::Pending => theme.muted().add_modifier(ratatui::style::Modifier::ITALIC),
        LineKind::Refused => theme.danger(),
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
