//! The parameters of each operation's [`Request`](crate::Request).
//!
//! These types name what a `Request<P>` will do; they are built by the client
//! methods (`Client::login`, `ApiClient::customer_token`, ...), not by hand.

use std::future::Future;
use std::num::NonZeroU64;
use std::sync::Arc;

use unleashx_api::types;

use crate::error::{unexpected, Error, InvalidInput};
use crate::models::{
    CustomerToken, NewCustomer, OnboardedCustomer, OtpRequested, TokenDetails, TokenStatus,
};
use crate::request::Context;
use crate::{ApiToken, CustomerId, LoginSession, Otp};

/// What one attempt gives back to the retry layer.
#[doc(hidden)]
pub type AttemptResult<T> = Result<Success<T>, AttemptError>;

/// A decoded success, with what the metadata needs.
#[doc(hidden)]
pub struct Success<T> {
    pub(crate) value: T,
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
}

/// A failed attempt: from the generated client, or already final.
#[doc(hidden)]
pub enum AttemptError {
    Generated(Box<unleashx_api::Error<types::ApiError>>),
    Final(Error),
}

impl From<unleashx_api::Error<types::ApiError>> for AttemptError {
    fn from(e: unleashx_api::Error<types::ApiError>) -> Self {
        AttemptError::Generated(Box::new(e))
    }
}

mod private {
    pub trait Sealed {}
}

/// An operation a [`Request`](crate::Request) can carry. Sealed.
pub trait Operation: private::Sealed + Send + Sync + 'static {
    /// What the call returns.
    type Output: Send + 'static;
    /// The operation id in `openapi.yaml`.
    const ID: &'static str;
    /// Whether repeating it is harmless (it only reads).
    const IDEMPOTENT: bool;
    #[doc(hidden)]
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }
    #[doc(hidden)]
    fn attempt(
        &self,
        ctx: &Context,
        keep_headers: bool,
    ) -> impl Future<Output = AttemptResult<Self::Output>> + Send + 'static;
}

fn success<T, U>(
    rv: unleashx_api::ResponseValue<T>,
    keep_headers: bool,
    map: impl FnOnce(T) -> Result<U, Error>,
) -> Result<Success<U>, AttemptError> {
    let status = rv.status().as_u16();
    // Cloning the headers costs allocations on every call; only
    // `send_with_meta` hands them out.
    let headers = if keep_headers {
        rv.headers().clone()
    } else {
        reqwest::header::HeaderMap::new()
    };
    let value = map(rv.into_inner()).map_err(AttemptError::Final)?;
    Ok(Success {
        value,
        status,
        headers,
    })
}

fn empty_body() -> types::EmptyObject {
    types::EmptyObject(serde_json::Map::new())
}

/// The most days a customer token may live (the spec's assumed maximum).
const MAX_EXPIRATION_DAYS: u32 = 36_500;

/// A checked non-blank string for a generated request type.
fn non_blank(field: &'static str, value: &str) -> Result<types::NonBlankString, AttemptError> {
    value
        .parse()
        .map_err(|_| AttemptError::Final(InvalidInput::new(field, "is blank").into()))
}

fn non_empty(field: &'static str, value: &str, what: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(InvalidInput::new(field, format!("is empty; pass {what}")).into());
    }
    Ok(())
}

macro_rules! operation {
    // An operation whose input is checked before sending (`check_input`).
    ($name:ident, $output:ty, $id:literal, $idempotent:literal, checked) => {
        operation!(@impl $name, $output, $id, $idempotent, {
            fn check(&self) -> Result<(), Error> {
                self.check_input()
            }
        });
    };
    ($name:ident, $output:ty, $id:literal, $idempotent:literal) => {
        operation!(@impl $name, $output, $id, $idempotent, {});
    };
    (@impl $name:ident, $output:ty, $id:literal, $idempotent:literal, { $($check:tt)* }) => {
        impl private::Sealed for $name {}
        impl Operation for $name {
            type Output = $output;
            const ID: &'static str = $id;
            const IDEMPOTENT: bool = $idempotent;
            $($check)*
            fn attempt(
                &self,
                ctx: &Context,
                keep_headers: bool,
            ) -> impl Future<Output = AttemptResult<Self::Output>> + Send + 'static {
                self.run(ctx, keep_headers)
            }
        }
    };
}

