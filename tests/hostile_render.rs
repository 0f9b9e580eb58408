//! Arbitrary strings, hostile ones above all, put where a vendor's text goes (titles, names,
//! help desks, statuses, descriptions, comments), drawn by the real panes through the real
//! terminal backend into a byte buffer: the bytes a terminal would receive hold no escape
//! sequence but the drawing's own (CSI: cursor, colours) and no control, bidi or invisible
//! character from the input. Deterministic: the strings come from a fixed-seed generator.
//! (ratatui drops control characters it is asked to draw as text, a second guard behind the
//! text boundary; this test holds for every path, the cells ttydesk fills with sequences of its
//! own, OSC 8 links, included.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/escapes.rs"]
mod escapes;
#[path = "support/sink.rs"]
mod sink;

use escapes::{foreign, strip_links};

use sink::Sink;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use ttydesk::app::{Model, Msg, update};
use ttydesk::domain::{ProfileId, SafeText};
use ttydesk::provider::{Answer, Call};
use ttydesk::testing;
use ttydesk::ui::{Theme, render};

/// Pieces the strings are made of: every family of escape sequence, C0 and C1 controls, bidi
/// and invisible characters, and ordinary text of several scripts.
const PIECES: &[&str] = &[
    "\x1b[2J",
    "\x1b[31m",
    "\x1b]0;owned\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example\x1b\\",
    "\x1bP+q\x1b\\",
    "\x1b_apc\x1b\\",
    "\x1b^pm\x1b\\",
    "\x1bX",
    "\x1bc",
    "\x1b7",
    "\u{9b}2J",
    "\u{9d}0;x\u{9c}",
    "\u{85}",
    "\x07",
    "\x08",
    "\x00",
    "\x7f",
    "\r",
    "\n",
    "\t",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{200d}",
    "\u{3164}",
    "\u{ffa0}",
    "\u{2800}",
    "\u{feff}",
    "\u{e0041}",
    "\u{fe0f}",
    "\u{1160}",
    "\u{34f}",
    "\u{180e}",
    "\u{600}",
    "\u{13430}",
    "\u{fdd0}",
    "\u{2028}",
    "Printer",
    " ",
    "Zoë",
    "打印机",
    "مرحبا",
    "👩‍💻",
    "<b>x</b>",
    "&lt;",
    "%1B[2J",
    "\\x1b",
    "\u{1b}\u{1b}[",
    "]",
    "[",
    ";",
    "0",
];

/// xorshift64*: the same strings on every run and machine.
struct Strings(u64);

impl Strings {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn string(&mut self) -> String {
        let len = 1 + self.next() % 12;
        (0..len)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect()
    }
}

/// The fixtures' answers with a hostile string wherever vendor text goes, through the same
/// text boundary (`SafeText`) every provider uses.
fn hostile_answer(s: &mut Strings, profile: ProfileId, call: &Call) -> Answer {
    match testing::fixture_answer(profile, call) {
        Answer::Catalog(Ok(catalog)) => {
            let mut c = (*catalog).clone();
            for desk in &mut c.help_desks {
                desk.name = SafeText::line(&s.string());
            }
            for status in &mut c.statuses {
                status.name = SafeText::line(&s.string());
            }
            for person in c.people.values_mut() {
                person.name = SafeText::line(&s.string());
            }
            Answer::Catalog(Ok(Arc::new(c)))
        }
        Answer::Page(Ok(mut page)) => {
            for t in &mut page.items {
                t.title = SafeText::line(&s.string());
                t.display_id = SafeText::line(&s.string());
                if let Some(c) = t.customer.as_mut() {
                    c.name = SafeText::line(&s.string());
                }
                t.status.name = SafeText::line(&s.string());
            }
            Answer::Page(Ok(page))
        }
        Answer::Detail(Ok(detail)) => {
            let mut d = (*detail).clone();
            d.ticket.title = SafeText::line(&s.string());
            d.description = SafeText::block(&s.string());
            for c in &mut d.comments {
                c.body = SafeText::block(&s.string());
                if let Some(a) = c.author.as_mut() {
                    a.name = SafeText::line(&s.string());
                }
            }
            for f in &mut d.custom_fields {
                f.value = SafeText::line(&s.string());
            }
            Answer::Detail(Ok(Arc::new(d)))
        }
        other => other,
    }
}

