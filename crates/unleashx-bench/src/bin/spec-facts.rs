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
//! Exit status: 0 printed, 2 usage error, a spec that does not load or a
//! failed write.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use unleashx_bench::BoxError;
use unleashx_codegen::{Catalogue, Spec};

/// Facts of openapi.yaml for scripts.
#[derive(Debug, clap::Parser)]
#[command(name = "spec-facts")]
enum Cli {
    /// One line per operation: operationId, METHOD, path, security scheme (or none),
    /// retry safety (safe|never), tab-separated.
    Operations(SpecArg),
    /// The header every credential is sent in.
    TokenHeader(SpecArg),
    /// One line per request example: operationId, example name (`-` for an operation
    /// without a body), the JSON body on one line (empty without a body), tab-separated.
    Requests(SpecArg),
}

/// The spec a fact is read from.
#[derive(Debug, clap::Args)]
struct SpecArg {
    /// The spec.
    #[arg(default_value = "openapi.yaml")]
    spec: PathBuf,
}

fn main() -> ExitCode {
    unleashx_bench::exit("spec-facts", run(&clap::Parser::parse()))
}

fn run(cli: &Cli) -> Result<(), BoxError> {
    let (Cli::Operations(SpecArg { spec: path })
    | Cli::TokenHeader(SpecArg { spec: path })
    | Cli::Requests(SpecArg { spec: path })) = cli;
    let spec = Spec::load(path)?;
    // A closed or full stdout is an error to report, not a panic.
    let mut out = std::io::stdout().lock();
    match cli {
        Cli::Operations(_) => {
            for op in Catalogue::read(&spec)?.operations {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    op.id,
                    op.method,
                    op.path,
                    op.security.as_deref().unwrap_or("none"),
                    op.retry.as_str()
                )?;
            }
        }
        Cli::TokenHeader(_) => {
            let header = Catalogue::read(&spec)?.token_header.ok_or_else(|| {
                let path = path.display();
                format!("{path} defines no security scheme, so no token header")
            })?;
            writeln!(out, "{header}")?;
        }
        Cli::Requests(_) => {
            for example in spec.request_examples() {
                let body = example.body.map(|b| b.to_string()).unwrap_or_default();
                writeln!(out, "{}\t{}\t{body}", example.operation, example.name)?;
            }
        }
    }
    Ok(())
}
