//! Stored credentials end to end: log in once, then every command without a
//! variable; the precedence of stdin, variables and the file; `auth status`
//! and `auth logout`; the file's modes; refused files; no token shown.

#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;
use support::{json_error, json_stdout, run, stderr, stdout, Home, Sim};
use unleashx_mock::{Operation, DEMO_CUSTOMER_SALT, DEMO_EMAIL};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o777
}

/// Logs in through the CLI (both steps) with `home`; returns the login token.
fn log_in(sim: &Sim, home: &Home) -> String {
    run(home.cmd(sim, &["login", "--username", DEMO_EMAIL]), 0);
    let out = run(
        home.cmd(sim, &["login", "--username", DEMO_EMAIL, "--otp-stdin"])
            .write_stdin("123456\n"),
        0,
    );
    json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

fn stored(home: &Home) -> Value {
    serde_json::from_str(&std::fs::read_to_string(home.file()).expect("file")).expect("JSON")
}

fn onboard_args(email: &str) -> Vec<String> {
    [
        "customer",
        "onboard",
        "--email",
        email,
        "--first-name",
        "Jo",
        "--last-name",
        "Doe",
        "--company",
        email,
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn log_in_once_then_every_command_without_a_variable() {
    let sim = Sim::start();
    let home = Home::new();
    let login = log_in(&sim, &home);

    // Stored for this base URL, mode 0600 in a 0700 folder.
    assert_eq!(mode(&home.file()), 0o600);
    assert_eq!(mode(&home.folder()), 0o700);
    let file = stored(&home);
    assert_eq!(
        file["origins"][sim.base_url()]["login_token"],
        login.as_str()
    );
    // No temp file left behind.
    let mut names: Vec<_> = std::fs::read_dir(home.folder())
        .expect("folder")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["credentials.json", "credentials.json.lock"]);

    let out = run(home.cmd(&sim, &["token", "generate"]), 0);
    let api = json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(
        stored(&home)["origins"][sim.base_url()]["api_token"],
        api.as_str()
    );
    assert_eq!(mode(&home.file()), 0o600);

    let out = run(home.cmd(&sim, &["token", "get"]), 0);
    assert_eq!(json_stdout(&out)["token"], api.as_str());

    run(home.cmd(&sim, &["token", "verify"]), 0);

    let args = onboard_args("stored@example.com");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(home.cmd(&sim, &args), 0);
    let salt = json_stdout(&out)["customer_salt"]
        .as_str()
        .expect("salt")
        .to_owned();

    let out = run(
        home.cmd(
            &sim,
            &["customer", "token", "--customer-id", &salt, "--name", "CI"],
        ),
        0,
    );
    assert_eq!(json_stdout(&out)["customerid"], salt.as_str());

    // No variable was set anywhere: every call above used the stored tokens.
    assert_eq!(sim.server.requests(Operation::GetTokenByCustomerId), 1);
}

#[test]
fn no_store_skips_storing() {
    let sim = Sim::start();
    let home = Home::new();
    run(home.cmd(&sim, &["login", "--username", DEMO_EMAIL]), 0);
    let out = run(
        home.cmd(
            &sim,
            &[
                "login",
                "--username",
                DEMO_EMAIL,
                "--otp-stdin",
                "--no-store",
            ],
        )
        .write_stdin("123456\n"),
        0,
    );
    let login = json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert!(!home.file().exists());
    run(
        home.cmd(&sim, &["token", "generate"])
            .env("UNLEASHX_LOGIN_TOKEN", &login)
            .env("UNLEASHX_NO_STORE", "1"),
        0,
    );
    assert!(!home.file().exists());
    // A false value stores.
    run(
        home.cmd(&sim, &["token", "generate"])
            .env("UNLEASHX_LOGIN_TOKEN", &login)
            .env("UNLEASHX_NO_STORE", "0"),
        0,
    );
    assert!(home.file().exists());
}

#[test]
fn stdin_beats_the_variable_which_beats_the_file() {
    let sim = Sim::start();
    let home = Home::new();
    log_in(&sim, &home);
    let out = run(home.cmd(&sim, &["token", "generate"]), 0);
    let api = json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let dead = "d".repeat(64);

    // A dead token in the variable is used, not the live one in the file.
    let out = run(
        home.cmd(&sim, &["token", "verify"])
            .env("UNLEASHX_API_TOKEN", &dead),
        3,
    );
    assert_eq!(json_error(&out)["code"], "INVALID_API_TOKEN");
    let out = run(
        home.cmd(&sim, &["token", "get"])
            .env("UNLEASHX_LOGIN_TOKEN", "not-a-session"),
        3,
    );
    assert_eq!(json_error(&out)["code"], "INVALID_LOGIN_TOKEN");

    // stdin beats the variable.
    run(
        home.cmd(&sim, &["token", "verify", "--token-stdin"])
            .env("UNLEASHX_API_TOKEN", &dead)
            .write_stdin(format!("{api}\n")),
        0,
    );

    // The stored token belongs to its base URL: another server gets none.
    let other = Sim::start();
    let out = run(home.cmd(&other, &["token", "verify"]), 2);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("unleashx token generate"), "{message}");
    assert_eq!(other.server.requests(Operation::VerifyToken), 0);
}

#[test]
fn a_refused_stored_token_says_which_command_replaces_it() {
    let sim = Sim::start();
    let home = Home::new();
    log_in(&sim, &home);
    // The server does not know this token (as after the session expired).
    let login = "dead-login-token-Zk4q9";
    let mut file = stored(&home);
    file["origins"][sim.base_url()]["login_token"] = login.into();
    std::fs::write(home.file(), file.to_string()).expect("write");
    assert_eq!(mode(&home.file()), 0o600);
    let out = run(
        home.cmd(&sim, &["--output", "text", "token", "generate"]),
        3,
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("INVALID_LOGIN_TOKEN") && err.contains("unleashx login"),
        "{err}"
    );
    assert!(err.contains(&home.file().display().to_string()), "{err}");
    assert!(!err.contains(login), "{err}");
}

#[test]
fn auth_status_and_logout() {
    let sim = Sim::start();
    let home = Home::new();
    let path = home.file().display().to_string();

    // Nothing stored yet.
    let out = run(home.cmd(&sim, &["auth", "status"]), 0);
    let status = json_stdout(&out);
    assert!(status["login_token"].is_null() && status["api_token"].is_null());
    let out = run(home.cmd(&sim, &["auth", "status", "--check"]), 2);
    assert_eq!(json_error(&out)["kind"], "usage");

    let login = log_in(&sim, &home);
    let out = run(home.cmd(&sim, &["token", "generate"]), 0);
    let api = json_stdout(&out)["token"]
        .as_str()
        .expect("token")
        .to_owned();

    let out = run(home.cmd(&sim, &["auth", "status", "--check"]), 0);
    let text = stdout(&out);
    let status = json_stdout(&out);
    assert_eq!(status["base_url"], sim.base_url().as_str());
    assert_eq!(status["file"], path.as_str());
    for (key, token) in [("login_token", &login), ("api_token", &api)] {
        let entry = &status[key];
        assert_eq!(entry["source"], "file", "{status:?}");
        assert_eq!(entry["valid"], true, "{status:?}");
        let last4 = &token[token.len() - 4..];
        assert_eq!(entry["token"], format!("****{last4}").as_str());
        assert!(!text.contains(token.as_str()), "{key} shown: {text}");
    }
    assert_eq!(sim.server.requests(Operation::GetToken), 1);
    assert_eq!(sim.server.requests(Operation::VerifyToken), 1);

    // Text output, one line per field.
    let out = run(home.cmd(&sim, &["--output", "text", "auth", "status"]), 0);
    let text = stdout(&out);
    assert!(text.contains(&format!("file: {path}")), "{text}");
    assert!(
        text.contains(&format!(
            "api_token: ****{} (stored in {path})",
            &api[api.len() - 4..]
        )),
        "{text}"
    );
    assert!(!text.contains(&api) && !text.contains(&login), "{text}");

    // A variable shows as the source; a dead one fails the check with exit 3.
    let dead = "e".repeat(64);
    let out = run(
        home.cmd(&sim, &["auth", "status", "--check"])
            .env("UNLEASHX_API_TOKEN", &dead),
        3,
    );
    let status = json_stdout(&out);
    assert_eq!(status["api_token"]["source"], "UNLEASHX_API_TOKEN");
    assert_eq!(status["api_token"]["valid"], false);
    assert_eq!(status["login_token"]["valid"], true);
    let error = json_error(&out);
    assert_eq!(error["kind"], "api");
    assert!(!stderr(&out).contains(&dead));
    // The same for a dead login token (get-token answers 401).
    let out = run(
        home.cmd(&sim, &["auth", "status", "--check"])
            .env("UNLEASHX_LOGIN_TOKEN", &dead),
        3,
    );
    let status = json_stdout(&out);
    assert_eq!(status["login_token"]["source"], "UNLEASHX_LOGIN_TOKEN");
    assert_eq!(status["login_token"]["valid"], false);
    assert_eq!(status["api_token"]["valid"], true);

    // Logout forgets both and removes the file.
    let out = run(home.cmd(&sim, &["auth", "logout"]), 0);
    let logged_out = json_stdout(&out);
    assert_eq!(
        logged_out["removed"],
        serde_json::json!(["login_token", "api_token"])
    );
    assert!(!home.file().exists());
    let out = run(home.cmd(&sim, &["--output", "text", "auth", "logout"]), 0);
    assert!(
        stdout(&out).contains("removed: nothing was stored"),
        "{}",
        stdout(&out)
    );

    // Then a command that needs a token says what to run and what to set.
    let out = run(home.cmd(&sim, &["token", "generate"]), 2);
    let message = json_error(&out)["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for needed in ["unleashx login", "UNLEASHX_LOGIN_TOKEN", "--token-stdin"] {
        assert!(message.contains(needed), "{needed}: {message}");
    }
}

#[test]
fn logout_keeps_other_servers_tokens() {
    let a = Sim::start();
    let b = Sim::start();
    let home = Home::new();
    log_in(&a, &home);
    log_in(&b, &home);
    run(home.cmd(&a, &["auth", "logout"]), 0);
    assert!(home.file().exists());
    let file = stored(&home);
    assert!(file["origins"].get(a.base_url()).is_none(), "{file}");
    assert!(file["origins"][b.base_url()]["login_token"].is_string());
    assert_eq!(mode(&home.file()), 0o600);
}

/// Processes storing tokens at once, each for its own base URL, all keep
/// theirs: a writer locks, re-reads, merges and renames.
#[test]
fn concurrent_writers_for_different_servers_lose_nothing() {
    const WRITERS: usize = 8;
    let sims: Vec<Sim> = (0..WRITERS).map(|_| Sim::start()).collect();
    let home = Home::new();
    let start = std::sync::Barrier::new(WRITERS);
    let minted: Vec<(String, String)> = std::thread::scope(|scope| {
        let runs: Vec<_> = sims
            .iter()
            .map(|sim| {
                let mut cmd = home.cmd(sim, &["token", "generate"]);
                cmd.env("UNLEASHX_LOGIN_TOKEN", sim.login_token());
                let start = &start;
                scope.spawn(move || {
                    start.wait();
                    let out = run(cmd, 0);
                    let token = json_stdout(&out)["token"]
                        .as_str()
                        .expect("token")
                        .to_owned();
                    (sim.base_url(), token)
                })
            })
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("writer thread"))
            .collect()
    });
    let file = stored(&home);
    let origins = file["origins"].as_object().expect("origins");
    for (base_url, token) in &minted {
        assert_eq!(
            origins.get(base_url).and_then(|e| e["api_token"].as_str()),
            Some(token.as_str()),
            "{base_url} lost its token; the file holds {} of {WRITERS} origins",
            origins.len()
        );
    }
    assert_eq!(origins.len(), WRITERS);
    assert_eq!(mode(&home.file()), 0o600);
    let mut names: Vec<_> = std::fs::read_dir(home.folder())
        .expect("folder")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["credentials.json", "credentials.json.lock"]);
}

