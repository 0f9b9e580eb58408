//! Writes against a tiny scripted server: what goes on the wire (form body, not query string;
//! DELETE in the query string; Basic auth), and a comment whose reply is lost (the server keeps
//! it, the client times out) found again by reconciliation, with no second send. Test-only.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::client::{Client, Query, normalize_base};
use super::{reconcile, write};
use crate::domain::{Catalog, Reconciled, TicketId, UserId, Visibility, Write};
use crate::provider::ProviderError;
use crate::provider::http::{HttpClient, HttpSettings, Idempotency};

/// One call as the stub saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    endpoint: String,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    content_type: Option<String>,
    authorization: Option<String>,
}

#[derive(Clone, Default)]
struct Stub {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Comments kept by `incident.comment` POSTs, served back by its GET.
    comments: Arc<Mutex<Vec<Value>>>,
    /// Keep the comment, then answer too late for the client.
    lose_reply: bool,
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
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let seen = Seen {
        method: method.to_string(),
        endpoint: uri.path().trim_start_matches("/api/v1/").to_string(),
        query: pairs(uri.query().unwrap_or("")),
        form: pairs(&String::from_utf8_lossy(&body)),
        content_type: header(axum::http::header::CONTENT_TYPE),
        authorization: header(axum::http::header::AUTHORIZATION),
    };
    stub.seen.lock().unwrap().push(seen.clone());
    let get = |key: &str| {
        seen.form
            .iter()
            .chain(&seen.query)
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match (seen.method.as_str(), seen.endpoint.as_str()) {
        ("POST", "incident.comment") => {
            let id = {
                let mut comments = stub.comments.lock().unwrap();
                let id = 500 + comments.len();
                comments.push(json!({
                    "id": id, "author_id": get("author_id"), "message": get("comment"),
                    "created_at": chrono::Utc::now().timestamp(),
                    "customer_visible": get("customer_visible") == "1",
                    "is_solution": get("is_solution") == "1",
                }));
                id
            };
            if stub.lose_reply {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            axum::Json(json!({"status": "OK", "info": "Comment added", "id": id}))
        }
        ("GET", "incident.comment") => {
            axum::Json(Value::Array(stub.comments.lock().unwrap().clone()))
        }
        ("PUT", "incident.reopen") => axum::Json(json!({
            "status": "ERROR", "info": "Only a resolved request can be reopened."
        })),
        _ => axum::Json(json!({"status": "OK", "info": "done"})),
    }
}

async fn serve(stub: Stub) -> Client {
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

fn comment() -> Write {
    Write::Comment {
        ticket: TicketId::from("7"),
        body: "Restarted the spooler & <queue>\nsecond line".into(),
        visibility: Visibility::Public,
        solution: false,
    }
}

#[tokio::test]
async fn writes_go_in_a_form_body_and_deletes_in_the_query() {
    let stub = Stub::default();
    let client = serve(stub.clone()).await;
    let author = UserId::from("12");
    let written = write::send(&client, &comment(), &author).await.unwrap();
    assert_eq!(
        written.subject,
        crate::domain::Subject::Ticket(TicketId::from("7"))
    );
    assert_eq!(written.created_id.as_deref(), Some("500"));
    client
        .send(
            Method::DELETE,
            "incident.custom_field",
            &Query::new()
                .param("request_id", 7)
                .param("custom_field_uid", 20),
            Idempotency::Idempotent,
        )
        .await
        .unwrap();

    let seen = stub.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    let post = &seen[0];
    assert_eq!(
        (post.method.as_str(), post.endpoint.as_str()),
        ("POST", "incident.comment")
    );
    assert!(
        post.query.is_empty(),
        "nothing in the URL: {:?}",
        post.query
    );
    assert_eq!(
        post.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let names: Vec<&str> = post.form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "request_id",
            "comment",
            "author_id",
            "is_solution",
            "customer_visible"
        ]
    );
    assert_eq!(
        post.form[1].1,
        "<p>Restarted the spooler &amp; &lt;queue&gt;<br>second line</p>"
    );
    assert!(
        post.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with("Basic ")),
        "{:?}",
        post.authorization
    );
    let delete = &seen[1];
    assert_eq!(delete.method, "DELETE");
    assert!(delete.form.is_empty());
    assert_eq!(
        delete.query,
        [
            ("request_id".to_string(), "7".to_string()),
            ("custom_field_uid".to_string(), "20".to_string())
        ]
    );
}

#[tokio::test]
async fn a_refused_transition_carries_the_servers_sentence() {
    let client = serve(Stub::default()).await;
    let err = write::send(
        &client,
        &Write::Reopen {
            ticket: TicketId::from("7"),
        },
        &UserId::from("12"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server refused the request: Only a resolved request can be reopened."
    );
}

#[tokio::test]
async fn incomplete_writes_are_refused_before_anything_is_sent() {
    let stub = Stub::default();
    let client = serve(stub.clone()).await;
    let empty = Write::Comment {
        ticket: TicketId::from("7"),
        body: " \n".into(),
        visibility: Visibility::Internal,
        solution: false,
    };
    let err = write::send(&client, &empty, &UserId::from("12"))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Rejected(_)), "{err:?}");
    let err = write::send(&client, &comment(), &UserId::from(""))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Rejected(_)), "{err:?}");
    assert!(stub.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_comment_whose_reply_was_lost_is_found_and_not_sent_twice() {
    let stub = Stub {
        lose_reply: true,
        ..Stub::default()
    };
    let client = serve(stub.clone()).await;
    let author = UserId::from("12");
    let catalog = Catalog::default();
    let since = chrono::Utc::now();

    let before = reconcile::reconcile(&client, &comment(), &author, since, &catalog)
        .await
        .unwrap();
    assert_eq!(before, Reconciled::NotApplied);

    let lost = write::send(&client, &comment(), &author).await;
    assert!(
        matches!(lost, Err(ProviderError::Timeout { .. })),
        "{lost:?}"
    );
    let found = reconcile::reconcile(&client, &comment(), &author, since, &catalog)
        .await
        .unwrap();
    match found {
        Reconciled::Applied(written) => {
            assert_eq!(written.created_id.as_deref(), Some("500"));
        }
        other => panic!("expected Applied, got {other:?}"),
    }
    // Someone else's identical words do not count as this agent's.
    let theirs = reconcile::reconcile(&client, &comment(), &UserId::from("13"), since, &catalog)
        .await
        .unwrap();
    assert_eq!(theirs, Reconciled::NotApplied);

    let posts = stub
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.method == "POST")
        .count();
    assert_eq!(
        posts, 1,
        "a comment is never sent again by the client itself"
    );
}
