//! A server that misbehaves on cue. Each case checks the error kind, the
//! attempts counted on the server side, and that nothing panics.

mod support;

use std::time::Duration;

use support::{Reply, Scripted};
use unleashx::{ApiClient, Client, Error, RetryPolicy, TimeoutKind};

fn api(base: &str) -> ApiClient {
    Client::builder()
        .base_url(base)
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .and_then(|c| c.with_api_token("chaos-token"))
        .expect("client")
}

#[tokio::test]
async fn reset_mid_body() {
    let server = Scripted::start(vec![Reply::PartialBody {
        status: 200,
        declared: 100,
        sent: br#"{"message":"TO"#.to_vec(),
    }])
    .await;
    let err = api(&server.base_url).verify().await.expect_err("reset");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(server.count(), 3, "verify only reads: retried");

    let server = Scripted::start(vec![Reply::PartialBody {
        status: 200,
        declared: 100,
        sent: b"{".to_vec(),
    }])
    .await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("reset");
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(
        server.count(),
        1,
        "a mint is not retried: the server may have minted"
    );
}

#[tokio::test]
async fn a_trickling_body_hits_the_attempt_timeout() {
    let body = br#"{"message":"TOKEN_VALID"}"#.to_vec();
    let server = Scripted::start(vec![Reply::Trickle {
        status: 200,
        body,
        every: Duration::from_millis(100),
    }])
    .await;
    let err = api(&server.base_url)
        .verify()
        .attempt_timeout(Duration::from_millis(500))
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("slow");
    let Error::Timeout(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt(Duration::from_millis(500)));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_50_mb_chunked_body_is_refused_with_bounded_memory() {
    let server = Scripted::start(vec![Reply::Chunked {
        status: 200,
        chunk: vec![b' '; 64 * 1024],
        count: 800,
    }])
    .await;
    let err = api(&server.base_url).verify().await.expect_err("too large");
    assert!(
        err.is_body_too_large() && err.to_string().contains("larger than"),
        "{err}"
    );
    assert_eq!(server.count(), 1, "not retried");
}

#[tokio::test]
async fn a_50_mb_declared_body_is_refused_without_reading_it() {
    let server = Scripted::start(vec![Reply::Huge {
        status: 200,
        len: 50 * 1024 * 1024,
    }])
    .await;
    let err = api(&server.base_url)
        .customer_token("048372910564")
        .await
        .expect_err("too large");
    assert!(
        err.is_body_too_large() && err.to_string().contains("larger than"),
        "{err}"
    );
}

#[tokio::test]
async fn a_server_cannot_forge_the_body_cap() {
    // The header the cap once used as its marker, on a normal small answer.
    let server = Scripted::start(vec![Reply::json(200, r#"{"message":"TOKEN_VALID"}"#)
        .with_header("x-unleashx-body-too-large", "1")])
    .await;
    let status = api(&server.base_url)
        .verify()
        .await
        .expect("a small valid answer, whatever headers it carries");
    assert!(status.is_valid());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_body_cap_is_a_distinct_error_keeping_the_status() {
    for (status, retried) in [(200, false), (500, false)] {
        let server = Scripted::start(vec![Reply::Chunked {
            status,
            chunk: vec![b' '; 64 * 1024],
            count: 20,
        }])
        .await;
        let err = api(&server.base_url).verify().await.expect_err("too large");
        let Error::UnexpectedResponse(e) = &err else {
            panic!("{err:?}")
        };
        assert!(e.is_body_too_large(), "{err}");
        assert_eq!(e.status(), Some(status), "{err}");
        assert!(err.is_body_too_large());
        let source = std::error::Error::source(&err).expect("the cap is the source");
        assert!(
            source.is::<unleashx_api::hooks::BodyTooLarge>(),
            "{source:?}"
        );
        assert_eq!(server.count() > 1, retried, "{err}");
    }
    // A transient status decides, whatever the body's size: retried (a read).
    let server = Scripted::start(vec![Reply::Chunked {
        status: 503,
        chunk: vec![b' '; 64 * 1024],
        count: 20,
    }])
    .await;
    let err = api(&server.base_url).verify().await.expect_err("503");
    assert!(err.is_transient() && !err.is_body_too_large(), "{err:?}");
    assert_eq!(server.count(), 3, "{err}");
    // Small answers are not the cap.
    let server = Scripted::start(vec![Reply::json(500, "<html>oops</html>")]).await;
    let err = api(&server.base_url)
        .verify()
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("500");
    assert!(
        err.is_unexpected_response() && !err.is_body_too_large(),
        "{err}"
    );
}

#[tokio::test]
async fn a_large_error_body_is_read_only_in_part() {
    let server = Scripted::start(vec![Reply::Huge {
        status: 500,
        len: 50 * 1024 * 1024,
    }])
    .await;
    let err = api(&server.base_url)
        .verify()
        .retry(RetryPolicy::disabled())
        .await
        .expect_err("500");
    assert!(err.is_unexpected_response(), "{err:?}");
}

#[tokio::test]
async fn invalid_utf8_is_an_unexpected_response() {
    let server =
        Scripted::start(vec![Reply::raw(200, "application/json", "")
            .with_body(vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'])])
        .await;
    let err = api(&server.base_url).verify().await.expect_err("bad utf-8");
    assert!(err.is_unexpected_response(), "{err:?}");
    let server = Scripted::start(vec![
        Reply::raw(400, "application/json", "").with_body(vec![0xff; 300])
    ])
    .await;
    let err = api(&server.base_url).verify().await.expect_err("bad utf-8");
    // 400 is a documented status, so the generated client decodes it and
    // reports only that decoding failed (progenitor keeps no status there).
    assert!(err.is_unexpected_response(), "{err:?}");
}

#[tokio::test]
async fn wrong_json_types_are_an_unexpected_response() {
    let server = Scripted::start(vec![Reply::json(
        200,
        r#"{"message":"ok","data":{"token":7,"email":[],"workspace_name":null}}"#,
    )])
    .await;
    let err = Client::new(&server.base_url)
        .and_then(|c| c.with_login_token("chaos"))
        .expect("session")
        .latest_api_token()
        .await
        .expect_err("wrong types");
    assert!(
        err.is_unexpected_response() && err.to_string().contains("does not match the spec"),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_200_is_an_unexpected_response() {
    let server = Scripted::start(vec![Reply::raw(200, "application/json", "")]).await;
    let err = api(&server.base_url).verify().await.expect_err("empty");
    assert!(err.to_string().contains("empty"), "{err}");
}
