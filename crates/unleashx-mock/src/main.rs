//! `unleashx-mock`: serve the UnleashX API simulator. See `--help`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    unleashx_mock::cli::main(std::env::args_os()).await
}
