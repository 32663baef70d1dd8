//! The whole documented workflow against the stateful simulator.

use std::time::{Duration, SystemTime};

use unleashx::{Client, ErrorCode, NewCustomer, RetryPolicy, TokenStatus};
use unleashx_mock::{
    Clock, MockServer, Operation, RetryAfter, StatusCode, DEMO_CUSTOMER_SALT, DEMO_EMAIL, DEMO_OTP,
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

#[tokio::test]
async fn login_generate_get_verify_onboard_mint_verify() {
    let server = MockServer::start().await.expect("simulator");
    let client = client(&server);

    let sent = client.request_otp(DEMO_EMAIL).await.expect("otp");
    assert_eq!(sent.message, "OTP_SENT");
    let session = client.login(DEMO_EMAIL, DEMO_OTP).await.expect("login");

    let generated = session.generate_api_token().await.expect("generate");
    assert_eq!(generated.expose_secret().len(), 64);
    let latest = session.latest_api_token().await.expect("get");
    assert_eq!(latest.token, generated);
    assert_eq!(latest.email, DEMO_EMAIL);

    let api = client.with_api_token(generated).expect("api client");
    assert_eq!(api.verify().await.expect("verify"), TokenStatus::Valid);

    let onboarded = api
        .onboard(NewCustomer::new("new@example.com", "Jo", "Doe", "Acme"))
        .await
        .expect("onboard");
    assert_eq!(onboarded.customer_id.as_str().len(), 12);
    assert!(onboarded.user_id > 0 && onboarded.workspace_id > 0);

    let minted = api
        .customer_token(onboarded.customer_id.as_str())
        .name("CI")
        .expires_in_days(30)
        .send_with_meta()
        .await
        .expect("mint");
    assert_eq!(minted.meta().status(), 200);
    assert_eq!(minted.meta().attempts(), 1);
    assert!(minted.meta().request_id().is_some());
    let minted = minted.into_inner();
    assert_eq!(minted.customer_id, onboarded.customer_id.as_str());
    assert_eq!(minted.name.as_deref(), Some("CI"));
    let expires = minted.expires().expect("expiry");
    let days = expires
        .duration_since(SystemTime::now())
        .expect("in the future")
        .as_secs()
        / 86_400;
    assert!((29..=30).contains(&days), "{days}");

    // The minted token is a live API token on the same pool.
    let customer_api = api.with_api_token(minted.token).expect("customer client");
    assert!(customer_api.verify().await.expect("verify").is_valid());
}

#[tokio::test]
async fn expiry_is_exact_with_the_simulators_clock_and_null_without_days() {
    let clock = Clock::manual(1_700_000_000);
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("simulator");
    let token = server.issue_api_token(DEMO_EMAIL).expect("token");
    let api = client(&server).with_api_token(token).expect("api");

    let minted = api
        .customer_token(DEMO_CUSTOMER_SALT)
        .expires_in_days(2)
        .await
        .expect("mint");
    assert_eq!(minted.expires_unix(), Some(1_700_000_000 + 2 * 86_400));
    let never = api.customer_token(DEMO_CUSTOMER_SALT).await.expect("mint");
    assert_eq!((never.expires(), never.name), (None, None));

    let short_lived = api.with_api_token(minted.token).expect("api");
    assert!(short_lived.verify().await.expect("verify").is_valid());
    clock.advance(Duration::from_secs(2 * 86_400 + 1));
    assert_eq!(
        short_lived.verify().await.expect("verify"),
        TokenStatus::Invalid(ErrorCode::InvalidApiToken)
    );
}

#[tokio::test]
async fn documented_errors_come_back_typed() {
    let server = MockServer::start().await.expect("simulator");
    let client = client(&server);
    let err = client
        .login(DEMO_EMAIL, "000000")
        .await
        .expect_err("wrong otp");
    assert_eq!(err.code(), Some(&ErrorCode::InvalidOtp));

    let session = client
        .with_login_token(server.issue_login_token(DEMO_EMAIL).expect("login token"))
        .expect("session");
    let err = session.latest_api_token().await.expect_err("no token yet");
    assert_eq!(
        (err.code(), err.status()),
        (Some(&ErrorCode::NoApiTokenFound), Some(404))
    );

    let bogus = client.with_login_token("not-a-session").expect("session");
    assert_eq!(
        bogus.generate_api_token().await.expect_err("bad").code(),
        Some(&ErrorCode::InvalidLoginToken)
    );

    let api = client
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("token"))
        .expect("api");
    let err = api
        .customer_token("999999999999")
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), Some(&ErrorCode::CustomerIdNotFound));
    server.set_active_workspace(DEMO_CUSTOMER_SALT, false);
    assert_eq!(
        api.customer_token(DEMO_CUSTOMER_SALT)
            .await
            .expect_err("no ws")
            .code(),
        Some(&ErrorCode::WorkspaceNotFound)
    );

    let err = api
        .onboard(NewCustomer::new(DEMO_EMAIL, "A", "B", "Other Co"))
        .await
        .expect_err("dup");
    assert_eq!(
        (err.code(), err.status()),
        (Some(&ErrorCode::EmailAlreadyRegistered), Some(409))
    );
}

#[tokio::test]
async fn retries_are_counted_on_the_server() {
    let server = MockServer::start().await.expect("simulator");
    let api = client(&server)
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("token"))
        .expect("api");

    server.faults().fail_next(
        Operation::VerifyToken,
        2,
        StatusCode::SERVICE_UNAVAILABLE,
        Some(RetryAfter::Seconds(0)),
    );
    let verified = api.verify().send_with_meta().await.expect("third attempt");
    assert_eq!(verified.meta().attempts(), 3);
    assert_eq!(server.requests(Operation::VerifyToken), 3);

    server.faults().fail_next(
        Operation::GetTokenByCustomerId,
        1,
        StatusCode::SERVICE_UNAVAILABLE,
        Some(RetryAfter::Seconds(0)),
    );
    let err = api
        .customer_token(DEMO_CUSTOMER_SALT)
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        server.requests(Operation::GetTokenByCustomerId),
        1,
        "a mint is never retried"
    );
}

#[tokio::test]
async fn many_tokens_share_one_pool_and_run_concurrently() {
    let server = MockServer::start().await.expect("simulator");
    let api = client(&server)
        .with_api_token(server.issue_api_token(DEMO_EMAIL).expect("token"))
        .expect("api");
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            api.customer_token(DEMO_CUSTOMER_SALT).await
        }));
    }
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(
            t.await
                .expect("task")
                .expect("mint")
                .token
                .expose_secret()
                .to_owned(),
        );
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 32, "every mint is a new token");
}
