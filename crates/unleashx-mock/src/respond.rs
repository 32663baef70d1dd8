//! Building responses: JSON bodies through the generated types, and the
//! API's error shape.

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use unleashx_api::types;

use crate::faults::RetryAfter;

/// Error codes the simulator answers with (the spec's `ApiError.message` values).
pub(crate) mod code {
    pub const USERNAME_REQUIRED: &str = "USERNAME_REQUIRED";
    pub const INVALID_OTP: &str = "INVALID_OTP";
    pub const LOGIN_TOKEN_REQUIRED: &str = "LOGIN_TOKEN_REQUIRED";
    pub const INVALID_LOGIN_TOKEN: &str = "INVALID_LOGIN_TOKEN";
    pub const NO_API_TOKEN_FOUND: &str = "NO_API_TOKEN_FOUND";
    pub const API_TOKEN_REQUIRED: &str = "API_TOKEN_REQUIRED";
    pub const INVALID_API_TOKEN: &str = "INVALID_API_TOKEN";
    pub const INVALID_REQUEST: &str = "INVALID_REQUEST";
    pub const EMAIL_ALREADY_REGISTERED: &str = "EMAIL_ALREADY_REGISTERED";
    pub const COMPANY_ALREADY_EXISTS: &str = "COMPANY_ALREADY_EXISTS";
    pub const RESTRICTED_EMAIL_DOMAIN: &str = "RESTRICTED_EMAIL_DOMAIN";
    pub const CUSTOMER_ID_NOT_FOUND: &str = "CUSTOMER_ID_NOT_FOUND";
    pub const WORKSPACE_NOT_FOUND: &str = "WORKSPACE_NOT_FOUND";
    pub const INVALID_EXPIRATION_DAYS: &str = "INVALID_EXPIRATION_DAYS";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
}

/// A failed request: status and error code, answered as `types::ApiError`.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub retry_after: Option<RetryAfter>,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        Self {
            status,
            code: Cow::Borrowed(code),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code)
    }

    pub fn unauthorized(code: &'static str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code)
    }

    pub fn not_found(code: &'static str) -> Self {
        Self::new(StatusCode::NOT_FOUND, code)
    }

    pub fn conflict(code: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, code)
    }

    pub fn invalid_request() -> Self {
        Self::bad_request(code::INVALID_REQUEST)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = types::ApiError {
            error: Some(true),
            message: self.code.into_owned(),
        };
        let mut response = json(self.status, &body);
        if let Some(retry_after) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&retry_after.header_value()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// `value` as a JSON response with `status`.
pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            r#"{"error":true,"message":"INTERNAL_ERROR"}"#,
        )
            .into_response(),
    }
}
