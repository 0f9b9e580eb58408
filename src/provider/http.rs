//! The one HTTP client every provider uses: timeouts on every call, a user agent, a cap on reply
//! size, and the mapping of transport failures and HTTP statuses to [`ProviderError`]. It logs
//! method, endpoint, status and latency, never headers, query values or bodies.

use std::time::{Duration, Instant};

use reqwest::{RequestBuilder, StatusCode};

use super::error::ProviderError;
use super::retry::{RETRIES, retry_after, retry_wait};
use crate::text::SafeText;

/// Largest reply body accepted; a bigger one is a misbehaving server, not a ticket list.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// How a profile's calls are made: their time limits, and which certificate authorities are
/// trusted beyond the system's.
#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    pub connect: Duration,
    /// Longest silence while reading a reply.
    pub read: Duration,
    /// Whole call, from connecting to the last byte.
    pub total: Duration,
    /// The profile's `ca_file`, read (PEM): trusted besides the system's roots, for a proxy
    /// that inspects TLS. Read once per profile when it opens, so it is kept for the process.
    pub extra_roots: Option<&'static str>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
            total: Duration::from_secs(60),
            extra_roots: None,
        }
    }
}

/// Whether a call may be sent again when it is unknown whether the server acted on it. Declared
/// by the caller for each call, never guessed from the HTTP method: some vendors read with POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Sending it twice does what sending it once does (every read).
    Idempotent,
    /// A second send may do it twice (creating a comment).
    NotIdempotent,
}

