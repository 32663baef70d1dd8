//! The command line of the `unleashx-mock` binary, as a library function so
//! other binaries (e.g. `unleashx mock serve`) can offer the same command.

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{shutdown_signal, Drift, Fixtures, MockServer};

/// The default listening address: loopback, port 8080.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The help text.
pub const USAGE: &str = "\
Usage: unleashx-mock [--addr ADDR] [--fixtures FILE] [--drift NAME]...

A stateful local simulator of the UnleashX token and user API.

Options:
  --addr ADDR       address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --fixtures FILE   JSON fixtures file (default: one demo account,
                    demo@unleashx.test with OTP 123456)
  --drift NAME      depart from openapi.yaml in a named way, for testing
                    drift detection (repeatable):
                      status-shift          LOGIN_TOKEN_REQUIRED answered 401, not 400
                      extra-field           success bodies gain \"extra_field\"
                      renamed-code          INVALID_API_TOKEN sent as TOKEN_INVALID
                      authorization-header  credential read from Authorization,
                                            the token header ignored
  -h, --help        print this help
  -V, --version     print the version

Prints one JSON line when listening, e.g.
  {\"base_url\":\"http://127.0.0.1:8080\",\"addr\":\"127.0.0.1:8080\"}
and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
Exit codes: 0 stopped cleanly, 2 bad arguments or fixtures, 4 could not listen.";

/// Why serving ended in failure. Both front ends of the simulator (this
/// crate's binary and `unleashx mock serve`) take their exit code from
/// [`Failure::exit_code`], so the same failure gives the same code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The command line cannot be understood.
    Usage,
    /// The fixtures file cannot be read or is not valid.
    Fixtures,
    /// The address cannot be listened on, signal handlers cannot be
    /// installed, or serving failed.
    Listen,
}

impl Failure {
    /// Every failure, for tests that check a table covers them all.
    pub const ALL: [Failure; 3] = [Failure::Usage, Failure::Fixtures, Failure::Listen];

    /// The process exit code: 2 for a bad command line or fixtures (nothing
    /// was served), 4 when listening or serving failed.
    pub const fn exit_code(self) -> u8 {
        match self {
            Failure::Usage | Failure::Fixtures => 2,
            Failure::Listen => 4,
        }
    }
}

/// A failure to serve, with a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeError {
    /// What failed; decides the exit code.
    pub failure: Failure,
    /// What went wrong, naming the address or file.
    pub message: String,
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServeError {}

/// Options of `serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The fixtures file, if any.
    pub fixtures: Option<PathBuf>,
    /// The drifts from the spec to serve with (none: the spec's behaviour).
    pub drifts: Vec<Drift>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            fixtures: None,
            drifts: Vec::new(),
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Run the server.
    Serve(ServeOptions),
    /// Print [`USAGE`].
    Help,
    /// Print the version.
    Version,
}

/// A command line that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Parses the arguments after the program name: `--addr A`, `--addr=A`,
/// `--fixtures F`, `--fixtures=F`, `--drift NAME`, `--drift=NAME`
/// (repeatable), `-h`/`--help`, `-V`/`--version`.
pub fn parse_args<I, S>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let mut options = ServeOptions::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str().map(str::to_owned) else {
            return Err(UsageError(format!(
                "argument {} is not valid UTF-8",
                arg.to_string_lossy()
            )));
        };
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<OsString, UsageError> {
            match inline.clone() {
                Some(v) => Ok(v.into()),
                None => args
                    .next()
                    .ok_or_else(|| UsageError(format!("{name} needs a value"))),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--addr" => {
                let v = value("--addr")?;
                let text = v.to_string_lossy();
                options.addr = text.parse().map_err(|_| {
                    UsageError(format!(
                        "--addr {text:?} is not a socket address like 127.0.0.1:8080"
                    ))
                })?;
            }
            "--fixtures" => {
                let v = value("--fixtures")?;
                if v.is_empty() {
                    return Err(UsageError("--fixtures needs a file name".to_owned()));
                }
                options.fixtures = Some(PathBuf::from(v));
            }
            "--drift" => {
                let v = value("--drift")?;
                let drift = v
                    .to_string_lossy()
                    .parse::<Drift>()
                    .map_err(|e| UsageError(format!("--drift: {e}")))?;
                if !options.drifts.contains(&drift) {
                    options.drifts.push(drift);
                }
            }
            other => return Err(UsageError(format!("unknown argument {other:?}"))),
        }
    }
    Ok(Command::Serve(options))
}

