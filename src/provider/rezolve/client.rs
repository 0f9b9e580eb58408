//! The Rezolve HTTP conversation: the tenant's address (`https://acme.rezolve.ai`,
//! `/api/v2/ticketing/...` appended), `Authorization: Bearer <jwt>` (marked sensitive),
//! `x-tenantid` and, when configured, `realmname` on every call, `if-none-match` for the user
//! directory, and the `{success, data}` envelope read in words: a `success: false` on HTTP 200 is
//! a refusal with Rezolve's own message, a web page is said to be one.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::provider::http::{HttpClient, Idempotency, Reply, configured_base};
use crate::text::SafeText;

/// Turns what the user configured into the ticketing root with a trailing slash
/// (`https://acme.rezolve.ai/api/v2/ticketing/`); the suffix is optional.
pub fn normalize_base(raw: &str) -> Result<Url, ProviderError> {
    let (mut url, path) = configured_base(
        raw,
        "Rezolve",
        "JWT (token_env or token_command)",
        "/api/v2/ticketing",
    )?;
    url.set_path(&format!("{path}/api/v2/ticketing/"));
    Ok(url)
}

/// An authenticated connection to one Rezolve tenant.
pub struct Client {
    http: HttpClient,
    base: Url,
    token: SecretString,
    tenant: String,
    realm: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("tenant", &self.tenant)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// What a call brought back: the envelope's `data`, or "not modified" for a conditional read,
/// with the reply's `ETag`.
pub enum Got {
    Data(Value, Option<String>),
    NotModified,
}

impl Client {
    /// See [`HttpClient::clock_skew`].
    pub fn clock_skew(&self) -> Option<i64> {
        self.http.clock_skew()
    }

    pub fn new(
        http: HttpClient,
        base: Url,
        token: SecretString,
        tenant: String,
        realm: Option<String>,
    ) -> Self {
        Client {
            http,
            base,
            token,
            tenant,
            realm,
        }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `<base><path>?<query>`.
    pub fn url(&self, path: &[&str], query: &[(&str, String)]) -> Url {
        crate::provider::http::join(&self.base, path, query)
    }

    /// One call, authenticated, its envelope opened. Reads are idempotent whatever their
    /// method (the ticket list is a POST).
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        etag: Option<&str>,
        endpoint: &str,
    ) -> Result<Got, ProviderError> {
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret()))
            .map_err(|_| {
            ProviderError::Config("the Rezolve token holds characters a header cannot carry".into())
        })?;
        bearer.set_sensitive(true);
        let mut request = self
            .http
            .request(method, url)
            .header(AUTHORIZATION, bearer)
            .header(reqwest::header::ACCEPT, "application/json")
            .header("x-tenantid", self.tenant.as_str());
        if let Some(realm) = &self.realm {
            request = request.header("realmname", realm.as_str());
        }
        if let Some(etag) = etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|_| ProviderError::Internal("writing a request body".into()))?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let reply = self
            .http
            .execute(request, endpoint, Idempotency::Idempotent)
            .await?;
        if reply.not_modified() {
            return Ok(Got::NotModified);
        }
        let etag = reply.header("etag").map(str::to_string);
        Ok(Got::Data(data(endpoint, &reply)?, etag))
    }
}

/// The `data` of a `{success: true, data}` envelope; `success: false` is a refusal in Rezolve's
/// words; anything else is said plainly.
pub fn data(endpoint: &str, reply: &Reply) -> Result<Value, ProviderError> {
    let value: Value = crate::provider::body::parse(
        endpoint,
        reply,
        "the tenant's address, like https://acme.rezolve.ai",
    )?;
    match value.get("success").and_then(Value::as_bool) {
        Some(true) => Ok(value.get("data").cloned().unwrap_or(Value::Null)),
        Some(false) => {
            let message = value
                .pointer("/error/message")
                .and_then(Value::as_str)
                .unwrap_or("the server refused the request");
            Err(ProviderError::Rejected(SafeText::line(message)))
        }
        None => Err(decode_error(
            endpoint,
            "the reply is not Rezolve's {success, data} envelope",
        )),
    }
}

pub fn decode_error(endpoint: &str, detail: impl Into<String>) -> ProviderError {
    ProviderError::Decode {
        endpoint: endpoint.to_string(),
        detail: detail.into(),
    }
}
