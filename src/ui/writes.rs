//! The overlays of writing: the reply composer (its kind in the title and the border colour, so
//! an internal note never goes out as a public reply by mistake), confirmations, and the outbox
//! panel with each write's state and the server's reason when it was refused.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::format::{ago, fit};
use super::{Theme, key_of, pane_block};
use crate::app::{Action, Composer, Confirm, Model, OutboxItem, Picker, ReplyKind, outbox_items};
use crate::config::keymap::Context;
use crate::domain::Visibility;
use crate::store::EntryState;

/// A rectangle of at most `width` × `height`, centred in `area`.
pub(super) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn kind_style(theme: &Theme, kind: ReplyKind) -> Style {
    match kind {
        ReplyKind::Public => theme.comment(Visibility::Public, false),
        ReplyKind::Internal => theme.comment(Visibility::Internal, false),
        ReplyKind::Solution => theme.comment(Visibility::Public, true),
    }
}

/// "ctrl-s send · ctrl-t kind · ctrl-e editor · esc close", from the keymap in force.
pub(super) fn hints(model: &Model, context: Context, actions: &[(Action, &str)]) -> String {
    actions
        .iter()
        .filter_map(|(action, word)| key_of(model, context, *action).map(|k| format!("{k} {word}")))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// An overlay's frame: the title on top, its keys along the bottom, `inner` columns wide.
pub(super) fn overlay<'a>(title: Line<'a>, keys: &str, inner: usize, theme: &Theme) -> Block<'a> {
    pane_block(title, true, theme).title_bottom(Line::styled(
        fit(&format!(" {keys} "), inner),
        theme.muted(),
    ))
}

/// Draws a titled overlay with its keys along the bottom over `rect`, cleared first; returns
/// the area inside its border.
pub(super) fn open_overlay(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    keys: &str,
    theme: &Theme,
) -> Rect {
    let inner = usize::from(rect.width.saturating_sub(2));
    let block = overlay(
        Line::styled(fit(title, inner), theme.title()),
        keys,
        inner,
        theme,
    );
    let body = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    body
}

pub fn composer(frame: &mut Frame, area: Rect, model: &Model, c: &Composer, theme: &Theme) {
    let rect = centred(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(4),
    );
    let style = kind_style(theme, c.kind);
    let request = model
        .ticket(&c.key)
        .map_or_else(|| format!("#{}", c.key.id), |t| t.display_id.to_string());
    let title = fit(
        &format!(" {} · {request} ", c.kind.title()),
        usize::from(rect.width.saturating_sub(2)),
    );
    let footer = hints(
        model,
        Context::Composer,
        &[
            (Action::Send, "send"),
            (Action::CycleKind, "kind"),
            (Action::ExternalEditor, "editor"),
            (Action::Cancel, "close"),
        ],
    );
    let block = overlay(
        Line::styled(title, style.add_modifier(Modifier::BOLD)),
        &footer,
        usize::from(rect.width.saturating_sub(2)),
        theme,
    )
    .border_style(style);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    frame.render_widget(&c.text, inner);
}

