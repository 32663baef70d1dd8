//! Malformed requests, fallbacks, request ids, fault injection and concurrency.

mod common;

use std::collections::HashSet;
use std::time::{Duration, UNIX_EPOCH};

use common::{body_ops, call, credential, get, post, send};
use reqwest::Method;
use serde_json::json;
use unleashx_mock::{
    ErrorCode, Failure, MockServer, Operation, RetryAfter, StatusCode, Target, DEMO_CUSTOMER_SALT,
    DEMO_EMAIL,
};

#[tokio::test]
async fn malformed_json_is_a_400() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    for (op, _) in body_ops().filter(|&(_, fields)| fields) {
        for body in [
            &b"{"[..],
            b"not json",
            b"[1,2]",
            b"\"text\"",
            b"",
            b"{\"username\": }",
        ] {
            send(
                &server,
                Method::POST,
                op.path(),
                Some(&api),
                Some("application/json"),
                Some(body.to_vec()),
            )
            .await
            .assert_error(400, "INVALID_REQUEST");
        }
    }
    // An empty-object body is optional, but must be JSON when sent.
    for (op, _) in body_ops().filter(|&(_, fields)| !fields) {
        send(
            &server,
            Method::POST,
            op.path(),
            credential(&server, op).as_deref(),
            Some("application/json"),
            Some(b"{oops".to_vec()),
        )
        .await
        .assert_error(400, "INVALID_REQUEST");
    }
}

/// Every operation refuses a missing or unknown credential, and a body
/// without its fields, with a code and status its responses declare.
#[tokio::test]
async fn every_operation_refuses_a_bad_credential_and_an_empty_body_as_declared() {
    let server = MockServer::start().await.unwrap();
    let declared = |op: Operation, reply: &common::Reply| {
        let code = ErrorCode::from(reply.str("/message"));
        assert!(op.declares(reply.status, &code), "{op}: {}", reply.body);
        code
    };
    for op in Operation::ALL {
        if let Some(token) = credential(&server, op) {
            let missing = call(&server, op, None, json!({})).await;
            assert!(declared(op, &missing).means_credential_missing(), "{op}");
            let unknown = call(&server, op, Some("not-a-token"), json!({})).await;
            declared(op, &unknown);
            assert_eq!(unknown.status, 401, "{op}");
            // A valid one passes the credential check.
            let valid = call(&server, op, Some(&token), json!({})).await;
            if valid.status != 200 {
                let code = declared(op, &valid);
                assert!(
                    valid.status != 401 && !code.means_credential_missing(),
                    "{op}"
                );
            }
        }
    }
    for (op, _) in body_ops().filter(|&(_, fields)| fields) {
        let token = credential(&server, op);
        let reply = call(&server, op, token.as_deref(), json!({})).await;
        assert_eq!(reply.status, 400, "{op}: {}", reply.body);
        declared(op, &reply);
    }
}

#[tokio::test]
async fn wrong_or_missing_content_type_is_a_415() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let body = json!({"username": DEMO_EMAIL, "customer_id": DEMO_CUSTOMER_SALT}).to_string();
    for (op, _) in body_ops().filter(|&(_, fields)| fields) {
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
        ] {
            send(
                &server,
                Method::POST,
                op.path(),
                Some(&api),
                ct,
                Some(body.clone().into_bytes()),
            )
            .await
            .assert_error(415, "INVALID_REQUEST");
        }
        // Parameters and +json are fine.
        let ok = send(
            &server,
            Method::POST,
            op.path(),
            Some(&api),
            Some("application/json; charset=utf-8"),
            Some(body.clone().into_bytes()),
        )
        .await;
        assert_ne!(ok.status, 415);
    }
}

