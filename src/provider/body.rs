//! A 2xx reply's body read as JSON, the same way for every vendor: invalid UTF-8 is replaced
//! (U+FFFD) instead of failing the reply; a web page where data belongs (a login page, a proxy's
//! or a PHP error page) is named as such, with its `<title>` scrubbed; any other failure is said
//! in words (empty, cut off, not JSON, not this endpoint's shape), never in serde's, which can
//! quote the body. Every failure is logged at warn with the endpoint, status, content type and
//! length, never the content.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

use super::error::ProviderError;
use super::http::Reply;
use crate::text::SafeText;

/// Reads `reply` as `T` for `endpoint`. `root` completes the advice for an HTML page
/// ("check that base_url is {root}").
pub fn parse<T: DeserializeOwned>(
    endpoint: &str,
    reply: &Reply,
    root: &str,
) -> Result<T, ProviderError> {
    parse_bytes(
        endpoint,
        reply.status,
        reply.header("content-type"),
        &reply.body,
        root,
    )
}

/// [`parse`] from the reply's parts.
pub fn parse_bytes<T: DeserializeOwned>(
    endpoint: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    root: &str,
) -> Result<T, ProviderError> {
    let fail = |detail: String| {
        tracing::warn!(
            endpoint,
            status,
            content_type = content_type.unwrap_or("(none)"),
            length = body.len(),
            detail = %detail,
            "a successful reply could not be read"
        );
        ProviderError::Decode {
            endpoint: endpoint.to_string(),
            detail,
        }
    };
    if let Some(title) = html_page(content_type, body) {
        let named = match title {
            Some(title) => format!(" (“{title}”)"),
            None => String::new(),
        };
        return Err(fail(format!(
            "the server sent an HTML page{named} instead of data: a login page, a proxy or an \
             error page? Check that base_url is {root}"
        )));
    }
    let text: Cow<'_, [u8]> = match std::str::from_utf8(body) {
        Ok(_) => Cow::Borrowed(body),
        Err(_) => {
            tracing::warn!(
                endpoint,
                length = body.len(),
                "the reply is not valid UTF-8; unreadable bytes are shown as �"
            );
            Cow::Owned(String::from_utf8_lossy(body).into_owned().into_bytes())
        }
    };
    serde_json::from_slice(&text).map_err(|e| {
        use serde_json::error::Category;
        let detail = if text.iter().all(u8::is_ascii_whitespace) {
            "the reply was empty where a JSON document was expected".to_string()
        } else {
            match e.classify() {
                Category::Eof => "the reply was cut off before its end (the connection may have \
                                  dropped); try again"
                    .to_string(),
                Category::Data => format!(
                    "the reply is not what this endpoint returns ({})",
                    super::elements::reason(&e)
                ),
                Category::Syntax | Category::Io => format!(
                    "the reply is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            }
        };
        fail(detail)
    })
}

/// `Some(title)` when the body is a web page: the content type says HTML, or the body starts
/// with `<` (after a byte-order mark and white space). The title is scrubbed and kept short.
fn html_page(content_type: Option<&str>, body: &[u8]) -> Option<Option<String>> {
    let head = &body[..body.len().min(64 * 1024)];
    let head = String::from_utf8_lossy(head);
    let start = head.trim_start_matches('\u{feff}').trim_start();
    let html = content_type.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("text/html") || t.contains("application/xhtml")
    });
    if !html && !start.starts_with('<') {
        return None;
    }
    Some(title(start))
}

fn title(page: &str) -> Option<String> {
    let lower = page.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let from = open + lower[open..].find('>')? + 1;
    let to = from + lower[from..].find("</title")?;
    let text = SafeText::from_html(&page[from..to]);
    let words = text
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let short: String = words.chars().take(80).collect();
    (!short.is_empty()).then_some(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content_type: Option<&str>, body: &[u8]) -> Result<serde_json::Value, String> {
        parse_bytes("incidents", 200, content_type, body, "the API root").map_err(|e| e.to_string())
    }

    #[test]
    fn a_login_page_is_named_with_its_title_and_scrubbed() {
        let page = b"<!DOCTYPE html><html><head><title>Sign in \x1b[31m- Contoso &amp; Co</title></head><body>...</body></html>";
        let err = read(Some("text/html; charset=utf-8"), page).unwrap_err();
        assert!(err.contains("sent an HTML page"), "{err}");
        assert!(err.contains("login page"), "{err}");
        assert!(err.contains("Sign in"), "{err}");
        assert!(err.contains("Contoso & Co"), "{err}");
        assert!(!err.contains('\x1b'), "{err:?}");
        assert!(!err.contains("line 1 column 1"), "no parser jargon: {err}");
        // Without a content type, a body that starts with `<` is a page all the same.
        let err = read(None, b"  <html><body>Fatal error: PHP</body></html>").unwrap_err();
        assert!(err.contains("sent an HTML page instead of data"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let v = read(None, b"{\"title\":\"caf\xe9 \xff\"}").unwrap();
        assert_eq!(v["title"], "caf\u{fffd} \u{fffd}");
    }

    #[test]
    fn other_failures_are_said_in_words_without_quoting_the_body() {
        assert!(read(None, b"  ").unwrap_err().contains("empty"));
        assert!(read(None, b"{\"a\":[1,2").unwrap_err().contains("cut off"));
        assert!(
            read(None, b"{\"a\" 1}")
                .unwrap_err()
                .contains("not valid JSON")
        );
        let err = parse_bytes::<Vec<u64>>("x", 200, None, br#"["secret@example.com"]"#, "r")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not what this endpoint returns"), "{err}");
        assert!(!err.contains("secret@example.com"), "{err}");
        // A quote inside the value (escaped in serde's message) does not end the quote.
        let err = parse_bytes::<Vec<u64>>("x", 200, None, br#"["a\" secret@example.com"]"#, "r")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not what this endpoint returns"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }
}
