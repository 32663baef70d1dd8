//! The operations each handle offers, one method per operation of the spec.
//! [`wrapped`] names the method for each operation (from the table in
//! `ops.rs`, which a new operation of the spec breaks until it is wrapped).

use unleashx_api::catalogue::OperationId;

use crate::handles::{ApiClient, Client, LoginSession};
use crate::models::NewCustomer;
use crate::ops::{
    GenerateToken, LatestToken, Login, MintCustomerToken, Onboard, RequestOtp, Verify, Wrapped,
};
use crate::request::Request;
use unleashx_api::secret::Otp;

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
        Request::new(
            self.anonymous(),
            RequestOtp {
                username: username.into(),
            },
        )
    }

    /// Login step 2: exchanges the OTP for a [`LoginSession`].
    ///
    /// ```no_run
    /// # async fn f(client: unleashx::Client) -> Result<(), unleashx::Error> {
    /// let session = client.login("user@example.com", "123456").await?;
    /// # Ok(()) }
    /// ```
    pub fn login(&self, username: impl Into<String>, otp: impl Into<Otp>) -> Request<Login> {
        Request::new(
            self.anonymous(),
            Login {
                username: username.into(),
                otp: otp.into(),
            },
        )
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
