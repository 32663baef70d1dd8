//! Shows the HTTP requests the generated client sends, as they arrive at a
//! listener this example starts on 127.0.0.1 (no other network is used), with
//! the `token` header's value redacted. Each request is answered with a
//! response built from the generated types, which the client then decodes.
//!
//! ```sh
//! cargo run --example show_requests
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;

use unleashx_api::secret::ApiToken;
use unleashx_api::{auth::Auth, types, Client};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let minted = types::GetTokenByCustomerIdResponse {
        customer_api_key: ApiToken::new("0123456789abcdef".repeat(4)),
        customerid: "048372910564".to_owned(),
        expires: Some(1_743_033_600),
        message: Some("API token generated successfully".to_owned()),
        name: Some("My API Token".to_owned()),
    };
    let latest = types::GetTokenResponse {
        data: types::ApiTokenDetails {
            email: "user@example.com".to_owned(),
            token: ApiToken::new("fedcba9876543210".repeat(4)),
            workspace_name: "My Workspace".to_owned(),
        },
        message: Some("API token details fetched successfully".to_owned()),
    };
    let (base_url, requests) = capture(vec![
        serde_json::to_string(&minted)?,
        serde_json::to_string(&latest)?,
    ])?;

    let client = Client::new(&base_url, Auth::token("example-api-token")?);
    let body = types::GetTokenByCustomerIdRequest {
        customer_id: "048372910564".parse()?,
        name: Some("My API Token".into()),
        expiration_days: std::num::NonZeroU64::new(30),
    };
    let response = client.get_token_by_customer_id().body(body).send().await?;
    println!("{}", requests.recv()?);
    println!("decoded: {:?}\n", response.into_inner());

    let session = client.with_auth(Auth::token("example-login-token")?);
    let response = session.get_token().send().await?;
    println!("{}", requests.recv()?);
    println!("decoded: {:?}\n", response.into_inner());

    println!("A malformed customer id is refused before anything is sent:");
    match "48372910564".parse::<types::CustomerId>() {
        Ok(id) => println!("  accepted: {id:?}"),
        Err(e) => println!("  {e}"),
    }
    Ok(())
}

/// Starts a listener on 127.0.0.1 that answers one connection per reply, in
/// order, with `200` and that JSON body. Each request, as received with its
/// `token` header redacted, is sent on the returned channel.
fn capture(replies: Vec<String>) -> std::io::Result<(String, mpsc::Receiver<String>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for reply in replies {
            let shown = listener
                .accept()
                .and_then(|(stream, _)| exchange(stream, &reply))
                .unwrap_or_else(|e| format!("(the listener failed: {e})"));
            if tx.send(shown).is_err() {
                return;
            }
        }
    });
    Ok((base_url, rx))
}

/// Reads one request, answers it with `reply`, and returns the request.
fn exchange(mut stream: TcpStream, reply: &str) -> std::io::Result<String> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut shown = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        let line = line.trim_end();
        match line.split_once(':') {
            Some((name, _)) if name.eq_ignore_ascii_case("token") => {
                shown.push_str(&format!("{name}: <redacted>\n"));
            }
            Some((name, value)) => {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().map_err(|_| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, "bad content-length")
                    })?;
                }
                shown.push_str(line);
                shown.push('\n');
            }
            None => {
                shown.push_str(line);
                shown.push('\n');
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    if !body.is_empty() {
        shown.push('\n');
        shown.push_str(&String::from_utf8_lossy(&body));
        shown.push('\n');
    }
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
        reply.len()
    )?;
    stream.flush()?;
    Ok(shown)
}
