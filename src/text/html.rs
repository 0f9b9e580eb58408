//! HTML to plain text (placeholder until the full version).

pub fn html_to_text(raw: &str) -> String {
    html2text::from_read(raw.as_bytes(), 120).unwrap_or_else(|_| raw.to_string())
}
