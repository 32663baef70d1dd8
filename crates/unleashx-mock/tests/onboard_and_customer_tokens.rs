//! users/onboard and users/gettokenbycustomerid over real HTTP.

mod common;

use common::{is_api_token, login, post};
use serde_json::{json, Value};
use unleashx_mock::{
    AccountFixture, Clock, Fixtures, MockServer, Operation, DEMO_CUSTOMER_SALT, DEMO_EMAIL,
};

fn onboard_body(email: &str, company: &str) -> Value {
    json!({"email_id": email, "first_name": "John", "last_name": "Doe", "company_name": company})
}

/// POST gettokenbycustomerid with the API token.
async fn mint(server: &MockServer, api: &str, body: Value) -> common::Reply {
    post(server, Operation::GetTokenByCustomerId, Some(api), body).await
}

/// POST users/onboard with the API token.
async fn onboard(server: &MockServer, api: &str, body: Value) -> common::Reply {
    post(server, Operation::OnboardUser, Some(api), body).await
}

async fn server_and_api_token() -> (MockServer, String) {
    let server = MockServer::start().await.unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    (server, api)
}

#[tokio::test]
async fn onboard_creates_a_usable_customer() {
    let (server, api) = server_and_api_token().await;
    let reply = onboard(&server, &api, onboard_body("john@example.com", "Acme Corp")).await;
    let body = reply.assert_ok().clone();
    assert_eq!(body["message"], "User onboarded successfully");
    for id in ["registration_id", "user_id", "company_id", "workspace_id"] {
        assert!(body["data"][id].as_i64().unwrap() > 0, "{id}");
    }
    let salt = reply.str("/data/customer_salt");
    assert_eq!(salt.len(), 12);
    assert!(salt.bytes().all(|b| b.is_ascii_digit()));
    assert_ne!(salt, DEMO_CUSTOMER_SALT);

    // Ids increase with each onboarding.
    let second = onboard(
        &server,
        &api,
        onboard_body("mary@example.com", "Other Corp"),
    )
    .await;
    for id in ["registration_id", "user_id", "company_id", "workspace_id"] {
        assert!(
            second.body["data"][id].as_i64() > body["data"][id].as_i64(),
            "{id}"
        );
    }
    assert_ne!(second.str("/data/customer_salt"), salt);

    // The new customer can get tokens (active workspace, not blocked) ...
    let minted = mint(&server, &api, json!({"customer_id": salt})).await;
    assert!(is_api_token(&minted.str("/customer_api_key")));
    // ... and log in with an OTP (random, read through the test helper).
    let login_token = login(&server, "john@example.com").await;
    let latest = common::get(&server, Operation::GetToken, Some(&login_token)).await;
    assert_eq!(latest.str("/data/token"), minted.str("/customer_api_key"));
    assert_eq!(latest.str("/data/email"), "john@example.com");
}

#[tokio::test]
async fn onboard_rejects_an_email_already_registered() {
    let (server, api) = server_and_api_token().await;
    onboard(&server, &api, onboard_body("a@example.com", "A"))
        .await
        .assert_ok();
    onboard(&server, &api, onboard_body("A@Example.COM", "B"))
        .await
        .assert_error(409, "EMAIL_ALREADY_REGISTERED");
    onboard(&server, &api, onboard_body(DEMO_EMAIL, "C"))
        .await
        .assert_error(409, "EMAIL_ALREADY_REGISTERED");
}

#[tokio::test]
async fn onboard_rejects_a_company_name_already_taken() {
    let (server, api) = server_and_api_token().await;
    onboard(&server, &api, onboard_body("a@example.com", "Acme Corp"))
        .await
        .assert_ok();
    onboard(&server, &api, onboard_body("b@example.com", "ACME corp"))
        .await
        .assert_error(409, "COMPANY_ALREADY_EXISTS");
}

#[tokio::test]
async fn onboard_rejects_restricted_domains() {
    let (server, api) = server_and_api_token().await;
    for email in ["x@mailinator.com", "x@TempMail.com", "x@eu.mailinator.com"] {
        onboard(&server, &api, onboard_body(email, "Some Co"))
            .await
            .assert_error(400, "RESTRICTED_EMAIL_DOMAIN");
    }
    // Only whole labels match.
    onboard(
        &server,
        &api,
        onboard_body("x@notmailinator.com", "Some Co"),
    )
    .await
    .assert_ok();

    // The list comes from the fixtures.
    let fixtures = Fixtures {
        restricted_domains: vec!["blocked.example".into()],
        ..Fixtures::default()
    };
    let server = MockServer::builder()
        .fixtures(fixtures)
        .start()
        .await
        .unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    onboard(&server, &api, onboard_body("x@blocked.example", "Co"))
        .await
        .assert_error(400, "RESTRICTED_EMAIL_DOMAIN");
    onboard(&server, &api, onboard_body("x@mailinator.com", "Co"))
        .await
        .assert_ok();
}

