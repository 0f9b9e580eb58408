//! The HTTP side of the simulator: one axum fallback handler that takes every call through the
//! same pipeline — record → refuse → authenticate → injected fault → latency → endpoint →
//! after-the-fact fault (reply lost, reply held) → legacy number transform — so every endpoint
//! gets the cross-cutting behaviour for free. Reads run on a snapshot of the dataset, writes on
//! the served copy, one at a time.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::sim::dataset::Dataset;
use crate::sim::endpoints::{self, Ctx, Handler, WriteCtx};
use crate::sim::iden::{self, IdenState};
use crate::sim::net::Conn;
use crate::sim::params::{Params, parse_pairs};
use crate::sim::reply::{ApiError, Reply};
use crate::sim::rezolve::{self, RezolveState};
use crate::sim::truto::{self, TrutoState};
use crate::sim::wire::{self, WireRule};
use crate::sim::{Fault, FaultKind, RecordedRequest};

const API_PREFIX: &str = "/api/v1/";

/// State shared by the server task and the [`crate::sim::SimHandle`].
#[derive(Debug)]
pub struct Shared {
    /// The served data. Reads clone the `Arc` (a snapshot) and let go of the lock; writes
    /// change it in place under the lock, copying it first if a snapshot is still held (so the
    /// first write of a simulator copies the shared generated dataset once).
    pub state: Mutex<Arc<Dataset>>,
    /// While on, connections are refused (see `net`).
    pub refusing: Arc<AtomicBool>,
    pub latency: Duration,
    pub legacy_strings: bool,
    pub username: String,
    pub password: String,
    /// The Iden organisation served under `/iden/<slug>/api/`.
    pub iden: Mutex<IdenState>,
    /// The Truto environment served under `/truto/`.
    pub truto: Mutex<TrutoState>,
    /// The Rezolve tenant served under `/rezolve/<slug>/`.
    pub rezolve: Mutex<RezolveState>,
    pub log: Mutex<Vec<RecordedRequest>>,
    pub faults: Mutex<Vec<Fault>>,
    /// Standing damage to InvGate replies (the hostile seed; empty otherwise).
    pub wire: Mutex<Vec<WireRule>>,
    /// Seconds from the wall clock to the simulator's clock (see [`Shared::clock`]).
    pub clock_offset: AtomicI64,
}

/// A poisoned lock only means a handler panicked mid-push; the data is still usable.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The simulator's app; serve it with `into_make_service_with_connect_info::<Conn>()` over a
/// [`crate::sim::net::SimListener`].
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

/// `/api/v1/incidents.by.status` → `incidents.by.status`; the trailing-slash form some clients
/// use (`/incident/?id=`) is accepted. Other paths are recorded whole and answered 404.
fn endpoint_of(path: &str) -> (String, bool) {
    match path.strip_prefix(API_PREFIX) {
        Some(rest) => (rest.trim_end_matches('/').to_string(), true),
        None => (path.trim_start_matches('/').to_string(), false),
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    match headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(ct) => ct
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded"),
    }
}

impl Shared {
    /// The simulator's clock, epoch seconds in the dataset's time: it started at the dataset's
    /// "now" with the server and runs with the wall clock, plus whatever tests advanced it by.
    /// Time-driven rules (an approval's expiry) read it, so they act on generated data as they
    /// would at that "now" whatever the date the tests run on.
    pub fn clock(&self) -> i64 {
        wall_clock().saturating_add(self.clock_offset.load(Ordering::SeqCst))
    }

    fn authorized(&self, authorization: Option<&str>) -> bool {
        let Some(value) = authorization else {
            return false;
        };
        let Some((scheme, encoded)) = value.trim().split_once(' ') else {
            return false;
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return false;
        }
        let Ok(decoded) = STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let Ok(text) = String::from_utf8(decoded) else {
            return false;
        };
        text.split_once(':')
            .is_some_and(|(user, pass)| user == self.username && pass == self.password)
    }

    /// The first queued fault for this endpoint that still has hits left (spent ones are
    /// dropped).
    fn take_fault(&self, endpoint: &str) -> Option<FaultKind> {
        let mut faults = lock(&self.faults);
        let index = faults
            .iter()
            .position(|f| f.times > 0 && f.endpoint.as_deref().is_none_or(|e| e == endpoint))?;
        let fault = faults.get_mut(index)?;
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            faults.remove(index);
        }
        Some(kind)
    }
}

