//! The simulator's command line, defined once: [`ServeOptions`] is the clap
//! `Args` of both front ends, the `unleashx-mock` binary ([`main`]) and
//! `unleashx mock serve`, and [`Failure::exit_code`] gives both their exit
//! codes. The clap parts need the `cli` feature (on by default); a test that
//! only starts the simulator can turn it off.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::{shutdown_signal, Drift, Fixtures, MockServer};

/// The default listening address: loopback, port 8080.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

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

/// What to serve: the options of both front ends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ServeOptions {
    /// Address to listen on (port 0 picks a free port).
    #[cfg_attr(feature = "cli", arg(long, value_name = "ADDR", default_value = DEFAULT_ADDR))]
    pub addr: SocketAddr,
    /// JSON fixtures file (default: one demo account, demo@unleashx.test with OTP 123456).
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub fixtures: Option<PathBuf>,
    /// Depart from openapi.yaml in a named way, for testing drift detection (repeatable).
    #[cfg_attr(feature = "cli", arg(long = "drift", value_name = "NAME", value_enum))]
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

/// The drift names and what each does, from [`Drift::ALL`]: `--drift`'s values.
#[cfg(feature = "cli")]
impl clap::ValueEnum for Drift {
    fn value_variants<'a>() -> &'a [Self] {
        &Drift::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.description()))
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
    let server = MockServer::builder().bind(options.addr).fixtures(fixtures);
    let server = options.drifts.iter().fold(server, |s, d| s.drift(*d));
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

#[cfg(feature = "cli")]
pub use binary::{main, Cli};

#[cfg(feature = "cli")]
mod binary {
    use std::ffi::OsString;
    use std::io::Write;
    use std::process::ExitCode;

    use clap::Parser;

    use super::{serve_options, Failure, ServeOptions};

    /// The `unleashx-mock` command line.
    #[derive(Debug, Parser)]
    #[command(
        name = "unleashx-mock",
        version,
        about = "A stateful local simulator of the UnleashX token and user API.",
        after_help = "Prints one JSON line when listening, e.g.\n  \
            {\"base_url\":\"http://127.0.0.1:8080\",\"addr\":\"127.0.0.1:8080\"}\n\
            and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.\n\
            Exit codes: 0 stopped cleanly, 2 bad arguments or fixtures, 4 could not listen."
    )]
    pub struct Cli {
        /// What to serve.
        #[command(flatten)]
        pub serve: ServeOptions,
    }

    /// The binary: parses `args` (program name first), serves until
    /// SIGINT/SIGTERM, and returns the exit code from [`Failure::exit_code`]
    /// (0 on a clean stop, `--help` or `--version`). An error is one line on
    /// stderr, prefixed `unleashx-mock: `.
    pub async fn main<I, S>(args: I) -> ExitCode
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString> + Clone,
    {
        let cli = match Cli::try_parse_from(args) {
            Ok(cli) => cli,
            Err(e) if !e.use_stderr() => {
                // --help, --version; a closed stdout is not an error.
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                error_line(&format!("{} (see --help)", first_paragraph(&e.to_string())));
                return ExitCode::from(Failure::Usage.exit_code());
            }
        };
        match serve_options(&cli.serve).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                error_line(&e.message);
                ExitCode::from(e.failure.exit_code())
            }
        }
    }

    /// clap's message up to its first blank line, on one line, without `error: `.
    fn first_paragraph(rendered: &str) -> String {
        let text: Vec<&str> = rendered
            .lines()
            .map(str::trim)
            .take_while(|l| !l.is_empty())
            .collect();
        let text = text.join(" ");
        text.strip_prefix("error: ").unwrap_or(&text).to_owned()
    }

    /// Prints `unleashx-mock: <message>` as one line on stderr (ignoring a closed stderr).
    fn error_line(message: &str) {
        let _ = writeln!(std::io::stderr(), "unleashx-mock: {message}");
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::Drift;
        use clap::CommandFactory;
        use std::path::PathBuf;

        fn parse(args: &[&str]) -> Result<ServeOptions, clap::Error> {
            let argv = std::iter::once("unleashx-mock").chain(args.iter().copied());
            Cli::try_parse_from(argv).map(|c| c.serve)
        }

        #[test]
        fn parses_flags() {
            Cli::command().debug_assert();
            assert_eq!(parse(&[]).ok(), Some(ServeOptions::default()));
            let o = parse(&["--addr", "127.0.0.1:0", "--fixtures=f.json"]).expect("parses");
            assert_eq!(o.addr.port(), 0);
            assert_eq!(o.fixtures, Some(PathBuf::from("f.json")));
            for bad in [
                &["--addr"][..],
                &["--addr", "nope"],
                &["--bogus"],
                &["--drift"],
                &["--fixtures", ""],
            ] {
                assert!(parse(bad).is_err(), "{bad:?}");
            }
            let o = parse(&["--drift", "renamed-code", "--drift=status-shift"]).expect("parses");
            assert_eq!(o.drifts, [Drift::RenamedCode, Drift::StatusShift]);
        }

        #[test]
        fn an_unknown_drift_names_the_known_ones_on_one_line() {
            let e = parse(&["--drift", "sideways"]).expect_err("refused");
            let line = first_paragraph(&e.to_string());
            assert!(!line.contains('\n'));
            assert!(line.contains("sideways"), "{line}");
            for d in Drift::ALL {
                assert!(line.contains(d.name()), "{line}");
            }
        }

        #[test]
        fn help_lists_every_drift_with_what_it_does() {
            // Wrapped at the terminal's width: compare with whitespace collapsed.
            let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            let help = words(&Cli::command().render_long_help().to_string());
            for d in Drift::ALL {
                let line = format!("- {}: {}", d.name(), words(d.description()));
                assert!(help.contains(&line), "{line} not in {help}");
            }
        }
    }
}