#[tokio::test]
async fn onboard_accepts_camel_case_aliases() {
    let (server, api) = server_and_api_token().await;
    let reply = onboard(&server, &api, json!({"email": "camel@example.com", "firstName": "C", "lastName": "Case", "companyName": "Camel Co"})).await;
    reply.assert_ok();
    assert!(server
        .state()
        .customer_salt_of("camel@example.com")
        .is_some());
    // The snake_case name wins over its alias.
    onboard(
        &server,
        &api,
        json!({"email_id": "snake@example.com", "email": "camel@example.com",
               "first_name": "S", "last_name": "Case", "company_name": "Snake Co"}),
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn onboard_requires_all_four_fields() {
    let (server, api) = server_and_api_token().await;
    let full = onboard_body("new@example.com", "New Co");
    for field in ["email_id", "first_name", "last_name", "company_name"] {
        for replacement in [None, Some(json!("")), Some(json!("  ")), Some(json!(7))] {
            let mut body = full.clone();
            match replacement {
                None => {
                    body.as_object_mut().unwrap().remove(field);
                }
                Some(v) => body[field] = v,
            }
            onboard(&server, &api, body)
                .await
                .assert_error(400, "INVALID_REQUEST");
        }
    }
    onboard(&server, &api, onboard_body("not-an-email", "New Co"))
        .await
        .assert_error(400, "INVALID_REQUEST");
    post(&server, Operation::OnboardUser, None, full.clone())
        .await
        .assert_error(400, "API_TOKEN_REQUIRED");
    post(&server, Operation::OnboardUser, Some("nope"), full)
        .await
        .assert_error(401, "INVALID_API_TOKEN");
}

#[tokio::test]
async fn onboard_keeps_a_leading_zero_in_the_salt() {
    let fixtures = Fixtures {
        next_customer_salts: vec!["000000000042".into()],
        ..Fixtures::default()
    };
    let server = MockServer::builder()
        .fixtures(fixtures)
        .start()
        .await
        .unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let reply = onboard(&server, &api, onboard_body("z@example.com", "Z")).await;
    assert_eq!(reply.body["data"]["customer_salt"], json!("000000000042"));
    // Also settable at run time.
    assert!(server.state().push_next_customer_salt("012345678901"));
    assert!(!server.state().push_next_customer_salt("12345"));
    let reply = onboard(&server, &api, onboard_body("y@example.com", "Y")).await;
    assert_eq!(reply.str("/data/customer_salt"), "012345678901");
    mint(&server, &api, json!({"customer_id": "012345678901"}))
        .await
        .assert_ok();
}

#[tokio::test]
async fn gettokenbycustomerid_accepts_each_alias() {
    let (server, api) = server_and_api_token().await;
    for field in ["customer_id", "customerid", "customer_salt"] {
        let reply = mint(&server, &api, json!({ field: DEMO_CUSTOMER_SALT })).await;
        assert_eq!(
            reply.assert_ok()["customerid"],
            DEMO_CUSTOMER_SALT,
            "{field}"
        );
    }
    // Precedence: customer_id, then customerid, then customer_salt.
    mint(
        &server,
        &api,
        json!({"customer_id": DEMO_CUSTOMER_SALT, "customerid": "999999999999"}),
    )
    .await
    .assert_ok();
    mint(
        &server,
        &api,
        json!({"customerid": "999999999999", "customer_salt": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_error(404, "CUSTOMER_ID_NOT_FOUND");
    mint(
        &server,
        &api,
        json!({"customer_id": null, "customer_salt": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn gettokenbycustomerid_mints_new_tokens_without_revoking() {
    let (server, api) = server_and_api_token().await;
    let body = json!({"customer_id": DEMO_CUSTOMER_SALT});
    let a = mint(&server, &api, body.clone())
        .await
        .str("/customer_api_key");
    let b = mint(&server, &api, body).await.str("/customer_api_key");
    assert_ne!(a, b);
    for t in [&a, &b, &api] {
        post(&server, Operation::VerifyToken, Some(t), json!({}))
            .await
            .assert_ok();
    }
}

#[tokio::test]
async fn gettokenbycustomerid_expiry_is_now_plus_days() {
    let clock = Clock::manual(1_743_033_600 - 30 * 86_400);
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    let reply = mint(
        &server,
        &api,
        json!({"customer_id": DEMO_CUSTOMER_SALT, "name": "My API Token", "expiration_days": 30}),
    )
    .await;
    let body = reply.assert_ok();
    assert_eq!(body["expires"], json!(1_743_033_600));
    assert_eq!(body["name"], "My API Token");
    assert_eq!(body["message"], "API token generated successfully");
    assert_eq!(body["customerid"], DEMO_CUSTOMER_SALT);

    clock.advance(std::time::Duration::from_secs(12_345));
    let reply = mint(
        &server,
        &api,
        json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": 2}),
    )
    .await;
    assert_eq!(reply.body["expires"], json!(clock.now_unix() + 2 * 86_400));
}

#[tokio::test]
async fn gettokenbycustomerid_without_expiry_or_name_answers_nulls() {
    let (server, api) = server_and_api_token().await;
    for body in [
        json!({"customer_id": DEMO_CUSTOMER_SALT}),
        json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": null, "name": null}),
    ] {
        let reply = mint(&server, &api, body).await;
        let obj = reply.assert_ok().as_object().unwrap();
        assert_eq!(obj.get("expires"), Some(&Value::Null));
        assert_eq!(obj.get("name"), Some(&Value::Null));
    }
}

#[tokio::test]
async fn gettokenbycustomerid_unknown_or_blocked_customer_is_not_found() {
    let (server, api) = server_and_api_token().await;
    mint(&server, &api, json!({"customer_id": "111111111111"}))
        .await
        .assert_error(404, "CUSTOMER_ID_NOT_FOUND");

    assert!(server.set_blocked(DEMO_CUSTOMER_SALT, true));
    mint(&server, &api, json!({"customer_id": DEMO_CUSTOMER_SALT}))
        .await
        .assert_error(404, "CUSTOMER_ID_NOT_FOUND");
    assert!(server.set_blocked(DEMO_CUSTOMER_SALT, false));
    mint(&server, &api, json!({"customer_id": DEMO_CUSTOMER_SALT}))
        .await
        .assert_ok();
    assert!(!server.set_blocked("000000000000", true));
}

#[tokio::test]
async fn gettokenbycustomerid_without_workspace_is_workspace_not_found() {
    let fixtures = Fixtures::default()
        .with_account(
            AccountFixture::new("nows@example.com", "Gone", "222222222222").active_workspace(false),
        )
        .with_account(
            AccountFixture::new("blocked@example.com", "B", "333333333333").blocked(true),
        );
    let server = MockServer::builder()
        .fixtures(fixtures)
        .start()
        .await
        .unwrap();
    let api = server.issue_api_token(DEMO_EMAIL).unwrap();
    mint(&server, &api, json!({"customer_id": "222222222222"}))
        .await
        .assert_error(404, "WORKSPACE_NOT_FOUND");
    mint(&server, &api, json!({"customer_id": "333333333333"}))
        .await
        .assert_error(404, "CUSTOMER_ID_NOT_FOUND");
    assert!(server.set_active_workspace("222222222222", true));
    mint(&server, &api, json!({"customer_id": "222222222222"}))
        .await
        .assert_ok();
}

#[tokio::test]
async fn gettokenbycustomerid_rejects_bad_expiration_days() {
    let (server, api) = server_and_api_token().await;
    for days in [
        json!(0),
        json!(-1),
        json!(1.5),
        json!("30"),
        json!(true),
        json!({}),
        json!([1]),
        json!(1.0),
        json!(36_501),
        json!(9_223_372_036_854_775_806_u64),
    ] {
        mint(
            &server,
            &api,
            json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": days}),
        )
        .await
        .assert_error(400, "INVALID_EXPIRATION_DAYS");
    }
    // Too far in the future to represent.
    mint(
        &server,
        &api,
        json!({"customer_id": DEMO_CUSTOMER_SALT, "expiration_days": u64::MAX}),
    )
    .await
    .assert_error(400, "INVALID_EXPIRATION_DAYS");
}

#[tokio::test]
async fn gettokenbycustomerid_requires_a_12_digit_string_id() {
    let (server, api) = server_and_api_token().await;
    for body in [
        json!({}),
        json!({"customer_id": "12345"}),
        json!({"customer_id": "0483729105640"}),
        json!({"customer_id": "04837291056a"}),
        json!({"customer_id": 48372910564_u64}),
        json!({"customer_id": DEMO_CUSTOMER_SALT, "name": 5}),
    ] {
        mint(&server, &api, body)
            .await
            .assert_error(400, "INVALID_REQUEST");
    }
    post(
        &server,
        Operation::GetTokenByCustomerId,
        None,
        json!({"customer_id": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_error(400, "API_TOKEN_REQUIRED");
    post(
        &server,
        Operation::GetTokenByCustomerId,
        Some("bogus"),
        json!({"customer_id": DEMO_CUSTOMER_SALT}),
    )
    .await
    .assert_error(401, "INVALID_API_TOKEN");
}
