//! The mouse, when `mouse = true`: the wheel scrolls the pane under the pointer, a click gives a
//! pane the focus and puts its cursor on the row clicked, and a click on the row already
//! selected opens it (as `Enter`). Off by default: the terminal then reports nothing and its
//! own text selection works as always. Only the three panes take the mouse; overlays and
//! fields keep to the keyboard.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::layout::inner;
use super::mode::Mode;
use super::model::{Focus, Model};
use super::msg::Effect;
use super::queues;

/// Lines one wheel step moves.
const WHEEL: usize = 3;

pub fn event(m: &mut Model, mouse: MouseEvent) -> Vec<Effect> {
    if m.mode != Mode::Normal {
        return Vec::new();
    }
    let at = Position::new(mouse.column, mouse.row);
    let screen = m.screen();
    let panes = [
        (Focus::Queues, screen.queues),
        (Focus::Requests, screen.requests),
        (Focus::Detail, screen.detail),
    ];
    let Some((pane, area)) = panes
        .into_iter()
        .find_map(|(f, r)| r.filter(|r| r.contains(at)).map(|r| (f, r)))
    else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            m.focus = pane;
            let action = if mouse.kind == MouseEventKind::ScrollDown {
                Action::Down
            } else {
                Action::Up
            };
            let mut effects = Vec::new();
            for _ in 0..WHEEL {
                effects.extend(super::keys::act(m, action));
            }
            effects
        }
        MouseEventKind::Down(MouseButton::Left) => {
            // A click on the selected row opens it only when its pane had the focus already:
            // the first click on another pane only moves there.
            let focused = m.focus == pane;
            m.focus = pane;
            click(m, pane, area, &screen, at, focused)
        }
        _ => Vec::new(),
    }
}

fn click(
    m: &mut Model,
    pane: Focus,
    area: Rect,
    screen: &super::layout::Screen,
    at: Position,
    focused: bool,
) -> Vec<Effect> {
    match pane {
        Focus::Queues => {
            let tree = screen.queues_tree;
            if !tree.contains(at) {
                return Vec::new();
            }
            let index = m.queues.offset + usize::from(at.y - tree.y);
            let rows = queues::rows(m);
            let Some(row) = rows.get(index) else {
                return Vec::new();
            };
            if row.key == m.queues.selected && focused {
                return super::keys::act(m, Action::Open);
            }
            m.queues.selected = row.key.clone();
            Vec::new()
        }
        Focus::Requests => {
            // The pane's inside, less the column headings.
            let inside = inner(area);
            if at.y <= inside.y || !inside.contains(at) {
                return Vec::new();
            }
            let index = m.requests.offset + usize::from(at.y - inside.y - 1);
            if index >= m.requests.len() {
                return Vec::new();
            }
            if index == m.requests.cursor && focused {
                return super::keys::act(m, Action::Open);
            }
            m.requests.cursor = index;
            Vec::new()
        }
        Focus::Detail => Vec::new(),
    }
}
