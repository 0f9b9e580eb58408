//! The InvGate HTTP conversation: base-URL normalisation, `/api/v1/<endpoint>` URLs with PHP-style
//! query arrays (`ids[]=1&ids[]=2`) and `1`/`0` booleans, HTTP Basic auth on every call, and the
//! reply envelope (`{"status":"ERROR","info":…}` with HTTP 200 is a refusal, not data). Reads are
//! GETs with a query string; writes ([`Client::send`]) carry the same encoding in an
//! `application/x-www-form-urlencoded` body (DELETE keeps the query string), so what the agent
//! typed never lands in a URL, where proxies and logs would keep it. Transport errors and HTTP
//! statuses are classified by the shared [`HttpClient`].

use std::fmt;

use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use super::lenient::{self, EnvelopeProbe};
use crate::provider::ProviderError;
use crate::provider::http::{HttpClient, Idempotency, configured_base};
use crate::text::SafeText;

/// The API lives under this path on every instance.
const API_PREFIX: &str = "/api/v1";

/// Query parameters in the order they are sent. Built only through the typed helpers below so
/// arrays and booleans are always encoded the way InvGate expects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn new() -> Self {
        Query::default()
    }

    pub fn param(mut self, key: &str, value: impl fmt::Display) -> Self {
        self.0.push((key.to_string(), value.to_string()));
        self
    }

    /// InvGate reads booleans as `1`/`0`.
    pub fn flag(self, key: &str, value: bool) -> Self {
        self.param(key, if value { 1 } else { 0 })
    }

    /// PHP-style array: `key[]=a&key[]=b`. A comma string (`key=a,b`) is refused with HTTP 428.
    pub fn array<I, V>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: fmt::Display,
    {
        let name = format!("{key}[]");
        self.0
            .extend(values.into_iter().map(|v| (name.clone(), v.to_string())));
        self
    }

    /// The pairs in the order they are sent, keys as on the wire (`ids[]`).
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The value of the first `key`, for tests and checks.
    #[cfg(test)]
    pub fn value(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The pairs as an `application/x-www-form-urlencoded` body (`a=1&ids%5B%5D=2`, spaces as `+`):
/// the serializer that builds query strings, so a body and a query string encode alike.
pub fn form_body(base: &Url, query: &Query) -> String {
    let mut scratch = base.clone();
    scratch.set_query(None);
    scratch
        .query_pairs_mut()
        .clear()
        .extend_pairs(query.pairs().iter());
    scratch.query().unwrap_or_default().to_string()
}

/// Turns what the user configured into the API root `<scheme>://<host>[/<path>]/api/v1/`:
/// trailing slashes and an `/api/v1` suffix are optional; only http(s) is accepted, and
/// credentials in the URL are refused (they belong in the profile, and would leak into logs).
pub fn normalize_base(raw: &str) -> Result<Url, ProviderError> {
    let (mut url, path) = configured_base(raw, "InvGate", "user name and token", API_PREFIX)?;
    url.set_path(&format!("{path}{API_PREFIX}/"));
    Ok(url)
}

/// `<base>/api/v1/<endpoint>?<query>`; `base` comes from [`normalize_base`].
pub fn endpoint_url(base: &Url, endpoint: &str, query: &Query) -> Url {
    let mut url = base.clone();
    url.set_path(&format!("{}{endpoint}", base.path()));
    if !query.0.is_empty() {
        url.query_pairs_mut().extend_pairs(query.0.iter());
    }
    url
}

/// Parses a 2xx body for `endpoint`: a logical error envelope becomes
/// [`ProviderError::Rejected`], anything that is not the expected JSON a
/// [`ProviderError::Decode`].
pub fn decode<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T, ProviderError> {
    decode_reply(endpoint, 200, None, body)
}

/// The advice an HTML page gets: where InvGate's API lives.
const ROOT: &str = "the instance's address, like https://acme.invgate.net (/api/v1 is added)";

/// [`decode`] with what the reply said about itself (its status and content type), so a web
/// page is recognised and a failure is logged with them.
fn decode_reply<T: DeserializeOwned>(
    endpoint: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, ProviderError> {
    let probe: EnvelopeProbe =
        crate::provider::body::parse_bytes(endpoint, status, content_type, body, ROOT)?;
    if probe.is_error {
        return Err(ProviderError::Rejected(match probe.message {
            Some(message) => SafeText::line(&message),
            None => SafeText::ours(format!("{endpoint} answered with status ERROR")),
        }));
    }
    crate::provider::body::parse_bytes(endpoint, status, content_type, body, ROOT)
}

/// What a write's reply said besides "OK": `{status:"OK", info, id?, request_id?}`, or (the
/// `incident` PUT) the changed object itself, whose `id` is the request's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReply {
    /// `id`: what was created or changed, when the server names it.
    pub id: Option<String>,
    /// `request_id`: the request created or changed, when the server names it.
    pub request_id: Option<String>,
}

/// Parses a 2xx reply to a write. A refusal on HTTP 200 (`{"status":"ERROR","info"|"error":…}`,
/// `Status` capitalised on some endpoints, or `{"success":false,"messages":[…]}`) is
/// [`ProviderError::Rejected`] with the server's sentence, scrubbed; an empty body is a plain
/// success; anything else that is JSON is a success, ids kept when present.
pub fn decode_write(endpoint: &str, body: &[u8]) -> Result<WriteReply, ProviderError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(WriteReply::default());
    }
    let reply: serde_json::Value = decode(endpoint, body)?;
    let Some(object) = reply.as_object() else {
        return Ok(WriteReply::default());
    };
    let refused = object.get("success") == Some(&serde_json::Value::Bool(false))
        || ["status", "Status"].iter().any(|k| {
            object.get(*k).is_some_and(|v| {
                matches!(v, serde_json::Value::Bool(false))
                    || v.as_str().is_some_and(|s| {
                        matches!(
                            s.trim().to_ascii_lowercase().as_str(),
                            "fail" | "failed" | "failure"
                        )
                    })
            })
        });
    if refused {
        let sentence = ["info", "error", "message", "messages"]
            .iter()
            .filter_map(|k| object.get(*k))
            .find_map(|v| match v {
                serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                serde_json::Value::Array(items) => {
                    let parts: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                }
                _ => None,
            });
        return Err(ProviderError::Rejected(match sentence {
            Some(sentence) => SafeText::line(&sentence),
            None => SafeText::ours(format!("{endpoint} refused the change")),
        }));
    }
    let id_of = |key: &str| object.get(key).and_then(lenient::id_value);
    Ok(WriteReply {
        id: id_of("id"),
        request_id: id_of("request_id"),
    })
}

