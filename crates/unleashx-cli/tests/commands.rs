//! Every command's success path and output shape, every exit code, the error
//! object, and no secret on stderr, end to end against the simulator.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::Value;
use support::{assert_error, bin, json_error, json_stdout, run, stderr, stdout, Sim};
use unleashx_mock::{
    AccountFixture, Fixtures, Operation, StatusCode, DEMO_CUSTOMER_SALT, DEMO_EMAIL,
};

fn keys(map: &serde_json::Map<String, Value>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

/// stdout is one JSON object with exactly `expected` keys, in that order.
#[track_caller]
fn assert_keys_in_order(out: &std::process::Output, expected: &[&str]) {
    let map = json_stdout(out);
    let mut got = keys(&map);
    got.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(got, want);
    let text = stdout(out);
    let positions: Vec<usize> = expected
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).expect("key present"))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {text}"
    );
}

fn is_hex64(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

// ---------------------------------------------------------------- success paths

#[test]
fn login_then_tokens_through_the_cli() {
    let sim = Sim::start();

    let out = run(sim.cmd(&["login", "--username", DEMO_EMAIL]), 0);
    let step1 = json_stdout(&out);
    assert_eq!(keys(&step1), ["message"]);
    assert_eq!(step1["message"], "OTP_SENT");
    assert!(stderr(&out).is_empty());

    let out = run(
        sim.cmd(&["login", "--username", DEMO_EMAIL, "--otp", "123456"]),
        0,
    );
    let step2 = json_stdout(&out);
    assert_keys_in_order(&out, &["message", "token"]);
    assert_eq!(step2["message"], "LOGGEDIN");
    let login_token = step2["token"].as_str().expect("token").to_owned();
    assert!(!login_token.is_empty());

    // token generate, with the login token from the environment.
    let out = run(
        sim.cmd(&["token", "generate"])
            .env("UNLEASHX_LOGIN_TOKEN", &login_token),
        0,
    );
    let generated = json_stdout(&out);
    assert_eq!(keys(&generated), ["token"]);
    assert!(is_hex64(&generated["token"]), "{generated:?}");

    // token get, with the login token on stdin.
    let out = run(
        sim.cmd(&["token", "get", "--token-stdin"])
            .write_stdin(format!("{login_token}\n")),
        0,
    );
    let got = json_stdout(&out);
    assert_keys_in_order(&out, &["token", "email", "workspace_name"]);
    assert_eq!(got["token"], generated["token"]);
    assert_eq!(got["email"], DEMO_EMAIL);
    assert_eq!(got["workspace_name"], unleashx_mock::DEMO_WORKSPACE);

    // The generated token verifies.
    let api_token = generated["token"].as_str().expect("token");
    let out = run(
        sim.cmd(&["token", "verify"])
            .env("UNLEASHX_API_TOKEN", api_token),
        0,
    );
    assert_eq!(
        json_stdout(&out),
        serde_json::json!({"valid": true})
            .as_object()
            .cloned()
            .expect("obj")
    );
}

#[test]
fn login_with_otp_on_stdin() {
    let sim = Sim::start();
    run(sim.cmd(&["login", "--username", DEMO_EMAIL]), 0);
    let out = run(
        sim.cmd(&["login", "--username", DEMO_EMAIL, "--otp-stdin"])
            .write_stdin("123456\n"),
        0,
    );
    let step2 = json_stdout(&out);
    assert_eq!(step2["message"], "LOGGEDIN");
    assert!(step2["token"].as_str().is_some_and(|t| !t.is_empty()));
}

#[test]
fn onboard_and_customer_tokens() {
    let sim = Sim::start();
    let api_token = sim.api_token();

    let out = run(
        sim.cmd(&[
            "customer",
            "onboard",
            "--email",
            "jo@example.com",
            "--first-name",
            "Jo",
            "--last-name",
            "Doe",
            "--company",
            "Acme Corp",
        ])
        .env("UNLEASHX_API_TOKEN", &api_token),
        0,
    );
    let created = json_stdout(&out);
    assert_keys_in_order(
        &out,
        &[
            "registration_id",
            "user_id",
            "company_id",
            "workspace_id",
            "customer_salt",
        ],
    );
    for id in ["registration_id", "user_id", "company_id", "workspace_id"] {
        assert!(created[id].is_i64(), "{id}: {created:?}");
    }
    let salt = created["customer_salt"]
        .as_str()
        .expect("string salt")
        .to_owned();
    assert!(salt.len() == 12 && salt.bytes().all(|b| b.is_ascii_digit()));

    // Named, expiring token for the new customer (API token on stdin).
    let out = run(
        sim.cmd(&[
            "customer",
            "token",
            "--customer-id",
            &salt,
            "--name",
            "CI",
            "--expiration-days",
            "30",
            "--token-stdin",
        ])
        .write_stdin(format!("{api_token}\n")),
        0,
    );
    let minted = json_stdout(&out);
    assert_keys_in_order(&out, &["customerid", "customer_api_key", "name", "expires"]);
    assert_eq!(minted["customerid"], salt.as_str());
    assert!(is_hex64(&minted["customer_api_key"]));
    assert_eq!(minted["name"], "CI");
    assert!(minted["expires"].is_i64());

    // The minted token is a working API token.
    let key = minted["customer_api_key"].as_str().expect("key");
    run(
        sim.cmd(&["token", "verify"]).env("UNLEASHX_API_TOKEN", key),
        0,
    );

    // No name, no expiry: both null.
    let out = run(
        sim.cmd(&["customer", "token", "--customer-id", DEMO_CUSTOMER_SALT])
            .env("UNLEASHX_API_TOKEN", &api_token),
        0,
    );
    let plain = json_stdout(&out);
    assert_eq!(plain["customerid"], DEMO_CUSTOMER_SALT);
    assert!(
        plain["name"].is_null() && plain["expires"].is_null(),
        "{plain:?}"
    );
}

#[test]
fn text_output_is_field_lines() {
    let sim = Sim::start();
    let login = sim.login_token();
    let api = sim.api_token();
    let out = run(
        sim.cmd(&["token", "get", "--output", "text"])
            .env("UNLEASHX_LOGIN_TOKEN", &login),
        0,
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            format!("token: {api}").as_str(),
            format!("email: {DEMO_EMAIL}").as_str(),
            "workspace_name: Demo Workspace"
        ]
    );
    let out = run(
        sim.cmd(&["--output=text", "token", "verify"])
            .env("UNLEASHX_API_TOKEN", &api),
        0,
    );
    assert_eq!(stdout(&out), "valid: true\n");
}

