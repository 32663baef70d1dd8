//! Conformance of the library against Prism (Stoplight's mock server) serving
//! the workspace's `openapi.yaml`.
//!
//! Prism validates every request against the spec and, with `--errors`,
//! answers a request that violates it with an error status, so a library call
//! that sends something the spec does not allow fails here. Its log is checked
//! as well: no line may report a violation. Responses are Prism's examples
//! (static mode) or random values drawn from the schemas (`--dynamic`, every
//! operation run [`DYNAMIC_RUNS`] times); every one must decode.
//!
//! Prism comes from `tools/` (pinned in `tools/package.json`), so these tests
//! are `#[ignore]`d in a plain `cargo test`: `scripts/test.sh` installs Prism
//! (`cd tools && npm ci`) and runs them with `-- --ignored`. Run that way
//! without Prism, they fail rather than silently passing.
//!
//! Login in static mode: Prism answers every `POST /api/login` with the first
//! example of `LoginResponse`, `otpSent` (`{"message": "OTP_SENT"}`), which has
//! no `token`, and the library cannot send Prism's `Prefer: example=loggedIn`
//! header. So `login` either returns a session or fails with exactly the
//! library's "answered ... without a login token" `UnexpectedResponse`; any
//! other outcome fails the test. (In dynamic mode `token` is optional in the
//! schema, so both outcomes occur there too.)

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use unleashx::{Client, Error, NewCustomer, TokenStatus};

/// How often each operation is called against `prism mock --dynamic`.
const DYNAMIC_RUNS: usize = 20;
/// How long Prism may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/unleashx sits two levels below the workspace root")
        .to_path_buf()
}

