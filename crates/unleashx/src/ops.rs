//! The parameters of each operation's [`Request`], and the handle methods that build them.
//!
//! These types name what a `Request<P>` will do; they are built by the client
//! methods (`Client::login`, `ApiClient::customer_token`, ...), not by hand.
//! Each names its operation in the spec's catalogue ([`Operation::ID`]),
//! which says whether a blind retry is safe (`x-unleashx-retry`).
//!
//! Wrapping a new operation of the spec takes two places, both here: its
//! line in the `Wrapped` table (the compiler asks for it by name), and one
//! block with its type, its [`Operation`] impl and the handle method that
//! builds it (`cargo test --test operations_table` asks for the method by
//! name).

use std::num::NonZeroU64;

use unleashx_api::catalogue::limits::{
    GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MAXIMUM as MAX_EXPIRATION_DAYS,
    GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MINIMUM as MIN_EXPIRATION_DAYS,
};
use unleashx_api::catalogue::{EachOperation, ErrorCode, OperationId};
use unleashx_api::types;

use crate::context::Context;
use crate::error::{unexpected, Error, InvalidInput};
use crate::execute::{sealed, AttemptResult, Success};
pub use crate::execute::{AttemptError, Operation};
use crate::handles::{ApiClient, Client, LoginSession};
use crate::models::{
    CustomerToken, NewCustomer, OnboardedCustomer, OtpRequested, TokenDetails, TokenStatus,
};
use crate::request::Request;
use crate::CustomerId;
use unleashx_api::secret::{ApiToken, Otp};

/// The handle method(s) wrapping each operation, as `Type::method`: one
/// entry per operation of the spec, so a new one does not compile until it
/// is wrapped. [`crate::wrapped`] reads it.
pub(crate) struct Wrapped;

impl EachOperation for Wrapped {
    type Output = &'static str;
    fn login(&self) -> &'static str {
        "Client::request_otp, Client::login"
    }
    fn generate_token(&self) -> &'static str {
        "LoginSession::generate_api_token"
    }
    fn get_token(&self) -> &'static str {
        "LoginSession::latest_api_token"
    }
    fn verify_token(&self) -> &'static str {
        "ApiClient::verify"
    }
    fn onboard_user(&self) -> &'static str {
        "ApiClient::onboard"
    }
    fn get_token_by_customer_id(&self) -> &'static str {
        "ApiClient::customer_token"
    }
}

/// The method that wraps `op`, as `Type::method`.
///
/// Every operation of the spec has one: the table behind this function
/// implements the catalogue's `EachOperation`, so a new operation in
/// `openapi.yaml` stops this crate compiling until it is wrapped.
///
/// ```
/// use unleashx::OperationId;
/// assert_eq!(unleashx::wrapped(OperationId::VerifyToken), "ApiClient::verify");
/// ```
pub fn wrapped(op: OperationId) -> &'static str {
    op.dispatch(&Wrapped)
}

/// A non-blank string, checked by the spec's `NonBlankString`.
fn non_blank(field: &'static str, value: &str, what: &str) -> Result<types::NonBlankString, Error> {
    value
        .parse()
        .map_err(|_| InvalidInput::new(field, format!("is blank; pass {what}")).into())
}

fn empty_body() -> types::EmptyObject {
    types::EmptyObject(serde_json::Map::new())
}

/// Login step 1: ask the server to send an OTP.
#[derive(Debug, Clone)]
pub struct RequestOtp {
    pub(crate) username: String,
}

impl sealed::Sealed for RequestOtp {}
impl Operation for RequestOtp {
    type Output = OtpRequested;
    const ID: OperationId = OperationId::Login;
    type Input = types::LoginRequest;

    fn input(&self) -> Result<Self::Input, Error> {
        Ok(types::LoginRequest {
            username: non_blank("username", &self.username, "the account's email")?,
            otp: None,
        })
    }

