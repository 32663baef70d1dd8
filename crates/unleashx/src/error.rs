//! The one error type, and what it carries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
            Error::UnexpectedResponse(e) => e
                .too_large
                .as_ref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
            _ => None,
        }
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $hint:literal;)*) => {
        /// An error code the API sends in `message`.
        ///
        /// Codes the docs list, codes the spec assumes where the docs are
        /// silent (see `openapi.yaml`), and [`ErrorCode::Unknown`] for any other.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this version of the crate does not know.
            Unknown(String),
        }

        impl ErrorCode {
            /// The code as the API sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                    ErrorCode::Unknown(code) => code,
                }
            }

            /// What to do about it.
            pub fn hint(&self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $hint,)*
                    ErrorCode::Unknown(_) => "an error code this client does not know; see the server's message and the API docs",
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $($code => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }
        }
    };
}

error_codes! {
    /// The `token` header with the login token is missing.
    LoginTokenRequired = "LOGIN_TOKEN_REQUIRED", "send a login token (log in with an OTP first)";
    /// The login token is invalid or expired.
    InvalidLoginToken = "INVALID_LOGIN_TOKEN", "log in again with a new OTP to get a fresh login token";
    /// The login session expired (listed for generate-token).
    SessionExpired = "SESSIONEXPIRED", "log in again with a new OTP";
    /// No API token has been generated for this account yet.
    NoApiTokenFound = "NO_API_TOKEN_FOUND", "generate one first (generate-token)";
    /// No active, non-blocked customer has this id.
    CustomerIdNotFound = "CUSTOMER_ID_NOT_FOUND", "check the customer id (the customer_salt onboarding returned) and that the customer is not blocked";
    /// The customer has no active workspace.
    WorkspaceNotFound = "WORKSPACE_NOT_FOUND", "the customer needs an active workspace before a token can be minted";
    /// `expiration_days` is not a positive integer.
    InvalidExpirationDays = "INVALID_EXPIRATION_DAYS", "pass a whole number of days of at least 1, or none for a token that never expires";
    /// The email is already registered.
    EmailAlreadyRegistered = "EMAIL_ALREADY_REGISTERED", "use another email, or mint a token for the existing customer";
    /// (Assumed code) the username is missing from the login call.
    UsernameRequired = "USERNAME_REQUIRED", "pass the account's email as the username";
    /// (Assumed code) the OTP is wrong, expired or already used.
    InvalidOtp = "INVALID_OTP", "request a new OTP and use it once";
    /// (Assumed code) the `token` header with the API token is missing.
    ApiTokenRequired = "API_TOKEN_REQUIRED", "send an API token";
    /// (Assumed code) the API token is invalid or expired.
    InvalidApiToken = "INVALID_API_TOKEN", "use a live API token (generate a new one if it expired)";
    /// (Assumed code) the company name is already taken.
    CompanyAlreadyExists = "COMPANY_ALREADY_EXISTS", "choose another company name";
    /// (Assumed code) the email's domain is not accepted.
    RestrictedEmailDomain = "RESTRICTED_EMAIL_DOMAIN", "use an email on another domain";
    /// (Assumed code) the request body is not valid.
    InvalidRequest = "INVALID_REQUEST", "check the request's fields against the API docs";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error the API answered with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
}

impl ApiError {
    /// The operation id, as in `openapi.yaml`.
    pub fn operation(&self) -> &'static str {
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
            self.code.hint()
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
    pub(crate) operation: &'static str,
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
    pub(crate) operation: &'static str,
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
    pub(crate) operation: &'static str,
    pub(crate) status: Option<u16>,
    pub(crate) reason: String,
    pub(crate) snippet: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) too_large: Option<unleashx_api::hooks::BodyTooLarge>,
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
}

/// An [`Error::UnexpectedResponse`]; the retry layer sets the attempts.
pub(crate) fn unexpected(
    operation: &'static str,
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
    }))
}

/// The [`Error::UnexpectedResponse`] for a body over the client's cap.
pub(crate) fn body_too_large(
    operation: &'static str,
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
