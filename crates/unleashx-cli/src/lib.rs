//! The `unleashx` command-line tool: the UnleashX token and user API from a
//! shell, built on the `unleashx` client library, and a demo of the whole
//! workflow against the in-process simulator (`unleashx-mock`).
//!
//! The binary (`src/main.rs`) is [`main_with_args`]; the pieces are public for
//! tests: [`args`] (clap definitions), [`commands`] (one module per command
//! group), [`output`] (JSON/text rendering and exit codes) and
//! [`credentials`] (tokens from the environment or stdin).

pub mod args;
pub mod commands;
pub mod credentials;
pub mod output;

use std::ffi::OsString;
use std::process::ExitCode;

use crate::args::{Cli, OutputFormat};
use crate::output::{one_line, CliError, Output};

/// Which command reaches each operation of `openapi.yaml` (by `operationId`).
/// A test checks it against the spec and the command tree, so a new operation
/// in the spec without a command fails the build.
pub const OPERATION_COMMANDS: &[(&str, &str)] = &[
    ("login", "login"),
    ("generate_token", "token generate"),
    ("get_token", "token get"),
    ("verify_token", "token verify"),
    ("onboard_user", "customer onboard"),
    ("get_token_by_customer_id", "customer token"),
];

/// The whole program: parses `args` (program name first), runs the command,
/// and returns the exit code.
pub fn main_with_args<I, S>(args: I) -> ExitCode
where
    I: IntoIterator<Item = S>,
    S: Into<OsString> + Clone,
{
    match parse(args) {
        Ok(cli) => run(cli),
        Err(code) => code,
    }
}

/// Parses the command line. `--help` and `--version` print and give exit 0;
/// a usage error is printed in the requested `--output` format and gives 2.
pub fn parse<I, S>(args: I) -> Result<Cli, ExitCode>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    match parse_matches(&args) {
        Ok(cli) => Ok(cli),
        Err(e) => {
            use clap::error::ErrorKind as K;
            if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
                let _ = e.print();
                return Err(ExitCode::SUCCESS);
            }
            let explicit = args::output_from_raw(args.iter().skip(1));
            if e.kind() == K::DisplayHelpOnMissingArgumentOrSubcommand
                && explicit != Some(OutputFormat::Json)
            {
                // `unleashx` alone (or `unleashx token`): the help, on stderr, exit 2.
                let _ = e.print();
                return Err(ExitCode::from(output::EXIT_USAGE));
            }
            let format = explicit.unwrap_or(OutputFormat::Json);
            Err(Output::new(format).error(&usage_error(&e)))
        }
    }
}

fn parse_matches(args: &[OsString]) -> Result<Cli, clap::Error> {
    use clap::parser::ValueSource;
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    // An empty UNLEASHX_BASE_URL counts as unset, as in the library's `from_env`.
    if matches.value_source("base_url") == Some(ValueSource::EnvVariable)
        && cli.base_url.trim().is_empty()
    {
        cli.base_url = unleashx::DEFAULT_BASE_URL.to_owned();
    }
    Ok(cli)
}

/// A clap error as a one-line usage error: its first paragraph, plus a pointer to `--help`.
fn usage_error(e: &clap::Error) -> CliError {
    use clap::error::ErrorKind as K;
    let rendered = e.render().to_string();
    let message = if e.kind() == K::DisplayHelpOnMissingArgumentOrSubcommand {
        "a command is required".to_owned()
    } else {
        let first = rendered.split("\n\n").next().unwrap_or_default();
        one_line(first.trim_start_matches("error:").trim())
    };
    let usage = rendered
        .lines()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(str::trim);
    CliError::usage(match usage {
        Some(usage) => format!("{message} (usage: {usage}; see --help)"),
        None => format!("{message} (see --help)"),
    })
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    init_tracing(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let format = cli.output.unwrap_or(OutputFormat::Json);
            return Output::new(format).error(&CliError {
                kind: output::ErrorKind::Config,
                status: None,
                code: None,
                message: format!("the async runtime could not start: {e}"),
            });
        }
    };
    runtime.block_on(commands::dispatch(cli))
}

/// `-v` info, `-vv` debug, `-vvv` trace, on stderr; nothing without `-v`.
fn init_tracing(verbose: u8) {
    use std::io::IsTerminal;
    let level = match verbose {
        0 => return,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
