//! What the operations return.

use std::time::{Duration, SystemTime};

use crate::{ApiToken, CustomerId};

/// The first login step succeeded: the server sent an OTP.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OtpRequested {
    /// The server's message (`OTP_SENT`).
    pub message: String,
}

/// An API token with the account it belongs to (get-token): the spec's
/// `ApiTokenDetails` as generated (`token`, `email`, `workspace_name`).
pub type TokenDetails = unleashx_api::types::ApiTokenDetails;

/// What verify said of the API token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenStatus {
    /// The token is live.
    Valid,
    /// The token is unknown or expired (HTTP 401), with the server's code.
    Invalid(crate::ErrorCode),
}

impl TokenStatus {
    /// Whether the token is live.
    pub fn is_valid(&self) -> bool {
        matches!(self, TokenStatus::Valid)
    }
}

/// A customer to onboard; see [`crate::ApiClient::onboard`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewCustomer {
    /// Email of the new user; must not be registered yet.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Company name; must be unique.
    pub company_name: String,
}

impl NewCustomer {
    /// A customer with all four required fields.
    pub fn new(
        email: impl Into<String>,
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        company_name: impl Into<String>,
    ) -> Self {
        Self {
            email: email.into(),
            first_name: first_name.into(),
            last_name: last_name.into(),
            company_name: company_name.into(),
        }
    }
}

/// What onboarding created.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OnboardedCustomer {
    /// The customer id (`customer_salt`) to mint tokens with.
    pub customer_id: CustomerId,
    /// The registration record's id.
    pub registration_id: i64,
    /// The new user's id.
    pub user_id: i64,
    /// The new company's id.
    pub company_id: i64,
    /// The default workspace's id.
    pub workspace_id: i64,
}

/// A token minted for a customer (gettokenbycustomerid).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CustomerToken {
    /// The customer it was minted for.
    pub customer_id: String,
    /// The new API token.
    pub token: ApiToken,
    /// Its name, if one was given.
    pub name: Option<String>,
    pub(crate) expires_unix: Option<i64>,
}

impl CustomerToken {
    /// When the token expires; `None` when it never does.
    pub fn expires(&self) -> Option<SystemTime> {
        self.expires_unix
            .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s.max(0).unsigned_abs()))
    }

    /// The same, as Unix seconds.
    pub fn expires_unix(&self) -> Option<i64> {
        self.expires_unix
    }
}
