//! Fixture files (parsing, validation, use) and the `unleashx-mock` binary.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{get, post};
use serde_json::{json, Value};
use unleashx_mock::{Fixtures, MockServer, Operation};

const BIN: &str = env!("CARGO_BIN_EXE_unleashx-mock");

/// A fresh file path under the system temp dir.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("unleashx-mock-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

const SEEDED: &str = "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9";

fn sample() -> String {
    json!({
        "accounts": [
            {"email": "ops@example.com", "otp": "654321", "workspace_name": "Ops",
             "customer_salt": "000000000001",
             "api_tokens": [{"token": SEEDED, "name": "seeded"}]},
            {"email": "blocked@example.com", "workspace_name": "B",
             "customer_salt": "000000000002", "blocked": true},
            {"email": "idle@example.com", "workspace_name": "I",
             "customer_salt": "000000000003", "active_workspace": false}
        ],
        "restricted_domains": ["spam.example"]
    })
    .to_string()
}

#[test]
fn fixtures_parse_with_defaults() {
    let f = Fixtures::from_json_str(&sample()).unwrap();
    assert_eq!(f.accounts.len(), 3);
    assert!(!f.accounts[0].blocked);
    assert!(f.accounts[0].active_workspace);
    assert!(f.accounts[1].blocked);
    assert!(!f.accounts[2].active_workspace);
    assert_eq!(f.session_lifetime_secs, 86_400);
    let empty = Fixtures::from_json_str("{}").unwrap();
    assert_eq!(empty.restricted_domains, ["mailinator.com", "tempmail.com"]);
}

#[test]
fn fixture_errors_are_clear() {
    let cases: &[(&str, &str)] = &[
        ("{\n  \"accounts\": [\n    {\"email\": }\n  ]\n}", "line 3"),
        ("{\"acounts\": []}", "unknown field `acounts`"),
        (
            r#"{"accounts":[{"email":"a@x.io","workspace_name":"W"}]}"#,
            "missing field `customer_salt`",
        ),
        (
            r#"{"accounts":[{"email":"a@x.io","workspace_name":"W","customer_salt":"123"}]}"#,
            "exactly 12 digits",
        ),
        (
            r#"{"accounts":[{"email":"a@x.io","workspace_name":"W","customer_salt":"04837291056x"}]}"#,
            "exactly 12 digits",
        ),
        (
            r#"{"accounts":[{"email":"a@x.io","workspace_name":"W","customer_salt":48372910564}]}"#,
            "invalid type",
        ),
        (
            r#"{"accounts":[{"email":"a@x.io","workspace_name":"W","customer_salt":"000000000001"},
                            {"email":"A@X.io","workspace_name":"W","customer_salt":"000000000002"}]}"#,
            "duplicate `email`",
        ),
        (
            r#"{"accounts":[{"email":"a@x.io","workspace_name":"W","customer_salt":"000000000001"},
                            {"email":"b@x.io","workspace_name":"W","customer_salt":"000000000001"}]}"#,
            "duplicate `customer_salt`",
        ),
        (
            r#"{"accounts":[{"email":"nope","workspace_name":"W","customer_salt":"000000000001"}]}"#,
            "not an email",
        ),
        (r#"{"next_customer_salts":["1"]}"#, "next_customer_salts[0]"),
    ];
    for (text, expected) in cases {
        let err = Fixtures::from_json_str(text).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains(expected),
            "{shown:?} should mention {expected:?}"
        );
        assert!(!shown.contains('\n'), "one line: {shown:?}");
    }
    let err = Fixtures::from_json_str("{\n\n  ]").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(err.column.is_some());
}

#[test]
fn load_names_the_file() {
    let path = temp_file("broken.json", "{ \"accounts\": [ }");
    let err = Fixtures::load(&path).unwrap_err();
    assert_eq!(err.path.as_deref(), Some(path.as_path()));
    assert!(err.to_string().contains(&path.display().to_string()));
    assert!(err.to_string().contains("line 1"));

    let missing = path.with_file_name("does-not-exist.json");
    let err = Fixtures::load(&missing).unwrap_err();
    assert!(err.to_string().contains("does-not-exist.json"));
    assert!(err.to_string().contains("cannot read"));
}

#[tokio::test]
async fn invalid_fixtures_fail_start_without_panicking() {
    let mut fixtures = Fixtures::default();
    fixtures.accounts[0].customer_salt = "bad".into();
    let err = MockServer::builder()
        .fixtures(fixtures)
        .start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("customer_salt"));
}

