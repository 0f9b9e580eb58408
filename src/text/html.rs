//! HTML ticket bodies to plain text. Owns `html_to_text`: size cap, nesting-depth guard, the
//! html2text call (isolated with `catch_unwind`), and a linear tag-stripper used as the
//! fallback when html2text is unsafe to call or fails.
//!
//! html2text has a history of panics and hangs on hostile HTML, and html5ever is quadratic in
//! nesting depth (512 KB of `<ul><li>` takes ~94 s), so hostile input never reaches it.
//! Escape sequences in the source (raw, or as `&#27;` references) are removed before parsing,
//! because html2text drops the bare ESC and would leave the printable tail (`]0;PWN`). The
//! output is not otherwise scrubbed here: `SafeText::from_html` runs `scrub_block` on it, which
//! matters because html2text copies `href` values verbatim into link footnotes.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::markup::{max_depth_exceeds, strip_tags};
use super::scrub::remove_sequences;

/// Larger bodies are cut; no real ticket comment is this long.
const MAX_INPUT_BYTES: usize = 512 * 1024;
/// Deeper element nesting goes to the fallback (browsers cap at 512).
const MAX_DEPTH: usize = 400;
/// html2text output above this goes to the fallback: a wide table of tiny cells renders each
/// cell as a full-width block, ten times the input size.
const MAX_OUTPUT_BYTES: usize = 2 * 1024 * 1024;
/// Render width. Wide enough for most bodies; the pane re-wraps when drawing.
const WIDTH: usize = 100;

/// Converts an HTML body to plain text with link footnotes, so the real target of every link
/// is visible. Never panics; the result still needs `scrub_block`.
pub fn html_to_text(raw: &str) -> String {
    let (body, cut_bytes) = cap(raw);
    let body = &remove_sequences(&decode_control_references(body));
    let mut text = if !body.contains('<') && !body.contains('&') {
        body.to_string()
    } else if max_depth_exceeds(body, MAX_DEPTH) {
        strip_tags(body)
    } else {
        render(body).unwrap_or_else(|| strip_tags(body))
    };
    if cut_bytes > 0 {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let kib = cut_bytes.div_ceil(1024);
        text.push_str(&format!("[… body truncated: {kib} KiB not shown]"));
    }
    text
}

/// The first `MAX_INPUT_BYTES` (on a char boundary) and how many bytes were cut.
fn cap(raw: &str) -> (&str, usize) {
    if raw.len() <= MAX_INPUT_BYTES {
        return (raw, 0);
    }
    let mut end = MAX_INPUT_BYTES;
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    (&raw[..end], raw.len() - end)
}

/// Turns numeric references to C0 controls and DEL (`&#27;`, `&#x1B`; as in HTML the `;` is
/// optional) into the chars themselves, so `remove_sequences` sees the whole sequence. C1
/// references are left alone: HTML maps `&#x9b;` to `›` (windows-1252), not to a control.
fn decode_control_references(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(p) = rest.find("&#") {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let (c, used) = control_reference(rest).unwrap_or(('&', 1));
        out.push(c);
        rest = &rest[used..];
    }
    out.push_str(rest);
    out
}

/// The control char named by the numeric reference at the start of `s`, and its length.
fn control_reference(s: &str) -> Option<(char, usize)> {
    numeric_reference(s)
        .filter(|(c, _)| c.is_ascii_control() && !matches!(c, '\0' | '\t' | '\n' | '\r'))
}

/// The char named by the numeric reference (`&#27;`, `&#x1B`, `;` optional, leading zeros
/// allowed) at the start of `s`, which begins with `&#`, and the reference's length.
pub(super) fn numeric_reference(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let (radix, start) = match b.get(2) {
        Some(b'x' | b'X') => (16, 3),
        _ => (10, 2),
    };
    let mut i = start;
    while b.get(i).is_some_and(|d| char::from(*d).is_digit(radix)) && i < start + 10 {
        i += 1;
    }
    let c = char::from_u32(u32::from_str_radix(s.get(start..i)?, radix).ok()?)?;
    Some((c, if b.get(i) == Some(&b';') { i + 1 } else { i }))
}

