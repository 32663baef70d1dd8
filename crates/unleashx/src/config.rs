//! Building a [`Client`]: base URL, timeouts, retries, user agent.

use std::sync::Arc;
use std::time::Duration;

use crate::context::Shared;
use crate::env;
use crate::error::{ConfigError, Error};
use crate::handles::{ApiClient, Client, LoginSession};
use crate::retry::RetryPolicy;
use crate::timeouts::Timeouts;

/// The production origin every documented example uses.
pub const DEFAULT_BASE_URL: &str = "https://www.tryunleashx.com";

/// Builds a [`Client`]; see [`Client::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    timeouts: Timeouts,
    retry: RetryPolicy,
    app: Option<String>,
    allow_http: bool,
    http: Option<reqwest::Client>,
    strict: bool,
    /// Where the base URL came from, for its error messages.
    base_url_from: &'static str,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            app: None,
            allow_http: false,
            http: None,
            strict: false,
            base_url_from: "ClientBuilder::base_url",
        }
    }
}

impl ClientBuilder {
    /// The API's origin, such as `https://www.tryunleashx.com` or the
    /// simulator's `http://127.0.0.1:PORT`: scheme, host and port only. A
    /// trailing slash is dropped; a path, a query or a fragment is a
    /// [`Error::Config`] when the client is built, since each operation's
    /// path is added to the origin.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.timeouts.connect = limit;
        self
    }

    /// The limit on one attempt.
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.timeouts.attempt = limit;
        self
    }

    /// The limit on a whole call, retries included.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeouts.total = limit;
        self
    }

    /// The retry policy; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// An application name appended to the user agent (`unleashx-rs/VERSION APP`).
    pub fn app_name(mut self, app: impl Into<String>) -> Self {
        self.app = Some(app.into());
        self
    }

    /// Allows plain `http://` to hosts other than loopback. Off by default:
    /// tokens would cross the network in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Uses this reqwest 0.13 client (its pool, proxy, TLS settings) instead
    /// of building one. The builder's connect timeout and user agent then do
    /// not apply, and the client's redirect policy is yours to keep at
    /// "none", so that a redirect never carries the token to another origin.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Strict mode: a response that departs from `openapi.yaml` (an
    /// undocumented field, status or error code, a code with another status)
    /// fails the call with an [`Error::UnexpectedResponse`] whose
    /// [`drift`](crate::UnexpectedResponse::drift) lists how. Off by default:
    /// drift is only recorded ([`Client::drift`]) and logged. Either way a
    /// transient answer (408, 429, 502, 503, 504) is not drift: it is an
    /// [`Error::Transient`], retried by the same rules.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_base_url(&self.base_url, self.base_url_from, self.allow_http)?;
        self.retry.check()?;
        if self.timeouts.attempt.is_zero() || self.timeouts.total.is_zero() {
            return Err(ConfigError::new("timeouts must be longer than zero").into());
        }
        let connect_timeout = self.http.is_none().then_some(self.timeouts.connect);
        let http = match self.http {
            Some(http) => http,
            None => {
                check_tls(unleashx_api::tls::BACKEND, &base_url)?;
                #[cfg(feature = "rustls-ring")]
                unleashx_api::tls::install_ring_provider();
                let agent = match &self.app {
                    Some(app) => format!("unleashx-rs/{} {app}", env!("CARGO_PKG_VERSION")),
                    None => format!("unleashx-rs/{}", env!("CARGO_PKG_VERSION")),
                };
                reqwest::Client::builder()
                    .user_agent(agent)
                    .connect_timeout(self.timeouts.connect)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| {
                        ConfigError::new(format!("the HTTP client could not be built: {e}"))
                    })?
            }
        };
        Ok(Client::from_shared(Arc::new(Shared {
            base_url,
            timeouts: self.timeouts,
            connect_timeout,
            retry: self.retry,
            http,
            drift: Arc::new(crate::drift::DriftRecorder::new(self.strict)),
        })))
    }
}

/// Refuses an https base URL in a build without a TLS backend (no feature
/// `rustls`, `rustls-ring` or `native-tls`), where reqwest would fail every
/// call instead.
fn check_tls(backend: Option<&str>, base_url: &str) -> Result<(), Error> {
    if backend.is_none() && base_url.starts_with("https:") {
        let reason = "this build of unleashx has no TLS backend, so it cannot reach an https base URL: enable one of its features rustls (the default), rustls-ring or native-tls, or pass a reqwest client built with TLS to ClientBuilder::reqwest_client";
        return Err(ConfigError::new(reason).into());
    }
    Ok(())
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

    /// A client configured from `UNLEASHX_BASE_URL` ([`env::BASE_URL`]; the
    /// production origin when unset, an error when set but empty).
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = ClientBuilder::default();
        let what = format!("the API's origin, such as {DEFAULT_BASE_URL}");
        if let Some(url) = env::var(env::BASE_URL, &what)? {
            builder = builder.base_url(url);
            builder.base_url_from = env::BASE_URL;
        }
        builder.build()
    }
}

