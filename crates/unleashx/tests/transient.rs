//! Transient failures (408, 429, 502, 503, 504, with or without a JSON body)
//! are one kind in strict and lenient mode: retried by the same rules, never
//! drift, never an error code. Against a scripted server on loopback.

mod support;

use std::time::Duration;

use support::{Reply, Scripted};
use unleashx::{ApiClient, Client, Deviation, ErrorKind, OperationId, RetryPolicy};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn client(base: &str, strict: bool) -> Client {
    Client::builder()
        .base_url(base)
        .retry(fast_retries())
        .strict(strict)
        .build()
        .expect("client")
}

fn api(client: &Client) -> ApiClient {
    client
        .with_api_token("api-token-value")
        .expect("api client")
}

#[tokio::test]
async fn strict_mode_retries_a_503_like_lenient_mode() {
    for strict in [false, true] {
        let server = Scripted::start(vec![
            Reply::error(503, "SERVICE_UNAVAILABLE"),
            Reply::json(200, r#"{"message":"TOKEN_VALID"}"#),
        ])
        .await;
        let client = client(&server.base_url, strict);
        let got = api(&client)
            .verify()
            .send_with_meta()
            .await
            .unwrap_or_else(|e| panic!("strict={strict}: {e:?}"));
        assert!(got.value().is_valid(), "strict={strict}");
        assert_eq!(got.meta().attempts(), 2, "strict={strict}");
        assert_eq!(server.count(), 2, "strict={strict}");
        assert!(
            client.drift().is_empty(),
            "strict={strict}: {}",
            client.drift()
        );
    }
}

/// 408, 429, 502, 503 and 504, each with the API's error JSON, HTML and an
/// empty body.
fn transient_replies() -> Vec<(u16, Reply)> {
    let mut all = Vec::new();
    for status in [408, 429, 502, 503, 504] {
        all.push((status, Reply::error(status, "TOO_MANY_REQUESTS")));
        all.push((
            status,
            Reply::raw(status, "text/html", "<html><h1>Bad Gateway</h1></html>"),
        ));
        all.push((status, Reply::raw(status, "text/plain", "")));
    }
    all
}

#[tokio::test]
async fn every_transient_answer_is_one_kind_retried_alike_and_never_drift() {
    for strict in [false, true] {
        for (status, reply) in transient_replies() {
            let server = Scripted::start(vec![reply.clone()]).await;
            let client = client(&server.base_url, strict);
            let err = api(&client).verify().await.expect_err("transient");
            let case = format!("strict={strict} {reply:?}");
            assert!(err.is_transient(), "{case}: {err:?}");
            assert_eq!(err.kind(), ErrorKind::Transient, "{case}");
            assert_eq!(err.kind().as_str(), "transient", "{case}");
            assert_eq!(err.status(), Some(status), "{case}");
            assert_eq!(err.code(), None, "{case}: never an error code");
            assert!(!err.is_drift(), "{case}");
            assert_eq!(
                (server.count(), err.attempts()),
                (3, 3),
                "{case}: a read is retried"
            );
            assert!(client.drift().is_empty(), "{case}: {}", client.drift());
            let text = err.to_string();
            assert!(
                text.contains("ApiClient::verify (verify_token)")
                    && !text.contains("does not know"),
                "{case}: {text}"
            );
            assert!(!err.may_have_taken_effect(), "{case}: a read");
        }
    }
}

#[tokio::test]
async fn an_undocumented_4xx_is_still_drift() {
    let server = Scripted::start(vec![Reply::error(418, "INVALID_API_TOKEN")]).await;
    let lenient = client(&server.base_url, false);
    let err = api(&lenient).verify().await.expect_err("418");
    assert!(!err.is_transient() && err.is_api(), "{err:?}");
    let undocumented = Deviation::UndocumentedStatus { status: 418 };
    assert_eq!(
        lenient
            .drift()
            .count(OperationId::VerifyToken, &undocumented),
        1,
        "{}",
        lenient.drift()
    );
    let strict = client(&server.base_url, true);
    let err = api(&strict).verify().await.expect_err("418");
    assert!(err.is_drift(), "{err:?}");
}

#[tokio::test]
async fn retry_after_is_given_on_the_final_error_in_seconds_and_as_a_date() {
    // A wait beyond the call's deadline ends the call at once, with the wait.
    let server = Scripted::start(vec![
        Reply::error(503, "SERVICE_UNAVAILABLE").with_header("retry-after", "3600")
    ])
    .await;
    let err = api(&client(&server.base_url, true))
        .verify()
        .await
        .expect_err("503");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)), "{err}");
    assert_eq!(server.count(), 1);
    assert!(err.to_string().contains("asked to wait"), "{err}");

    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(7200));
    server.set(vec![
        Reply::raw(429, "text/plain", "slow down").with_header("retry-after", &when)
    ]);
    let err = api(&client(&server.base_url, false))
        .verify()
        .await
        .expect_err("429");
    let wait = err.retry_after().expect("the date is read");
    assert!(
        (Duration::from_secs(7000)..=Duration::from_secs(7200)).contains(&wait),
        "{wait:?}"
    );

    // Without the header, none; and none on other kinds.
    server.set(vec![Reply::error(503, "SERVICE_UNAVAILABLE")]);
    let err = api(&client(&server.base_url, false))
        .verify()
        .await
        .expect_err("503");
    assert_eq!(err.retry_after(), None);
    server.set(vec![
        Reply::error(404, "CUSTOMER_ID_NOT_FOUND").with_header("retry-after", "5")
    ]);
    let err = api(&client(&server.base_url, false))
        .customer_token("048372910564")
        .await
        .expect_err("404");
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn a_transient_mint_is_not_retried_and_says_whether_it_may_have_taken_effect() {
    // A 503 or 429 is the server refusing: nothing was minted.
    for status in [429, 503] {
        let server = Scripted::start(vec![Reply::error(status, "BUSY")]).await;
        let err = api(&client(&server.base_url, true))
            .customer_token("048372910564")
            .await
            .expect_err("transient");
        assert_eq!(server.count(), 1, "{status}: a mint is not retried");
        assert!(
            err.is_transient() && !err.may_have_taken_effect(),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("ApiClient::customer_token (get_token_by_customer_id)"),
            "{err}"
        );
    }
    // A gateway's HTML 502 may come after the server behind it minted.
    let server = Scripted::start(vec![Reply::raw(
        502,
        "text/html",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    )])
    .await;
    let err = api(&client(&server.base_url, false))
        .customer_token("048372910564")
        .await
        .expect_err("502");
    assert_eq!(server.count(), 1);
    assert!(err.is_transient() && err.may_have_taken_effect(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("may have acted") && !text.contains("try again"),
        "{text}"
    );
}