/// serde's message can quote a piece of the reply, so it is scrubbed and kept short.
pub fn decode_error(endpoint: &str, e: &serde_json::Error) -> ProviderError {
    let detail: String = SafeText::line(&e.to_string())
        .as_str()
        .chars()
        .take(160)
        .collect();
    ProviderError::Decode {
        endpoint: endpoint.to_string(),
        detail,
    }
}

/// An authenticated connection to one InvGate instance. Cheap to clone (the HTTP client is
/// reference counted inside reqwest).
#[derive(Clone)]
pub struct Client {
    http: HttpClient,
    base: Url,
    username: String,
    token: SecretString,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("username", &self.username)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// See [`HttpClient::clock_skew`].
    pub fn clock_skew(&self) -> Option<i64> {
        self.http.clock_skew()
    }

    pub fn new(http: HttpClient, base: Url, username: String, token: SecretString) -> Self {
        Client {
            http,
            base,
            username,
            token,
        }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// GET `endpoint` with `query`, authenticated, decoded into `T`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        query: Query,
    ) -> Result<T, ProviderError> {
        let url = endpoint_url(&self.base, endpoint, &query);
        let request = self
            .http
            .request(Method::GET, url)
            .basic_auth(&self.username, Some(self.token.expose_secret()))
            .header(reqwest::header::ACCEPT, "application/json");
        let reply = self
            .http
            .execute(request, endpoint, Idempotency::Idempotent)
            .await?;
        decode_reply(
            endpoint,
            reply.status,
            reply.header("content-type"),
            &reply.body,
        )
    }

