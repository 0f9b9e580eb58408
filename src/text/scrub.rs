//! Scrubbing of untrusted text before it can reach the terminal: removes whole ECMA-48 escape
//! sequences (7-bit and 8-bit C1 forms), remaining C0/C1 controls, bidi and zero-width format
//! characters, and normalises line breaks, tabs and blank lines. Owns `scrub_line` and
//! `scrub_block`; both are idempotent and leave plain text untouched.
//!
//! Removing only the control byte (as ratatui 0.30 does) leaves the printable tail on screen,
//! e.g. `A\x1b]0;PWNED\x07B` shows `A]0;PWNEDB` and an OSC 8 link shows the attacker URL, so the
//! first pass is a small state machine modelled on the DEC/ECMA-48 parser that consumes the
//! sequence as a terminal would.

/// Tabs expand to the next multiple of this many columns (columns counted in chars).
const TAB_STOP: usize = 4;

/// Where the escape-sequence parser is. Everything outside `Ground` is swallowed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Ground,
    /// After ESC.
    Escape,
    /// After ESC and one or more intermediates (0x20–0x2F), e.g. `ESC ( B`.
    EscapeIntermediate,
    /// Control sequence: parameters and intermediates until a final byte 0x40–0x7E.
    Csi,
    /// Operating system command: ends at BEL, ST (`ESC \` or U+009C) or any new ESC.
    Osc,
    /// DCS, SOS, PM, APC strings: end at ST (or any new ESC). BEL does not end them.
    Str,
}

/// Single-line (title) or multi-line (body) output, or `Raw`: escape sequences removed and
/// every other char kept, for HTML source before parsing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Line,
    Block,
    Raw,
}

/// A single-line value: escape sequences and invisible controls removed, every line break
/// (`\n`, `\r\n`, lone `\r`, U+2028, U+2029) turned into one space, tabs expanded, and the
/// result trimmed. Inner runs of whitespace are kept as they are.
pub fn scrub_line(raw: &str) -> String {
    scrub(raw, Mode::Line).trim().to_string()
}

