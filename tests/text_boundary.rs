//! End-to-end check of the untrusted-text boundary: hostile vendor strings go through
//! `SafeText` and a real `ratatui::Terminal` with a `CrosstermBackend` writing into memory, and
//! the bytes that would reach the agent's terminal must carry no payload sequence or residue.
//!
//! The backend itself emits CSI (`ESC [`) for cursor moves and colours, so the assertions look
//! for payload-specific bytes (OSC, DCS, APC, BEL, 8-bit CSI) and printable leftovers instead.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::text::Text;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::{TerminalOptions, Viewport};
use ttydesk::text::SafeText;

/// Byte sequences that must never be written: they can only come from the payloads.
const FORBIDDEN: &[&[u8]] = &[
    b"\x1b]",        // OSC: title, clipboard, hyperlink
    b"\x1bP",        // DCS
    b"\x1b_",        // APC
    b"\x1b^",        // PM
    b"\x1bX",        // SOS
    b"\x1bc",        // full reset
    b"\x07",         // BEL / OSC terminator
    b"\xc2\x9b",     // 8-bit CSI as UTF-8
    b"\xc2\x9d",     // 8-bit OSC as UTF-8
    b"\x1b[2J",      // clear screen (the backend never clears inside draw)
    b"\x1b[6n",      // cursor position report request
    b"]0;PWN",       // printable tail of an OSC title sequence
    b"]52;",         // printable tail of an OSC 52 clipboard write
    b"]8;;",         // printable tail of an OSC 8 hyperlink
    b"\xe2\x80\xae", // U+202E right-to-left override
];

/// A `Write` sink the test keeps a handle to, since the backend's own `writer()` accessor is
/// behind an unstable ratatui feature.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Draws `text` as a wrapped `Paragraph` on a fixed 100x30 viewport and returns every byte
/// the backend wrote. A fixed viewport means no terminal size query, so no TTY is needed.
fn render(text: &SafeText) -> io::Result<Vec<u8>> {
    let sink = Sink::default();
    let backend = CrosstermBackend::new(sink.clone());
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 100, 30)),
    };
    let mut terminal = Terminal::with_options(backend, options)?;
    terminal.draw(|frame| {
        let paragraph = Paragraph::new(Text::raw(text.as_str())).wrap(Wrap { trim: false });
        frame.render_widget(paragraph, frame.area());
    })?;
    drop(terminal);
    Ok(sink.0.take())
}

fn assert_clean(label: &str, bytes: &[u8]) {
    for needle in FORBIDDEN {
        let found = bytes.windows(needle.len()).any(|w| w == *needle);
        assert!(
            !found,
            "{label}: output contains {:?}\n{:?}",
            String::from_utf8_lossy(needle),
            String::from_utf8_lossy(bytes)
        );
    }
}

fn contains(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[test]
fn hostile_single_lines_render_clean() -> io::Result<()> {
    let payloads = [
        "Hello\x1b]0;PWNED\x07 world",
        "Hello\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\x07",
        "Hello \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
        "Hello\x1b[2J\x1b[6n\x1b[10A",
        "Hello\x1bP>|xterm\x1b\\\x1b_Gf=100;AAAA\x1b\\",
        "Hello\x1bc",
        "Hello\u{9b}2J\u{9d}0;PWN\u{9c}",
        "Hello\x07\x07",
        "Hello\x1b]0;PWN",
        "Hello user\u{202e} \u{2066}// admin\u{2069}\u{200b}\u{e0041}",
        "Hello\r\nSpoofed: approved\rline",
    ];
    for raw in payloads {
        let bytes = render(&SafeText::line(raw))?;
        assert_clean(raw, &bytes);
        assert!(contains(&bytes, "Hello"), "{raw:?}: visible text missing");
    }
    Ok(())
}

#[test]
fn hostile_blocks_render_clean() -> io::Result<()> {
    let raw = "Hello\n\x1b]0;PWN\x07\tindented\x1b[31m red\x1b[0m\n\u{9b}6n\x1bP1$r\x1b\\done";
    let safe = SafeText::block(raw);
    let bytes = render(&safe)?;
    assert_clean("block", &bytes);
    assert!(contains(&bytes, "Hello"));
    assert!(contains(&bytes, "done"));
    Ok(())
}

#[test]
fn hostile_html_renders_clean() -> io::Result<()> {
    let payloads = [
        r#"<p>Hello</p><p>See <a href="http://x.example/&#27;]0;PWN&#7;">http://bank.example/</a></p>"#,
        "<p>Hello &#27;]0;PWN&#7; &#x9b;2J &#x202e;txt</p>",
        "<p>Hello</p>\r\n<p>\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\</p>",
        "<div>Hello<script>document.title='\x1b]0;PWN\x07'</script></div>",
    ];
    for raw in payloads {
        let safe = SafeText::from_html(raw);
        let bytes = render(&safe)?;
        assert_clean(raw, &bytes);
        assert!(contains(&bytes, "Hello"), "{raw:?}: visible text missing");
    }
    Ok(())
}

#[test]
fn real_link_target_stays_visible() -> io::Result<()> {
    let safe = SafeText::from_html(
        r#"<p>Hello, log in at <a href="http://evil.example/">http://bank.example/</a></p>"#,
    );
    assert!(safe.as_str().contains("http://evil.example/"), "{safe}");
    let bytes = render(&safe)?;
    assert_clean("link", &bytes);
    assert!(contains(&bytes, "evil.example"));
    Ok(())
}

#[test]
fn deeply_nested_html_renders_through_the_fallback() -> io::Result<()> {
    let raw = format!(
        "{}Hello\x1b]0;PWN\x07{}",
        "<div>".repeat(5_000),
        "</div>".repeat(5_000)
    );
    let safe = SafeText::from_html(&raw);
    assert_eq!(safe.as_str(), "Hello");
    assert_clean("deep", &render(&safe)?);
    Ok(())
}

#[test]
fn random_hostile_strings_render_without_payload_bytes() -> io::Result<()> {
    const ALPHABET: &[&str] = &[
        "\x1b",
        "[",
        "]",
        "\x07",
        "\\",
        "\u{9b}",
        "\u{9d}",
        "\u{9c}",
        "\u{202e}",
        "P",
        "_",
        "0",
        ";",
        "x",
        "Hello",
        "\n",
        "\r",
        "\t",
        "<p>",
        "</p>",
        "<a href=\"",
        "\">",
        "&#27;",
        "&#7;",
        "&#x9b;",
    ];
    // Only bytes that cannot come from printable text: a random mix of `]`, `0` and `;` is
    // allowed to look like a sequence tail.
    const CONTROL: &[&[u8]] = &[
        b"\x1b]",
        b"\x1bP",
        b"\x1b_",
        b"\x07",
        b"\xc2\x9b",
        b"\xc2\x9d",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for round in 0..300 {
        let len = next(30);
        let raw: String = (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect();
        let texts = [
            SafeText::line(&raw),
            SafeText::block(&raw),
            SafeText::from_html(&raw),
        ];
        for text in texts {
            let bytes = render(&text)?;
            for needle in CONTROL {
                let found = bytes.windows(needle.len()).any(|w| w == *needle);
                assert!(!found, "round {round}: {raw:?} wrote {needle:?}");
            }
        }
    }
    Ok(())
}
