//! The `unleashx` binary: see the `unleashx_cli` library and `--help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    unleashx_cli::main_with_args(std::env::args_os())
}
