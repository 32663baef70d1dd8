//! Completions, the man page, readable dates, usage errors from clap's error
//! kinds, and what happens when stdout cannot take the output.

mod support;

use std::process::{Command, Stdio};

use support::{bin, json_error, json_stdout, run, stderr, stdout, Sim};
use unleashx_mock::{DEMO_CUSTOMER_SALT, DEMO_EMAIL};

#[test]
fn bash_and_zsh_completions() {
    let out = run(bin().args(["completions", "bash"]), 0);
    let bash = stdout(&out);
    assert!(bash.contains("_unleashx()"), "{bash}");
    for word in [
        "generate",
        "onboard",
        "--token-stdin",
        "--no-store",
        "logout",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    // The script is valid bash.
    let dir = tempfile::tempdir().expect("dir");
    let script = dir.path().join("unleashx.bash");
    std::fs::write(&script, &bash).expect("write");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );

    let out = run(bin().args(["completions", "zsh"]), 0);
    let zsh = stdout(&out);
    assert!(zsh.starts_with("#compdef unleashx"), "{zsh}");
    for word in ["generate", "customer", "--expiration-days", "status"] {
        assert!(zsh.contains(word), "zsh completion lacks {word}");
    }
    for shell in ["fish", "powershell", "elvish"] {
        let out = run(bin().args(["completions", shell]), 0);
        assert!(stdout(&out).contains("unleashx"), "{shell}");
    }
    json_error(&run(bin().args(["completions", "tcsh"]), 2));
}

#[test]
fn man_page() {
    let out = run(bin().arg("man"), 0);
    let page = stdout(&out);
    assert!(page.contains(".TH unleashx 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS", "Exit codes"] {
        assert!(page.contains(section), "man page lacks {section}");
    }
    assert!(page.contains("auth") && page.contains("completions"));

    let dir = tempfile::tempdir().expect("dir");
    let target = dir.path().join("man1");
    run(bin().arg("man").arg("--dir").arg(&target), 0);
    for name in [
        "unleashx.1",
        "unleashx-token-generate.1",
        "unleashx-auth-status.1",
    ] {
        let page = std::fs::read_to_string(target.join(name)).expect(name);
        assert!(page.contains(".TH"), "{name}");
    }
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn expiry_as_a_date_in_text_and_unix_seconds_in_json() {
    let sim = Sim::start();
    let api = sim.api_token();
    let mint = |output: &str, days: Option<&str>| {
        let mut args = vec![
            "--output",
            output,
            "customer",
            "token",
            "--customer-id",
            DEMO_CUSTOMER_SALT,
        ];
        if let Some(days) = days {
            args.extend(["--expiration-days", days]);
        }
        run(sim.cmd(&args).env("UNLEASHX_API_TOKEN", &api), 0)
    };
    let text = stdout(&mint("text", Some("30")));
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("expires: "))
        .expect("expires line");
    let (date, distance) = line.split_once(' ').expect("date and distance");
    assert!(is_rfc3339_utc(date), "{line}");
    assert_eq!(distance, "(in 30 days)");

    let text = stdout(&mint("text", None));
    assert!(text.contains("\nexpires: never expires\n"), "{text}");

    let json = json_stdout(&mint("json", Some("30")));
    assert!(json["expires"].is_i64(), "{json:?}");
}

#[test]
fn the_demo_shows_the_expiry_as_a_date() {
    let out = run(bin().arg("demo"), 0);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("[7/9]"))
        .expect("step 7");
    let date = line
        .split("expires ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default();
    assert!(is_rfc3339_utc(date), "{line}");
    assert!(line.contains(" (in 30 days)"), "{line}");
    assert!(!line.contains("unix"), "{line}");
}

#[test]
fn usage_errors_come_from_clap_error_kinds() {
    // --output after the command still picks the format of the error.
    let out = run(
        bin().args(["token", "get", "--output", "text", "--bogus"]),
        2,
    );
    let err = stderr(&out);
    assert!(
        err.starts_with("error: unexpected argument '--bogus'"),
        "{err}"
    );
    assert!(err.contains("usage: unleashx token get"), "{err}");
    let out = run(bin().args(["login", "--output", "text"]), 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: missing required argument --username <EMAIL>"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);

    // clap's suggestion is kept.
    let out = run(bin().arg("tokn"), 2);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("'tokn'") && message.contains("did you mean 'token'"),
        "{message}"
    );

    // A value refused by a parser says why; possible values are listed.
    let out = run(bin().args(["--timeout", "abc", "token", "verify"]), 2);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("not a number of seconds"), "{message}");
    let out = run(bin().args(["--output", "yaml", "demo"]), 2);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("'yaml'") && message.contains("json, text"),
        "{message}"
    );

    // Conflicts name both sides; a missing argument names it.
    let out = run(
        bin().args(["login", "--username", "a@b.c", "--otp", "1", "--otp-stdin"]),
        2,
    );
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("--otp-stdin") && message.contains("--otp <CODE>"),
        "{message}"
    );
    let out = run(bin().args(["customer", "token"]), 2);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("--customer-id <ID>"), "{message}");

    // A command group without its command, asked for JSON.
    let out = run(bin().args(["--output", "json", "token"]), 2);
    assert_eq!(
        json_error(&out)["message"]
            .as_str()
            .map(|m| m.starts_with("a command is required")),
        Some(true)
    );
}

/// Runs the binary with stdout a pipe whose reader is already closed.
fn with_closed_stdout(args: &[&str], sim: Option<&Sim>) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_unleashx"));
    if let Some(sim) = sim {
        cmd.arg("--base-url").arg(sim.base_url());
        cmd.env("UNLEASHX_API_TOKEN", sim.api_token());
    }
    cmd.args(args)
        .env_remove("UNLEASHX_LOGIN_TOKEN")
        .env("UNLEASHX_NO_STORE", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("runs")
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for args in [
        &["completions", "bash"][..],
        &["man"],
        &["--help"],
        &["demo"],
    ] {
        let out = with_closed_stdout(args, None);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
    let sim = Sim::start();
    let out = with_closed_stdout(&["token", "verify"], Some(&sim));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let out = with_closed_stdout(&["login", "--username", DEMO_EMAIL], Some(&sim));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Runs the binary with stdout on /dev/full: every write fails with ENOSPC.
#[cfg(target_os = "linux")]
fn with_full_stdout(args: &[&str]) -> std::process::Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    Command::new(env!("CARGO_BIN_EXE_unleashx"))
        .args(args)
        .env("UNLEASHX_NO_STORE", "1")
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("runs")
}

#[cfg(target_os = "linux")]
#[test]
fn any_other_write_failure_exits_1_with_a_message() {
    let out = with_full_stdout(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(1));
    let error = json_error(&out);
    assert_eq!(error["kind"], "io");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("stdout"),
        "{error:?}"
    );
    // clap's own help output too.
    let out = with_full_stdout(&["--help"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: could not print"),
        "{}",
        stderr(&out)
    );
}
