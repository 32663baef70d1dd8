//! `unleashx mock serve`: the simulator, as the `unleashx-mock` binary runs it.

use std::process::ExitCode;

use unleashx_mock::Fixtures;

use crate::args::MockCommand;
use crate::output::{CliError, ErrorKind, Output};

/// Serves until SIGINT/SIGTERM. Prints the simulator's listening line
/// (`{"base_url":...,"addr":...}`) on stdout once listening. A bad fixtures
/// file is exit 2; an address that cannot be listened on, exit 4.
pub async fn run(cmd: MockCommand, out: Output) -> ExitCode {
    match serve(cmd).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.error(&e),
    }
}

async fn serve(cmd: MockCommand) -> Result<(), CliError> {
    let MockCommand::Serve(args) = cmd;
    let fixtures = match &args.fixtures {
        Some(path) => Fixtures::load(path).map_err(|e| CliError {
            kind: ErrorKind::Config,
            status: None,
            code: None,
            message: e.to_string(),
        })?,
        None => Fixtures::default(),
    };
    let failed = |message: String| CliError {
        kind: ErrorKind::Transport,
        status: None,
        code: None,
        message,
    };
    let signal = unleashx_mock::shutdown_signal()
        .map_err(|e| failed(format!("cannot install signal handlers: {e}")))?;
    unleashx_mock::serve(args.addr, fixtures, signal)
        .await
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidInput {
                CliError {
                    kind: ErrorKind::Config,
                    status: None,
                    code: None,
                    message: e.to_string(),
                }
            } else {
                failed(format!("cannot serve on {}: {e}", args.addr))
            }
        })
}
