//! A bare reqwest hello-world, the size and start-up baseline for the
//! `unleashx` CLI (same workspace release profile, same reqwest features):
//! builds a `reqwest::Client` and prints a line. Makes no request.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hello_reqwest: {e}");
            return ExitCode::FAILURE;
        }
    };
    std::hint::black_box(&client);
    let _ = writeln!(std::io::stdout(), "hello from reqwest");
    ExitCode::SUCCESS
}
