//! `unleashx api`: the listing, the body from fields or a file, and the exit
//! codes and JSON errors of the other commands; no secret on stderr.

mod support;

use std::net::TcpListener;

use support::{assert_error, bin, json_error, json_stdout, run, stderr, stdout, Sim};
use unleashx_mock::{Operation, DEMO_CUSTOMER_SALT};

#[test]
fn list_shows_every_operation_with_method_path_and_credential() {
    let out = run(bin().args(["api", "--list"]), 0);
    let list = json_stdout(&out);
    let ops = list["operations"].as_array().expect("an array");
    assert_eq!(ops.len(), Operation::ALL.len());
    for (entry, op) in ops.iter().zip(Operation::ALL) {
        assert_eq!(entry["operation"], op.as_str());
        assert_eq!(entry["method"], op.method().as_str());
        assert_eq!(entry["path"], op.path());
        assert_eq!(entry["credential"].as_str(), op.security().scheme());
    }
    let out = run(bin().args(["api", "--list", "--output", "text"]), 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), Operation::ALL.len());
    for (line, op) in text.lines().zip(Operation::ALL) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols[..3], [op.as_str(), op.method().as_str(), op.path()]);
    }
}

#[test]
fn fields_are_typed_as_gh_types_them_and_raw_fields_stay_strings() {
    let sim = Sim::start();
    let api = sim.api_token();
    let mint = |extra: &[&str]| {
        let mut args = vec!["api", "get_token_by_customer_id"];
        args.extend_from_slice(extra);
        let mut cmd = sim.cmd(&args);
        cmd.env(unleashx::env::API_TOKEN, &api);
        cmd
    };
    let out = run(
        mint(&[
            "-f",
            &format!("customer_id={DEMO_CUSTOMER_SALT}"),
            "-F",
            "expiration_days=30",
            "-f",
            "name=7",
        ]),
        0,
    );
    let minted = json_stdout(&out);
    assert_eq!(minted["customerid"], DEMO_CUSTOMER_SALT);
    assert_eq!(minted["name"], "7");
    assert!(minted["expires"].is_i64());

    // A typed number where the spec wants a string: refused, naming the field.
    let out = run(mint(&["-F", "customer_id=123456789012"]), 2);
    assert_error(&out, "invalid_input", None, None);
    assert!(json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .contains("`customer_id`"));
    let out = run(
        mint(&[
            "-f",
            &format!("customer_id={DEMO_CUSTOMER_SALT}"),
            "-F",
            "expiration_days=0",
        ]),
        2,
    );
    assert!(
        stderr(&out).contains("`expiration_days`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sim.server.requests(Operation::GetTokenByCustomerId),
        1,
        "refused bodies are not sent"
    );

    let out = run(mint(&["-F", "customer_id"]), 2);
    assert_error(&out, "usage", None, None);
    let out = run(mint(&["-F", "name=a", "-f", "name=b"]), 2);
    assert_error(&out, "usage", None, None);
}

#[test]
fn input_reads_a_file_or_stdin() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"{"username":"someone@example.com"}"#).expect("write");
    let file = file.to_str().expect("utf-8 path");
    let out = run(sim.cmd(&["api", "login", "--input", file]), 0);
    assert!(json_stdout(&out)["message"].is_string());
    let out = run(
        sim.cmd(&["api", "login", "--input", "-"])
            .write_stdin(r#"{"username":"someone@example.com"}"#),
        0,
    );
    assert!(json_stdout(&out)["message"].is_string());
    assert_eq!(sim.server.requests(Operation::Login), 2);

    for (args, stdin) in [
        (vec!["api", "login", "--input", "-"], "not json"),
        (vec!["api", "login", "--input", "/no/such/file.json"], ""),
        (vec!["api", "login", "--input", file, "-F", "a=1"], ""),
        (vec!["api", "no_such_operation"], ""),
        (vec!["api", "login", "--input", "-", "--token-stdin"], "{}"),
        (
            vec!["api", "login", "--token-stdin", "-F", "username=a@b.c"],
            "x",
        ),
    ] {
        let out = run(sim.cmd(&args).write_stdin(stdin), 2);
        assert_error(&out, "usage", None, None);
    }
    assert_eq!(
        sim.server.requests(Operation::Login),
        2,
        "nothing more was sent"
    );
}

#[test]
fn errors_keep_the_exit_codes_of_the_other_commands() {
    let sim = Sim::start();
    let out = run(
        sim.cmd(&["api", "verify_token"]).env(
            unleashx::env::API_TOKEN,
            "0000000000000000000000000000000000000000000000000000000000000000",
        ),
        3,
    );
    assert_error(&out, "api", Some(401), Some("INVALID_API_TOKEN"));
    let out = run(sim.cmd(&["api", "get_token"]), 2);
    assert_error(&out, "usage", None, None);

    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let out = run(
        bin().args([
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "api",
            "login",
            "-F",
            "username=a@b.c",
        ]),
        4,
    );
    assert_error(&out, "transport", None, None);
}

#[test]
fn no_secret_on_stderr_with_vvv() {
    let sim = Sim::start();
    let login = sim.login_token();
    let api = sim.api_token();
    let mut secrets = vec![login.clone(), api.clone()];
    let mut stderrs = Vec::new();
    for op in Operation::ALL {
        let mut cmd = sim.covering(op, &login, &api);
        let out = run(cmd.arg("-vvv"), 0);
        stderrs.push(stderr(&out));
        let answer = json_stdout(&out);
        for key in ["token", "customer_api_key"] {
            if let Some(secret) = answer.get(key).and_then(|v| v.as_str()) {
                secrets.push(secret.to_owned());
            }
        }
    }
    assert!(secrets.len() > 2, "the mints printed their tokens");
    for err in &stderrs {
        assert!(err.contains("unleashx.call"), "traced: {err}");
        for secret in &secrets {
            assert!(!err.contains(secret.as_str()), "a secret on stderr");
        }
    }
}
