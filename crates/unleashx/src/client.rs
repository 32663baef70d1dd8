//! The three handles: [`Client`] (no credential), [`LoginSession`] (login
//! token) and [`ApiClient`] (API token). Each offers only the operations its
//! credential allows, so using the wrong token kind does not compile.

use std::fmt;
use std::sync::Arc;

use unleashx_api::auth::Auth;

use crate::config::{builder_from_env, env_var, ClientBuilder, Timeouts};
use crate::error::{ConfigError, Error, InvalidInput};
use crate::models::NewCustomer;
use crate::ops::{
    GenerateToken, LatestToken, Login, MintCustomerToken, Onboard, RequestOtp, Verify,
};
use crate::request::{Context, Request};
use crate::retry::RetryPolicy;
use crate::{ApiToken, LoginToken, Otp};

/// What every handle made from one [`Client`] shares, the connection pool
/// included.
pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) timeouts: Timeouts,
    /// The connect timeout `http` applies: `None` for a supplied client.
    pub(crate) connect_timeout: Option<std::time::Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) http: reqwest::Client,
}

impl Shared {
    fn context(self: &Arc<Self>, auth: Auth) -> Context {
        Context {
            api: Arc::new(unleashx_api::Client::new_with_client(
                &self.base_url,
                self.http.clone(),
                auth,
            )),
            shared: Arc::clone(self),
        }
    }
}

fn auth(token: &str, what: &'static str) -> Result<Auth, Error> {
    if token.trim().is_empty() {
        return Err(InvalidInput::new(what, "is empty").into());
    }
    Auth::token(token).map_err(|e| InvalidInput::new(what, e.to_string()).into())
}

/// The connection to the API, without a credential: logs in, and hands out
/// [`LoginSession`]s and [`ApiClient`]s that share its connection pool.
///
/// Cloning is cheap.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

impl Client {
    /// A builder, starting from the defaults (production origin, 10 s
    /// connect, 30 s per attempt, 60 s in all, 3 attempts).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for `base_url` with the defaults.
    pub fn new(base_url: impl Into<String>) -> Result<Self, Error> {
        Self::builder().base_url(base_url).build()
    }

    /// A client configured from `UNLEASHX_BASE_URL` (the production origin when unset).
    pub fn from_env() -> Result<Self, Error> {
        builder_from_env()?.build()
    }

    pub(crate) fn from_shared(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

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
            self.shared.context(Auth::none()),
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
            self.shared.context(Auth::none()),
            Login {
                username: username.into(),
                otp: otp.into(),
            },
        )
    }

    /// A handle for the API-token operations, on this client's pool.
    pub fn with_api_token(&self, token: impl Into<ApiToken>) -> Result<ApiClient, Error> {
        let token = token.into();
        Ok(ApiClient {
            ctx: self
                .shared
                .context(auth(token.expose_secret(), "API token")?),
            token,
        })
    }

    /// A handle for the login-token operations, on this client's pool.
    pub fn with_login_token(&self, token: impl Into<LoginToken>) -> Result<LoginSession, Error> {
        LoginSession::new(&self.shared, token.into())
    }

    /// The generated client underneath, without a credential: the escape
    /// hatch to `unleashx-api` for what this crate does not wrap. Its types
    /// follow the generator and reqwest, not this crate's stability promise.
    pub fn raw(&self) -> unleashx_api::Client {
        unleashx_api::Client::new_with_client(
            &self.shared.base_url,
            self.shared.http.clone(),
            Auth::none(),
        )
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("timeouts", &self.shared.timeouts)
            .field("retry", &self.shared.retry)
            .finish()
    }
}

/// A logged-in session: the operations that need a login token.
#[derive(Clone)]
pub struct LoginSession {
    ctx: Context,
    token: LoginToken,
}

impl LoginSession {
    pub(crate) fn new(shared: &Arc<Shared>, token: LoginToken) -> Result<Self, Error> {
        Ok(Self {
            ctx: shared.context(auth(token.expose_secret(), "login token")?),
            token,
        })
    }

    /// A session from `UNLEASHX_BASE_URL` and `UNLEASHX_LOGIN_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        let token = env_var("UNLEASHX_LOGIN_TOKEN")?.ok_or_else(|| {
            ConfigError::new(
                "UNLEASHX_LOGIN_TOKEN is not set; log in with an OTP and set it to the login token",
            )
        })?;
        Client::from_env()?.with_login_token(token)
    }

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

    /// The login token.
    pub fn login_token(&self) -> &LoginToken {
        &self.token
    }

    /// The client this session was made from (same pool, no credential).
    pub fn client(&self) -> Client {
        Client::from_shared(Arc::clone(&self.ctx.shared))
    }

    /// The generated client underneath, sending the login token. See [`Client::raw`].
    pub fn raw(&self) -> &unleashx_api::Client {
        &self.ctx.api
    }
}

impl fmt::Debug for LoginSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSession")
            .field("base_url", &self.ctx.shared.base_url)
            .field("token", &self.token)
            .finish()
    }
}

/// The operations that need an API token.
#[derive(Clone)]
pub struct ApiClient {
    ctx: Context,
    token: ApiToken,
}

impl ApiClient {
    /// A handle from `UNLEASHX_BASE_URL` and `UNLEASHX_API_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        let token = env_var("UNLEASHX_API_TOKEN")?.ok_or_else(|| {
            ConfigError::new(
                "UNLEASHX_API_TOKEN is not set; set it to an API token (generate-token makes one)",
            )
        })?;
        Client::from_env()?.with_api_token(token)
    }

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

    /// A handle for another API token (a freshly minted customer token, say)
    /// on the same connection pool.
    pub fn with_api_token(&self, token: impl Into<ApiToken>) -> Result<ApiClient, Error> {
        self.client().with_api_token(token)
    }

    /// The API token.
    pub fn api_token(&self) -> &ApiToken {
        &self.token
    }

    /// The client this handle was made from (same pool, no credential).
    pub fn client(&self) -> Client {
        Client::from_shared(Arc::clone(&self.ctx.shared))
    }

    /// The generated client underneath, sending the API token. See [`Client::raw`].
    pub fn raw(&self) -> &unleashx_api::Client {
        &self.ctx.api
    }
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.ctx.shared.base_url)
            .field("token", &self.token)
            .finish()
    }
}
