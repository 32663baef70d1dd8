//! The spec-change guard (`spec-diff`, run by `scripts/spec-diff.sh`): what a
//! change since the last release does to the public API of each published
//! crate (`unleashx-api`, `unleashx`, `unleashx-mock`), and whether every
//! breaking change is acknowledged. A maintainer tool, kept out of the
//! crates users build.
//!
//! Both sides are real builds: the **baseline** is the source tree of the
//! commit that last changed `api-baseline/` (the last release,
//! see `scripts/release.sh`), the **current** side is the working tree.
//! rustdoc JSON of each crate, built once per side and cached, feeds two
//! checks:
//!
//! * [cargo-semver-checks](https://github.com/obi1kenobi/cargo-semver-checks)
//!   for everything its lints see (removed items, new variants of exhaustive
//!   enums, new fields of literal-constructible structs, trait changes, ...);
//! * [`shape`], for what it cannot see: a changed field type or optionality,
//!   and every change to a struct or enum re-exported from another crate
//!   (`unleashx::ErrorCode` is `unleashx_api::catalogue::ErrorCode`).
//!
//! [`spec`] also reports how `openapi.yaml` differs from the baseline spec,
//! so a change that only moves the catalogue or the wire format is seen.
//! Every change has a stable id (`unleashx-api: types::LoginRequest.otp: type
//! Option<Otp> -> Otp`); [`acks`] matches `BREAKING:` lines in the
//! changelog against those ids.

#![deny(missing_docs)]

pub mod acks;
mod cli;
pub mod report;
pub mod rustdoc;
pub mod semver_checks;
pub mod shape;
pub mod spec;

pub use cli::{run, Args};

/// How much a change matters to the crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code that compiled against the baseline may not compile now.
    Breaking,
    /// Only adds to the API.
    Additive,
}

/// One change to a crate's public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The stable id an acknowledgement quotes: the crate, then what changed
    /// (`unleashx-api: types::LoginRequest.otp: type Option<Otp> -> Otp`).
    pub id: String,
    /// Breaking or additive.
    pub severity: Severity,
    /// Which users break (`exhaustive matches on it`), empty if none.
    pub breaks: String,
}

/// The published crates the guard covers: package name and crate name.
pub const CRATES: [(&str, &str); 3] = [
    ("unleashx-api", "unleashx_api"),
    ("unleashx", "unleashx"),
    ("unleashx-mock", "unleashx_mock"),
];
