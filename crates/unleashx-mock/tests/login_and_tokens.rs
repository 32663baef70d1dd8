//! Login, generate-token, get-token and verify over real HTTP.

mod common;

use std::time::Duration;

use common::{get, is_api_token, login, post};
use serde_json::{json, Value};
use unleashx_mock::{
    Clock, MockServer, Operation, DEMO_CUSTOMER_SALT, DEMO_EMAIL, DEMO_OTP, DEMO_WORKSPACE,
};

const START: i64 = 1_700_000_000;

async fn manual_server() -> (MockServer, Clock) {
    let clock = Clock::manual(START);
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    (server, clock)
}

/// POST /api/login without a credential.
async fn login_step(server: &MockServer, body: Value) -> common::Reply {
    post(server, Operation::Login, None, body).await
}

#[tokio::test]
async fn two_step_login_returns_a_login_token() {
    let server = MockServer::start().await.unwrap();
    let step1 = login_step(&server, json!({"username": DEMO_EMAIL})).await;
    assert_eq!(step1.assert_ok(), &json!({"message": "OTP_SENT"}));
    assert_eq!(server.last_otp(DEMO_EMAIL).as_deref(), Some(DEMO_OTP));

    let step2 = login_step(&server, json!({"username": DEMO_EMAIL, "otp": DEMO_OTP})).await;
    let body = step2.assert_ok();
    assert_eq!(body["message"], "LOGGEDIN");
    assert_eq!(
        body["auth"],
        json!({"email": DEMO_EMAIL, "workspace_name": DEMO_WORKSPACE})
    );
    let token = step2.str("/token");
    assert_eq!(token.split('.').count(), 3, "JWT-looking login token");
    assert!(token.split('.').all(|s| !s.is_empty()));

    // The login token works on a login-token endpoint.
    post(&server, Operation::GenerateToken, Some(&token), json!({}))
        .await
        .assert_ok();
}

#[tokio::test]
async fn username_is_case_insensitive_and_otp_must_be_a_string() {
    let server = MockServer::start().await.unwrap();
    login_step(&server, json!({"username": "DEMO@unleashx.test"}))
        .await
        .assert_ok();
    // The spec's `otp` is a string: a number or null is refused.
    for otp in [json!(123456), Value::Null] {
        login_step(
            &server,
            json!({"username": "Demo@UnleashX.test", "otp": otp}),
        )
        .await
        .assert_error(400, "INVALID_REQUEST");
    }
    let reply = login_step(
        &server,
        json!({"username": "Demo@UnleashX.test", "otp": "123456"}),
    )
    .await;
    assert_eq!(reply.assert_ok()["message"], "LOGGEDIN");
}

#[tokio::test]
async fn wrong_otp_is_invalid_and_the_right_one_still_works() {
    let server = MockServer::start().await.unwrap();
    login_step(&server, json!({"username": DEMO_EMAIL}))
        .await
        .assert_ok();
    login_step(&server, json!({"username": DEMO_EMAIL, "otp": "000000"}))
        .await
        .assert_error(401, "INVALID_OTP");
    login_step(&server, json!({"username": DEMO_EMAIL, "otp": ""}))
        .await
        .assert_error(401, "INVALID_OTP");
    login_step(&server, json!({"username": DEMO_EMAIL, "otp": DEMO_OTP}))
        .await
        .assert_ok();
}

#[tokio::test]
async fn an_otp_works_once() {
    let server = MockServer::start().await.unwrap();
    let step2 = json!({"username": DEMO_EMAIL, "otp": DEMO_OTP});
    login_step(&server, json!({"username": DEMO_EMAIL}))
        .await
        .assert_ok();
    login_step(&server, step2.clone()).await.assert_ok();
    login_step(&server, step2.clone())
        .await
        .assert_error(401, "INVALID_OTP");
    // A new step 1 re-issues it.
    login_step(&server, json!({"username": DEMO_EMAIL}))
        .await
        .assert_ok();
    login_step(&server, step2).await.assert_ok();
}