    async fn attempt(input: &Self::Input, ctx: &Context) -> AttemptResult<Self::Output> {
        let rv = ctx.api().login().body(input.clone()).send().await?;
        Success::decode(rv, |r| Ok(OtpRequested { message: r.message }))
    }
}

impl Client {
    /// Login step 1: the server sends a one-time password to `username`.
    ///
    /// ```no_run
    /// # async fn f(client: unleashx::Client) -> Result<(), unleashx::Error> {
    /// let sent = client.request_otp("user@example.com").await?;
    /// assert_eq!(sent.message, "OTP_SENT");
    /// # Ok(()) }
    /// ```
    pub fn request_otp(&self, username: impl Into<String>) -> Request<RequestOtp> {
        let username = username.into();
        Request::new(self.anonymous(), RequestOtp { username })
    }
}

/// Login step 2: exchange the OTP for a login session.
#[derive(Debug, Clone)]
pub struct Login {
    pub(crate) username: String,
    pub(crate) otp: Otp,
}

impl sealed::Sealed for Login {}
impl Operation for Login {
    type Output = LoginSession;
    const ID: OperationId = OperationId::Login;
    type Input = types::LoginRequest;

    fn input(&self) -> Result<Self::Input, Error> {
        if self.otp.expose_secret().trim().is_empty() {
            let reason = "is empty; pass the one-time password the first login step sent";
            return Err(InvalidInput::new("otp", reason).into());
        }
        Ok(types::LoginRequest {
            username: non_blank("username", &self.username, "the account's email")?,
            otp: Some(self.otp.clone()),
        })
    }

    async fn attempt(input: &Self::Input, ctx: &Context) -> AttemptResult<Self::Output> {
        let rv = ctx.api().login().body(input.clone()).send().await?;
        let status = Some(rv.status().as_u16());
        Success::decode(rv, |r| match r.token {
            Some(token) => LoginSession::new(ctx.shared(), token),
            None => {
                let reason = format!("the server answered {:?} without a login token", r.message);
                Err(unexpected(Self::ID, status, reason, None, None))
            }
        })
    }
}

impl Client {
    /// Login step 2: exchanges the OTP for a [`LoginSession`].
    ///
    /// ```no_run
    /// # async fn f(client: unleashx::Client) -> Result<(), unleashx::Error> {
    /// let session = client.login("user@example.com", "123456").await?;
    /// # Ok(()) }
    /// ```
    pub fn login(&self, username: impl Into<String>, otp: impl Into<Otp>) -> Request<Login> {
        let (username, otp) = (username.into(), otp.into());
        Request::new(self.anonymous(), Login { username, otp })
    }
}

/// generate-token: mint a new API token from the login session.
#[derive(Debug, Clone)]
pub struct GenerateToken(pub(crate) ());

impl sealed::Sealed for GenerateToken {}
impl Operation for GenerateToken {
    type Output = ApiToken;
    const ID: OperationId = OperationId::GenerateToken;
    type Input = ();

    fn input(&self) -> Result<(), Error> {
        Ok(())
    }

    async fn attempt(_: &(), ctx: &Context) -> AttemptResult<Self::Output> {
        let rv = ctx.api().generate_token().body(empty_body()).send().await?;
        Success::decode(rv, |r| Ok(r.token))
    }
}

impl LoginSession {
    /// generate-token: mints a new API token. Never retried once it may have
    /// reached the server: a repeat would mint a second token.
    ///
    /// ```no_run
    /// # async fn f(session: unleashx::LoginSession) -> Result<(), unleashx::Error> {
    /// let token = session.generate_api_token().await?;
    /// let api = session.client().with_api_token(token)?;
    /// # Ok(()) }
    /// ```
    pub fn generate_api_token(&self) -> Request<GenerateToken> {
        Request::new(self.ctx.clone(), GenerateToken(()))
    }
}

/// get-token: the account's most recent API token.
#[derive(Debug, Clone)]
pub struct LatestToken(pub(crate) ());

