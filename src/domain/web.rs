//! Where a request lives on the vendor's web interface, for `O` (open in a browser), `y` (copy
//! the link) and OSC 8 links. The address is built from the profile's configured base URL and
//! the request's id, never from text the server sent, and checked to be printable ASCII: it is
//! safe to put inside a terminal escape sequence.

use super::TicketId;

/// A vendor's web address for requests: `prefix` + the id, percent-encoded, + `suffix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLinks {
    prefix: String,
    suffix: String,
}

impl WebLinks {
    /// `None` unless both parts are printable ASCII with no space (a URL already serialized).
    pub fn new(prefix: &str, suffix: &str) -> Option<WebLinks> {
        let clean = |s: &str| s.bytes().all(|b| b.is_ascii_graphic());
        (clean(prefix) && clean(suffix) && !prefix.is_empty()).then(|| WebLinks {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
        })
    }

    /// The request's page: every byte of the id outside `A-Z a-z 0-9 - . _ ~` percent-encoded.
    pub fn request(&self, id: &TicketId) -> String {
        let mut out = self.prefix.clone();
        for b in id.as_str().bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out.push_str(&self.suffix);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_encoded_and_the_parts_must_be_printable() {
        let links = WebLinks::new("https://acme.example/requests/show/index/id/", "").unwrap();
        assert_eq!(
            links.request(&TicketId::from("1207")),
            "https://acme.example/requests/show/index/id/1207"
        );
        let hostile = links.request(&TicketId::from("12/../\u{1b}]52;c;x\u{7}"));
        assert!(hostile.bytes().all(|b| b.is_ascii_graphic()), "{hostile}");
        assert!(
            hostile.ends_with("12%2F..%2F%1B%5D52%3Bc%3Bx%07"),
            "{hostile}"
        );
        assert!(WebLinks::new("https://a.example/\u{1b}[2J", "").is_none());
        assert!(WebLinks::new("https://a.example/ x", "").is_none());
    }
}
