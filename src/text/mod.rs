//! The one boundary between untrusted vendor text and the terminal. Every string a vendor sends
//! (titles, names, bodies, comments, error bodies) becomes a [`SafeText`] here, once, when it is
//! decoded into the domain. Nothing else may build a `SafeText` from untrusted input.

mod html;
mod markup;
mod scrub;
#[cfg(test)]
mod scrub_props;

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, NoncharacterCodePoint};
use icu_properties::{CodePointMapData, CodePointSetData};

pub use html::html_to_text;
pub use scrub::{scrub_block, scrub_line};

/// True when `raw` carries something the boundary removes because it could act on the
/// terminal or hide text: escape sequences, C1 controls, BEL, bidi embeddings, overrides and
/// isolates, tag characters. Plain formatting leftovers (soft hyphens, a BOM, zero-width spaces
/// from copy and paste) do not count. The agent is told when this is true: hostile content
/// should be noticed, not silently cleaned.
pub fn has_hidden_controls(raw: &str) -> bool {
    raw.chars().any(is_hostile)
}

/// [`has_hidden_controls`] for an HTML body, whose numeric references (`&#27;`, `&#x202E`)
/// become the characters they name.
pub fn html_has_hidden_controls(raw: &str) -> bool {
    has_hidden_controls(raw)
        || raw
            .match_indices("&#")
            .any(|(at, _)| html::numeric_reference(&raw[at..]).is_some_and(|(c, _)| is_hostile(c)))
}

/// What the boundary never lets through: controls (line breaks aside, judged by [`leak`]),
/// default-ignorable, format and noncharacter code points. Joiners (ZWJ, ZWNJ) and the
/// presentation selectors (VS15, VS16) are not counted: the boundary keeps them where they
/// belong to the text around them. Every other variation selector is hidden.
pub fn is_hidden(c: char) -> bool {
    if matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe0e}' | '\u{fe0f}') {
        return false;
    }
    c.is_control()
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
        || CodePointSetData::new::<NoncharacterCodePoint>().contains(c)
}

/// What in `text` should never have passed the boundary, in words, or `None` when it is clean:
/// a hidden character ([`is_hidden`]; a line break is allowed, as in a block), or a joiner with
/// plain ASCII or nothing on one side (it joins nothing, and terminals glue it to the next
/// cell). The property tests and the fuzz targets check what the boundary produced with it.
pub fn leak(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let joiner = matches!(c, '\u{200c}' | '\u{200d}');
        let dangling = joiner
            && (i == 0 || chars[i - 1].is_ascii() || chars.get(i + 1).is_none_or(char::is_ascii));
        if c != '\n' && is_hidden(c) {
            Some(format!("{c:?} at character {i}"))
        } else if dangling {
            Some(format!(
                "a joiner that joins nothing ({c:?}) at character {i}"
            ))
        } else {
            None
        }
    })
}

fn is_hostile(c: char) -> bool {
    matches!(c, '\u{1b}' | '\u{7}' | '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' | '\u{e0000}'..='\u{e007f}')
}

/// Text that is safe to draw: no escape sequences, no C0/C1 controls, no bidi overrides, no
/// zero-width characters. Single-line values hold no line breaks either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafeText(String);

/// The longest single-line value kept, in characters: a title or a name past it is cut, and
/// ends with "…". Nobody reads a 20 MB title; every screen and the store would carry it.
pub const LINE_LIMIT: usize = 500;

impl SafeText {
    /// A single-line value (title, name, status): scrubbed, line breaks turned into spaces,
    /// cut at [`LINE_LIMIT`] characters.
    pub fn line(raw: &str) -> Self {
        let clean = scrub_line(raw);
        match clean.char_indices().nth(LINE_LIMIT) {
            None => SafeText(clean),
            Some(_) => {
                let mut cut: String = clean.chars().take(LINE_LIMIT - 1).collect();
                // A joiner the cut parted from what it joined would glue "…" to the emoji.
                while cut.ends_with(['\u{200c}', '\u{200d}']) {
                    cut.pop();
                }
                cut.push('…');
                SafeText(cut)
            }
        }
    }

    /// A multi-line plain-text value: scrubbed, line breaks kept, tabs expanded.
    pub fn block(raw: &str) -> Self {
        SafeText(scrub_block(raw))
    }

    /// An HTML body: converted to plain text, then scrubbed as a block. The blank lines a
    /// closing paragraph leaves at the end are dropped.
    pub fn from_html(raw: &str) -> Self {
        SafeText(scrub_block(html_to_text(raw).trim_end()))
    }

    /// Text written by this program (labels, messages). Never pass vendor data here.
    pub fn ours(text: impl Into<String>) -> Self {
        SafeText(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for SafeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stored as the plain string it holds.
impl serde::Serialize for SafeText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Text read back (from the store) is scrubbed again: whatever wrote the file, nothing unsafe
/// comes out of it. Scrubbing is idempotent, so clean text is unchanged.
impl<'de> serde::Deserialize<'de> for SafeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(SafeText::block(&raw))
    }
}

impl AsRef<str> for SafeText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_at_the_limit_and_cutting_again_changes_nothing() {
        let long = "é".repeat(20_000);
        let once = SafeText::line(&long);
        assert_eq!(once.as_str().chars().count(), LINE_LIMIT);
        assert!(once.as_str().ends_with('…'));
        assert_eq!(SafeText::line(once.as_str()), once);
        let exact = "x".repeat(LINE_LIMIT);
        assert_eq!(
            SafeText::line(&exact).as_str(),
            exact,
            "at the limit: kept whole"
        );
    }

    #[test]
    fn a_cut_never_leaves_a_joiner_before_the_ellipsis() {
        let mut long = "x".repeat(LINE_LIMIT - 2);
        long.push_str("👩\u{200d}💻 and more");
        let cut = SafeText::line(&long);
        assert!(cut.as_str().ends_with("👩…"), "{:?}", &cut.as_str()[490..]);
        assert_eq!(leak(cut.as_str()), None);
    }

    #[test]
    fn hidden_controls_are_detected_raw_and_as_html_references() {
        assert!(has_hidden_controls("Printer \u{1b}]0;PWNED\u{7} jam"));
        assert!(html_has_hidden_controls("<a href=\"x&#27;]8;;\">y</a>"));
        assert!(html_has_hidden_controls(
            "pay &#x0202E;fdp.exe and &#027 ]0;x &#7"
        ));
        assert!(html_has_hidden_controls("isolate &#8294;x"));
        assert!(
            !html_has_hidden_controls("Ďakujem &#270;, Vi&#x1b0;t, &#2700;"),
            "letters"
        );
        assert!(!has_hidden_controls(
            "a title with &#27; is shown as text, harmless"
        ));
        assert!(has_hidden_controls("invoice\u{202e}fdp.exe"));
        assert!(has_hidden_controls("8-bit CSI \u{9b}2J"));
        assert!(!has_hidden_controls(
            "<p>Caf\u{e9} &amp; cr\u{e8}me, soft\u{ad}hyphen</p>"
        ));
        assert!(!has_hidden_controls(
            "emoji 👩\u{200d}💻 and Persian \u{200c}"
        ));
    }
}
