//! The one error type, what kind each failure is, and what it carries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use unleashx_api::catalogue::{ErrorCode, OperationId};

/// Everything that can go wrong with a call, as one type to match on.
///
/// Messages name the method called and the spec's `operationId`
/// (`ApiClient::customer_token (get_token_by_customer_id) ...`), and never
/// contain a token, an OTP or a `customer_api_key`. For a report,
/// [`Error::kind`] gives a stable name and [`Error::may_have_taken_effect`]
/// says whether the server may have acted on the call.
///
/// ```
/// # async fn f(api: unleashx::ApiClient) {
/// use unleashx::{Error, ErrorCode};
/// match api.customer_token("048372910564").await {
///     Ok(minted) => println!("expires: {:?}", minted.expires()),
///     Err(Error::Api(e)) if e.code() == &ErrorCode::CustomerIdNotFound => println!("no such customer"),
///     Err(e) if e.may_have_taken_effect() => println!("check before minting again: {e}"),
///     Err(e) if e.is_transient() => println!("try later (wait {:?}): {e}", e.retry_after()),
///     Err(e) => println!("{}: {e}", e.kind()),
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
    /// The server answered with a status that means "not now" (408, 429,
    /// 502, 503, 504), with or without a JSON body.
    Transient(Box<TransientError>),
}

/// What kind of failure an [`Error`] is, by a name that stays stable for
/// reports and logs ([`ErrorKind::as_str`]).
///
/// `transient` is a kind of its own rather than a property of the others: it
/// is the server's own answer that it cannot serve the call now (408, 429,
/// 502, 503, 504), whatever body comes with it, so it is neither an API error
/// code nor drift from the spec. A timeout or a broken connection may pass
/// too, but they keep their own kinds (`timeout`, `transport`), since
/// whether a repeat is safe depends on whether the request reached the
/// server: ask [`Error::may_have_taken_effect`].
///
/// ```
/// use unleashx::ErrorKind;
/// assert_eq!(ErrorKind::UnexpectedResponse.as_str(), "unexpected_response");
/// assert_eq!(ErrorKind::Transient.to_string(), "transient");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Api`]: `api`.
    Api,
    /// [`Error::InvalidInput`]: `invalid_input`.
    InvalidInput,
    /// [`Error::Timeout`]: `timeout`.
    Timeout,
    /// [`Error::Transport`]: `transport`.
    Transport,
    /// [`Error::UnexpectedResponse`]: `unexpected_response`.
    UnexpectedResponse,
    /// [`Error::Config`]: `config`.
    Config,
    /// [`Error::Transient`]: `transient`.
    Transient,
}

impl ErrorKind {
    /// The kind's stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::Config => "config",
            ErrorKind::Transient => "transient",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The method the user called and the spec's `operationId`, as messages
/// name them.
struct Call(OperationId);

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", crate::ops::wrapped(self.0), self.0.as_str())
    }
}

/// What to say about repeating a call that failed after it may have reached
/// the server.
fn took_effect_advice(operation: OperationId) -> String {
    format!(
        "the server may have acted on it, so do not repeat it blindly: {} mints, creates or changes something, and a repeat could act twice or answer differently; check the current state first",
        operation.as_str()
    )
}

/// `is_*` methods of [`Error`], one per variant: whether the error is it.
macro_rules! is_variant {
    ($($(#[$doc:meta])* $name:ident: $variant:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(&self) -> bool {
            matches!(self, Error::$variant(_))
        }
    )*};
}