/// Wall clock, epoch seconds: what a real server stamps its writes with.
pub fn wall_clock() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The reply a fault sends instead of the endpoint's; `None` for the faults that let the
/// endpoint run (`Delay` before it, `ReplyLost` and `Hang` after it).
fn fault_reply(kind: FaultKind) -> Option<Reply> {
    match kind {
        FaultKind::Delay(_)
        | FaultKind::ReplyLost
        | FaultKind::Hang(_)
        | FaultKind::Splice { .. } => None,
        FaultKind::Status(code, body) => Some(Reply::Raw {
            status: StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: body.into_bytes(),
            content_type: "application/json",
            retry_after: None,
        }),
        FaultKind::Page(page) => Some(Reply::Raw {
            status: StatusCode::OK,
            body: page.into_bytes(),
            content_type: "text/html; charset=utf-8",
            retry_after: None,
        }),
        FaultKind::Malformed => Some(Reply::Raw {
            status: StatusCode::OK,
            // Cut mid-array, as a dropped connection or a PHP fatal error would leave it.
            body: b"{\"status\":\"OK\",\"info\":\"Returned a list of the requests\",\"requestIds\":[1001,1002,10".to_vec(),
            content_type: "application/json",
            retry_after: None,
        }),
        FaultKind::RateLimit { retry_after_secs } => Some(Reply::Raw {
            status: StatusCode::TOO_MANY_REQUESTS,
            body: json!({ "error": "Too Many Requests", "status": 429 })
                .to_string()
                .into_bytes(),
            content_type: "application/json",
            retry_after: Some(retry_after_secs),
        }),
        FaultKind::LogicalError(info) => Some(Reply::ok(json!({ "status": "ERROR", "info": info }))),
    }
}

/// Runs the endpoint: a read on a snapshot, a write on the served data; both after what the
/// clock decided since the last call was applied (see [`endpoints::settle`]).
fn serve(shared: &Shared, endpoint: &str, handler: Handler, params: &Params) -> Reply {
    let clock = shared.clock();
    Reply::from_outcome(match handler {
        Handler::Read(read) => {
            let ds = {
                let mut state = lock(&shared.state);
                endpoints::settle(endpoint, &mut state, clock);
                Arc::clone(&state)
            };
            read(&Ctx { ds: &ds, params })
        }
        Handler::Write(write) => {
            let mut state = lock(&shared.state);
            endpoints::settle(endpoint, &mut state, clock);
            write(&mut WriteCtx::new(&mut state, params, wall_clock(), clock))
        }
    })
}

