//! The one boundary between untrusted vendor text and the terminal. Every string a vendor sends
//! (titles, names, bodies, comments, error bodies) becomes a [`SafeText`] here, once, when it is
//! decoded into the domain. Nothing else may build a `SafeText` from untrusted input.

mod html;
mod markup;
mod scrub;

pub use html::html_to_text;
pub use scrub::{scrub_block, scrub_line};

/// Text that is safe to draw: no escape sequences, no C0/C1 controls, no bidi overrides, no
/// zero-width characters. Single-line values hold no line breaks either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SafeText(String);

impl SafeText {
    /// A single-line value (title, name, status): scrubbed, line breaks turned into spaces.
    pub fn line(raw: &str) -> Self {
        SafeText(scrub_line(raw))
    }

    /// A multi-line plain-text value: scrubbed, line breaks kept, tabs expanded.
    pub fn block(raw: &str) -> Self {
        SafeText(scrub_block(raw))
    }

    /// An HTML body: converted to plain text, then scrubbed as a block.
    pub fn from_html(raw: &str) -> Self {
        SafeText(scrub_block(&html_to_text(raw)))
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

impl AsRef<str> for SafeText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
