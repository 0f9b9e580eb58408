//! The InvGate Service Management API v1 simulator: an axum server on 127.0.0.1 that speaks the
//! real wire format (dotted endpoints under `/api/v1/`, PHP-style arrays, HTTP 428 on bad
//! parameters, HTTP-200 `{status:"ERROR"}` answers, id-keyed dictionaries, legacy string
//! numbers) over a deterministic demo service desk. `ttydesk demo`, the integration tests and
//! the benchmarks all run against it; it has its own wire types and never uses `crate::provider`.
//!
//! Layout: `assets` (embedded raw material) → `generate` (seeded expansion into a
//! [`Dataset`]) → `net` (the listener and connections, which can refuse and be cut) → `server`
//! (pipeline: record, refuse, auth, faults, latency, legacy transform) → `endpoints` (one
//! handler per endpoint: reads render the wire shapes, writes change the served data) with
//! `params` and `reply`. Writes change what later reads return; [`SimHandle::dataset`] shows
//! the data as it is now. Time-driven rules (an approval's expiry) run on the simulator's own
//! clock ([`SimHandle::clock`]), which starts at the dataset's "now" and which tests can move.
//!
//! The same server also serves an Iden organisation under `/iden/<slug>/api/` (`iden`: DRF
//! pages, `Api-Key` auth), a Truto environment under `/truto/` (`truto`: integrated
//! accounts, unified ticketing, cursors, rate-limit headers) and a Rezolve tenant under
//! `/rezolve/<slug>/` (`rezolve`: a user directory with ETags, tickets listed by POST), through the same record → refuse →
//! fault → latency pipeline.

mod assets;
mod dataset;
mod endpoints;
mod generate;
mod iden;
mod net;
mod params;
mod reply;
mod rezolve;
mod rng;
mod server;
mod truto;
mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use dataset::{
    Approval, ApprovalTemplate, Article, Category, Comment, CustomField, Dataset, Group, HelpDesk,
    KbCategory, Lifecycle, Named, NewsItem, NewsUpdate, Request, TREE_SEPARATOR, Task, User, Vote,
    WaitingFor, approval_kind, approval_status, news_status, news_type, vote_status,
};
pub use generate::{demo_dataset, demo_dataset_at, instance_dataset};
pub use iden::{
    HOSTILE_TICKET as IDEN_HOSTILE_TICKET, IdenApp, IdenNext, IdenOrg, IdenTicket, IdenUser,
    TICKET_STATUSES as IDEN_TICKET_STATUSES,
};
pub use rezolve::{HOSTILE_TICKET as REZOLVE_HOSTILE_TICKET, RezolveTicket, RezolveUser};
pub use truto::{
    HOSTILE_TICKET as TRUTO_HOSTILE_TICKET, TrutoAccount, TrutoCursor, TrutoPerson, TrutoTicket,
};

pub use wire::{Damage, WireRule};

use server::{Shared, lock};

/// Which demo service desk a simulator serves. Both start their request ids at 1001, so the
/// same id names a different request in each (a console showing both must keep them apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Instance {
    /// "Acme IT": the IT service desk (`assets/demo/service-desk.toml`), 2,000 requests.
    #[default]
    It,
    /// "Acme HR": the HR service desk (`assets/demo/hr-desk.toml`), 600 requests.
    Hr,
}

impl Instance {
    /// Every instance, in a fixed order.
    pub const ALL: [Instance; 2] = [Instance::It, Instance::Hr];

    /// The short name used on the command line and in logs: `"it"` or `"hr"`.
    pub fn name(self) -> &'static str {
        match self {
            Instance::It => "it",
            Instance::Hr => "hr",
        }
    }

    /// The instance called `name` (as [`Instance::name`] spells it, ignoring ASCII case and
    /// surrounding blanks), `None` for anything else.
    pub fn parse(name: &str) -> Option<Instance> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|instance| instance.name().eq_ignore_ascii_case(name))
    }
}

