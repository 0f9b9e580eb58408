//! The breaking-news form: every field in sight, the one being typed in marked, the resolution
//! time read back as the date it will be sent as, and why the last send did not go out.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::format::fit;
use super::writes::{centred, hints, overlay};
use super::{Theme, news};
use crate::app::{Action, Model, NewsField, NewsForm};
use crate::config::keymap::Context;
use crate::domain::Importance;

const LABEL: u16 = 12;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, form: &NewsForm, theme: &Theme) {
    let rect = centred(
        area,
        area.width.saturating_sub(4).clamp(30, 100),
        area.height.saturating_sub(2),
    );
    let inner_width = usize::from(rect.width.saturating_sub(2));
    let profile = model
        .session(form.profile)
        .map(|s| s.label.name.as_str())
        .unwrap_or("?");
    let title = match &form.editing {
        Some(_) => format!(" Change breaking news · {profile} "),
        None => format!(" Announce breaking news · {profile} "),
    };
    let footer = hints(
        model,
        Context::NewsForm,
        &[
            (Action::Send, "send"),
            (Action::NextField, "next field"),
            (Action::Cancel, "close"),
        ],
    );
    let block = overlay(
        Line::styled(fit(&title, inner_width), theme.title()),
        &format!("{footer} · ←→ space choose"),
        inner_width,
        theme,
    );
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    if inner.height == 0 || inner.width <= LABEL {
        return;
    }
    let field_width = inner.width - LABEL;
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    // The last row tells why the last send did not go out.
    let fields_end = bottom - u16::from(form.error.is_some());
    let mut row = |frame: &mut Frame, field: NewsField, height: u16| -> Option<Rect> {
        if y >= fields_end {
            return None;
        }
        let height = height.min(fields_end - y);
        let style = if form.field == field {
            theme.accent().add_modifier(Modifier::BOLD)
        } else {
            theme.muted()
        };
        let mark = if form.field == field { "›" } else { " " };
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{mark}{}", field.label()), style)),
            Rect::new(inner.x, y, LABEL, 1),
        );
        let at = Rect::new(inner.x + LABEL, y, field_width, height);
        y += height;
        Some(at)
    };
    if let Some(at) = row(frame, NewsField::Title, 1) {
        text(
            frame,
            at,
            &form.title,
            form.field == NewsField::Title,
            theme,
        );
    }
    if let Some(at) = row(frame, NewsField::Importance, 1) {
        frame.render_widget(Paragraph::new(importance(form, theme)), at);
    }
    let desks = chips(
        &form.desks,
        form.field == NewsField::Desks,
        theme,
        "none on this server",
    );
    let height = rows_of(&desks, field_width);
    if let Some(at) = row(frame, NewsField::Desks, height) {
        frame.render_widget(Paragraph::new(desks).wrap(Wrap { trim: false }), at);
    }
    let groups = chips(
        &form.groups,
        form.field == NewsField::Groups,
        theme,
        "none on this server",
    );
    let height = rows_of(&groups, field_width);
    if let Some(at) = row(frame, NewsField::Groups, height) {
        frame.render_widget(Paragraph::new(groups).wrap(Wrap { trim: false }), at);
    }
    if let Some(at) = row(frame, NewsField::Resolution, 2) {
        let typed = Rect::new(at.x, at.y, at.width, 1);
        text(
            frame,
            typed,
            &form.resolution,
            form.field == NewsField::Resolution,
            theme,
        );
        if at.height > 1 {
            let reading = reading(model.now, form);
            frame.render_widget(
                Paragraph::new(reading.0).style(reading.1),
                Rect::new(at.x, at.y + 1, at.width, 1),
            );
        }
    }
    // The body takes the rest.
    if let Some(at) = row(frame, NewsField::Body, u16::MAX) {
        text(frame, at, &form.body, form.field == NewsField::Body, theme);
    }
    if let Some(error) = &form.error
        && bottom > inner.y
    {
        frame.render_widget(
            Paragraph::new(fit(&format!(" {error}"), usize::from(inner.width)))
                .style(theme.danger()),
            Rect::new(inner.x, bottom - 1, inner.width, 1),
        );
    }
}

/// A text field; only the focused one shows its cursor.
fn text(frame: &mut Frame, at: Rect, area: &TextArea<'static>, focused: bool, theme: &Theme) {
    if focused {
        frame.render_widget(area, at);
    } else {
        let mut quiet = area.clone();
        quiet.set_cursor_style(Style::default());
        quiet.set_cursor_line_style(Style::default());
        quiet.set_style(theme.text());
        frame.render_widget(&quiet, at);
    }
}

fn importance(form: &NewsForm, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for level in [Importance::High, Importance::Medium, Importance::Low] {
        let chosen = form.importance == level;
        let word = format!(" {} ", level.word());
        let style = if chosen {
            news::importance_style(theme, level).add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            theme.muted()
        };
        spans.push(Span::styled(word, style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn chips(
    choices: &crate::app::NewsChoices,
    focused: bool,
    theme: &Theme,
    empty: &str,
) -> Line<'static> {
    if choices.items.is_empty() {
        return Line::styled(empty.to_string(), theme.muted());
    }
    let mut spans = Vec::new();
    for (at, c) in choices.items.iter().enumerate() {
        let mark = if c.ticked { "[x]" } else { "[ ]" };
        let style = if focused && at == choices.cursor {
            theme.selection()
        } else if c.ticked {
            theme.text().add_modifier(Modifier::BOLD)
        } else {
            theme.muted()
        };
        spans.push(Span::styled(format!("{mark} {}", c.name), style));
        spans.push(Span::raw("  "));
    }
    Line::from(spans)
}

/// Rows a line of chips takes at `width` (at most three).
fn rows_of(line: &Line<'_>, width: u16) -> u16 {
    let rows = line.width().div_ceil(usize::from(width.max(1))).max(1);
    u16::try_from(rows.min(3)).unwrap_or(3)
}

/// The resolution time as it will be sent, or why it cannot be.
fn reading(now: DateTime<Utc>, form: &NewsForm) -> (String, Style) {
    match form.resolution_reading(now) {
        Ok(None) => (
            "no expected end · 2h, 90m, 1d, 16:30 or 2026-12-24 09:00 (UTC)".into(),
            Style::default().add_modifier(Modifier::DIM),
        ),
        Ok(Some(at)) => (
            format!(
                "→ {} ({})",
                at.format("%Y-%m-%d %H:%M UTC"),
                news::countdown_to(now, at)
            ),
            Style::default(),
        ),
        Err(why) => (why, Style::default().add_modifier(Modifier::ITALIC)),
    }
}
