//! The command line of the `unleashx-mock` binary, as a library function so
//! other binaries (e.g. `unleashx mock serve`) can offer the same command.

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{serve, shutdown_signal, Fixtures};

/// The default listening address: loopback, port 8080.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The help text.
pub const USAGE: &str = "\
Usage: unleashx-mock [--addr ADDR] [--fixtures FILE]

A stateful local simulator of the UnleashX token and user API.

Options:
  --addr ADDR       address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --fixtures FILE   JSON fixtures file (default: one demo account,
                    demo@unleashx.test with OTP 123456)
  -h, --help        print this help
  -V, --version     print the version

Prints one JSON line when listening, e.g.
  {\"base_url\":\"http://127.0.0.1:8080\",\"addr\":\"127.0.0.1:8080\"}
and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
Exit codes: 0 stopped cleanly, 1 could not listen, 2 bad arguments or fixtures.";

/// Options of `serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The fixtures file, if any.
    pub fixtures: Option<PathBuf>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            fixtures: None,
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
/// `--fixtures F`, `--fixtures=F`, `-h`/`--help`, `-V`/`--version`.
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
            other => return Err(UsageError(format!("unknown argument {other:?}"))),
        }
    }
    Ok(Command::Serve(options))
}

/// Runs the command line (arguments without the program name) to completion:
/// prints the listening line, serves until SIGINT/SIGTERM, and returns the
/// exit code (0 clean stop, 1 cannot listen, 2 bad arguments or fixtures).
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
            return ExitCode::from(2);
        }
    };
    run(options).await
}

/// Serves with parsed options; see [`serve_cli`] for output and exit codes.
pub async fn run(options: ServeOptions) -> ExitCode {
    let fixtures = match &options.fixtures {
        Some(path) => match Fixtures::load(path) {
            Ok(f) => f,
            Err(e) => {
                error_line(&format!("{e}"));
                return ExitCode::from(2);
            }
        },
        None => Fixtures::default(),
    };
    let signal = match shutdown_signal() {
        Ok(s) => s,
        Err(e) => {
            error_line(&format!("cannot install signal handlers: {e}"));
            return ExitCode::from(1);
        }
    };
    match serve(options.addr, fixtures, signal).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            error_line(&format!("cannot serve on {}: {e}", options.addr));
            ExitCode::from(1)
        }
    }
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
        assert_eq!(
            DEFAULT_ADDR.parse::<SocketAddr>().ok(),
            Some(ServeOptions::default().addr)
        );
    }
}
