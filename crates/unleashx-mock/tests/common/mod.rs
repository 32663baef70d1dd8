//! Helpers shared by the integration tests: raw HTTP calls with reqwest.
#![allow(dead_code)]

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use unleashx_api::catalogue::Security;
use unleashx_mock::{MockServer, Operation, DEMO_EMAIL};

/// A decoded response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Asserts the API's error shape with `status` and `code`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.body, json!({"error": true, "message": code}));
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Value {
        assert_eq!(self.status, 200, "body: {}", self.body);
        &self.body
    }

    pub fn str(&self, pointer: &str) -> String {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no string at {pointer} in {}", self.body))
            .to_owned()
    }
}

pub fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// Sends a request; `body` is sent raw with `content_type` when given.
pub async fn send(
    server: &MockServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Option<Vec<u8>>,
) -> Reply {
    let mut request = http().request(method, format!("{}{}", server.base_url(), path));
    if let Some(t) = token {
        request = request.header("token", t);
    }
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    if let Some(b) = body {
        request = request.body(b);
    }
    let response = request.send().await.expect("request failed");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body");
    let body: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes)));
    Reply {
        status,
        headers,
        body,
    }
}

/// POSTs `body` as JSON to `op`'s path.
pub async fn post(server: &MockServer, op: Operation, token: Option<&str>, body: Value) -> Reply {
    send(
        server,
        Method::POST,
        op.path(),
        token,
        Some("application/json"),
        Some(body.to_string().into_bytes()),
    )
    .await
}

/// GETs `op`'s path.
pub async fn get(server: &MockServer, op: Operation, token: Option<&str>) -> Reply {
    send(server, Method::GET, op.path(), token, None, None).await
}

/// Both login steps for `email`, reading the OTP from the state; returns the login token.
pub async fn login(server: &MockServer, email: &str) -> String {
    post(server, Operation::Login, None, json!({"username": email}))
        .await
        .assert_ok();
    let otp = server.last_otp(email).expect("an OTP was issued");
    let reply = post(
        server,
        Operation::Login,
        None,
        json!({"username": email, "otp": otp}),
    )
    .await;
    reply.assert_ok();
    reply.str("/token")
}

/// Whether `s` is 64 lowercase hexadecimal characters.
pub fn is_api_token(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The operations that take a body (`request_fields` in the catalogue), and
/// whether its schema has fields: those need a JSON content type; the others
/// take the empty object.
pub fn body_ops() -> impl Iterator<Item = (Operation, bool)> {
    Operation::ALL
        .into_iter()
        .filter_map(|op| Some((op, !op.request_fields()?.is_empty())))
}

/// A credential of the kind `op`'s security names, for the demo account;
/// `None` for an operation that takes none.
pub fn credential(server: &MockServer, op: Operation) -> Option<String> {
    match op.security() {
        Security::None => None,
        Security::LoginToken => server.issue_login_token(DEMO_EMAIL),
        Security::ApiToken => server.issue_api_token(DEMO_EMAIL),
    }
}

/// Sends `op` its way: a GET, or a POST of `body` as JSON.
pub async fn call(server: &MockServer, op: Operation, token: Option<&str>, body: Value) -> Reply {
    match op.method().as_str() {
        "GET" => get(server, op, token).await,
        _ => post(server, op, token, body).await,
    }
}