    /// A write: `method` on `endpoint`, authenticated, the parameters form-encoded in the body
    /// (in the query string for DELETE, which has no body). `idempotency` says whether the
    /// shared client may send it again by itself; a write that is not idempotent never is.
    pub async fn send(
        &self,
        method: Method,
        endpoint: &str,
        params: &Query,
        idempotency: Idempotency,
    ) -> Result<WriteReply, ProviderError> {
        let request = if method == Method::DELETE {
            let url = endpoint_url(&self.base, endpoint, params);
            self.http.request(method, url)
        } else {
            let url = endpoint_url(&self.base, endpoint, &Query::new());
            self.http
                .request(method, url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form_body(&self.base, params))
        };
        let request = request
            .basic_auth(&self.username, Some(self.token.expose_secret()))
            .header(reqwest::header::ACCEPT, "application/json");
        let reply = self.http.execute(request, endpoint, idempotency).await?;
        decode_write(endpoint, &reply.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_forms_normalise_to_the_api_root() {
        for raw in [
            "https://desk.example.com",
            "https://desk.example.com/",
            "https://desk.example.com/api/v1",
            "https://desk.example.com/api/v1/",
            " https://desk.example.com/api/v1// ",
            "https://desk.example.com/?x=1#frag",
        ] {
            let base = normalize_base(raw).unwrap();
            assert_eq!(base.as_str(), "https://desk.example.com/api/v1/", "{raw}");
        }
        let sub = normalize_base("http://127.0.0.1:8080/sd/api/v1").unwrap();
        assert_eq!(sub.as_str(), "http://127.0.0.1:8080/sd/api/v1/");
    }

    #[test]
    fn unusable_base_urls_are_config_errors() {
        for raw in [
            "ftp://desk.example.com",
            "file:///etc/passwd",
            "desk.example.com",
            "https://api:secret@desk.example.com",
            "",
        ] {
            assert!(
                matches!(normalize_base(raw), Err(ProviderError::Config(_))),
                "{raw}"
            );
        }
    }

    #[test]
    fn arrays_repeat_php_style_and_booleans_are_digits() {
        let base = normalize_base("https://desk.example.com").unwrap();
        let q = Query::new().array("ids", [309, 360]).flag("comments", true);
        let url = endpoint_url(&base, "incidents", &q);
        assert_eq!(url.path(), "/api/v1/incidents");
        assert_eq!(url.query(), Some("ids%5B%5D=309&ids%5B%5D=360&comments=1"));
        let pairs: Vec<_> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("ids[]".to_string(), "309".to_string()),
                ("ids[]".to_string(), "360".to_string()),
                ("comments".to_string(), "1".to_string()),
            ]
        );
        assert!(!url.as_str().contains("ids=309,360"));
    }

    #[test]
    fn dotted_endpoints_without_query_have_no_question_mark() {
        let base = normalize_base("https://desk.example.com/api/v1").unwrap();
        let url = endpoint_url(&base, "sd.version", &Query::new());
        assert_eq!(url.as_str(), "https://desk.example.com/api/v1/sd.version");
    }

