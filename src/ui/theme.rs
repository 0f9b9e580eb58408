//! Semantic styles. Panes ask for a role (`muted`, `danger`, `priority(rank)`), never a colour;
//! the colours live in the theme files (`assets/themes/*.toml`, or the user's own), and this is
//! the only code that reads them. `NO_COLOR` gives the theme without colour; a terminal with 16
//! colours gets every colour mapped to the nearest of those 16; ASCII mode swaps the glyphs a
//! terminal may not draw (see [`super::glyphs`]).

use ratatui::style::{Modifier, Style};

pub use super::colour::Depth;
use super::colour::parse_style;
use serde::Deserialize;

use crate::domain::{StatusKind, Visibility};

/// The themes that come with ttydesk: `theme = "NAME"`.
pub const BUILT_IN: [(&str, &str); 4] = [
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
    (
        "16-colour",
        include_str!("../../assets/themes/16-colour.toml"),
    ),
];
const NO_COLOR: &str = include_str!("../../assets/themes/no-color.toml");

/// Every role a theme file may set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Styles {
    text: Option<String>,
    muted: Option<String>,
    title: Option<String>,
    border: Option<String>,
    border_focused: Option<String>,
    selection: Option<String>,
    selection_unfocused: Option<String>,
    accent: Option<String>,
    success: Option<String>,
    warning: Option<String>,
    danger: Option<String>,
    demo_badge: Option<String>,
    status_bar: Option<String>,
    stale: Option<String>,
    priority_urgent: Option<String>,
    priority_high: Option<String>,
    priority_medium: Option<String>,
    priority_low: Option<String>,
    status_new: Option<String>,
    status_open: Option<String>,
    status_waiting: Option<String>,
    status_resolved: Option<String>,
    status_closed: Option<String>,
    comment_public: Option<String>,
    comment_internal: Option<String>,
    comment_solution: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    styles: Styles,
}

/// The resolved styles, one per role.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Roles {
    text: Style,
    muted: Style,
    title: Style,
    border: Style,
    border_focused: Style,
    selection: Style,
    selection_unfocused: Style,
    accent: Style,
    success: Style,
    warning: Style,
    danger: Style,
    demo_badge: Style,
    status_bar: Style,
    stale: Style,
    priority: [Style; 4],
    status: [Style; 5],
    comment_public: Style,
    comment_internal: Style,
    comment_solution: Style,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// The theme's name ("dark", or the file it came from).
    pub name: String,
    roles: Roles,
    /// Draw borders and marks in ASCII.
    pub ascii: bool,
}

impl Default for Theme {
    /// The dark theme at full colour, in Unicode.
    fn default() -> Self {
        Theme::built_in("dark").unwrap_or_else(Theme::fallback)
    }
}

impl Theme {
    /// What `NO_COLOR` gives: no colour at all.
    pub fn monochrome() -> Theme {
        Theme::parse("no colour", NO_COLOR, Depth::True).unwrap_or_else(|_| Theme::fallback())
    }