#[test]
fn base_url_from_the_environment() {
    let sim = Sim::start();
    let out = run(
        bin()
            .args(["login", "--username", DEMO_EMAIL])
            .env("UNLEASHX_BASE_URL", sim.base_url()),
        0,
    );
    assert_eq!(json_stdout(&out)["message"], "OTP_SENT");
}

// ---------------------------------------------------------------- exit code 2

#[test]
fn bad_flags_are_usage_errors_in_both_formats() {
    let out = run(bin().args(["token", "get", "--bogus"]), 2);
    assert_error(&out, "usage", None, None);
    assert!(stdout(&out).is_empty());
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("--bogus"), "{message}");

    let out = run(bin().args(["--output", "text", "login"]), 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("--username"), "{err}");

    // An unknown command, and a bad --output value.
    assert_error(&run(bin().args(["frobnicate"]), 2), "usage", None, None);
    assert_error(
        &run(bin().args(["--output", "yaml", "demo"]), 2),
        "usage",
        None,
        None,
    );
    // --otp and --otp-stdin together.
    assert_error(
        &run(
            bin().args(["login", "--username", "a@b.c", "--otp", "1", "--otp-stdin"]),
            2,
        ),
        "usage",
        None,
        None,
    );
}

#[test]
fn help_and_version_exit_0() {
    let out = run(bin().arg("--help"), 0);
    assert!(stdout(&out).contains("Exit codes:"));
    let out = run(bin().args(["token", "verify", "--help"]), 0);
    assert!(stdout(&out).contains("Usage: unleashx token verify"));
    let out = run(bin().arg("--version"), 0);
    assert!(stdout(&out).starts_with("unleashx "));
    // No command at all: the help on stderr, exit 2.
    let out = run(&mut bin(), 2);
    assert!(stderr(&out).contains("Usage: unleashx"));
}

#[test]
fn missing_tokens_are_usage_errors_and_send_nothing() {
    let sim = Sim::start();
    for (args, var) in [
        (&["token", "generate"][..], "UNLEASHX_LOGIN_TOKEN"),
        (&["token", "get"][..], "UNLEASHX_LOGIN_TOKEN"),
        (&["token", "verify"][..], "UNLEASHX_API_TOKEN"),
        (
            &["customer", "token", "--customer-id", DEMO_CUSTOMER_SALT][..],
            "UNLEASHX_API_TOKEN",
        ),
        (
            &[
                "customer",
                "onboard",
                "--email",
                "a@b.c",
                "--first-name",
                "A",
                "--last-name",
                "B",
                "--company",
                "C",
            ][..],
            "UNLEASHX_API_TOKEN",
        ),
    ] {
        let out = run(&mut sim.cmd(args), 2);
        let error = json_error(&out);
        assert_eq!(error["kind"], "usage", "{args:?}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(var) && message.contains("--token-stdin"),
            "{message}"
        );
    }
    // --token-stdin with nothing on stdin.
    let out = run(
        sim.cmd(&["token", "verify", "--token-stdin"])
            .write_stdin("\n"),
        2,
    );
    assert_error(&out, "usage", None, None);
    for op in Operation::ALL {
        assert_eq!(sim.server.requests(op), 0, "{op} was called");
    }
}

