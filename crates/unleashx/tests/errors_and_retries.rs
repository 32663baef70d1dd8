//! Error mapping, retries, timeouts and transport rules, against a scripted
//! server on loopback that counts what reaches it.

mod support;

use std::time::{Duration, Instant};

use support::{Reply, Scripted};
use unleashx::{
    ApiClient, Client, Error, ErrorCode, LoginSession, RetryPolicy, TimeoutKind, TransportKind,
};

const HEX: &str = "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9";

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .retry(fast_retries())
        .build()
        .expect("client")
}

fn api(base: &str) -> ApiClient {
    client(base)
        .with_api_token("api-token-value")
        .expect("api client")
}

fn session(base: &str) -> LoginSession {
    client(base)
        .with_login_token("login-token-value")
        .expect("session")
}

#[tokio::test]
async fn every_documented_code_maps_to_its_error_code() {
    let cases = [
        ("LOGIN_TOKEN_REQUIRED", 400, ErrorCode::LoginTokenRequired),
        ("INVALID_LOGIN_TOKEN", 401, ErrorCode::InvalidLoginToken),
        ("SESSIONEXPIRED", 401, ErrorCode::SessionExpired),
        ("NO_API_TOKEN_FOUND", 404, ErrorCode::NoApiTokenFound),
        ("CUSTOMER_ID_NOT_FOUND", 404, ErrorCode::CustomerIdNotFound),
        ("WORKSPACE_NOT_FOUND", 404, ErrorCode::WorkspaceNotFound),
        (
            "INVALID_EXPIRATION_DAYS",
            400,
            ErrorCode::InvalidExpirationDays,
        ),
        (
            "EMAIL_ALREADY_REGISTERED",
            409,
            ErrorCode::EmailAlreadyRegistered,
        ),
        ("USERNAME_REQUIRED", 400, ErrorCode::UsernameRequired),
        ("INVALID_OTP", 401, ErrorCode::InvalidOtp),
        ("API_TOKEN_REQUIRED", 400, ErrorCode::ApiTokenRequired),
        ("INVALID_API_TOKEN", 401, ErrorCode::InvalidApiToken),
        (
            "COMPANY_ALREADY_EXISTS",
            409,
            ErrorCode::CompanyAlreadyExists,
        ),
        (
            "RESTRICTED_EMAIL_DOMAIN",
            400,
            ErrorCode::RestrictedEmailDomain,
        ),
        ("INVALID_REQUEST", 400, ErrorCode::InvalidRequest),
        (
            "SOMETHING_NEW",
            400,
            ErrorCode::Unknown("SOMETHING_NEW".into()),
        ),
    ];
    for (code, status, expected) in cases {
        let server = Scripted::start(vec![
            Reply::error(status, code).with_header("x-request-id", "req-42")
        ])
        .await;
        let err = api(&server.base_url)
            .customer_token("048372910564")
            .await
            .expect_err(code);
        assert_eq!(err.code(), Some(&expected), "{code}");
        assert_eq!(err.status(), Some(status), "{code}");
        assert_eq!(err.request_id(), Some("req-42"), "{code}");
        assert!(err.is_api());
        assert_eq!(expected.as_str(), code);
        assert!(
            err.to_string().contains(code) && err.to_string().contains("req-42"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_code_is_classified_whatever_status_carries_it() {
    // 403 and 500 are not in the spec: the body still decides.
    for status in [403, 422, 500] {
        let server = Scripted::start(vec![Reply::error(status, "WORKSPACE_NOT_FOUND")]).await;
        let err = api(&server.base_url)
            .customer_token("048372910564")
            .await
            .expect_err("error");
        assert_eq!(err.code(), Some(&ErrorCode::WorkspaceNotFound), "{status}");
        assert_eq!(err.status(), Some(status));
    }
}

#[tokio::test]
async fn an_html_500_is_an_unexpected_response_with_a_bounded_snippet() {
    let page = format!(
        "<html><body><h1>500 Internal Server Error</h1>{}</body></html>",
        "x ".repeat(5000)
    );
    let server = Scripted::start(vec![Reply::raw(500, "text/html", &page)]).await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("500");
    let Error::UnexpectedResponse(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status(), Some(500));
    let snippet = e.snippet().expect("snippet");
    assert!(
        snippet.contains("500 Internal Server Error") && snippet.chars().count() <= 200,
        "{snippet}"
    );
    assert!(err.to_string().len() < 600, "{err}");
}

#[tokio::test]
async fn malformed_success_bodies_are_unexpected_and_never_echo_the_body() {
    let cases = [
        ("", "empty"),
        ("<html>oops</html>", "HTML"),
        (
            r#"{"customerid": "048372910564", "customer_api_key": 12345, "name": null, "expires": null}"#,
            "does not match",
        ),
        (
            r#"{"customerid": "048372910564", "customer_api_key": "SECRET-KEY-VALUE", "name": null, "expires": "soon"}"#,
            "does not match",
        ),
    ];
    for (body, reason) in cases {
        let server = Scripted::start(vec![Reply::raw(200, "application/json", body)]).await;
        let err = api(&server.base_url)
            .customer_token("048372910564")
            .await
            .expect_err(body);
        assert!(err.is_unexpected_response(), "{err:?}");
        assert!(err.to_string().contains(reason), "{err}");
        assert!(
            !err.to_string().contains("SECRET-KEY-VALUE")
                && !format!("{err:?}").contains("SECRET-KEY-VALUE")
        );
        assert_eq!(server.count(), 1, "a mint is never retried");
    }
}

#[tokio::test]
async fn get_token_is_retried_on_503_and_succeeds() {
    let ok = format!(
        r#"{{"message":"ok","data":{{"token":"{HEX}","email":"a@b.c","workspace_name":"W"}}}}"#
    );
    let server = Scripted::start(vec![
        Reply::error(503, "BUSY"),
        Reply::error(503, "BUSY"),
        Reply::json(200, &ok),
    ])
    .await;
    let got = session(&server.base_url)
        .latest_api_token()
        .send_with_meta()
        .await
        .expect("third attempt works");
    assert_eq!(server.count(), 3);
    assert_eq!(got.meta().attempts(), 3);
    assert_eq!(got.value().token.expose_secret(), HEX);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_can_be_turned_off() {
    let server = Scripted::start(vec![Reply::error(503, "BUSY")]).await;
    let err = api(&server.base_url)
        .verify()
        .await
        .expect_err("always 503");
    assert_eq!((server.count(), err.attempts()), (3, 3));

    let server = Scripted::start(vec![Reply::error(503, "BUSY")]).await;
    let err = api(&server.base_url)
        .verify()
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("503");
    assert_eq!((server.count(), err.attempts()), (1, 1));
}

#[tokio::test]
async fn minting_calls_are_not_retried_on_503() {
    let server = Scripted::start(vec![Reply::error(503, "BUSY")]).await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("503");
    assert_eq!(
        server.count(),
        1,
        "a retried mint would leave two live tokens"
    );
    assert_eq!(err.status(), Some(503));

    let server = Scripted::start(vec![Reply::error(503, "BUSY")]).await;
    session(&server.base_url)
        .generate_api_token()
        .await
        .expect_err("503");
    assert_eq!(server.count(), 1);

    let server = Scripted::start(vec![Reply::error(503, "BUSY")]).await;
    client(&server.base_url)
        .request_otp("a@b.c")
        .await
        .expect_err("503");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Scripted::start(vec![Reply::error(401, "INVALID_LOGIN_TOKEN")]).await;
    session(&server.base_url)
        .latest_api_token()
        .await
        .expect_err("401");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let ok = r#"{"message":"TOKEN_VALID"}"#;
    let server = Scripted::start(vec![
        Reply::error(429, "SLOW_DOWN").with_header("retry-after", "1"),
        Reply::json(200, ok),
    ])
    .await;
    let start = Instant::now();
    let status = api(&server.base_url)
        .verify()
        .await
        .expect("second attempt works");
    assert!(status.is_valid());
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited only {:?}",
        start.elapsed()
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let server = Scripted::start(vec![
        Reply::error(503, "BUSY").with_header("retry-after", &when),
        Reply::json(200, "{}"),
    ])
    .await;
    let start = Instant::now();
    api(&server.base_url)
        .verify()
        .await
        .expect("second attempt works");
    // The date has one-second resolution: at least one second must pass.
    assert!(
        start.elapsed() >= Duration::from_millis(1000),
        "waited only {:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_ends_the_call_at_once() {
    let server = Scripted::start(vec![
        Reply::error(503, "BUSY").with_header("retry-after", "3600")
    ])
    .await;
    let err = api(&server.base_url)
        .verify()
        .timeout(Duration::from_secs(5))
        .await
        .expect_err("no time to wait");
    assert_eq!(server.count(), 1);
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn the_attempt_timeout_fires_on_a_silent_server() {
    let server = Scripted::start(vec![Reply::Delay(
        Duration::from_secs(30),
        Box::new(Reply::json(200, "{}")),
    )])
    .await;
    let err = api(&server.base_url)
        .verify()
        .attempt_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("timeout");
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt(Duration::from_millis(200)));
}

/// A loopback listener that accepts no connection: its backlog (1) is filled
/// by connections nobody accepts, so further handshakes get no answer.
/// Returns the listener and the filling connections, to keep them open.
fn unanswering_listener() -> (tokio::net::TcpListener, Vec<std::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = socket.listen(1).expect("listen");
    let addr = listener.local_addr().expect("addr");
    let mut held = Vec::new();
    for _ in 0..64 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => held.push(stream),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return (listener, held),
            Err(e) => panic!("filling the backlog: {e}"),
        }
    }
    panic!("the backlog of 1 never filled after 64 connections");
}

#[tokio::test]
async fn a_connect_timeout_reports_its_limit_attempts_time_and_cause() {
    let (listener, _held) = unanswering_listener();
    let connect = Duration::from_millis(150);
    let api = Client::builder()
        .base_url(format!("http://{}", listener.local_addr().expect("addr")))
        .connect_timeout(connect)
        .retry(fast_retries())
        .build()
        .and_then(|c| c.with_api_token("api-token-value"))
        .expect("client");
    // A mint is retried too: the connection was never made.
    let err = api
        .customer_token("048372910564")
        .await
        .expect_err("nobody accepts");
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TimeoutKind::Connect(connect), "{err}");
    assert_eq!(err.attempts(), 3, "{err}");
    // Three connect timeouts cannot take less than three times the limit.
    assert!(t.elapsed() >= connect * 3, "{err}");
    let message = err.to_string();
    assert!(!message.contains("0ns"), "{message}");
    assert!(
        message.contains("150ms") && message.contains("3 attempt"),
        "{message}"
    );
    let source = std::error::Error::source(&err).expect("reqwest's error is kept");
    let reqwest = source.downcast_ref::<reqwest::Error>();
    assert!(
        reqwest.is_some_and(|e| e.is_connect() && e.is_timeout()),
        "{source:?}"
    );
}

#[tokio::test]
async fn the_total_deadline_includes_retries() {
    let server = Scripted::start(vec![Reply::Delay(
        Duration::from_secs(30),
        Box::new(Reply::json(200, "{}")),
    )])
    .await;
    let err = api(&server.base_url)
        .verify()
        .attempt_timeout(Duration::from_millis(150))
        .timeout(Duration::from_millis(400))
        .retry(
            RetryPolicy::default()
                .max_attempts(100)
                .initial_backoff(Duration::from_millis(1)),
        )
        .await
        .expect_err("deadline");
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        (2..=4).contains(&server.count()),
        "attempts that reached the server: {}",
        server.count()
    );
}

#[tokio::test]
async fn a_mint_that_timed_out_is_not_retried() {
    let server = Scripted::start(vec![Reply::Delay(
        Duration::from_secs(30),
        Box::new(Reply::json(200, "{}")),
    )])
    .await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .attempt_timeout(Duration::from_millis(150))
        .await
        .expect_err("timeout");
    assert!(err.is_timeout());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_mint() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let err = api(&format!("http://127.0.0.1:{port}"))
        .customer_token("048372910564")
        .await
        .expect_err("refused");
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportKind::Connect);
    assert_eq!(
        err.attempts(),
        3,
        "nothing reached the server, so retrying is safe"
    );
}

#[tokio::test]
async fn a_reset_before_the_response_is_not_retried_for_a_mint_but_is_for_a_read() {
    let server = Scripted::start(vec![Reply::Close]).await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("reset");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(server.count(), 1);

    let server = Scripted::start(vec![Reply::Close, Reply::json(200, "{}")]).await;
    api(&server.base_url)
        .verify()
        .await
        .expect("retried read works");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let server = Scripted::start(vec![Reply::json(200, "{}")]).await;
    let api = api(&server.base_url);
    for id in ["48372910564", "0483729105641", "04837291056x", ""] {
        let err = api.customer_token(id).await.expect_err(id);
        assert!(err.is_invalid_input(), "{err:?}");
        assert!(err.to_string().contains("12 digits"), "{err}");
    }
    let err = api
        .customer_token("048372910564")
        .expires_in_days(0)
        .await
        .expect_err("0 days");
    assert!(
        err.is_invalid_input() && err.to_string().contains("expiration_days"),
        "{err}"
    );
    // The spec's maximum, from the catalogue, is the last day accepted.
    let max =
        unleashx_api::catalogue::limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MAXIMUM;
    let err = api
        .customer_token("048372910564")
        .expires_in_days(u32::try_from(max + 1).unwrap())
        .await
        .expect_err("over the maximum");
    assert!(
        err.is_invalid_input() && err.to_string().contains(&max.to_string()),
        "{err}"
    );
    let err = api
        .customer_token("048372910564")
        .name(" ")
        .await
        .expect_err("blank name");
    assert!(
        err.is_invalid_input() && err.to_string().contains("name"),
        "{err}"
    );
    for (customer, field) in [
        (
            unleashx::NewCustomer::new("no-at-sign", "A", "B", "C"),
            "email",
        ),
        (unleashx::NewCustomer::new("a @b.c", "A", "B", "C"), "email"),
        (
            unleashx::NewCustomer::new("a@b.c", " ", "B", "C"),
            "first_name",
        ),
        (
            unleashx::NewCustomer::new("a@b.c", "A", "", "C"),
            "last_name",
        ),
        (
            unleashx::NewCustomer::new("a@b.c", "A", "B", "\t"),
            "company_name",
        ),
    ] {
        let err = api.onboard(customer).await.expect_err(field);
        assert!(err.is_invalid_input(), "{err}");
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
    let err = client(&server.base_url)
        .request_otp(" ")
        .await
        .expect_err("blank username");
    assert!(
        err.is_invalid_input() && err.to_string().contains("username"),
        "{err}"
    );
    let err = client(&server.base_url)
        .login("a@b.c", "")
        .await
        .expect_err("empty otp");
    assert!(err.is_invalid_input(), "{err}");
    assert_eq!(server.count(), 0);
    let sent = api
        .customer_token("048372910564")
        .expires_in_days(u32::try_from(max).unwrap())
        .await;
    assert!(
        !sent.as_ref().is_err_and(Error::is_invalid_input),
        "{sent:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_token_never_reaches_the_other_origin() {
    let other = Scripted::start(vec![Reply::json(200, r#"{"message":"TOKEN_VALID"}"#)]).await;
    let location = format!("{}/api/v1/global/verify", other.base_url);
    let server = Scripted::start(vec![
        Reply::raw(302, "text/plain", "").with_header("location", &location)
    ])
    .await;
    let err = api(&server.base_url).verify().await.expect_err("redirect");
    assert!(
        err.is_unexpected_response() && err.to_string().contains("redirect"),
        "{err}"
    );
    assert_eq!(other.count(), 0);
}

#[tokio::test]
async fn the_token_header_and_user_agent_are_sent() {
    let server = Scripted::start(vec![Reply::json(200, "{}")]).await;
    let api = Client::builder()
        .base_url(&server.base_url)
        .app_name("my-tool/2")
        .build()
        .expect("client")
        .with_api_token("tok-1")
        .expect("api");
    api.verify().await.expect("valid");
    let seen = &server.seen()[0];
    assert_eq!(seen.header("token"), Some("tok-1"));
    assert!(seen
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("unleashx-rs/") && ua.ends_with(" my-tool/2")));
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/v1/global/verify")
    );
}

#[tokio::test]
async fn verify_answers_invalid_for_a_401() {
    let server = Scripted::start(vec![Reply::error(401, "INVALID_API_TOKEN")]).await;
    let status = api(&server.base_url)
        .verify()
        .await
        .expect("401 is an answer");
    assert_eq!(
        status,
        unleashx::TokenStatus::Invalid(ErrorCode::InvalidApiToken)
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let err = Client::new("http://api.example.com").expect_err("http");
    assert!(
        err.is_config() && err.to_string().contains("https"),
        "{err}"
    );
    assert!(Client::builder()
        .base_url("http://api.example.com")
        .allow_insecure_http(true)
        .build()
        .is_ok());
}
