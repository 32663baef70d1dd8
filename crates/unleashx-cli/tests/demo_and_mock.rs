//! `unleashx demo` end to end, and `unleashx mock serve` as a process.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{bin, json_stdout, run, stderr, stdout};

#[test]
fn demo_runs_every_step() {
    let out = run(bin().arg("demo"), 0);
    let text = stdout(&out);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    for (i, step) in unleashx_cli::commands::demo::STEPS.iter().enumerate() {
        let prefix = format!("[{}/9] {step}: ", i + 1);
        assert!(
            text.lines()
                .any(|l| l.starts_with(&prefix) && !l.contains("FAILED")),
            "missing {prefix:?} in\n{text}"
        );
    }
    assert!(
        text.contains("token <redacted, 64 hex chars>")
            || text.contains("API token <redacted, 64 hex chars>"),
        "{text}"
    );
    let last = text.lines().last().unwrap_or_default();
    assert!(last.starts_with("demo complete: 9 of 9 steps"), "{last}");
    // Secrets appear only as <redacted, ...>.
    assert!(!text.contains("123456"), "the OTP leaked:\n{text}");
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        assert!(
            word.len() < 32,
            "something token-like was printed: {word}\n{text}"
        );
    }
}

#[test]
fn demo_as_json_lines() {
    let out = run(bin().args(["--output", "json", "demo"]), 0);
    let text = stdout(&out);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 10, "{text}");
    for (i, line) in lines[..9].iter().enumerate() {
        assert_eq!(line["step"], i as u64 + 1);
        assert_eq!(line["ok"], true);
        assert_eq!(line["what"], unleashx_cli::commands::demo::STEPS[i]);
        assert!(line["elapsed_ms"].is_u64());
    }
    assert_eq!(lines[9]["summary"], "demo complete");
    assert_eq!(lines[9]["steps"], 9);
}

#[test]
fn mock_serve_prints_its_line_serves_and_stops_on_sigint() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unleashx"))
        .args(["mock", "serve", "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("listening line");
    let listening: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
    let base_url = listening["base_url"].as_str().expect("base_url").to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{line}");
    assert!(listening["addr"].is_string(), "{line}");

    // It serves: the CLI talks to it.
    let out = run(
        bin().args([
            "--base-url",
            &base_url,
            "login",
            "--username",
            unleashx_mock::DEMO_EMAIL,
        ]),
        0,
    );
    assert_eq!(json_stdout(&out)["message"], "OTP_SENT");

    // SIGINT stops it cleanly.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let mut waited = Duration::ZERO;
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("try_wait") {
            break exit;
        }
        if waited > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("mock serve did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    };
    assert_eq!(exit.code(), Some(0));
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
    assert!(
        rest.is_empty(),
        "only the listening line on stdout: {rest:?}"
    );
}

#[test]
fn mock_serve_with_bad_fixtures_exits_2() {
    let dir = std::env::temp_dir().join(format!("unleashx-cli-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("bad.json");
    std::fs::write(&path, "{\"accounts\": [{\"email\": 1}]}").expect("write");
    let out = run(
        bin()
            .args(["mock", "serve", "--addr", "127.0.0.1:0", "--fixtures"])
            .arg(&path),
        2,
    );
    support::assert_error(&out, "config", None, None);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn mock_serve_on_a_taken_address_exits_as_the_simulator_binary_does() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let out = run(
        bin().args(["mock", "serve", "--addr", &addr]),
        i32::from(unleashx_mock::cli::Failure::Listen.exit_code()),
    );
    assert_eq!(out.status.code(), Some(4), "the documented code");
    support::assert_error(&out, "transport", None, None);
    assert!(stderr(&out).contains(&addr));
}
