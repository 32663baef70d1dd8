//! The environment variables the CLI reads, in one place.
//!
//! The `unleashx` library reads the same three `UNLEASHX_*` names in its
//! `from_env` constructors; it does not export them as constants.

/// The API's origin (`--base-url`).
pub const BASE_URL: &str = "UNLEASHX_BASE_URL";
/// The login token (token generate, token get).
pub const LOGIN_TOKEN: &str = "UNLEASHX_LOGIN_TOKEN";
/// The API token (token verify, customer ...).
pub const API_TOKEN: &str = "UNLEASHX_API_TOKEN";
/// Set to a true value (`1`, `true`, `yes`, `on`) to skip storing tokens, as `--no-store`.
pub const NO_STORE: &str = "UNLEASHX_NO_STORE";