#[tokio::test]
async fn oversized_bodies_are_a_413() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let big = format!(
        "{{\"username\":\"{}\"}}",
        "a".repeat(unleashx_mock::BODY_LIMIT + 1)
    );
    for (op, _) in body_ops() {
        send(
            &server,
            Method::POST,
            op.path(),
            Some(&api),
            Some("application/json"),
            Some(big.clone().into_bytes()),
        )
        .await
        .assert_error(413, "INVALID_REQUEST");
    }
    // The server is still fine afterwards.
    post(&server, Operation::VerifyToken, Some(&api), json!({}))
        .await
        .assert_ok();
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_answer_json() {
    let server = MockServer::start().await.unwrap();
    for path in [
        "/",
        "/api/v1/global/nope",
        "/api/login/extra",
        "/api/v1/global/get-token/",
    ] {
        send(&server, Method::GET, path, None, None, None)
            .await
            .assert_error(404, "NOT_FOUND");
    }
    let reply = send(
        &server,
        Method::GET,
        Operation::Login.path(),
        None,
        None,
        None,
    )
    .await;
    reply.assert_error(405, "METHOD_NOT_ALLOWED");
    assert_eq!(reply.headers["allow"], "POST");
    let reply = send(
        &server,
        Method::POST,
        Operation::GetToken.path(),
        None,
        None,
        None,
    )
    .await;
    reply.assert_error(405, "METHOD_NOT_ALLOWED");
    assert!(reply.headers["allow"].to_str().unwrap().contains("GET"));
    send(
        &server,
        Method::DELETE,
        Operation::VerifyToken.path(),
        None,
        None,
        None,
    )
    .await
    .assert_error(405, "METHOD_NOT_ALLOWED");
    // None of these reached an operation.
    for op in Operation::ALL {
        assert_eq!(server.requests(op), 0, "{op}");
    }
}

#[tokio::test]
async fn every_response_has_a_distinct_request_id() {
    let server = MockServer::start().await.unwrap();
    let mut ids = HashSet::new();
    let replies = [
        post(
            &server,
            Operation::Login,
            None,
            json!({"username": DEMO_EMAIL}),
        )
        .await,
        get(&server, Operation::GetToken, None).await,
        send(&server, Method::GET, "/nope", None, None, None).await,
        send(
            &server,
            Method::PUT,
            Operation::Login.path(),
            None,
            None,
            None,
        )
        .await,
    ];
    for reply in replies {
        let id = reply.headers["x-request-id"].to_str().unwrap().to_owned();
        assert!(id.starts_with("req-"), "{id}");
        assert!(ids.insert(id));
    }
}

#[tokio::test]
async fn injected_503_with_retry_after_seconds_then_recovers() {
    let server = MockServer::start().await.unwrap();
    let login = server.issue_login_token(DEMO_EMAIL).unwrap();
    server.issue_api_token(DEMO_EMAIL).unwrap();
    server.faults().fail_next(
        Operation::GetToken,
        2,
        StatusCode::SERVICE_UNAVAILABLE,
        Some(RetryAfter::Seconds(7)),
    );
    assert_eq!(server.faults().pending(Operation::GetToken), 2);
    for _ in 0..2 {
        let reply = get(&server, Operation::GetToken, Some(&login)).await;
        reply.assert_error(503, "SERVICE_UNAVAILABLE");
        assert_eq!(reply.headers["retry-after"], "7");
    }
    let reply = get(&server, Operation::GetToken, Some(&login)).await;
    reply.assert_ok();
    assert!(reply.headers.get("retry-after").is_none());
    assert_eq!(server.requests(Operation::GetToken), 3);
    assert_eq!(server.requests(Operation::GenerateToken), 0);
}

#[tokio::test]
async fn injected_failure_with_retry_after_date() {
    let server = MockServer::start().await.unwrap();
    let when = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    server.faults().fail_next(
        Operation::Login,
        1,
        StatusCode::TOO_MANY_REQUESTS,
        Some(RetryAfter::Date(when)),
    );
    let reply = post(
        &server,
        Operation::Login,
        None,
        json!({"username": DEMO_EMAIL}),
    )
    .await;
    reply.assert_error(429, "TOO_MANY_REQUESTS");
    assert_eq!(
        reply.headers["retry-after"],
        "Tue, 14 Nov 2023 22:13:20 GMT"
    );
    post(
        &server,
        Operation::Login,
        None,
        json!({"username": DEMO_EMAIL}),
    )
    .await
    .assert_ok();
    assert_eq!(server.requests(Operation::Login), 2);
}

#[tokio::test]
async fn faults_apply_before_validation_and_can_be_cleared() {
    let server = MockServer::start().await.unwrap();
    server.faults().fail_next(
        Operation::VerifyToken,
        5,
        StatusCode::INTERNAL_SERVER_ERROR,
        None,
    );
    // Even a request with no token gets the injected failure.
    let reply = post(&server, Operation::VerifyToken, None, json!({})).await;
    reply.assert_error(500, "INTERNAL_SERVER_ERROR");
    assert!(reply.headers.get("retry-after").is_none());
    server.faults().clear();
    post(&server, Operation::VerifyToken, None, json!({}))
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
    assert_eq!(server.requests(Operation::VerifyToken), 2);
}

