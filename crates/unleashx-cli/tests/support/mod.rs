//! Shared test helpers: the simulator in the test process, and the binary.
#![allow(dead_code)]

use std::process::Output;
use std::time::Duration;

use unleashx_mock::MockServer;

/// The simulator on 127.0.0.1:0, served by its own runtime's worker thread
/// so that a test can block on the CLI process meanwhile.
pub struct Sim {
    // Dropped first (stops the server), then the runtime.
    pub server: MockServer,
    rt: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start() -> Sim {
        Self::start_with(unleashx_mock::Fixtures::default())
    }

    pub fn start_with(fixtures: unleashx_mock::Fixtures) -> Sim {
        Self::start_built(MockServer::builder().fixtures(fixtures))
    }

    /// The simulator departing from the spec in the named way.
    pub fn drifting(drift: unleashx_mock::Drift) -> Sim {
        Self::start_built(MockServer::builder().drift(drift))
    }

    fn start_built(builder: unleashx_mock::MockServerBuilder) -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let server = rt.block_on(builder.start()).expect("simulator starts");
        Sim { server, rt }
    }

    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A fresh login token for the demo account.
    pub fn login_token(&self) -> String {
        self.server
            .issue_login_token(unleashx_mock::DEMO_EMAIL)
            .expect("demo account")
    }

    /// A fresh API token for the demo account.
    pub fn api_token(&self) -> String {
        self.server
            .issue_api_token(unleashx_mock::DEMO_EMAIL)
            .expect("demo account")
    }

    /// `unleashx --base-url <sim> ARGS`, with a clean environment.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = bin();
        cmd.arg("--base-url").arg(self.base_url()).args(args);
        cmd
    }
}

/// The binary, with the UNLEASHX_* variables removed, stdin empty, and a
/// time limit so a hang fails instead of blocking the suite. It stores
/// nothing (`UNLEASHX_NO_STORE=1`) and its config folder does not exist, so
/// the user's own credentials are never read: [`Home`] gives a command a
/// config folder of its own.
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_unleashx"));
    for var in [
        "UNLEASHX_BASE_URL",
        "UNLEASHX_API_TOKEN",
        "UNLEASHX_LOGIN_TOKEN",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    let nowhere = std::env::temp_dir().join("unleashx-cli-tests-no-such-home");
    cmd.env("HOME", &nowhere)
        .env("XDG_CONFIG_HOME", nowhere.join(".config"))
        .env("UNLEASHX_NO_STORE", "1");
    cmd.env("NO_COLOR", "1");
    cmd.write_stdin("");
    cmd.timeout(Duration::from_secs(60));
    cmd
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `cmd`, checks the exit code, returns the output.
#[track_caller]
pub fn run(mut cmd: impl std::borrow::BorrowMut<assert_cmd::Command>, code: i32) -> Output {
    let out = cmd.borrow_mut().output().expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code; stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// stdout as one JSON object (and nothing else).
#[track_caller]
pub fn json_stdout(out: &Output) -> serde_json::Map<String, serde_json::Value> {
    let text = stdout(out);
    assert_eq!(text.lines().count(), 1, "one line on stdout: {text:?}");
    match serde_json::from_str(&text) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("stdout is not a JSON object: {other:?}: {text:?}"),
    }
}

/// stderr as the JSON error object; returns its `error` member.
#[track_caller]
pub fn json_error(out: &Output) -> serde_json::Map<String, serde_json::Value> {
    let text = stderr(out);
    assert_eq!(text.lines().count(), 1, "one line on stderr: {text:?}");
    let value: serde_json::Value = serde_json::from_str(&text).expect("stderr is JSON");
    let outer = value.as_object().expect("an object");
    assert_eq!(outer.len(), 1, "only `error`: {text}");
    let error = outer["error"]
        .as_object()
        .expect("error is an object")
        .clone();
    let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "kind", "message", "status"], "{text}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    error
}

