//! `spec-diff`: what a change since the last release does to the public API
//! of every published crate; see `spec-diff --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let status = unleashx_spec_diff::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(u8::try_from(status).unwrap_or(2))
}