#[tokio::test]
async fn any_declared_code_can_be_injected_with_the_spec_status() {
    let server = MockServer::start().await.unwrap();
    for op in Operation::ALL {
        for declared in op.errors() {
            server
                .faults()
                .fail_next_with_code(op, 1, declared.code.clone())
                .unwrap();
            let reply = call(&server, op, None, json!({})).await;
            let status = op.status_of(&declared.code).unwrap();
            reply.assert_error(status, declared.code.as_str());
            assert!(reply.headers.get("retry-after").is_none());
        }
        assert_eq!(server.faults().pending(op), 0);
    }
    // A code the operation does not declare is refused, and nothing is queued.
    let err = server
        .faults()
        .fail_next_with_code(Operation::VerifyToken, 3, ErrorCode::WorkspaceNotFound)
        .unwrap_err();
    assert_eq!(err.operation, Operation::VerifyToken);
    assert!(err.to_string().contains("WORKSPACE_NOT_FOUND"), "{err}");
    assert!(err.to_string().contains("401 INVALID_API_TOKEN"), "{err}");
    assert_eq!(server.faults().pending(Operation::VerifyToken), 0);
    let err = server
        .faults()
        .fail_next_with_code(Operation::Login, 1, ErrorCode::from("NOT_A_CODE"))
        .unwrap_err();
    assert!(err.to_string().contains("NOT_A_CODE"), "{err}");
}

#[tokio::test]
async fn latency_delays_but_still_answers() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    server
        .faults()
        .latency(Operation::VerifyToken, Duration::from_millis(20));
    post(&server, Operation::VerifyToken, Some(&api), json!({}))
        .await
        .assert_ok();
    server
        .faults()
        .latency(Operation::VerifyToken, Duration::ZERO);
    post(&server, Operation::VerifyToken, Some(&api), json!({}))
        .await
        .assert_ok();
    assert_eq!(server.requests(Operation::VerifyToken), 2);
}

#[tokio::test]
async fn counters_include_rejected_requests() {
    let server = MockServer::start().await.unwrap();
    post(&server, Operation::OnboardUser, None, json!({})).await;
    send(
        &server,
        Method::POST,
        Operation::OnboardUser.path(),
        None,
        Some("text/plain"),
        Some(b"x".to_vec()),
    )
    .await;
    assert_eq!(server.requests(Operation::OnboardUser), 2);
}

#[tokio::test]
async fn concurrent_generate_token_calls_are_all_distinct() {
    let server = MockServer::start().await.unwrap();
    let login = server.issue_login_token(DEMO_EMAIL).unwrap();
    let client = common::http();
    let url = format!("{}{}", server.base_url(), Operation::GenerateToken.path());
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (client, url, login) = (client.clone(), url.clone(), login.clone());
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .header("token", login)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
            let body: serde_json::Value = response.json().await.unwrap();
            body["token"].as_str().unwrap().to_owned()
        }));
    }
    let mut tokens = HashSet::new();
    for task in tasks {
        assert!(tokens.insert(task.await.unwrap()));
    }
    assert_eq!(tokens.len(), 200);
    assert_eq!(server.requests(Operation::GenerateToken), 200);
    let recorded = server.state().api_tokens_of(DEMO_EMAIL);
    assert_eq!(recorded.len(), 200);
    let latest = get(&server, Operation::GetToken, Some(&login))
        .await
        .str("/data/token");
    assert!(tokens.contains(&latest));
    assert_eq!(Some(&latest), recorded.last());
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let server = MockServer::start().await.unwrap();
    let base = server.base_url();
    let addr = server.addr();
    assert_eq!(base, format!("http://{addr}"));
    assert!(!base.ends_with('/'));
    server.shutdown().await;
    let err = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .json(&json!({"username": DEMO_EMAIL}))
        .send()
        .await;
    assert!(err.is_err());

    let server = MockServer::start().await.unwrap();
    let base = server.base_url();
    drop(server);
    // Shutdown on drop runs in the background; poll until the port refuses.
    let mut refused = false;
    for _ in 0..200 {
        if reqwest::Client::new()
            .get(format!("{base}/"))
            .send()
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused);
}