/// How a simulator instance behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimOptions {
    /// Which demo service desk to serve.
    pub instance: Instance,
    /// Seed of the demo dataset (same seed, same data).
    pub seed: u64,
    /// Added to every reply.
    pub latency: Duration,
    /// Render every number as a JSON string, as legacy instances do (`"id":"206"`).
    pub legacy_strings: bool,
    /// HTTP Basic user name the simulator accepts.
    pub username: String,
    /// HTTP Basic password (the API token) the simulator accepts.
    pub password: String,
    /// "Now" of the generated data, epoch seconds; `None` = the asset's fixed date, so tests
    /// see the same data on every run. The interactive demo passes the wall clock.
    pub now: Option<i64>,
    /// The hostile seed (`ttydesk demo --seed hostile`): on top of the usual data, hostile text
    /// in every kind of name and text, a 20 MB body, HTML 50,000 deep, a request with 1,000
    /// comments, and standing damage to the wire (invalid UTF-8, JSON nested past parsers'
    /// limits, nulls, swapped types) in some elements of the lists (see `generate::hostile_seed`).
    pub hostile: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            instance: Instance::It,
            seed: 7,
            latency: Duration::ZERO,
            legacy_strings: false,
            username: "api".into(),
            password: "demo-token".into(),
            now: None,
            hostile: false,
        }
    }
}

/// One request as the simulator received it. Every request the simulator reads is recorded,
/// before authentication and faults: unauthorised ones, faulted ones, and one read on an
/// already open connection just as refusing began (it is then dropped, not served). A
/// connection refused at accept is closed before anything is read, so it records nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `"GET"`, `"POST"`, …
    pub method: String,
    /// The path after `/api/v1/`, e.g. `"incidents.by.status"`; for Iden, `"iden/tickets"`,
    /// `"iden/tickets/{id}"`, `"iden/apps"`, `"iden/users"`.
    pub endpoint: String,
    /// The request's path as sent (`/iden/acme/api/tickets/<uuid>/`).
    pub path: String,
    /// Percent-decoded query pairs in wire order, keys verbatim (`"ids[]"`).
    pub query: Vec<(String, String)>,
    /// Form-encoded body pairs (empty for GET).
    pub form: Vec<(String, String)>,
    /// The raw `Authorization` header value.
    pub authorization: Option<String>,
}

/// A failure to inject into upcoming replies. A fault matches by endpoint name whatever the
/// method, so a fault meant for a write should be injected just before that write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Endpoint it applies to (`"incidents"`); `None` matches every endpoint.
    pub endpoint: Option<String>,
    pub kind: FaultKind,
    /// How many matching requests it hits before it is spent.
    pub times: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Reply with this HTTP status and this body, verbatim.
    Status(u16, String),
    /// Sleep this long before answering normally (client timeout tests).
    Delay(Duration),
    /// HTTP 200 with a truncated, invalid JSON body.
    Malformed,
    /// HTTP 429 with `Retry-After`.
    RateLimit { retry_after_secs: u64 },
    /// HTTP 200 with `{"status":"ERROR","info":<text>}`.
    LogicalError(String),
    /// HTTP 200, `text/html`, with this page: a login page or a proxy's where data belongs.
    Page(String),
    /// The endpoint's own reply with the value at JSON `pointer` (`/1208/title`) replaced by
    /// these bytes verbatim: one malformed element (a deep nest, invalid UTF-8, a string where
    /// a list belongs) in an otherwise good reply. InvGate endpoints only.
    Splice { pointer: String, raw: Vec<u8> },
    /// The endpoint runs (a write IS applied), then the connection is closed without any
    /// response: the client sees the connection drop, never a status.
    ReplyLost,
    /// The endpoint runs (a write IS applied), then the reply is held this long before it is
    /// sent (client timeout tests for writes).
    Hang(Duration),
}

