//! When a failed call is sent again, and how long the server asked to wait: the retry rule of
//! the one HTTP client ([`super::http`]). Only idempotent calls are ever repeated.

use std::time::Duration;

use super::error::ProviderError;
use super::http::Reply;

/// A read that is rate limited with a `Retry-After` up to this long is retried by itself; a
/// longer wait is reported (and honoured by every call of the profile: see `app::load`).
pub(super) const MAX_AUTOMATIC_WAIT: Duration = Duration::from_secs(5);

/// An idempotent call that failed in a way a new try may mend (no connection, 502/503/504, a
/// short rate limit) is sent again at most this many more times.
pub(super) const RETRIES: u32 = 2;

/// The first wait before a new try; it doubles with each, plus up to as much again at random,
/// so many consoles cut off at once do not all come back in the same instant.
pub(super) const BACKOFF: Duration = Duration::from_millis(250);

/// How long to wait before trying a failed idempotent call again (`attempt` 0 is the first
/// new try), or `None` when another try cannot help or the wait is the agent's call.
pub(super) fn retry_wait(result: &Result<Reply, ProviderError>, attempt: u32) -> Option<Duration> {
    let backoff = BACKOFF.saturating_mul(1 << attempt.min(8));
    match result.as_ref().err()? {
        ProviderError::RateLimited {
            retry_after: Some(wait),
        }
        | ProviderError::Unavailable {
            retry_after: Some(wait),
        } => (*wait <= MAX_AUTOMATIC_WAIT).then_some(*wait),
        // A certificate does not change between two tries.
        ProviderError::Connect(why) if why.contains("certificate") => None,
        ProviderError::Connect(_)
        | ProviderError::Server {
            status: 502..=504, ..
        } => Some(backoff + jitter(backoff)),
        _ => None,
    }
}

/// A random duration below `max` (the standard library's per-map random keys are the source).
fn jitter(max: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(random % max_ms)
}

/// `Retry-After` as delta-seconds or as an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`, a time
/// already past counting as now), capped at ten minutes so a hostile header cannot park the
/// console. Without it, the normalized `ratelimit-reset` (seconds until the quota's window
/// starts again) says the same.
pub(super) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    retry_after_at(headers, chrono::Utc::now())
}

fn retry_after_at(
    headers: &reqwest::header::HeaderMap,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
    let from_date = |value: &str| {
        let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        let secs = (at.with_timezone(&chrono::Utc) - now).num_seconds();
        Some(u64::try_from(secs).unwrap_or(0))
    };
    let secs = text(reqwest::header::RETRY_AFTER.as_str())
        .and_then(|v| v.parse::<u64>().ok().or_else(|| from_date(v)))
        .or_else(|| text("ratelimit-reset")?.parse().ok())?;
    Some(Duration::from_secs(secs.min(600)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::http::{HttpClient, HttpSettings, Idempotency, classify};
    use reqwest::StatusCode;

    use crate::sim::{Fault, FaultKind, SimHandle, SimOptions};

    async fn started() -> (SimHandle, HttpClient) {
        let sim = SimHandle::start(SimOptions::default()).await.unwrap();
        (sim, HttpClient::new(HttpSettings::default()).unwrap())
    }

    /// `sd.version` of the simulator, sent as `idempotency` says.
    async fn send_version(
        sim: &SimHandle,
        client: &HttpClient,
        idempotency: Idempotency,
    ) -> Result<Reply, ProviderError> {
        let url = reqwest::Url::parse(&format!("{}/api/v1/sd.version", sim.base_url())).unwrap();
        let request = client
            .request(reqwest::Method::GET, url)
            .basic_auth("api", Some(sim.password()));
        client.execute(request, "sd.version", idempotency).await
    }

    /// A short announced rate limit is waited out and the call sent again, but only when the
    /// call says a second send does no harm.
    #[tokio::test]
    async fn only_idempotent_calls_are_sent_again_after_a_rate_limit() {
        let (sim, client) = started().await;
        let send = |idempotency| send_version(&sim, &client, idempotency);
        let limit_once = || {
            sim.inject(Fault {
                endpoint: Some("sd.version".into()),
                kind: FaultKind::RateLimit {
                    retry_after_secs: 0,
                },
                times: 1,
            })
        };

        limit_once();
        let reply = send(Idempotency::Idempotent).await;
        assert!(reply.is_ok(), "{reply:?}");
        assert_eq!(sim.requests().len(), 2, "sent again after the pause");

        limit_once();
        let reply = send(Idempotency::NotIdempotent).await;
        assert!(
            matches!(reply, Err(ProviderError::RateLimited { .. })),
            "{reply:?}"
        );
        assert_eq!(sim.requests().len(), 3, "sent once, not repeated");
    }

    /// A gateway that fails once and then answers costs a short wait, not an error; one that
    /// keeps failing is reported after two more tries; a write is never sent twice.
    #[tokio::test]
    async fn idempotent_calls_try_again_after_a_bad_gateway_with_backoff() {
        let (sim, client) = started().await;
        let send = |idempotency| send_version(&sim, &client, idempotency);
        let fail = |times| {
            sim.inject(Fault {
                endpoint: Some("sd.version".into()),
                kind: FaultKind::Status(502, String::new()),
                times,
            })
        };
        fail(1);
        assert!(send(Idempotency::Idempotent).await.is_ok());
        assert_eq!(sim.requests().len(), 2);
        fail(5);
        let reply = send(Idempotency::Idempotent).await;
        assert!(
            matches!(reply, Err(ProviderError::Server { status: 502, .. })),
            "{reply:?}"
        );
        assert_eq!(sim.requests().len(), 5, "three tries in all");
        let reply = send(Idempotency::NotIdempotent).await;
        assert!(reply.is_err());
        assert_eq!(sim.requests().len(), 6, "a write is sent once");
        // A 500 is the server's own fault: trying again does not help.
        sim.inject(Fault {
            endpoint: Some("sd.version".into()),
            kind: FaultKind::Status(500, String::new()),
            times: 1,
        });
        let reply = send(Idempotency::Idempotent).await;
        assert!(
            matches!(reply, Err(ProviderError::Server { status: 500, .. })),
            "{reply:?}"
        );
        assert_eq!(
            sim.requests().len(),
            8,
            "the last 502, then the 500, not tried again"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates_and_is_capped() {
        use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-03T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let at = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
            retry_after_at(&h, now).map(|d| d.as_secs())
        };
        assert_eq!(at("30"), Some(30));
        assert_eq!(at("Thu, 03 Dec 2026 12:00:45 GMT"), Some(45));
        assert_eq!(at("Thu, 03 Dec 2026 11:00:00 GMT"), Some(0), "past: now");
        assert_eq!(at("99999"), Some(600));
        assert_eq!(at("Fri, 01 Jan 2100 00:00:00 GMT"), Some(600));
        assert_eq!(at("soon"), None);
        let e = classify(
            StatusCode::SERVICE_UNAVAILABLE,
            Some(Duration::from_secs(30)),
            Default::default(),
            vec![],
            "x",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the server is unavailable for now (HTTP 503), retry in 30 s"
        );
    }
}
