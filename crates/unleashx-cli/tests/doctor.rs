//! `unleashx doctor` over the binary, against the simulator (plain and with
//! each named drift), a server that answers HTML, and a closed port.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;

use serde_json::Value;
use support::{run, stderr, stdout, Sim};
use unleashx_mock::Drift;

fn checks(out: &std::process::Output) -> Vec<Value> {
    let v: Value = serde_json::from_str(stdout(out).trim()).expect("one JSON object");
    v["checks"].as_array().expect("checks").clone()
}

fn check<'a>(checks: &'a [Value], op: &str, probe: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["operation"] == op && c["probe"] == probe)
        .unwrap_or_else(|| panic!("no check {op} / {probe}: {checks:?}"))
}

fn verdicts(checks: &[Value]) -> Vec<(String, String, String)> {
    checks
        .iter()
        .map(|c| {
            (
                c["operation"].as_str().unwrap().to_owned(),
                c["probe"].as_str().unwrap().to_owned(),
                c["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// doctor against `sim`, with both tokens of the demo account, at -vvv.
fn doctor_with_tokens(sim: &Sim, code: i32) -> (std::process::Output, String, String) {
    let (login, api) = (sim.login_token(), sim.api_token());
    let mut cmd = sim.cmd(&["doctor", "-vvv"]);
    cmd.env("UNLEASHX_LOGIN_TOKEN", &login)
        .env("UNLEASHX_API_TOKEN", &api);
    let out = run(cmd, code);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains(&login), "the login token leaked");
    assert!(!all.contains(&api), "the API token leaked");
    (out, login, api)
}

#[test]
fn the_plain_simulator_contradicts_nothing() {
    let sim = Sim::start();
    let out = run(sim.cmd(&["doctor"]), 0);
    let all = checks(&out);
    assert_eq!(all.len(), 7, "{all:?}");
    for (op, probe, verdict) in verdicts(&all) {
        let untested =
            probe == "login token" || probe == "api token" || probe == "unknown customer";
        let want = if untested { "untested" } else { "confirmed" };
        assert_eq!(verdict, want, "{op} / {probe}: {all:?}");
    }
    let (out, _, _) = doctor_with_tokens(&sim, 0);
    let all = checks(&out);
    for (op, probe, verdict) in verdicts(&all) {
        assert_eq!(verdict, "confirmed", "{op} / {probe}: {all:?}");
    }
    let mint = check(&all, "get_token_by_customer_id", "unknown customer");
    assert_eq!(mint["observed"]["code"], "CUSTOMER_ID_NOT_FOUND");
    assert!(mint["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a.as_str().unwrap().contains("CUSTOMER_ID_NOT_FOUND")));
    let get = check(&all, "get_token", "login token");
    assert!(get["observed"]["fields"]
        .as_array()
        .unwrap()
        .contains(&Value::from("data.token")));
}

#[test]
fn status_shift_is_contradicted_with_a_suggested_change() {
    let sim = Sim::drifting(Drift::StatusShift);
    let out = run(sim.cmd(&["doctor"]), 3);
    let all = checks(&out);
    let c = check(&all, "get_token", "no token");
    assert_eq!(c["verdict"], "contradicted");
    assert_eq!(c["observed"]["status"], 401);
    assert_eq!(
        c["suggestions"][0],
        "the 400 for LOGIN_TOKEN_REQUIRED was observed as 401: change `responses` of get_token"
    );
    let text = stdout(&run(sim.cmd(&["doctor", "--output", "text"]), 3));
    assert!(text.contains("contradicted  get_token"), "{text}");
    assert!(
        text.contains("suggest: the 400 for LOGIN_TOKEN_REQUIRED was observed as 401"),
        "{text}"
    );
}

#[test]
fn an_extra_field_is_additive() {
    let sim = Sim::drifting(Drift::ExtraField);
    let (out, _, _) = doctor_with_tokens(&sim, 0);
    let all = checks(&out);
    let c = check(&all, "verify_token", "api token");
    assert_eq!(c["verdict"], "additive", "{c}");
    assert!(
        c["findings"]
            .to_string()
            .contains("undocumented field `extra_field`"),
        "{c}"
    );
    let c = check(&all, "get_token", "login token");
    assert_eq!(c["verdict"], "additive", "{c}");
    assert!(
        c["findings"].to_string().contains("`data.extra_field`"),
        "{c}"
    );
}

#[test]
fn a_renamed_code_is_contradicted() {
    let sim = Sim::drifting(Drift::RenamedCode);
    let out = run(sim.cmd(&["doctor"]), 3);
    let c = check(&checks(&out), "verify_token", "invalid token").clone();
    assert_eq!(c["verdict"], "contradicted", "{c}");
    assert_eq!(c["observed"]["code"], "TOKEN_INVALID");
    assert!(
        c["suggestions"][0]
            .as_str()
            .unwrap()
            .contains("declare it in `x-unleashx-error-codes`"),
        "{c}"
    );
}

#[test]
fn a_token_read_only_from_authorization_is_contradicted() {
    let sim = Sim::drifting(Drift::AuthorizationHeader);
    let (out, _, _) = doctor_with_tokens(&sim, 3);
    let all = checks(&out);
    for probe in ["invalid token", "api token"] {
        let c = check(&all, "verify_token", probe);
        assert_eq!(c["verdict"], "contradicted", "{c}");
        assert!(
            c["suggestions"][0]
                .as_str()
                .unwrap()
                .contains("did not see the `token` header"),
            "{c}"
        );
    }
}

#[test]
fn a_rejected_token_is_reported_as_such_not_as_drift() {
    let sim = Sim::start();
    let mut cmd = sim.cmd(&["doctor"]);
    cmd.env("UNLEASHX_API_TOKEN", "f".repeat(64));
    let out = run(cmd, 0);
    let c = check(&checks(&out), "verify_token", "api token").clone();
    assert_eq!(c["verdict"], "untested", "{c}");
    assert!(
        c["findings"][0]
            .as_str()
            .unwrap()
            .contains("rejected the token in UNLEASHX_API_TOKEN"),
        "{c}"
    );
    assert!(!stdout(&out).contains(&"f".repeat(64)));
}

#[test]
fn an_html_answer_is_contradicted_with_a_bounded_snippet() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { break };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let body = format!(
                "<html><body>502 Bad Gateway {}</body></html>",
                "x".repeat(5000)
            );
            let _ = write!(s, "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
        }
    });
    let mut cmd = support::bin();
    cmd.args(["--base-url", &base, "doctor"]);
    let out = run(cmd, 3);
    for c in checks(&out) {
        if c["verdict"] == "untested" {
            continue;
        }
        assert_eq!(c["verdict"], "contradicted", "{c}");
        let snippet = c["observed"]["snippet"].as_str().expect("snippet");
        assert!(
            snippet.starts_with("<html>") && snippet.len() < 200,
            "{snippet}"
        );
    }
}

#[test]
fn an_unreachable_server_exits_4() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut cmd = support::bin();
    cmd.args([
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        "doctor",
        "--output",
        "text",
    ]);
    let out = run(cmd, 4);
    assert!(
        stderr(&out).contains("cannot be probed: could not connect"),
        "{}",
        stderr(&out)
    );
}