#[test]
fn input_refused_before_sending() {
    let sim = Sim::start();
    let api = sim.api_token();
    let out = run(
        sim.cmd(&["customer", "token", "--customer-id", "123"])
            .env("UNLEASHX_API_TOKEN", &api),
        2,
    );
    assert_error(&out, "invalid_input", None, None);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("12 digits"), "{message}");

    // 0 passes clap but not the client; a negative number fails clap itself.
    for (days, kind) in [("0", "invalid_input"), ("-3", "usage")] {
        let out = run(
            sim.cmd(&[
                "customer",
                "token",
                "--customer-id",
                DEMO_CUSTOMER_SALT,
                "--expiration-days",
                days,
            ])
            .env("UNLEASHX_API_TOKEN", &api),
            2,
        );
        assert_error(&out, kind, None, None);
    }
    assert_eq!(sim.server.requests(Operation::GetTokenByCustomerId), 0);

    for bad in ["0", "abc", "-1"] {
        let out = run(
            sim.cmd(&["--timeout", bad, "token", "verify"])
                .env("UNLEASHX_API_TOKEN", &api),
            2,
        );
        assert_error(&out, "usage", None, None);
    }
    assert_eq!(sim.server.requests(Operation::VerifyToken), 0);

    // A base URL the client refuses: config.
    let out = run(
        bin().args([
            "--base-url",
            "ftp://example.com",
            "login",
            "--username",
            DEMO_EMAIL,
        ]),
        2,
    );
    assert_error(&out, "config", None, None);
}

// ---------------------------------------------------------------- exit code 3

#[test]
fn api_errors_exit_3() {
    let sim = Sim::start();
    run(sim.cmd(&["login", "--username", DEMO_EMAIL]), 0);
    let out = run(
        sim.cmd(&["login", "--username", DEMO_EMAIL, "--otp", "000000"]),
        3,
    );
    assert_error(&out, "api", Some(401), Some("INVALID_OTP"));
    assert!(stdout(&out).is_empty());

    let api = sim.api_token();
    let out = run(
        sim.cmd(&["customer", "token", "--customer-id", "999999999999"])
            .env("UNLEASHX_API_TOKEN", &api),
        3,
    );
    assert_error(&out, "api", Some(404), Some("CUSTOMER_ID_NOT_FOUND"));

    let out = run(
        sim.cmd(&["token", "verify"])
            .env("UNLEASHX_API_TOKEN", "f".repeat(64)),
        3,
    );
    assert_error(&out, "api", Some(401), Some("INVALID_API_TOKEN"));
    assert!(stdout(&out).is_empty());

    let out = run(
        sim.cmd(&["token", "get"])
            .env("UNLEASHX_LOGIN_TOKEN", "not-a-session"),
        3,
    );
    assert_error(&out, "api", Some(401), Some("INVALID_LOGIN_TOKEN"));

    // An injected 502 in the API's error shape is transient, not an error code.
    sim.server.faults().fail_next(
        Operation::GetTokenByCustomerId,
        1,
        StatusCode::BAD_GATEWAY,
        None,
    );
    let out = run(
        sim.cmd(&["customer", "token", "--customer-id", DEMO_CUSTOMER_SALT])
            .env("UNLEASHX_API_TOKEN", &api),
        4,
    );
    assert_error(&out, "transient", Some(502), None);
}