/// A multi-line value: as [`scrub_line`] but line breaks are kept as `\n`, trailing whitespace
/// is trimmed on every line and runs of more than two blank lines are collapsed to two
/// (HTML conversion produces many).
pub fn scrub_block(raw: &str) -> String {
    let filtered = scrub(raw, Mode::Block);
    let mut out = String::with_capacity(filtered.len());
    let mut blank_run = 0usize;
    for (i, line) in filtered.split('\n').enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 2 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// Only the first pass: whole escape sequences removed, everything else kept as it is. Used on
/// HTML source, because html2text drops a bare ESC but keeps the printable tail after it.
pub(super) fn remove_sequences(raw: &str) -> String {
    scrub(raw, Mode::Raw)
}

/// Both passes in one walk: the parser drops sequences, the filter sees only ground chars.
fn scrub(raw: &str, mode: Mode) -> String {
    let mut filter = Filter {
        out: String::with_capacity(raw.len()),
        mode,
        column: 0,
        after_cr: false,
        previous: None,
        joiner: None,
    };
    let mut state = State::Ground;
    for c in raw.chars() {
        state = step(state, c, &mut filter);
    }
    filter.out
}

/// Advances the parser by one char; chars that belong to no sequence go to the filter.
fn step(state: State, c: char, filter: &mut Filter) -> State {
    // "Anywhere" transitions of the DEC parser: ESC restarts, CAN/SUB abort, and the 8-bit C1
    // introducers start a sequence even in the middle of another one.
    match c {
        '\u{1b}' => return State::Escape,
        '\u{18}' | '\u{1a}' => return State::Ground,
        '\u{9b}' => return State::Csi,
        '\u{9d}' => return State::Osc,
        '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => return State::Str,
        '\u{9c}' => return State::Ground,
        _ => {}
    }
    match state {
        State::Ground => {
            filter.push(c);
            State::Ground
        }
        State::Escape => match c {
            '[' => State::Csi,
            ']' => State::Osc,
            'P' | 'X' | '^' | '_' => State::Str,
            '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
            // Two-char sequence (`ESC c`, `ESC 7`, `ESC \` as a stray ST, ...): done.
            '\u{30}'..='\u{7e}' => State::Ground,
            // Not a sequence after all: drop the ESC, keep the char as text.
            _ => step(State::Ground, c, filter),
        },
        State::EscapeIntermediate => match c {
            '\u{20}'..='\u{2f}' => State::EscapeIntermediate,
            '\u{30}'..='\u{7e}' => State::Ground,
            _ => step(State::Ground, c, filter),
        },
        State::Csi => match c {
            '\u{40}'..='\u{7e}' => State::Ground,
            '\u{20}'..='\u{3f}' => State::Csi,
            // Terminals execute C0 inside a CSI and carry on; we drop it and carry on.
            c if c.is_control() => State::Csi,
            // Anything else cannot be part of a CSI: abandon it so one stray `ESC [` in
            // front of normal text cannot eat that text.
            _ => step(State::Ground, c, filter),
        },
        State::Osc => match c {
            '\u{07}' => State::Ground,
            _ => State::Osc,
        },
        State::Str => State::Str,
    }
}

/// Second pass over chars that are not part of any escape sequence.
struct Filter {
    out: String,
    mode: Mode,
    /// Chars since the last line break, for tab stops.
    column: usize,
    /// The previous char was `\r`, so a following `\n` is the same line break.
    after_cr: bool,
    /// The last char kept, which decides whether a joiner or variation selector belongs.
    previous: Option<char>,
    /// A ZWJ / ZWNJ that followed a char it may join, held until the next char shows whether
    /// it joins onto something too: a joiner at the end of a word or a line is dropped, since
    /// terminals glue it to whatever the next cell holds (a space, a border) and shift the row.
    joiner: Option<char>,
}

impl Filter {
    fn push(&mut self, c: char) {
        if self.mode == Mode::Raw {
            self.out.push(c);
            return;
        }
        let after_cr = std::mem::replace(&mut self.after_cr, false);
        match c {
            '\n' if after_cr => {}
            '\r' => {
                self.after_cr = true;
                self.line_break();
            }
            '\n' | '\u{2028}' | '\u{2029}' => self.line_break(),
            '\t' => {
                self.joiner = None;
                let spaces = TAB_STOP - self.column % TAB_STOP;
                self.out.extend(std::iter::repeat_n(' ', spaces));
                self.column += spaces;
                self.previous = Some(' ');
            }
            c if c.is_control() => {}
            c if c.is_ascii() => self.keep(c),
            // Blank braille cells draw as blank: a space keeps braille art in line and lets a
            // name made only of them be seen as empty.
            '\u{2800}' => self.keep(' '),
            '\u{200c}' | '\u{200d}' => {
                if self.previous.is_some_and(joins_after) {
                    self.joiner = Some(c);
                }
            }
            c if is_invisible(c, self.previous) => {}
            c => self.keep(c),
        }
    }

    fn keep(&mut self, c: char) {
        if let Some(joiner) = self.joiner.take()
            && joins_onto(c)
        {
            self.out.push(joiner);
        }
        self.out.push(c);
        self.column += 1;
        self.previous = Some(c);
    }

    fn line_break(&mut self) {
        self.previous = None;
        self.joiner = None;
        match self.mode {
            Mode::Block => {
                self.out.push('\n');
                self.column = 0;
            }
            Mode::Line | Mode::Raw => {
                self.out.push(' ');
                self.column += 1;
            }
        }
    }
}

fn emoji(c: char) -> bool {
    use icu_properties::CodePointSetData;
    use icu_properties::props::{Emoji, ExtendedPictographic};
    !c.is_ascii()
        && (CodePointSetData::new::<Emoji>().contains(c)
            || CodePointSetData::new::<ExtendedPictographic>().contains(c))
}

/// A letter or mark of a script whose spelling uses ZWJ / ZWNJ: Arabic and the scripts
/// written like it, and the Brahmic scripts of South and South-East Asia (conjuncts, half
/// forms). Latin, Greek, Cyrillic, Han and the rest never need one.
fn joining_letter(c: char) -> bool {
    use icu_properties::props::{Alphabetic, GeneralCategory, GeneralCategoryGroup, Script};
    use icu_properties::{CodePointMapData, CodePointSetData};
    const JOINING: [Script; 17] = [
        Script::Arabic,
        Script::Syriac,
        Script::Nko,
        Script::Mongolian,
        Script::Devanagari,
        Script::Bengali,
        Script::Gurmukhi,
        Script::Gujarati,
        Script::Oriya,
        Script::Tamil,
        Script::Telugu,
        Script::Kannada,
        Script::Malayalam,
        Script::Sinhala,
        Script::Myanmar,
        Script::Khmer,
        Script::Tibetan,
    ];
    !c.is_ascii()
        && JOINING.contains(&CodePointMapData::<Script>::new().get(c))
        && (CodePointSetData::new::<Alphabetic>().contains(c)
            || GeneralCategoryGroup::Mark
                .contains(CodePointMapData::<GeneralCategory>::new().get(c)))
}

/// Whether a ZWJ / ZWNJ after `previous` may belong: after an emoji, a variation selector
/// (👁️‍🗨️ is eye, VS16, ZWJ, speech bubble) or a joining letter.
fn joins_after(previous: char) -> bool {
    use icu_properties::CodePointSetData;
    use icu_properties::props::VariationSelector;
    emoji(previous)
        || CodePointSetData::new::<VariationSelector>().contains(previous)
        || joining_letter(previous)
}

/// Whether a held joiner belongs before `next`: an emoji or a joining letter.
fn joins_onto(next: char) -> bool {
    emoji(next) || joining_letter(next)
}

/// Characters that draw nothing but can reorder, hide or pad text, by their Unicode properties
/// rather than a list: every Default_Ignorable_Code_Point (zero-width spaces and joiners, bidi
/// controls, Hangul fillers, the combining grapheme joiner, Khmer and Mongolian vowel
/// separators, variation selectors, tag characters), every format character (General_Category
/// Cf: Arabic number signs, Egyptian hieroglyph format controls, interlinear annotations) and
/// every noncharacter. Two exceptions keep text intact: a variation selector right after an
/// emoji (☺️ asks for the emoji form), and ZWJ / ZWNJ between emoji or letters of scripts
/// that need them (emoji sequences, Persian, Indic), decided in [`Filter::push`].
fn is_invisible(c: char, previous: Option<char>) -> bool {
    use icu_properties::props::{
        DefaultIgnorableCodePoint, Emoji, ExtendedPictographic, GeneralCategory,
        NoncharacterCodePoint, VariationSelector,
    };
    use icu_properties::{CodePointMapData, CodePointSetData};
    let emoji = |p: char| {
        CodePointSetData::new::<Emoji>().contains(p)
            || CodePointSetData::new::<ExtendedPictographic>().contains(p)
    };
    if CodePointSetData::new::<VariationSelector>().contains(c) {
        return !previous.is_some_and(emoji);
    }
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
        || CodePointSetData::new::<NoncharacterCodePoint>().contains(c)
}

#[cfg(test)]
mod tests {
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

    /// ZWJ and ZWNJ stay after a letter and variation selectors after an emoji (by design), so
    /// they are judged in context.
    fn joiner(c: char) -> bool {
        matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe00}'..='\u{fe0f}')
    }

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
                    joiner(c) || !is_invisible(c, None),
                    "invisible {c:?} in line of {s:?}"
                );
                assert!(c != '\u{2028}' && c != '\u{2029}', "separator in {s:?}");
            }
            for c in block.chars() {
                assert!(c == '\n' || !c.is_control(), "control {c:?} in {s:?}");
                assert!(
                    joiner(c) || !is_invisible(c, None),
                    "invisible {c:?} in block of {s:?}"
                );
            }
            assert_eq!(scrub_line(&line), line, "line not idempotent: {s:?}");
            assert_eq!(scrub_block(&block), block, "block not idempotent: {s:?}");
            assert_eq!(line, line.trim(), "line not trimmed: {s:?}");
        }
    }
}
