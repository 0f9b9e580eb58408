//! Colours: a theme file's style words ("cyan bold", "black on yellow", "245", "#ff8800"), how
//! many colours the terminal shows, and each colour mapped to what it can show.

use ratatui::style::{Color, Modifier, Style};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Sixteen,
    Indexed,
    True,
}

impl Depth {
    /// From `COLORTERM` and `TERM`, as `lookup` reads the environment: 16 colours for the
    /// Linux console, screen, plain xterm and the like, 256 for `*-256color`, full colour where
    /// `COLORTERM` says so.
    pub fn detect(lookup: impl Fn(&str) -> Option<String>) -> Depth {
        let colorterm = lookup("COLORTERM").unwrap_or_default();
        if colorterm == "truecolor" || colorterm == "24bit" {
            return Depth::True;
        }
        let term = lookup("TERM").unwrap_or_default();
        if term.contains("256color") || term.contains("direct") || !colorterm.is_empty() {
            return Depth::Indexed;
        }
        let sixteen = [
            "linux",
            "screen",
            "xterm",
            "ansi",
            "cons25",
            "rxvt",
            "putty",
            "dumb",
            "xterm-color",
        ];
        if term.is_empty() || term.starts_with("vt") || sixteen.contains(&term.as_str()) {
            Depth::Sixteen
        } else {
            Depth::Indexed
        }
    }
}

/// "cyan bold", "black on yellow", "245", "#ff8800 underlined".
pub(super) fn parse_style(spec: &str, depth: Depth) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = spec.split_whitespace();
    while let Some(word) = words.next() {
        let modifier = match word {
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underlined" => Some(Modifier::UNDERLINED),
            "reversed" => Some(Modifier::REVERSED),
            "crossed_out" => Some(Modifier::CROSSED_OUT),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
        } else if word == "on" {
            let colour = words.next().ok_or("“on” needs a colour after it")?;
            style = style.bg(fit(parse_colour(colour)?, depth));
        } else {
            style = style.fg(fit(parse_colour(word)?, depth));
        }
    }
    Ok(style)
}

const NAMED: [(&str, Color); 17] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

fn parse_colour(word: &str) -> Result<Color, String> {
    if let Some((_, c)) = NAMED.iter().find(|(n, _)| *n == word) {
        return Ok(*c);
    }
    if let Ok(index) = word.parse::<u8>() {
        return Ok(Color::Indexed(index));
    }
    if let Some(hex) = word.strip_prefix('#')
        && hex.len() == 6
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        let [_, r, g, b] = v.to_be_bytes();
        return Ok(Color::Rgb(r, g, b));
    }
    Err(format!(
        "`{word}` is not a colour or a style (colour names, 0-255, #rrggbb; bold dim italic underlined reversed)"
    ))
}

/// The 16 ANSI colours as xterm draws them by default, in index order.
const ANSI: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

const ANSI_COLOURS: [Color; 16] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// An xterm 256-colour index as RGB.
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI[usize::from(i)],
        16..=231 => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        232..=255 => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

/// `colour` as the terminal can show it.
pub(super) fn fit(colour: Color, depth: Depth) -> Color {
    let rgb = match colour {
        Color::Indexed(i) if depth == Depth::Sixteen => indexed_rgb(i),
        Color::Rgb(r, g, b) if depth != Depth::True => (r, g, b),
        other => return other,
    };
    let distance = |(r, g, b): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, rgb.0) + d(g, rgb.1) + d(b, rgb.2)
    };
    if depth == Depth::Indexed {
        return Color::Indexed(
            (16..=255u8)
                .min_by_key(|i| distance(indexed_rgb(*i)))
                .unwrap_or(7),
        );
    }
    ANSI.iter()
        .zip(ANSI_COLOURS)
        .min_by_key(|(c, _)| distance(**c))
        .map_or(Color::Reset, |(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::env_of as env;

    #[test]
    fn the_depth_comes_from_term_and_colorterm_and_colours_map_to_it() {
        for term in ["linux", "screen", "xterm", "vt100"] {
            assert_eq!(
                Depth::detect(env(&[("TERM", term)])),
                Depth::Sixteen,
                "{term}"
            );
        }
        for term in ["tmux-256color", "xterm-256color", "screen-256color"] {
            assert_eq!(
                Depth::detect(env(&[("TERM", term)])),
                Depth::Indexed,
                "{term}"
            );
        }
        assert_eq!(
            Depth::detect(env(&[("TERM", "xterm"), ("COLORTERM", "truecolor")])),
            Depth::True
        );
        assert_eq!(fit(Color::Indexed(245), Depth::Sixteen), Color::DarkGray);
        assert_eq!(fit(Color::Rgb(250, 0, 0), Depth::Sixteen), Color::LightRed);
        assert_eq!(fit(Color::Rgb(0, 0, 0), Depth::Indexed), Color::Indexed(16));
    }
}
