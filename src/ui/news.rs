//! Breaking news: the banner a High item that is still open puts on top of every pane, and the
//! news pane — two lines an item (importance, title, status and the expected resolution as a
//! countdown, "overdue" when past; affected desks and groups, creator, created), or one item
//! read with its body and its timeline of updates.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use super::format::{ago, fit};
use super::writes::{centred, hints, open_overlay};
use crate::app::{Action, Model, NewsView, Remote, banner as news_banner, news_items};
use crate::config::keymap::Context;
use crate::domain::{Importance, NewsItem, ProfileId};

pub(super) fn importance_style(theme: &Theme, importance: Importance) -> Style {
    match importance {
        Importance::High => theme.danger(),
        Importance::Medium => theme.warning(),
        Importance::Low | Importance::Other => theme.muted(),
    }
}

fn importance_text(item: &NewsItem) -> String {
    item.importance_name
        .as_ref()
        .map_or_else(|| item.importance.word().to_string(), |n| n.to_string())
        .to_uppercase()
}

/// "resolves in 2h", "overdue by 3h", "closed".
fn countdown(now: DateTime<Utc>, item: &NewsItem) -> String {
    if !item.open {
        return item
            .status_name
            .as_ref()
            .map_or_else(|| "closed".to_string(), |n| n.to_string().to_lowercase());
    }
    match item.resolution_at {
        Some(at) => countdown_to(now, at),
        None => "open, no resolution time".into(),
    }
}

/// "resolves in 1h 59m" or "overdue by 3h": precise to the minute within a day, since an
/// agent tells callers how long is left.
pub(super) fn countdown_to(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    if at > now {
        format!("resolves in {}", span((at - now).num_seconds()))
    } else {
        format!("overdue by {}", span((now - at).num_seconds()))
    }
}

/// "45m", "1h 59m", "3d 4h": a span of time, minutes counted up so "in 2h" never reads "1h".
fn span(secs: i64) -> String {
    let minutes = u64::try_from(secs).unwrap_or(0).div_ceil(60);
    match minutes {
        0..60 => format!("{minutes}m"),
        60..1_440 if minutes % 60 == 0 => format!("{}h", minutes / 60),
        60..1_440 => format!("{}h {}m", minutes / 60, minutes % 60),
        _ if (minutes / 60) % 24 == 0 => format!("{}d", minutes / 1_440),
        _ => format!("{}d {}h", minutes / 1_440, (minutes / 60) % 24),
    }
}

fn affected(item: &NewsItem) -> String {
    let names: Vec<String> = item
        .desks
        .iter()
        .map(|d| d.name.to_string())
        .chain(item.groups.iter().map(|g| g.name.to_string()))
        .collect();
    if names.is_empty() {
        "nobody named".into()
    } else {
        names.join(", ")
    }
}

pub fn banner(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let Some(b) = news_banner(model) else {
        return;
    };
    // The key first: on a narrow terminal the end of the line is what goes.
    let key = model
        .keymap
        .key_for(Context::Global, Action::News)
        .map_or_else(String::new, |k| format!(" ({k})"));
    let more = match b.more_open {
        0 => String::new(),
        n => format!(" · {n} more open"),
    };
    let text = format!(
        " ⚠ {}{key} · {} · {}{more} ",
        importance_text(b.item),
        b.item.title,
        countdown(model.now, b.item),
    );
    let width = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&text, width), theme.danger())),
        area,
    );
}

