//! The geometry of the screen, computed from the terminal size and the model in one place: the
//! view draws into these rectangles and `update` takes page heights and wrap widths from them,
//! so the same keys give the same state whether or not a frame was drawn in between.

use ratatui::layout::{Constraint, Layout, Rect};

use super::model::{Focus, Model};
use super::queues;

/// Smallest terminal the console draws in; below it, it says so.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width the detail sits beside the list instead of over it.
pub const WIDE: u16 = 140;
/// Below this width only the focused pane is shown.
pub const NARROW: u16 = 70;

/// Where everything goes on a screen of the model's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Screen {
    pub area: Rect,
    /// Below the minimum size nothing but a message is drawn.
    pub too_small: bool,
    pub status_bar: Rect,
    /// The breaking-news banner's line, while a High item is open.
    pub banner: Option<Rect>,
    pub queues: Option<Rect>,
    /// Inside the Queues pane: the tree, and the status filter when there is room for it.
    pub queues_tree: Rect,
    pub queues_status: Option<Rect>,
    pub requests: Option<Rect>,
    pub detail: Option<Rect>,
}

impl Screen {
    pub fn of(m: &Model) -> Screen {
        let area = Rect::new(0, 0, m.size.0, m.size.1);
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return Screen {
                area,
                too_small: true,
                ..Screen::default()
            };
        }
        let [mut main, status_bar] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        let mut banner = None;
        if super::news::banner(m).is_some() {
            let [line, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(main);
            banner = Some(line);
            main = rest;
        }
        let mut screen = Screen {
            area,
            status_bar,
            banner,
            ..Screen::default()
        };
        let detail_open = m.detail.open.is_some();
        if area.width < NARROW {
            match m.focus {
                Focus::Queues => screen.queues = Some(main),
                Focus::Requests => screen.requests = Some(main),
                Focus::Detail => screen.detail = Some(main),
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
                Layout::horizontal([Constraint::Length(queue_width), Constraint::Fill(1)])
                    .areas(main);
            screen.queues = Some(left);
            if area.width >= WIDE && detail_open {
                let [list, detail] =
                    Layout::horizontal([Constraint::Fill(1), Constraint::Percentage(50)])
                        .areas(right);
                screen.requests = Some(list);
                screen.detail = Some(detail);
            } else if m.focus == Focus::Detail && detail_open {
                screen.detail = Some(right);
            } else {
                screen.requests = Some(right);
            }
        }
        if let Some(pane) = screen.queues {
            let inner = inner(pane);
            // The status list needs its own rows (a heading and one per status); on short
            // terminals, or before any status is known, the tree keeps them all.
            let statuses = queues::status_row_count(m);
            let wanted = u16::try_from(statuses + 1).unwrap_or(u16::MAX);
            if statuses > 1 && inner.height >= wanted + 6 {
                let [tree, status] =
                    Layout::vertical([Constraint::Fill(1), Constraint::Length(wanted)])
                        .areas(inner);
                screen.queues_tree = tree;
                screen.queues_status = Some(status);
            } else {
                screen.queues_tree = inner;
            }
        }
        screen
    }

    /// Request rows visible in the Requests pane (its inside, minus the header line).
    pub fn request_rows(&self) -> usize {
        self.requests
            .map_or(1, |r| usize::from(inner(r).height.saturating_sub(1)).max(1))
    }

    /// Lines of the queue tree visible.
    pub fn queue_rows(&self) -> usize {
        usize::from(self.queues_tree.height).max(1)
    }

    /// Where the detail text goes: the pane's inside minus one column for the scrollbar.
    pub fn detail_text(&self) -> Rect {
        self.detail.map_or_else(Rect::default, |r| {
            let inner = inner(r);
            Rect {
                width: inner.width.saturating_sub(1),
                ..inner
            }
        })
    }

    /// Lines of detail visible.
    pub fn detail_rows(&self) -> usize {
        usize::from(self.detail_text().height).max(1)
    }
}

/// A pane's inside: its border taken off.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}
