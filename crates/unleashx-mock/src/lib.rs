//! A stateful local simulator of the UnleashX token and user API, for tests
//! and demos.
//!
//! It serves every operation of `openapi.yaml` at the path and method the
//! generated catalogue ([`unleashx_api::catalogue`]) gives, keeps accounts,
//! OTPs, login sessions and API tokens in memory, answers every body through
//! the generated [`unleashx_api::types`] and every error with an
//! [`ErrorCode`] and the status the spec gives it on that operation, and lets
//! a test control time ([`Clock`]), inject failures ([`Faults`]) and make it
//! drift from the spec in named ways ([`Drift`]).
//!
//! Operations are named by the catalogue's `OperationId`, re-exported here as
//! [`Operation`].
//!
//! # Quickstart
//!
//! ```
//! use unleashx_api::{auth::Auth, types, Client};
//! use unleashx_mock::{MockServer, DEMO_EMAIL, DEMO_OTP};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let server = MockServer::start().await?; // 127.0.0.1, a free port
//!     let client = Client::new(&server.base_url(), Auth::none());
//!
//!     // Login step 1 asks for an OTP; the demo account's OTP is always 123456.
//!     let step1 = client
//!         .login()
//!         .body(types::LoginRequest { username: DEMO_EMAIL.parse()?, otp: None })
//!         .send()
//!         .await?;
//!     assert_eq!(step1.message, "OTP_SENT");
//!
//!     let step2 = client
//!         .login()
//!         .body(types::LoginRequest {
//!             username: DEMO_EMAIL.parse()?,
//!             otp: Some(DEMO_OTP.into()),
//!         })
//!         .send()
//!         .await?;
//!     assert_eq!(step2.message, "LOGGEDIN");
//!
//!     server.shutdown().await;
//!     Ok(())
//! }
//! ```
//!
//! # In a test: fixtures, failures, counters
//!
//! [`Fixtures`] and [`AccountFixture`] build the starting accounts in code
//! ([`Fixtures::default`] is the demo account, [`DEMO_EMAIL`]);
//! [`MockServer::issue_api_token`] and [`MockServer::issue_login_token`]
//! hand out tokens without the login steps. [`MockServer::faults`] fails the
//! next requests to an operation ([`Faults::fail_next`]) or one chosen
//! request, by its number or a field of its body ([`Faults::fail`] with a
//! [`Target`]), and adds latency. [`MockServer::requests`] counts the
//! requests per operation and [`MockServer::max_in_flight`] the most answered
//! at once.
//!
//! ```
//! use unleashx_api::{auth::Auth, types, Client};
//! use unleashx_mock::{Failure, MockServer, Operation, StatusCode, Target, DEMO_CUSTOMER_SALT, DEMO_EMAIL};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let server = MockServer::start().await?;
//!     let token = server.issue_api_token(DEMO_EMAIL).ok_or("no demo account")?;
//!     let client = Client::new(&server.base_url(), Auth::token(&token)?);
//!     server.faults().fail(
//!         Operation::GetTokenByCustomerId,
//!         Target::body_field("customer_id", DEMO_CUSTOMER_SALT),
//!         Failure::Status(StatusCode::SERVICE_UNAVAILABLE, None),
//!     )?;
//!     let mint = || {
//!         client.get_token_by_customer_id().body(types::GetTokenByCustomerIdRequest {
//!             customer_id: DEMO_CUSTOMER_SALT.parse().expect("12 digits"),
//!             name: None,
//!             expiration_days: None,
//!         })
//!     };
//!     let failed = mint().send().await.expect_err("the injected 503");
//!     assert_eq!(failed.status().map(|s| s.as_u16()), Some(503));
//!     mint().send().await?; // the failure is used up
//!     assert_eq!(server.requests(Operation::GetTokenByCustomerId), 2);
//!     assert_eq!(server.max_in_flight(), 1);
//!     Ok(())
//! }
//! ```
//!
//! The crate README holds a longer example; the `unleashx` crate's module
//! `testing` shows a tool built on it tested end to end.
//!
//! # Choices where the documentation is silent
//!
//! See the crate's `README.md`; in short: login step 1 answers `OTP_SENT` for
//! unknown usernames too (no user enumeration), OTPs are single-use and live
//! 10 minutes, invalid and expired login tokens both give
//! `INVALID_LOGIN_TOKEN`, earlier API tokens are never revoked, and when
//! several `customer_id` aliases are sent the first non-null of `customer_id`,
//! `customerid`, `customer_salt` wins (for onboard the snake_case name wins
//! over its camelCase alias).
#![deny(missing_docs)]

mod body;
pub mod cli;
mod clock;
mod drift;
mod faults;
pub mod fixtures;
mod handlers;
mod in_flight;
mod random;
mod respond;
mod routes;
mod server;
mod state;

pub use body::BODY_LIMIT;
pub use clock::Clock;
pub use drift::{Drift, UnknownDrift, EXTRA_FIELD, RENAMED_INVALID_API_TOKEN};
pub use faults::{Failure, FaultError, Faults, InjectedFault, RetryAfter, Target, UndeclaredCode};
pub use fixtures::{
    AccountFixture, Fixtures, FixturesError, TokenFixture, DEMO_CUSTOMER_SALT, DEMO_EMAIL,
    DEMO_OTP, DEMO_WORKSPACE,
};
pub use routes::{router, REQUEST_ID_HEADER};
pub use server::{listening_line, serve, shutdown_signal, MockServer, MockServerBuilder};
pub use state::{MockState, OTP_LIFETIME};
pub use unleashx_api::catalogue::{ErrorCode, OperationId as Operation};

/// The status code type used by [`Faults::fail_next`] (re-exported from axum's `http`).
pub use axum::http::StatusCode;

/// The README's examples, compiled and run as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
