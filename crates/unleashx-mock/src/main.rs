//! `unleashx-mock`: serve the UnleashX API simulator. See `--help`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    unleashx_mock::cli::serve_cli(std::env::args_os().skip(1)).await
}
