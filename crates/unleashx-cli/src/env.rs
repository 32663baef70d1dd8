//! The environment variables the CLI reads: the library's own names
//! (`unleashx::env`), and the CLI's.

pub use unleashx::env::{API_TOKEN, BASE_URL, LOGIN_TOKEN};

/// Set to a true value (`1`, `true`, `yes`, `on`) to skip storing tokens, as `--no-store`.
pub const NO_STORE: &str = "UNLEASHX_NO_STORE";
