//! Request parameters as InvGate's PHP backend sees them: percent-decoded `key=value` pairs in
//! wire order, PHP-style arrays (`ids[]=1&ids[]=2` or `ids[0]=1`), and the strict typing the
//! real API applies (HTTP 428 for a missing required parameter or a value of the wrong type).

use crate::sim::reply::ApiError;

/// The message InvGate returns when an ARRAY parameter arrives as a plain string
/// (`ids=309,360`), as seen on a Spanish-locale instance.
pub const STRING_FOR_ARRAY: &str = "tipo string pasado es inválido";

/// Splits a query string or form body into percent-decoded pairs, keys verbatim (`ids[]`).
pub fn parse_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, value)) => (decode(key), decode(value)),
            None => (decode(part), String::new()),
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; invalid escapes
/// stay literal and invalid UTF-8 is replaced rather than rejected.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// PHP's notion of an INTEGER parameter: optional minus sign and digits, nothing else.
pub fn as_integer(value: &str) -> Option<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// The parameters of one call (query string, plus the form body for writes).
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// Whether a scalar parameter with exactly this name is present.
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// A scalar parameter; as in PHP, the last occurrence wins.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An optional INTEGER: absent is `None`, present but not an integer is a 428.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => as_integer(value).map(Some).ok_or_else(|| not_integer(name)),
        }
    }

    /// An optional non-negative INTEGER (ids, limits, offsets).
    pub fn uint(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.int(name)? {
            None => Ok(None),
            Some(n) => u64::try_from(n).map(Some).map_err(|_| not_integer(name)),
        }
    }

    pub fn require_uint(&self, name: &str) -> Result<u64, ApiError> {
        self.uint(name)?.ok_or_else(|| missing(name))
    }

    /// A required STRING: absent or blank is a 428, as PHP's `empty()` check makes it.
    pub fn require_str(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| missing(name))
    }

    /// An optional STRING; blank counts as absent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// A BOOLEAN: `1`/`true` or `0`/`false`/empty; absent is `false`.
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None | Some("" | "0" | "false") => Ok(false),
            Some("1" | "true") => Ok(true),
            Some(_) => Err(ApiError::Precondition(format!(
                "The parameter {name} must be a BOOLEAN."
            ))),
        }
    }

    /// A BOOLEAN that may be absent (`None`), for filters such as `is_solution`.
    pub fn optional_flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        if self.has(name) {
            self.flag(name).map(Some)
        } else {
            Ok(None)
        }
    }

    /// `date_format=iso8601` switches dates to ISO-8601; anything else means epoch.
    pub fn iso_dates(&self) -> bool {
        self.get("date_format")
            .is_some_and(|v| v.eq_ignore_ascii_case("iso8601"))
    }

    /// An optional ARRAY (`name[]=…` or `name[N]=…`, in wire order). A plain `name=` is what
    /// PHP sees as a string where an array is expected: HTTP 428.
    pub fn array(&self, name: &str) -> Result<Option<Vec<&str>>, ApiError> {
        let mut values = Vec::new();
        let mut seen = false;
        for (key, value) in &self.pairs {
            if key == name {
                return Err(ApiError::Precondition(STRING_FOR_ARRAY.into()));
            }
            let Some(index) = key
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('['))
            else {
                continue;
            };
            let Some(inner) = index.strip_suffix(']') else {
                continue;
            };
            if inner.is_empty() || inner.bytes().all(|b| b.is_ascii_digit()) {
                seen = true;
                values.push(value.as_str());
            }
        }
        Ok(seen.then_some(values))
    }

    /// A required ARRAY: absent is a 428; `name[]=` (one empty value) is present.
    pub fn require_array(&self, name: &str) -> Result<Vec<&str>, ApiError> {
        self.array(name)?
            .ok_or_else(|| missing(&format!("{name}[]")))
    }

    /// An optional ARRAY of INTEGERs.
    pub fn uint_array(&self, name: &str) -> Result<Option<Vec<u64>>, ApiError> {
        let Some(values) = self.array(name)? else {
            return Ok(None);
        };
        values
            .into_iter()
            .map(|v| {
                as_integer(v)
                    .and_then(|n| u64::try_from(n).ok())
                    .ok_or_else(|| not_integer(name))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

pub fn missing(name: &str) -> ApiError {
    ApiError::Precondition(format!("The parameter {name} is required."))
}

pub fn not_integer(name: &str) -> ApiError {
    ApiError::Precondition(format!("The parameter {name} must be an INTEGER."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded_in_wire_order() {
        let pairs = parse_pairs("ids%5B%5D=1&ids[]=2&title=caf%C3%A9+ok&flag&bad=%zz");
        assert_eq!(
            pairs,
            [
                ("ids[]".to_string(), "1".to_string()),
                ("ids[]".into(), "2".into()),
                ("title".into(), "café ok".into()),
                ("flag".into(), String::new()),
                ("bad".into(), "%zz".into()),
            ]
        );
    }

    #[test]
    fn arrays_accept_php_forms_and_reject_strings() {
        let params = Params::new(parse_pairs("ids[]=1&ids[1]=2&other[]=x"));
        assert_eq!(params.uint_array("ids").ok().flatten(), Some(vec![1, 2]));
        assert!(matches!(
            params.uint_array("other"),
            Err(ApiError::Precondition(_))
        ));
        assert!(matches!(params.array("missing"), Ok(None)));
        let comma = Params::new(parse_pairs("ids=1,2"));
        assert!(
            matches!(comma.array("ids"), Err(ApiError::Precondition(m)) if m == STRING_FOR_ARRAY)
        );
    }

    #[test]
    fn integers_and_flags_are_strict() {
        let params = Params::new(parse_pairs("a=12&b=1.5&c=-3&d=true&e=yes"));
        assert_eq!(params.int("a").ok().flatten(), Some(12));
        assert!(params.int("b").is_err());
        assert!(params.uint("c").is_err());
        assert_eq!(params.flag("d").ok(), Some(true));
        assert!(params.flag("e").is_err());
        assert_eq!(params.flag("absent").ok(), Some(false));
        assert!(params.require_uint("absent").is_err());
    }

    #[test]
    fn required_strings_and_arrays() {
        let params = Params::new(parse_pairs("comment=+&title=x&values[]=&ids=1"));
        assert!(matches!(
            params.require_str("comment"),
            Err(ApiError::Precondition(_))
        ));
        assert_eq!(params.require_str("title").ok(), Some("x"));
        assert_eq!(params.text("comment"), None);
        assert_eq!(params.require_array("values").ok(), Some(vec![""]));
        assert!(
            matches!(params.require_array("absent"), Err(ApiError::Precondition(m)) if m.contains("absent[]"))
        );
        assert!(params.require_array("ids").is_err());
    }
}
