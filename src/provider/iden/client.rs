//! The Iden HTTP conversation: the organisation's API root (`https://developer.idenhq.com/org/acme`,
//! `/api/...` appended), the `Authorization: Api-Key <key>` header on every call (not Bearer),
//! JSON bodies read into `serde_json::Value` with sentences an agent can act on when they are
//! not JSON, and the checks on a page's `next` URL before it is ever followed. Transport errors
//! and HTTP statuses (401/403 never retried) are classified by the shared [`HttpClient`].

use std::fmt;

use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::provider::http::{HttpClient, Idempotency, configured_base};

/// Turns what the user configured into the organisation's root with a trailing slash
/// (`https://developer.idenhq.com/org/acme/`): a trailing slash or an `/api` suffix are optional;
/// only http(s) is accepted, and credentials in the URL are refused.
pub fn normalize_base(raw: &str) -> Result<Url, ProviderError> {
    let (mut url, path) =
        configured_base(raw, "Iden", "API key (token_env or token_command)", "/api")?;
    url.set_path(&format!("{path}/"));
    Ok(url)
}

/// An authenticated connection to one Iden organisation.
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    base: Url,
    key: SecretString,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// See [`HttpClient::clock_skew`].
    pub fn clock_skew(&self) -> Option<i64> {
        self.http.clock_skew()
    }

    pub fn new(http: HttpClient, base: Url, key: SecretString) -> Self {
        Client { http, base, key }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `<base>api/<segments…>/?<query>`: each segment is percent-encoded on its own, so an id
    /// can never add a path of its own; DRF routes end with a slash.
    pub fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let path: Vec<&str> = std::iter::once("api")
            .chain(segments.iter().copied())
            .chain(std::iter::once(""))
            .collect();
        crate::provider::http::join(&self.base, &path, query)
    }

    /// Whether `url` may be sent the key: the same scheme, host and port as the configured
    /// root, and under its path. Anything else (another host, a downgrade to http) is never
    /// followed, so the key cannot leak to wherever a reply points.
    pub fn is_ours(&self, url: &Url) -> bool {
        url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default()
            && url.path().starts_with(self.base.path())
            && url.username().is_empty()
            && url.password().is_none()
    }

    /// GET `url`, authenticated, the body read as JSON. `endpoint` names the call in errors
    /// and logs (never the URL, whose query may carry ids).
    pub async fn get(&self, url: Url, endpoint: &str) -> Result<Value, ProviderError> {
        let request = self
            .http
            .request(Method::GET, url)
            .header(
                reqwest::header::AUTHORIZATION,
                format!("Api-Key {}", self.key.expose_secret()),
            )
            .header(reqwest::header::ACCEPT, "application/json");
        let reply = self
            .http
            .execute(request, endpoint, Idempotency::Idempotent)
            .await?;
        decode(endpoint, &reply)
    }
}

/// The body of a 2xx reply as JSON, or a [`ProviderError::Decode`] saying in words what came
/// instead (see [`crate::provider::body`]).
pub fn decode(
    endpoint: &str,
    reply: &crate::provider::http::Reply,
) -> Result<Value, ProviderError> {
    crate::provider::body::parse(
        endpoint,
        reply,
        "the organisation's API root, like https://developer.idenhq.com/org/<slug>",
    )
}

pub fn decode_error(endpoint: &str, detail: impl Into<String>) -> ProviderError {
    ProviderError::Decode {
        endpoint: endpoint.to_string(),
        detail: detail.into(),
    }
}
