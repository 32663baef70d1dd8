//! `spec-diff OLD_SPEC NEW_SPEC`: compares the public API generated from two
//! revisions of openapi.yaml; see `spec-diff --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = unleashx_spec_diff::run(
        &args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(u8::try_from(status).unwrap_or(2))
}