#[tokio::test]
async fn step_two_without_step_one_is_invalid() {
    let server = MockServer::start().await.unwrap();
    login_step(&server, json!({"username": DEMO_EMAIL, "otp": DEMO_OTP}))
        .await
        .assert_error(401, "INVALID_OTP");
}

#[tokio::test]
async fn unknown_username_gets_otp_sent_but_cannot_log_in() {
    let server = MockServer::start().await.unwrap();
    let step1 = login_step(&server, json!({"username": "nobody@example.com"})).await;
    assert_eq!(step1.assert_ok(), &json!({"message": "OTP_SENT"}));
    login_step(
        &server,
        json!({"username": "nobody@example.com", "otp": DEMO_OTP}),
    )
    .await
    .assert_error(401, "INVALID_OTP");
}

#[tokio::test]
async fn missing_or_empty_username_is_required() {
    let server = MockServer::start().await.unwrap();
    for body in [
        json!({}),
        json!({"username": ""}),
        json!({"username": "   "}),
        json!({"username": null}),
        json!({"otp": DEMO_OTP}),
        json!({"username": 42}),
    ] {
        login_step(&server, body)
            .await
            .assert_error(400, "USERNAME_REQUIRED");
    }
}

#[tokio::test]
async fn an_otp_expires_after_ten_minutes() {
    let (server, clock) = manual_server().await;
    login_step(&server, json!({"username": DEMO_EMAIL}))
        .await
        .assert_ok();
    clock.advance(Duration::from_secs(601));
    login_step(&server, json!({"username": DEMO_EMAIL, "otp": DEMO_OTP}))
        .await
        .assert_error(401, "INVALID_OTP");
}

#[tokio::test]
async fn generate_token_mints_distinct_64_hex_tokens() {
    let server = MockServer::start().await.unwrap();
    let login_token = login(&server, DEMO_EMAIL).await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..5 {
        let reply = post(
            &server,
            Operation::GenerateToken,
            Some(&login_token),
            json!({}),
        )
        .await;
        assert_eq!(
            reply.assert_ok()["message"],
            "API token generated successfully"
        );
        let token = reply.str("/token");
        assert!(is_api_token(&token), "{token}");
        assert!(seen.insert(token));
    }
    // Earlier tokens stay valid.
    for token in &seen {
        post(&server, Operation::VerifyToken, Some(token), json!({}))
            .await
            .assert_ok();
    }
}

#[tokio::test]
async fn generate_token_and_verify_accept_no_body_or_an_empty_one() {
    let server = MockServer::start().await.unwrap();
    let login_token = server.issue_login_token(DEMO_EMAIL).unwrap();
    let api_token = server.issue_api_token(DEMO_EMAIL).unwrap();
    for (op, token) in [
        (Operation::GenerateToken, &login_token),
        (Operation::VerifyToken, &api_token),
    ] {
        for (ct, body) in [
            (None, None),
            (None, Some(b"".to_vec())),
            (Some("application/json"), Some(b"{}".to_vec())),
            (
                Some("application/x-www-form-urlencoded"),
                Some(b"{}".to_vec()),
            ),
        ] {
            common::send(
                &server,
                reqwest::Method::POST,
                op.path(),
                Some(token),
                ct,
                body,
            )
            .await
            .assert_ok();
        }
        // Only zero bytes count as no body: white space is not JSON.
        common::send(
            &server,
            reqwest::Method::POST,
            op.path(),
            Some(token),
            Some("application/json"),
            Some(b" \n".to_vec()),
        )
        .await
        .assert_error(400, "INVALID_REQUEST");
    }
}