impl Error {
    /// The kind of failure, with a stable name for reports.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(_) => ErrorKind::Api,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Transport(_) => ErrorKind::Transport,
            Error::UnexpectedResponse(_) => ErrorKind::UnexpectedResponse,
            Error::Config(_) => ErrorKind::Config,
            Error::Transient(_) => ErrorKind::Transient,
        }
    }

    /// Whether the server may have acted on the call although it failed.
    ///
    /// `false` when the request provably never reached the server (invalid
    /// input, configuration, a connection never made) or the server answered
    /// with an error status, and for calls that only read. `true` when a call
    /// that mints, creates or changes something (`x-unleashx-retry: never`
    /// in the spec) failed after its request may have been sent: a timeout
    /// or a broken connection after sending, a gateway's 502 or 504, or a
    /// success status whose body could not be used. Such a call is not
    /// retried, and should not be repeated without checking first: a
    /// repeated mint, for one, leaves two live tokens.
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            Error::Api(_) | Error::InvalidInput(_) | Error::Config(_) => false,
            Error::Timeout(e) => e.may_have_taken_effect(),
            Error::Transport(e) => e.may_have_taken_effect(),
            Error::UnexpectedResponse(e) => e.may_have_taken_effect(),
            Error::Transient(e) => e.may_have_taken_effect(),
        }
    }

    is_variant! {
        /// Whether the server answered "not now" (408, 429, 502, 503, 504): an
        /// [`Error::Transient`]. Such answers are retried like timeouts, by the
        /// same rules in strict and lenient mode, and are never drift.
        is_transient: Transient;
        /// Whether the API answered with an error code.
        is_api: Api;
        /// Whether the input was refused before sending.
        is_invalid_input: InvalidInput;
        /// Whether a timeout ended the call.
        is_timeout: Timeout;
        /// Whether a connection or I/O failure ended the call.
        is_transport: Transport;
        /// Whether the server answered with something the spec does not describe.
        is_unexpected_response: UnexpectedResponse;
        /// Whether the client configuration was refused.
        is_config: Config;
    }

    /// How long the server asked to wait (`Retry-After`, in seconds or as an
    /// HTTP date) in the answer that ended the call, for an
    /// [`Error::Transient`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Transient(e) => e.retry_after,
            _ => None,
        }
    }

    /// The operation that failed; `None` for a configuration error, or input
    /// refused before any call (an empty token).
    pub fn operation(&self) -> Option<OperationId> {
        match self {
            Error::Api(e) => Some(e.operation),
            Error::InvalidInput(e) => e.operation,
            Error::Timeout(e) => Some(e.operation),
            Error::Transport(e) => Some(e.operation),
            Error::UnexpectedResponse(e) => Some(e.operation),
            Error::Transient(e) => Some(e.operation),
            Error::Config(_) => None,
        }
    }

    /// `self`, naming `operation` if it is input refused before the call.
    pub(crate) fn in_call(mut self, operation: OperationId) -> Self {
        if let Error::InvalidInput(e) = &mut self {
            e.operation.get_or_insert(operation);
        }
        self
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
            Error::Transient(e) => Some(e.status),
            _ => None,
        }
    }

    /// The server's request id, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::UnexpectedResponse(e) => e.request_id.as_deref(),
            Error::Transient(e) => e.request_id.as_deref(),
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
            Error::Transient(e) => e.attempts,
            Error::InvalidInput(_) | Error::Config(_) => 0,
        }
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        match self {
            Error::Api(e) => e.attempts = attempts,
            Error::Timeout(e) => e.attempts = attempts,
            Error::Transport(e) => e.attempts = attempts,
            Error::UnexpectedResponse(e) => e.attempts = attempts,
            Error::Transient(e) => e.attempts = attempts,
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
            Error::Transient(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e.source.as_deref()?),
            Error::Timeout(e) => Some(e.source.as_deref()?),
            Error::UnexpectedResponse(e) => match (&e.too_large, &e.drift) {
                (Some(cap), _) => Some(cap),
                (None, drift) => drift.as_ref().map(|d| d as _),
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
        let (call, status, code) = (Call(self.operation), self.status, &self.code);
        write!(
            f,
            "{call} failed: HTTP {status} {code}: {}",
            error_hint(code)
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
    operation: Option<OperationId>,
}

impl InvalidInput {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
            operation: None,
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
        if let Some(operation) = self.operation {
            write!(f, "{}: ", Call(operation))?;
        }
        let (field, reason) = (self.field, &self.reason);
        write!(f, "invalid {field}: {reason} (nothing was sent)")
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

    fn may_have_taken_effect(&self) -> bool {
        !matches!(self.kind, TimeoutKind::Connect(_)) && !self.operation.retry_safe()
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out: ", Call(self.operation))?;
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
        let (attempts, elapsed) = (self.attempts, self.elapsed);
        write!(f, " after {attempts} attempt(s) in {elapsed:?}; ")?;
        if self.may_have_taken_effect() {
            f.write_str(&took_effect_advice(self.operation))
        } else {
            f.write_str("raise the timeout or try again later")
        }
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

    fn may_have_taken_effect(&self) -> bool {
        self.kind == TransportKind::Exchange && !self.operation.retry_safe()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TransportKind::Connect => write!(f, "{} failed: could not connect to the server after {} attempt(s) (nothing reached it); check the base URL and the network", Call(self.operation), self.attempts),
            TransportKind::Exchange if self.may_have_taken_effect() => write!(f, "{} failed: the connection broke during the exchange after {} attempt(s); {}", Call(self.operation), self.attempts, took_effect_advice(self.operation)),
            TransportKind::Exchange => write!(f, "{} failed: the connection broke during the exchange after {} attempt(s); try again later", Call(self.operation), self.attempts),
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
    pub(crate) drift: Option<crate::drift::DriftError>,
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
    /// A success status, or none known, on a call that is never retried
    /// blindly: the server may have acted on it.
    fn may_have_taken_effect(&self) -> bool {
        !self.operation.retry_safe() && self.status.is_none_or(|s| (200..300).contains(&s))
    }

    /// How the response departed from the spec, when strict mode refused it.
    pub fn drift(&self) -> Option<&[crate::drift::Deviation]> {
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
    let reason = cap.to_string();
    let mut error = unexpected(operation, Some(cap.status()), reason, None, request_id);
    if let Error::UnexpectedResponse(e) = &mut error {
        e.too_large = Some(cap);
    }
    error
}

/// The [`Error::UnexpectedResponse`] for a response strict mode refused.
pub(crate) fn drifted(drift: crate::drift::DriftError, request_id: Option<String>) -> Error {
    let (operation, status) = (drift.operation(), Some(drift.status()));
    let mut error = unexpected(operation, status, drift.to_string(), None, request_id);
    if let Error::UnexpectedResponse(e) = &mut error {
        e.drift = Some(drift);
    }
    error
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} got an unexpected response", Call(self.operation))?;
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
        if self.may_have_taken_effect() {
            write!(f, "; {}", took_effect_advice(self.operation))
        } else {
            f.write_str("; check the base URL points at the UnleashX API, or retry later")
        }
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

/// The server's "not now": a 408, 429, 502, 503 or 504, with or without a
/// JSON body.
#[derive(Debug, Clone)]
pub struct TransientError {
    pub(crate) operation: OperationId,
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
}

impl TransientError {
    /// The operation that failed.
    pub fn operation(&self) -> OperationId {
        self.operation
    }
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// How long the server asked to wait (`Retry-After`), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
    /// The server's request id, if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// A gateway's 502 or 504 may come after the server behind it acted.
    fn may_have_taken_effect(&self) -> bool {
        matches!(self.status, 502 | 504) && !self.operation.retry_safe()
    }
}

/// The [`Error::Transient`] for a "not now" status; the retry layer sets the attempts.
pub(crate) fn transient(
    operation: OperationId,
    status: u16,
    retry_after: Option<Duration>,
    request_id: Option<String>,
) -> Error {
    Error::Transient(Box::new(TransientError {
        operation,
        status,
        retry_after,
        request_id,
        attempts: 0,
    }))
}

impl fmt::Display for TransientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("a temporary failure");
        let (call, status, attempts) = (Call(self.operation), self.status, self.attempts);
        write!(
            f,
            "{call} failed: HTTP {status} {what}, a temporary failure, after {attempts} attempt(s)"
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.may_have_taken_effect() {
            return write!(f, "; {}", took_effect_advice(self.operation));
        }
        match self.retry_after {
            Some(wait) => write!(f, "; the server asked to wait {wait:?}, try again then"),
            None => f.write_str("; try again later"),
        }
    }
}
