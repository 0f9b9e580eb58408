//! What a terminal received, checked for anything that did not come from drawing: for the
//! tests that put hostile vendor text through the real panes and terminal backend.
#![allow(dead_code)]

/// What in `bytes` did not come from drawing: bytes that are not UTF-8, an escape that does
/// not start a CSI sequence (ESC [ parameters final-byte), a control character, a character
/// the text boundary removes, or a joiner (ZWJ, ZWNJ) next to ASCII, which joins nothing and
/// makes terminals shift the rest of the row.
pub fn foreign(bytes: &[u8]) -> Option<String> {
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => text,
        Err(e) => {
            return Some(format!(
                "not UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            ));
        }
    };
    let mut chars = text.char_indices().peekable();
    let mut previous = ' ';
    while let Some((at, c)) = chars.next() {
        if c == '\x1b' {
            if chars.next().map(|(_, c)| c) != Some('[') {
                return Some(format!(
                    "ESC not starting CSI at {at}: {:?}",
                    &text[at..(at + 12).min(text.len())]
                ));
            }
            loop {
                match chars.next().map(|(_, c)| c) {
                    Some('0'..='9' | ';' | ':' | '?') => {}
                    Some('@'..='~') => break,
                    other => return Some(format!("bad CSI at {at}: {other:?}")),
                }
            }
            previous = 'm';
            continue;
        }
        let removed = c.is_control()
            || matches!(c as u32, 0x202a..=0x202e | 0x2066..=0x2069 | 0x200b | 0x200e | 0x200f | 0x2060..=0x2064 | 0xad | 0xfeff | 0x3164 | 0xffa0 | 0x1160 | 0x115f | 0x34f | 0x17b4 | 0x17b5 | 0x180e | 0x600..=0x605 | 0x13430..=0x1343f | 0xe0000..=0xe007f | 0xfdd0..=0xfdef | 0xfffe | 0xffff | 0x1fffe | 0x1ffff | 0x2028 | 0x2029);
        if removed {
            return Some(format!("{c:?} at {at}"));
        }
        if matches!(c, '\u{200c}' | '\u{200d}') {
            let next = chars.peek().map_or(' ', |(_, n)| *n);
            if previous.is_ascii() || next.is_ascii() {
                return Some(format!("a joiner that joins nothing at {at}"));
            }
        }
        previous = c;
    }
    None
}

/// `text` without ttydesk's own OSC 8 links (kept: the text between them); a link whose
/// address `is_ours` refuses fails the test.
pub fn strip_links(text: &str, is_ours: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b]8;;") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 5..];
        let Some(end) = after.find("\x1b\\") else {
            return format!("{out}{}", &rest[at..]);
        };
        let url = &after[..end];
        assert!(
            url.is_empty() || is_ours(url),
            "a link that is not ours: {url:?}"
        );
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}