/// A successful (2xx) reply, or a 304 to a conditional request (empty body: the caller's
/// stored copy is current). The headers are there for what vendors put in them (`ETag`,
/// rate-limit quotas); they are never logged.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// A header's value as text, when it is there and is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// 304 Not Modified: what was stored under the `ETag` sent is still current.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    timeouts: HttpSettings,
    /// The server's clock minus ours, in seconds, from the `Date` of its last reply
    /// (`i64::MIN` until one came): `ttydesk doctor` warns when they drift apart.
    skew: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl HttpClient {
    pub fn new(timeouts: HttpSettings) -> Result<Self, ProviderError> {
        let mut builder = reqwest::Client::builder();
        if let Some(pem) = timeouts.extra_roots {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|_| {
                ProviderError::Config("ca_file holds no PEM certificate that can be read".into())
            })?;
            if certs.is_empty() {
                return Err(ProviderError::Config(
                    "ca_file holds no certificate (-----BEGIN CERTIFICATE-----)".into(),
                ));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let inner = builder
            .user_agent(concat!("ttydesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .timeout(timeouts.total)
            .tcp_keepalive(Duration::from_secs(30))
            // Basic credentials must never follow a redirect to another scheme or host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ProviderError::Config(format!("cannot set up HTTPS: {e}")))?;
        Ok(HttpClient {
            inner,
            timeouts,
            skew: std::sync::Arc::new(std::sync::atomic::AtomicI64::new(i64::MIN)),
        })
    }

    /// The server's clock minus ours, in seconds, as of its last reply with a `Date`.
    pub fn clock_skew(&self) -> Option<i64> {
        let skew = self.skew.load(std::sync::atomic::Ordering::Relaxed);
        (skew != i64::MIN).then_some(skew)
    }

    pub fn request(&self, method: reqwest::Method, url: reqwest::Url) -> RequestBuilder {
        self.inner.request(method, url)
    }

    /// Sends the request and returns the body of a 2xx reply; everything else becomes an error
    /// naming `endpoint` (never the full URL, which may carry ids an agent should not log).
    pub async fn execute(
        &self,
        req: RequestBuilder,
        endpoint: &str,
        idempotency: Idempotency,
    ) -> Result<Reply, ProviderError> {
        let started = Instant::now();
        let request = req
            .build()
            .map_err(|e| self.transport_error(&e, endpoint, Instant::now()))?;
        // Only idempotent calls are repeated: a write that failed may still have been applied.
        let template = (idempotency == Idempotency::Idempotent)
            .then(|| request.try_clone())
            .flatten();
        let mut result = self.execute_inner(request, endpoint).await;
        for attempt in 0..RETRIES {
            let (Some(wait), Some(again)) = (
                retry_wait(&result, attempt),
                template.as_ref().and_then(reqwest::Request::try_clone),
            ) else {
                break;
            };
            tracing::info!(
                endpoint,
                attempt = attempt + 2,
                wait_ms = wait.as_millis(),
                error = %result.as_ref().err().map(ToString::to_string).unwrap_or_default(),
                "trying again"
            );
            tokio::time::sleep(wait).await;
            result = self.execute_inner(again, endpoint).await;
        }
        let elapsed_ms = started.elapsed().as_millis();
        match &result {
            Ok(reply) => tracing::info!(endpoint, status = reply.status, elapsed_ms, "http"),
            Err(err) => tracing::warn!(endpoint, elapsed_ms, error = %err, "http failed"),
        }
        result
    }

    async fn execute_inner(
        &self,
        request: reqwest::Request,
        endpoint: &str,
    ) -> Result<Reply, ProviderError> {
        let started = Instant::now();
        let mut response = match self.inner.execute(request).await {
            Ok(response) => response,
            Err(e) => {
                let error = self.transport_error(&e, endpoint, started);
                return Err(name_the_issuer(error, &e).await);
            }
        };
        let status = response.status();
        if let Some(date) = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        {
            let skew = (date.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
            self.skew.store(skew, std::sync::atomic::Ordering::Relaxed);
        }
        let retry_after = retry_after(response.headers());
        let headers = response.headers().clone();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(ProviderError::Decode {
                            endpoint: endpoint.to_string(),
                            detail: format!("reply larger than {} MiB", MAX_BODY_BYTES >> 20),
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.transport_error(&e, endpoint, started)),
            }
        }
        classify(status, retry_after, headers, body, endpoint)
    }

    /// `started`: when this attempt was sent, to tell which of the three limits fired (reqwest
    /// only says that one did).
    fn transport_error(
        &self,
        e: &reqwest::Error,
        endpoint: &str,
        started: Instant,
    ) -> ProviderError {
        if e.is_timeout() {
            ProviderError::Timeout {
                what: self.limit_fired(e, endpoint, started.elapsed()),
            }
        } else if e.is_connect() {
            ProviderError::Connect(describe_chain(e))
        } else if e.is_redirect() || e.status().is_some_and(|s| s.is_redirection()) {
            ProviderError::Config(
                "the server redirected the call; use the https:// address it redirects to".into(),
            )
        } else {
            ProviderError::Connect(describe_chain(e))
        }
    }
}

impl HttpClient {
    /// Which limit ended a call that timed out `elapsed` after it was sent, in words.
    fn limit_fired(&self, e: &reqwest::Error, endpoint: &str, elapsed: Duration) -> String {
        let t = self.timeouts;
        if e.is_connect() {
            format!("{endpoint}: no connection within {}", seconds(t.connect))
        } else if elapsed + Duration::from_millis(50) >= t.total {
            format!(
                "{endpoint}: the call took longer than {} in all",
                seconds(t.total)
            )
        } else {
            format!(
                "{endpoint}: the server sent nothing for {}",
                seconds(t.read)
            )
        }
    }
}

/// `<base><segments…>?<query>`: each segment percent-encoded on its own, so an id can never add
/// a path of its own.
pub fn join(base: &reqwest::Url, segments: &[&str], query: &[(&str, String)]) -> reqwest::Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    if !query.is_empty() {
        url.query_pairs_mut()
            .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
    }
    url
}

/// Maps a finished reply to success or a classified error.
pub(super) fn classify(
    status: StatusCode,
    retry_after: Option<Duration>,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
    endpoint: &str,
) -> Result<Reply, ProviderError> {
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        return Ok(Reply {
            status: status.as_u16(),
            body,
            headers,
        });
    }
    let message = error_message(&body);
    Err(match status.as_u16() {
        301 | 302 | 303 | 307 | 308 => ProviderError::Config(
            "the server redirected the call; use the https:// address it redirects to".into(),
        ),
        401 => ProviderError::Unauthorized,
        403 => ProviderError::Forbidden(message),
        404 => ProviderError::NotFound(SafeText::line(endpoint)),
        429 => ProviderError::RateLimited { retry_after },
        503 if retry_after.is_some() => ProviderError::Unavailable { retry_after },
        400 | 405 | 409 | 412 | 422 | 428 => ProviderError::Rejected(if message.is_empty() {
            SafeText::line(&format!("HTTP {} from {endpoint}", status.as_u16()))
        } else {
            message
        }),
        code => ProviderError::Server {
            status: code,
            message,
        },
    })
}

/// The human part of an error body: a JSON `error`/`info`/`message` field, or the start of the
/// text. Scrubbed: error bodies are as untrusted as tickets.
pub fn error_message(body: &[u8]) -> SafeText {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        // `{statusCode, error: "Bad Request", message: "name is required"}` (Truto, NestJS):
        // the error is only the status's reason phrase; the message says what went wrong.
        let keys = if value.get("statusCode").is_some() {
            ["message", "error", "info", "detail"]
        } else {
            ["error", "info", "message", "detail"]
        };
        // `{success: false, error: {code, message, details}}` (Rezolve).
        if let Some(text) = value.pointer("/error/message").and_then(|v| v.as_str()) {
            return SafeText::line(&truncate(text, 200));
        }
        for key in keys {
            if let Some(text) = value.get(key).and_then(|v| v.as_str()) {
                return SafeText::line(&truncate(text, 200));
            }
        }
    }
    let text = String::from_utf8_lossy(body);
    if text.trim_start().starts_with('<') {
        // An HTML error page (proxy, load balancer): its markup helps nobody.
        return SafeText::default();
    }
    SafeText::line(&truncate(text.trim(), 200))
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max_chars).collect();
        out.push('…');
        out
    }
}

