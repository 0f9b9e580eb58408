//! ASCII mode: the box-drawing characters and marks ttydesk draws, swapped cell by cell for
//! one ASCII character each after a frame is drawn, so the layout stays exactly as wide. Chosen
//! with `glyphs = "ascii"`, or found out (`auto`): a locale that is not UTF-8, or the Linux
//! console, whose fonts lack most marks.

use ratatui::buffer::Buffer;

use crate::config::GlyphChoice;

/// Each mark and line piece we draw, and its stand-in.
const ASCII: &[(char, char)] = &[
    ('─', '-'),
    ('━', '-'),
    ('═', '='),
    ('│', '|'),
    ('┃', '|'),
    ('║', '|'),
    ('┌', '+'),
    ('┐', '+'),
    ('└', '+'),
    ('┘', '+'),
    ('╭', '+'),
    ('╮', '+'),
    ('╰', '+'),
    ('╯', '+'),
    ('├', '+'),
    ('┤', '+'),
    ('┬', '+'),
    ('┴', '+'),
    ('┼', '+'),
    ('●', '*'),
    ('○', 'o'),
    ('•', '*'),
    ('·', '.'),
    ('…', '~'),
    ('▸', '>'),
    ('▲', '^'),
    ('▼', 'v'),
    ('▶', '>'),
    ('◀', '<'),
    ('▾', 'v'),
    ('›', '>'),
    ('→', '>'),
    ('←', '<'),
    ('↑', '^'),
    ('↓', 'v'),
    ('⇡', '^'),
    ('↻', '@'),
    ('✕', 'x'),
    ('×', 'x'),
    ('✓', '+'),
    ('★', '*'),
    ('█', '#'),
    ('▏', '|'),
    ('“', '"'),
    ('”', '"'),
    ('‘', '\''),
    ('’', '\''),
    ('—', '-'),
    ('⚠', '!'),
    // The spinner turns as | / - \\.
    ('⠋', '|'),
    ('⠙', '/'),
    ('⠹', '-'),
    ('⠸', '\\'),
    ('⠼', '|'),
    ('⠴', '/'),
    ('⠦', '-'),
    ('⠧', '\\'),
    ('–', '-'),
];

/// Whether to draw in ASCII, from the configuration and the environment (`lookup`).
pub fn ascii(choice: GlyphChoice, lookup: impl Fn(&str) -> Option<String>) -> bool {
    match choice {
        GlyphChoice::Ascii => true,
        GlyphChoice::Unicode => false,
        GlyphChoice::Auto => {
            let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
                .iter()
                .find_map(|k| lookup(k).filter(|v| !v.is_empty()))
                .unwrap_or_default()
                .to_ascii_lowercase();
            let utf8 = locale.contains("utf-8") || locale.contains("utf8");
            let term = lookup("TERM").unwrap_or_default();
            !utf8 || term == "linux" || term.starts_with("vt") || term == "dumb"
        }
    }
}

/// The stand-in for `c`, when it is one of ours.
pub fn fallback(c: char) -> Option<char> {
    ASCII.iter().find(|(u, _)| *u == c).map(|(_, a)| *a)
}

/// Swaps every mark in `buffer` for its stand-in.
pub fn to_ascii(buffer: &mut Buffer) {
    let mut one = [0u8; 4];
    for cell in &mut buffer.content {
        let mut chars = cell.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(a) = fallback(c)
        {
            cell.set_symbol(a.encode_utf8(&mut one));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::env_of as env;

    #[test]
    fn ascii_is_detected_from_the_locale_and_the_linux_console() {
        let utf8 = [("LANG", "en_GB.UTF-8"), ("TERM", "xterm-256color")];
        assert!(!ascii(GlyphChoice::Auto, env(&utf8)));
        assert!(ascii(
            GlyphChoice::Auto,
            env(&[("LANG", "C"), ("TERM", "xterm")])
        ));
        assert!(ascii(
            GlyphChoice::Auto,
            env(&[("LANG", "en_US.UTF-8"), ("TERM", "linux")])
        ));
        assert!(ascii(
            GlyphChoice::Auto,
            env(&[("LC_ALL", "POSIX"), ("LANG", "en_US.UTF-8")])
        ));
        assert!(ascii(GlyphChoice::Ascii, env(&utf8)));
        assert!(!ascii(GlyphChoice::Unicode, env(&[("LANG", "C")])));
    }

    #[test]
    fn every_stand_in_is_one_printable_ascii_character() {
        for (u, a) in ASCII {
            assert!(a.is_ascii_graphic(), "{u} → {a:?}");
            assert_eq!(unicode_width::UnicodeWidthChar::width(*u), Some(1), "{u}");
        }
    }
}
