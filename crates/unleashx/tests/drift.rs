//! Drift from openapi.yaml: recorded per client with counts, never with a
//! secret, and an error in strict mode. Against a scripted server on
//! loopback (`drift_logs.rs` checks the WARN events).

mod support;

use support::{Reply, Scripted};
use unleashx::OperationId;
use unleashx::{Client, Deviation, ErrorCode, RetryPolicy, TokenStatus};

const HEX: &str = "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9";

fn client(base: &str, strict: bool) -> Client {
    Client::builder()
        .base_url(base)
        .retry(RetryPolicy::disabled())
        .strict(strict)
        .build()
        .expect("client")
}

#[tokio::test]
async fn documented_responses_record_no_drift() {
    let server = Scripted::start(vec![Reply::json(200, r#"{"message":"TOKEN_VALID"}"#)]).await;
    let client = client(&server.base_url.clone(), false);
    let api = client.with_api_token(HEX).expect("api");
    assert!(api.verify().await.expect("verify").is_valid());
    server.set(vec![Reply::error(401, "INVALID_API_TOKEN")]);
    assert!(!api.verify().await.expect("verify").is_valid());
    assert!(client.drift().is_empty(), "{}", client.drift());
}

#[tokio::test]
async fn a_code_with_another_status_is_recorded_and_stays_an_api_error() {
    let server = Scripted::start(vec![Reply::error(401, "LOGIN_TOKEN_REQUIRED")]).await;
    let client = client(&server.base_url.clone(), false);
    let session = client
        .with_login_token("login-token-value")
        .expect("session");
    for _ in 0..2 {
        let e = session.latest_api_token().await.expect_err("401");
        assert_eq!(e.code(), Some(&ErrorCode::LoginTokenRequired), "{e}");
    }
    let shifted = Deviation::UnexpectedStatus {
        code: ErrorCode::LoginTokenRequired,
        status: 401,
        declared: Some(400),
    };
    // One recorder per client: the session's calls show on the client and its other handles.
    let report = client.drift();
    assert_eq!(report.count(OperationId::GetToken, &shifted), 2, "{report}");
    assert_eq!(client.with_api_token(HEX).expect("api").drift(), report);
    assert_eq!(session.drift(), report);
}

#[tokio::test]
async fn an_undocumented_field_is_named_and_its_value_never_shown() {
    let body =
        format!(r#"{{"message":"TOKEN_VALID","session_key":"{HEX}","meta":{{"k":"{HEX}"}}}}"#);
    let server = Scripted::start(vec![Reply::json(200, &body)]).await;
    let client = client(&server.base_url.clone(), false);
    let api = client.with_api_token(HEX).expect("api");
    assert!(api.verify().await.expect("lenient").is_valid());
    let report = client.drift();
    for path in ["session_key", "meta"] {
        let d = Deviation::UndocumentedField {
            status: 200,
            path: path.into(),
        };
        assert_eq!(report.count(OperationId::VerifyToken, &d), 1, "{report}");
    }
    let shown = format!("{report}{report:?}");
    assert!(shown.contains("`session_key`"), "{shown}");
    assert!(!shown.contains(&HEX[..16]), "a value leaked: {shown}");
}

#[tokio::test]
async fn an_unknown_code_and_an_undocumented_status_are_recorded() {
    let server = Scripted::start(vec![Reply::error(401, "API_TOKEN_INVALID")]).await;
    let client = client(&server.base_url.clone(), false);
    let api = client.with_api_token(HEX).expect("api");
    match api.verify().await.expect("a dead token is a status") {
        TokenStatus::Invalid(code) => assert!(code.is_unknown(), "{code:?}"),
        other => panic!("{other:?}"),
    }
    server.set(vec![Reply::error(418, "INVALID_API_TOKEN")]);
    let e = api.verify().await.expect_err("418");
    assert_eq!(e.status(), Some(418));
    let report = client.drift();
    let op = OperationId::VerifyToken;
    let unknown = Deviation::UnknownCode {
        status: 401,
        code: "API_TOKEN_INVALID".into(),
    };
    assert_eq!(report.count(op, &unknown), 1, "{report}");
    assert_eq!(
        report.count(op, &Deviation::UndocumentedStatus { status: 418 }),
        1,
        "{report}"
    );
}

#[tokio::test]
async fn a_chunked_body_is_checked_too() {
    let server = Scripted::start(vec![Reply::Chunked {
        status: 200,
        chunk: br#"{"message":"TOKEN_VALID","x":1}"#.to_vec(),
        count: 1,
    }])
    .await;
    let client = client(&server.base_url.clone(), false);
    let api = client.with_api_token(HEX).expect("api");
    assert!(api.verify().await.expect("verify").is_valid());
    let d = Deviation::UndocumentedField {
        status: 200,
        path: "x".into(),
    };
    assert_eq!(client.drift().count(OperationId::VerifyToken, &d), 1);
}

#[tokio::test]
async fn strict_mode_turns_drift_into_an_error_that_is_not_retried() {
    let server = Scripted::start(vec![Reply::json(
        200,
        r#"{"message":"TOKEN_VALID","plan":"pro"}"#,
    )])
    .await;
    let client = Client::builder()
        .base_url(server.base_url.clone())
        .strict(true)
        .build()
        .expect("client");
    let api = client.with_api_token(HEX).expect("api");
    let e = api.verify().await.expect_err("strict");
    assert!(e.is_drift() && e.is_unexpected_response(), "{e:?}");
    let unleashx::Error::UnexpectedResponse(inner) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        inner.drift(),
        Some(
            &[Deviation::UndocumentedField {
                status: 200,
                path: "plan".into()
            }][..]
        )
    );
    assert!(e.to_string().contains("undocumented field `plan`"), "{e}");
    assert_eq!(server.count(), 1, "a drifting answer is not retried");
    // Error bodies too: the code with another status is refused, not an API error.
    server.set(vec![Reply::error(401, "LOGIN_TOKEN_REQUIRED")]);
    let session = client
        .with_login_token("login-token-value")
        .expect("session");
    let e = session.latest_api_token().await.expect_err("strict");
    assert!(e.is_drift(), "{e:?}");
    assert_eq!(e.status(), Some(401));
    // An undocumented status is read by the wrapper, not by the generated client.
    server.set(vec![Reply::error(418, "INVALID_API_TOKEN")]);
    let e = api.verify().await.expect_err("strict");
    assert!(e.is_drift(), "{e:?}");
    // The same answers, lenient: no error from drift.
    server.set(vec![Reply::json(
        200,
        r#"{"message":"TOKEN_VALID","plan":"pro"}"#,
    )]);
    let lenient = self::client(&server.base_url.clone(), false);
    assert!(lenient
        .with_api_token(HEX)
        .expect("api")
        .verify()
        .await
        .expect("lenient")
        .is_valid());
}