#[tokio::test]
async fn get_token_returns_the_most_recent_token_or_404() {
    let server = MockServer::start().await.unwrap();
    let login_token = login(&server, DEMO_EMAIL).await;
    get(&server, Operation::GetToken, Some(&login_token))
        .await
        .assert_error(404, "NO_API_TOKEN_FOUND");

    let first = post(
        &server,
        Operation::GenerateToken,
        Some(&login_token),
        json!({}),
    )
    .await
    .str("/token");
    let second = post(
        &server,
        Operation::GenerateToken,
        Some(&login_token),
        json!({}),
    )
    .await
    .str("/token");
    assert_ne!(first, second);
    let reply = get(&server, Operation::GetToken, Some(&login_token)).await;
    assert_eq!(
        reply.assert_ok(),
        &json!({
            "message": "API token details fetched successfully",
            "data": {"token": second, "email": DEMO_EMAIL, "workspace_name": DEMO_WORKSPACE}
        })
    );

    // A token minted by gettokenbycustomerid for the same customer is now the latest.
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let minted = post(
        &server,
        Operation::GetTokenByCustomerId,
        Some(&api),
        json!({"customer_id": DEMO_CUSTOMER_SALT}),
    )
    .await
    .str("/customer_api_key");
    let reply = get(&server, Operation::GetToken, Some(&login_token)).await;
    assert_eq!(reply.str("/data/token"), minted);
}

#[tokio::test]
async fn login_token_missing_or_invalid() {
    let server = MockServer::start().await.unwrap();
    let api_token = server.issue_api_token(DEMO_EMAIL).unwrap();
    post(&server, Operation::GenerateToken, None, json!({}))
        .await
        .assert_error(400, "LOGIN_TOKEN_REQUIRED");
    get(&server, Operation::GetToken, None)
        .await
        .assert_error(400, "LOGIN_TOKEN_REQUIRED");
    post(&server, Operation::GenerateToken, Some(""), json!({}))
        .await
        .assert_error(400, "LOGIN_TOKEN_REQUIRED");
    for bad in [
        "not-a-token",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2lnbmF0dXJl",
        &api_token,
    ] {
        post(&server, Operation::GenerateToken, Some(bad), json!({}))
            .await
            .assert_error(401, "INVALID_LOGIN_TOKEN");
        get(&server, Operation::GetToken, Some(bad))
            .await
            .assert_error(401, "INVALID_LOGIN_TOKEN");
    }
}

#[tokio::test]
async fn login_tokens_expire_after_the_session_lifetime() {
    let (server, clock) = manual_server().await;
    let token = login(&server, DEMO_EMAIL).await;
    clock.advance(Duration::from_secs(86_400 - 1));
    post(&server, Operation::GenerateToken, Some(&token), json!({}))
        .await
        .assert_ok();
    clock.advance(Duration::from_secs(1));
    post(&server, Operation::GenerateToken, Some(&token), json!({}))
        .await
        .assert_error(401, "INVALID_LOGIN_TOKEN");
    get(&server, Operation::GetToken, Some(&token))
        .await
        .assert_error(401, "INVALID_LOGIN_TOKEN");
}