/// "60 s", or "0.3 s" for limits under a second, with a no-break space: a wrapped message never leaves the unit alone on a line.
fn seconds(d: Duration) -> String {
    if d.as_secs() >= 1 && d.subsec_millis() == 0 {
        format!("{}\u{a0}s", d.as_secs())
    } else {
        format!("{:.1}\u{a0}s", d.as_secs_f64())
    }
}

/// "acme.cloud.invgate.net:443: connection refused": the host and the innermost cause, which
/// is what an agent can act on. The layers in between ("error sending request for url (…):
/// client error (Connect): tcp connect error") are noise, and the URL may carry ids.
fn describe_chain(e: &reqwest::Error) -> String {
    let mut cause = e.to_string();
    let mut chain = vec![cause.clone()];
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        cause = inner.to_string();
        chain.push(cause.clone());
        source = inner.source();
    }
    if let Some(words) = chain.iter().find_map(|c| proxy_words(c, &cause)) {
        return crate::text::scrub_line(&words);
    }
    let host = e.url().and_then(|u| {
        let host = u.host_str()?;
        Some(match u.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        })
    });
    let cause = tls_words(&cause).unwrap_or(cause);
    let text = match host {
        Some(host) => format!("{host}: {cause}"),
        None => cause,
    };
    // The chain can quote what the server sent (a bad header, a TLS alert): scrub it like any
    // other server text.
    crate::text::scrub_line(&text)
}

/// What a proxy's refusal means for the agent, from the words of the tunnel (HTTPS through an
/// HTTP proxy: `CONNECT`) in `link` of the error chain; `innermost` is the chain's last cause.
/// `None` when no proxy was involved.
fn proxy_words(link: &str, innermost: &str) -> Option<String> {
    let what = link.strip_prefix("tunnel error: ")?;
    let words = match what {
        "proxy authorization required" => {
            "the proxy asks for a login (407): give it in HTTPS_PROXY as \
             http://user:password@proxy:port"
                .to_string()
        }
        "unsuccessful" => "the proxy refused to connect to the server (is this host allowed \
                          through it? internal hosts may belong in NO_PROXY)"
            .to_string(),
        "unexpected end of file" => "the proxy closed the connection without an answer".into(),
        "failed to create underlying connection" => format!(
            "the proxy (HTTPS_PROXY) cannot be reached: {}",
            innermost.trim()
        ),
        other => format!("the proxy failed: {other}"),
    };
    Some(words)
}

/// How long the second handshake that reads an untrusted certificate's issuer may take.
const ISSUER_LIMIT: Duration = Duration::from_secs(3);

/// `error` with the issuer of the certificate the server presented, when the failure is a
/// certificate this host does not trust (rustls says only "UnknownIssuer", and the agent needs
/// the authority's name to ask for its CA file), asked the way the call went: directly or
/// through the proxy the environment names.
async fn name_the_issuer(error: ProviderError, e: &reqwest::Error) -> ProviderError {
    let ProviderError::Connect(words) = &error else {
        return error;
    };
    let mut untrusted = false;
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(inner) = source {
        untrusted |= inner.to_string().contains("UnknownIssuer");
        source = inner.source();
    }
    let Some(url) = e.url().filter(|_| untrusted) else {
        return error;
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return error;
    };
    let route = super::issuer::route(host, &|k| std::env::var(k).ok());
    match super::issuer::issuer_of(host, port, &route, ISSUER_LIMIT).await {
        Some(issuer) => {
            ProviderError::Connect(format!("{words}; its certificate was issued by “{issuer}”"))
        }
        None => error,
    }
}

