//! Tests of the scrubber: every class of hidden character, escape sequences cut anywhere,
//! joiners and selectors in context, and a seeded random loop.

use super::*;

#[test]
fn invisible_characters_of_every_class_are_removed() {
    for (what, c) in [
        ("Hangul filler", '\u{3164}'),
        ("halfwidth Hangul filler", '\u{ffa0}'),
        ("Hangul choseong filler", '\u{115f}'),
        ("Hangul jungseong filler", '\u{1160}'),
        ("combining grapheme joiner", '\u{034f}'),
        ("Khmer vowel inherent", '\u{17b4}'),
        ("Khmer vowel inherent aa", '\u{17b5}'),
        ("Mongolian vowel separator", '\u{180e}'),
        ("Mongolian free variation selector", '\u{180b}'),
        ("Arabic number sign", '\u{0600}'),
        ("Arabic sign samvat", '\u{0604}'),
        ("Arabic end of ayah", '\u{06dd}'),
        ("Syriac abbreviation mark", '\u{070f}'),
        ("Egyptian hieroglyph joiner", '\u{13430}'),
        ("Egyptian hieroglyph format", '\u{1343f}'),
        ("variation selector on a letter", '\u{fe0f}'),
        ("variation selector supplement", '\u{e0100}'),
        ("noncharacter", '\u{fdd0}'),
        ("noncharacter U+FFFE", '\u{fffe}'),
        ("noncharacter of plane 1", '\u{1ffff}'),
        ("shorthand format control", '\u{1bca0}'),
        ("musical symbol begin beam", '\u{1d173}'),
        ("zero-width joiner between spaces", '\u{200d}'),
    ] {
        assert_eq!(
            scrub_line(&format!("a {c} b")),
            "a  b",
            "{what} U+{:04X}",
            c as u32
        );
    }
    // A name of three Hangul fillers is empty once cleaned (the caller shows a placeholder).
    assert_eq!(scrub_line("\u{3164}\u{3164}\u{3164}"), "");
    // Blank braille cells become spaces.
    assert_eq!(scrub_line("a\u{2800}\u{2800}b"), "a  b");
}

#[test]
fn only_presentation_selectors_stay_after_an_emoji_even_across_a_dropped_control() {
    // Found by the property test: the control between the digit and the selector was
    // dropped, so the selector met a keycap base and stayed, drawing nothing.
    assert_eq!(scrub_line("0\u{e}\u{e0100}"), "0");
    assert_eq!(scrub_line("☺\u{fe00} ☺\u{e0100}"), "☺ ☺");
    assert_eq!(scrub_line("☺\u{e}\u{fe0f}"), "☺\u{fe0f}");
}

#[test]
fn joiners_and_selectors_that_belong_to_text_stay() {
    for kept in [
        "👨\u{200d}👩\u{200d}👧",      // a family, joined
        "👁\u{fe0f}\u{200d}🗨\u{fe0f}",  // eye in speech bubble
        "☺\u{fe0f} 1\u{fe0f}\u{20e3}", // emoji presentation, keycap
        "می\u{200c}خواهم",             // Persian with ZWNJ
        "क्\u{200d}ष",                  // Devanagari with ZWJ
        "👍🏽",                          // skin tone modifier
    ] {
        assert_eq!(scrub_line(kept), kept);
    }
}

#[test]
fn joiners_that_join_nothing_are_removed() {
    // Terminals glue a dangling joiner to the next cell (a space, a border) and the rest of
    // the row shifts: seen in tmux with an agent named "Haddad" + ZWJ.
    for (hostile, clean) in [
        ("Haddad\u{200d}", "Haddad"),
        ("Haddad\u{200d} Lee", "Haddad Lee"),
        ("and\u{200d}joiners", "andjoiners"),
        ("Zoë\u{200d}\u{200c}x", "Zoëx"),
        ("👍\u{200d}", "👍"),
        ("👍\u{200d} ok", "👍 ok"),
        ("क्\u{200d}\nष", "क् ष"),
        ("क्\u{200d}\u{3164}", "क्"),
    ] {
        assert_eq!(scrub_line(hostile), clean, "{hostile:?}");
    }
}

#[test]
fn nothing_ignorable_format_or_noncharacter_survives_anywhere() {
    use icu_properties::props::{
        DefaultIgnorableCodePoint, GeneralCategory, NoncharacterCodePoint,
    };
    use icu_properties::{CodePointMapData, CodePointSetData};
    let hidden = |c: char| {
        CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
            || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
            || CodePointSetData::new::<NoncharacterCodePoint>().contains(c)
            || (c.is_control() && c != '\n')
    };
    let planes = (0..0x2_0000u32)
        .chain(0xE_0000..0xE_1000)
        .chain(0xF_FFF0..0x11_0000);
    for c in planes.filter_map(char::from_u32) {
        // After a space, so no letter or emoji lends it a reason to stay.
        for out in [
            scrub_line(&format!(" {c}x")),
            scrub_block(&format!(" {c}x")),
        ] {
            assert!(
                !out.chars().any(hidden),
                "U+{:04X} survived as {out:?}",
                c as u32
            );
        }
    }
}

