//! Iden's wire types, as its OpenAPI pages document them: the DRF `LimitOffsetPagination`
//! envelope `{count, next, previous, results}`, tickets, apps (with their connection) and users.
//!
//! A page is read one element at a time ([`page`]): an element that cannot be read costs only
//! itself. It is skipped, counted, and logged with the endpoint and its position, never with its
//! content, which may be a person's email or what they asked access to.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::decode_error;
use crate::provider::ProviderError;
pub use crate::provider::elements::elements;

/// `{external_uuid, email}`: the requester and the target account of a ticket.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonRef {
    #[serde(default)]
    pub external_uuid: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// `connection{external_uuid, display_name, unique_identifier}` of an app.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConnectionWire {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub unique_identifier: Option<String>,
}

/// An app (`/api/apps/` and inside every ticket).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppWire {
    pub external_uuid: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub connection: Option<ConnectionWire>,
}

/// A user (`/api/users/`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserWire {
    pub external_uuid: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

/// An access-request ticket (`/api/tickets/`, `/api/tickets/{external_uuid}/`). Only the id is
/// required; everything else may be missing or null and is shown as unknown.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TicketWire {
    pub external_uuid: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub app: Option<AppWire>,
    #[serde(default)]
    pub requester: Option<PersonRef>,
    #[serde(default)]
    pub app_user: Option<PersonRef>,
    #[serde(default)]
    pub ticket_status: Option<String>,
    /// ISO-8601 with `Z`; read leniently in `map`.
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub initial_comment: Option<String>,
}

/// One page of a listing, its elements already read.
#[derive(Debug, Clone)]
pub struct PageWire<T> {
    /// `count`: how many the whole listing holds.
    pub count: Option<u64>,
    /// `next`: the absolute URL of the next page, as the server wrote it.
    pub next: Option<String>,
    pub items: Vec<T>,
    /// Elements left out because they could not be read.
    pub skipped: usize,
}

/// Reads a DRF page. A reply that is not the envelope (no `results` list) is a
/// [`ProviderError::Decode`] in words; inside it, each element is read on its own.
pub fn page<T: DeserializeOwned>(
    endpoint: &str,
    reply: Value,
) -> Result<PageWire<T>, ProviderError> {
    let Value::Object(mut envelope) = reply else {
        return Err(decode_error(
            endpoint,
            "expected a page of results ({count, next, results}), got something else",
        ));
    };
    let Some(Value::Array(results)) = envelope.remove("results") else {
        return Err(decode_error(
            endpoint,
            "the reply has no list of results; is base_url the organisation's API root?",
        ));
    };
    let count = envelope.get("count").and_then(Value::as_u64);
    let next = match envelope.remove("next") {
        Some(Value::String(next)) if !next.trim().is_empty() => Some(next.trim().to_string()),
        Some(Value::String(_) | Value::Null) | None => None,
        Some(_) => {
            return Err(decode_error(
                endpoint,
                "the link to the next page is not a URL",
            ));
        }
    };
    let total = results.len();
    let items: Vec<T> = elements(endpoint, results);
    Ok(PageWire {
        count,
        next,
        skipped: total - items.len(),
        items,
    })
}

/// One object (`/api/tickets/{id}/`).
pub fn one<T: DeserializeOwned>(endpoint: &str, reply: Value) -> Result<T, ProviderError> {
    if !reply.is_object() {
        return Err(decode_error(
            endpoint,
            "expected one object, got something else",
        ));
    }
    serde_json::from_value(reply).map_err(|_| {
        decode_error(
            endpoint,
            "a field is missing or holds a value of the wrong kind",
        )
    })
}