/// What a TLS failure means for the agent, from rustls's words for it; `None` for other causes.
fn tls_words(cause: &str) -> Option<String> {
    let what = if cause.contains("UnknownIssuer") {
        "the server's certificate is signed by an authority this host does not trust (behind a \
         proxy that inspects TLS? set ca_file in the profile to that proxy's CA certificate)"
    } else if cause.contains("NotValidForName") {
        "the server's certificate is for another name than base_url's host"
    } else if cause.contains("Expired") {
        "the server's certificate has expired (or this host's clock is wrong)"
    } else if cause.contains("NotValidYet") {
        "the server's certificate is not valid yet (is this host's clock right?)"
    } else if cause.contains("invalid peer certificate") {
        "the server's certificate was refused"
    } else if cause.to_ascii_lowercase().contains("no native root")
        || cause.contains("no CA certificates")
    {
        "this host has no trusted certificate authorities (install ca-certificates, or set ca_file)"
    } else {
        return None;
    };
    Some(format!("{what} ({})", cause.trim()))
}

/// A vendor's configured address, checked and trimmed: http(s) only, a host, no credentials in
/// it (they belong in the profile, and would leak into logs), no query or fragment, and the
/// `suffix` (`/api/v1`, `/api`) removed from the end of the path when given. The path comes back
/// without a trailing slash: each vendor adds what its requests need.
pub fn configured_base(
    raw: &str,
    vendor: &str,
    credentials: &str,
    suffix: &str,
) -> Result<(reqwest::Url, String), ProviderError> {
    let mut url = reqwest::Url::parse(raw.trim())
        .map_err(|e| ProviderError::Config(format!("the {vendor} URL is not valid: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ProviderError::Config(format!(
            "the {vendor} URL must start with https:// (got {}://)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ProviderError::Config(format!(
            "the {vendor} URL has no host"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ProviderError::Config(format!(
            "put the {vendor} {credentials} in the profile, not in the URL"
        )));
    }
    url.set_query(None);
    url.set_fragment(None);
    let mut path = url.path().trim_end_matches('/').to_string();
    if path.to_ascii_lowercase().ends_with(suffix) {
        path.truncate(path.len() - suffix.len());
    }
    let path = path.trim_end_matches('/').to_string();
    Ok((url, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_server_is_named_with_the_cause_only() {
        // Port 9 (discard) on loopback: nothing listens there on a test machine.
        let client = HttpClient::new(HttpSettings::default()).unwrap();
        let url = reqwest::Url::parse("http://127.0.0.1:9/api/v1/sd.version?id=5").unwrap();
        let err = client
            .execute(
                client.request(reqwest::Method::GET, url),
                "sd.version",
                Idempotency::Idempotent,
            )
            .await;
        let Err(ProviderError::Connect(text)) = err else {
            panic!("expected a connect error, got {err:?}");
        };
        assert!(text.starts_with("127.0.0.1:9: "), "{text}");
        assert!(text.to_lowercase().contains("refused"), "{text}");
        assert!(
            !text.contains("id=5") && !text.contains("client error"),
            "{text}"
        );
    }

    #[test]
    fn error_message_prefers_json_fields_and_scrubs_them() {
        let body = br#"{"status":"ERROR","info":"bad \u001b]0;x\u0007 id"}"#;
        let msg = error_message(body);
        assert!(!msg.as_str().contains('\u{1b}'));
        assert!(msg.as_str().starts_with("bad "));
    }

    #[test]
    fn a_status_code_envelope_says_its_message_not_its_reason_phrase() {
        let body = br#"{"statusCode":400,"error":"Bad Request","message":"name is required"}"#;
        assert_eq!(error_message(body).as_str(), "name is required");
    }

    #[test]
    fn a_nested_error_object_says_its_message() {
        let body = br#"{"success":false,"error":{"code":"INVALID_FILTER","message":"Invalid filter configuration"}}"#;
        assert_eq!(error_message(body).as_str(), "Invalid filter configuration");
    }

    #[test]
    fn html_error_pages_are_not_shown() {
        assert!(error_message(b"<html><body>502 Bad Gateway</body></html>").is_empty());
    }

    #[test]
    fn statuses_map_to_explainable_errors() {
        let e = classify(
            StatusCode::UNAUTHORIZED,
            None,
            Default::default(),
            vec![],
            "sd.version",
        )
        .unwrap_err();
        assert_eq!(e, ProviderError::Unauthorized);
        let e = classify(
            StatusCode::from_u16(428).unwrap(),
            None,
            Default::default(),
            br#"{"error":"id is required"}"#.to_vec(),
            "incident",
        )
        .unwrap_err();
        assert_eq!(e, ProviderError::Rejected(SafeText::line("id is required")));
        let e = classify(
            StatusCode::TOO_MANY_REQUESTS,
            Some(Duration::from_secs(7)),
            Default::default(),
            vec![],
            "x",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "rate limited by the server, retry in 7 s");
        let e = classify(
            StatusCode::BAD_GATEWAY,
            None,
            Default::default(),
            b"upstream down".to_vec(),
            "x",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "server error (HTTP 502): upstream down");
    }
}
