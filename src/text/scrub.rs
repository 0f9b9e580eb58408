//! Scrubbing of escape sequences and invisible characters (placeholder until the full version).

pub fn scrub_line(raw: &str) -> String {
    raw.chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

pub fn scrub_block(raw: &str) -> String {
    raw.chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}
