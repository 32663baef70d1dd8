//! No token, OTP or customer_api_key in Debug output, Display output or the
//! tracing output of every crate (reqwest and hyper included) at TRACE.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use unleashx::{ApiToken, Client, LoginToken, NewCustomer, Otp, RetryPolicy};
use unleashx_mock::{MockServer, DEMO_EMAIL, DEMO_OTP};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

#[test]
fn secret_types_redact_themselves() {
    for shown in [
        format!(
            "{:?} {}",
            ApiToken::new("SECRET-A"),
            ApiToken::new("SECRET-A")
        ),
        format!(
            "{:?} {}",
            LoginToken::new("SECRET-A"),
            LoginToken::new("SECRET-A")
        ),
        format!("{:?} {}", Otp::new("SECRET-A"), Otp::new("SECRET-A")),
        format!(
            "{:?}",
            Client::new("http://127.0.0.1:1")
                .and_then(|c| c.with_api_token("SECRET-A"))
                .expect("client")
        ),
        format!(
            "{:?}",
            Client::new("http://127.0.0.1:1")
                .and_then(|c| c.with_login_token("SECRET-A"))
                .expect("client")
        ),
        format!(
            "{:?}",
            unleashx_api::types::GenerateTokenResponse {
                message: None,
                token: "SECRET-A".into()
            }
        ),
        format!(
            "{:?}",
            unleashx_api::auth::Auth::token("SECRET-A").expect("auth")
        ),
    ] {
        assert!(!shown.contains("SECRET-A"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}

#[test]
fn a_whole_workflow_at_trace_level_leaks_nothing() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // reqwest logs through the `log` crate; route it into the subscriber.
    let _ = tracing_log::LogTracer::init();
    let _guard = tracing::subscriber::set_default(subscriber);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (secrets, debug_dump) = runtime.block_on(async {
        let server = MockServer::start().await.expect("simulator");
        let client = Client::builder()
            .base_url(server.base_url())
            .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
            .build()
            .expect("client");
        let mut secrets = vec![DEMO_OTP.to_owned()];
        let mut dump = Vec::new();
        dump.push(format!("{:?}", client.request_otp(DEMO_EMAIL).await));
        let session = client.login(DEMO_EMAIL, DEMO_OTP).await.expect("login");
        secrets.push(session.login_token().expose_secret().to_owned());
        dump.push(format!("{session:?}"));
        let token = session.generate_api_token().await.expect("generate");
        secrets.push(token.expose_secret().to_owned());
        dump.push(format!("{token:?} {token}"));
        let latest = session.latest_api_token().send_with_meta().await;
        dump.push(format!("{latest:?}"));
        let api = client.with_api_token(token).expect("api");
        dump.push(format!("{:?}", api.verify().send_with_meta().await));
        let customer = api
            .onboard(NewCustomer::new("s@example.com", "S", "T", "Secretive"))
            .await
            .expect("onboard");
        let minted = api
            .customer_token(customer.customer_id.as_str())
            .expires_in_days(3)
            .send_with_meta()
            .await
            .expect("mint");
        secrets.push(minted.value().token.expose_secret().to_owned());
        dump.push(format!("{minted:?}"));
        // Error paths too.
        dump.push(format!("{:?}", client.login(DEMO_EMAIL, "999999").await));
        dump.push(format!(
            "{:?}",
            client
                .with_api_token("dead-token-0123456789")
                .expect("api")
                .customer_token("048372910564")
                .await
        ));
        secrets.push("dead-token-0123456789".to_owned());
        (secrets, dump.join("\n"))
    });
    let logs = capture.text();
    assert!(
        logs.contains("unleashx.call"),
        "the capture saw no spans:\n{logs}"
    );
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "a secret reached the logs");
        assert!(
            !debug_dump.contains(secret.as_str()),
            "a secret reached Debug output:\n{debug_dump}"
        );
    }
}
