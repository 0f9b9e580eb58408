//! Tolerant deserializers for InvGate's loosely typed JSON: numbers that arrive as ints on current
//! instances and as strings on legacy ones ("206"), booleans as `true`/`1`/`"1"`, epoch dates as
//! ints or strings (0 meaning "none"), and PHP arrays that are maps keyed by id, or `[]` when
//! empty. Everything here accepts more than the docs promise and rejects only what cannot be
//! understood at all.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// A scalar as text: strings trimmed, integers printed, floats without a needless `.0`.
/// Objects and arrays are not scalars.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        _ => None,
    }
}

/// An id as text, if it looks like one. Ids are drawn on screen (`#1234`, rows still loading)
/// without going through the text boundary, so anything beyond letters, digits and `-_.:` is
/// refused here: a hostile server cannot smuggle escape sequences in through an id.
fn id_text(value: &Value) -> Option<String> {
    scalar_text(value).filter(|s| {
        s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    })
}

/// An id already parsed as JSON (a write's reply, a list of people), with [`opt_id`]'s rules.
pub fn id_value(value: &Value) -> Option<String> {
    id_text(value).filter(|s| !s.is_empty() && s != "0")
}

/// The ids in a list of people (`incident.observer`, `incident.collaborator`): bare ints as the
/// API sends them (`[25,49]`), strings on legacy instances, `{user_id|id}` objects as the
/// reference documents, in an array, an id-keyed map or a `{data:…}` envelope.
pub fn people_ids(value: &Value) -> Vec<String> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => match map.get("data") {
            Some(inner) => return people_ids(inner),
            None => map.values().collect(),
        },
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| match item {
            Value::Object(o) => o.get("user_id").or_else(|| o.get("id")).and_then(id_value),
            other => id_value(other),
        })
        .collect()
}

/// An id that may be an int or a string; null, empty, and `0` mean "none" (InvGate uses 0 for
/// "not assigned").
pub fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(id_text(&value).filter(|s| !s.is_empty() && s != "0"))
}

/// A required id (int or string). A missing or null one becomes "" (with `#[serde(default)]`);
/// callers skip rows without an id.
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(String::new()),
        // An id that is not id-like is treated as missing: the row is skipped, not drawn.
        value => match scalar_text(&value) {
            Some(_) => Ok(id_text(&value).unwrap_or_default()),
            None => Err(de::Error::custom("expected an id (number or string)")),
        },
    }
}

/// Free text that may arrive as a string, a number, or null.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(match value {
        Value::String(s) => Some(s),
        other => scalar_text(&other),
    })
}

/// An integer as int, float or string; anything unparsable is `None` rather than an error.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(scalar_text(&value).and_then(|s| s.parse::<i64>().ok()))
}

/// A decimal (`0.87`, `"0.87"`, `4`); anything unparsable or not finite is `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(scalar_text(&value)
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|f| f.is_finite()))
}

/// A count (views, visits): an integer as int, float or string; negative or unparsable is
/// `None`.
pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(scalar_text(&value).and_then(|s| s.parse::<u64>().ok()))
}

/// A boolean as `true`/`false`, `0`/`1`, `"0"`/`"1"`, `"true"`/`"false"`; null is false.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(match value {
        Value::Bool(b) => b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"),
        _ => false,
    })
}

/// An epoch-seconds timestamp as int or string; 0, null and "" mean none. An ISO-8601 string
/// (instances configured for it) is accepted too.
pub fn epoch<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(timestamp(&value))
}

pub fn timestamp(value: &Value) -> Option<DateTime<Utc>> {
    let text = scalar_text(value)?;
    if let Ok(secs) = text.parse::<i64>() {
        return (secs > 0)
            .then(|| DateTime::from_timestamp(secs, 0))
            .flatten();
    }
    DateTime::parse_from_rfc3339(&text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A list of ids: ints or strings, in an array or (PHP after filtering) a map; null is empty.
pub fn id_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let value = Value::deserialize(d)?;
    let items: Vec<Value> = match value {
        Value::Array(items) => items,
        Value::Object(map) => map.into_iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    Ok(items
        .iter()
        .filter_map(id_text)
        .filter(|s| !s.is_empty())
        .collect())
}

/// A collection that InvGate sends in any of its shapes: a JSON array, a map keyed by id
/// (`{"309":{…}}`), `[]` for an empty map, or an envelope holding one of those under `data` or
/// `requests`. Numeric keys are kept as a hint for items without their own id; other envelope
/// keys (`status`, `info`, `next_page_key`…) are skipped.
///
/// Each element is read on its own (its text is set aside first, which takes no recursion, so
/// even a value nested far past serde's limit costs only its element): one that cannot be read
/// is left out, counted in `skipped` and logged with its position, its id key where there is
/// one, and serde's reason without the value.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub items: Vec<(Option<String>, T)>,
    /// Elements that could not be read and were left out.
    pub skipped: usize,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Listing {
            items: Vec::new(),
            skipped: 0,
        }
    }
}

