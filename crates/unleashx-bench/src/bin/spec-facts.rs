//! Prints facts of `openapi.yaml` for scripts, so that no script keeps its
//! own list of operations or request bodies.
//!
//! ```text
//! spec-facts operations [SPEC]   one line per operation, tab-separated:
//!                                operationId, METHOD, path, security scheme
//!                                (or none), retry safety (safe|never,
//!                                from `x-unleashx-retry`)
//! spec-facts token-header [SPEC] the header every credential is sent in
//! spec-facts requests [SPEC]     one line per request example, tab-separated:
//!                                operationId, example name (`-` without a
//!                                body), the body as one line of JSON (empty
//!                                without a body)
//! ```
//!
//! Exit status: 0 printed, 2 usage error or a spec that does not load.

use std::path::PathBuf;
use std::process::ExitCode;

use unleashx_codegen::{Catalogue, Spec};

/// Facts of openapi.yaml for scripts.
#[derive(Debug, clap::Parser)]
#[command(name = "spec-facts")]
enum Cli {
    /// One line per operation: operationId, METHOD, path, security scheme (or none),
    /// retry safety (safe|never), tab-separated.
    Operations {
        /// The spec.
        #[arg(default_value = "openapi.yaml")]
        spec: PathBuf,
    },
    /// The header every credential is sent in.
    TokenHeader {
        /// The spec.
        #[arg(default_value = "openapi.yaml")]
        spec: PathBuf,
    },
    /// One line per request example: operationId, example name (`-` for an operation
    /// without a body), the JSON body on one line (empty without a body), tab-separated.
    Requests {
        /// The spec.
        #[arg(default_value = "openapi.yaml")]
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli: Cli = clap::Parser::parse();
    let path = match &cli {
        Cli::Operations { spec } | Cli::TokenHeader { spec } | Cli::Requests { spec } => spec,
    };
    let spec = match Spec::load(path) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    match cli {
        Cli::Operations { .. } => {
            let catalogue = match Catalogue::read(&spec) {
                Ok(c) => c,
                Err(e) => return fail(&e),
            };
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
        }
        Cli::TokenHeader { .. } => {
            let catalogue = match Catalogue::read(&spec) {
                Ok(c) => c,
                Err(e) => return fail(&e),
            };
            match &catalogue.token_header {
                Some(header) => println!("{header}"),
                None => {
                    return fail(&format!(
                        "{} defines no security scheme, so no token header",
                        path.display()
                    ))
                }
            }
        }
        Cli::Requests { .. } => {
            for example in spec.request_examples() {
                let body = example.body.map(|b| b.to_string()).unwrap_or_default();
                println!("{}\t{}\t{body}", example.operation, example.name);
            }
        }
    }
    ExitCode::SUCCESS
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}
