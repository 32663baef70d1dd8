//! Stubbing single operations with progenitor's typed httpmock helpers
//! (`unleashx_api::mock`), for tests that want a canned answer per test
//! instead of the stateful simulator.
//!
//! Pattern: start an `httpmock::MockServer`, stub an operation with the
//! `MockServerExt` method of the same name (the `When` side matches method,
//! path and typed body; the `Then` side answers a typed body with the spec's
//! status), call it with the generated client, check the decoded value and
//! that the stub was hit.

use std::num::NonZeroU64;

use httpmock::MockServer;
use unleashx_api::auth::Auth;
use unleashx_api::mock::MockServerExt;
use unleashx_api::secret::{ApiToken, LoginToken, Otp};
use unleashx_api::{types, Client};

const API_TOKEN: &str = "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9";
const LOGIN_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2lnbmF0dXJl";

fn client(server: &MockServer, token: &str) -> Client {
    Client::new(&server.base_url(), Auth::token(token).unwrap())
}

fn empty() -> types::EmptyObject {
    types::EmptyObject(serde_json::Map::new())
}

#[tokio::test]
async fn stub_login() {
    let server = MockServer::start_async().await;
    let request = types::LoginRequest {
        username: "user@example.com".parse().expect("non-blank"),
        otp: Some(Otp::new("123456")),
    };
    let mock = server.login(|when, then| {
        when.body(&request);
        then.ok(&types::LoginResponse {
            auth: serde_json::Map::new(),
            message: "LOGGEDIN".into(),
            token: Some(LoginToken::new(LOGIN_TOKEN)),
        });
    });
    let response = Client::new(&server.base_url(), Auth::none())
        .login()
        .body(request.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.message, "LOGGEDIN");
    assert_eq!(
        response.token.as_ref().map(LoginToken::expose_secret),
        Some(LOGIN_TOKEN)
    );
    mock.assert_async().await;
}

#[tokio::test]
async fn stub_generate_token() {
    let server = MockServer::start_async().await;
    let mock = server.generate_token(|when, then| {
        when.body(&empty());
        then.ok(&types::GenerateTokenResponse {
            message: Some("API token generated successfully".into()),
            token: ApiToken::new(API_TOKEN),
        });
    });
    let response = client(&server, LOGIN_TOKEN)
        .generate_token()
        .body(empty())
        .send()
        .await
        .unwrap();
    assert_eq!(response.token.expose_secret(), API_TOKEN);
    mock.assert_async().await;
}

#[tokio::test]
async fn stub_get_token_and_its_404() {
    let server = MockServer::start_async().await;
    // Deviate from the typed matcher with `into_inner()` to match the header too.
    let found = server.get_token(|when, then| {
        when.into_inner().header("token", LOGIN_TOKEN);
        then.ok(&types::GetTokenResponse {
            data: types::ApiTokenDetails {
                email: "user@example.com".into(),
                token: ApiToken::new(API_TOKEN),
                workspace_name: "My Workspace".into(),
            },
            message: Some("API token details fetched successfully".into()),
        });
    });
    let response = client(&server, LOGIN_TOKEN)
        .get_token()
        .send()
        .await
        .unwrap();
    assert_eq!(response.data.token.expose_secret(), API_TOKEN);
    assert_eq!(response.data.workspace_name, "My Workspace");
    found.assert_async().await;

    let missing = server.get_token(|when, then| {
        when.into_inner().header("token", "other-login-token");
        then.not_found(&types::ApiError {
            error: Some(true),
            message: "NO_API_TOKEN_FOUND".into(),
        });
    });
    let err = client(&server, "other-login-token")
        .get_token()
        .send()
        .await
        .unwrap_err();
    match err {
        unleashx_api::Error::ErrorResponse(e) => {
            assert_eq!(e.status().as_u16(), 404);
            assert_eq!(e.message, "NO_API_TOKEN_FOUND");
        }
        other => panic!("unexpected {other:?}"),
    }
    missing.assert_async().await;
}

#[tokio::test]
async fn stub_verify_token() {
    let server = MockServer::start_async().await;
    let mock = server.verify_token(|when, then| {
        when.body(&empty());
        then.ok(&types::VerifyResponse {
            message: Some("TOKEN_VALID".into()),
        });
    });
    let response = client(&server, API_TOKEN)
        .verify_token()
        .body(empty())
        .send()
        .await
        .unwrap();
    assert_eq!(response.message.as_deref(), Some("TOKEN_VALID"));
    mock.assert_async().await;
}

#[tokio::test]
async fn stub_onboard_user() {
    let server = MockServer::start_async().await;
    let request = types::OnboardUserRequest {
        company_name: "Acme Corp".parse().expect("non-blank"),
        email_id: "john@example.com".parse().expect("non-blank"),
        first_name: "John".parse().expect("non-blank"),
        last_name: "Doe".parse().expect("non-blank"),
    };
    let mock = server.onboard_user(|when, then| {
        when.body(&request);
        then.ok(&types::OnboardUserResponse {
            data: types::OnboardedUser {
                company_id: 12,
                customer_salt: "048372910564".parse().unwrap(),
                registration_id: 101,
                user_id: 55,
                workspace_id: 8,
            },
            message: Some("User onboarded successfully".into()),
        });
    });
    let response = client(&server, API_TOKEN)
        .onboard_user()
        .body(request.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.data.customer_salt.as_str(), "048372910564");
    assert_eq!(response.data.registration_id, 101);
    mock.assert_async().await;
}

#[tokio::test]
async fn stub_get_token_by_customer_id() {
    let server = MockServer::start_async().await;
    let request = types::GetTokenByCustomerIdRequest {
        customer_id: "048372910564".parse().unwrap(),
        name: Some("My API Token".into()),
        expiration_days: NonZeroU64::new(30),
    };
    let mock = server.get_token_by_customer_id(|when, then| {
        when.body(&request);
        then.ok(&types::GetTokenByCustomerIdResponse {
            customer_api_key: ApiToken::new(API_TOKEN),
            customerid: "048372910564".into(),
            expires: Some(1_743_033_600),
            message: Some("API token generated successfully".into()),
            name: Some("My API Token".into()),
        });
    });
    let response = client(&server, API_TOKEN)
        .get_token_by_customer_id()
        .body(request.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.customer_api_key.expose_secret(), API_TOKEN);
    assert_eq!(response.expires, Some(1_743_033_600));
    assert_eq!(mock.calls_async().await, 1);
}