fn key(m: &mut Model, s: &mut Strings, code: KeyCode) {
    let effects = update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    testing::settle_with(m, effects, |p, call| Some(hostile_answer(s, p, call)));
}

fn bytes_of(m: &Model, width: u16, height: u16) -> Vec<u8> {
    let sink = Sink::default();
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        TerminalOptions { viewport },
    )
    .unwrap();
    terminal.draw(|f| render(f, m, &Theme::default())).unwrap();
    drop(terminal);
    sink.bytes()
}

/// The links ttydesk draws for the fixtures' requests.
fn ours(url: &str) -> bool {
    url.starts_with("https://work.example/requests/show/index/id/")
}

#[test]
fn the_check_itself_catches_what_it_looks_for() {
    assert!(foreign(b"\x1b[1;31mok\x1b[0m").is_none());
    for bad in [
        &b"\x1b]0;x\x07"[..],
        b"a\x07",
        "\u{202e}".as_bytes(),
        "\u{9b}2J".as_bytes(),
        b"\x1bc",
        b"\xff",
        "Haddad\u{200d} Lee".as_bytes(),
    ] {
        assert!(foreign(bad).is_some(), "{bad:?}");
    }
    assert!(foreign("👨\u{200d}👩 क्\u{200d}ष".as_bytes()).is_none());
    assert_eq!(
        strip_links(
            "a\x1b]8;;https://work.example/requests/show/index/id/1\x1b\\b\x1b]8;;\x1b\\c",
            ours
        ),
        "abc"
    );
}

#[test]
fn hostile_text_in_every_field_reaches_the_terminal_inert() {
    let (mut seen_text, mut seen_link) = (false, false);
    for seed in 1..=40u64 {
        let mut s = Strings(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut m = testing::model();
        m.settings.hyperlinks = true;
        let effects = testing::start(&mut m);
        testing::settle_with(&mut m, effects, |p, call| {
            Some(hostile_answer(&mut s, p, call))
        });
        let effects = update(
            &mut m,
            Msg::Resize {
                width: 120,
                height: 30,
            },
        );
        testing::settle_with(&mut m, effects, |p, call| {
            Some(hostile_answer(&mut s, p, call))
        });
        // The Requests pane, a request open in Detail, help and the messages over them, and the
        // smallest terminal.
        key(&mut m, &mut s, KeyCode::Tab);
        key(&mut m, &mut s, KeyCode::Enter);
        for (step, width, height) in [(0, 120, 30), (1, 120, 30), (2, 120, 30), (3, 40, 10)] {
            match step {
                1 => key(&mut m, &mut s, KeyCode::Char('?')),
                2 => {
                    key(&mut m, &mut s, KeyCode::Esc);
                    key(&mut m, &mut s, KeyCode::Char('E'));
                }
                _ => {}
            }
            let bytes = bytes_of(&m, width, height);
            let text = String::from_utf8_lossy(&bytes);
            // The visible part of what was sent is drawn: the test looks at real output.
            seen_text |= ["Printer", "Zoë", "打印机"]
                .iter()
                .any(|w| text.contains(w));
            // The request's own link is the one OSC 8 sequence allowed, and only in Detail.
            seen_link |= text.contains("\x1b]8;;https://work.example/requests/show/index/id/");
            let bytes = strip_links(&text, ours).into_bytes();
            if let Some(what) = foreign(&bytes) {
                panic!("seed {seed}, step {step}: {what}");
            }
        }
        assert!(m.detail.open.is_some(), "seed {seed}: a request opened");
    }
    assert!(seen_text, "the ordinary words were drawn somewhere");
    assert!(seen_link, "the request's link was drawn as a link");
}