/// One element of a [`Listing`], read from its own text.
fn element<T: DeserializeOwned>(raw: &RawValue, key: Option<&str>, position: usize) -> Option<T> {
    match serde_json::from_str::<T>(raw.get()) {
        Ok(item) => Some(item),
        Err(e) => {
            tracing::warn!(
                position,
                id = key.unwrap_or("?"),
                reason = %crate::provider::elements::reason(&e),
                "left out an element that could not be read"
            );
            None
        }
    }
}

impl<T> Listing<T> {
    pub fn into_values(self) -> Vec<T> {
        self.items.into_iter().map(|(_, v)| v).collect()
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Listing<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListingVisitor(PhantomData))
    }
}

struct ListingVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ListingVisitor<T> {
    type Value = Listing<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or a map keyed by id")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Listing::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Listing::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut listing = Listing::default();
        let mut position = 0;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            match element::<T>(&raw, None, position) {
                Some(item) => listing.items.push((None, item)),
                None => listing.skipped += 1,
            }
            position += 1;
        }
        Ok(listing)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut listing = Listing::default();
        let mut position = 0;
        while let Some(key) = map.next_key::<String>()? {
            if key.trim().parse::<i64>().is_ok() {
                let raw = map.next_value::<Box<RawValue>>()?;
                let key = key.trim().to_string();
                match element::<T>(&raw, Some(&key), position) {
                    Some(item) => listing.items.push((Some(key), item)),
                    None => listing.skipped += 1,
                }
                position += 1;
            } else if key == "data" || key == "requests" {
                let inner = map.next_value::<Listing<T>>()?;
                listing.items.extend(inner.items);
                listing.skipped += inner.skipped;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(listing)
    }
}

/// An embedded list the console may not even need (a request's comments): one that cannot be
/// read at all (a string where the list belongs) is absent, logged, and costs nothing else.
pub fn opt_listing<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Listing<T>>, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    match serde_json::from_str::<Option<Listing<T>>>(raw.get()) {
        Ok(listing) => Ok(listing),
        Err(e) => {
            tracing::warn!(
                reason = %crate::provider::elements::reason(&e),
                "left out an embedded list that could not be read"
            );
            Ok(None)
        }
    }
}

/// What the top level of a reply says about success: `{"status":"ERROR","info":…}` arrives with
/// HTTP 200. Read without building the whole document (big replies are ticket lists).
#[derive(Debug, Default)]
pub struct EnvelopeProbe {
    pub is_error: bool,
    pub message: Option<String>,
}

