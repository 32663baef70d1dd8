//! `unleashx mock serve`: the simulator, as the `unleashx-mock` binary runs it.

use std::process::ExitCode;

use unleashx_mock::cli::Failure;

use crate::args::MockCommand;
use crate::output::{CliError, ErrorKind, Output};

/// Serves until SIGINT/SIGTERM. Prints the simulator's listening line
/// (`{"base_url":...,"addr":...}`) on stdout once listening. The exit code of
/// a failure is the simulator's own ([`Failure::exit_code`]): the same as the
/// `unleashx-mock` binary gives.
pub async fn run(cmd: MockCommand, out: Output) -> ExitCode {
    let MockCommand::Serve(options) = cmd;
    match unleashx_mock::cli::serve_options(&options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.failure.exit_code();
            let _ = out.error(&CliError::new(kind_of(e.failure), e.message));
            ExitCode::from(code)
        }
    }
}

/// The `kind` reported for each simulator failure; its exit code is the
/// simulator's (a test checks the two tables agree).
pub fn kind_of(failure: Failure) -> ErrorKind {
    match failure {
        Failure::Usage => ErrorKind::Usage,
        Failure::Fixtures => ErrorKind::Config,
        Failure::Listen => ErrorKind::Transport,
        // Failure is non-exhaustive: a failure to serve otherwise.
        _ => ErrorKind::Transport,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_exit_code_table_for_both_front_ends() {
        for failure in Failure::ALL {
            assert_eq!(
                kind_of(failure).exit_code(),
                failure.exit_code(),
                "{failure:?}"
            );
        }
    }
}
