//! Where tokens and the OTP come from, in the order gh uses: `--token-stdin`
//! (one line of stdin), then `UNLEASHX_LOGIN_TOKEN` / `UNLEASHX_API_TOKEN`,
//! then the stored-credentials file ([`crate::store`]). Never from a flag's
//! value, which would leak into shell history and `ps`.

use std::io::BufRead;
use std::path::PathBuf;

use unleashx::{ErrorCode, OperationId, Otp};

use crate::output::{CliError, ErrorKind};
pub use crate::store::TokenKind;
use crate::store::{Credentials, Store};

/// Where a token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--token-stdin`.
    Stdin,
    /// An environment variable.
    Env(&'static str),
    /// The stored-credentials file.
    File(PathBuf),
}

impl Source {
    /// `stdin`, the variable's name, or `file`.
    pub fn label(&self) -> &'static str {
        match self {
            Source::Stdin => "stdin",
            Source::Env(name) => name,
            Source::File(_) => "file",
        }
    }
}

/// A token (`unleashx::LoginToken` or `unleashx::ApiToken`) and where it
/// came from.
#[derive(Debug, Clone)]
pub struct Found<T> {
    /// The token.
    pub token: T,
    /// Where it came from.
    pub source: Source,
}

impl<T: From<String>> Found<T> {
    fn new(token: String, source: Source) -> Self {
        let token = T::from(token);
        Self { token, source }
    }
}

fn what(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Login => {
            "a login token: run `unleashx login --username EMAIL` and then \
             `unleashx login --username EMAIL --otp-stdin` once to store one"
        }
        TokenKind::Api => {
            "an API token: run `unleashx token generate` once (after `unleashx login`) to store one"
        }
    }
}

/// The token of `kind` for `base_url`: from stdin when `from_stdin`, else
/// from its environment variable, else from the stored file. None at all is
/// a usage error (exit 2) naming the command to run and the variable to set.
pub fn find<T: From<String>>(
    kind: TokenKind,
    from_stdin: bool,
    base_url: &str,
) -> Result<Found<T>, CliError> {
    if from_stdin {
        return match read_stdin_line("--token-stdin")? {
            Some(token) => Ok(Found::new(token, Source::Stdin)),
            None => Err(CliError::usage(format!(
                "--token-stdin: stdin was empty; write {} on stdin; nothing was sent",
                kind.name()
            ))),
        };
    }
    if let Some(found) = from_env(kind)? {
        return Ok(found);
    }
    let store = Store::locate()?;
    if let Some(found) = stored(kind, &store, &store.load()?, base_url) {
        return Ok(found);
    }
    Err(CliError::usage(format!(
        "this command needs {}; or set {}, or pass --token-stdin and write it on stdin; nothing was sent",
        what(kind),
        kind.env_var()
    )))
}

/// The token of `kind` from its environment variable, if set and not empty.
pub fn from_env<T: From<String>>(kind: TokenKind) -> Result<Option<Found<T>>, CliError> {
    Ok(env_value(kind.env_var())?.map(|token| Found::new(token, Source::Env(kind.env_var()))))
}

/// The token of `kind` stored for `base_url` in `credentials`, as loaded
/// from `store`, if any.
pub fn stored<T: From<String>>(
    kind: TokenKind,
    store: &Store,
    credentials: &Credentials,
    base_url: &str,
) -> Option<Found<T>> {
    credentials
        .entry(base_url)
        .and_then(|e| e.get(kind))
        .map(|t| Found::new(t.to_owned(), Source::File(store.path().to_owned())))
}

/// Adds what to do to an error the server gave for a token read from the
/// stored file: which command replaces it. The status the spec gives an
/// invalid token of this kind is the server refusing the credential,
/// whatever the code.
pub fn explain_refusal(source: &Source, kind: TokenKind, mut error: CliError) -> CliError {
    let Source::File(path) = source else {
        return error;
    };
    if error.kind == ErrorKind::Api && error.status.is_some() && error.status == refused(kind) {
        let again = match kind {
            TokenKind::Login => "`unleashx login --username EMAIL` (then --otp-stdin)",
            TokenKind::Api => "`unleashx token generate`",
        };
        error.message.push_str(&format!(
            " (the {} stored in {} was refused: run {again} to replace it)",
            kind.name(),
            path.display()
        ));
    }
    error
}

/// The status the spec gives a refused token of `kind`: `INVALID_LOGIN_TOKEN`
/// on get-token, `INVALID_API_TOKEN` on verify.
pub fn refused(kind: TokenKind) -> Option<u16> {
    match kind {
        TokenKind::Login => OperationId::GetToken.status_of(&ErrorCode::InvalidLoginToken),
        TokenKind::Api => OperationId::VerifyToken.status_of(&ErrorCode::InvalidApiToken),
    }
}

/// The last four characters of a token, the rest masked: `****1a2b`. A token
/// of fewer than 16 characters shows none of them.
pub fn masked(token: &str) -> String {
    let n = token.chars().count();
    if n < 16 {
        return "****".to_owned();
    }
    format!("****{}", token.chars().skip(n - 4).collect::<String>())
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
    Some(value.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
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

    #[test]
    fn masking_shows_at_most_the_last_four() {
        assert_eq!(masked(&format!("{}1a2b", "f".repeat(60))), "****1a2b");
        assert_eq!(masked("short-token"), "****");
        assert_eq!(masked(""), "****");
    }
}
