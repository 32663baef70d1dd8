//! Rendering results and errors as JSON or text, and the exit codes.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::ser::Serializer;
use serde::Serialize;
use serde_json::Value;

use crate::args::OutputFormat;

/// A command's result: the response's documented fields, in the API's order
/// and with the API's names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    // Each field's name, value, and what `--output text` shows for it when
    // not its JSON value.
    fields: Vec<(&'static str, Value, Option<String>)>,
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn field(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.fields.push((name, value.into(), None));
        self
    }

    /// Adds a field that `--output text` shows as `text`.
    pub fn field_shown_as(
        mut self,
        name: &'static str,
        value: impl Into<Value>,
        text: impl Into<String>,
    ) -> Self {
        self.fields.push((name, value.into(), Some(text.into())));
        self
    }

    /// Adds an expiry: Unix seconds (or null) in JSON, an RFC 3339 time and
    /// its distance from now (or "never expires") in text.
    pub fn expiry(self, name: &'static str, unix: Option<i64>) -> Self {
        let text = crate::dates::expiry_text(unix, std::time::SystemTime::now());
        self.field_shown_as(name, unix, text)
    }

    /// One JSON object, on one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// `name: value` lines.
    pub fn to_text(&self) -> String {
        self.fields
            .iter()
            .map(|(name, value, text)| match (text, value) {
                (Some(text), _) | (None, Value::String(text)) => format!("{name}: {text}\n"),
                (None, Value::Null) => format!("{name}: none\n"),
                (None, other) => format!("{name}: {other}\n"),
            })
            .collect()
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.fields.iter().map(|(name, value, _)| (name, value)))
    }
}

/// What kind of failure ended a command; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The command line is wrong (clap error, missing token, stdin problem).
    Usage,
    /// The library refused the input before sending anything.
    InvalidInput,
    /// The client configuration was refused (base URL, timeouts).
    Config,
    /// The API answered with an error code.
    Api,
    /// A call ran out of time.
    Timeout,
    /// The request could not be sent or the response not received.
    Transport,
    /// The server answered with something the API does not document.
    UnexpectedResponse,
    /// The server answered "not now" (408, 429, 502, 503, 504).
    Transient,
    /// A local write failed after the command did its work: stdout, or the
    /// credentials file.
    Io,
}

impl ErrorKind {
    /// The kind as it appears in the JSON error object.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Config => "config",
            ErrorKind::Api => "api",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::Transient => "transient",
            ErrorKind::Io => "io",
        }
    }

    /// The process exit code: 2 nothing was sent, 3 the API said no, 4 the
    /// exchange itself failed, 1 a local write failed.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Io => EXIT_IO,
            ErrorKind::Usage | ErrorKind::InvalidInput | ErrorKind::Config => EXIT_USAGE,
            ErrorKind::Api => EXIT_API,
            ErrorKind::Timeout
            | ErrorKind::Transport
            | ErrorKind::UnexpectedResponse
            | ErrorKind::Transient => EXIT_TRANSPORT,
        }
    }
}

/// Success.
pub const EXIT_OK: u8 = 0;
/// A local write failed (stdout, the credentials file).
pub const EXIT_IO: u8 = 1;
/// Usage error, or input refused before anything was sent.
pub const EXIT_USAGE: u8 = 2;
/// The API answered with an error.
pub const EXIT_API: u8 = 3;
/// Transport failure, timeout or unexpected response.
pub const EXIT_TRANSPORT: u8 = 4;

/// A failed command, ready to print. The message never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CliError {
    /// The kind.
    pub kind: ErrorKind,
    /// The HTTP status, when a response was received.
    pub status: Option<u16>,
    /// The API's error code, for API errors.
    pub code: Option<String>,
    /// What went wrong and what to do.
    pub message: String,
    /// What to do about the API's error code (shown by `--output text` when
    /// the message does not already say it).
    #[serde(skip)]
    pub hint: Option<String>,
}

impl CliError {
    /// An error of `kind` with no response behind it.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            code: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    /// The exit code for it.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    /// `{"error": {"kind": .., "status": .., "code": .., "message": ..}}`, one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&BTreeMap::from([("error", self)])).unwrap_or_else(|_| {
            format!(
                "{{\"error\":{{\"kind\":\"{}\",\"status\":null,\"code\":null,\"message\":\"\"}}}}",
                self.kind.as_str()
            )
        })
    }

    /// `error: ...`, one line, with the error code and its hint.
    pub fn to_text(&self) -> String {
        let mut line = one_line(&self.message);
        if let Some(code) = self.code.as_deref().filter(|c| !line.contains(c)) {
            line = format!("{code}: {line}");
        }
        if let Some(hint) = self.hint.as_deref().filter(|h| !line.contains(h)) {
            line = format!("{line}; {hint}");
        }
        format!("error: {line}")
    }
}

impl From<unleashx::Error> for CliError {
    fn from(e: unleashx::Error) -> Self {
        use unleashx::ErrorKind as K;
        let kind = match e.kind() {
            K::Api => ErrorKind::Api,
            K::InvalidInput => ErrorKind::InvalidInput,
            K::Config => ErrorKind::Config,
            K::Timeout => ErrorKind::Timeout,
            K::Transport => ErrorKind::Transport,
            K::Transient => ErrorKind::Transient,
            K::UnexpectedResponse => ErrorKind::UnexpectedResponse,
            // A kind this version does not know: the exchange went wrong.
            _ => ErrorKind::UnexpectedResponse,
        };
        Self {
            kind,
            status: e.status(),
            code: e.code().map(|c| c.as_str().to_owned()),
            hint: e.code().map(|c| unleashx::error_hint(c).to_owned()),
            message: e.to_string(),
        }
    }
}

