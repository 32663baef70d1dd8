//! The three handles: [`Client`] (no credential), [`LoginSession`] (login
//! token) and [`ApiClient`] (API token), and how each is made from another.
//! The operations each offers are in `ops.rs`; its configuration in
//! `config.rs`.

use std::fmt;
use std::sync::Arc;

use unleashx_api::auth::Auth;

use crate::context::{Context, Shared};
use crate::error::{Error, InvalidInput};
use unleashx_api::secret::{ApiToken, LoginToken};

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
    pub(crate) shared: Arc<Shared>,
}

impl Client {
    pub(crate) fn from_shared(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// A context sending no credential.
    pub(crate) fn anonymous(&self) -> Context {
        Context::new(&self.shared, Auth::none())
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// A handle for the API-token operations, on this client's pool.
    pub fn with_api_token(&self, token: impl Into<ApiToken>) -> Result<ApiClient, Error> {
        let token = token.into();
        Ok(ApiClient {
            ctx: Context::new(&self.shared, auth(token.expose_secret(), "API token")?),
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
        self.shared.api(Auth::none())
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
    pub(crate) ctx: Context,
    token: LoginToken,
}

impl LoginSession {
    pub(crate) fn new(shared: &Arc<Shared>, token: LoginToken) -> Result<Self, Error> {
        Ok(Self {
            ctx: Context::new(shared, auth(token.expose_secret(), "login token")?),
            token,
        })
    }

    /// The login token.
    pub fn login_token(&self) -> &LoginToken {
        &self.token
    }

    /// The client this session was made from (same pool, no credential).
    pub fn client(&self) -> Client {
        Client::from_shared(Arc::clone(self.ctx.shared()))
    }

    /// The generated client underneath, sending the login token. See [`Client::raw`].
    pub fn raw(&self) -> &unleashx_api::Client {
        self.ctx.api()
    }
}

impl fmt::Debug for LoginSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSession")
            .field("base_url", &self.ctx.shared().base_url)
            .field("token", &self.token)
            .finish()
    }
}

/// The operations that need an API token.
#[derive(Clone)]
pub struct ApiClient {
    pub(crate) ctx: Context,
    token: ApiToken,
}

impl ApiClient {
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
        Client::from_shared(Arc::clone(self.ctx.shared()))
    }

    /// The generated client underneath, sending the API token. See [`Client::raw`].
    pub fn raw(&self) -> &unleashx_api::Client {
        self.ctx.api()
    }
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.ctx.shared().base_url)
            .field("token", &self.token)
            .finish()
    }
}
