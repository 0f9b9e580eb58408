//! What a simulated endpoint answers, and how it becomes an HTTP response: JSON bodies, the
//! `{error, status}` envelope of non-2xx replies, the HTTP-200 `{status:"ERROR", info}` logical
//! errors, and the legacy-instance transform that turns every number into a string.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Why an endpoint did not produce its normal payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// HTTP 428 Precondition Required: missing or mistyped required parameter.
    Precondition(String),
    /// HTTP 200 with `{"status":"ERROR","info":…}`: InvGate's "logical" failures.
    Logical(String),
    /// HTTP 404 for a path that is not an endpoint.
    NotFound,
    /// HTTP 405 for a known endpoint called with another method.
    MethodNotAllowed,
    /// HTTP 501: documented endpoint and method that the simulator does not implement yet.
    NotSimulated,
}

pub type Outcome = Result<Value, ApiError>;

/// A finished reply, before the legacy transform and serialisation.
#[derive(Debug, Clone)]
pub enum Reply {
    Json {
        status: StatusCode,
        body: Value,
    },
    /// A body sent verbatim (fault injection): any bytes, even invalid UTF-8.
    Raw {
        status: StatusCode,
        body: Vec<u8>,
        content_type: &'static str,
        retry_after: Option<u64>,
    },
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Reply::Json {
            status: StatusCode::OK,
            body,
        }
    }

    /// The `{error, status}` envelope InvGate uses for non-2xx answers.
    pub fn error(status: StatusCode, message: &str) -> Self {
        Reply::Json {
            status,
            body: json!({ "error": message, "status": status.as_u16() }),
        }
    }

    pub fn from_outcome(outcome: Outcome) -> Self {
        match outcome {
            Ok(body) => Reply::ok(body),
            Err(ApiError::Precondition(message)) => {
                Reply::error(StatusCode::PRECONDITION_REQUIRED, &message)
            }
            Err(ApiError::Logical(info)) => Reply::ok(json!({ "status": "ERROR", "info": info })),
            Err(ApiError::NotFound) => Reply::error(StatusCode::NOT_FOUND, "Not found"),
            Err(ApiError::MethodNotAllowed) => {
                Reply::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
            }
            Err(ApiError::NotSimulated) => Reply::error(
                StatusCode::NOT_IMPLEMENTED,
                "This endpoint is not simulated yet",
            ),
        }
    }

    /// Serialises the reply; `legacy` stringifies every number of a successful JSON body.
    pub fn into_response(self, legacy: bool) -> Response {
        match self {
            Reply::Json { status, mut body } => {
                if legacy && status.is_success() {
                    stringify_numbers(&mut body);
                }
                let text = body.to_string();
                (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
            }
            Reply::Raw {
                status,
                body,
                content_type,
                retry_after,
            } => {
                let mut response =
                    (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
                if let Some(secs) = retry_after {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
                }
                response
            }
        }
    }
}

/// A stand-in no endpoint ever sends, put where a splice goes and then replaced by its bytes.
fn splice_mark(n: usize) -> String {
    format!("\u{0}ttydesk-splice-{n}\u{0}")
}

impl Reply {
    /// This reply with the value at JSON `pointer` replaced by `raw`, verbatim: bytes a JSON
    /// encoder would never write (a nest too deep to parse, invalid UTF-8, a string where a
    /// list belongs). A reply without that value is left as it is.
    pub fn spliced(self, pointer: &str, raw: &[u8]) -> Reply {
        self.spliced_all(&[(pointer.to_string(), raw)])
    }

    /// [`Reply::spliced`] for several places at once; places the reply lacks are skipped.
    pub fn spliced_all(self, splices: &[(String, &[u8])]) -> Reply {
        let Reply::Json { status, mut body } = self else {
            return self;
        };
        let mut placed = Vec::new();
        for (n, (pointer, raw)) in splices.iter().enumerate() {
            if let Some(slot) = body.pointer_mut(pointer) {
                *slot = Value::String(splice_mark(n));
                placed.push((Value::String(splice_mark(n)).to_string(), *raw));
            }
        }
        if placed.is_empty() {
            return Reply::Json { status, body };
        }
        let mut text = body.to_string().into_bytes();
        for (mark, raw) in placed {
            let Some(at) = text.windows(mark.len()).position(|w| w == mark.as_bytes()) else {
                continue;
            };
            text.splice(at..at + mark.len(), raw.iter().copied());
        }
        Reply::Raw {
            status,
            body: text,
            content_type: "application/json",
            retry_after: None,
        }
    }
}

/// Legacy instances (e.g. InvGate's webdemo) send every number as a JSON string: `"id":"206"`,
/// `"requestIds":["143","206"]`. Booleans and nulls are left alone.
pub fn stringify_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => *value = Value::String(n.to_string()),
        Value::Array(items) => items.iter_mut().for_each(stringify_numbers),
        Value::Object(map) => map.values_mut().for_each(stringify_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_transform_stringifies_numbers_only() {
        let mut value = json!({"id": 206, "ids": [1, 2.5], "ok": true, "none": null, "s": "x"});
        stringify_numbers(&mut value);
        assert_eq!(
            value,
            json!({"id": "206", "ids": ["1", "2.5"], "ok": true, "none": null, "s": "x"})
        );
    }
}
