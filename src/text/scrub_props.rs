//! Properties of the text boundary, over generated strings (proptest shrinks a failure to the
//! smallest string that shows it): no control, bidi, invisible, format or noncharacter survives
//! (joiners and variation selectors only where they belong to the text around them); cleaning
//! twice is cleaning once; plain text passes unchanged.

use proptest::prelude::*;

use super::scrub::{scrub_block, scrub_line};
use super::{is_hidden as hidden, leak};

/// Pieces hostile text is made of, mixed with ordinary text of several scripts.
const PIECES: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}]0;t\u{7}",
    "\u{1b}]52;c;ZXZpbA==\u{1b}\\",
    "\u{1b}]8;;http://x\u{1b}\\",
    "\u{1b}P+q\u{1b}\\",
    "\u{1b}_a\u{1b}\\",
    "\u{1b}^p\u{1b}\\",
    "\u{1b}X",
    "\u{1b}c",
    "\u{1b}",
    "\u{9b}31m",
    "\u{9d}0;x\u{9c}",
    "\u{85}",
    "\u{7}",
    "\u{8}",
    "\u{0}",
    "\u{7f}",
    "\r",
    "\n",
    "\t",
    "\u{202e}",
    "\u{2067}",
    "\u{200f}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{2060}",
    "\u{3164}",
    "\u{ffa0}",
    "\u{115f}",
    "\u{2800}",
    "\u{34f}",
    "\u{17b4}",
    "\u{180e}",
    "\u{600}",
    "\u{13430}",
    "\u{fe0f}",
    "\u{e0041}",
    "\u{fdd0}",
    "\u{ffff}",
    "\u{2028}",
    "\u{ad}",
    "\u{feff}",
    "Printer",
    " ",
    "Zoë",
    "打印机",
    "مرحبا",
    "क्ष",
    "👩\u{200d}💻",
    "☺",
    "1",
    ";",
    "[",
    "]",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|p| p.concat())
}

fn anything() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..48).prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn nothing_hidden_survives(s in prop_oneof![hostile(), anything()]) {
        let line = scrub_line(&s);
        let block = scrub_block(&s);
        prop_assert_eq!(leak(&line), None, "in the line of {:?}", s);
        prop_assert!(!line.contains('\n'), "a line break in the line of {:?}", s);
        prop_assert_eq!(leak(&block), None, "in the block of {:?}", s);
        let esc = '\x1b';
        prop_assert!(!line.contains(esc) && !block.contains(esc), "ESC left in {:?}", s);
    }

    #[test]
    fn cleaning_twice_is_cleaning_once(s in prop_oneof![hostile(), anything()]) {
        let line = scrub_line(&s);
        prop_assert_eq!(scrub_line(&line), line.clone());
        let block = scrub_block(&s);
        prop_assert_eq!(scrub_block(&block), block.clone());
    }

    #[test]
    fn plain_text_is_unchanged(s in "[A-Za-z0-9 .,:;!?()@#%&*+=/'\"_-]{0,80}", t in "[a-zA-Zäöüéèàçñßøå ]{0,40}") {
        // A one-line value drops the blanks around it; nothing else of plain text changes.
        let (s, t) = (s.trim().to_string(), t.trim().to_string());
        prop_assert_eq!(scrub_line(&s), s.clone());
        prop_assert_eq!(scrub_line(&t), t.clone());
        let lines = format!("{s}\n{t}");
        prop_assert_eq!(scrub_block(&lines), lines.clone());
    }

    #[test]
    fn text_of_other_scripts_is_unchanged(s in "[\\p{Han}\\p{Cyrillic}\\p{Greek}\\p{Arabic}\\p{Devanagari} ]{0,30}") {
        // Letters of any script are text: only what the properties name is taken out.
        let kept: String = s.chars().filter(|c| !hidden(*c)).collect();
        prop_assert_eq!(scrub_line(&s), kept.trim());
    }
}
