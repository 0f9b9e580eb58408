//! A plain HTTP client for the simulator's tests: form-encoded writes and GETs with the
//! simulator's credentials, and the three shapes of an InvGate answer (`OK`, a logical `ERROR`
//! on HTTP 200, a 428 naming the parameter).

#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use ttydesk::sim::{SimHandle, SimOptions};

pub struct Answer {
    pub status: u16,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", self.text))
    }

    /// A write's `{"status":"OK"}` on HTTP 200; the body.
    pub fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], "OK", "{}", self.text);
        body
    }

    /// InvGate's logical error: HTTP 200 with `{"status":"ERROR","info":…}`; the info.
    pub fn logical_error(&self) -> String {
        assert_eq!(self.status, 200, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], "ERROR", "{}", self.text);
        let info = body["info"].as_str().unwrap_or_default().to_string();
        assert!(!info.is_empty(), "{}", self.text);
        info
    }

    /// HTTP 428 with the `{error, status}` envelope naming the parameter.
    pub fn precondition(&self, param: &str) {
        assert_eq!(self.status, 428, "{}", self.text);
        let body = self.json();
        assert_eq!(body["status"], 428, "{}", self.text);
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(param)),
            "{}",
            self.text
        );
    }
}

pub async fn start() -> SimHandle {
    SimHandle::start(SimOptions::default())
        .await
        .expect("simulator starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn form(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request succeeds");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    Answer { status, text }
}

/// A form-encoded write with the simulator's credentials.
pub async fn write(
    sim: &SimHandle,
    method: reqwest::Method,
    endpoint: &str,
    pairs: &[(&str, String)],
) -> Answer {
    answer(
        client()
            .request(method, format!("{}/api/v1/{endpoint}", sim.base_url()))
            .basic_auth(sim.username(), Some(sim.password()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(pairs)),
    )
    .await
}

pub async fn post(sim: &SimHandle, endpoint: &str, pairs: &[(&str, String)]) -> Answer {
    write(sim, reqwest::Method::POST, endpoint, pairs).await
}

pub async fn put(sim: &SimHandle, endpoint: &str, pairs: &[(&str, String)]) -> Answer {
    write(sim, reqwest::Method::PUT, endpoint, pairs).await
}

pub async fn get(sim: &SimHandle, endpoint_and_query: &str) -> Answer {
    let url = format!("{}/api/v1/{endpoint_and_query}", sim.base_url());
    answer(
        client()
            .get(url)
            .basic_auth(sim.username(), Some(sim.password())),
    )
    .await
}

pub fn s(value: impl ToString) -> String {
    value.to_string()
}

pub fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    i64::try_from(secs).expect("epoch fits")
}
