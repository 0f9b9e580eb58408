//! The Requests pane: the selected queue's requests as a table (profile when several are listed
//! together, id, priority, status, title, customer, agent, age). Only the visible window of rows
//! is built, so a queue of 100,000 costs the same per frame as a queue of twenty.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::format::{self, fit};
use super::{Theme, pane_block, placeholder, retry_hint, spinner};
use crate::app::{Action, Focus, Mode, Model, QueueKey, Session, SortOrder};
use crate::config::keymap::Context;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let focused = model.focus == Focus::Requests;
    let block = pane_block(title(model, theme), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let requests = &model.requests;
    if requests.is_empty() {
        placeholder(frame, inner, empty_message(model, theme));
        return;
    }

    let width = usize::from(inner.width);
    let show_profile = model.queues.selected == QueueKey::Everything && model.sessions.len() > 1;
    let show_customer = width >= 90;
    let show_agent = width >= 110;
    let visible = model.screen().request_rows();
    let offset = requests.offset;
    let window: Vec<_> = (offset..(offset + visible).min(requests.len()))
        .filter_map(|i| requests.row(i).map(|c| (i, c)))
        .collect();

    // Fixed columns first; the title gets what is left, so it is cut with "…", not clipped.
    let id_width = window
        .iter()
        .map(|(_, c)| c.row.ticket.display_id.as_str().width())
        .max()
        .unwrap_or(2)
        .max(2);
    let profile_width = if show_profile {
        model
            .sessions
            .iter()
            .map(|s| s.label.name.width())
            .max()
            .unwrap_or(0)
            .clamp(4, if width >= 90 { 14 } else { 8 })
    } else {
        0
    };
    let wide = width >= 90;
    let priority_width = if wide { 8 } else { 4 };
    let status_width = if wide { 16 } else { 10 };
    let person_width = 18;
    let age_width = 4;
    let mut fixed = vec![id_width, priority_width, status_width, age_width];
    if show_profile {
        fixed.push(profile_width);
    }
    if show_customer {
        fixed.push(person_width);
    }
    if show_agent {
        fixed.push(person_width);
    }
    let spacing = fixed.len();
    let title_width = width
        .saturating_sub(fixed.iter().sum::<usize>() + spacing)
        .max(5);

    let mut widths = Vec::new();
    let mut header = Vec::new();
    if show_profile {
        widths.push(profile_width);
        header.push("Profile");
    }
    widths.extend([id_width, priority_width, status_width, title_width]);
    header.extend(["ID", "Pri", "Status", "Title"]);
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
        .map(|(i, candidate)| {
            let t = &candidate.row.ticket;
            let rank = t.priority.as_ref().map_or(0, |p| p.rank);
            let priority = match &t.priority {
                Some(p) if wide => fit(p.name.as_str(), priority_width),
                Some(p) => short_priority(p.name.as_str(), rank).to_string(),
                None => String::new(),
            };
            let mut cells = Vec::with_capacity(widths.len());
            if show_profile {
                let name = model
                    .session(candidate.key.profile)
                    .map_or("", |s| s.label.name.as_str());
                cells.push(Cell::from(Span::styled(
                    fit(name, profile_width),
                    theme.muted(),
                )));
            }
            cells.extend([
                Cell::from(t.display_id.to_string()),
                Cell::from(Span::styled(priority, theme.priority(rank))),
                Cell::from(Span::styled(
                    fit(t.status.name.as_str(), status_width),
                    theme.status(t.status.kind),
                )),
                Cell::from(fit(t.title.as_str(), title_width)),
            ]);
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
            let row = Row::new(cells);
            if *i == requests.cursor {
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

/// The sessions the selected queue lists.
fn listed(model: &Model) -> Vec<&Session> {
    crate::app::sessions_of(model, &model.queues.selected).collect()
}

/// What an empty list says: why it is empty, and how to retry when something failed.
fn empty_message<'a>(model: &Model, theme: &Theme) -> Vec<Line<'a>> {
    let sessions = listed(model);
    let several = model.sessions.len() > 1;
    let named = |s: &Session, what: &str| {
        if several {
            format!("{what} ({})", s.label.name)
        } else {
            what.to_string()
        }
    };
    if let Some(s) = sessions.iter().find(|s| s.catalog().is_none()) {
        if let Some(e) = s.catalog.error() {
            return vec![
                Line::styled(
                    named(s, "Could not load the help desks and statuses"),
                    theme.danger(),
                ),
                Line::raw(e.to_string()),
                Line::styled(retry_hint(model), theme.muted()),
            ];
        }
        if sessions.len() == 1 {
            return vec![Line::raw(format!(
                "{} loading help desks and statuses…",
                spinner(model)
            ))];
        }
    }
    if let Some(s) = sessions
        .iter()
        .find(|s| s.listing.error().is_some() && s.listing.ids().is_empty())
        && let Some(e) = s.listing.error()
    {
        return vec![
            Line::styled(named(s, "Could not load the requests"), theme.danger()),
            Line::raw(e.to_string()),
            Line::styled(retry_hint(model), theme.muted()),
        ];
    }
    if sessions
        .iter()
        .any(|s| s.listing.is_loading() || s.catalog.is_loading())
        || model.requests.is_matching()
    {
        return vec![Line::raw(format!("{} loading requests…", spinner(model)))];
    }
    if !model.requests.filter.is_empty() {
        return vec![Line::raw(format!(
            "No request matches “{}”.",
            model.requests.filter
        ))];
    }
    vec![Line::raw("No open requests here.")]
}

/// Priority in four columns: its own name when it fits or is a common English word, else a word
/// for its rank (localized names do not abbreviate well). Vendors rank differently (Rezolve's
/// "high" is 4, InvGate's 3), so the name comes first.
fn short_priority(name: &str, rank: u8) -> &str {
    let name = name.trim();
    if !name.is_empty() && name.chars().count() <= 4 {
        return name;
    }
    let known = [
        ("medium", "Med"),
        ("normal", "Norm"),
        ("urgent", "Urg"),
        ("critical", "Crit"),
    ];
    if let Some((_, short)) = known
        .iter()
        .find(|(word, _)| name.eq_ignore_ascii_case(word))
    {
        return short;
    }
    match rank {
        5.. => "Crit",
        4 => "Urg",
        3 => "High",
        2 => "Med",
        1 => "Low",
        0 => "",
    }
}

fn queue_name(model: &Model) -> String {
    match &model.queues.selected {
        QueueKey::Everything => "All open · every profile".to_string(),
        QueueKey::Profile(p) => model.session(*p).map_or_else(
            || "All open".to_string(),
            |s| format!("{} · all open", s.label.name),
        ),
        QueueKey::Desk(p, id) => model
            .session(*p)
            .and_then(|s| s.catalog())
            .and_then(|c| c.help_desk(id.as_str()))
            .map_or_else(|| format!("help desk {id}"), |d| d.name.to_string()),
    }
}

fn title<'a>(model: &Model, theme: &Theme) -> Line<'a> {
    let requests = &model.requests;
    let mut spans = vec![Span::styled(
        format!(" {} ", queue_name(model)),
        theme.title(),
    )];
    if let Some(status) = &model.queues.status_filter
        && let Some(row) = crate::app::status_rows(model)
            .into_iter()
            .find(|r| r.key.as_ref() == Some(status))
    {
        let style = row.kind.map_or_else(|| theme.text(), |k| theme.status(k));
        spans.push(Span::styled(format!("· {} ", row.label), style));
    }
    let sessions = listed(model);
    let total = requests.total();
    let shown = requests.len();
    // No count until something is listed: "0" would read as an empty queue.
    if sessions.iter().any(|s| !s.listing.ids().is_empty()) {
        let count = if shown == total {
            format!("· {total} ")
        } else {
            format!("· {shown}/{total} ")
        };
        spans.push(Span::styled(count, theme.muted()));
    }
    // Rows the server sent that could not be read: left out, and said, never silently missing.
    let unreadable: u64 = sessions.iter().map(|s| s.listing.unreadable()).sum();
    if unreadable > 0 {
        let what = if unreadable == 1 {
            "request"
        } else {
            "requests"
        };
        spans.push(Span::styled(
            format!("· {unreadable} {what} could not be read (see log) "),
            theme.warning(),
        ));
    }
    if requests.sort != SortOrder::Newest {
        spans.push(Span::styled(
            format!("· by {} ", requests.sort.label()),
            theme.muted(),
        ));
    }
    let editing = model.mode == Mode::Filter;
    if editing || !requests.filter.is_empty() {
        let cursor = if editing { "▏" } else { "" };
        spans.push(Span::styled(
            format!("/{}{cursor} ", requests.filter),
            theme.accent(),
        ));
    }
    // How far the listings still being read are (the finished ones are in the count above).
    let loading: Vec<&&Session> = sessions.iter().filter(|s| s.listing.is_loading()).collect();
    let reading: usize = loading.iter().map(|s| s.listing.reading()).sum();
    let expected: u64 = loading.iter().filter_map(|s| s.listing.total()).sum();
    if !loading.is_empty() {
        let of = if expected > 0 {
            format!(" of {expected}")
        } else {
            String::new()
        };
        spans.push(Span::styled(
            format!("{} loading {reading}{of} ", spinner(model)),
            theme.muted(),
        ));
    } else if requests.is_matching() {
        spans.push(Span::styled(format!("{} ", spinner(model)), theme.muted()));
    }
    if let Some(saved) = sessions.iter().filter_map(|s| s.listing.saved_at()).min() {
        spans.push(Span::styled(
            format!("· saved {} ", format::ago(model.now, saved)),
            theme.stale(),
        ));
    }
    // Rows are shown but a page failed: why, in short, and where the whole reason is.
    if let Some(error) = sessions
        .iter()
        .filter(|s| !s.listing.ids().is_empty())
        .find_map(|s| s.listing.error())
    {
        let details = super::key_of(model, Context::Global, Action::Messages)
            .map(|key| format!(" · {key}: details"))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(
                "· not all loaded ({}): {}{details} ",
                fit(&error.to_string(), 48).trim_end(),
                retry_hint(model)
            ),
            theme.danger(),
        ));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::short_priority;

    #[test]
    fn a_narrow_priority_says_its_own_name_before_its_rank() {
        // Rezolve ranks "high" 4, which InvGate's scale calls urgent: the name decides.
        assert_eq!(short_priority("High", 4), "High");
        assert_eq!(short_priority("Urgent", 5), "Urg");
        assert_eq!(short_priority("Critical", 5), "Crit");
        assert_eq!(short_priority("Medium", 3), "Med");
        assert_eq!(short_priority("Normal", 3), "Norm");
        assert_eq!(short_priority("Low", 1), "Low");
        // A word it does not know falls back to the rank.
        assert_eq!(short_priority("Muy alta", 4), "Urg");
    }
}
