//! Prints facts of `openapi.yaml` for scripts, so that no script keeps its
//! own list of operations.
//!
//! ```text
//! spec-facts operations [SPEC]   one line per operation, tab-separated:
//!                                operationId, METHOD, path, security scheme
//!                                (or none), retry safety (safe|never,
//!                                from `x-unleashx-retry`)
//! spec-facts token-header [SPEC] the header every credential is sent in
//! ```
//!
//! Exit status: 0 printed, 2 usage error or a spec that does not load.

use std::process::ExitCode;

use unleashx_codegen::{Catalogue, Spec};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (what, spec_path) = match args.as_slice() {
        [what] => (what.as_str(), "openapi.yaml"),
        [what, path] => (what.as_str(), path.as_str()),
        _ => return usage(),
    };
    if what != "operations" && what != "token-header" {
        return usage();
    }
    let catalogue = match Spec::load(spec_path.as_ref()).and_then(|s| Catalogue::read(&s)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if what == "token-header" {
        return match &catalogue.token_header {
            Some(header) => {
                println!("{header}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: {spec_path} defines no security scheme, so no token header");
                ExitCode::from(2)
            }
        };
    }
    for op in &catalogue.operations {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            op.id,
            op.method,
            op.path,
            op.security.as_deref().unwrap_or("none"),
            op.retry.as_str()
        );
    }
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: spec-facts operations [SPEC]\n  prints operationId, METHOD, path, security scheme (or none) and retry safety (safe|never), tab-separated, one operation per line\n       spec-facts token-header [SPEC]\n  prints the header every credential is sent in");
    ExitCode::from(2)
}
