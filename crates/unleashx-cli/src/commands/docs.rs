//! `unleashx completions SHELL` and `unleashx man`: generated from the clap
//! definitions, so they list exactly the commands and flags that exist.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::output::{write_stdout, CliError, ErrorKind};

/// Prints the completion script for a shell.
pub fn completions(args: CompletionsArgs) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "unleashx", &mut script);
    write_stdout(&script)
}

/// Prints `unleashx.1`, or writes every page into `--dir`.
pub fn man(args: ManArgs) -> Result<(), CliError> {
    if let Some(dir) = args.dir {
        let failed = |e: std::io::Error| {
            CliError::new(
                ErrorKind::Io,
                format!("cannot write the man pages into {}: {e}", dir.display()),
            )
        };
        std::fs::create_dir_all(&dir).map_err(failed)?;
        return clap_mangen::generate_to(Cli::command(), &dir).map_err(failed);
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| CliError::new(ErrorKind::Io, format!("cannot render the man page: {e}")))?;
    write_stdout(&page)
}
