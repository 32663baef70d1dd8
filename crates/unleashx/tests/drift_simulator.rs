//! The library's drift report against the simulator's named drift modes,
//! over HTTP; the plain simulator shows none.

use unleashx::{Client, Deviation, ErrorCode, OperationId, TokenStatus};
use unleashx_mock::{Drift, MockServer, DEMO_EMAIL, EXTRA_FIELD, RENAMED_INVALID_API_TOKEN};

const DEAD: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Runs the read-only calls against a simulator with `drift` (or none) and
/// returns the client's report.
async fn report(drift: Option<Drift>) -> unleashx::DriftReport {
    let mut builder = MockServer::builder();
    if let Some(d) = drift {
        builder = builder.drift(d);
    }
    let server = builder.start().await.expect("simulator");
    let client = Client::new(server.base_url()).expect("client");
    let login = server.issue_login_token(DEMO_EMAIL).expect("login token");
    let api = server.issue_api_token(DEMO_EMAIL).expect("api token");
    let session = client.with_login_token(login).expect("session");
    let _ = session.latest_api_token().await;
    let _ = client
        .with_login_token("x")
        .expect("session")
        .raw()
        .get_token()
        .send()
        .await;
    let _ = client.raw().get_token().send().await; // no token
    let _ = client.with_api_token(api).expect("api").verify().await;
    let dead = client.with_api_token(DEAD).expect("api").verify().await;
    if drift != Some(Drift::AuthorizationHeader) {
        assert!(matches!(dead, Ok(TokenStatus::Invalid(_))), "{dead:?}");
    }
    server.shutdown().await;
    client.drift()
}

#[tokio::test]
async fn the_plain_simulator_shows_no_drift() {
    let r = report(None).await;
    assert!(r.is_empty(), "{r}");
}

#[tokio::test]
async fn status_shift_is_reported() {
    let r = report(Some(Drift::StatusShift)).await;
    let d = Deviation::UnexpectedStatus {
        code: ErrorCode::LoginTokenRequired,
        status: 401,
        declared: Some(400),
    };
    assert_eq!(r.count(OperationId::GetToken, &d), 1, "{r}");
}

#[tokio::test]
async fn extra_field_is_reported() {
    let r = report(Some(Drift::ExtraField)).await;
    for (op, path) in [
        (OperationId::VerifyToken, EXTRA_FIELD.to_owned()),
        (OperationId::GetToken, format!("data.{EXTRA_FIELD}")),
    ] {
        let d = Deviation::UndocumentedField { status: 200, path };
        assert_eq!(r.count(op, &d), 1, "{r}");
    }
}

#[tokio::test]
async fn renamed_code_is_reported() {
    let r = report(Some(Drift::RenamedCode)).await;
    let d = Deviation::UnknownCode {
        status: 401,
        code: RENAMED_INVALID_API_TOKEN.into(),
    };
    assert_eq!(r.count(OperationId::VerifyToken, &d), 1, "{r}");
}

#[tokio::test]
async fn a_token_the_server_does_not_see_is_reported() {
    // authorization-header: the server reads only `Authorization`, so every
    // call that sent the `token` header gets the missing-token code.
    let r = report(Some(Drift::AuthorizationHeader)).await;
    for (op, code) in [
        (OperationId::GetToken, ErrorCode::LoginTokenRequired),
        (OperationId::VerifyToken, ErrorCode::ApiTokenRequired),
    ] {
        let d = Deviation::CredentialNotSeen { status: 400, code };
        assert!(r.count(op, &d) >= 1, "{op}: {r}");
    }
    // The call that sent no token got a documented answer: no drift there.
    let plain = Deviation::UnexpectedStatus {
        code: ErrorCode::LoginTokenRequired,
        status: 400,
        declared: Some(400),
    };
    assert_eq!(r.count(OperationId::GetToken, &plain), 0, "{r}");
}
