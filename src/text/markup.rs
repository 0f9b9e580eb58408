//! A small linear HTML reader for bodies html2text must not see: the nesting-depth pre-scan
//! (which reads tags the way the HTML tokenizer does, so quoting tricks cannot hide depth) and
//! the fallback tag stripper. Both are single passes over the input.

/// How many open elements an end tag is matched against in the depth scan.
const END_TAG_LOOKBACK: usize = 16;
/// Elements that never have content and so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose start tag implicitly closes an open one of the same kind (`<p><p>`,
/// `<li><li>`); real nesting of these needs a counted element (`ul`, `table`) in between.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "tbody", "thead", "tfoot", "colgroup", "caption", "html", "head", "body",
];
/// An end tag does not close anything across these (HTML "scope" boundaries).
const SCOPE: &[&str] = &[
    "table", "template", "applet", "object", "marquee", "svg", "math",
];
/// Elements whose content is raw text, not markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Reads one tag starting just after its `<`: (is_end_tag, lowercase name, index after `>`).
/// Returns `None` for a `<` that does not start a tag (it is then text). Attribute values are
/// parsed like the HTML tokenizer does, so a `>` or `</div>` inside quotes is not markup.
fn read_tag(bytes: &[u8], mut i: usize) -> Option<(bool, String, usize)> {
    let end_tag = bytes.get(i) == Some(&b'/');
    if end_tag {
        i += 1;
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let start = i;
    while i < bytes.len()
        && !matches!(
            bytes[i],
            b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
        )
    {
        i += 1;
    }
    let name = String::from_utf8_lossy(&bytes[start..i]).to_ascii_lowercase();
    // `=` only starts a value after an attribute name: `<br =">"<div>` is two tags.
    let mut in_name = false;
    loop {
        match bytes.get(i) {
            None => return Some((end_tag, name, bytes.len())),
            Some(b'>') => return Some((end_tag, name, i + 1)),
            Some(b'=') if in_name => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                i = match bytes.get(i) {
                    // Quoted: past the closing quote.
                    Some(&q @ (b'"' | b'\'')) => {
                        let len = bytes[i + 1..].iter().position(|&b| b == q);
                        len.map_or(bytes.len(), |len| i + len + 2)
                    }
                    // Unquoted: up to whitespace or `>`; quotes in it are plain chars.
                    _ => bytes[i..]
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || *b == b'>')
                        .map_or(bytes.len(), |len| i + len),
                };
                in_name = false;
            }
            Some(&b) => {
                in_name = b != b'/' && (in_name || !b.is_ascii_whitespace());
                i += 1;
            }
        }
    }
}

/// Where markup other than a tag (`<!--…-->`, `<!…>`, `<?…>`, `</ …>`) that starts at `i`
/// (just after `<`) ends, or `None` if it is not such markup.
fn skip_markup(bytes: &[u8], i: usize) -> Option<usize> {
    let find = |from: usize, pat: &[u8]| {
        bytes
            .get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map_or(bytes.len(), |p| from + p + pat.len())
    };
    match bytes.get(i) {
        Some(b'!') if bytes.get(i + 1..i + 3) == Some(b"--") => Some(comment_end(bytes, i + 3)),
        Some(b'!' | b'?') => Some(find(i, b">")),
        Some(b'/') if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => Some(find(i, b">")),
        _ => None,
    }
}

/// Where a comment whose text starts at `from` ends, as the HTML tokenizer sees it: `<!-->`
/// and `<!--->` are complete comments, and `--!>` closes one as well as `-->` does.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    if bytes.get(from) == Some(&b'>') {
        return from + 1;
    }
    if bytes.get(from..from + 2) == Some(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(p) = bytes
        .get(i..)
        .and_then(|r| r.windows(2).position(|w| w == b"--"))
    {
        let dash = i + p;
        match bytes.get(dash + 2..) {
            Some([b'>', ..]) => return dash + 3,
            Some([b'!', b'>', ..]) => return dash + 4,
            _ => i = dash + 1,
        }
    }
    bytes.len()
}

/// Index of the next `<` at or after `from`.
fn next_lt(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| b == b'<').map(|p| from + p)
}

/// Index just past the end tag `</name` that closes raw-text content starting at `from`.
fn skip_raw_text(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(p) = next_lt(bytes, i) {
        let at = p;
        let tail = bytes.get(at + 2..at + 2 + name.len());
        let after = bytes.get(at + 2 + name.len()).copied();
        if bytes.get(at + 1) == Some(&b'/')
            && tail.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes()))
            && after.is_none_or(|b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
        {
            return at;
        }
        i = at + 1;
    }
    bytes.len()
}