impl LoginSession {
    /// A session from `UNLEASHX_BASE_URL` and `UNLEASHX_LOGIN_TOKEN`
    /// ([`env::LOGIN_TOKEN`]).
    pub fn from_env() -> Result<Self, Error> {
        let token = env::required(
            env::LOGIN_TOKEN,
            "a login token",
            "log in with an OTP and set it to the login token",
        )?;
        Client::from_env()?.with_login_token(token)
    }
}

impl ApiClient {
    /// A handle from `UNLEASHX_BASE_URL` and `UNLEASHX_API_TOKEN`
    /// ([`env::API_TOKEN`]).
    pub fn from_env() -> Result<Self, Error> {
        let token = env::required(
            env::API_TOKEN,
            "an API token",
            "set it to an API token (generate-token makes one)",
        )?;
        Client::from_env()?.with_api_token(token)
    }
}

/// The base URL as an origin; `from` names where it came from (the builder
/// method or the environment variable).
fn check_base_url(raw: &str, from: &str, allow_http: bool) -> Result<String, Error> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        ConfigError::new(format!(
            "base URL {raw:?} from {from} is not a URL ({e}); use an origin such as {DEFAULT_BASE_URL}"
        ))
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(format!(
            "base URL from {from} must not carry credentials; pass the origin only, {}, and the token to with_api_token or with_login_token",
            url.origin().ascii_serialization()
        ))
        .into());
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_http => {}
        "http" => {
            return Err(ConfigError::new(format!(
                "base URL {raw:?} is plain http to a host that is not loopback; tokens would travel in clear text. Use https, or allow_insecure_http(true) if you must"
            ))
            .into())
        }
        other => return Err(ConfigError::new(format!("base URL scheme {other:?} is not supported; use https")).into()),
    }
    // Only the path is shown: a query or fragment may hold a secret.
    let extra = [
        (url.path() != "/").then(|| format!("a path ({})", url.path())),
        url.query().is_some().then(|| "a query".to_owned()),
        url.fragment().is_some().then(|| "a fragment".to_owned()),
    ];
    let extra: Vec<String> = extra.into_iter().flatten().collect();
    if !extra.is_empty() {
        return Err(ConfigError::new(format!(
            "the base URL from {from} has {}, but it is the API's origin: pass {} instead (each operation adds its own path, such as {})",
            extra.join(" and "),
            url.origin().ascii_serialization(),
            unleashx_api::catalogue::OperationId::VerifyToken.path()
        ))
        .into());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let check_base_url = |raw, allow| check_base_url(raw, "test", allow);
        assert_eq!(
            check_base_url("https://www.tryunleashx.com/", false).ok(),
            Some("https://www.tryunleashx.com".into())
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080", false).ok(),
            Some("http://127.0.0.1:8080".into())
        );
        assert!(check_base_url("http://[::1]:1", false).is_ok());
        assert!(check_base_url("http://localhost:1", false).is_ok());
        assert!(check_base_url("http://example.com", false).is_err());
        assert!(check_base_url("http://example.com", true).is_ok());
        assert!(check_base_url("ftp://example.com", true).is_err());
        assert!(check_base_url("not a url", false).is_err());
        assert!(check_base_url("https://u:p@example.com", false).is_err());
        for (raw, has) in [
            ("http://127.0.0.1:18080/api", "a path"),
            ("https://example.com/api/v1/global/", "a path"),
            ("https://example.com/?a=1", "a query"),
            ("https://example.com#x", "a fragment"),
            ("https://example.com/x?a=1", "a path (/x) and a query"),
        ] {
            let text = check_base_url(raw, false).expect_err(raw).to_string();
            assert!(text.contains(has), "{text}");
        }
        let text = check_base_url("http://127.0.0.1:18080/api", false)
            .expect_err("a path")
            .to_string();
        assert!(
            text.contains("pass http://127.0.0.1:18080 instead"),
            "{text}"
        );
    }
}

#[cfg(test)]
mod tls_tests {
    use super::check_tls;

    #[test]
    fn https_without_a_tls_backend_is_a_clear_config_error() {
        let err = check_tls(None, "https://www.tryunleashx.com").expect_err("no TLS");
        let text = err.to_string();
        assert!(text.contains("no TLS backend"), "{text}");
        assert!(text.contains("rustls-ring or native-tls"), "{text}");
        assert!(check_tls(None, "http://127.0.0.1:8080").is_ok());
        assert!(check_tls(Some("rustls"), "https://www.tryunleashx.com").is_ok());
    }
}
