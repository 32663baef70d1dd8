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
mod random;
mod respond;
mod routes;
mod server;
mod state;

pub use body::BODY_LIMIT;
pub use clock::Clock;
pub use drift::{Drift, UnknownDrift, EXTRA_FIELD, RENAMED_INVALID_API_TOKEN};
pub use faults::{Faults, InjectedFault, RetryAfter, UndeclaredCode};
pub use fixtures::{
    AccountFixture, Fixtures, FixturesError, TokenFixture, DEMO_CUSTOMER_SALT, DEMO_EMAIL,
    DEMO_OTP, DEMO_WORKSPACE,
};
pub use routes::{router, REQUEST_ID_HEADER};
pub use server::{listening_line, serve, shutdown_signal, MockServer, MockServerBuilder};
pub use state::{MockState, OTP_LIFETIME};
pub use unleashx_api::catalogue::ErrorCode;
pub use unleashx_api::catalogue::OperationId as Operation;

/// The status code type used by [`Faults::fail_next`] (re-exported from axum's `http`).
pub use axum::http::StatusCode;
