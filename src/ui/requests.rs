//! The Requests pane: the open queue's requests as a table (id, priority, status, title,
//! customer, agent, age). Only the visible window of rows is built, so a queue of thousands
//! costs the same per frame as a queue of twenty.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use unicode_width::UnicodeWidthStr;

use super::format::{self, fit};
use super::{Theme, pane_block, placeholder, retry_hint, spinner};
use crate::app::{Focus, Model, QueueKey, SortOrder};

pub fn render(frame: &mut Frame, area: Rect, model: &mut Model, theme: &Theme) {
    let focused = model.focus == Focus::Requests;
    let block = pane_block(title(model, theme), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    if model.requests.rows.is_empty() {
        let message = if let (Some(e), None) = (model.catalog.error(), model.catalog.data()) {
            vec![
                Line::styled("Could not load the help desks and statuses", theme.danger()),
                Line::raw(e.to_string()),
                Line::styled(retry_hint(model), theme.muted()),
            ]
        } else if let Some(e) = model.index.error() {
            vec![
                Line::styled("Could not load the queues", theme.danger()),
                Line::raw(e.to_string()),
            ]
        } else if model.index.data().is_none() || model.requests.is_loading() {
            vec![Line::raw(format!("{} loading requests…", spinner(model)))]
        } else if !model.requests.filter.is_empty() {
            vec![Line::raw(format!(
                "No request matches “{}”.",
                model.requests.filter
            ))]
        } else {
            vec![Line::raw("No open requests here.")]
        };
        placeholder(frame, inner, message);
        return;
    }

    let width = usize::from(inner.width);
    let show_customer = width >= 90;
    let show_agent = width >= 110;
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let cursor = model
        .requests
        .cursor
        .min(model.requests.rows.len().saturating_sub(1));
    model.requests.offset = scrolled(model.requests.offset, cursor, visible);
    let offset = model.requests.offset;
    let requests = &model.requests;
    let window = &requests.rows[offset..(offset + visible).min(requests.rows.len())];

    // Fixed columns first; the title gets what is left, so it is cut with "…", not clipped.
    let id_width = window
        .iter()
        .map(|id| {
            model
                .tickets
                .get(id)
                .map_or(id.0.len() + 1, |t| t.display_id.as_str().width())
        })
        .max()
        .unwrap_or(2)
        .max(2);
    let wide = width >= 90;
    let priority_width = if wide { 8 } else { 4 };
    let status_width = if wide { 16 } else { 10 };
    let person_width = 18;
    let age_width = 4;
    let mut fixed = vec![id_width, priority_width, status_width];
    if show_customer {
        fixed.push(person_width);
    }
    if show_agent {
        fixed.push(person_width);
    }
    fixed.push(age_width);
    let spacing = fixed.len();
    let title_width = width
        .saturating_sub(fixed.iter().sum::<usize>() + spacing)
        .max(5);

    let mut widths = vec![id_width, priority_width, status_width, title_width];
    let mut header = vec!["ID", "Pri", "Status", "Title"];
    if show_customer {
        widths.push(person_width);
        header.push("Customer");
    }
    if show_agent {
        widths.push(person_width);
        header.push("Agent");
    }
    widths.push(age_width);
    header.push("Age");

    let rows: Vec<Row> = window
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let selected = offset + i == cursor;
            let row = match model.tickets.get(id) {
                Some(t) => {
                    let rank = t.priority.as_ref().map_or(0, |p| p.rank);
                    let priority = match &t.priority {
                        Some(p) if wide => fit(p.name.as_str(), priority_width),
                        Some(_) => short_priority(rank).to_string(),
                        None => String::new(),
                    };
                    let mut cells = vec![
                        Cell::from(t.display_id.to_string()),
                        Cell::from(Span::styled(priority, theme.priority(rank))),
                        Cell::from(Span::styled(
                            fit(t.status.name.as_str(), status_width),
                            theme.status(t.status.kind),
                        )),
                        Cell::from(fit(t.title.as_str(), title_width)),
                    ];
                    if show_customer {
                        let name = t.customer.as_ref().map_or("", |c| c.name.as_str());
                        cells.push(Cell::from(fit(name, person_width)));
                    }
                    if show_agent {
                        cells.push(Cell::from(match &t.agent {
                            Some(a) => Span::raw(fit(a.name.as_str(), person_width)),
                            None => Span::styled("unassigned", theme.muted()),
                        }));
                    }
                    cells.push(Cell::from(Span::styled(
                        format::age(model.now, t.created_at),
                        theme.muted(),
                    )));
                    Row::new(cells)
                }
                None => Row::new(vec![
                    Cell::from(format!("#{id}")),
                    Cell::from(""),
                    Cell::from(""),
                    Cell::from(if model.requests.failed.contains(id) {
                        Span::styled("not loaded · r to retry", theme.danger())
                    } else {
                        Span::styled("loading…", theme.muted())
                    }),
                ]),
            };
            if selected {
                row.style(if focused {
                    theme.selection()
                } else {
                    theme.selection_unfocused()
                })
            } else {
                row
            }
        })
        .collect();
    let constraints = widths
        .into_iter()
        .map(|w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)));
    let table = Table::new(rows, constraints)
        .header(Row::new(header).style(theme.title()))
        .column_spacing(1);
    frame.render_widget(table, inner);
}

/// The first visible line for a list of `visible` lines, moved as little as possible so the
/// cursor stays in view: the list scrolls, it does not jump.
pub(super) fn scrolled(offset: usize, cursor: usize, visible: usize) -> usize {
    if cursor < offset {
        cursor
    } else if cursor >= offset + visible {
        cursor + 1 - visible
    } else {
        offset
    }
}

/// Priority in four columns, from its rank: localized names do not abbreviate well.
fn short_priority(rank: u8) -> &'static str {
    match rank {
        5.. => "Crit",
        4 => "Urg",
        3 => "High",
        2 => "Med",
        1 => "Low",
        0 => "",
    }
}

fn title<'a>(model: &Model, theme: &Theme) -> Line<'a> {
    let requests = &model.requests;
    let queue = match (&requests.queue, model.catalog.data()) {
        (Some(QueueKey::HelpDesk(id)), Some(catalog)) => catalog
            .help_desk(id)
            .map_or_else(|| format!("help desk {id}"), |d| d.name.to_string()),
        _ => "All open".to_string(),
    };
    let mut spans = vec![Span::styled(format!(" {queue} "), theme.title())];
    if let (Some(status), Some(catalog)) = (&model.queues.status_filter, model.catalog.data())
        && let Some(s) = catalog.status(status)
    {
        spans.push(Span::styled(format!("· {} ", s.name), theme.status(s.kind)));
    }
    let total = requests.members.len();
    let shown = requests.rows.len();
    // No count until the queue index is in: "0" would read as an empty queue.
    let count = if model.index.data().is_none() {
        String::new()
    } else if shown == total {
        format!("· {total} ")
    } else {
        format!("· {shown}/{total} ")
    };
    spans.push(Span::styled(count, theme.muted()));
    if requests.sort != SortOrder::Newest {
        spans.push(Span::styled(
            format!("· by {} ", requests.sort.label()),
            theme.muted(),
        ));
    }
    if requests.editing || !requests.filter.is_empty() {
        let cursor = if requests.editing { "▏" } else { "" };
        spans.push(Span::styled(
            format!("/{}{cursor} ", requests.filter),
            theme.accent(),
        ));
    }
    let loading = requests.loading();
    if loading > 0 {
        spans.push(Span::styled(
            format!("{} loading {loading} ", spinner(model)),
            theme.muted(),
        ));
    }
    Line::from(spans)
}
