//! The one error type, and what it carries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use unleashx_api::catalogue::{ErrorCode, OperationId};

/// Everything that can go wrong with a call, as one type to match on.
///
/// Messages never contain a token, an OTP or a `customer_api_key`.
///
/// ```
/// # async fn f(api: unleashx::ApiClient) {
/// use unleashx::{Error, ErrorCode};
/// match api.customer_token("048372910564").await {
///     Ok(minted) => println!("expires: {:?}", minted.expires()),
///     Err(Error::Api(e)) if e.code() == &ErrorCode::CustomerIdNotFound => println!("no such customer"),
///     Err(e) if e.is_timeout() => println!("try later: {e}"),
///     Err(e) => println!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error body (`{"error": true, "message": CODE}`).
    Api(Box<ApiError>),
    /// The input was refused before anything was sent.
    InvalidInput(InvalidInput),
    /// An attempt or the whole call ran out of time.
    Timeout(Box<TimeoutError>),
    /// The request could not be sent or the response not received.
    Transport(Box<TransportError>),
    /// The server answered with something the spec does not describe.
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The client could not be built as configured.
    Config(ConfigError),
}

impl Error {
    /// Whether the API answered with an error code.
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api(_))
    }

    /// Whether the input was refused before sending.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput(_))
    }

    /// Whether a timeout ended the call.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether a connection or I/O failure ended the call.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// Whether the server answered with something the spec does not describe.
    pub fn is_unexpected_response(&self) -> bool {
        matches!(self, Error::UnexpectedResponse(_))
    }

    /// Whether the client configuration was refused.
    pub fn is_config(&self) -> bool {
        matches!(self, Error::Config(_))
    }

    /// Whether the response body was larger than the 1 MiB the client reads
    /// (an [`Error::UnexpectedResponse`]).
    pub fn is_body_too_large(&self) -> bool {
        matches!(self, Error::UnexpectedResponse(e) if e.is_body_too_large())
    }

    /// Whether strict mode refused a response that departs from the spec
    /// (an [`Error::UnexpectedResponse`]; see [`ClientBuilder::strict`](crate::ClientBuilder::strict)).
    pub fn is_drift(&self) -> bool {
        matches!(self, Error::UnexpectedResponse(e) if e.drift.is_some())
    }

    /// The API's error code, for [`Error::Api`].
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => e.status,
            _ => None,
        }
    }

    /// The server's request id, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::UnexpectedResponse(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts,
            Error::Timeout(e) => e.attempts,
            Error::Transport(e) => e.attempts,
            Error::UnexpectedResponse(e) => e.attempts,
            Error::InvalidInput(_) | Error::Config(_) => 0,
        }
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        match self {
            Error::Api(e) => e.attempts = attempts,
            Error::Timeout(e) => e.attempts = attempts,
            Error::Transport(e) => e.attempts = attempts,
            Error::UnexpectedResponse(e) => e.attempts = attempts,
            Error::InvalidInput(_) | Error::Config(_) => {}
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::InvalidInput(e) => e.fmt(f),
            Error::Timeout(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::UnexpectedResponse(e) => e.fmt(f),
            Error::Config(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => e
                .source
                .as_deref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
            Error::Timeout(e) => e
                .source
                .as_deref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
            Error::UnexpectedResponse(e) => match (&e.too_large, &e.drift) {
                (Some(cap), _) => Some(cap as &(dyn std::error::Error + 'static)),
                (None, Some(drift)) => Some(drift as &(dyn std::error::Error + 'static)),
                (None, None) => None,
            },
            _ => None,
        }
    }
}

/// What to do about `code`: the spec's hint, else its description, else a
/// sentence for a code the spec does not declare.
///
/// ```
/// use unleashx::ErrorCode;
/// assert!(unleashx::error_hint(&ErrorCode::NoApiTokenFound).contains("generate"));
/// assert!(unleashx::error_hint(&ErrorCode::from("SOMETHING_NEW")).contains("does not know"));
/// ```
pub fn error_hint(code: &ErrorCode) -> &'static str {
    code.hint().or_else(|| code.description()).unwrap_or(
        "an error code this client does not know; see the server's message and the API docs",
    )
}

/// An error the API answered with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    pub(crate) operation: OperationId,
    pub(crate) status: u16,
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
}

impl ApiError {
    /// The operation that failed; `as_str()` gives its id in `openapi.yaml`.
    pub fn operation(&self) -> OperationId {
        self.operation
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The code, parsed from the body's `message`.
    pub fn code(&self) -> &ErrorCode {
        &self.code
    }
    /// The body's `message` as sent.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The server's request id, if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: HTTP {} {}: {}",
            self.operation,
            self.status,
            self.code,
            error_hint(&self.code)
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Input refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    field: &'static str,
    reason: String,
}

impl InvalidInput {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
    /// The field at fault.
    pub fn field(&self) -> &'static str {
        self.field
    }
    /// What is wrong and what to do.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: {} (nothing was sent)",
            self.field, self.reason
        )
    }
}

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidInput(e)
    }
}