impl<'de> Deserialize<'de> for EnvelopeProbe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = EnvelopeProbe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut status, mut info, mut error) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                // Internal notes document a capital `Status`.
                "status" | "Status" => status = scalar_text(&map.next_value::<Value>()?),
                "info" => info = scalar_text(&map.next_value::<Value>()?),
                "error" => error = scalar_text(&map.next_value::<Value>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let is_error = status.is_some_and(|s| s.eq_ignore_ascii_case("error"));
        let message = [info, error].into_iter().flatten().find(|s| !s.is_empty());
        Ok(EnvelopeProbe { is_error, message })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(EnvelopeProbe::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(EnvelopeProbe::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(EnvelopeProbe::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(EnvelopeProbe::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(EnvelopeProbe::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(EnvelopeProbe::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(EnvelopeProbe::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Row {
        #[serde(default, deserialize_with = "id")]
        id: String,
        #[serde(default, deserialize_with = "opt_id")]
        owner: Option<String>,
        #[serde(default, deserialize_with = "flag")]
        on: bool,
        #[serde(default, deserialize_with = "epoch")]
        at: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "opt_i64")]
        n: Option<i64>,
    }

    #[test]
    fn numbers_arrive_as_ints_or_strings() {
        let a: Row = serde_json::from_str(r#"{"id":206,"owner":7,"n":3,"at":1700000000}"#).unwrap();
        let b: Row =
            serde_json::from_str(r#"{"id":"206","owner":"7","n":"3","at":"1700000000"}"#).unwrap();
        assert_eq!((a.id.as_str(), b.id.as_str()), ("206", "206"));
        assert_eq!(a.owner, b.owner);
        assert_eq!((a.n, b.n), (Some(3), Some(3)));
        assert_eq!(a.at, b.at);
        assert_eq!(a.at.map(|t| t.timestamp()), Some(1_700_000_000));
    }

    #[test]
    fn zero_null_and_missing_mean_none() {
        for json in [
            r#"{"id":1,"owner":0,"at":0}"#,
            r#"{"id":1,"owner":"0","at":"0"}"#,
            r#"{"id":1,"owner":null,"at":null}"#,
            r#"{"id":1}"#,
        ] {
            let row: Row = serde_json::from_str(json).unwrap();
            assert_eq!(row.owner, None, "{json}");
            assert_eq!(row.at, None, "{json}");
        }
    }

    #[test]
    fn booleans_in_every_spelling() {
        for (json, want) in [
            ("true", true),
            ("false", false),
            ("1", true),
            ("0", false),
            (r#""1""#, true),
            (r#""0""#, false),
            ("null", false),
        ] {
            let row: Row = serde_json::from_str(&format!(r#"{{"id":1,"on":{json}}}"#)).unwrap();
            assert_eq!(row.on, want, "{json}");
        }
    }

    #[test]
    fn listing_accepts_arrays_maps_and_php_empty_arrays() {
        let map: Listing<Row> =
            serde_json::from_str(r#"{"309":{"id":309},"360":{"id":"360"}}"#).unwrap();
        let ids: Vec<_> = map
            .items
            .iter()
            .map(|(k, r)| (k.clone(), r.id.clone()))
            .collect();
        assert_eq!(
            ids,
            vec![
                (Some("309".into()), "309".into()),
                (Some("360".into()), "360".into())
            ]
        );
        let empty_php: Listing<Row> = serde_json::from_str("[]").unwrap();
        assert!(empty_php.items.is_empty());
        let empty_map: Listing<Row> = serde_json::from_str("{}").unwrap();
        assert!(empty_map.items.is_empty());
        let arr: Listing<Row> = serde_json::from_str(r#"[{"id":1},{"id":2}]"#).unwrap();
        assert_eq!(arr.items.len(), 2);
        let wrapped: Listing<Row> =
            serde_json::from_str(r#"{"status":"OK","info":"x","data":[{"id":1}]}"#).unwrap();
        assert_eq!(wrapped.into_values()[0].id, "1");
    }

    #[test]
    fn id_lists_take_ints_strings_and_maps() {
        #[derive(Deserialize)]
        struct Ids {
            #[serde(default, deserialize_with = "id_list")]
            ids: Vec<String>,
        }
        let a: Ids = serde_json::from_str(r#"{"ids":[1,"2",3]}"#).unwrap();
        assert_eq!(a.ids, ["1", "2", "3"]);
        let b: Ids = serde_json::from_str(r#"{"ids":{"0":4,"2":"5"}}"#).unwrap();
        assert_eq!(b.ids, ["4", "5"]);
        let c: Ids = serde_json::from_str(r#"{"ids":null}"#).unwrap();
        assert!(c.ids.is_empty());
    }

    #[test]
    fn envelope_probe_spots_logical_errors() {
        let p: EnvelopeProbe =
            serde_json::from_str(r#"{"status":"ERROR","info":"no status given"}"#).unwrap();
        assert!(p.is_error);
        assert_eq!(p.message.as_deref(), Some("no status given"));
        for ok in [
            r#"{"status":"OK","requestIds":[1]}"#,
            r#"{"status":"success","data":[]}"#,
            r#"[{"id":1,"status":-1}]"#,
            r#""v8.1""#,
            r#"{"id":5,"status_id":2}"#,
        ] {
            let p: EnvelopeProbe = serde_json::from_str(ok).unwrap();
            assert!(!p.is_error, "{ok}");
        }
    }

    #[test]
    fn people_lists_in_every_shape() {
        for json in [
            r#"[25,"49"]"#,
            r#"[{"user_id":25},{"id":"49"}]"#,
            r#"{"0":25,"1":49}"#,
            r#"{"data":[25,49]}"#,
        ] {
            let value: Value = serde_json::from_str(json).unwrap();
            assert_eq!(people_ids(&value), ["25", "49"], "{json}");
        }
        assert!(people_ids(&Value::Null).is_empty());
        assert!(people_ids(&serde_json::json!([0, null, "x\u{1b}"])).is_empty());
    }

    #[test]
    fn ids_that_are_not_id_like_are_refused() {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "id")]
            id: String,
            #[serde(deserialize_with = "id_list")]
            ids: Vec<String>,
        }
        let row: Row =
            serde_json::from_str(r#"{"id":"12\u001b]0;PWN\u0007","ids":[1,"2","x\u001b[2J",4]}"#)
                .unwrap();
        assert_eq!(row.id, "", "a hostile id is dropped, so the row is skipped");
        assert_eq!(row.ids, ["1", "2", "4"]);
    }
}
