//! Looks: a snapshot of one screen in each theme, without colour (`NO_COLOR`), and in ASCII,
//! each with its styles: the text, then a letter per cell naming its style, then what each
//! letter is. Also the bytes written to the terminal for a copy (OSC 52) and a link (OSC 8),
//! with hostile text in the request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/sink.rs"]
mod sink;

use sink::Sink;

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style};
use ttydesk::app::{Effect, Model, Msg, update};
use ttydesk::testing;
use ttydesk::ui::{Theme, render};

fn send(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    let effects = update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    testing::settle(m, effects)
}

/// Request 1207 open beside the list, at 100×24.
fn screen() -> Model {
    let mut m = testing::loaded_model();
    let effects = update(
        &mut m,
        Msg::Resize {
            width: 100,
            height: 24,
        },
    );
    testing::settle(&mut m, effects);
    for code in [KeyCode::Tab, KeyCode::Char('j'), KeyCode::Enter] {
        send(&mut m, code);
    }
    m
}

fn buffer(m: &Model, theme: &Theme) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(m.size.0, m.size.1)).unwrap();
    terminal.draw(|f| render(f, m, theme)).unwrap();
    terminal.backend().buffer().clone()
}

/// The text, a style letter per cell, and the legend.
fn styled(buffer: &Buffer) -> String {
    let mut legend: BTreeMap<String, char> = BTreeMap::new();
    let mut order: Vec<(char, String)> = Vec::new();
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut text = String::new();
    let mut map = String::new();
    let width = usize::from(buffer.area.width);
    for (i, cell) in buffer.content.iter().enumerate() {
        text.push_str(cell.symbol());
        let style = describe(cell.style());
        let next = legend.len();
        let letter = *legend.entry(style.clone()).or_insert_with(|| {
            let l = letters.get(next).copied().unwrap_or('?');
            order.push((l, style));
            l
        });
        map.push(letter);
        if (i + 1) % width == 0 {
            text.push('\n');
            map.push('\n');
        }
    }
    let legend: Vec<String> = order.iter().map(|(l, s)| format!("{l} = {s}")).collect();
    format!("{text}\n{map}\n{}\n", legend.join("\n"))
}

fn describe(style: Style) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = style.fg.filter(|c| *c != Color::Reset) {
        parts.push(format!("fg {fg}"));
    }
    if let Some(bg) = style.bg.filter(|c| *c != Color::Reset) {
        parts.push(format!("bg {bg}"));
    }
    if !style.add_modifier.is_empty() {
        parts.push(format!("{:?}", style.add_modifier));
    }
    if parts.is_empty() {
        "plain".to_string()
    } else {
        parts.join(", ")
    }
}

#[test]
fn each_theme_draws_the_same_screen_in_its_own_styles() {
    let m = screen();
    let mut seen = Vec::new();
    for (name, _) in ttydesk::ui::theme::BUILT_IN {
        let theme = Theme::built_in(name).unwrap();
        let drawn = styled(&buffer(&m, &theme));
        insta::assert_snapshot!(format!("theme_{name}"), drawn);
        seen.push(drawn);
    }
    // Same text, different styles.
    let text = |s: &String| s.split("\n\n").next().unwrap().to_string();
    assert!(seen.iter().all(|s| text(s) == text(&seen[0])));
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert_ne!(a, b, "two themes look the same");
        }
    }
}

#[test]
fn no_color_has_no_colour_and_ascii_has_no_box_drawing() {
    let m = screen();
    let plain = buffer(&m, &Theme::monochrome());
    for cell in &plain.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    insta::assert_snapshot!("no_color", styled(&plain));

    let mut ascii = Theme::default();
    ascii.ascii = true;
    let drawn = buffer(&m, &ascii);
    for cell in &drawn.content {
        // What is left beyond ASCII is the people's names, never a line or a mark.
        assert!(
            cell.symbol()
                .chars()
                .all(|c| c.is_ascii() || c.is_alphabetic()),
            "{:?} left in ASCII mode",
            cell.symbol()
        );
    }
    let text: String = drawn.content.iter().map(|c| c.symbol()).collect();
    assert!(
        text.contains("+-") && text.contains('|'),
        "borders in ASCII"
    );
    insta::assert_snapshot!("ascii", styled(&drawn));
}

