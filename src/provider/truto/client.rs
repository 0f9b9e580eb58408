//! The Truto HTTP conversation: the API root (`https://api.truto.one`), `Authorization: Bearer
//! <token>` on every call (marked sensitive, so no debug output of the request shows it),
//! `integrated_account_id` on every unified call, JSON bodies read into `serde_json::Value` with
//! sentences an agent can act on when they are not JSON, and the normalized `ratelimit-limit` /
//! `-remaining` / `-reset` headers kept as the profile's quota. Transport errors and statuses
//! (401 never retried, 429 with `Retry-After`) are classified by the shared [`HttpClient`].

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::provider::ProviderError;
use crate::provider::http::{HttpClient, Idempotency, Reply, configured_base};

/// Turns what the user configured into the API root with a trailing slash
/// (`https://api.truto.one/`); only http(s), no credentials in the URL.
pub fn normalize_base(raw: &str) -> Result<Url, ProviderError> {
    let (mut url, path) =
        configured_base(raw, "Truto", "API token (token_env or token_command)", "")?;
    url.set_path(&format!("{path}/"));
    Ok(url)
}

/// What the last reply said of the account's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u64,
    pub remaining: u64,
    /// Seconds until the window starts again.
    pub reset_secs: u64,
}

/// An authenticated connection to one Truto environment.
pub struct Client {
    http: HttpClient,
    base: Url,
    token: SecretString,
    /// The last quota announced, and when.
    quota: Mutex<Option<(Quota, Instant)>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// See [`HttpClient::clock_skew`].
    pub fn clock_skew(&self) -> Option<i64> {
        self.http.clock_skew()
    }

    pub fn new(http: HttpClient, base: Url, token: SecretString) -> Self {
        Client {
            http,
            base,
            token,
            quota: Mutex::new(None),
        }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `<base><segments…>?<query>`: each segment percent-encoded on its own, so an id can never
    /// add a path of its own.
    pub fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        crate::provider::http::join(&self.base, segments, query)
    }

    /// The quota the last reply announced, if any did.
    pub fn quota(&self) -> Option<Quota> {
        self.quota
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .map(|(q, _)| q)
    }

    /// While the last reply said the quota is used up and its window has not ended, how long
    /// is left: a call sent now would only earn a 429.
    fn exhausted(&self) -> Option<Duration> {
        let (quota, at) = (*self
            .quota
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))?;
        if quota.remaining > 0 {
            return None;
        }
        let reset = Duration::from_secs(quota.reset_secs.clamp(1, 600));
        reset
            .checked_sub(at.elapsed())
            .filter(|left| !left.is_zero())
    }

    /// Sends one call, authenticated, and reads the reply as JSON. `endpoint` names it in
    /// errors and logs (never the URL, whose query carries ids).
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        endpoint: &str,
        idempotency: Idempotency,
    ) -> Result<Value, ProviderError> {
        if let Some(left) = self.exhausted() {
            tracing::info!(
                endpoint,
                wait_ms = left.as_millis(),
                "Truto quota used up; not sent"
            );
            return Err(ProviderError::RateLimited {
                retry_after: Some(left),
            });
        }
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret()))
            .map_err(|_| {
            ProviderError::Config("the Truto token holds characters a header cannot carry".into())
        })?;
        bearer.set_sensitive(true);
        let mut request = self
            .http
            .request(method, url)
            .header(AUTHORIZATION, bearer)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|_| ProviderError::Internal("writing a request body".into()))?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let reply = self.http.execute(request, endpoint, idempotency).await?;
        self.note_quota(&reply);
        decode(endpoint, &reply)
    }

    pub async fn get(&self, url: Url, endpoint: &str) -> Result<Value, ProviderError> {
        self.send(Method::GET, url, None, endpoint, Idempotency::Idempotent)
            .await
    }

    fn note_quota(&self, reply: &Reply) {
        let number = |name: &str| reply.header(name)?.trim().parse::<u64>().ok();
        if let (Some(limit), Some(remaining)) =
            (number("ratelimit-limit"), number("ratelimit-remaining"))
        {
            let quota = Quota {
                limit,
                remaining,
                reset_secs: number("ratelimit-reset").unwrap_or(0),
            };
            if remaining * 10 < limit {
                tracing::info!(remaining, limit, "Truto quota nearly used up");
            }
            *self
                .quota
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((quota, Instant::now()));
        }
    }
}

/// The body of a 2xx reply as JSON, or a [`ProviderError::Decode`] saying in words what came
/// instead (see [`crate::provider::body`]).
pub fn decode(endpoint: &str, reply: &Reply) -> Result<Value, ProviderError> {
    crate::provider::body::parse(
        endpoint,
        reply,
        "Truto's API root, like https://api.truto.one",
    )
}

pub fn decode_error(endpoint: &str, detail: impl Into<String>) -> ProviderError {
    ProviderError::Decode {
        endpoint: endpoint.to_string(),
        detail: detail.into(),
    }
}
