//! The breaking-news form: every field in sight, the one being typed in marked, the resolution
//! time read back as the date it will be sent as, and why the last send did not go out.
//! It covers the news pane exactly where the screen is narrow (at most 100 columns elsewhere);
//! labels are never cut, and a row of choices breaks between choices, keeping the one under
//! the cursor in sight.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui_textarea::TextArea;

use super::format::fit;
use super::writes::{centred, hints, overlay};
use super::{Theme, news};
use crate::app::{Action, Model, NewsField, NewsForm};
use crate::config::keymap::Context;
use crate::domain::Importance;

/// The label column: the mark of the field being typed in, the longest label, one blank.
const LABEL: u16 = 1 + longest_label() + 1;

/// Rows a row of choices may take; beyond that it scrolls with the cursor.
const CHIP_ROWS: usize = 3;

const fn longest_label() -> u16 {
    let mut longest = 0;
    let mut at = 0;
    while at < NewsField::ORDER.len() {
        let len = NewsField::ORDER[at].label().len();
        if len > longest {
            longest = len;
        }
        at += 1;
    }
    // The labels are short ASCII words.
    longest as u16
}

pub fn render(frame: &mut Frame, area: Rect, model: &Model, form: &NewsForm, theme: &Theme) {
    // The news pane's own frame where the screen is narrow, so no border shows beside it;
    // inside the news pane where it is wide, so the pane's title stays in sight.
    let width = area.width.saturating_sub(2).clamp(30, 100);
    let height = if width < area.width.saturating_sub(2) {
        area.height.saturating_sub(4)
    } else {
        area.height.saturating_sub(2)
    };
    let rect = centred(area, width, height);
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
            Rect::new(inner.x, y, LABEL - 1, 1),
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
    for (field, choices) in [
        (NewsField::Desks, &form.desks),
        (NewsField::Groups, &form.groups),
    ] {
        let lines = chips(choices, form.field == field, theme, field_width);
        let height = u16::try_from(lines.len()).unwrap_or(1);
        if let Some(at) = row(frame, field, height) {
            frame.render_widget(Paragraph::new(lines), at);
        }
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
                Paragraph::new(fit(&reading.0, usize::from(at.width))).style(reading.1),
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

/// A row of choices laid out `width` columns wide: lines break between choices (a choice
/// wider than the row is shortened), and when they take more than [`CHIP_ROWS`] lines the
/// ones shown are those around the choice under the cursor.
fn chips(
    choices: &crate::app::NewsChoices,
    focused: bool,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    if choices.items.is_empty() {
        return vec![Line::styled("none on this server", theme.muted())];
    }
    let width = usize::from(width.max(1));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    let mut cursor_line = 0;
    for (at, c) in choices.items.iter().enumerate() {
        let mark = if c.ticked { "[x]" } else { "[ ]" };
        let style = if focused && at == choices.cursor {
            theme.selection()
        } else if c.ticked {
            theme.text().add_modifier(Modifier::BOLD)
        } else {
            theme.muted()
        };
        let chip = Span::styled(fit(&format!("{mark} {}", c.name), width), style);
        if used > 0 && used + GAP.len() + chip.width() > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw(GAP));
            used += GAP.len();
        }
        if at == choices.cursor {
            cursor_line = lines.len();
        }
        used += chip.width();
        spans.push(chip);
    }
    lines.push(Line::from(spans));
    let start = (cursor_line + 1)
        .saturating_sub(CHIP_ROWS)
        .min(lines.len().saturating_sub(CHIP_ROWS));
    lines.into_iter().skip(start).take(CHIP_ROWS).collect()
}

/// Between two choices.
const GAP: &str = "  ";

/// The resolution time as it will be sent, or why it cannot be.
fn reading(now: DateTime<Utc>, form: &NewsForm) -> (String, Style) {
    match form.resolution_reading(now) {
        Ok(None) => (
            "no end given · 2h, 90m, 1d, 16:30, 2026-12-24 09:00 UTC".into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::NewsChoices;
    use crate::domain::SafeText;

    fn choices(names: &[&str], cursor: usize) -> NewsChoices {
        let mut choices = NewsChoices::new(
            names
                .iter()
                .enumerate()
                .map(|(i, name)| (i.to_string(), SafeText::line(name))),
            &["1".to_string()],
        );
        choices.cursor = cursor;
        choices
    }

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn choices_break_between_choices_and_keep_the_cursor_in_sight() {
        let theme = Theme::default();
        let names = [
            "Service Desk",
            "IT Infrastructure",
            "Facilities",
            "Human Resources",
            "Legal",
            "Payroll",
            "Travel",
        ];
        let lines = text(&chips(&choices(&names, 0), true, &theme, 30));
        assert_eq!(
            lines,
            [
                "[ ] Service Desk",
                "[x] IT Infrastructure",
                "[ ] Facilities",
            ],
            "no choice is split over two lines"
        );
        let last = text(&chips(&choices(&names, 6), true, &theme, 30));
        assert_eq!(last.len(), CHIP_ROWS);
        assert!(last.iter().any(|l| l.contains("[ ] Travel")), "{last:?}");
        let narrow = text(&chips(
            &choices(&["A very long help desk name"], 0),
            true,
            &theme,
            12,
        ));
        assert_eq!(
            narrow,
            ["[ ] A very …"],
            "a choice wider than the row is shortened"
        );
    }
}
