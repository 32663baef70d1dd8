//! The environment variables `from_env` reads, named once for the library and
//! for tools built on it.

use crate::error::{ConfigError, Error};

/// The API's origin; the production origin when unset.
pub const BASE_URL: &str = "UNLEASHX_BASE_URL";

/// An API token, for [`ApiClient::from_env`](crate::ApiClient::from_env).
pub const API_TOKEN: &str = "UNLEASHX_API_TOKEN";

/// A login token, for [`LoginSession::from_env`](crate::LoginSession::from_env).
pub const LOGIN_TOKEN: &str = "UNLEASHX_LOGIN_TOKEN";

/// The variable `name`, trimmed, when it is set; an error when it is set but
/// blank, saying to set it to `what` or unset it.
pub(crate) fn var(name: &str, what: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Err(ConfigError::new(format!(
            "{name} is set but empty; set it to {what}, or unset it"
        ))
        .into()),
        Ok(v) => Ok(Some(v.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(ConfigError::new(format!("{name} is not valid UTF-8")).into())
        }
    }
}

/// The variable `name` as [`var`] reads it; an error saying `unset` (what to
/// do) when it is not set.
pub(crate) fn required(name: &str, what: &str, unset: &str) -> Result<String, Error> {
    var(name, what)?.ok_or_else(|| ConfigError::new(format!("{name} is not set; {unset}")).into())
}
