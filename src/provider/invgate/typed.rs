//! What the agent typed, as the HTML InvGate's text fields take: every field that ends up in a
//! request's thread (a comment, a cancellation's reason, a word on a solution) is HTML there, so
//! plain text goes in escaped, with its lines and indentation kept. Writes send it; reconciliation
//! compares what the server shows with it.

/// What the agent typed, as HTML that shows exactly that text: `& < > "` escaped, paragraphs
/// (blank lines) as `<p>`, single line breaks as `<br>`, and runs of spaces (indentation,
/// aligned columns) kept with `&nbsp;`. The server never reads markup in it.
pub fn typed_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 16);
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push_str("<p>");
        for (i, line) in paragraph.trim_matches('\n').split('\n').enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            escape_line(line.trim_end(), &mut out);
        }
        out.push_str("</p>");
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    // A space is kept as typed only where HTML would collapse it: at the start of a line or
    // after another space.
    let mut after_space = true;
    for c in line.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            ' ' if after_space => out.push_str("&nbsp;"),
            '\t' => out.push_str("&nbsp;&nbsp;&nbsp;&nbsp;"),
            c => out.push(c),
        }
        after_space = matches!(c, ' ' | '\t');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::SafeText;

    #[test]
    fn typed_text_is_escaped_and_keeps_its_lines() {
        assert_eq!(
            typed_html("if a < b && c > d say \"hi\""),
            "<p>if a &lt; b &amp;&amp; c &gt; d say &quot;hi&quot;</p>"
        );
        assert_eq!(
            typed_html("Hello,\r\nline two\n\n\nNew paragraph\n"),
            "<p>Hello,<br>line two</p><p>New paragraph</p>"
        );
        assert_eq!(
            typed_html("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        );
        // Markup-looking entities stay text: `&amp;lt;` shows as `&lt;`.
        assert_eq!(typed_html("&lt;b&gt;"), "<p>&amp;lt;b&amp;gt;</p>");
        assert_eq!(typed_html("  a  b"), "<p>&nbsp;&nbsp;a &nbsp;b</p>");
        assert_eq!(typed_html("\n \n"), "");
    }

    #[test]
    fn typed_html_reads_back_as_what_was_typed() {
        for typed in [
            "Restarted the spooler & cleared <queue> \"A\"",
            "Line one\nLine two\n\nSecond paragraph",
            "Use 'x' & <y>",
        ] {
            let back = SafeText::from_html(&typed_html(typed));
            let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(back.as_str()), collapse(typed), "{typed}");
        }
    }
}