/// A running simulator; dropping it stops the server.
#[derive(Debug)]
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl SimHandle {
    /// Binds 127.0.0.1 on a free port and serves on the current tokio runtime.
    pub async fn start(opts: SimOptions) -> std::io::Result<SimHandle> {
        Self::start_on(0, opts).await
    }

    /// Like [`SimHandle::start`] on a chosen port (`0` = any free port), for `ttydesk sim`,
    /// where other tools need a stable address.
    pub async fn start_on(port: u16, opts: SimOptions) -> std::io::Result<SimHandle> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let refusing = Arc::new(AtomicBool::new(false));
        let listener = net::SimListener::new(listener, Arc::clone(&refusing));
        // The cached dataset is shared until the first write copies it (see `Shared`).
        let (dataset, wire) = if opts.hostile {
            let mut dataset = instance_dataset(opts.instance, opts.seed, opts.now);
            let wire = generate::hostile_seed::apply(&mut dataset);
            (Arc::new(dataset), wire)
        } else {
            let dataset = match opts.now {
                Some(now) => Arc::new(instance_dataset(opts.instance, opts.seed, Some(now))),
                None => generate::shared_dataset(opts.instance, opts.seed),
            };
            (dataset, Vec::new())
        };
        let clock_offset = AtomicI64::new(dataset.now.saturating_sub(server::wall_clock()));
        let shared = Arc::new(Shared {
            state: Mutex::new(dataset),
            refusing,
            latency: opts.latency,
            legacy_strings: opts.legacy_strings,
            username: opts.username,
            password: opts.password,
            iden: Mutex::new(iden::IdenState::new(opts.seed, opts.now)),
            truto: Mutex::new(truto::TrutoState::new(opts.seed, opts.now)),
            rezolve: Mutex::new(rezolve::RezolveState::new(opts.seed, opts.now)),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            wire: Mutex::new(wire),
            clock_offset,
        });
        let app =
            server::router(Arc::clone(&shared)).into_make_service_with_connect_info::<net::Conn>();
        let task = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, app).await {
                tracing::error!(%err, "InvGate simulator stopped");
            }
        });
        tracing::debug!(%addr, instance = opts.instance.name(), "InvGate simulator listening");
        Ok(SimHandle { shared, addr, task })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash; the API lives under `/api/v1/`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn username(&self) -> &str {
        &self.shared.username
    }

    pub fn password(&self) -> &str {
        &self.shared.password
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.log).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Queues a fault; faults are matched in the order they were injected.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Adds standing damage to InvGate replies: from now on, every reply of the rule's endpoint
    /// holding its element carries the damage (as the hostile seed does).
    pub fn damage(&self, rule: WireRule) {
        lock(&self.shared.wire).push(rule);
    }

    /// While `true`, the simulator is unreachable without moving: every new connection is
    /// closed as soon as it is accepted, connections opened earlier are dropped on their next
    /// request, and nothing is applied (the client sees a transport error, never a status).
    /// `false` serves again on the same address.
    pub fn set_refusing(&self, refusing: bool) {
        self.shared.refusing.store(refusing, Ordering::SeqCst);
    }

    /// A snapshot of the data being served, writes included, and whatever the clock decided
    /// until now (approvals that expired). It does not change afterwards: take a new one to see
    /// later writes. Cheap (no copy, unless an approval has just expired).
    pub fn dataset(&self) -> Arc<Dataset> {
        let mut state = lock(&self.shared.state);
        endpoints::settle_all(&mut state, self.shared.clock());
        Arc::clone(&state)
    }

    /// The simulator's clock, epoch seconds: the time the served data lives in. It starts at
    /// the dataset's "now" ([`Dataset::now`]) and runs with the wall clock, so for the demo
    /// (data generated at the wall clock) it is the wall clock, and for the fixed-"now" data of
    /// tests it runs behind it. Time-driven rules read it: an approval expires when this clock
    /// passes its `expires_at`. Writes are still stamped with the wall clock, as a real server
    /// stamps them (clients compare `last_update` with their own clock).
    pub fn clock(&self) -> i64 {
        self.shared.clock()
    }

    /// Moves the simulator's clock `secs` seconds forward (backward when negative), for tests
    /// of time-driven rules: the next call that reads or writes approvals sees what expired.
    pub fn advance_clock(&self, secs: i64) {
        self.shared.clock_offset.fetch_add(secs, Ordering::SeqCst);
    }

    /// While `true`, the approval vocabularies (`incident.approval.status`, `.type`,
    /// `.vote_status`) answer `[]`, the empty map as PHP serialises it, so a client's tolerance
    /// of it can be tested; `false` serves the maps again.
    pub fn set_empty_approval_vocabularies(&self, empty: bool) {
        let mut state = lock(&self.shared.state);
        if state.empty_approval_vocabularies != empty {
            Arc::make_mut(&mut state).empty_approval_vocabularies = empty;
        }
    }
}

