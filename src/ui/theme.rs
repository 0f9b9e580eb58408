//! Semantic styles. Panes ask for a role (`muted`, `danger`, `priority(rank)`), never a colour;
//! this is the only file with colour literals. `NO_COLOR` gives a theme of bold/reverse only.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::{StatusKind, Visibility};

#[derive(Debug, Clone)]
pub struct Theme {
    color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true }
    }
}

impl Theme {
    /// The theme for this terminal: honours `NO_COLOR` (https://no-color.org).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub fn monochrome() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    pub fn muted(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.muted()
    }

    pub fn border_focused(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn selection(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The selected row of a pane that does not have the focus.
    pub fn selection_unfocused(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn success(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn danger(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn demo_badge(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn status_bar(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A profile's connection dot.
    pub fn connection(&self, connection: &crate::app::Connection) -> Style {
        match connection {
            crate::app::Connection::Online(_) => self.success(),
            crate::app::Connection::Connecting => self.muted(),
            crate::app::Connection::Offline(_) => self.danger(),
        }
    }

    /// Data saved by an earlier run, shown until the server answers.
    pub fn stale(&self) -> Style {
        self.warning()
    }

    /// 5 = most urgent.
    pub fn priority(&self, rank: u8) -> Style {
        match rank {
            5.. => self.danger(),
            4 => self.fg(Color::Red),
            3 => self.warning(),
            _ => self.muted(),
        }
    }

    pub fn status(&self, kind: StatusKind) -> Style {
        match kind {
            StatusKind::New => self.accent().add_modifier(Modifier::BOLD),
            StatusKind::Open => self.text(),
            StatusKind::Waiting => self.warning(),
            StatusKind::Resolved => self.success(),
            StatusKind::Closed => self.muted(),
        }
    }

    /// Comment headers: internal notes must never be mistaken for public replies.
    pub fn comment(&self, visibility: Visibility, solution: bool) -> Style {
        match (visibility, solution) {
            (_, true) => self.success().add_modifier(Modifier::BOLD),
            (Visibility::Public, false) => self.accent().add_modifier(Modifier::BOLD),
            (Visibility::Internal, false) => self
                .warning()
                .add_modifier(Modifier::BOLD | Modifier::ITALIC),
        }
    }
}