#[tokio::test]
async fn loaded_fixtures_drive_the_server() {
    let path = temp_file("sample.json", &sample());
    let server = MockServer::builder()
        .fixtures(Fixtures::load(&path).unwrap())
        .start()
        .await
        .unwrap();
    // The pre-seeded token verifies and is the latest.
    post(&server, Operation::VerifyToken, Some(SEEDED), json!({}))
        .await
        .assert_ok();
    let login = common::login(&server, "ops@example.com").await;
    assert_eq!(server.last_otp("ops@example.com"), None, "used");
    let latest = get(&server, Operation::GetToken, Some(&login)).await;
    assert_eq!(latest.str("/data/token"), SEEDED);
    // Fixed OTP.
    post(
        &server,
        Operation::Login,
        None,
        json!({"username": "ops@example.com"}),
    )
    .await;
    assert_eq!(
        server.last_otp("ops@example.com").as_deref(),
        Some("654321")
    );
    // Blocked and workspace-less customers.
    for (salt, code) in [
        ("000000000002", "CUSTOMER_ID_NOT_FOUND"),
        ("000000000003", "WORKSPACE_NOT_FOUND"),
    ] {
        post(
            &server,
            Operation::GetTokenByCustomerId,
            Some(SEEDED),
            json!({"customer_id": salt}),
        )
        .await
        .assert_error(404, code);
    }
    // Custom restricted domains.
    post(
        &server,
        Operation::OnboardUser,
        Some(SEEDED),
        json!({"email": "x@spam.example", "firstName": "X", "lastName": "Y", "companyName": "Z"}),
    )
    .await
    .assert_error(400, "RESTRICTED_EMAIL_DOMAIN");
    // No demo account in these fixtures.
    assert!(server.issue_login_token("demo@unleashx.test").is_none());
}

/// Reads the first stdout line of `child`, giving up after 60 s (never expected).
fn first_line(child: &mut std::process::Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(line) => line,
        Err(_) => {
            let _ = child.kill();
            panic!("the binary printed no line");
        }
    }
}

async fn binary_serves_and_stops_on(signal: &str) {
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let line = first_line(&mut child);
    let listening: Value = serde_json::from_str(line.trim()).unwrap();
    let addr = listening["addr"].as_str().unwrap().to_owned();
    assert!(addr.starts_with("127.0.0.1:"));
    assert_ne!(addr, "127.0.0.1:0");
    assert_eq!(listening["base_url"], format!("http://{addr}"));
    assert_eq!(
        line.trim(),
        format!("{{\"base_url\":\"http://{addr}\",\"addr\":\"{addr}\"}}")
    );

    let reply = reqwest::Client::new()
        .post(format!("http://{addr}/api/login"))
        .json(&json!({"username": "demo@unleashx.test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 200);

    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty(), "only one line on stdout");
}

#[tokio::test]
async fn binary_serves_and_stops_on_sigint() {
    binary_serves_and_stops_on("-INT").await;
}

#[tokio::test]
async fn binary_serves_and_stops_on_sigterm() {
    binary_serves_and_stops_on("-TERM").await;
}

fn run_bin(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn binary_rejects_bad_arguments_with_exit_code_2() {
    for args in [
        &["--bogus"][..],
        &["--addr"],
        &["--addr", "localhost"],
        &["--addr", "127.0.0.1:99999"],
        &["--fixtures"],
        &["--drift"],
        &["--drift", "sideways"],
    ] {
        let out = run_bin(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("unleashx-mock: "), "{stderr}");
        assert!(!stderr.contains("panicked"));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn binary_rejects_bad_fixtures_with_exit_code_2() {
    let broken = temp_file("cli-broken.json", "{\"accounts\": [}");
    let duplicate = temp_file(
        "cli-dup.json",
        r#"{"accounts":[{"email":"a@x.io","workspace_name":"W","customer_salt":"000000000001"},
                        {"email":"a@x.io","workspace_name":"W","customer_salt":"000000000002"}]}"#,
    );
    let missing = broken.with_file_name("cli-missing.json");
    for (path, problem) in [
        (&broken, "line 1"),
        (&duplicate, "duplicate `email`"),
        (&missing, "cannot read"),
    ] {
        let out = run_bin(&[
            "--addr",
            "127.0.0.1:0",
            "--fixtures",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(problem), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn binary_exits_4_when_the_address_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run_bin(&["--addr", &addr]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        unleashx_mock::cli::Failure::Listen.exit_code(),
        4,
        "the documented code"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&addr), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn binary_prints_help() {
    let out = run_bin(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--fixtures"));
}

#[test]
fn listening_line_shape() {
    let addr: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
    assert_eq!(
        unleashx_mock::listening_line("http://127.0.0.1:8080", addr),
        r#"{"base_url":"http://127.0.0.1:8080","addr":"127.0.0.1:8080"}"#
    );
}