#[test]
fn osc_title_is_removed_whole() {
    assert_eq!(scrub_line("A\x1b]0;PWNED\x07B"), "AB");
    assert_eq!(scrub_line("A\x1b]2;PWNED\x1b\\B"), "AB");
}

#[test]
fn osc52_clipboard_is_removed() {
    assert_eq!(scrub_line("x\x1b]52;c;Y3VybCBldmlsfHNo\x07y"), "xy");
}

#[test]
fn osc8_link_keeps_only_the_text() {
    let s = "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\";
    assert_eq!(scrub_line(s), "click");
    assert_eq!(scrub_block(&format!("A{s}B")), "AclickB");
}

#[test]
fn csi_sequences_are_removed() {
    assert_eq!(scrub_line("a\x1b[2Jb"), "ab");
    assert_eq!(scrub_line("a\x1b[6nb"), "ab");
    assert_eq!(scrub_line("a\x1b[10Ab"), "ab");
    assert_eq!(scrub_line("\x1b[1;31mred\x1b[0m"), "red");
    assert_eq!(scrub_line("a\x1b[?1049hb"), "ab");
}

#[test]
fn dcs_and_apc_strings_are_removed() {
    assert_eq!(scrub_line("a\x1bP>|xterm(1)\x1b\\b"), "ab");
    assert_eq!(scrub_line("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
    assert_eq!(scrub_line("a\x1bXsos\x1b\\b\x1b^pm\x1b\\c"), "abc");
    // BEL does not end a DCS: it stays swallowed until ST.
    assert_eq!(scrub_line("a\x1bPq\x07x\x1b\\b"), "ab");
}

#[test]
fn two_char_escapes_are_removed() {
    assert_eq!(scrub_line("a\x1bcb"), "ab");
    assert_eq!(scrub_line("a\x1b7b\x1b8c"), "abc");
    assert_eq!(scrub_line("a\x1b(Bb"), "ab");
    assert_eq!(scrub_line("a\x1b"), "a");
}

#[test]
fn eight_bit_c1_forms_are_removed() {
    assert_eq!(scrub_line("a\u{9b}2Jb"), "ab");
    assert_eq!(scrub_line("a\u{9d}0;PWN\u{9c}b"), "ab");
    assert_eq!(scrub_line("a\u{90}q\u{9c}b"), "ab");
    assert_eq!(scrub_line("a\u{9f}x\u{9c}b\u{85}c"), "abc");
}

#[test]
fn remove_sequences_keeps_everything_else() {
    let s = "<p>\tA\x1b]0;PWN\x07B\r\n\u{202e}\x1b[31mC\u{9b}2JD\x07</p>";
    assert_eq!(remove_sequences(s), "<p>\tAB\r\n\u{202e}CD\x07</p>");
}

#[test]
fn bel_and_other_controls_are_dropped() {
    assert_eq!(scrub_line("a\x07b\x00c\x7fd\x08e"), "abcde");
    assert_eq!(scrub_block("a\x0bb\x0cc"), "abc");
}

#[test]
fn unterminated_osc_swallows_the_rest() {
    assert_eq!(scrub_line("safe\x1b]0;everything after"), "safe");
    assert_eq!(scrub_block("safe\x1b]0;x\nmore\nlines"), "safe");
}

#[test]
fn stray_csi_does_not_eat_unicode_text() {
    assert_eq!(scrub_line("a\x1b[12€ uro"), "a€ uro");
}

#[test]
fn trojan_source_bidi_is_removed() {
    let s = "access_level != \"user\u{202e} \u{2066}// Check if admin\u{2069} \u{2066}\"";
    let out = scrub_line(s);
    assert_eq!(out, "access_level != \"user // Check if admin \"");
    assert_eq!(
        scrub_line("a\u{202a}\u{202b}\u{202c}\u{202d}\u{2067}\u{2068}b"),
        "ab"
    );
    assert_eq!(scrub_line("a\u{200e}\u{200f}\u{61c}b"), "ab");
}

#[test]
fn zero_width_and_tag_chars_are_removed() {
    assert_eq!(scrub_line("pay\u{200b}pal\u{2060}\u{feff}\u{ad}"), "paypal");
    assert_eq!(scrub_line("hi\u{e0041}\u{e0042}\u{e007f}"), "hi");
    assert_eq!(scrub_line("a\u{fff9}b\u{fffa}c\u{fffb}"), "abc");
}

#[test]
fn crlf_and_lone_cr() {
    assert_eq!(scrub_block("a\r\nb\rc\n"), "a\nb\nc\n");
    assert_eq!(scrub_line("a\r\nb\rc\n"), "a b c");
    assert_eq!(scrub_line("\r\n  title \r\n"), "title");
    assert_eq!(scrub_block("a\u{2028}b\u{2029}c"), "a\nb\nc");
    assert_eq!(scrub_line("a\u{2028}b"), "a b");
}

#[test]
fn tabs_expand_to_stops() {
    assert_eq!(scrub_line("a\tb"), "a   b");
    assert_eq!(scrub_line("abcd\te"), "abcd    e");
    assert_eq!(scrub_block("x\n\ty"), "x\n    y");
}

#[test]
fn block_trims_lines_and_collapses_blank_runs() {
    assert_eq!(scrub_block("a  \n\n\n\n\nb \t"), "a\n\n\nb");
    assert_eq!(scrub_block("a\n\nb"), "a\n\nb");
    assert_eq!(scrub_block("a\n \n\t\n  \n b"), "a\n\n\n b");
}

#[test]
fn line_keeps_inner_whitespace() {
    assert_eq!(scrub_line("a  b"), "a  b");
    assert_eq!(scrub_line("a\n\nb"), "a  b");
}

#[test]
fn plain_text_is_unchanged() {
    let samples = [
        "Printer on 3rd floor is offline (ticket #4411)",
        "打印机无法连接 — プリンターが接続できません",
        "Family: 👨\u{200d}👩\u{200d}👧 and 🏳\u{fe0f}\u{200d}🌈",
        "Café, naïve, Ærøskøbing, Ελληνικά, עברית, العربية",
        "می\u{200c}خواهم",
        "",
    ];
    for s in samples {
        assert_eq!(scrub_line(s), s);
        assert_eq!(scrub_block(s), s);
    }
    let block = "Hello,\n\n  indented line\nlast";
    assert_eq!(scrub_block(block), block);
}

#[test]
fn idempotent_on_tricky_inputs() {
    let samples = [
        "\r\n\r\n  a \t\tb\r\r\n",
        "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\",
        "\x1b\x1b[[\x1b]]\x07\\\\",
        "a\u{9b}\u{9b}\u{9c}b",
        "\n\n\n\n\nx\n\n\n\n",
        " \u{2028} \u{2029} ",
        "tab\tbetween\u{202e}\tx",
        "\x1b[",
        "\u{a0}\u{3000}x\u{3000}",
    ];
    for s in samples {
        let line = scrub_line(s);
        assert_eq!(scrub_line(&line), line, "line {s:?}");
        let block = scrub_block(s);
        assert_eq!(scrub_block(&block), block, "block {s:?}");
    }
}

/// Tiny deterministic xorshift64 so the property loop needs no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALPHABET: &[char] = &[
    '\x1b',
    '\x1b',
    '[',
    ']',
    '\x07',
    '\\',
    '\u{9b}',
    '\u{9c}',
    '\u{9d}',
    '\u{202e}',
    '\u{200b}',
    '\u{200d}',
    '\u{e0041}',
    '\u{3164}',
    '\u{fe0f}',
    '\u{200c}',
    '\u{2800}',
    '\u{0600}',
    '\u{094d}',
    '\u{fdd0}',
    '😀',
    'a',
    'b',
    'P',
    'c',
    '0',
    ';',
    '2',
    'J',
    ' ',
    '\n',
    '\r',
    '\t',
    '\u{2028}',
    '\x00',
    '\x7f',
    'é',
    '字',
];

#[test]
fn property_no_controls_and_idempotent() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..4000 {
        let len = rng.below(40);
        let s: String = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        let line = scrub_line(&s);
        let block = scrub_block(&s);
        for c in line.chars() {
            assert!(!c.is_control(), "control {c:?} in line of {s:?}");
            assert!(
                !crate::text::is_hidden(c),
                "invisible {c:?} in line of {s:?}"
            );
            assert!(c != '\u{2028}' && c != '\u{2029}', "separator in {s:?}");
        }
        for c in block.chars() {
            assert!(c == '\n' || !c.is_control(), "control {c:?} in {s:?}");
            assert!(
                c == '\n' || !crate::text::is_hidden(c),
                "invisible {c:?} in block of {s:?}"
            );
        }
        assert_eq!(scrub_line(&line), line, "line not idempotent: {s:?}");
        assert_eq!(scrub_block(&block), block, "block not idempotent: {s:?}");
        assert_eq!(line, line.trim(), "line not trimmed: {s:?}");
    }
}
