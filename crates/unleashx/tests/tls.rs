//! HTTPS with the default TLS backend (rustls, aws-lc-rs) against a loopback
//! server with a self-signed certificate: trusted through a reqwest client
//! given to `ClientBuilder::reqwest_client`, refused without it.
#![cfg(feature = "rustls")]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

struct Server {
    origin: String,
    cert_der: Vec<u8>,
    /// The request heads that arrived, decrypted.
    heads: Arc<Mutex<Vec<String>>>,
}

/// A TLS server on 127.0.0.1:0 for `localhost`, answering every request with
/// a 200 and the spec's verify example body; `connections` bounds its life.
async fn start(connections: usize) -> Server {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let cert_der = key.cert.der().to_vec();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![key.cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into()),
    )
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        for _ in 0..connections {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            // A refused handshake (the untrusting client) ends this connection only.
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut head = Vec::new();
            let mut buf = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                match tls.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            seen.lock()
                .expect("lock")
                .push(String::from_utf8_lossy(&head).into_owned());
            let body = br#"{"message":"TOKEN_VALID"}"#;
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = tls.write_all(reply.as_bytes()).await;
            let _ = tls.write_all(body).await;
            let _ = tls.shutdown().await;
        }
    });
    Server {
        origin: format!("https://localhost:{port}"),
        cert_der,
        heads,
    }
}

fn http_client(trusting: Option<&[u8]>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .tls_backend_rustls()
        .redirect(reqwest::redirect::Policy::none());
    if let Some(der) = trusting {
        builder =
            builder.tls_certs_only([reqwest::Certificate::from_der(der).expect("certificate")]);
    }
    builder.build().expect("reqwest client")
}

#[tokio::test]
async fn verify_over_https_with_a_trusted_self_signed_certificate() {
    let server = start(4).await;
    let client = unleashx::Client::builder()
        .base_url(&server.origin)
        .reqwest_client(http_client(Some(&server.cert_der)))
        .build()
        .expect("client");
    let api = client.with_api_token("a".repeat(64)).expect("api client");
    let status = api.verify().await.expect("verify over https");
    assert!(status.is_valid(), "{status:?}");

    let heads = server.heads.lock().expect("lock").clone();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].starts_with("POST /api/v1/global/verify HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let server = start(4).await;
    let client = unleashx::Client::builder()
        .base_url(&server.origin)
        .reqwest_client(http_client(None))
        .retry(unleashx::RetryPolicy::disabled())
        .build()
        .expect("client");
    let api = client.with_api_token("a".repeat(64)).expect("api client");
    let err = api
        .verify()
        .await
        .expect_err("a self-signed certificate is not trusted");
    assert!(matches!(err, unleashx::Error::Transport(_)), "{err:?}");
    assert!(server.heads.lock().expect("lock").is_empty());
}