/// Runs the command line (arguments without the program name) to completion:
/// prints the listening line, serves until SIGINT/SIGTERM, and returns the
/// exit code from [`Failure::exit_code`] (0 on a clean stop).
/// Errors are one line on stderr, prefixed `unleashx-mock: `.
pub async fn serve_cli<I, S>(args: I) -> ExitCode
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let options = match parse_args(args) {
        Ok(Command::Serve(options)) => options,
        Ok(Command::Help) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            let _ = writeln!(
                std::io::stdout(),
                "unleashx-mock {}",
                env!("CARGO_PKG_VERSION")
            );
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            error_line(&format!("{e} (see --help)"));
            return ExitCode::from(Failure::Usage.exit_code());
        }
    };
    run(options).await
}

/// Serves with parsed options; see [`serve_cli`] for output and exit codes.
pub async fn run(options: ServeOptions) -> ExitCode {
    match serve_options(&options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            error_line(&e.message);
            ExitCode::from(e.failure.exit_code())
        }
    }
}

/// Loads the fixtures, installs the signal handlers and serves until
/// SIGINT/SIGTERM, printing the listening line on stdout. Prints nothing on
/// failure: the caller reports the [`ServeError`] in its own format.
pub async fn serve_options(options: &ServeOptions) -> Result<(), ServeError> {
    let fixtures = match &options.fixtures {
        Some(path) => Fixtures::load(path).map_err(|e| ServeError {
            failure: Failure::Fixtures,
            message: e.to_string(),
        })?,
        None => Fixtures::default(),
    };
    let signal = shutdown_signal().map_err(|e| ServeError {
        failure: Failure::Listen,
        message: format!("cannot install signal handlers: {e}"),
    })?;
    let mut server = MockServer::builder().bind(options.addr).fixtures(fixtures);
    for drift in &options.drifts {
        server = server.drift(*drift);
    }
    server.serve(signal).await.map_err(|e| match e.kind() {
        // `serve` reports fixtures it cannot turn into a state this way.
        std::io::ErrorKind::InvalidInput => ServeError {
            failure: Failure::Fixtures,
            message: e.to_string(),
        },
        _ => ServeError {
            failure: Failure::Listen,
            message: format!("cannot serve on {}: {e}", options.addr),
        },
    })
}

/// Prints `unleashx-mock: <message>` as one line on stderr (ignoring a closed stderr).
fn error_line(message: &str) {
    let _ = writeln!(std::io::stderr(), "unleashx-mock: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags() {
        assert_eq!(
            parse_args(Vec::<String>::new()),
            Ok(Command::Serve(ServeOptions::default()))
        );
        let Ok(Command::Serve(o)) = parse_args(["--addr", "127.0.0.1:0", "--fixtures=f.json"])
        else {
            panic!("not serve");
        };
        assert_eq!(o.addr.port(), 0);
        assert_eq!(o.fixtures, Some(PathBuf::from("f.json")));
        assert!(parse_args(["--addr"]).is_err());
        assert!(parse_args(["--addr", "nope"]).is_err());
        assert!(parse_args(["--bogus"]).is_err());
        assert_eq!(parse_args(["-h"]), Ok(Command::Help));
        let Ok(Command::Serve(o)) = parse_args([
            "--drift",
            "renamed-code",
            "--drift=status-shift",
            "--drift",
            "renamed-code",
        ]) else {
            panic!("not serve");
        };
        assert_eq!(o.drifts, [Drift::RenamedCode, Drift::StatusShift]);
        let err = parse_args(["--drift", "sideways"]).unwrap_err().0;
        assert!(
            err.contains("sideways") && err.contains("extra-field"),
            "{err}"
        );
        assert!(parse_args(["--drift"]).is_err());
        assert_eq!(
            DEFAULT_ADDR.parse::<SocketAddr>().ok(),
            Some(ServeOptions::default().addr)
        );
    }
}