/// A running Prism; killed (and reaped) on drop, panics included.
struct Prism {
    child: Child,
    log: PathBuf,
    base_url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    fn start(mode: &str, dynamic: bool) -> Prism {
        let root = workspace_root();
        let prism = root.join("tools/node_modules/.bin/prism");
        assert!(
            prism.exists(),
            "Prism is not installed ({} is missing): run `cd tools && npm ci` \
             (scripts/test.sh installs it)",
            prism.display()
        );
        let port = free_port();
        let log = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("prism-{mode}-{}-{port}.log", std::process::id()));
        let out = File::create(&log).expect("create the Prism log file");
        let err = out.try_clone().expect("clone the Prism log file handle");
        let mut cmd = Command::new(&prism);
        cmd.arg("mock").arg(root.join("openapi.yaml")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "--errors",
        ]);
        if dynamic {
            cmd.arg("--dynamic");
        }
        let child = cmd
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", prism.display()));
        let mut prism = Prism {
            child,
            log,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        prism.wait_ready(SocketAddr::from(([127, 0, 0, 1], port)));
        prism
    }

    /// Polls until Prism accepts connections and says it listens, bounded.
    fn wait_ready(&mut self, addr: SocketAddr) {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited during startup ({status}); its output:\n{}",
                    self.log_text()
                );
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
                && self.log_text().contains("Prism is listening")
            {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "Prism did not listen on {addr} within {STARTUP_TIMEOUT:?}; its output:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Lines of Prism's log that report a request (or response) violation.
    fn violations(&self) -> Vec<String> {
        self.log_text()
            .lines()
            .filter(|l| {
                let l = l.to_ascii_lowercase();
                l.contains("violation") || l.contains("did not pass the validation rules")
            })
            .map(str::to_owned)
            .collect()
    }

    fn client(&self) -> Client {
        Client::new(self.base_url.clone()).expect("a client for Prism's loopback URL")
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// What one `login` call gave: a session, or the tolerated no-token answer.
#[derive(Debug, PartialEq, Eq)]
enum LoginOutcome {
    Session,
    NoToken,
}

async fn login(client: &Client) -> LoginOutcome {
    match client.login("user@example.com", "123456").await {
        Ok(session) => {
            assert!(!session.login_token().expose_secret().is_empty());
            LoginOutcome::Session
        }
        Err(Error::UnexpectedResponse(e)) if e.reason().contains("without a login token") => {
            LoginOutcome::NoToken
        }
        Err(e) => panic!("login: {e}"),
    }
}

/// Every library operation once, each asserted to decode.
async fn every_operation(client: &Client) -> Outcomes {
    let otp = client
        .request_otp("user@example.com")
        .await
        .unwrap_or_else(|e| panic!("request_otp: {e}"));
    let login = login(client).await;

    let session = client.with_login_token("x").expect("login session");
    let generated = session
        .generate_api_token()
        .await
        .unwrap_or_else(|e| panic!("generate_api_token: {e}"));
    let latest = session
        .latest_api_token()
        .await
        .unwrap_or_else(|e| panic!("latest_api_token: {e}"));

    let api = client.with_api_token("x").expect("API client");
    let status = api.verify().await.unwrap_or_else(|e| panic!("verify: {e}"));
    let onboarded = api
        .onboard(NewCustomer::new(
            "john@example.com",
            "John",
            "Doe",
            "Acme Corp",
        ))
        .await
        .unwrap_or_else(|e| panic!("onboard: {e}"));
    let minted = api
        .customer_token("048372910564")
        .name("n")
        .expires_in_days(30)
        .await
        .unwrap_or_else(|e| panic!("customer_token: {e}"));

    let minted_expires = minted.expires_unix();
    Outcomes {
        otp_message: otp.message,
        login,
        generated: generated.expose_secret().to_owned(),
        latest_email: latest.email,
        latest_workspace: latest.workspace_name,
        status,
        customer_id: onboarded.customer_id.as_str().to_owned(),
        minted_customer: minted.customer_id,
        minted_expires,
        minted_name: minted.name,
    }
}

#[derive(Debug)]
struct Outcomes {
    otp_message: String,
    login: LoginOutcome,
    generated: String,
    latest_email: String,
    latest_workspace: String,
    status: TokenStatus,
    customer_id: String,
    minted_customer: String,
    minted_name: Option<String>,
    minted_expires: Option<i64>,
}

fn assert_no_violations(prism: &Prism) {
    let violations = prism.violations();
    assert!(
        violations.is_empty(),
        "Prism reported request violations (full log: {}):\n{}",
        prism.log.display(),
        violations.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Prism (tools/node_modules): scripts/test.sh runs it"]
async fn every_operation_conforms_to_prism_static_examples() {
    let prism = Prism::start("static", false);
    let out = every_operation(&prism.client()).await;

    // Static mode answers with the spec's first example of each response:
    // for login that is step 2's `loggedIn`, so both steps see LOGGEDIN.
    assert_eq!(out.otp_message, "LOGGEDIN");
    assert_eq!(
        out.login,
        LoginOutcome::Session,
        "Prism's first login example (loggedIn) carries a token"
    );
    assert_eq!(
        out.generated,
        "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9"
    );
    assert_eq!(out.latest_email, "user@example.com");
    assert_eq!(out.latest_workspace, "My Workspace");
    assert_eq!(out.status, TokenStatus::Valid);
    assert_eq!(out.customer_id, "048372910564");
    assert_eq!(out.minted_customer, "048372910564");
    assert_eq!(out.minted_name.as_deref(), Some("My API Token"));
    assert_eq!(out.minted_expires, Some(1_743_033_600));

    assert_no_violations(&prism);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Prism (tools/node_modules): scripts/test.sh runs it"]
async fn every_operation_decodes_prism_dynamic_responses() {
    let prism = Prism::start("dynamic", true);
    let client = prism.client();
    let (mut sessions, mut no_token) = (0, 0);
    for run in 0..DYNAMIC_RUNS {
        let out = every_operation(&client).await;
        assert_eq!(
            out.status,
            TokenStatus::Valid,
            "run {run}: verify's only 2xx is 200"
        );
        match out.login {
            LoginOutcome::Session => sessions += 1,
            LoginOutcome::NoToken => no_token += 1,
        }
    }
    println!(
        "dynamic: {DYNAMIC_RUNS} runs of every operation decoded; login gave {sessions} \
         sessions and {no_token} token-less answers"
    );
    assert_no_violations(&prism);
}
