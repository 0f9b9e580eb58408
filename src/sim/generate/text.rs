//! Composition of the HTML bodies the simulator serves: request descriptions of varied length
//! and comment messages, written the way InvGate's PHP backend stores them (`<p>…</p>\r\n`,
//! entities encoded with `htmlspecialchars`, `&nbsp;`, `<br />`).

use crate::sim::assets::{Assets, CategorySeed, Vocab};
use crate::sim::rng::Rng;

/// Replaces `{asset}`-style placeholders with vocabulary words, `{n4}`/`{n5}` with digits and
/// `{first}` with the given first name. Unknown placeholders are left as they are.
pub fn fill(rng: &mut Rng, template: &str, vocab: &Vocab, first: &str) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        let key = &after[1..close];
        match key {
            "asset" => out.push_str(rng.word(&vocab.asset)),
            "app" => out.push_str(rng.word(&vocab.app)),
            "site" => out.push_str(rng.word(&vocab.site)),
            "room" => out.push_str(rng.word(&vocab.room)),
            "vendor" => out.push_str(rng.word(&vocab.vendor)),
            "device" => out.push_str(rng.word(&vocab.device)),
            "first" => out.push_str(first),
            "n4" => out.push_str(&format!("{:04}", rng.below(10_000))),
            "n5" => out.push_str(&format!("{:05}", rng.below(100_000))),
            _ => out.push_str(&after[..=close]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// PHP `htmlspecialchars($s, ENT_QUOTES)`: how user text lands inside InvGate's HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut start = 0;
    // Copy runs of ordinary bytes in one go: this runs over every generated body, and
    // char-by-char pushing made demo generation noticeably slower in debug builds.
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#039;",
            _ => continue,
        };
        out.push_str(&text[start..index]);
        out.push_str(entity);
        start = index + 1;
    }
    out.push_str(&text[start..]);
    out
}

/// Undoes the entities this module produces (plus `&nbsp;`), which is what
/// `decoded_special_characters=1` is documented to do. The exact server behaviour is not
/// documented, so markup is kept and only entities are decoded.
pub fn decode_entities(html: &str) -> String {
    const ENTITIES: [(&str, &str); 7] = [
        ("&quot;", "\""),
        ("&#039;", "'"),
        ("&#39;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", "\u{a0}"),
        ("&amp;", "&"),
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    'scan: while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        for (entity, plain) in ENTITIES {
            if let Some(after) = tail.strip_prefix(entity) {
                out.push_str(plain);
                rest = after;
                continue 'scan;
            }
        }
        out.push('&');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// One `<p>` paragraph of escaped text, with the CRLF the editor leaves behind.
pub fn paragraph(text: &str) -> String {
    format!("<p>{}</p>\r\n", escape(text))
}

/// A request description: short (most), medium with a list, or long with a table and a link.
pub fn description(
    rng: &mut Rng,
    assets: &Assets,
    category: &CategorySeed,
    first_name: &str,
) -> String {
    let vocab = &assets.vocab;
    let texts = &assets.text;
    let size = rng.weighted(&[60, 30, 10]);
    let mut html = paragraph(rng.word(&texts.greetings));
    if size >= 1 {
        html.push_str(&paragraph(rng.word(&texts.openers)));
    }
    let template = rng.word(&category.details);
    let detail = fill(rng, template, vocab, first_name);
    html.push_str(&paragraph(&detail));
    if size >= 1 {
        let template = rng.word(&category.details);
        let second = fill(rng, template, vocab, first_name);
        if second != detail {
            html.push_str(&paragraph(&second));
        }
        html.push_str(&paragraph(&texts.tried_heading));
        html.push_str("<ul>\r\n");
        for _ in 0..rng.range(2, 3) {
            html.push_str(&format!("<li>{}</li>\r\n", escape(rng.word(&texts.tried))));
        }
        html.push_str("</ul>\r\n");
    }
    if size == 2 {
        html.push_str(&incident_table(rng, vocab, &texts.timeline));
        let asset = escape(rng.word(&vocab.asset));
        html.push_str(&format!(
            "<p>It may be related to the <a href=\"{}{}\" target=\"_blank\">{}</a>.&nbsp;\
             Reference:&nbsp;<strong>{asset}</strong></p>\r\n",
            escape(&assets.instance.intranet),
            escape(&texts.related_page),
            escape(&texts.related_page_label)
        ));
    }
    html.push_str(&format!(
        "<p>{}<br />\r\n{}</p>\r\n",
        escape(rng.word(&texts.closings)),
        escape(first_name)
    ));
    html
}

/// A small timeline table, as people paste from spreadsheets into the editor.
fn incident_table(rng: &mut Rng, vocab: &Vocab, events: &[String]) -> String {
    let mut html = String::from(
        "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\r\n<tbody>\r\n\
         <tr>\r\n<th>Time</th>\r\n<th>Where</th>\r\n<th>What happened</th>\r\n</tr>\r\n",
    );
    let mut minute = rng.range(8 * 60, 11 * 60);
    for _ in 0..rng.range(2, 4) {
        let event = escape(rng.word(events));
        html.push_str(&format!(
            "<tr>\r\n<td>{:02}:{:02}</td>\r\n<td>{}</td>\r\n<td>{}</td>\r\n</tr>\r\n",
            minute / 60,
            minute % 60,
            escape(rng.word(&vocab.site)),
            event
        ));
        minute += rng.range(3, 90);
    }
    html.push_str("</tbody>\r\n</table>\r\n");
    html
}

/// A comment body from a phrase template.
pub fn comment(rng: &mut Rng, template: &str, vocab: &Vocab, first_name: &str) -> String {
    let text = fill(rng, template, vocab, first_name);
    // Replies sent by email arrive as one paragraph with line breaks instead of several.
    if rng.chance(0.15) {
        format!(
            "<p>{}<br />\r\n--<br />\r\nSent from my phone</p>\r\n",
            escape(&text)
        )
    } else {
        paragraph(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_escape_and_decode_round_trip() {
        let vocab = Vocab {
            app: vec!["Excel".into()],
            ..Vocab::default()
        };
        let mut rng = Rng::new(1);
        assert_eq!(
            fill(&mut rng, "{app} for {first} {x}", &vocab, "Liam"),
            "Excel for Liam {x}"
        );
        let text = "O'Sullivan & <Co> \"quoted\"";
        let escaped = escape(text);
        assert_eq!(
            escaped,
            "O&#039;Sullivan &amp; &lt;Co&gt; &quot;quoted&quot;"
        );
        assert_eq!(decode_entities(&escaped), text);
        assert_eq!(decode_entities("a&nbsp;b &unknown;"), "a\u{a0}b &unknown;");
    }
}