/// The Iden organisation the simulator serves beside InvGate, under `/iden/<slug>/api/`.
impl SimHandle {
    /// The API root of the Iden org `slug` (`http://127.0.0.1:PORT/iden/acme`), what a profile's
    /// `base_url` holds; `/api/...` is appended by the client.
    pub fn iden_base_url(&self, slug: &str) -> String {
        format!("{}/iden/{slug}", self.base_url())
    }

    /// The served organisation: its apps, users and tickets.
    pub fn iden_org(&self) -> Arc<IdenOrg> {
        Arc::clone(&lock(&self.shared.iden).org)
    }

    /// Where each vendor is served and with which credentials, one line each, for
    /// `ttydesk sim` to print (the credentials are the simulator's own, made up).
    pub fn addresses(&self, instance: Instance) -> String {
        format!(
            "InvGate simulator ({}) on {}/api/v1/ (user {}, token {})\n\
             Iden simulator on {} (Api-Key {})\n\
             Truto simulator on {} (Bearer {})\n\
             Rezolve simulator on {} (Bearer {}, x-tenantid {}, realmname {})\n",
            instance.name(),
            self.base_url(),
            self.username(),
            self.password(),
            self.iden_base_url("acme"),
            self.iden_key(),
            self.truto_base_url(),
            self.truto_token(),
            self.rezolve_base_url("acme"),
            self.rezolve_token(),
            self.rezolve_tenant_id(),
            self.rezolve_realm()
        )
    }

    /// The API key the Iden org accepts (`Authorization: Api-Key <key>`).
    pub fn iden_key(&self) -> String {
        lock(&self.shared.iden).org.api_key.clone()
    }

    /// Revokes (or restores) the Iden key: while revoked it is answered 403.
    pub fn set_iden_key_revoked(&self, revoked: bool) {
        lock(&self.shared.iden).revoked = revoked;
    }

    /// How listings write `next` (see [`IdenNext`]).
    pub fn set_iden_next(&self, next: IdenNext) {
        lock(&self.shared.iden).next = next;
    }

    /// Caps `limit` like DRF's `max_limit`, so a listing takes more pages.
    pub fn set_iden_max_limit(&self, max: Option<usize>) {
        lock(&self.shared.iden).max_limit = max;
    }

    /// Renders this ticket with fields of the wrong kind from now on.
    pub fn break_iden_ticket(&self, uuid: &str) {
        lock(&self.shared.iden).broken.push(uuid.to_string());
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_parse_back_and_it_is_the_default() {
        for instance in Instance::ALL {
            assert_eq!(Instance::parse(instance.name()), Some(instance));
        }
        assert_eq!(Instance::parse("HR"), Some(Instance::Hr));
        assert_eq!(Instance::parse(" it "), Some(Instance::It));
        for unknown in ["", "itsm", "h r", "payroll"] {
            assert_eq!(Instance::parse(unknown), None, "{unknown:?}");
        }
        assert_eq!(Instance::default(), Instance::It);
        assert_eq!(SimOptions::default().instance, Instance::It);
    }
}