#[test]
fn api_error_as_one_text_line() {
    let sim = Sim::start();
    run(sim.cmd(&["login", "--username", DEMO_EMAIL]), 0);
    let out = run(
        sim.cmd(&[
            "--output",
            "text",
            "login",
            "--username",
            DEMO_EMAIL,
            "--otp",
            "000000",
        ]),
        3,
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("INVALID_OTP"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

// ---------------------------------------------------------------- exit code 4

#[test]
fn transport_failure_exits_4() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let out = run(
        bin().args([
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "login",
            "--username",
            DEMO_EMAIL,
        ]),
        4,
    );
    assert_error(&out, "transport", None, None);

    let out = run(
        bin().args([
            "--output",
            "text",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "login",
            "--username",
            DEMO_EMAIL,
        ]),
        4,
    );
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ") && err.lines().count() == 1,
        "{err}"
    );
}

/// A server that answers every request with an HTML 502, as a proxy would.
fn html_502_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn an_html_502_is_transient_and_exits_4() {
    let base = html_502_server();
    let out = run(
        bin()
            .args([
                "--base-url",
                &base,
                "customer",
                "token",
                "--customer-id",
                DEMO_CUSTOMER_SALT,
            ])
            .env("UNLEASHX_API_TOKEN", "a".repeat(64)),
        4,
    );
    assert_error(&out, "transient", Some(502), None);
}

#[test]
fn timeout_exits_4() {
    let sim = Sim::start();
    sim.server
        .faults()
        .latency(Operation::VerifyToken, Duration::from_secs(10));
    let out = run(
        sim.cmd(&["--timeout", "0.3", "token", "verify"])
            .env("UNLEASHX_API_TOKEN", sim.api_token()),
        4,
    );
    assert_error(&out, "timeout", None, None);
}

// ---------------------------------------------------------------- secrets

#[test]
fn no_secret_on_stderr_with_vvv() {
    const OTP: &str = "otp-Zq81xKw";
    let sim = Sim::start_with(Fixtures::empty().with_account(
        AccountFixture::new(DEMO_EMAIL, "Demo Workspace", DEMO_CUSTOMER_SALT).with_otp(OTP),
    ));
    let mut stderrs = Vec::new();
    let mut secrets = vec![OTP.to_owned()];

    let out = run(sim.cmd(&["-vvv", "login", "--username", DEMO_EMAIL]), 0);
    stderrs.push(stderr(&out));
    let out = run(
        sim.cmd(&["-vvv", "login", "--username", DEMO_EMAIL, "--otp-stdin"])
            .write_stdin(format!("{OTP}\n")),
        0,
    );
    stderrs.push(stderr(&out));
    let login = json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    secrets.push(login.clone());

    let out = run(
        sim.cmd(&["-vvv", "token", "generate"])
            .env("UNLEASHX_LOGIN_TOKEN", &login),
        0,
    );
    stderrs.push(stderr(&out));
    let api = json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    secrets.push(api.clone());

    let out = run(
        sim.cmd(&["-vvv", "token", "get", "--token-stdin"])
            .write_stdin(login.clone()),
        0,
    );
    stderrs.push(stderr(&out));
    let out = run(
        sim.cmd(&["-vvv", "token", "verify"])
            .env("UNLEASHX_API_TOKEN", &api),
        0,
    );
    stderrs.push(stderr(&out));
    let out = run(
        sim.cmd(&[
            "-vvv",
            "customer",
            "token",
            "--customer-id",
            DEMO_CUSTOMER_SALT,
            "--name",
            "n",
        ])
        .env("UNLEASHX_API_TOKEN", &api),
        0,
    );
    stderrs.push(stderr(&out));
    let key = json_stdout(&out)["customer_api_key"]
        .as_str()
        .expect("key")
        .to_owned();
    secrets.push(key.clone());

    // Error paths: a wrong OTP, dead tokens, a 502 with the token sent.
    run(sim.cmd(&["login", "--username", DEMO_EMAIL]), 0);
    let wrong_otp = "otp-Wr0ngPq";
    secrets.push(wrong_otp.to_owned());
    let out = run(
        sim.cmd(&[
            "-vvv",
            "login",
            "--username",
            DEMO_EMAIL,
            "--otp",
            wrong_otp,
        ]),
        3,
    );
    stderrs.push(stderr(&out));
    let dead = "d".repeat(64);
    secrets.push(dead.clone());
    let out = run(
        sim.cmd(&["-vvv", "token", "verify"])
            .env("UNLEASHX_API_TOKEN", &dead),
        3,
    );
    stderrs.push(stderr(&out));
    let dead_login = "dead.login.token-Qx7";
    secrets.push(dead_login.to_owned());
    let out = run(
        sim.cmd(&[
            "-vvv",
            "--output",
            "text",
            "token",
            "generate",
            "--token-stdin",
        ])
        .write_stdin(dead_login),
        3,
    );
    stderrs.push(stderr(&out));
    let base = html_502_server();
    let out = run(
        bin()
            .args([
                "-vvv",
                "--base-url",
                &base,
                "customer",
                "token",
                "--customer-id",
                DEMO_CUSTOMER_SALT,
            ])
            .env("UNLEASHX_API_TOKEN", &key),
        4,
    );
    stderrs.push(stderr(&out));

    for (i, err) in stderrs.iter().enumerate() {
        assert!(!err.is_empty(), "call {i}: -vvv traced nothing");
        for secret in &secrets {
            assert!(
                !err.contains(secret.as_str()),
                "call {i} leaked a secret on stderr:\n{err}"
            );
        }
    }
}