/// html2text at a fixed width, plain (no markdown-like decoration), with link footnotes.
/// `None` on error, panic, or output too large.
fn render(body: &str) -> Option<String> {
    // The closure only reads `body` and builds its own config, so no broken state can be
    // observed after an unwind.
    let result = catch_unwind(AssertUnwindSafe(|| {
        html2text::config::plain_no_decorate()
            .link_footnotes(true)
            .string_from_read(body.as_bytes(), WIDTH)
    }));
    match result {
        Ok(Ok(text)) if text.len() <= MAX_OUTPUT_BYTES => Some(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn paragraphs_become_separate_lines() {
        let out = html_to_text("<p>Hello</p>\r\n<p>World</p>");
        assert!(out.contains("Hello\n\nWorld"), "{out:?}");
    }

    #[test]
    fn lists_keep_bullets() {
        let out = html_to_text("<ul><li>one</li><li>two</li></ul>");
        assert!(out.contains("* one\n* two"), "{out:?}");
    }

    #[test]
    fn entities_are_decoded() {
        let out = html_to_text(
            "<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; f&nbsp;g &#65;&#x42;</p>",
        );
        assert!(out.contains("a & b <c> \"d\" 'e' f"), "{out:?}");
        assert!(out.contains("AB"), "{out:?}");
    }

    #[test]
    fn link_target_is_visible() {
        let out = html_to_text(
            r#"<p>Log in at <a href="http://evil.example/">http://bank.example/</a></p>"#,
        );
        assert!(out.contains("http://bank.example/"), "{out:?}");
        assert!(out.contains("http://evil.example/"), "{out:?}");
    }

    #[test]
    fn image_shows_alt_text_or_nothing() {
        let out = html_to_text(r#"<p>x <img src="a.png" alt="screenshot"> <img src="b.png"></p>"#);
        assert!(out.contains("screenshot"), "{out:?}");
        assert!(!out.contains("b.png"), "{out:?}");
    }

    #[test]
    fn deep_nesting_uses_the_fallback() {
        let html = format!("{}inner{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        let start = Instant::now();
        let out = html_to_text(&html);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(out, "inner");
    }

    #[test]
    fn depth_scan_is_not_fooled() {
        let deep = |unit: &str, n: usize| max_depth_exceeds(&unit.repeat(n), 400);
        assert!(!deep("<div></div>", 1000));
        assert!(!deep("<p>x<br/><li>y", 1000));
        assert!(deep("<ul><li>x", 201));
        assert!(deep("<table><tr><td>", 101));
        // Quoted `>` and `</div>` are attribute text; unmatched end tags close nothing;
        // comments and script content are not markup; `<div/>` is an open div.
        assert!(deep("<div a='>'</div>", 500));
        assert!(deep("<div title=\"</div>\"></span>", 500));
        assert!(deep("<div><!--</div>-->", 500));
        assert!(deep("<div><script></div></script>", 500));
        assert!(deep("<div><table></div>", 300));
        assert!(deep("<div/>", 500));
        assert!(deep("<br =\">\"<div>", 500));
        assert!(deep("<div x=a\"b></div \"><div>", 500));
        assert!(deep("<!--><div>-->", 500));
        assert!(deep("<!-- --!><div> -->", 500));
        assert!(deep("<div><script></scriptx></div></script>", 500));
        assert!(deep(
            "<div><script><!--<script></script></div></script>",
            500
        ));
        assert!(deep("<svg><g><![CDATA[></g>]]>", 500));
    }

    #[test]
    fn huge_input_is_truncated_with_marker() {
        let html = "<p>line of text</p>".repeat(1024 * 1024 / 18 + 1);
        let out = html_to_text(&html);
        let kib = (html.len() - MAX_INPUT_BYTES).div_ceil(1024);
        assert!(out.ends_with(&format!("[… body truncated: {kib} KiB not shown]")));
        assert!(out.starts_with("line of text"));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        // The cap falls inside a two-byte char, so the cut moves back by one byte.
        let out = html_to_text(&format!("a{}", "é".repeat(MAX_INPUT_BYTES / 2)));
        assert!(out.starts_with("aé"));
        assert!(out.ends_with("é\n[… body truncated: 1 KiB not shown]"));
    }

    #[test]
    fn empty_and_plain_text() {
        assert_eq!(html_to_text(""), "");
        let plain = "Printer offline.\nPlease help — 3rd floor.";
        assert_eq!(html_to_text(plain), plain);
    }

    #[test]
    fn escape_sequences_in_source_leave_no_tail() {
        let out = html_to_text("<p>A&#27;]0;PWN&#7;B &#x1B;[2JC \x1b]0;X\x07D &#x9b;</p>");
        assert!(out.starts_with("AB C D \u{203a}"), "{out:?}");
        assert_eq!(
            decode_control_references("&#27&#x1b;&#9;&#0;&#;"),
            "\x1b\x1b&#9;&#0;&#;"
        );
    }

    #[test]
    fn stripper_handles_typical_body() {
        let html = "<p>Hello<br />there</p>\r\n<ul><li>a</li><li>b &amp; c</li></ul>\
                    <script>alert('<p>x</p>')</script><style>p{}</style>\
                    <table><tr><td>k</td><td>v</td></tr></table><h1>T</h1>end &bogus; &#xZZ;";
        let want = "Hello\nthere\n\n* a\n* b & c\n\nk v\n\nT\n\nend &bogus; &#xZZ;";
        assert_eq!(strip_tags(html), want);
    }

    #[test]
    fn stripper_shows_link_targets_and_alt_text() {
        let links = r#"<a href="http://evil/?a=1&amp;b=2">http://bank/</a> <a href='http://x/'>http://x/</a>"#;
        assert_eq!(
            strip_tags(links),
            "http://bank/ <http://evil/?a=1&b=2> http://x/"
        );
        assert_eq!(
            strip_tags(r#"<IMG SRC=a.png ALT="shot"><img alt=''>"#),
            "[shot]"
        );
    }

    #[test]
    fn hostile_fragments_do_not_panic() {
        let fragments = "<|&|&#|&#x;|&#99999999;|<a href='|<a href=\"x\">|<!--|</|<?|<td colspan=99999>x|\
                         <table><tr><td rowspan=0>|&#27;]0;PWN&#7;|<div/><p/><br/>|<script>|<a b=\"";
        for s in fragments.split('|') {
            let _ = html_to_text(s);
            let _ = strip_tags(s);
        }
    }
}
