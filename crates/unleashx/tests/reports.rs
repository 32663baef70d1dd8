//! What a batch report needs from an error: a stable kind, whether the call
//! may have taken effect, and a message naming the method and operationId
//! that never suggests repeating a mint that may have happened. Also the
//! base URL (an origin) and empty environment variables.

mod support;

use std::time::Duration;

use support::{Reply, Scripted};
use unleashx::{ApiClient, Client, Error, ErrorKind, RetryPolicy};

fn api(base: &str) -> ApiClient {
    Client::builder()
        .base_url(base)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .and_then(|c| c.with_api_token("api-token-value"))
        .expect("client")
}

fn refused_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Says the call may have taken effect and does not invite a repeat.
fn warns_against_repeating(e: &Error) {
    let text = e.to_string();
    assert!(e.may_have_taken_effect(), "{e:?}");
    assert!(
        text.contains("may have acted")
            && text.contains("do not repeat it blindly")
            && !text.contains("try again")
            && !text.contains("raise the timeout"),
        "{text}"
    );
}

#[tokio::test]
async fn every_kind_has_its_stable_name() {
    let server = Scripted::start(vec![Reply::error(404, "CUSTOMER_ID_NOT_FOUND")]).await;
    let api_error = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("404");
    let invalid = api(&server.base_url)
        .customer_token("12")
        .await
        .expect_err("short id");
    server.set(vec![Reply::raw(500, "text/html", "<html>oops</html>")]);
    let unexpected = api(&server.base_url).verify().await.expect_err("html");
    server.set(vec![Reply::error(503, "BUSY")]);
    let transient = api(&server.base_url).verify().await.expect_err("503");
    server.set(vec![Reply::Delay(
        Duration::from_secs(30),
        Box::new(Reply::json(200, "{}")),
    )]);
    let timeout = api(&server.base_url)
        .verify()
        .attempt_timeout(Duration::from_millis(100))
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("slow");
    let transport = api(&format!("http://127.0.0.1:{}", refused_port()))
        .verify()
        .await
        .expect_err("refused");
    let config = Client::new("http://127.0.0.1:1/api").expect_err("a path");
    for (e, kind, name) in [
        (&api_error, ErrorKind::Api, "api"),
        (&invalid, ErrorKind::InvalidInput, "invalid_input"),
        (&timeout, ErrorKind::Timeout, "timeout"),
        (&transport, ErrorKind::Transport, "transport"),
        (
            &unexpected,
            ErrorKind::UnexpectedResponse,
            "unexpected_response",
        ),
        (&config, ErrorKind::Config, "config"),
        (&transient, ErrorKind::Transient, "transient"),
    ] {
        assert_eq!(e.kind(), kind, "{e:?}");
        assert_eq!(e.kind().as_str(), name);
        assert!(!e.may_have_taken_effect(), "{e:?}");
    }
    // Every message of a call names the method and the operationId.
    for e in [&api_error, &invalid] {
        assert!(
            e.to_string()
                .starts_with("ApiClient::customer_token (get_token_by_customer_id)"),
            "{e}"
        );
    }
    for e in [&unexpected, &transient, &timeout, &transport] {
        assert!(
            e.to_string()
                .starts_with("ApiClient::verify (verify_token)"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn a_mint_that_may_have_reached_the_server_says_so() {
    // Timed out after sending.
    let server = Scripted::start(vec![Reply::Delay(
        Duration::from_secs(30),
        Box::new(Reply::json(200, "{}")),
    )])
    .await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .attempt_timeout(Duration::from_millis(100))
        .await
        .expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    warns_against_repeating(&err);
    assert_eq!(server.count(), 1);

    // Reset before the answer.
    server.set(vec![Reply::Close]);
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("reset");
    assert!(err.is_transport(), "{err:?}");
    warns_against_repeating(&err);

    // A 200 whose body cannot be used: the token was minted.
    server.set(vec![Reply::raw(200, "application/json", "<html>ok</html>")]);
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("html 200");
    assert!(err.is_unexpected_response(), "{err:?}");
    warns_against_repeating(&err);

    // The same failures on a read never took effect.
    server.set(vec![Reply::Close]);
    let err = api(&server.base_url).verify().await.expect_err("reset");
    assert!(
        err.is_transport() && !err.may_have_taken_effect(),
        "{err:?}"
    );

    // A connection never made: nothing reached the server, even for a mint.
    let err = api(&format!("http://127.0.0.1:{}", refused_port()))
        .customer_token("048372910564")
        .await
        .expect_err("refused");
    assert!(
        err.is_transport() && !err.may_have_taken_effect(),
        "{err:?}"
    );
    assert!(err.to_string().contains("nothing reached"), "{err}");
}

#[test]
fn a_base_url_with_a_path_query_or_fragment_is_a_config_error() {
    for (raw, has) in [
        ("http://127.0.0.1:18080/api", "a path (/api)"),
        ("http://127.0.0.1:18080/?x=1", "a query"),
        ("http://127.0.0.1:18080#top", "a fragment"),
    ] {
        let err = Client::new(raw).expect_err(raw);
        let text = err.to_string();
        assert!(err.is_config(), "{err:?}");
        assert!(
            text.contains(has)
                && text.contains("pass http://127.0.0.1:18080 instead")
                && text.contains("ClientBuilder::base_url"),
            "{text}"
        );
    }
    assert!(Client::new("http://127.0.0.1:18080/").is_ok());
}

/// The environment is the process's: one test changes it.
#[test]
fn environment_variables_set_empty_or_with_a_path_are_reported_as_such() {
    use unleashx::env;
    std::env::set_var(env::BASE_URL, "http://127.0.0.1:18080/api");
    let text = Client::from_env().expect_err("a path").to_string();
    assert!(
        text.contains(env::BASE_URL) && text.contains("pass http://127.0.0.1:18080 instead"),
        "{text}"
    );
    std::env::set_var(env::BASE_URL, "http://127.0.0.1:18080");
    for var in [env::API_TOKEN, env::LOGIN_TOKEN] {
        std::env::set_var(var, "");
        let err = match var {
            v if v == env::API_TOKEN => unleashx::ApiClient::from_env().map(drop),
            _ => unleashx::LoginSession::from_env().map(drop),
        }
        .expect_err("empty");
        let text = err.to_string();
        assert!(
            err.is_config() && text.contains(&format!("{var} is set but empty")),
            "{text}"
        );
        std::env::remove_var(var);
        let text = unleashx::ApiClient::from_env()
            .map(drop)
            .and(unleashx::LoginSession::from_env().map(drop))
            .expect_err("unset")
            .to_string();
        assert!(text.contains("is not set"), "{text}");
    }
    std::env::set_var(env::BASE_URL, " ");
    let text = Client::from_env().expect_err("blank").to_string();
    assert!(
        text.contains("UNLEASHX_BASE_URL is set but empty"),
        "{text}"
    );
    std::env::remove_var(env::BASE_URL);
    assert!(Client::from_env().is_ok());
}