impl sealed::Sealed for LatestToken {}
impl Operation for LatestToken {
    type Output = TokenDetails;
    const ID: OperationId = OperationId::GetToken;
    type Input = ();

    fn input(&self) -> Result<(), Error> {
        Ok(())
    }

    async fn attempt(_: &(), ctx: &Context) -> AttemptResult<Self::Output> {
        let rv = ctx.api().get_token().send().await?;
        Success::decode(rv, |r| Ok(r.data))
    }
}

impl LoginSession {
    /// get-token: the most recent API token, with the account's email and workspace.
    ///
    /// ```no_run
    /// # async fn f(session: unleashx::LoginSession) -> Result<(), unleashx::Error> {
    /// let latest = session.latest_api_token().await?;
    /// println!("{} in {}: {:?}", latest.email, latest.workspace_name, latest.token);
    /// # Ok(()) }
    /// ```
    pub fn latest_api_token(&self) -> Request<LatestToken> {
        Request::new(self.ctx.clone(), LatestToken(()))
    }
}

/// verify: is the API token live?
#[derive(Debug, Clone)]
pub struct Verify(pub(crate) ());

impl sealed::Sealed for Verify {}
impl Operation for Verify {
    type Output = TokenStatus;
    const ID: OperationId = OperationId::VerifyToken;
    type Input = ();

    fn input(&self) -> Result<(), Error> {
        Ok(())
    }