/// Joins the lines of a message with spaces.
pub fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where results and errors go, in the chosen format.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// The format.
    pub format: OutputFormat,
}

impl Output {
    /// An output in `format`.
    pub fn new(format: OutputFormat) -> Self {
        Self { format }
    }

    /// Prints a result on stdout.
    pub fn record(&self, record: &Record) -> Result<(), CliError> {
        let text = match self.format {
            OutputFormat::Json => format!("{}\n", record.to_json()),
            OutputFormat::Text => record.to_text(),
        };
        write_stdout(text.as_bytes())
    }

    /// Prints a JSON value on stdout: one line, or indented for text.
    pub fn value(&self, value: &Value) -> Result<(), CliError> {
        let text = match self.format {
            OutputFormat::Json => format!("{value}\n"),
            OutputFormat::Text => format!("{value:#}\n"),
        };
        write_stdout(text.as_bytes())
    }

    /// Prints one line on stdout as is (the demo's step lines).
    pub fn line(&self, line: &str) -> Result<(), CliError> {
        write_stdout(format!("{line}\n").as_bytes())
    }

    /// Exit 0, or prints the error and returns its exit code.
    pub fn exit(&self, result: Result<(), CliError>) -> ExitCode {
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => self.error(&e),
        }
    }

    /// Prints an error on stderr and returns its exit code.
    pub fn error(&self, error: &CliError) -> ExitCode {
        let line = match self.format {
            OutputFormat::Json => error.to_json(),
            OutputFormat::Text => error.to_text(),
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
        ExitCode::from(error.exit_code())
    }
}

// Set once stdout's reader has gone: later output is dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `bytes` to stdout. A closed stdout (`| head -c0`) is not an error:
/// the output is dropped and the command ends as it would have. Any other
/// failure (a full disk, an I/O error) is an [`ErrorKind::Io`] error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    write_to(&mut std::io::stdout().lock(), bytes)
}

fn write_to(out: &mut impl Write, bytes: &[u8]) -> Result<(), CliError> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(CliError::new(
            ErrorKind::Io,
            format!("could not write the output to stdout: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_order() {
        let r = Record::new()
            .field("message", "LOGGEDIN")
            .field("token", "t")
            .field("expires", Value::Null)
            .field("n", 3);
        assert_eq!(
            r.to_json(),
            r#"{"message":"LOGGEDIN","token":"t","expires":null,"n":3}"#
        );
        assert_eq!(
            r.to_text(),
            "message: LOGGEDIN\ntoken: t\nexpires: none\nn: 3\n"
        );
    }

    #[test]
    fn errors_render_in_both_formats() {
        let e = CliError {
            kind: ErrorKind::Api,
            status: Some(401),
            code: Some("INVALID_OTP".into()),
            message: "login failed: HTTP 401 INVALID_OTP: request a new OTP".into(),
            hint: Some("request a new OTP".into()),
        };
        assert_eq!(
            e.to_json(),
            r#"{"error":{"kind":"api","status":401,"code":"INVALID_OTP","message":"login failed: HTTP 401 INVALID_OTP: request a new OTP"}}"#
        );
        assert_eq!(
            e.to_text(),
            "error: login failed: HTTP 401 INVALID_OTP: request a new OTP"
        );
        assert_eq!(e.exit_code(), 3);
        let u = CliError::usage("a\n  b");
        assert_eq!(
            u.to_json(),
            r#"{"error":{"kind":"usage","status":null,"code":null,"message":"a\n  b"}}"#
        );
        assert_eq!(u.to_text(), "error: a b");
        assert_eq!(u.exit_code(), 2);
    }

    #[test]
    fn exit_codes() {
        use ErrorKind::*;
        for (kind, code) in [
            (Usage, 2),
            (InvalidInput, 2),
            (Config, 2),
            (Api, 3),
            (Timeout, 4),
            (Transport, 4),
            (UnexpectedResponse, 4),
            (Transient, 4),
            (Io, 1),
        ] {
            assert_eq!(kind.exit_code(), code, "{kind:?}");
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(Value::String(kind.as_str().into()))
            );
        }
    }

    #[test]
    fn text_shows_the_code_and_its_hint_once() {
        let mut e = CliError::new(ErrorKind::Api, "get_token failed: HTTP 401");
        e.code = Some("INVALID_LOGIN_TOKEN".into());
        e.hint = Some("log in again".into());
        assert_eq!(
            e.to_text(),
            "error: INVALID_LOGIN_TOKEN: get_token failed: HTTP 401; log in again"
        );
        assert!(
            !e.to_json().contains("log in again"),
            "JSON keeps its shape"
        );
    }

    #[test]
    fn text_overrides_only_change_text() {
        let r = Record::new().field_shown_as("expires", 5, "five");
        assert_eq!(r.to_json(), r#"{"expires":5}"#);
        assert_eq!(r.to_text(), "expires: five\n");
    }

    #[test]
    fn a_failed_write_is_an_io_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let e = write_to(&mut Full, b"x")
            .err()
            .map(|e| (e.kind, e.exit_code()));
        assert_eq!(e, Some((ErrorKind::Io, 1)));
    }
}