/// Login step 1: ask the server to send an OTP.
#[derive(Debug, Clone)]
pub struct RequestOtp {
    pub(crate) username: String,
}
operation!(RequestOtp, OtpRequested, "login", false, checked);

impl RequestOtp {
    fn check_input(&self) -> Result<(), Error> {
        non_empty("username", &self.username, "the account's email")
    }

    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<OtpRequested>> + Send + 'static {
        let api = Arc::clone(&ctx.api);
        let username = non_blank("username", &self.username);
        async move {
            let body = types::LoginRequest {
                username: username?,
                otp: None,
            };
            let rv = api.login().body(body).send().await?;
            success(rv, keep, |r| Ok(OtpRequested { message: r.message }))
        }
    }
}

/// Login step 2: exchange the OTP for a login session.
#[derive(Debug, Clone)]
pub struct Login {
    pub(crate) username: String,
    pub(crate) otp: Otp,
}
operation!(Login, LoginSession, "login", false, checked);

impl Login {
    fn check_input(&self) -> Result<(), Error> {
        non_empty("username", &self.username, "the account's email")?;
        non_empty(
            "otp",
            self.otp.expose_secret(),
            "the one-time password the first login step sent",
        )
    }

    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<LoginSession>> + Send + 'static {
        let ctx = ctx.clone();
        let username = non_blank("username", &self.username);
        let otp = Some(self.otp.clone());
        async move {
            let body = types::LoginRequest {
                username: username?,
                otp,
            };
            let rv = ctx.api.login().body(body).send().await?;
            let status = Some(rv.status().as_u16());
            success(rv, keep, |r| match r.token {
                Some(token) => LoginSession::new(&ctx.shared, token),
                None => Err(unexpected(
                    "login",
                    status,
                    format!("the server answered {:?} without a login token", r.message),
                    None,
                    None,
                )),
            })
        }
    }
}

/// generate-token: mint a new API token from the login session.
#[derive(Debug, Clone)]
pub struct GenerateToken(pub(crate) ());
operation!(GenerateToken, ApiToken, "generate_token", false);

impl GenerateToken {
    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<ApiToken>> + Send + 'static {
        let api = Arc::clone(&ctx.api);
        async move {
            let rv = api.generate_token().body(empty_body()).send().await?;
            success(rv, keep, |r| Ok(r.token))
        }
    }
}

/// get-token: the account's most recent API token.
#[derive(Debug, Clone)]
pub struct LatestToken(pub(crate) ());
operation!(LatestToken, TokenDetails, "get_token", true);

impl LatestToken {
    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<TokenDetails>> + Send + 'static {
        let api = Arc::clone(&ctx.api);
        async move {
            let rv = api.get_token().send().await?;
            success(rv, keep, |r| {
                let d = r.data;
                Ok(TokenDetails {
                    token: d.token,
                    email: d.email,
                    workspace_name: d.workspace_name,
                })
            })
        }
    }
}

/// verify: is the API token live?
#[derive(Debug, Clone)]
pub struct Verify(pub(crate) ());
operation!(Verify, TokenStatus, "verify_token", true);

