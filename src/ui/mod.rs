//! Drawing: `render(frame, model, theme)` lays out the panes and draws them from the model. Render
//! only: the sole writes to the model are scroll offsets and the detail's wrapped-text cache.
//! Never imports a vendor module or reqwest.

mod detail;
mod format;
mod help;
mod queues;
mod requests;
mod status_bar;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub use theme::Theme;

use crate::app::{Focus, Model};

/// Smallest terminal the console draws in; below it, it says so.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width the detail sits beside the list instead of over it.
const WIDE: u16 = 140;
/// Below this width only the focused pane is shown.
const NARROW: u16 = 70;

pub fn render(frame: &mut Frame, model: &mut Model, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small: {}×{}.\nttydesk needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [main, status] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    status_bar::render(frame, status, model, theme);
    let show_detail = model.detail.id.is_some();
    if area.width < NARROW {
        match model.focus {
            Focus::Queues => queues::render(frame, main, model, theme),
            Focus::Requests => requests::render(frame, main, model, theme),
            Focus::Detail => detail::render(frame, main, model, theme),
        }
    } else {
        let queue_width = if area.width >= WIDE {
            32
        } else if area.width >= 100 {
            28
        } else {
            24
        };
        let [left, right] =
            Layout::horizontal([Constraint::Length(queue_width), Constraint::Fill(1)]).areas(main);
        queues::render(frame, left, model, theme);
        if area.width >= WIDE && show_detail {
            let [list, detail_area] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Percentage(50)]).areas(right);
            requests::render(frame, list, model, theme);
            detail::render(frame, detail_area, model, theme);
        } else if model.focus == Focus::Detail {
            detail::render(frame, right, model, theme);
        } else {
            requests::render(frame, right, model, theme);
        }
    }
    if let Some(scroll) = model.help {
        help::render(frame, area, model, scroll, theme);
    }
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
    let key = model.keymap.key_for(
        crate::config::keymap::Context::Global,
        crate::app::Action::Refresh,
    );
    format!("press {} to retry", key.unwrap_or_default())
}

/// Braille spinner frame from the model clock: moves while ticks arrive.
fn spinner(model: &Model) -> &'static str {
    const FRAMES: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    let i = usize::try_from(model.now.timestamp_subsec_millis() / 125).unwrap_or(0);
    FRAMES[i % FRAMES.len()]
}