/// Which time limit ran out, with its configured length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt took longer than the per-attempt timeout.
    Attempt(Duration),
    /// The call, retries included, took longer than its total deadline.
    Total(Duration),
    /// No connection was made within the connect timeout: nothing reached
    /// the server.
    Connect(Duration),
    /// A time limit of the reqwest client given to
    /// [`ClientBuilder::reqwest_client`](crate::ClientBuilder::reqwest_client)
    /// ran out; its length is that client's setting, unknown here.
    ReqwestClient,
}

/// A call that ran out of time.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    pub(crate) operation: OperationId,
    pub(crate) kind: TimeoutKind,
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
    pub(crate) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl TimeoutError {
    /// Which limit ran out.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }
    /// Time spent on the call, from its start to this error.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out: ", self.operation)?;
        match self.kind {
            TimeoutKind::Attempt(d) => write!(f, "an attempt exceeded {d:?}")?,
            TimeoutKind::Total(d) => write!(f, "the call's total deadline exceeded {d:?}")?,
            TimeoutKind::Connect(d) => write!(
                f,
                "no connection was made within the {d:?} connect timeout (nothing reached the server)"
            )?,
            TimeoutKind::ReqwestClient => {
                f.write_str("a time limit set on the supplied reqwest client ran out")?
            }
        }
        write!(
            f,
            " after {} attempt(s) in {:?}; raise the timeout or try again later",
            self.attempts, self.elapsed
        )
    }
}

/// Whether a transport failure could have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection was never made (refused, DNS): nothing reached the server.
    Connect,
    /// The connection failed during the exchange: the server may have acted.
    Exchange,
}

/// A request that could not be sent or whose response could not be read.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) operation: OperationId,
    pub(crate) kind: TransportKind,
    pub(crate) attempts: u32,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// Whether the request may have reached the server.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TransportKind::Connect => write!(f, "{} failed: could not connect to the server after {} attempt(s); check the base URL and the network", self.operation, self.attempts),
            TransportKind::Exchange => write!(f, "{} failed: the connection broke during the exchange after {} attempt(s); the server may have acted, check before repeating a call that creates something", self.operation, self.attempts),
        }
    }
}

/// A response the spec does not describe: HTML, an empty or malformed body,
/// an undocumented status, a redirect.
#[derive(Debug, Clone)]
pub struct UnexpectedResponse {
    pub(crate) operation: OperationId,
    pub(crate) status: Option<u16>,
    pub(crate) reason: String,
    pub(crate) snippet: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) too_large: Option<unleashx_api::hooks::BodyTooLarge>,
    pub(crate) drift: Option<unleashx_api::drift::DriftError>,
}

impl UnexpectedResponse {
    /// The HTTP status, when known.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// What was wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// The start of the body (at most 200 characters, long tokens blanked),
    /// for error responses only.
    pub fn snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }
    /// Whether the body was larger than the 1 MiB the client reads. Only the
    /// client decides this: no header or body a server sends can fake it.
    pub fn is_body_too_large(&self) -> bool {
        self.too_large.is_some()
    }
    /// How the response departed from the spec, when strict mode refused it.
    pub fn drift(&self) -> Option<&[unleashx_api::drift::Deviation]> {
        self.drift.as_ref().map(|d| d.deviations())
    }
}

/// An [`Error::UnexpectedResponse`]; the retry layer sets the attempts.
pub(crate) fn unexpected(
    operation: OperationId,
    status: Option<u16>,
    reason: impl Into<String>,
    snippet: Option<String>,
    request_id: Option<String>,
) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        operation,
        status,
        reason: reason.into(),
        snippet,
        request_id,
        attempts: 0,
        too_large: None,
        drift: None,
    }))
}

/// The [`Error::UnexpectedResponse`] for a body over the client's cap.
pub(crate) fn body_too_large(
    operation: OperationId,
    cap: unleashx_api::hooks::BodyTooLarge,
    request_id: Option<String>,
) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        operation,
        status: Some(cap.status()),
        reason: cap.to_string(),
        snippet: None,
        request_id,
        attempts: 0,
        too_large: Some(cap),
        drift: None,
    }))
}

/// The [`Error::UnexpectedResponse`] for a response strict mode refused.
pub(crate) fn drifted(drift: unleashx_api::drift::DriftError, request_id: Option<String>) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        operation: drift.operation(),
        status: Some(drift.status()),
        reason: drift.to_string(),
        snippet: None,
        request_id,
        attempts: 0,
        too_large: None,
        drift: Some(drift),
    }))
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} got an unexpected response", self.operation)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        write!(f, ": {}", self.reason)?;
        if let Some(snippet) = &self.snippet {
            write!(f, "; body starts: {snippet:?}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        f.write_str("; check the base URL points at the UnleashX API, or retry later")
    }
}

/// A configuration the client refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    reason: String,
}

impl ConfigError {
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "client configuration refused: {}", self.reason)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}
