//! `call_json`: any operation by its id with a JSON body, through the same
//! layer as the typed methods (credential check, body check before sending,
//! retries by retry safety, typed errors, drift), against the simulator.

use std::time::Duration;

use serde_json::json;
use unleashx::{Client, Deviation, Error, ErrorCode, OperationId, RetryPolicy};
use unleashx_mock::{
    Drift, MockServer, RetryAfter, StatusCode, DEMO_CUSTOMER_SALT, DEMO_EMAIL, EXTRA_FIELD,
};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

fn counts(server: &MockServer) -> [u64; OperationId::ALL.len()] {
    OperationId::ALL.map(|op| server.requests(op))
}

#[tokio::test]
async fn each_operation_answers_its_documented_body() {
    let server = MockServer::start().await.expect("simulator");
    let client = client(&server);
    let session = client
        .with_login_token(server.issue_login_token(DEMO_EMAIL).expect("login"))
        .expect("session");
    let api = client
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("api"))
        .expect("api");

    let otp = client
        .call_json(OperationId::Login, Some(json!({"username": DEMO_EMAIL})))
        .expect("a valid body")
        .await
        .expect("OTP sent");
    assert!(otp["message"].is_string(), "{otp}");
    let details = session
        .call_json(OperationId::GetToken, None)
        .expect("no body")
        .await
        .expect("latest token");
    assert_eq!(details["data"]["email"], DEMO_EMAIL);
    let minted = api
        .call_json(
            OperationId::GetTokenByCustomerId,
            Some(json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": 30})),
        )
        .expect("a valid body")
        .send_with_meta()
        .await
        .expect("minted");
    assert_eq!(minted.value()["customerid"], DEMO_CUSTOMER_SALT);
    assert_eq!(minted.meta().status(), 200);
    // The token is a secret in the typed API; as JSON it is the body's value.
    assert!(minted.value()["customer_api_key"]
        .as_str()
        .is_some_and(|k| !k.is_empty()));
}

#[tokio::test]
async fn a_refused_body_or_the_wrong_credential_sends_nothing() {
    let server = MockServer::start().await.expect("simulator");
    let client = client(&server);
    let api = client
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("api"))
        .expect("api");
    let before = counts(&server);

    let refused = api
        .call_json(
            OperationId::GetTokenByCustomerId,
            Some(json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": 0})),
        )
        .expect_err("0 days is refused by the generated type");
    let Error::InvalidInput(e) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!(e.field(), "body");
    assert!(e.reason().contains("`expiration_days`"), "{}", e.reason());

    let missing = api
        .call_json(OperationId::OnboardUser, None)
        .expect_err("onboard needs its fields");
    assert!(missing.to_string().contains("missing field"), "{missing}");

    let bodiless = client
        .with_login_token("x")
        .expect("session")
        .call_json(OperationId::GetToken, Some(json!({"a": 1})))
        .expect_err("get_token takes no body");
    assert!(matches!(bodiless, Error::InvalidInput(_)), "{bodiless:?}");

    for op in OperationId::ALL {
        let held = [
            client.call_json(op, None).err(),
            api.call_json(op, None).err(),
        ];
        let wrong = held
            .iter()
            .filter(|e| matches!(e, Some(Error::InvalidInput(i)) if i.field() == "operation"))
            .count();
        assert!(
            wrong >= 1,
            "{op}: a handle without its credential is refused"
        );
    }
    assert_eq!(counts(&server), before, "nothing reached the server");
}

#[tokio::test]
async fn retries_follow_the_operations_retry_safety() {
    let server = MockServer::start().await.expect("simulator");
    let api = client(&server)
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("api"))
        .expect("api");
    let body = json!({"customer_id": DEMO_CUSTOMER_SALT});
    for op in [OperationId::VerifyToken, OperationId::GetTokenByCustomerId] {
        let request = if op == OperationId::VerifyToken {
            None
        } else {
            Some(body.clone())
        };
        let before = server.requests(op);
        server.faults().fail_next(
            op,
            1,
            StatusCode::SERVICE_UNAVAILABLE,
            Some(RetryAfter::Seconds(0)),
        );
        let result = api
            .call_json(op, request)
            .expect("body")
            .send_with_meta()
            .await;
        let sent = server.requests(op) - before;
        // No `expect` on the answer: its body holds a token.
        let (status, attempts) = match &result {
            Ok(r) => (Some(r.meta().status()), r.meta().attempts()),
            Err(e) => (e.status(), 1),
        };
        if op.retry_safe() {
            assert_eq!(
                (status, attempts, sent),
                (Some(200), 2, 2),
                "{op} is retried"
            );
        } else {
            assert_eq!(
                (status, sent),
                (Some(503), 1),
                "{op} is never retried blindly"
            );
        }
    }
}

#[tokio::test]
async fn api_errors_are_typed_and_drift_is_recorded() {
    let server = MockServer::builder()
        .drift(Drift::ExtraField)
        .start()
        .await
        .expect("simulator");
    let client = client(&server);
    let api = client
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("api"))
        .expect("api");
    let err = api
        .call_json(
            OperationId::GetTokenByCustomerId,
            Some(json!({"customer_id": "999999999999"})),
        )
        .expect("body")
        .await
        .expect_err("unknown customer");
    assert_eq!(err.code(), Some(&ErrorCode::CustomerIdNotFound));
    assert_eq!(
        err.status(),
        OperationId::GetTokenByCustomerId.status_of(&ErrorCode::CustomerIdNotFound)
    );

    let verified = api
        .call_json(OperationId::VerifyToken, None)
        .expect("body")
        .await
        .expect("valid");
    assert!(
        verified.get(EXTRA_FIELD).is_none(),
        "decoded into the spec's type"
    );
    let d = Deviation::UndocumentedField {
        status: 200,
        path: EXTRA_FIELD.to_owned(),
    };
    assert_eq!(client.drift().count(OperationId::VerifyToken, &d), 1);
}

#[tokio::test]
async fn a_refused_body_never_repeats_the_value_it_refused() {
    let server = MockServer::start().await.expect("simulator");
    let client = client(&server);
    // An OTP typed as a number (as `--field otp=987654` infers it), a name as
    // a boolean and a string where a number belongs: each is refused, naming
    // the field and what it expects, without the value.
    for (body, field, value) in [
        (
            json!({"username": DEMO_EMAIL, "otp": 987654}),
            "otp",
            "987654",
        ),
        (json!({"username": true}), "username", "true"),
    ] {
        let Err(err) = client.call_json(OperationId::Login, Some(body)) else {
            panic!("{field}: accepted, but the body is refused before sending");
        };
        let message = err.to_string();
        assert!(err.is_invalid_input(), "{message}");
        assert!(message.contains(field), "{message}");
        assert!(
            !message.contains(value),
            "the refused value leaked: {message}"
        );
    }
    let api = client
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("api"))
        .expect("api");
    let Err(err) = api.call_json(
        OperationId::GetTokenByCustomerId,
        Some(json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": "s3cr3t-ish"})),
    ) else {
        panic!("expiration_days: accepted, but the body is refused before sending");
    };
    let message = err.to_string();
    assert!(message.contains("expiration_days"), "{message}");
    assert!(
        !message.contains("s3cr3t-ish"),
        "the refused value leaked: {message}"
    );
    assert_eq!(server.requests(OperationId::Login), 0);
}