/// Asserts the JSON error's kind, status and code.
#[track_caller]
pub fn assert_error(out: &Output, kind: &str, status: Option<u64>, code: Option<&str>) {
    let error = json_error(out);
    assert_eq!(error["kind"], kind, "{error:?}");
    assert_eq!(error["status"].as_u64(), status, "{error:?}");
    assert_eq!(error["code"].as_str(), code, "{error:?}");
    if status.is_none() {
        assert!(error["status"].is_null());
    }
    if code.is_none() {
        assert!(error["code"].is_null());
    }
}

/// A temporary HOME and XDG_CONFIG_HOME for one test, removed on drop.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn config_home(&self) -> std::path::PathBuf {
        self.dir.path().join("config")
    }

    /// `$XDG_CONFIG_HOME/unleashx`.
    pub fn folder(&self) -> std::path::PathBuf {
        self.config_home().join("unleashx")
    }

    /// `$XDG_CONFIG_HOME/unleashx/credentials.json`.
    pub fn file(&self) -> std::path::PathBuf {
        self.folder().join("credentials.json")
    }

    /// `cmd` with this HOME and config folder, storing allowed.
    pub fn apply(&self, mut cmd: assert_cmd::Command) -> assert_cmd::Command {
        cmd.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env_remove("UNLEASHX_NO_STORE");
        cmd
    }

    /// `unleashx --base-url <sim> ARGS` with this HOME.
    pub fn cmd(&self, sim: &Sim, args: &[&str]) -> assert_cmd::Command {
        self.apply(sim.cmd(args))
    }
}

/// The credential a command reads from the environment.
pub enum Token {
    None,
    Login,
    Api,
}

/// The spec's first request example of `op` (`None` for an operation that
/// takes no body). An operation with a body but no example fails here, by
/// name: give its request body an example in openapi.yaml.
pub fn request_example(op: unleashx_mock::Operation) -> Option<serde_json::Value> {
    static EXAMPLES: std::sync::OnceLock<Vec<unleashx_codegen::RequestExample>> =
        std::sync::OnceLock::new();
    let examples = EXAMPLES.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml");
        unleashx_codegen::Spec::load(path.as_ref())
            .unwrap_or_else(|e| panic!("{e}"))
            .request_examples()
    });
    examples
        .iter()
        .find(|e| e.operation == op.as_str())
        .unwrap_or_else(|| panic!("{op}: its request body has no example in openapi.yaml; add one"))
        .body
        .clone()
}

/// The command line that covers `op`: `unleashx api OP` with the spec's
/// first request example on stdin, and the credential its security names.
/// A new operation in openapi.yaml is covered with no edit here.
pub fn command_for(op: unleashx_mock::Operation) -> (Vec<String>, Token) {
    let mut args = vec!["api".to_owned(), op.as_str().to_owned()];
    if request_example(op).is_some() {
        args.extend(["--input".to_owned(), "-".to_owned()]);
    }
    let token = match op.security() {
        unleashx_api::catalogue::Security::None => Token::None,
        unleashx_api::catalogue::Security::LoginToken => Token::Login,
        unleashx_api::catalogue::Security::ApiToken => Token::Api,
    };
    (args, token)
}

impl Sim {
    /// The command that covers `op` ([`command_for`]), with `login` or `api`
    /// in the variable it reads its token from.
    pub fn covering(
        &self,
        op: unleashx_mock::Operation,
        login: &str,
        api: &str,
    ) -> assert_cmd::Command {
        let (args, token) = command_for(op);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut cmd = self.cmd(&args);
        if let Some(body) = request_example(op) {
            cmd.write_stdin(body.to_string());
        }
        match token {
            Token::None => {}
            Token::Login => {
                cmd.env(unleashx::env::LOGIN_TOKEN, login);
            }
            Token::Api => {
                cmd.env(unleashx::env::API_TOKEN, api);
            }
        }
        cmd
    }
}