#[tokio::test]
async fn session_lifetime_is_configurable() {
    let clock = Clock::manual(START);
    let server = MockServer::builder()
        .clock(clock.clone())
        .session_lifetime(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let token = server.issue_login_token(DEMO_EMAIL).unwrap();
    get(&server, Operation::GetToken, Some(&token))
        .await
        .assert_error(404, "NO_API_TOKEN_FOUND");
    clock.advance(Duration::from_secs(60));
    get(&server, Operation::GetToken, Some(&token))
        .await
        .assert_error(401, "INVALID_LOGIN_TOKEN");
}

#[tokio::test]
async fn verify_accepts_live_tokens_and_rejects_others() {
    let server = MockServer::start().await.unwrap();
    let login_token = server.issue_login_token(DEMO_EMAIL).unwrap();
    let api_token = post(
        &server,
        Operation::GenerateToken,
        Some(&login_token),
        json!({}),
    )
    .await
    .str("/token");
    let ok = post(&server, Operation::VerifyToken, Some(&api_token), json!({})).await;
    assert_eq!(ok.assert_ok(), &json!({"message": "TOKEN_VALID"}));
    post(
        &server,
        Operation::VerifyToken,
        Some(&"0".repeat(64)),
        json!({}),
    )
    .await
    .assert_error(401, "INVALID_API_TOKEN");
    post(
        &server,
        Operation::VerifyToken,
        Some(&login_token),
        json!({}),
    )
    .await
    .assert_error(401, "INVALID_API_TOKEN");
    post(&server, Operation::VerifyToken, None, json!({}))
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
}

#[tokio::test]
async fn verify_rejects_expired_tokens_per_the_clock() {
    let (server, clock) = manual_server().await;
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let expiring = post(
        &server,
        Operation::GetTokenByCustomerId,
        Some(&api),
        json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": 1}),
    )
    .await
    .str("/customer_api_key");
    clock.advance(Duration::from_secs(86_399));
    post(&server, Operation::VerifyToken, Some(&expiring), json!({}))
        .await
        .assert_ok();
    clock.advance(Duration::from_secs(1));
    post(&server, Operation::VerifyToken, Some(&expiring), json!({}))
        .await
        .assert_error(401, "INVALID_API_TOKEN");
    // Tokens without expiry live on.
    clock.advance(Duration::from_secs(10 * 365 * 86_400));
    post(&server, Operation::VerifyToken, Some(&api), json!({}))
        .await
        .assert_ok();
    // An expired token no longer authorizes API-token endpoints either.
    post(
        &server,
        Operation::GetTokenByCustomerId,
        Some(&expiring),
        json!({"customer_id": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_error(401, "INVALID_API_TOKEN");
}

#[tokio::test]
async fn full_flow_with_the_generated_client() {
    use unleashx_api::{auth::Auth, types, Client};

    let server = MockServer::start().await.unwrap();
    let anonymous = Client::new(&server.base_url(), Auth::none());
    anonymous
        .login()
        .body(types::LoginRequest {
            username: DEMO_EMAIL.parse().expect("non-blank"),
            otp: None,
        })
        .send()
        .await
        .unwrap();
    let logged_in = anonymous
        .login()
        .body(types::LoginRequest {
            username: DEMO_EMAIL.parse().expect("non-blank"),
            otp: Some(DEMO_OTP.into()),
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let login_token = logged_in.token.unwrap();

    let session = anonymous.with_auth(Auth::token(login_token.expose_secret()).unwrap());
    let generated = session
        .generate_token()
        .body(types::EmptyObject(serde_json::Map::new()))
        .send()
        .await
        .unwrap()
        .into_inner();
    let latest = session.get_token().send().await.unwrap().into_inner();
    assert_eq!(latest.data.token, generated.token);
    assert_eq!(latest.data.email, DEMO_EMAIL);

    let api = anonymous.with_auth(Auth::token(generated.token.expose_secret()).unwrap());
    let verified = api
        .verify_token()
        .body(types::EmptyObject(serde_json::Map::new()))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(verified.message.as_deref(), Some("TOKEN_VALID"));

    let onboarded = api
        .onboard_user()
        .body(types::OnboardUserRequest {
            email_id: "jane@example.com".parse().expect("non-blank"),
            first_name: "Jane".parse().expect("non-blank"),
            last_name: "Doe".parse().expect("non-blank"),
            company_name: "Jane Corp".parse().expect("non-blank"),
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    let minted = api
        .get_token_by_customer_id()
        .body(types::GetTokenByCustomerIdRequest {
            customer_id: onboarded.data.customer_salt.clone(),
            name: Some("ci".into()),
            expiration_days: std::num::NonZeroU64::new(30),
        })
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(minted.customerid, *onboarded.data.customer_salt);
    assert_eq!(minted.name.as_deref(), Some("ci"));
    assert!(minted.expires.is_some());

    // Typed errors decode as ApiError.
    let err = session
        .with_auth(Auth::none())
        .get_token()
        .send()
        .await
        .unwrap_err();
    match err {
        unleashx_api::Error::ErrorResponse(e) => {
            assert_eq!(e.status().as_u16(), 400);
            assert_eq!(e.message, "LOGIN_TOKEN_REQUIRED");
        }
        other => panic!("unexpected {other:?}"),
    }
}
