//! Each named drift changes the simulator's answer over HTTP as documented,
//! and only while it is on.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{get, post, Reply};
use serde_json::{json, Value};
use unleashx_mock::{
    Drift, ErrorCode, MockServer, Operation, DEMO_EMAIL, EXTRA_FIELD, RENAMED_INVALID_API_TOKEN,
};

async fn drifting(drift: Drift) -> MockServer {
    MockServer::builder().drift(drift).start().await.unwrap()
}

/// Sends `op` with the credential in `header` (`token`, `authorization`, ...).
async fn with_header(server: &MockServer, op: Operation, header: &str, value: &str) -> Reply {
    let url = format!("{}{}", server.base_url(), op.path());
    let request = match op.method().as_str() {
        "GET" => common::http().get(url),
        _ => common::http().post(url).json(&json!({})),
    };
    let response = request.header(header, value).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn the_plain_simulator_does_not_drift() {
    let server = MockServer::start().await.unwrap();
    assert!(server.state().drifts().is_empty());
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let reply = post(&server, Operation::VerifyToken, Some(&api), json!({})).await;
    assert_eq!(reply.assert_ok(), &json!({"message": "TOKEN_VALID"}));
    get(&server, Operation::GetToken, None)
        .await
        .assert_error(400, "LOGIN_TOKEN_REQUIRED");
    post(&server, Operation::VerifyToken, Some("0"), json!({}))
        .await
        .assert_error(401, "INVALID_API_TOKEN");
}

#[tokio::test]
async fn status_shift_answers_login_token_required_with_401() {
    let spec = Operation::GetToken
        .status_of(&ErrorCode::LoginTokenRequired)
        .unwrap();
    assert_eq!(spec, 400, "the drift is named after the spec's 400");
    let server = drifting(Drift::StatusShift).await;
    for op in [Operation::GetToken, Operation::GenerateToken] {
        let reply = match op {
            Operation::GetToken => get(&server, op, None).await,
            _ => post(&server, op, None, json!({})).await,
        };
        reply.assert_error(401, "LOGIN_TOKEN_REQUIRED");
    }
    // Other codes keep the spec's status.
    get(&server, Operation::GetToken, Some("nope"))
        .await
        .assert_error(401, "INVALID_LOGIN_TOKEN");
    post(&server, Operation::VerifyToken, None, json!({}))
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
    // Off again: the spec's status.
    server.state().set_drifts(&[]);
    get(&server, Operation::GetToken, None)
        .await
        .assert_error(400, "LOGIN_TOKEN_REQUIRED");
}

#[tokio::test]
async fn extra_field_adds_a_field_to_success_bodies_and_data() {
    let server = drifting(Drift::ExtraField).await;
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let login = server.issue_login_token(DEMO_EMAIL).unwrap();
    let reply = post(&server, Operation::VerifyToken, Some(&api), json!({})).await;
    assert_eq!(
        reply.assert_ok(),
        &json!({"message": "TOKEN_VALID", EXTRA_FIELD: "drift"})
    );
    let reply = get(&server, Operation::GetToken, Some(&login)).await;
    let body = reply.assert_ok();
    assert_eq!(body[EXTRA_FIELD], "drift");
    assert_eq!(body["data"][EXTRA_FIELD], "drift");
    assert_eq!(body["data"]["token"], api.as_str());
    // Error bodies keep the spec's shape.
    post(&server, Operation::VerifyToken, None, json!({}))
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
    server.state().set_drifts(&[]);
    let reply = get(&server, Operation::GetToken, Some(&login)).await;
    assert!(reply.assert_ok().get(EXTRA_FIELD).is_none());
    assert!(reply.body["data"].get(EXTRA_FIELD).is_none());
}

#[tokio::test]
async fn renamed_code_sends_token_invalid_with_the_same_status() {
    let server = drifting(Drift::RenamedCode).await;
    for op in [
        Operation::VerifyToken,
        Operation::OnboardUser,
        Operation::GetTokenByCustomerId,
    ] {
        post(&server, op, Some("0"), json!({}))
            .await
            .assert_error(401, RENAMED_INVALID_API_TOKEN);
    }
    // An injected INVALID_API_TOKEN is renamed too; other codes are not.
    server
        .faults()
        .fail_next_with_code(Operation::VerifyToken, 1, ErrorCode::InvalidApiToken)
        .unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    post(&server, Operation::VerifyToken, Some(&api), json!({}))
        .await
        .assert_error(401, RENAMED_INVALID_API_TOKEN);
    post(&server, Operation::VerifyToken, None, json!({}))
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
    assert!(ErrorCode::from(RENAMED_INVALID_API_TOKEN).is_unknown());
}

#[tokio::test]
async fn authorization_header_ignores_the_token_header() {
    let server = drifting(Drift::AuthorizationHeader).await;
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let login = server.issue_login_token(DEMO_EMAIL).unwrap();
    // The spec's header now counts as missing.
    with_header(&server, Operation::VerifyToken, "token", &api)
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
    with_header(&server, Operation::GetToken, "token", &login)
        .await
        .assert_error(400, "LOGIN_TOKEN_REQUIRED");
    // Authorization works, raw or as a bearer token.
    with_header(&server, Operation::VerifyToken, "authorization", &api)
        .await
        .assert_ok();
    with_header(
        &server,
        Operation::VerifyToken,
        "authorization",
        &format!("Bearer {api}"),
    )
    .await
    .assert_ok();
    with_header(&server, Operation::GetToken, "authorization", &login)
        .await
        .assert_ok();
    with_header(&server, Operation::VerifyToken, "authorization", "Bearer 0")
        .await
        .assert_error(401, "INVALID_API_TOKEN");

    // Without the drift it is the other way round.
    server.state().set_drifts(&[]);
    with_header(&server, Operation::VerifyToken, "token", &api)
        .await
        .assert_ok();
    with_header(&server, Operation::VerifyToken, "authorization", &api)
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
}

#[tokio::test]
async fn drifts_combine() {
    let server = MockServer::builder()
        .drift(Drift::RenamedCode)
        .drift(Drift::StatusShift)
        .start()
        .await
        .unwrap();
    assert_eq!(
        server.state().drifts(),
        [Drift::StatusShift, Drift::RenamedCode]
    );
    get(&server, Operation::GetToken, None)
        .await
        .assert_error(401, "LOGIN_TOKEN_REQUIRED");
    post(&server, Operation::VerifyToken, Some("0"), json!({}))
        .await
        .assert_error(401, RENAMED_INVALID_API_TOKEN);
}

#[tokio::test]
async fn the_binary_takes_drift_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unleashx-mock"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--drift",
            "renamed-code",
            "--drift=status-shift",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let listening: Value = serde_json::from_str(line.trim()).unwrap();
    let base = listening["base_url"].as_str().unwrap().to_owned();
    let client = common::http();
    let reply = client
        .post(format!("{base}{}", Operation::VerifyToken.path()))
        .header("token", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 401);
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["message"], RENAMED_INVALID_API_TOKEN);
    let reply = client
        .get(format!("{base}{}", Operation::GetToken.path()))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 401);
    child.kill().unwrap();
    child.wait().unwrap();
}