impl Verify {
    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<TokenStatus>> + Send + 'static {
        let api = Arc::clone(&ctx.api);
        async move {
            match api.verify_token().body(empty_body()).send().await {
                Ok(rv) => success(rv, keep, |_| Ok(TokenStatus::Valid)),
                // 401 is verify's documented answer for a dead token, not a failure.
                Err(unleashx_api::Error::ErrorResponse(rv)) if rv.status().as_u16() == 401 => {
                    success(rv, keep, |e| {
                        Ok(TokenStatus::Invalid(crate::ErrorCode::from(
                            e.message.as_str(),
                        )))
                    })
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// users/onboard: create a customer.
#[derive(Debug, Clone)]
pub struct Onboard {
    pub(crate) customer: NewCustomer,
}
operation!(Onboard, OnboardedCustomer, "onboard_user", false, checked);

impl Onboard {
    fn check_input(&self) -> Result<(), Error> {
        let c = &self.customer;
        non_empty("email", &c.email, "the new user's email")?;
        if !c.email.contains('@') {
            return Err(InvalidInput::new(
                "email",
                "has no `@`; pass the new user's email address",
            )
            .into());
        }
        non_empty("first_name", &c.first_name, "the new user's first name")?;
        non_empty("last_name", &c.last_name, "the new user's last name")?;
        non_empty("company_name", &c.company_name, "the new company's name")
    }

    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<OnboardedCustomer>> + Send + 'static {
        let api = Arc::clone(&ctx.api);
        let c = &self.customer;
        let body = (|| -> Result<types::OnboardUserRequest, AttemptError> {
            Ok(types::OnboardUserRequest {
                email_id: c.email.trim().parse().map_err(|_| {
                    AttemptError::Final(
                        InvalidInput::new(
                            "email",
                            "is not an email address (one `@`, text on both sides, no spaces)",
                        )
                        .into(),
                    )
                })?,
                first_name: non_blank("first_name", &c.first_name)?,
                last_name: non_blank("last_name", &c.last_name)?,
                company_name: non_blank("company_name", &c.company_name)?,
            })
        })();
        async move {
            let body = body?;
            let rv = api.onboard_user().body(body).send().await?;
            success(rv, keep, |r| {
                let d = r.data;
                Ok(OnboardedCustomer {
                    customer_id: d.customer_salt.to_string().parse()?,
                    registration_id: d.registration_id,
                    user_id: d.user_id,
                    company_id: d.company_id,
                    workspace_id: d.workspace_id,
                })
            })
        }
    }
}

/// users/gettokenbycustomerid: mint an API token for a customer.
#[derive(Debug, Clone)]
pub struct MintCustomerToken {
    pub(crate) customer_id: String,
    pub(crate) name: Option<String>,
    pub(crate) expiration_days: Option<u32>,
}
operation!(
    MintCustomerToken,
    CustomerToken,
    "get_token_by_customer_id",
    false,
    checked
);

impl MintCustomerToken {
    fn check_input(&self) -> Result<(), Error> {
        self.customer_id.parse::<CustomerId>()?;
        match self.expiration_days {
            Some(0) => {
                return Err(InvalidInput::new(
                    "expiration_days",
                    "is 0; pass at least 1 day, or no expiry for a token that never expires",
                )
                .into());
            }
            Some(days) if days > MAX_EXPIRATION_DAYS => {
                return Err(InvalidInput::new("expiration_days", format!("is {days}; the most is {MAX_EXPIRATION_DAYS} (100 years), or no expiry for a token that never expires")).into());
            }
            _ => {}
        }
        if let Some(name) = &self.name {
            non_empty("name", name, "a token name, or no name at all")?;
        }
        Ok(())
    }

    fn run(
        &self,
        ctx: &Context,
        keep: bool,
    ) -> impl Future<Output = AttemptResult<CustomerToken>> + Send + 'static {
        let api = Arc::clone(&ctx.api);
        let body = types::CustomerId::try_from(self.customer_id.as_str()).map(|customer_id| {
            types::GetTokenByCustomerIdRequest {
                customer_id,
                name: self.name.clone(),
                expiration_days: self
                    .expiration_days
                    .and_then(|d| NonZeroU64::new(u64::from(d))),
            }
        });
        async move {
            let body = body.map_err(|e| {
                AttemptError::Final(InvalidInput::new("customer_id", e.to_string()).into())
            })?;
            let rv = api.get_token_by_customer_id().body(body).send().await?;
            success(rv, keep, |r| {
                Ok(CustomerToken {
                    customer_id: r.customerid,
                    token: r.customer_api_key,
                    name: r.name,
                    expires_unix: r.expires,
                })
            })
        }
    }
}

impl crate::Request<MintCustomerToken> {
    /// A friendly name for the token.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.params.name = Some(name.into());
        self
    }

    /// Days until the token expires, from 1 to 36,500. Without it the token never expires.
    pub fn expires_in_days(mut self, days: u32) -> Self {
        self.params.expiration_days = Some(days);
        self
    }
}
