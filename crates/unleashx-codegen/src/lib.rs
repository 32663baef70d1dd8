//! Turns `openapi.yaml` into the Rust source of the `unleashx-api` client.
//!
//! One crate owns the spec loading, the checks and the progenitor settings, so
//! that `build.rs` and the snapshot tests can never generate different code.
//!
//! ```no_run
//! let spec = unleashx_codegen::Spec::load("openapi.yaml".as_ref())?;
//! let client_rs: String = unleashx_codegen::generate_client(&spec)?;
//! # Ok::<(), unleashx_codegen::SpecError>(())
//! ```
#![deny(missing_docs)]

pub mod catalogue;
mod checks;
mod dispatch;
mod error;
mod examples;
mod generate;
mod spec;

pub use catalogue::{generate_catalogue, Catalogue};
pub use dispatch::generate_dispatch;
pub use error::{Location, SpecError};
pub use examples::RequestExample;
pub use generate::{generate_client, generate_httpmock, settings};
pub use spec::Spec;