#[test]
fn an_existing_open_folder_is_narrowed_to_0700() {
    let sim = Sim::start();
    let home = Home::new();
    std::fs::create_dir_all(home.folder()).expect("mkdir");
    std::fs::set_permissions(home.folder(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    log_in(&sim, &home);
    assert_eq!(mode(&home.folder()), 0o700);
    assert_eq!(mode(&home.file()), 0o600);
}

#[test]
fn a_file_others_can_read_is_refused() {
    let sim = Sim::start();
    let home = Home::new();
    let login = log_in(&sim, &home);
    let path = home.file().display().to_string();
    for loose in [0o644, 0o640, 0o604, 0o660] {
        std::fs::set_permissions(home.file(), std::fs::Permissions::from_mode(loose))
            .expect("chmod");
        for args in [&["token", "generate"][..], &["auth", "status"]] {
            let out = run(home.cmd(&sim, args), 2);
            let error = json_error(&out);
            assert_eq!(error["kind"], "config", "{args:?}");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(&format!("chmod 600 {path}")),
                "{loose:o}: {message}"
            );
            assert!(!stderr(&out).contains(&login));
        }
    }
    // Logging in again does not overwrite it either: nothing is sent.
    let logins = sim.server.requests(Operation::Login);
    let out = run(
        home.cmd(
            &sim,
            &["login", "--username", DEMO_EMAIL, "--otp", "123456"],
        ),
        2,
    );
    assert_eq!(json_error(&out)["kind"], "config");
    assert_eq!(sim.server.requests(Operation::Login), logins);
    assert_eq!(sim.server.requests(Operation::GenerateToken), 0);

    // The fix the message names works.
    std::fs::set_permissions(home.file(), std::fs::Permissions::from_mode(0o600)).expect("chmod");
    run(home.cmd(&sim, &["token", "generate"]), 0);
}

#[test]
fn a_corrupt_or_unreadable_file_is_refused() {
    let sim = Sim::start();
    let home = Home::new();
    log_in(&sim, &home);
    let path = home.file().display().to_string();
    for (content, what) in [
        ("{not json", "not valid"),
        ("", "not valid"),
        (r#"{"version":9,"origins":{}}"#, "version 9"),
        (
            r#"{"version":1,"origins":{"x":{"login_token":5}}}"#,
            "not valid",
        ),
    ] {
        std::fs::write(home.file(), content).expect("write");
        for args in [
            &["token", "get"][..],
            &["auth", "status"],
            &["auth", "logout"],
        ] {
            let out = run(home.cmd(&sim, args), 2);
            let error = json_error(&out);
            assert_eq!(error["kind"], "config", "{args:?}");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(&path) && message.contains(what),
                "{message}"
            );
            assert!(!stderr(&out).contains("panicked"));
        }
    }
    assert_eq!(sim.server.requests(Operation::GetToken), 0);

    // A folder where the file should be: unreadable as a file.
    std::fs::remove_file(home.file()).expect("rm");
    std::fs::create_dir(home.file()).expect("mkdir");
    let out = run(home.cmd(&sim, &["--output", "text", "token", "get"]), 2);
    let err = stderr(&out);
    assert!(err.starts_with("error: ") && err.contains(&path), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn no_token_in_vvv_logs_or_errors_with_stored_credentials() {
    let sim = Sim::start();
    let home = Home::new();
    let mut secrets = Vec::new();
    let mut stderrs = Vec::new();
    run(
        home.cmd(&sim, &["-vvv", "login", "--username", DEMO_EMAIL]),
        0,
    );
    let out = run(
        home.cmd(
            &sim,
            &["-vvv", "login", "--username", DEMO_EMAIL, "--otp-stdin"],
        )
        .write_stdin("123456\n"),
        0,
    );
    stderrs.push(stderr(&out));
    secrets.push(json_stdout(&out)["token"].as_str().expect("t").to_owned());
    let out = run(home.cmd(&sim, &["-vvv", "token", "generate"]), 0);
    stderrs.push(stderr(&out));
    secrets.push(json_stdout(&out)["token"].as_str().expect("t").to_owned());
    for args in [
        &["-vvv", "token", "get"][..],
        &["-vvv", "token", "verify"],
        &["-vvv", "auth", "status", "--check"],
        &[
            "-vvv",
            "customer",
            "token",
            "--customer-id",
            DEMO_CUSTOMER_SALT,
        ],
    ] {
        let out = run(home.cmd(&sim, args), 0);
        stderrs.push(stderr(&out));
        if args.contains(&"status") {
            stderrs.push(stdout(&out));
        }
    }
    // Error paths with the stored tokens.
    let out = run(
        home.cmd(
            &sim,
            &["-vvv", "customer", "token", "--customer-id", "999999999999"],
        ),
        3,
    );
    stderrs.push(stderr(&out));
    std::fs::set_permissions(home.file(), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = run(home.cmd(&sim, &["-vvv", "token", "verify"]), 2);
    stderrs.push(stderr(&out));

    for (i, err) in stderrs.iter().enumerate() {
        assert!(!err.is_empty(), "output {i} is empty");
        for secret in &secrets {
            assert!(
                !err.contains(secret.as_str()),
                "output {i} leaked a token:\n{err}"
            );
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_token_that_cannot_be_stored_is_still_printed_and_exits_1() {
    let sim = Sim::start();
    run(sim.cmd(&["login", "--username", DEMO_EMAIL]), 0);
    // No file to read there, and no folder can be created there, even by root.
    let out = run(
        sim.cmd(&["login", "--username", DEMO_EMAIL, "--otp", "123456"])
            .env_remove("UNLEASHX_NO_STORE")
            .env("XDG_CONFIG_HOME", "/proc/self"),
        1,
    );
    assert_eq!(json_stdout(&out)["message"], "LOGGEDIN");
    let token = json_stdout(&out)["token"].as_str().expect("t").to_owned();
    let error = json_error(&out);
    assert_eq!(error["kind"], "io");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("/proc/self/unleashx/credentials.json"),
        "{message}"
    );
    assert!(!message.contains(&token));
}
