//! A small scripted InvGate for the approval tests: it keeps approvals and voters, serves
//! `incident.approval` (with `only_pending`) and `possible_voters` from them, applies the five
//! approval writes to them, records every call, and counts how many run at once. Test-only.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::client::{Client, normalize_base};
use crate::provider::http::{HttpClient, HttpSettings};

/// One call as the stub saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub endpoint: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
}

impl Seen {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.form
            .iter()
            .chain(&self.query)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Default)]
pub struct Stub {
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// `incident.approval` by request id.
    pub approvals: Arc<Mutex<HashMap<String, Vec<Value>>>>,
    /// `incident.approval.possible_voters` by approval id.
    pub voters: Arc<Mutex<HashMap<String, Vec<Value>>>>,
    /// A fixed reply for an endpoint, whatever is asked: `(HTTP status, body)`.
    pub canned: Arc<Mutex<HashMap<String, (u16, Value)>>>,
    /// HTTP statuses `incident.approval` answers for these request ids.
    pub failing: Arc<Mutex<HashMap<String, u16>>>,
    /// Apply a write, then answer too late for the client.
    pub lose_reply: bool,
    /// How long each read takes.
    pub delay: Duration,
    pub in_flight: Arc<AtomicUsize>,
    pub most_in_flight: Arc<AtomicUsize>,
}

impl Stub {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn can(&self, endpoint: &str, status: u16, body: Value) {
        self.canned
            .lock()
            .unwrap()
            .insert(endpoint.into(), (status, body));
    }

    /// Request 7 with approval 5 (spontaneous, by agent 12, waiting) and its voters: 12 and
    /// 30 waiting, 31 approved.
    pub fn with_request_seven(self) -> Stub {
        self.approvals.lock().unwrap().insert(
            "7".into(),
            vec![json!({"id": 5, "author_id": 12, "status": -1, "type": 2,
                "created_at": 1_700_000_000, "approval_request_id": 0,
                "approval_request_description": "Buy a laptop"})],
        );
        self.voters.lock().unwrap().insert(
            "5".into(),
            vec![
                json!({"user_id": 12, "status": -1}),
                json!({"user_id": 30, "status": -1}),
                json!({"user_id": 31, "status": 1}),
            ],
        );
        self
    }
}

fn pairs(raw: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{raw}"))
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

async fn handle(
    State(stub): State<Stub>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> impl IntoResponse {
    let seen = Seen {
        method: method.to_string(),
        endpoint: uri.path().trim_start_matches("/api/v1/").to_string(),
        query: pairs(uri.query().unwrap_or("")),
        form: pairs(&String::from_utf8_lossy(&body)),
    };
    stub.seen.lock().unwrap().push(seen.clone());
    let now = stub.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stub.most_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(stub.delay).await;
    let (status, reply) = answer(&stub, &seen);
    stub.in_flight.fetch_sub(1, Ordering::SeqCst);
    if stub.lose_reply && seen.method != "GET" {
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(reply))
}

/// Whether a JSON id (an int, or a string on legacy servers) is `id`.
fn is(value: &Value, id: &str) -> bool {
    match value {
        Value::String(s) => s == id,
        Value::Number(n) => n.as_i64().is_some() && n.as_i64() == id.parse().ok(),
        _ => false,
    }
}

/// The reply to one call, applying writes to the stub's approvals and voters.
fn answer(stub: &Stub, seen: &Seen) -> (u16, Value) {
    if let Some(canned) = stub.canned.lock().unwrap().get(&seen.endpoint) {
        return canned.clone();
    }
    let get = |key: &str| seen.get(key).unwrap_or_default().to_string();
    let ok = (200, json!({"status": "OK", "info": "done"}));
    let mut approvals = stub.approvals.lock().unwrap();
    let mut voters = stub.voters.lock().unwrap();
    let vote = match seen.endpoint.as_str() {
        "incident.approval.accept" => Some(1),
        "incident.approval.reject" => Some(0),
        _ => None,
    };
    if let Some(vote) = vote {
        let list = voters.entry(get("approval_id")).or_default();
        for v in list
            .iter_mut()
            .filter(|v| is(&v["user_id"], &get("user_id")))
        {
            v["status"] = json!(vote);
        }
        return ok;
    }
    let created = match seen.endpoint.as_str() {
        "incident.spontaneous_approval" => Some((
            json!({"type": 2, "author_id": get("author_id"),
                "approval_request_description": get("description")}),
            Some(json!({"user_id": get("approval_user_id"), "status": -1})),
        )),
        "incident.custom_approval" if seen.method == "POST" => Some((
            json!({"type": 1, "author_id": get("author_id"),
                "approval_request_id": get("approval_id"),
                "approval_request_description": get("description")}),
            None,
        )),
        _ => None,
    };
    if let Some((mut approval, voter)) = created {
        let list = approvals.entry(get("request_id")).or_default();
        let id = 100 + list.len();
        approval["id"] = json!(id);
        approval["created_at"] = json!(chrono::Utc::now().timestamp());
        approval["status"] = json!(-1);
        list.push(approval);
        voters.insert(id.to_string(), voter.into_iter().collect());
        return ok;
    }
    match (seen.method.as_str(), seen.endpoint.as_str()) {
        ("GET", "incident.approval") => {
            let request = get("request_id");
            if let Some(status) = stub.failing.lock().unwrap().get(&request) {
                return (*status, json!({"error": "unavailable"}));
            }
            let pending = get("only_pending") == "1";
            let list: Vec<Value> = approvals
                .get(&request)
                .into_iter()
                .flatten()
                .filter(|a| !pending || a["status"] == json!(-1))
                .cloned()
                .collect();
            (200, Value::Array(list))
        }
        ("GET", "incident.approval.possible_voters") => match voters.get(&get("approval_id")) {
            Some(list) => (200, Value::Array(list.clone())),
            None => (
                200,
                json!({"status": "ERROR", "info": "The approval does not exist."}),
            ),
        },
        ("PUT", "incident.approval.cancel") => {
            for a in approvals.values_mut().flatten() {
                if is(&a["id"], &get("approval_id")) {
                    a["status"] = json!(-2);
                }
            }
            ok
        }
        ("POST", "incident.approval.add_voter") => {
            voters
                .entry(get("approval_id"))
                .or_default()
                .push(json!({"user_id": get("user_id"), "status": -1}));
            (
                200,
                json!({"approval_id": get("approval_id"), "user_id": get("user_id")}),
            )
        }
        _ => (404, json!({"error": "no such endpoint"})),
    }
}

pub async fn serve(stub: Stub) -> Client {
    let app = Router::new().fallback(handle).with_state(stub);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let timeouts = HttpSettings {
        connect: Duration::from_secs(2),
        read: Duration::from_millis(400),
        total: Duration::from_millis(600),
        ..HttpSettings::default()
    };
    Client::new(
        HttpClient::new(timeouts).unwrap(),
        normalize_base(&format!("http://{addr}")).unwrap(),
        "api".into(),
        "t0ken".to_string().into(),
    )
}
