//! The escape sequences ttydesk itself writes beyond drawing: OSC 52 (put text on the
//! clipboard of the terminal the agent sits at, across SSH and tmux) and OSC 8 (a clickable
//! link). Their payload is ours: a link built from the configuration and a request id, or an
//! id. It is checked to be printable ASCII before it goes in, and OSC 52's is base64, so no
//! text from a ticket can end the sequence early or start another.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The longest text copied; terminals cap OSC 52 (xterm at about 100 kB of base64, some far
/// lower), and a link or an id is never near this.
pub const COPY_LIMIT: usize = 4096;

/// Why something cannot be copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    TooLong(usize),
    /// A control character, a space or a non-ASCII character: pasted into a shell, a line
    /// break would run what follows it.
    Unsafe,
    Empty,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::TooLong(n) => write!(
                f,
                "it is too long to copy ({n} bytes; at most {COPY_LIMIT})"
            ),
            Refused::Unsafe => f.write_str("it holds characters that are not safe to paste"),
            Refused::Empty => f.write_str("there is nothing to copy"),
        }
    }
}

fn check(text: &str) -> Result<(), Refused> {
    if text.is_empty() {
        return Err(Refused::Empty);
    }
    if text.len() > COPY_LIMIT {
        return Err(Refused::TooLong(text.len()));
    }
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refused::Unsafe);
    }
    Ok(())
}

/// The bytes that put `text` on the clipboard: OSC 52 to the clipboard selection, ended with
/// ST. Inside tmux (`in_tmux`) the same sequence follows wrapped for tmux's passthrough, so it
/// reaches the outer terminal with `set -g set-clipboard on` or with `allow-passthrough on`.
pub fn copy(text: &str, in_tmux: bool) -> Result<Vec<u8>, Refused> {
    check(text)?;
    let payload = STANDARD.encode(text.as_bytes());
    let sequence = format!("\x1b]52;c;{payload}\x1b\\");
    let mut out = sequence.clone().into_bytes();
    if in_tmux {
        // DCS tmux; <the sequence with every ESC doubled> ST
        out.extend_from_slice(b"\x1bPtmux;");
        out.extend_from_slice(sequence.replace('\x1b', "\x1b\x1b").as_bytes());
        out.extend_from_slice(b"\x1b\\");
    }
    Ok(out)
}

/// `text` as a clickable link to `url` (OSC 8), as one cell's symbol: the caller gives the cell
/// the text's width and skips the cells after it. `None` when either part is not printable
/// ASCII (then the text is drawn without a link).
pub fn hyperlink(url: &str, text: &str) -> Option<String> {
    check(url).ok()?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return None;
    }
    Some(format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\"))
}

/// Terminals known to draw OSC 8 links (`hyperlinks = "auto"`). Inside tmux or screen the
/// outer terminal cannot be known, so links are off there unless `hyperlinks = "always"`.
pub fn links_supported(lookup: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| lookup(k).is_some_and(|v| !v.is_empty());
    if set("TMUX") || set("STY") {
        return false;
    }
    let program = lookup("TERM_PROGRAM").unwrap_or_default();
    let term = lookup("TERM").unwrap_or_default();
    ["iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "rio"].contains(&program.as_str())
        || [
            "xterm-kitty",
            "foot",
            "xterm-ghostty",
            "wezterm",
            "alacritty",
        ]
        .contains(&term.as_str())
        || set("KITTY_WINDOW_ID")
        || set("WT_SESSION")
        || set("KONSOLE_VERSION")
        || lookup("VTE_VERSION")
            .and_then(|v| v.parse::<u32>().ok())
            .is_some_and(|v| v >= 5000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_exactly_the_base64_of_the_text() {
        let bytes = copy("https://acme.example/requests/show/index/id/1207", false).unwrap();
        assert_eq!(
            bytes,
            b"\x1b]52;c;aHR0cHM6Ly9hY21lLmV4YW1wbGUvcmVxdWVzdHMvc2hvdy9pbmRleC9pZC8xMjA3\x1b\\"
        );
        let tmux = copy("1207", true).unwrap();
        assert_eq!(
            tmux,
            b"\x1b]52;c;MTIwNw==\x1b\\\x1bPtmux;\x1b\x1b]52;c;MTIwNw==\x1b\x1b\\\x1b\\"
        );
    }

    #[test]
    fn nothing_unsafe_or_oversized_is_copied() {
        for hostile in [
            "1207\n rm -rf ~",
            "12\x1b]52;c;ZXZpbA==\x07",
            "12\u{9b}31m",
            "id with space",
            "",
        ] {
            assert!(copy(hostile, true).is_err(), "{hostile:?}");
        }
        let long = "a".repeat(COPY_LIMIT + 1);
        assert_eq!(copy(&long, false), Err(Refused::TooLong(COPY_LIMIT + 1)));
        assert!(copy(&"a".repeat(COPY_LIMIT), false).is_ok());
    }

    #[test]
    fn links_are_on_only_where_the_terminal_is_known_to_draw_them() {
        use crate::testing::env_of as env;
        assert!(links_supported(env(&[("VTE_VERSION", "7200")])));
        assert!(links_supported(env(&[("TERM", "xterm-kitty")])));
        assert!(!links_supported(env(&[("TERM", "xterm-256color")])));
        assert!(!links_supported(env(&[("TERM", "linux")])));
        assert!(!links_supported(env(&[
            ("TERM_PROGRAM", "WezTerm"),
            ("TMUX", "/tmp/t,1,0")
        ])));
    }

    #[test]
    fn osc8_wraps_our_link_and_refuses_escapes_in_either_part() {
        assert_eq!(
            hyperlink("https://a.example/r/1", "#1").unwrap(),
            "\x1b]8;;https://a.example/r/1\x1b\\#1\x1b]8;;\x1b\\"
        );
        assert!(hyperlink("https://a.example/\x1b\\x", "#1").is_none());
        assert!(hyperlink("https://a.example/r/1", "#1\x07").is_none());
        assert!(hyperlink("https://a.example/r/1", "é").is_none());
    }
}
