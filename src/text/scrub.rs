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

/// Emoji or Extended_Pictographic, ASCII included: the digits, `#` and `*` are Emoji because
/// they start keycaps (1️⃣ is `1`, VS16, U+20E3), so a variation selector after them stays.
fn pictographic(c: char) -> bool {
    use icu_properties::CodePointSetData;
    use icu_properties::props::{Emoji, ExtendedPictographic};
    CodePointSetData::new::<Emoji>().contains(c)
        || CodePointSetData::new::<ExtendedPictographic>().contains(c)
}

/// An emoji a joiner may join: [`pictographic`] without ASCII, since no ZWJ sequence uses a
/// digit and a joiner after one would only glue two cells together.
fn emoji(c: char) -> bool {
    !c.is_ascii() && pictographic(c)
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
/// every noncharacter. Two exceptions keep text intact: a presentation selector (VS15 /
/// VS16) right after an emoji (☺️ asks for the emoji form), and ZWJ / ZWNJ between emoji or
/// letters of scripts that need them (emoji sequences, Persian, Indic), decided in
/// [`Filter::push`].
fn is_invisible(c: char, previous: Option<char>) -> bool {
    use icu_properties::props::{
        DefaultIgnorableCodePoint, GeneralCategory, NoncharacterCodePoint, VariationSelector,
    };
    use icu_properties::{CodePointMapData, CodePointSetData};
    if CodePointSetData::new::<VariationSelector>().contains(c) {
        // Only the text and emoji presentation selectors mean anything after an emoji; the
        // others (U+FE00–FE0D, the ideographic supplement U+E0100…) would draw nothing there.
        return !(matches!(c, '\u{fe0e}' | '\u{fe0f}') && previous.is_some_and(pictographic));
    }
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
        || CodePointSetData::new::<NoncharacterCodePoint>().contains(c)
}

#[cfg(test)]
#[path = "scrub_tests.rs"]
mod tests;
