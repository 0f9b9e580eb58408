//! [`ProviderError`]: every way a call to a back end can fail, classified so the UI can say what
//! happened in words an agent understands. Server-supplied text in here is already scrubbed.

use std::time::Duration;

use crate::text::SafeText;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// 401: the server did not accept the user name or token.
    #[error("the server rejected the credentials (HTTP 401): check the profile's token")]
    Unauthorized,
    /// 403: the credentials work but may not do this (missing scope, revoked key).
    #[error("access denied (HTTP 403){}", detail_suffix(.0))]
    Forbidden(SafeText),
    /// 404: the thing or the endpoint does not exist.
    #[error("not found (HTTP 404): {0}")]
    NotFound(SafeText),
    /// 429: too many requests; try again after the given time if the server said.
    #[error("rate limited by the server{}", retry_suffix(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    /// 503 with a `Retry-After`: down for maintenance or overloaded, and it says when to come
    /// back; honoured like a rate limit.
    #[error("the server is unavailable for now (HTTP 503){}", retry_suffix(.retry_after))]
    Unavailable { retry_after: Option<Duration> },
    /// The server understood the call and refused it (HTTP 428, or 200 with status ERROR).
    #[error("the server refused the request: {0}")]
    Rejected(SafeText),
    /// 5xx or another unexpected status.
    #[error("server error (HTTP {status}){}", detail_suffix(.message))]
    Server { status: u16, message: SafeText },
    /// No answer in time.
    #[error("the server did not answer in time ({what})")]
    Timeout { what: String },
    /// Could not reach the server at all (DNS, refused connection, TLS).
    #[error("cannot reach the server: {0}")]
    Connect(String),
    /// The reply was not what this endpoint returns.
    #[error("unexpected reply from {endpoint}: {detail}")]
    Decode { endpoint: String, detail: String },
    /// ttydesk itself failed while handling a reply (a bug); details are in the log only.
    #[error("ttydesk hit an internal error while {0}; the log has details")]
    Internal(String),
    /// This back end cannot do that (or ttydesk cannot do it with this back end yet).
    #[error("this service desk does not support {0}")]
    Unsupported(&'static str),
    /// The profile cannot be used as configured.
    #[error("{0}")]
    Config(String),
    /// The profile reaches several accounts (Truto's integrated accounts) and none is chosen:
    /// nothing can be read until the agent picks one.
    #[error("no account is chosen for this profile yet; pick one to work in")]
    NoAccount,
}

fn detail_suffix(detail: &SafeText) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

fn retry_suffix(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!(", retry in {} s", d.as_secs().max(1)),
        None => String::new(),
    }
}
