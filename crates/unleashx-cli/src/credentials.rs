//! Where tokens and the OTP come from: the environment, or one line of stdin.
//! Never from a flag's value, which would leak into shell history and `ps`.

use std::io::BufRead;

use unleashx::{ApiToken, LoginToken, Otp};

use crate::output::CliError;

/// The environment variable holding the login token.
pub const LOGIN_TOKEN_ENV: &str = "UNLEASHX_LOGIN_TOKEN";
/// The environment variable holding the API token.
pub const API_TOKEN_ENV: &str = "UNLEASHX_API_TOKEN";

/// Which token a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The login token (token generate, token get).
    Login,
    /// An API token (token verify, customer ...).
    Api,
}

impl TokenKind {
    /// The environment variable it is read from.
    pub fn env_var(self) -> &'static str {
        match self {
            TokenKind::Login => LOGIN_TOKEN_ENV,
            TokenKind::Api => API_TOKEN_ENV,
        }
    }

    fn what(self) -> &'static str {
        match self {
            TokenKind::Login => {
                "a login token (`unleashx login --username EMAIL --otp-stdin` prints one)"
            }
            TokenKind::Api => "an API token (`unleashx token generate` prints one)",
        }
    }
}

/// Reads the token of `kind`: from stdin when `from_stdin`, else from its
/// environment variable. Missing or empty is a usage error naming both ways.
pub fn token(kind: TokenKind, from_stdin: bool) -> Result<String, CliError> {
    let value = if from_stdin {
        read_stdin_line("--token-stdin")?
    } else {
        env_value(kind.env_var())?
    };
    value.ok_or_else(|| {
        CliError::usage(format!(
            "this command needs {}: set {} or pass --token-stdin and write it on stdin; nothing was sent",
            kind.what(),
            kind.env_var()
        ))
    })
}

/// The login token.
pub fn login_token(from_stdin: bool) -> Result<LoginToken, CliError> {
    token(TokenKind::Login, from_stdin).map(LoginToken::new)
}

/// The API token.
pub fn api_token(from_stdin: bool) -> Result<ApiToken, CliError> {
    token(TokenKind::Api, from_stdin).map(ApiToken::new)
}

/// The OTP from the first line of stdin.
pub fn otp_from_stdin() -> Result<Otp, CliError> {
    read_stdin_line("--otp-stdin")?
        .map(Otp::new)
        .ok_or_else(|| {
            CliError::usage(
                "--otp-stdin: stdin was empty; write the one-time password on stdin; nothing was sent",
            )
        })
}

fn env_value(name: &str) -> Result<Option<String>, CliError> {
    match std::env::var(name) {
        Ok(v) => Ok(non_empty(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::usage(format!(
            "{name} is not valid UTF-8; nothing was sent"
        ))),
    }
}

fn read_stdin_line(flag: &str) -> Result<Option<String>, CliError> {
    first_line(std::io::stdin().lock(), flag)
}

/// The first line of `reader`, without its line ending and surrounding
/// whitespace; `None` when it is empty.
pub fn first_line(mut reader: impl BufRead, flag: &str) -> Result<Option<String>, CliError> {
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| {
        CliError::usage(format!(
            "{flag}: could not read stdin ({}); nothing was sent",
            e.kind()
        ))
    })?;
    Ok(non_empty(line))
}

fn non_empty(value: String) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        None
    } else {
        Some(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_only_trimmed() {
        let got = first_line("abc123\r\nsecond\n".as_bytes(), "--token-stdin");
        assert_eq!(got.ok().flatten().as_deref(), Some("abc123"));
        let empty = first_line("\n".as_bytes(), "--token-stdin");
        assert_eq!(empty.ok().flatten(), None);
        let none = first_line("".as_bytes(), "--token-stdin");
        assert_eq!(none.ok().flatten(), None);
    }
}