    async fn attempt(_: &(), ctx: &Context) -> AttemptResult<Self::Output> {
        match ctx.api().verify_token().body(empty_body()).send().await {
            Ok(rv) => Success::decode(rv, |_| Ok(TokenStatus::Valid)),
            // The spec's status for a dead token is verify's answer, not a failure.
            Err(unleashx_api::Error::ErrorResponse(rv))
                if Self::ID.status_of(&ErrorCode::InvalidApiToken)
                    == Some(rv.status().as_u16()) =>
            {
                Success::decode(rv, |e| Ok(TokenStatus::Invalid(ErrorCode::from(e.message))))
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl ApiClient {
    /// verify: whether this handle's API token is live. A dead token is
    /// `Ok(TokenStatus::Invalid(..))`, not an error.
    ///
    /// ```no_run
    /// # async fn f(api: unleashx::ApiClient) -> Result<(), unleashx::Error> {
    /// if !api.verify().await?.is_valid() {
    ///     eprintln!("the API token is dead: mint a new one");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn verify(&self) -> Request<Verify> {
        Request::new(self.ctx.clone(), Verify(()))
    }
}

/// users/onboard: create a customer.
#[derive(Debug, Clone)]
pub struct Onboard {
    pub(crate) customer: NewCustomer,
}

impl sealed::Sealed for Onboard {}
impl Operation for Onboard {
    type Output = OnboardedCustomer;
    const ID: OperationId = OperationId::OnboardUser;
    type Input = types::OnboardUserRequest;

    fn input(&self) -> Result<Self::Input, Error> {
        let c = &self.customer;
        let not_email = "is not an email address (one `@`, text on both sides, no spaces); pass the new user's email";
        Ok(types::OnboardUserRequest {
            email_id: c
                .email
                .trim()
                .parse()
                .map_err(|_| InvalidInput::new("email", not_email))?,
            first_name: non_blank("first_name", &c.first_name, "the new user's first name")?,
            last_name: non_blank("last_name", &c.last_name, "the new user's last name")?,
            company_name: non_blank("company_name", &c.company_name, "the new company's name")?,
        })
    }

    async fn attempt(input: &Self::Input, ctx: &Context) -> AttemptResult<Self::Output> {
        let rv = ctx.api().onboard_user().body(input.clone()).send().await?;
        Success::decode(rv, |r| {
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

impl ApiClient {
    /// users/onboard: creates a customer (user, company, workspace) and
    /// returns its customer id. Not retried once it may have reached the server.
    ///
    /// ```no_run
    /// # async fn f(api: unleashx::ApiClient) -> Result<(), unleashx::Error> {
    /// use unleashx::NewCustomer;
    /// let customer = api.onboard(NewCustomer::new("jo@example.com", "Jo", "Doe", "Acme Corp")).await?;
    /// println!("customer id {}", customer.customer_id);
    /// # Ok(()) }
    /// ```
    pub fn onboard(&self, customer: NewCustomer) -> Request<Onboard> {
        Request::new(self.ctx.clone(), Onboard { customer })
    }
}

/// users/gettokenbycustomerid: mint an API token for a customer.
#[derive(Debug, Clone)]
pub struct MintCustomerToken {
    pub(crate) customer_id: String,
    pub(crate) name: Option<String>,
    pub(crate) expiration_days: Option<u32>,
}

impl sealed::Sealed for MintCustomerToken {}
impl Operation for MintCustomerToken {
    type Output = CustomerToken;
    const ID: OperationId = OperationId::GetTokenByCustomerId;
    type Input = types::GetTokenByCustomerIdRequest;

    fn input(&self) -> Result<Self::Input, Error> {
        let customer_id = self.customer_id.parse::<CustomerId>()?.into_generated();
        let out_of_range = match self.expiration_days.map(i64::from) {
            Some(days) if days < MIN_EXPIRATION_DAYS => Some(format!(
                "is {days}; pass at least {MIN_EXPIRATION_DAYS} day(s)"
            )),
            Some(days) if days > MAX_EXPIRATION_DAYS => {
                Some(format!("is {days}; the most is {MAX_EXPIRATION_DAYS} days"))
            }
            _ => None,
        };
        if let Some(reason) = out_of_range {
            let reason = format!("{reason}, or no expiry for a token that never expires");
            return Err(InvalidInput::new("expiration_days", reason).into());
        }
        if let Some(name) = &self.name {
            non_blank("name", name, "a token name, or no name at all")?;
        }
        Ok(types::GetTokenByCustomerIdRequest {
            customer_id,
            name: self.name.clone(),
            expiration_days: self.expiration_days.and_then(|d| NonZeroU64::new(d.into())),
        })
    }

    async fn attempt(input: &Self::Input, ctx: &Context) -> AttemptResult<Self::Output> {
        let call = ctx.api().get_token_by_customer_id().body(input.clone());
        let rv = call.send().await?;
        Success::decode(rv, |r| {
            Ok(CustomerToken {
                customer_id: r.customerid,
                token: r.customer_api_key,
                name: r.name,
                expires_unix: r.expires,
            })
        })
    }
}

impl ApiClient {
    /// users/gettokenbycustomerid: mints an API token for a customer. Set
    /// `.name(..)` and `.expires_in_days(..)` on the request. The id is checked
    /// (12 digits) before anything is sent. Not retried once it may have
    /// reached the server: earlier tokens are not revoked, so a repeat would
    /// leave two live tokens.
    ///
    /// ```no_run
    /// # async fn f(api: unleashx::ApiClient) -> Result<(), unleashx::Error> {
    /// let minted = api.customer_token("048372910564").name("My API Token").expires_in_days(30).await?;
    /// let customer_api = api.with_api_token(minted.token)?;
    /// # Ok(()) }
    /// ```
    pub fn customer_token(&self, customer_id: impl AsRef<str>) -> Request<MintCustomerToken> {
        Request::new(
            self.ctx.clone(),
            MintCustomerToken {
                customer_id: customer_id.as_ref().to_owned(),
                name: None,
                expiration_days: None,
            },
        )
    }
}

impl Request<MintCustomerToken> {
    /// A friendly name for the token.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.params.name = Some(name.into());
        self
    }

    /// Days until the token expires, from the spec's
    /// [minimum](unleashx_api::catalogue::limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MINIMUM)
    /// to its [maximum](unleashx_api::catalogue::limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MAXIMUM)
    /// (1 day to 100 years). Without it the token never expires.
    pub fn expires_in_days(mut self, days: u32) -> Self {
        self.params.expiration_days = Some(days);
        self
    }
}
