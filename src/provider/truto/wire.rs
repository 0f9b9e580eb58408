//! Truto's wire types, as its API reference documents them: the list envelope `{result,
//! next_cursor, prev_cursor, result_count}`, integrated accounts and their capabilities, and
//! the unified ticketing objects (tickets, comments, users, statuses, priorities, types).
//!
//! A page is read one element at a time ([`page`]): an element that cannot be read costs only
//! itself. It is skipped, counted, and logged with the endpoint and its position, never with its
//! content. Every field but an id may be missing or null; ids may come as numbers or strings.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::client::decode_error;
use crate::provider::ProviderError;
pub use crate::provider::elements::elements;
use crate::provider::elements::{id_text, opt_text};

/// `{id, name}`: a status, priority, type, team or workspace, inline or listed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NamedWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EmailWire {
    #[serde(default, deserialize_with = "opt_text")]
    pub email: Option<String>,
}

/// A person inline (`assignees[]`, `contact`, `created_by`, a comment's `author`) or listed
/// (`/users`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub username: Option<String>,
    #[serde(default)]
    pub emails: Option<Vec<EmailWire>>,
    /// `user`, `contact` or `system` where the integration says.
    #[serde(default, rename = "type", deserialize_with = "opt_text")]
    pub kind: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<NamedWire>>,
}

/// A unified ticket. Only the id is required.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TicketWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub number: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub description: Option<String>,
    #[serde(default)]
    pub status: Option<NamedWire>,
    #[serde(default)]
    pub priority: Option<NamedWire>,
    #[serde(default, rename = "type")]
    pub kind: Option<NamedWire>,
    #[serde(default)]
    pub assignees: Option<Vec<PersonWire>>,
    #[serde(default)]
    pub contact: Option<PersonWire>,
    #[serde(default)]
    pub created_by: Option<PersonWire>,
    #[serde(default)]
    pub team: Option<NamedWire>,
    #[serde(default)]
    pub workspace: Option<NamedWire>,
    #[serde(default, deserialize_with = "opt_text")]
    pub due_date: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub updated_at: Option<String>,
}

/// A unified comment.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommentWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default)]
    pub author: Option<PersonWire>,
    #[serde(default, deserialize_with = "opt_text")]
    pub body: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub html_body: Option<String>,
    #[serde(default)]
    pub is_private: Option<bool>,
    #[serde(default, deserialize_with = "opt_text")]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct IntegrationWire {
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub label: Option<String>,
}

/// An integrated account (`/integrated-account`): one connected Zendesk, Jira…
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountWire {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub tenant_id: Option<String>,
    /// `active`, `connecting`, `post_install_error`, `validation_error`, `needs_reauth`.
    #[serde(default, deserialize_with = "opt_text")]
    pub status: Option<String>,
    #[serde(default)]
    pub last_error: Option<Value>,
    #[serde(default)]
    pub is_sandbox: Option<bool>,
    #[serde(default)]
    pub context: Option<Value>,
    #[serde(default)]
    pub integration: Option<IntegrationWire>,
}

/// `unified[]` of `/integrated-account/{id}/capabilities`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnifiedMethodsWire {
    #[serde(default, deserialize_with = "opt_text")]
    pub model: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub resource: Option<String>,
    #[serde(default)]
    pub methods: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CapabilitiesWire {
    #[serde(default)]
    pub integration: Option<IntegrationWire>,
    #[serde(default)]
    pub unified: Vec<UnifiedMethodsWire>,
}

/// One page of a listing, its elements already read.
#[derive(Debug, Clone)]
pub struct PageWire<T> {
    pub next_cursor: Option<String>,
    pub items: Vec<T>,
    /// Elements left out because they could not be read.
    pub skipped: usize,
}

/// Reads a list envelope. A reply that is not one (no `result` list) is a
/// [`ProviderError::Decode`] in words; inside it, each element is read on its own.
pub fn page<T: DeserializeOwned>(
    endpoint: &str,
    reply: Value,
) -> Result<PageWire<T>, ProviderError> {
    let Value::Object(mut envelope) = reply else {
        return Err(decode_error(
            endpoint,
            "expected a list ({result, next_cursor}), got something else",
        ));
    };
    let Some(Value::Array(results)) = envelope.remove("result") else {
        return Err(decode_error(
            endpoint,
            "the reply has no list of results; is base_url Truto's API root?",
        ));
    };
    let next_cursor = match envelope.remove("next_cursor") {
        Some(Value::String(c)) if !c.trim().is_empty() => Some(c),
        Some(Value::String(_) | Value::Null) | None => None,
        Some(_) => return Err(decode_error(endpoint, "the next-page cursor is not text")),
    };
    let total = results.len();
    let items: Vec<T> = elements(endpoint, results);
    Ok(PageWire {
        next_cursor,
        skipped: total - items.len(),
        items,
    })
}

/// One bare object (get, create, update).
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
