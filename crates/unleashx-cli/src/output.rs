//! Rendering results and errors as JSON or text, and the exit codes.

use std::io::Write;
use std::process::ExitCode;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

use crate::args::OutputFormat;

/// A command's result: the response's documented fields, in the API's order
/// and with the API's names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record(Vec<(&'static str, Value)>);

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub fn field(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.0.push((name, value.into()));
        self
    }

    /// The fields, in order.
    pub fn fields(&self) -> &[(&'static str, Value)] {
        &self.0
    }

    /// One JSON object, on one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// `name: value` lines.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.0 {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(&text_value(value));
            out.push('\n');
        }
        out
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

fn text_value(value: &Value) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
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
        }
    }

    /// The process exit code: 2 nothing was sent, 3 the API said no, 4 the
    /// exchange itself failed.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage | ErrorKind::InvalidInput | ErrorKind::Config => EXIT_USAGE,
            ErrorKind::Api => EXIT_API,
            ErrorKind::Timeout | ErrorKind::Transport | ErrorKind::UnexpectedResponse => {
                EXIT_TRANSPORT
            }
        }
    }
}

/// Success.
pub const EXIT_OK: u8 = 0;
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
}

impl CliError {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Usage,
            status: None,
            code: None,
            message: message.into(),
        }
    }

    /// The exit code for it.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    /// `{"error": {"kind": .., "status": .., "code": .., "message": ..}}`, one line.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Wrapper<'a> {
            error: &'a CliError,
        }
        serde_json::to_string(&Wrapper { error: self }).unwrap_or_else(|_| {
            format!(
                "{{\"error\":{{\"kind\":\"{}\",\"status\":null,\"code\":null,\"message\":\"\"}}}}",
                self.kind.as_str()
            )
        })
    }

    /// `error: ...`, one line.
    pub fn to_text(&self) -> String {
        let message = one_line(&self.message);
        match &self.code {
            Some(code) if !message.contains(code.as_str()) => format!("error: {code}: {message}"),
            _ => format!("error: {message}"),
        }
    }
}

impl From<unleashx::Error> for CliError {
    fn from(e: unleashx::Error) -> Self {
        let kind = match &e {
            unleashx::Error::Api(_) => ErrorKind::Api,
            unleashx::Error::InvalidInput(_) => ErrorKind::InvalidInput,
            unleashx::Error::Config(_) => ErrorKind::Config,
            unleashx::Error::Timeout(_) => ErrorKind::Timeout,
            unleashx::Error::Transport(_) => ErrorKind::Transport,
            unleashx::Error::UnexpectedResponse(_) => ErrorKind::UnexpectedResponse,
            // A kind this version does not know: something went wrong with the exchange.
            _ => ErrorKind::UnexpectedResponse,
        };
        Self {
            kind,
            status: e.status(),
            code: e.code().map(|c| c.as_str().to_owned()),
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
    pub fn record(&self, record: &Record) {
        let text = match self.format {
            OutputFormat::Json => format!("{}\n", record.to_json()),
            OutputFormat::Text => record.to_text(),
        };
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// Prints one line on stdout as is (the demo's step lines).
    pub fn line(&self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
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
        ] {
            assert_eq!(kind.exit_code(), code, "{kind:?}");
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(Value::String(kind.as_str().into()))
            );
        }
    }
}
