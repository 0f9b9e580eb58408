//! What every vendor's wire reading shares: a list read one element at a time (an element that
//! cannot be read costs only itself, and is logged with the endpoint and its position, never its
//! content, which may be a person's email), and lenient readers for ids and texts that some
//! vendors send as numbers, or as something else entirely.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Each element read on its own; one that is not an object or has a field of the wrong kind is
/// left out and logged at warn with `endpoint` and its position.
pub fn elements<T: DeserializeOwned>(endpoint: &str, items: Vec<Value>) -> Vec<T> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(position, item)| {
            if !item.is_object() {
                tracing::warn!(endpoint, position, "skipped an element: not an object");
                return None;
            }
            match serde_json::from_value::<T>(item) {
                Ok(element) => Some(element),
                Err(e) => {
                    tracing::warn!(
                        endpoint,
                        position,
                        reason = %reason(&e),
                        "skipped an element: a field is missing or holds a value of the wrong kind"
                    );
                    None
                }
            }
        })
        .collect()
}

/// Says in the log how many elements of `endpoint`'s reply were left out (each was logged with
/// its reason as it was read), and how many were kept.
pub fn log_skipped(endpoint: &str, skipped: usize, kept: usize) {
    if skipped > 0 {
        tracing::warn!(
            endpoint,
            skipped,
            kept,
            "left out elements that could not be read"
        );
    }
}

/// serde's reason for refusing a value, without the value: quoted parts of its message (a
/// string it found, which may be a person's name or email) are left out.
pub fn reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    let mut escaped = false;
    for c in message.chars() {
        match c {
            // serde quotes with Rust's escapes: `\"` inside a quote does not end it.
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if !quoted => {
                quoted = true;
                out.push_str("\"…\"");
            }
            '"' => quoted = false,
            _ if quoted => {}
            c => out.push(c),
        }
    }
    // What is left is serde's own words, but a message it never had could still carry text.
    crate::text::scrub_line(&out)
}

/// An id as a string, whether the vendor sent `"123"` or `123`; anything else (or an empty
/// string) is an error: the element has no usable id.
pub fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) if !s.trim().is_empty() => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(serde::de::Error::custom("an id is a string or a number")),
    }
}

/// A text that may come as a number; a value of any other kind reads as absent.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// An opaque id safe to draw and to put in a path or query: printable ASCII, no spaces,
/// slashes, `?`, `#`, `%` or quotes, at most 128 bytes. Anything else is refused, so a hostile
/// server cannot smuggle controls or a path of its own in.
pub fn safe_id(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    (!raw.is_empty()
        && raw.len() <= 128
        && raw
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '/' | '?' | '#' | '%' | '"')))
    .then_some(raw)
}
