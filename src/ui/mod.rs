//! Drawing: `render(frame, &model, theme)` draws every pane from the model into the rectangles
//! the model's geometry ([`Screen`]) gives. Render only: nothing here changes the model, and
//! nothing here imports a vendor module or reqwest.

mod approvals;
mod colour;
mod detail;
mod format;
pub mod glyphs;
mod help;
mod kb;
mod messages;
mod news;
mod news_form;
pub mod osc;
mod palette;
mod queues;
mod requests;
mod status_bar;
pub mod theme;
mod writes;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub use theme::Theme;

use crate::app::{MIN_HEIGHT, MIN_WIDTH, Mode, Model, Screen};
use crate::config::keymap::Context;

pub fn render(frame: &mut Frame, model: &Model, theme: &Theme) {
    draw(frame, model, theme);
    if theme.ascii {
        glyphs::to_ascii(frame.buffer_mut());
    }
}

fn draw(frame: &mut Frame, model: &Model, theme: &Theme) {
    let screen = Screen::of(model);
    let area = frame.area();
    if screen.too_small {
        let text = format!(
            "Terminal too small: {}×{}.\nttydesk needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    status_bar::render(frame, screen.status_bar, model, theme);
    if let Some(line) = screen.banner {
        news::banner(frame, line, model, theme);
    }
    if let Some(pane) = screen.queues {
        queues::render(frame, pane, &screen, model, theme);
    }
    if let Some(pane) = screen.requests {
        requests::render(frame, pane, model, theme);
    }
    if let Some(pane) = screen.detail {
        detail::render(frame, pane, &screen, model, theme);
    }
    match &model.mode {
        Mode::Help { scroll, .. } => help::render(frame, area, model, *scroll, theme),
        Mode::Messages { scroll } => messages::render(frame, area, model, *scroll, theme),
        Mode::Palette(p) => palette::render(frame, screen.status_bar, model, p, theme),
        Mode::Composer(c) => writes::composer(frame, area, model, c, theme),
        Mode::Confirm(c) => {
            beneath(frame, area, model, &c.back, theme);
            writes::confirm(frame, area, c, theme);
        }
        Mode::Outbox { cursor } => writes::outbox(frame, area, model, *cursor, theme),
        Mode::Picker(p) => {
            beneath(frame, area, model, &p.back, theme);
            writes::picker(frame, area, model, p, theme);
        }
        Mode::Approvals(view) => approvals::render(frame, area, model, view, theme),
        Mode::News(view) => news::render(frame, area, model, view, theme),
        Mode::Kb(view) => kb::render(frame, area, model, view, theme),
        Mode::NewsForm(form) => {
            news::render(frame, area, model, &form.back, theme);
            news_form::render(frame, area, model, form, theme);
        }
        Mode::Prompt(p) => {
            beneath(frame, area, model, &p.back, theme);
            approvals::prompt(frame, area, model, p, theme);
        }
        Mode::Normal | Mode::Filter => {}
    }
}

/// The pane a question or a picker was opened from stays in sight under it.
fn beneath(frame: &mut Frame, area: Rect, model: &Model, back: &Mode, theme: &Theme) {
    match back {
        Mode::Approvals(view) => approvals::render(frame, area, model, view, theme),
        Mode::News(view) => news::render(frame, area, model, view, theme),
        _ => {}
    }
}

/// A centred overlay (help, messages) `width` wide and as tall as its `lines` need, up to the
/// screen less a margin (`app::help_visible`, which `update` bounds the scroll with), titled with
/// `name` and the key that closes it.
fn scrolling_overlay(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    (width, name): (u16, &str),
    lines: Vec<Line>,
    scroll: usize,
    theme: &Theme,
) {
    let visible = crate::app::help_visible(area.height).min(lines.len());
    let height = u16::try_from(visible + 2).unwrap_or(u16::MAX);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    };
    let scroll = u16::try_from(scroll.min(lines.len().saturating_sub(visible))).unwrap_or(0);
    let close = key_of(model, Context::Help, crate::app::Action::Close)
        .map(|k| format!(" · {k} closes"))
        .unwrap_or_default();
    let block = pane_block(
        Line::styled(format!(" {name}{close} "), theme.title()),
        true,
        theme,
    );
    frame.render_widget(ratatui::widgets::Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
}

/// A pane's frame: title, and a highlighted border when it has the focus.
fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.border_focused()
        } else {
            theme.border()
        })
        .title(title)
}

/// A message in the middle of an empty pane (loading, error, nothing here).
fn placeholder(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    // Height after wrapping, so a long error message is centred and not cut.
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(usize::from(area.width.max(1))))
        .sum();
    let height = u16::try_from(rows).unwrap_or(u16::MAX).min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    let rect = Rect {
        x: area.x,
        y: top,
        width: area.width,
        height,
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// "press r to retry", with the key actually bound to refresh.
fn retry_hint(model: &Model) -> String {
    match key_of(model, Context::Global, crate::app::Action::Refresh) {
        Some(key) => format!("press {key} to retry"),
        None => "refresh to retry".to_string(),
    }
}

/// The key bound to `action` in `context`, for hints: they follow the agent's own bindings.
fn key_of(model: &Model, context: Context, action: crate::app::Action) -> Option<String> {
    model.keymap.key_for(context, action)
}

/// Braille spinner frame from the model clock: moves while ticks arrive.
fn spinner(model: &Model) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    let i = usize::try_from(model.now.timestamp_subsec_millis() / 125).unwrap_or(0);
    FRAMES[i % FRAMES.len()]
}