pub fn render(frame: &mut Frame, area: Rect, model: &Model, view: &NewsView, theme: &Theme) {
    let items = news_items(model);
    let rect = centred(
        area,
        area.width.saturating_sub(2).max(20),
        area.height.saturating_sub(2),
    );
    let inner = usize::from(rect.width.saturating_sub(2));
    let read = view.read_at(&items);
    let keys: &[(Action, &str)] = if read.is_some() {
        &[(Action::Refresh, "reload"), (Action::Close, "back")]
    } else {
        &[
            (Action::Open, "read"),
            (Action::Refresh, "reload"),
            (Action::Close, "close"),
        ]
    };
    let footer = hints(model, Context::News, keys);
    let open = items.iter().filter(|(_, i)| i.open).count();
    let title = format!(" Breaking news · {open} open, {} in all ", items.len());
    let body = open_overlay(frame, rect, &title, &footer, theme);
    if let Some((p, item)) = read.and_then(|i| items.get(i)) {
        let lines = reading(model, *p, item, inner, theme);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        return;
    }
    let mut lines: Vec<Line> = Vec::new();
    for s in &model.sessions {
        if let Some(e) = s.news.items.error() {
            lines.push(Line::styled(
                fit(
                    &format!(" {}: news could not be read: {e}", s.label.name),
                    inner,
                ),
                theme.danger(),
            ));
        }
    }
    if items.is_empty() {
        let loading = model.sessions.iter().any(|s| s.news.items.is_loading());
        lines.push(Line::styled(
            if loading {
                " Reading breaking news…"
            } else {
                " No breaking news."
            },
            theme.muted(),
        ));
    }
    let cursor = view.cursor.min(items.len().saturating_sub(1));
    let several = model.sessions.len() > 1;
    let height = usize::from(body.height).saturating_sub(lines.len()).max(2);
    let first = (cursor * 2 + 2).saturating_sub(height).div_ceil(2);
    for (i, (p, item)) in items.iter().enumerate().skip(first) {
        let mark = if i == cursor { "▸" } else { " " };
        let profile = if several {
            model
                .session(*p)
                .map(|s| format!("{} · ", s.label.name))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let head = format!(
            " {mark} {:<6} {profile}{}  · {}",
            importance_text(item),
            item.title,
            countdown(model.now, item)
        );
        let style = if i == cursor {
            theme.selection()
        } else if item.open {
            importance_style(theme, item.importance)
        } else {
            theme.muted()
        };
        lines.push(Line::styled(fit(&head, inner), style));
        let by = item
            .creator
            .as_ref()
            .map_or_else(String::new, |c| format!(" · by {}", c.name));
        lines.push(Line::styled(
            fit(
                &format!(
                    "          {}{by} · {}",
                    affected(item),
                    item.created_at
                        .map_or_else(String::new, |at| ago(model.now, at))
                ),
                inner,
            ),
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), body);
}

fn reading(
    model: &Model,
    p: ProfileId,
    item: &NewsItem,
    inner: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(fit(&format!(" {}", item.title), inner), theme.title()),
        Line::styled(
            fit(
                &format!(
                    " {} · {} · affects {}",
                    importance_text(item),
                    countdown(model.now, item),
                    affected(item)
                ),
                inner,
            ),
            importance_style(theme, item.importance),
        ),
    ];
    let by = item
        .creator
        .as_ref()
        .map_or_else(String::new, |c| format!("by {} ", c.name));
    let when = item
        .created_at
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    out.push(Line::styled(format!(" {by}{when}"), theme.muted()));
    out.push(Line::raw(""));
    out.extend(indented(item.body.as_str(), 1, inner));
    out.push(Line::raw(""));
    out.push(Line::styled(" Timeline", theme.title()));
    let detail = model
        .session(p)
        .and_then(|s| s.news.detail.as_ref())
        .filter(|(id, _)| *id == item.id)
        .map(|(_, d)| d);
    match detail {
        Some(Remote::Loading { stale: None, .. }) | None => {
            out.push(Line::styled("   reading the updates…", theme.muted()));
        }
        Some(remote) => {
            if let Some(e) = remote.error() {
                out.push(Line::styled(
                    format!("   the updates could not be read: {e}"),
                    theme.danger(),
                ));
            }
            if let Some(d) = remote.data() {
                if d.updates.is_empty() {
                    out.push(Line::styled("   no update yet", theme.muted()));
                }
                for u in &d.updates {
                    let at =
                        u.at.map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_default();
                    let who = u
                        .creator
                        .as_ref()
                        .map_or_else(String::new, |c| format!(" · {}", c.name));
                    out.push(Line::styled(format!("   {at}{who}"), theme.muted()));
                    out.extend(indented(u.body.as_str(), 5, inner));
                }
            }
        }
    }
    out
}

/// `text` wrapped to the pane with every line, continuations too, `indent` columns in.
fn indented(text: &str, indent: usize, inner: usize) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    crate::app::wrap(text, inner.saturating_sub(indent + 1).max(10))
        .into_iter()
        .map(|l| Line::raw(format!("{pad}{l}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_keep_their_indent() {
        let lines = indented("one two three four five six seven", 5, 20);
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert!(text.len() > 1, "{text:?}");
        assert!(
            text.iter().all(|l| l.starts_with("     ") && l.len() <= 20),
            "{text:?}"
        );
    }

    #[test]
    fn a_countdown_is_precise_to_the_minute_and_never_rounds_down_an_hour() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let at = |secs: i64| now + chrono::TimeDelta::seconds(secs);
        assert_eq!(countdown_to(now, at(7_199)), "resolves in 2h");
        assert_eq!(countdown_to(now, at(7_000)), "resolves in 1h 57m");
        assert_eq!(countdown_to(now, at(600)), "resolves in 10m");
        assert_eq!(
            countdown_to(now, at(2 * 86_400 + 3 * 3_600)),
            "resolves in 2d 3h"
        );
        assert_eq!(countdown_to(at(3 * 3_600), now), "overdue by 3h");
    }
}