/// Text a hostile server might send, with escapes of its own for a link and a copy.
const HOSTILE: &str =
    "Click\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ \x1b]52;c;ZXZpbA==\x07 \u{9b}2J";

/// Request 1207 open in Detail with hostile title and description, links on.
fn hostile_screen() -> Model {
    use std::sync::Arc;
    use ttydesk::domain::SafeText;
    use ttydesk::provider::{Answer, Call};
    let mut m = testing::loaded_model();
    m.settings.hyperlinks = true;
    let effects = update(
        &mut m,
        Msg::Resize {
            width: 120,
            height: 30,
        },
    );
    testing::settle(&mut m, effects);
    send(&mut m, KeyCode::Tab);
    send(&mut m, KeyCode::Char('j'));
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let mut asked = None;
    let mut rest = Vec::new();
    for effect in effects {
        match effect {
            Effect::Call {
                profile,
                id,
                call: Call::Detail { .. },
            } => asked = Some((profile, id)),
            other => rest.push(other),
        }
    }
    testing::settle(&mut m, rest);
    let (profile, id) = asked.expect("opening asks for the detail");
    let mut detail = testing::detail("1207");
    detail.ticket.title = SafeText::line(HOSTILE);
    detail.description = SafeText::block(HOSTILE);
    let answer = Answer::Detail(Ok(Arc::new(detail)));
    let effects = update(
        &mut m,
        Msg::Answer {
            profile,
            id,
            answer,
        },
    );
    testing::settle(&mut m, effects);
    m
}

#[test]
fn the_bytes_written_for_a_link_and_a_copy_are_ours_alone() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};
    let mut m = hostile_screen();
    let link = "https://work.example/requests/show/index/id/1207";

    // What a real terminal receives for the frame: our OSC 8 link once, nothing of theirs.
    let sink = Sink::default();
    let backend = CrosstermBackend::new(sink.clone());
    let viewport = Viewport::Fixed(Rect::new(0, 0, 120, 30));
    let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport }).unwrap();
    terminal.draw(|f| render(f, &m, &Theme::default())).unwrap();
    let bytes = sink.bytes();
    let text = String::from_utf8_lossy(&bytes);
    let ours = format!("\x1b]8;;{link}\x1b\\{link}\x1b]8;;\x1b\\");
    assert_eq!(
        text.matches(&ours).count(),
        1,
        "the request's link, as a link"
    );
    assert_eq!(
        text.matches("\x1b]8;").count(),
        2,
        "no other link opened or closed"
    );
    assert!(!text.contains("\x1b]52"), "no clipboard write in a frame");
    assert!(
        !text.contains('\u{9b}') && !text.contains('\x07'),
        "no C1 or BEL"
    );
    assert!(text.contains("Click"), "the title is there, cleaned");
    assert!(
        !text.contains("evil.example\x1b"),
        "their link target is text at most"
    );

    // `y`: the clipboard gets exactly the link, whatever the request says.
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)),
    );
    let copied: Vec<Vec<u8>> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Copy { text, tmux } => Some(ttydesk::ui::osc::copy(text, *tmux).unwrap()),
            _ => None,
        })
        .collect();
    assert_eq!(
        copied,
        [
            b"\x1b]52;c;aHR0cHM6Ly93b3JrLmV4YW1wbGUvcmVxdWVzdHMvc2hvdy9pbmRleC9pZC8xMjA3\x1b\\"
                .to_vec()
        ]
    );
}

/// Every mark the console's code draws (arrows, lines, shapes, dingbats, the spinner) has an
/// ASCII stand-in, so ASCII mode leaves none behind on any screen.
#[test]
fn every_mark_in_the_code_has_an_ascii_stand_in() {
    let mark = |c: char| {
        matches!(c as u32,
            0x2190..=0x21FF | 0x2500..=0x25FF | 0x2600..=0x27BF | 0x2800..=0x28FF | 0x2B00..=0x2BFF)
            || matches!(c, '·' | '×' | '•' | '…' | '“' | '”' | '—' | '–' | '›')
    };
    let mut missing = std::collections::BTreeSet::new();
    for dir in ["src/ui", "src/app"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for c in text.chars().filter(|c| mark(*c)) {
                    if ttydesk::ui::glyphs::fallback(c).is_none() {
                        missing.insert((c, path.display().to_string()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}
