//! The `unleashx` command-line tool: the UnleashX token and user API from a
//! shell, built on the `unleashx` client library, and a demo of the whole
//! workflow against the in-process simulator (`unleashx-mock`).
//!
//! The binary (`src/main.rs`) is [`main_with_args`]; the pieces are public for
//! tests: [`args`] (clap definitions), [`commands`] (one module per command
//! group), [`output`] (JSON/text rendering and exit codes),
//! [`credentials`] (which token a command uses), [`store`] (the
//! stored-credentials file), [`dates`] (readable expiry times) and [`env`](mod@env)
//! (the environment variables read).

#![deny(missing_docs)]

pub mod args;
pub mod commands;
pub mod credentials;
pub mod dates;
pub mod env;
pub mod output;
pub mod store;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use crate::args::{Cli, OutputFormat};
use crate::output::{one_line, CliError, Output};

/// The whole program: parses `args` (program name first), runs the command,
/// and returns the exit code.
pub fn main_with_args<I, S>(args: I) -> ExitCode
where
    I: IntoIterator<Item = S>,
    S: Into<OsString> + Clone,
{
    parse(args).map_or_else(|code| code, run)
}

/// Parses the command line. `--help` and `--version` print and give exit 0;
/// a usage error is printed in the requested `--output` format and gives 2.
pub fn parse<I, S>(args: I) -> Result<Cli, ExitCode>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString> + Clone,
{
    use clap::error::ErrorKind as K;
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let e = match parse_matches(&args) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    if matches!(e.kind(), K::DisplayHelp | K::DisplayVersion) {
        return Err(print_clap(&e, ExitCode::SUCCESS));
    }
    let explicit = requested_output(&args);
    // `unleashx` alone (or `unleashx token`): the help, on stderr, exit 2. With
    // a variable such as UNLEASHX_NO_STORE set, clap reports a missing
    // subcommand instead, with the usage.
    if matches!(
        e.kind(),
        K::DisplayHelpOnMissingArgumentOrSubcommand | K::MissingSubcommand
    ) && explicit != Some(OutputFormat::Json)
    {
        return Err(print_clap(&e, ExitCode::from(output::EXIT_USAGE)));
    }
    let format = explicit.unwrap_or(OutputFormat::Json);
    Err(Output::new(format).error(&CliError::usage(usage_message(&e))))
}

/// Prints clap's own help or version text; a closed stdout is not an error.
fn print_clap(e: &clap::Error, code: ExitCode) -> ExitCode {
    match e.print() {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(std::io::stderr(), "error: could not print: {err}");
            ExitCode::from(output::EXIT_IO)
        }
        _ => code,
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

/// The `--output` a command line that clap refused asks for, as clap reads
/// it when told to go past errors.
fn requested_output(args: &[OsString]) -> Option<OutputFormat> {
    use clap::parser::ValueSource;
    use clap::CommandFactory;
    let matches = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(args)
        .ok()?;
    // A global option may have been given after the subcommand.
    std::iter::successors(Some(&matches), |level| {
        level.subcommand().map(|(_, sub)| sub)
    })
    .filter(|level| level.value_source("output") == Some(ValueSource::CommandLine))
    .filter_map(|level| level.try_get_one::<OutputFormat>("output").ok().flatten())
    .last()
    .copied()
}

/// A clap error as one line, built from its kind and context: what is wrong,
/// clap's suggestion, and the usage line.
pub fn usage_message(e: &clap::Error) -> String {
    use clap::error::{ContextKind as C, ErrorKind as K};
    let get = |kind: C| e.get(kind).map(context_text);
    let arg = get(C::InvalidArg).unwrap_or_else(|| "an argument".to_owned());
    let value = get(C::InvalidValue).unwrap_or_default();
    let mut message = match e.kind() {
        K::UnknownArgument => format!("unexpected argument '{arg}'"),
        K::InvalidSubcommand => format!(
            "unrecognized command '{}'",
            get(C::InvalidSubcommand).unwrap_or_default()
        ),
        K::InvalidValue if value.is_empty() => format!("a value is required for '{arg}'"),
        K::InvalidValue => format!("invalid value '{value}' for '{arg}'"),
        K::ValueValidation => match std::error::Error::source(e) {
            Some(why) => format!("invalid value '{value}' for '{arg}': {why}"),
            None => format!("invalid value '{value}' for '{arg}'"),
        },
        K::MissingRequiredArgument => format!("missing required argument {arg}"),
        K::ArgumentConflict => match get(C::PriorArg) {
            Some(prior) => format!("'{arg}' cannot be used with '{prior}'"),
            None => format!("'{arg}' cannot be used with one of the other arguments"),
        },
        K::NoEquals => format!("'{arg}' needs its value after '='"),
        K::TooManyValues => format!("too many values for '{arg}'"),
        K::TooFewValues | K::WrongNumberOfValues => format!("wrong number of values for '{arg}'"),
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => {
            "a command is required".to_owned()
        }
        K::InvalidUtf8 => "an argument is not valid UTF-8".to_owned(),
        other => other
            .as_str()
            .unwrap_or("the command line is not valid")
            .to_owned(),
    };
    if let Some(valid) = get(C::ValidValue) {
        message.push_str(&format!(" (possible values: {valid})"));
    }
    for kind in [C::SuggestedArg, C::SuggestedSubcommand, C::SuggestedValue] {
        if let Some(suggested) = get(kind) {
            message.push_str(&format!("; did you mean '{suggested}'?"));
        }
    }
    match get(C::Usage) {
        Some(usage) => {
            let usage = usage.trim();
            let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
            format!("{message} (usage: {usage}; see --help)")
        }
        None => format!("{message} (see --help)"),
    }
}

fn context_text(value: &clap::error::ContextValue) -> String {
    use clap::error::ContextValue as V;
    match value {
        V::String(s) => s.clone(),
        V::Strings(list) => list.join(", "),
        V::StyledStr(s) => one_line(&s.to_string()),
        V::StyledStrs(list) => list
            .iter()
            .map(|s| one_line(&s.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        V::Bool(b) => b.to_string(),
        V::Number(n) => n.to_string(),
        V::None => String::new(),
        // A value kind this clap version adds.
        _ => String::new(),
    }
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    init_tracing(cli.verbose);
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(commands::dispatch(cli)),
        Err(e) => Output::new(cli.output.unwrap_or(OutputFormat::Json)).error(&CliError::new(
            output::ErrorKind::Config,
            format!("the async runtime could not start: {e}"),
        )),
    }
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