/// A plain page for request `id`, as an instance's web interface would show it (title and
/// description, both escaped: no markup of the data runs in the browser), or 404.
fn web_page(shared: &Shared, id: &str) -> Response {
    use crate::sim::generate::text::escape;
    let ds = Arc::clone(&lock(&shared.state));
    let found = id.parse::<u64>().ok().and_then(|id| ds.request(id));
    let (status, page) = match found {
        Some(r) => {
            let title = format!("{}{} {}", ds.pretty_prefix, r.id, escape(&r.title));
            (
                StatusCode::OK,
                format!(
                    "<!doctype html><meta charset=utf-8><title>{title}</title><h1>{title}</h1>\
                     <p>The ttydesk simulator's page for this request; a real instance shows its \
                     full web view here.</p><pre>{}</pre>",
                    // Shown as the text it is: demo descriptions carry hostile markup on purpose.
                    escape(&r.description)
                ),
            )
        }
        None => (
            StatusCode::NOT_FOUND,
            "<!doctype html><title>Not found</title>".to_string(),
        ),
    };
    let mut response = Response::new(axum::body::Body::from(page));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// The empty reply of a cut connection: it is never written.
fn unsent() -> Response {
    Response::new(axum::body::Body::empty())
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let iden_route = iden::Route::parse(uri.path());
    let truto_route = truto::Route::parse(uri.path());
    let rezolve_route = rezolve::Route::parse(uri.path());
    let (endpoint, under_api) = match (&iden_route, &truto_route, &rezolve_route) {
        (Some(route), _, _) => (route.endpoint(), false),
        (None, Some(route), _) => (route.endpoint(), false),
        (None, None, Some(route)) => (route.endpoint(), false),
        (None, None, None) => endpoint_of(uri.path()),
    };
    let query = parse_pairs(uri.query().unwrap_or(""));
    let form = if method != Method::GET && !body.is_empty() && is_form(&headers) {
        parse_pairs(&String::from_utf8_lossy(&body))
    } else {
        Vec::new()
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    lock(&shared.log).push(RecordedRequest {
        method: method.as_str().to_string(),
        endpoint: endpoint.clone(),
        path: uri.path().to_string(),
        query: query.clone(),
        form: form.clone(),
        authorization: authorization.clone(),
    });

    // A request read on a connection opened before refusing began goes no further.
    if shared.refusing.load(Ordering::SeqCst) {
        conn.cut();
        return unsent();
    }

    // The agents' web page of a request, where `O` in the console opens it.
    if method == Method::GET
        && let Some(id) = uri.path().strip_prefix("/requests/show/index/id/")
    {
        return web_page(&shared, id);
    }

    if let Some(route) = rezolve_route {
        let request = rezolve::Request {
            method: &method,
            route: &route,
            query: &query,
            headers: &headers,
            body: &body,
        };
        let serve = |shared: &Shared| rezolve::serve(&mut lock(&shared.rezolve), &request);
        return serve_vendor(&shared, &conn, &endpoint, serve).await;
    }

    if let Some(route) = truto_route {
        let request = truto::Request {
            method: &method,
            route: &route,
            query: &query,
            headers: &headers,
            body: &body,
            now: chrono::Utc::now().timestamp(),
        };
        let serve = |shared: &Shared| truto::serve(&mut lock(&shared.truto), &request);
        return serve_vendor(&shared, &conn, &endpoint, serve).await;
    }

    if let Some(route) = iden_route {
        return serve_iden(
            &shared,
            &conn,
            &route,
            &endpoint,
            &query,
            &headers,
            authorization,
        )
        .await;
    }

    if !shared.authorized(authorization.as_deref()) {
        let mut response =
            Reply::error(StatusCode::UNAUTHORIZED, "Unauthorized").into_response(false);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"api\""),
        );
        return response;
    }

    let fault = shared.take_fault(&endpoint);
    if let Some(FaultKind::Delay(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    if let Some(reply) = fault.clone().and_then(fault_reply) {
        return reply.into_response(shared.legacy_strings);
    }
    // Refusing may have begun while this request slept: it must not be applied then either.
    if shared.refusing.load(Ordering::SeqCst) {
        conn.cut();
        return unsent();
    }

    let reply = if under_api {
        match endpoints::lookup(&endpoint, method.as_str()) {
            Ok(handler) => {
                // Writes may carry their parameters in the query string, the form, or both.
                let mut pairs = query;
                pairs.extend(form);
                serve(&shared, &endpoint, handler, &Params::new(pairs))
            }
            Err(err) => Reply::from_outcome(Err(err)),
        }
    } else {
        Reply::from_outcome(Err(ApiError::NotFound))
    };
    let reply = match fault {
        Some(FaultKind::ReplyLost) => {
            conn.cut();
            return unsent();
        }
        Some(FaultKind::Hang(hold)) => {
            tokio::time::sleep(hold).await;
            reply
        }
        Some(FaultKind::Splice { pointer, raw }) => reply.spliced(&pointer, &raw),
        _ => reply,
    };
    let reply = wire::apply(&lock(&shared.wire), &endpoint, reply);
    reply.into_response(shared.legacy_strings)
}

/// The Truto and Rezolve side of the pipeline: the same faults and latency as the other
/// vendors' endpoints, then the endpoint (which checks the credentials itself).
async fn serve_vendor(
    shared: &Shared,
    conn: &Conn,
    endpoint: &str,
    serve: impl FnOnce(&Shared) -> Response,
) -> Response {
    let fault = shared.take_fault(endpoint);
    if let Some(FaultKind::Delay(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    if let Some(reply) = fault.clone().and_then(fault_reply) {
        return reply.into_response(false);
    }
    let response = serve(shared);
    match fault {
        Some(FaultKind::ReplyLost) => {
            conn.cut();
            return unsent();
        }
        Some(FaultKind::Hang(hold)) => tokio::time::sleep(hold).await,
        _ => {}
    }
    response
}

/// The Iden side of the pipeline: `Api-Key` authentication (DRF's 401 and 403), then the same
/// faults and latency as InvGate's endpoints, then the endpoint.
async fn serve_iden(
    shared: &Shared,
    conn: &Conn,
    route: &iden::Route,
    endpoint: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    authorization: Option<String>,
) -> Response {
    let state = lock(&shared.iden).clone();
    if let Some(refusal) = iden::auth_failure(&state, authorization.as_deref()) {
        let mut response = refusal.into_response(false);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Api-Key"),
        );
        return response;
    }
    let fault = shared.take_fault(endpoint);
    if let Some(FaultKind::Delay(delay)) = &fault {
        tokio::time::sleep(*delay).await;
    }
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    if let Some(reply) = fault.clone().and_then(fault_reply) {
        return reply.into_response(false);
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let reply = iden::handle(&state, route, query, host);
    match fault {
        Some(FaultKind::ReplyLost) => {
            conn.cut();
            return unsent();
        }
        Some(FaultKind::Hang(hold)) => tokio::time::sleep(hold).await,
        _ => {}
    }
    reply.into_response(false)
}