#[tokio::test]
async fn a_body_field_failure_answers_only_the_request_for_that_customer() {
    let other = "000000000007";
    let fixtures = unleashx_mock::Fixtures::default().with_account(
        unleashx_mock::AccountFixture::new("other@example.com", "Other", other),
    );
    let server = MockServer::builder()
        .fixtures(fixtures)
        .start()
        .await
        .unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let op = Operation::GetTokenByCustomerId;
    server
        .faults()
        .fail(
            op,
            Target::body_field("customer_id", DEMO_CUSTOMER_SALT),
            Failure::Status(
                StatusCode::SERVICE_UNAVAILABLE,
                Some(RetryAfter::Seconds(3)),
            ),
        )
        .unwrap();
    // Another customer first: handled normally, the failure still pending.
    post(&server, op, Some(&api), json!({"customer_id": other}))
        .await
        .assert_ok();
    assert_eq!(server.faults().pending(op), 1);
    // The alias is not the schema's field name: not matched.
    post(
        &server,
        op,
        Some(&api),
        json!({"customerid": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_ok();
    let reply = post(
        &server,
        op,
        Some(&api),
        json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": 7}),
    )
    .await;
    reply.assert_error(503, "SERVICE_UNAVAILABLE");
    assert_eq!(reply.headers["retry-after"], "3");
    // Used up: the same request now succeeds, its body intact for the handler.
    let reply = post(
        &server,
        op,
        Some(&api),
        json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": 7}),
    )
    .await;
    assert_eq!(reply.assert_ok()["customerid"], DEMO_CUSTOMER_SALT);
    assert!(reply.assert_ok()["expires"].is_number());
    assert_eq!(server.requests(op), 4);
}

#[tokio::test]
async fn a_pending_body_field_failure_keeps_the_body_checks() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let op = Operation::GetTokenByCustomerId;
    server
        .faults()
        .fail(
            op,
            Target::body_field("customer_id", DEMO_CUSTOMER_SALT),
            Failure::Code(ErrorCode::WorkspaceNotFound),
        )
        .unwrap();
    let big = json!({"customer_id": "a".repeat(unleashx_mock::BODY_LIMIT + 1)});
    post(&server, op, Some(&api), big)
        .await
        .assert_error(413, "INVALID_REQUEST");
    send(
        &server,
        Method::POST,
        op.path(),
        Some(&api),
        Some("text/plain"),
        Some(b"{}".to_vec()),
    )
    .await
    .assert_error(415, "INVALID_REQUEST");
    post(
        &server,
        op,
        Some(&api),
        json!({"customer_id": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_error(404, "WORKSPACE_NOT_FOUND");
}

#[tokio::test]
async fn an_nth_failure_answers_that_request_only() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let op = Operation::VerifyToken;
    server
        .faults()
        .fail(
            op,
            Target::Nth(2),
            Failure::Status(StatusCode::BAD_GATEWAY, None),
        )
        .unwrap();
    post(&server, op, Some(&api), json!({})).await.assert_ok();
    post(&server, op, Some(&api), json!({}))
        .await
        .assert_error(502, "BAD_GATEWAY");
    post(&server, op, Some(&api), json!({})).await.assert_ok();
    let err = server
        .faults()
        .fail(
            op,
            Target::Nth(3),
            Failure::Status(StatusCode::BAD_GATEWAY, None),
        )
        .unwrap_err();
    assert!(err.to_string().contains("pick a number above 3"), "{err}");
}

#[tokio::test]
async fn the_most_requests_in_flight_at_once_is_reported() {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    assert_eq!((server.in_flight(), server.max_in_flight()), (0, 0));
    // One request at a time: never more than one in flight.
    for _ in 0..3 {
        post(&server, Operation::VerifyToken, Some(&api), json!({}))
            .await
            .assert_ok();
    }
    assert_eq!(server.max_in_flight(), 1);
    // Six held by latency until all six have arrived: six at once, whatever
    // the timing, since none is answered before the last is counted.
    server.reset_max_in_flight();
    server
        .faults()
        .latency(Operation::VerifyToken, Duration::from_secs(3600));
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let (base, api) = (server.base_url(), api.clone());
            tokio::spawn(async move {
                common::http()
                    .post(format!("{base}{}", Operation::VerifyToken.path()))
                    .header("token", api)
                    .send()
                    .await
            })
        })
        .collect();
    wait_until(|| server.in_flight() == 6).await;
    assert_eq!(server.max_in_flight(), 6);
    for call in calls {
        call.abort();
    }
    // Abandoned requests leave the count.
    wait_until(|| server.in_flight() == 0).await;
    assert_eq!(server.max_in_flight(), 6);
}

/// Polls `done` (a bound only so that a broken build fails instead of hanging).
async fn wait_until(done: impl Fn() -> bool) {
    for _ in 0..12_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the condition never held");
}
