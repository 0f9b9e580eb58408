//! What the InvGate contract tests share: a simulator, the real provider against it, the
//! request log, and checks on text that came through the boundary.

#![allow(dead_code, clippy::expect_used)]

use secrecy::SecretString;
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::invgate::{InvGate, InvGateConfig};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions};

pub async fn sim(opts: SimOptions) -> SimHandle {
    SimHandle::start(opts).await.expect("simulator starts")
}

pub fn provider_with(sim: &SimHandle, password: &str, timeouts: HttpSettings) -> InvGate {
    InvGate::new(InvGateConfig {
        base_url: sim.base_url(),
        username: sim.username().to_string(),
        token: SecretString::from(password.to_string()),
        timeouts,
    })
    .expect("provider builds")
}

pub fn provider(sim: &SimHandle) -> InvGate {
    provider_with(sim, sim.password(), HttpSettings::default())
}

pub fn calls<'a>(log: &'a [RecordedRequest], endpoint: &str) -> Vec<&'a RecordedRequest> {
    log.iter().filter(|r| r.endpoint == endpoint).collect()
}

pub fn param<'a>(r: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

pub fn has_controls(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

/// No control characters, no bidi overrides, and no printable residue of an escape sequence
/// (`]0;PWNED`, `]52;c;…`, `[2J`).
pub fn inert(text: &str) -> bool {
    !has_controls(text)
        && !text.contains('\u{202e}')
        && !text.contains("]0;")
        && !text.contains("PWNED")
        && !text.contains("]52;")
        && !text.contains("[2J")
}

/// An open request whose thread has public, internal and solution comments and which has custom
/// field values: the richest detail the dataset offers.
pub fn rich_request(sim: &SimHandle) -> ttydesk::sim::Request {
    sim.dataset()
        .requests
        .iter()
        .filter(|r| !r.custom_fields.is_empty())
        .find(|r| {
            r.comments.iter().any(|c| c.customer_visible)
                && r.comments.iter().any(|c| !c.customer_visible)
                && r.comments.iter().any(|c| c.is_solution)
        })
        .cloned()
        .expect("the dataset has a request with a full thread")
}

pub fn fault(endpoint: &str, kind: FaultKind) -> Fault {
    Fault {
        endpoint: Some(endpoint.to_string()),
        kind,
        times: 1,
    }
}