pub fn confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme) {
    let width = area.width.saturating_sub(4).clamp(20, 70);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines = vec![Line::raw("")];
    lines.extend(confirm.lines.iter().map(|l| Line::raw(format!(" {l}"))));
    // Wrapped lines take more rows than there are lines: count them at this width.
    let rows: usize = 1 + confirm
        .lines
        .iter()
        .map(|l| crate::app::wrap(&format!(" {l}"), inner).len())
        .sum::<usize>();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let rect = centred(area, width, height);
    let block = pane_block(
        Line::styled(
            fit(&format!(" {} ", confirm.title), inner),
            theme.warning().add_modifier(Modifier::BOLD),
        ),
        true,
        theme,
    )
    .border_style(theme.warning());
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn state_of(item: &OutboxItem) -> (&'static str, &'static str) {
    match (item.state, item.in_flight) {
        (_, true) => ("⇡", "sending"),
        (EntryState::Failed, _) => ("✕", "refused"),
        (EntryState::Uncertain | EntryState::Sending, _) => ("?", "checking"),
        (EntryState::Pending, _) if item.attempts == 0 => ("…", "waiting"),
        (EntryState::Pending, _) => ("↻", "will retry"),
    }
}

pub fn outbox(frame: &mut Frame, area: Rect, model: &Model, cursor: usize, theme: &Theme) {
    let items = outbox_items(model);
    let width = area.width.saturating_sub(2).max(20);
    let rect = centred(area, width, area.height.saturating_sub(2));
    let inner = usize::from(rect.width.saturating_sub(2));
    let footer = hints(
        model,
        Context::Outbox,
        &[
            (Action::Retry, "retry"),
            (Action::Discard, "discard"),
            (Action::Open, "open request"),
            (Action::Close, "close"),
        ],
    );
    let block = overlay(
        Line::styled(
            fit(&format!(" Outbox · {} not confirmed ", items.len()), inner),
            theme.title(),
        ),
        &footer,
        inner,
        theme,
    );
    let mut lines: Vec<Line> = Vec::new();
    if items.is_empty() {
        lines.push(Line::styled(
            " Every write has been confirmed by its server.",
            theme.muted(),
        ));
    }
    let several = model.sessions.len() > 1;
    for (at, (profile, item)) in items.iter().enumerate() {
        let (mark, state) = state_of(item);
        let style = if item.failed() {
            theme.danger()
        } else {
            theme.text()
        };
        let profile = if several {
            model
                .session(*profile)
                .map(|s| format!("{} · ", s.label.name))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let title = item
            .queued
            .as_ref()
            .map_or_else(|| item.subject.shown(), |q| q.title.clone());
        let head = format!(
            " {mark} {state:<10} {profile}{}  {title}  ({})",
            item.describe(),
            ago(model.now, item.created_at)
        );
        let line_style = if at == cursor {
            theme.selection()
        } else {
            style
        };
        lines.push(Line::styled(fit(&head, inner), line_style));
        if let Some(text) = item.queued.as_ref().and_then(|q| q.write.text())
            && !text.is_empty()
        {
            let first = text.lines().next().unwrap_or_default();
            lines.push(Line::styled(
                fit(&format!("     “{first}”"), inner),
                theme.muted(),
            ));
        }
        if let Some(why) = &item.last_error {
            let label = if item.failed() { "refused" } else { "last try" };
            lines.push(Line::from(vec![Span::styled(
                fit(&format!("     {label}: {why}"), inner),
                style,
            )]));
        } else if item.state == EntryState::Pending && item.attempts > 0 {
            lines.push(Line::styled(
                fit(
                    &format!("     next try {}", ago(item.next_attempt_at, model.now)),
                    inner,
                ),
                theme.muted(),
            ));
        }
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

pub fn picker(frame: &mut Frame, area: Rect, model: &Model, p: &Picker, theme: &Theme) {
    let width = area.width.saturating_sub(4).clamp(20, 90);
    let rect = centred(area, width, area.height.saturating_sub(4).max(6));
    let inner = usize::from(rect.width.saturating_sub(2));
    let rows = usize::from(rect.height.saturating_sub(3));
    let footer = hints(
        model,
        Context::Picker,
        &[(Action::Accept, "choose"), (Action::Cancel, "cancel")],
    );
    let block = overlay(
        Line::styled(
            fit(
                &format!(" {} · {} of {} ", p.title, p.matches.len(), p.options.len()),
                inner,
            ),
            theme.title(),
        ),
        &footer,
        inner,
        theme,
    );
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme.accent()),
        Span::raw(fit(&p.query, inner.saturating_sub(3))),
        Span::styled("█", theme.muted()),
    ])];
    // The highlighted option stays in view.
    let first = p.selected.saturating_sub(rows.saturating_sub(1));
    for (at, index) in p.matches.iter().enumerate().skip(first).take(rows) {
        let Some(option) = p.options.get(*index) else {
            continue;
        };
        let hint = format!("  {}", option.hint);
        let label = fit(
            &format!(" {}", option.label),
            inner.saturating_sub(hint.width()),
        );
        let pad = inner.saturating_sub(label.width() + hint.width());
        let style = if at == p.selected {
            theme.selection()
        } else {
            theme.text()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{label}{}", " ".repeat(pad)), style),
            Span::styled(hint, theme.muted()),
        ]));
    }
    if p.matches.is_empty() {
        lines.push(Line::styled(" nothing matches", theme.muted()));
    }
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
