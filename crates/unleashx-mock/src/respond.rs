//! Building responses: JSON bodies through the generated types, and the
//! API's error shape with the status the spec gives each code.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use unleashx_api::catalogue::{ErrorCode, OperationId};
use unleashx_api::types;

use crate::faults::RetryAfter;

/// Codes the simulator sends outside the spec's operations. They are not part
/// of `openapi.yaml`: the API's own answers to these cases are unknown.
pub(crate) mod local {
    /// A path no operation has (404).
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// An operation's path with another method (405).
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    /// A bug in the simulator (500); never expected.
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
}

/// Why a handler refuses a request. The status is settled by the operation's
/// route (see `routes`), which knows the operation and the active drifts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A code of the spec, answered with the status the spec gives it on the operation.
    Spec(ErrorCode),
    /// A code with the status an HTTP-level problem calls for (413 too large,
    /// 415 not JSON, 500 a simulator bug), whatever the operation.
    Http(StatusCode, ErrorCode),
}

impl From<ErrorCode> for Refusal {
    fn from(code: ErrorCode) -> Self {
        Refusal::Spec(code)
    }
}

impl Refusal {
    /// The request body is not valid (`INVALID_REQUEST`).
    pub fn invalid_request() -> Self {
        Refusal::Spec(ErrorCode::InvalidRequest)
    }

    /// A simulator bug.
    pub fn internal() -> Self {
        Refusal::Http(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::from(local::INTERNAL_ERROR),
        )
    }

    /// The code and the status it is answered with on `op`.
    pub fn resolve(self, op: OperationId) -> (StatusCode, ErrorCode) {
        match self {
            Refusal::Spec(code) => (spec_status(op, &code), code),
            Refusal::Http(status, code) => (status, code),
        }
    }
}

/// The status the spec gives `code` on `op`. A code the operation does not
/// declare (a malformed body sent to an operation that takes none) gets the
/// status the spec gives it on the first operation that declares it, and a
/// code no operation declares 500.
pub(crate) fn spec_status(op: OperationId, code: &ErrorCode) -> StatusCode {
    op.status_of(code)
        .or_else(|| OperationId::ALL.iter().find_map(|o| o.status_of(code)))
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A handler's refusal travels to its route's layer as a response extension.
impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The API's error body `{"error": true, "message": CODE}` with `status`.
pub(crate) fn error(status: StatusCode, code: &str, retry_after: Option<RetryAfter>) -> Response {
    let body = types::ApiError {
        error: Some(true),
        message: code.to_owned(),
    };
    let mut response = json(status, &body);
    if let Some(v) = retry_after.and_then(|r| HeaderValue::from_str(&r.header_value()).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// `value` as a JSON response with `status`.
pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    let (status, body) = match serde_json::to_vec(value) {
        Ok(bytes) => (status, bytes),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            br#"{"error":true,"message":"INTERNAL_ERROR"}"#.to_vec(),
        ),
    };
    let json = HeaderValue::from_static("application/json");
    (status, [(header::CONTENT_TYPE, json)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_come_from_the_spec() {
        for op in OperationId::ALL {
            for declared in op.errors() {
                let status = spec_status(op, &declared.code);
                assert_eq!(
                    Some(status.as_u16()),
                    op.status_of(&declared.code),
                    "{op} {}",
                    declared.code
                );
            }
        }
        // Every code the spec knows has a status somewhere.
        for code in ErrorCode::KNOWN {
            assert_ne!(
                spec_status(OperationId::Login, code),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{code}"
            );
        }
        assert_eq!(
            spec_status(OperationId::Login, &ErrorCode::from("NOPE")),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