    #[test]
    fn logical_errors_on_200_are_rejections() {
        let e = decode::<serde_json::Value>(
            "incidents.by.status",
            br#"{"status":"ERROR","info":"Status \u001b[31mmissing"}"#,
        )
        .unwrap_err();
        match e {
            ProviderError::Rejected(text) => {
                assert!(text.as_str().starts_with("Status "));
                assert!(!text.as_str().contains('\u{1b}'));
            }
            other => panic!("expected Rejected, got {other:?}"),
        }
        let bare = decode::<serde_json::Value>("x", br#"{"status":"error"}"#).unwrap_err();
        assert!(matches!(bare, ProviderError::Rejected(_)));
    }

    #[test]
    fn success_envelopes_and_bare_documents_decode() {
        let v: serde_json::Value =
            decode("kb.articles", br#"{"status":"success","data":[]}"#).unwrap();
        assert_eq!(v["data"], serde_json::json!([]));
        let v: serde_json::Value = decode("categories", br#"[{"id":"1"}]"#).unwrap();
        assert_eq!(v[0]["id"], "1");
    }

    #[test]
    fn form_bodies_encode_like_query_strings() {
        let base = normalize_base("https://desk.example.com").unwrap();
        let q = Query::new()
            .param("comment", "<p>a & b = c</p>")
            .array("values", ["x y", ""])
            .flag("is_solution", false);
        let body = form_body(&base, &q);
        assert_eq!(
            body,
            "comment=%3Cp%3Ea+%26+b+%3D+c%3C%2Fp%3E&values%5B%5D=x+y&values%5B%5D=&is_solution=0"
        );
        assert_eq!(base.query(), None, "the base is left alone");
        assert_eq!(form_body(&base, &Query::new()), "");
    }

    #[test]
    fn write_replies_keep_their_ids() {
        let r = decode_write(
            "incident.comment",
            br#"{"status":"OK","info":"Added","id":"88"}"#,
        )
        .unwrap();
        assert_eq!(r.id.as_deref(), Some("88"));
        assert_eq!(r.request_id, None);
        let r = decode_write("incident", br#"{"status":"OK","request_id":1207}"#).unwrap();
        assert_eq!(r.request_id.as_deref(), Some("1207"));
        // The `incident` PUT answers with the changed request itself.
        let r = decode_write("incident", br#"{"id":7,"status_id":2,"title":"x"}"#).unwrap();
        assert_eq!(r.id.as_deref(), Some("7"));
        for ok in [
            &b""[..],
            b"  ",
            br#"{"Status":"OK"}"#,
            b"[]",
            br#"{"7":true}"#,
        ] {
            assert_eq!(
                decode_write("x", ok).unwrap(),
                WriteReply::default(),
                "{}",
                String::from_utf8_lossy(ok)
            );
        }
    }

    #[test]
    fn refusals_on_200_carry_the_servers_sentence() {
        let sentence = |body: &[u8]| match decode_write("incident.reopen", body) {
            Err(ProviderError::Rejected(text)) => text.as_str().to_string(),
            other => panic!("expected Rejected, got {other:?}"),
        };
        assert_eq!(
            sentence(br#"{"status":"ERROR","info":"Only a resolved request can be reopened."}"#),
            "Only a resolved request can be reopened."
        );
        assert_eq!(
            sentence(br#"{"status":"ERROR","error":"Invalid author"}"#),
            "Invalid author"
        );
        assert_eq!(
            sentence(br#"{"Status":"ERROR","info":"No such note"}"#),
            "No such note"
        );
        assert_eq!(
            sentence(br#"{"success":false,"messages":["Not allowed","now"]}"#),
            "Not allowed now"
        );
        assert_eq!(
            sentence(br#"{"status":"ERROR"}"#),
            "incident.reopen answered with status ERROR"
        );
        let hostile = sentence(br#"{"status":"ERROR","info":"no \u001b]0;PWNED\u0007 way"}"#);
        assert!(
            !hostile.contains('\u{1b}') && !hostile.contains("PWNED"),
            "{hostile}"
        );
        assert!(matches!(
            decode_write("incident.comment", b"<html>"),
            Err(ProviderError::Decode { .. })
        ));
    }

    #[test]
    fn malformed_bodies_are_decode_errors_naming_the_endpoint() {
        let e = decode::<serde_json::Value>("incidents", b"<html>oops").unwrap_err();
        match e {
            ProviderError::Decode { endpoint, detail } => {
                assert_eq!(endpoint, "incidents");
                assert!(!detail.is_empty() && detail.len() <= 200);
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}