/// Cheap linear estimate of element nesting depth; errs on the high side (an end tag only
/// closes an element that is open, recent and in scope), and stops once `limit` is passed.
pub(super) fn max_depth_exceeds(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    // Open elements, each with the DOM depth reached once it is open.
    let mut stack: Vec<(String, usize)> = Vec::new();
    // Cleared where this scan and the real tokenizer could disagree about what is text
    // (CDATA, which is text only inside SVG/MathML; `<!--` in a script, which can hide a
    // `</script>`): from then on end tags close nothing, so the estimate can only grow.
    let mut trust_ends = true;
    let mut i = 0;
    while let Some(p) = next_lt(bytes, i) {
        let lt = p + 1;
        if let Some(next) = skip_markup(bytes, lt) {
            trust_ends &= !bytes[lt..].starts_with(b"![CDATA[");
            i = next;
            continue;
        }
        let Some((end_tag, name, next)) = read_tag(bytes, lt) else {
            i = lt;
            continue;
        };
        i = next;
        if VOID.contains(&name.as_str()) || IMPLIED_END.contains(&name.as_str()) {
            continue;
        }
        if end_tag {
            if !trust_ends {
                continue;
            }
            // Only the last few open elements are searched: real markup closes what it just
            // opened, and a full search per end tag would make this quadratic.
            let open = stack.iter().rev().take(END_TAG_LOOKBACK);
            for (k, (open, _)) in (0..stack.len()).rev().zip(open) {
                if *open == name {
                    stack.truncate(k);
                    break;
                }
                if SCOPE.contains(&open.as_str()) {
                    break;
                }
            }
        } else if RAW_TEXT.contains(&name.as_str()) {
            let end = skip_raw_text(bytes, i, &name);
            trust_ends &= !(name == "script" && bytes[i..end].windows(4).any(|w| w == b"<!--"));
            i = end;
        } else {
            // `<div/>` still opens a div in HTML (the slash is ignored), so it counts. The
            // implied children are counted with their container: `<ul><li>` nests two deep,
            // `<table><tr><td>` four (with the implied `<tbody>`).
            let weight = match name.as_str() {
                "table" => 4,
                "ul" | "ol" | "dl" | "menu" => 2,
                _ => 1,
            };
            let depth = stack.last().map_or(0, |(_, depth)| *depth) + weight;
            if depth > limit {
                return true;
            }
            stack.push((name, depth));
        }
    }
    false
}

/// The fallback: drops tags and `<script>`/`<style>` content, turns block boundaries into
/// line breaks, lists into `* ` bullets, shows link targets and image alt text, collapses
/// source whitespace and decodes entities. Linear in the input and never recurses.
pub(super) fn strip_tags(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    // The open link's target and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    let mut i = 0;
    while let Some(p) = next_lt(bytes, i) {
        push_text(&mut out, &html[i..p]);
        let lt = p + 1;
        if let Some(next) = skip_markup(bytes, lt) {
            i = next;
            continue;
        }
        let Some((end_tag, name, next)) = read_tag(bytes, lt) else {
            out.push('<');
            i = lt;
            continue;
        };
        let tag = &html[lt..next];
        i = next;
        match (end_tag, name.as_str()) {
            (false, raw) if RAW_TEXT.contains(&raw) => i = skip_raw_text(bytes, i, &name),
            (false, "li") => {
                line_break(&mut out, 1);
                out.push_str("* ");
            }
            (false, "a") => link = attr(tag, "href").map(|href| (href, out.len())),
            // The real target must be visible: link text can claim to be any URL.
            (true, "a") => {
                if let Some((href, start)) = link.take()
                    && out.get(start..).is_none_or(|text| text.trim() != href)
                {
                    out.push_str(&format!(" <{href}>"));
                }
            }
            (false, "img") => {
                if let Some(alt) = attr(tag, "alt").filter(|alt| !alt.is_empty()) {
                    out.push_str(&format!("[{alt}]"));
                }
            }
            (_, "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "table") => {
                line_break(&mut out, 2);
            }
            (_, "br" | "div" | "li" | "tr" | "hr" | "pre" | "dt" | "dd" | "blockquote") => {
                line_break(&mut out, 1)
            }
            (true, "td" | "th") => out.push(' '),
            _ => {}
        }
    }
    push_text(&mut out, html.get(i..).unwrap_or(""));
    out.trim_end().to_string()
}

/// The entity-decoded value of attribute `name` in a tag's source text, if present.
fn attr(tag: &str, name: &str) -> Option<String> {
    // ASCII lowercasing keeps byte offsets, so indices into `lower` are valid in `tag`.
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|rest| rest.find(name)) {
        let at = from + p;
        from = at + name.len();
        if !lower[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(value) = tag[from..].trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        let mut decoded = String::new();
        push_text(&mut decoded, raw);
        return Some(decoded.trim().to_string());
    }
    None
}

/// Ends the current line so that the output ends in `breaks` line breaks (2 leaves one blank
/// line); never at the very start, and never more than asked for however many tags ask.
fn line_break(out: &mut String, breaks: usize) {
    if out.is_empty() {
        return;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    let have = out.len() - out.trim_end_matches('\n').len();
    for _ in have..breaks {
        out.push('\n');
    }
}

/// Appends a text run: source whitespace collapses to one space (as a browser does), and
/// entities are decoded.
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_whitespace() {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
            rest = &rest[1..];
        } else if c == '&' {
            let (decoded, used) = decode_entity(rest).unwrap_or(('&', 1));
            out.push(decoded);
            rest = &rest[used..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// Named entities the fallback decodes: the ones helpdesk editors actually emit.
#[rustfmt::skip]
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'), ("lt", '<'), ("gt", '>'), ("quot", '"'), ("apos", '\''), ("nbsp", '\u{a0}'),
    ("ndash", '–'), ("mdash", '—'), ("hellip", '…'), ("lsquo", '‘'), ("rsquo", '’'),
    ("ldquo", '“'), ("rdquo", '”'), ("bull", '•'), ("euro", '€'), ("copy", '©'),
];

/// Decodes the entity at the start of `s` (which begins with `&`): the char and the bytes
/// consumed, or `None` when it is not a known entity.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..semi];
    if let Some(&(_, c)) = ENTITIES.iter().find(|(n, _)| *n == name) {
        return Some((c, semi + 1));
    }
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<u32>().ok()?,
    };
    // Invalid code points become U+FFFD, as in a browser; controls survive here and are
    // removed by the scrubber afterwards.
    let c = char::from_u32(code).filter(|&c| c != '\0');
    Some((c.unwrap_or('\u{fffd}'), semi + 1))
}
