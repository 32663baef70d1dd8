//! A typed client for the UnleashX token and user API.
//!
//! Two kinds of token, two handles: a [`LoginSession`] (login token) and an
//! [`ApiClient`] (API token) each call the operations their token allows
//! (the table below). Using the wrong kind does not compile. Errors are one
//! [`Error`] to match on, secrets never print, calls that only read are
//! retried and calls that mint, create or change something are not.
//!
//! # Quickstart
//!
//! ```no_run
//! use unleashx::{Client, NewCustomer};
//!
//! # async fn run() -> Result<(), unleashx::Error> {
//! let client = Client::new("https://www.tryunleashx.com")?;
//!
//! // Log in with a one-time password (two steps).
//! client.request_otp("user@example.com").await?;
//! let session = client.login("user@example.com", "123456").await?;
//!
//! // Mint an API token, and use it.
//! let api_token = session.generate_api_token().await?;
//! let api = client.with_api_token(api_token)?;
//! assert!(api.verify().await?.is_valid());
//!
//! // Onboard a customer and mint a 30-day token for it.
//! let customer = api.onboard(NewCustomer::new("jo@example.com", "Jo", "Doe", "Acme")).await?;
//! let minted = api.customer_token(customer.customer_id.as_str()).name("CI").expires_in_days(30).await?;
//! println!("{:?} expires {:?}", minted.token, minted.expires()); // ApiToken(<redacted>) ...
//! # Ok(()) }
//! ```
//!
//! The token kinds are checked by the compiler: a login session cannot mint
//! customer tokens, since that needs an API token.
//!
//! ```compile_fail
//! # async fn f(session: unleashx::LoginSession) {
//! session.customer_token("048372910564").await;
//! # }
//! ```
//!
//! ```compile_fail
//! # async fn f(api: unleashx::ApiClient) {
//! api.generate_api_token().await; // needs a login token
//! # }
//! ```
//!
//! Configuration: [`Client::builder`] (base URL, timeouts, retries, user
//! agent), or [`Client::from_env`], [`ApiClient::from_env`] and
//! [`LoginSession::from_env`] (`UNLEASHX_BASE_URL`, `UNLEASHX_API_TOKEN`,
//! `UNLEASHX_LOGIN_TOKEN`; named in [`env`](mod@env)). The base URL is the
//! API's origin (scheme, host, port), without a path. Only `https` is accepted, except to loopback
//! addresses (tests, the simulator) or with
//! [`ClientBuilder::allow_insecure_http`]. Redirects are not followed, so the
//! token never reaches another origin.
//!
//! # Operations
//!
#![doc = include_str!("operations.md")]
//!
//! # Errors and retries
//!
//! Every failure is one [`Error`]; [`Error::kind`] names its [`ErrorKind`]
//! (`api`, `invalid_input`, `timeout`, `transport`, `unexpected_response`,
//! `config`, `transient`) for a report, and [`Error::may_have_taken_effect`]
//! says whether the server may have acted on it. Calls that only read are
//! retried ([`RetryPolicy`]) after a timeout, a broken connection or a
//! transient answer (408, 429, 502, 503, 504, honouring `Retry-After`,
//! which [`Error::retry_after`] gives on the final error); calls that create
//! something are retried only when the connection was never made.
//!
//! # Drift
//!
//! Every response is checked against `openapi.yaml`; departures are
//! logged (WARN, target `unleashx::drift`) and listed by [`Client::drift`],
//! and [`ClientBuilder::strict`] turns them into errors. A transient answer
//! (408, 429, 502, 503, 504) is never drift, in either mode.
//! [`inspect`] reads one response the same way, for other tools (the CLI's
//! `unleashx doctor` does).
#![deny(missing_docs)]

// The modules form a chain, each using only those before it: error, env,
// meta, timeouts, customer_id, models, retry, context, handles, classify,
// execute, request, ops, dynamic, config, shape, drift. Two exceptions:
// error messages name methods through `ops::wrapped`, and the context
// holds the drift recorder.
mod classify;
mod config;
mod context;
mod customer_id;
mod drift;
mod dynamic;
pub mod env;
mod error;
mod execute;
mod handles;
mod meta;
mod models;
pub mod ops;
#[doc = include_str!("testing.md")]
pub mod testing {}
mod request;
mod retry;
mod shape;
mod timeouts;

pub use config::{ClientBuilder, DEFAULT_BASE_URL};
pub use customer_id::CustomerId;
pub use drift::{
    inspect, Deviation, DriftCount, DriftError, DriftReport, Inspection, OperationDrift,
    DRIFT_TARGET,
};
pub use dynamic::JsonCall;
pub use error::{
    error_hint, ApiError, ConfigError, Error, ErrorKind, InvalidInput, TimeoutError, TimeoutKind,
    TransientError, TransportError, TransportKind, UnexpectedResponse,
};
pub use handles::{ApiClient, Client, LoginSession};
pub use meta::{Response, ResponseMeta};
pub use models::{
    CustomerToken, NewCustomer, OnboardedCustomer, OtpRequested, TokenDetails, TokenStatus,
};
pub use ops::wrapped;
pub use request::Request;
pub use retry::RetryPolicy;
pub use timeouts::Timeouts;
pub use unleashx_api::catalogue::{ErrorCode, OperationId};
pub use unleashx_api::secret::{ApiToken, LoginToken, Otp};
/// The spec's schemas as generated: what an operation returns when the
/// wrapper adds nothing to the answer (such as [`TokenDetails`]).
pub use unleashx_api::types;

/// The workspace README's Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