    /// A built-in theme by name, at full colour.
    pub fn built_in(name: &str) -> Option<Theme> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
        Theme::parse(name, text, Depth::True).ok()
    }

    /// The theme for this run: `NO_COLOR` wins over `choice` (a built-in name or a file's
    /// path); colours are mapped to what the terminal shows. A theme that cannot be read gives
    /// the default theme and a warning, never a console that will not start.
    pub fn choose(
        choice: Option<&str>,
        ascii: bool,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> (Theme, Vec<String>) {
        let mut warnings = Vec::new();
        let depth = Depth::detect(&lookup);
        let mut theme = if lookup("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Theme::monochrome()
        } else {
            match choice.map(str::trim) {
                None | Some("") => Theme::parse("dark", BUILT_IN[0].1, depth),
                Some(name) => match BUILT_IN.iter().find(|(n, _)| *n == name) {
                    Some((name, text)) => Theme::parse(name, text, depth),
                    None if name.ends_with(".toml") || name.contains('/') => {
                        let path = match (name.strip_prefix("~/"), lookup("HOME")) {
                            (Some(rest), Some(home)) => format!("{home}/{rest}"),
                            _ => name.to_string(),
                        };
                        match std::fs::read_to_string(&path) {
                            Ok(text) => Theme::parse(name, &text, depth),
                            Err(e) => Err(format!("cannot read it ({e})")),
                        }
                    }
                    None => {
                        let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                        Err(format!(
                            "there is no such theme (themes: {}, or a .toml file's path)",
                            names.join(", ")
                        ))
                    }
                },
            }
            .unwrap_or_else(|why| {
                warnings.push(format!(
                    "theme = \"{}\": {why}; using the dark theme",
                    choice.unwrap_or_default()
                ));
                Theme::parse("dark", BUILT_IN[0].1, depth).unwrap_or_else(|_| Theme::fallback())
            })
        };
        theme.ascii = ascii;
        (theme, warnings)
    }

    /// A theme from a theme file's text; roles it leaves out keep the dark theme's styles.
    pub fn parse(name: &str, text: &str, depth: Depth) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.message().trim().to_string())?;
        let base: Styles = if name == "dark" {
            Styles::default()
        } else {
            toml::from_str::<ThemeFile>(BUILT_IN[0].1)
                .map(|f| f.styles)
                .unwrap_or_default()
        };
        let s = file.styles;
        let pick =
            |role: &str, ours: &Option<String>, theirs: &Option<String>| -> Result<Style, String> {
                let spec = ours.as_deref().or(theirs.as_deref()).unwrap_or("");
                parse_style(spec, depth).map_err(|e| format!("{role} = \"{spec}\": {e}"))
            };
        macro_rules! role {
            ($field:ident) => {
                pick(stringify!($field), &s.$field, &base.$field)?
            };
        }
        let roles = Roles {
            text: role!(text),
            muted: role!(muted),
            title: role!(title),
            border: role!(border),
            border_focused: role!(border_focused),
            selection: role!(selection),
            selection_unfocused: role!(selection_unfocused),
            accent: role!(accent),
            success: role!(success),
            warning: role!(warning),
            danger: role!(danger),
            demo_badge: role!(demo_badge),
            status_bar: role!(status_bar),
            stale: role!(stale),
            priority: [
                role!(priority_low),
                role!(priority_medium),
                role!(priority_high),
                role!(priority_urgent),
            ],
            status: [
                role!(status_new),
                role!(status_open),
                role!(status_waiting),
                role!(status_resolved),
                role!(status_closed),
            ],
            comment_public: role!(comment_public),
            comment_internal: role!(comment_internal),
            comment_solution: role!(comment_solution),
        };
        Ok(Theme {
            name: name.to_string(),
            roles,
            ascii: false,
        })
    }

    /// Used only if a built-in theme file were broken (a test keeps them whole).
    fn fallback() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            name: "fallback".into(),
            roles: Roles {
                text: plain,
                muted: plain,
                title: bold,
                border: plain,
                border_focused: bold,
                selection: Style::new().add_modifier(Modifier::REVERSED),
                selection_unfocused: bold,
                accent: plain,
                success: plain,
                warning: plain,
                danger: bold,
                demo_badge: Style::new().add_modifier(Modifier::REVERSED),
                status_bar: Style::new().add_modifier(Modifier::REVERSED),
                stale: plain,
                priority: [plain, plain, bold, bold],
                status: [bold, plain, plain, plain, plain],
                comment_public: bold,
                comment_internal: Style::new().add_modifier(Modifier::BOLD | Modifier::ITALIC),
                comment_solution: bold,
            },
            ascii: false,
        }
    }

    pub fn text(&self) -> Style {
        self.roles.text
    }

    pub fn muted(&self) -> Style {
        self.roles.muted
    }

    pub fn title(&self) -> Style {
        self.roles.title
    }

    pub fn border(&self) -> Style {
        self.roles.border
    }

    pub fn border_focused(&self) -> Style {
        self.roles.border_focused
    }

    pub fn selection(&self) -> Style {
        self.roles.selection
    }

    /// The selected row of a pane that does not have the focus.
    pub fn selection_unfocused(&self) -> Style {
        self.roles.selection_unfocused
    }

    pub fn accent(&self) -> Style {
        self.roles.accent
    }

    pub fn success(&self) -> Style {
        self.roles.success
    }

    pub fn warning(&self) -> Style {
        self.roles.warning
    }

    pub fn danger(&self) -> Style {
        self.roles.danger
    }

    pub fn demo_badge(&self) -> Style {
        self.roles.demo_badge
    }

    pub fn status_bar(&self) -> Style {
        self.roles.status_bar
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
        self.roles.stale
    }

    /// 5 = most urgent.
    pub fn priority(&self, rank: u8) -> Style {
        let [low, medium, high, urgent] = self.roles.priority;
        match rank {
            5.. => urgent,
            4 => high,
            3 => medium,
            _ => low,
        }
    }

    pub fn status(&self, kind: StatusKind) -> Style {
        let [new, open, waiting, resolved, closed] = self.roles.status;
        match kind {
            StatusKind::New => new,
            StatusKind::Open => open,
            StatusKind::Waiting => waiting,
            StatusKind::Resolved => resolved,
            StatusKind::Closed => closed,
        }
    }

    /// Comment headers: internal notes must never be mistaken for public replies.
    pub fn comment(&self, visibility: Visibility, solution: bool) -> Style {
        match (visibility, solution) {
            (_, true) => self.roles.comment_solution,
            (Visibility::Public, false) => self.roles.comment_public,
            (Visibility::Internal, false) => self.roles.comment_internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::env_of as env;

    #[test]
    fn every_built_in_theme_reads_and_sets_every_role_itself() {
        for (name, text) in BUILT_IN.iter().chain([("no colour", NO_COLOR)].iter()) {
            let file: ThemeFile = toml::from_str(text).unwrap();
            let debug = format!("{:?}", file.styles);
            assert!(!debug.contains("None"), "{name} leaves a role out: {debug}");
            assert!(Theme::parse(name, text, Depth::True).is_ok(), "{name}");
        }
    }

    #[test]
    fn no_color_wins_and_carries_no_colour() {
        let (theme, warnings) = Theme::choose(
            Some("light"),
            false,
            env(&[("NO_COLOR", "1"), ("TERM", "xterm-256color")]),
        );
        assert!(warnings.is_empty());
        assert_eq!(theme, Theme::monochrome());
        let styles = format!("{:?}", theme.roles);
        assert!(
            !styles.contains("fg: Some") && !styles.contains("bg: Some"),
            "{styles}"
        );
    }

    #[test]
    fn a_sixteen_colour_terminal_gets_only_the_sixteen() {
        let (theme, _) = Theme::choose(Some("light"), false, env(&[("TERM", "linux")]));
        let styles = format!("{:?}", theme.roles);
        assert!(
            !styles.contains("Indexed") && !styles.contains("Rgb"),
            "{styles}"
        );
    }

    #[test]
    fn a_bad_theme_warns_and_keeps_the_default() {
        let (theme, warnings) = Theme::choose(Some("solarised"), false, env(&[]));
        assert_eq!(theme.name, "dark");
        assert!(
            warnings[0].contains("themes: dark, light, high-contrast, 16-colour"),
            "{warnings:?}"
        );
        let broken = "[styles]\nmuted = \"mauve\"\n";
        let err = Theme::parse("mine", broken, Depth::True).unwrap_err();
        assert!(
            err.contains("muted = \"mauve\"") && err.contains("not a colour"),
            "{err}"
        );
        let partial =
            Theme::parse("mine", "[styles]\ndanger = \"magenta\"\n", Depth::True).unwrap();
        assert_eq!(
            partial.danger(),
            Style::new().fg(ratatui::style::Color::Magenta)
        );
        assert_eq!(
            partial.muted(),
            Theme::default().muted(),
            "left out: the dark theme's"
        );
    }
}
