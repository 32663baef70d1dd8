//! The credential a [`Client`] sends in the `token` header.
//!
//! progenitor ignores `securitySchemes`; the hook in `hooks.rs` adds the header.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use progenitor_client::ClientInfo;
use reqwest::header::{HeaderName, HeaderValue};
use zeroize::Zeroizing;

use crate::hooks::ResponseCheck;
use crate::Client;

/// The name of the header that carries both login tokens and API tokens
/// ([`catalogue::TOKEN_HEADER`](crate::catalogue::TOKEN_HEADER), from the spec).
pub const TOKEN_HEADER: HeaderName = HeaderName::from_static(crate::catalogue::TOKEN_HEADER);

/// The credential a [`Client`] sends in the `token` header, if any, and
/// the check its responses go through ([`Auth::with_check`]).
///
/// The header value is marked sensitive, so reqwest and hyper never print it.
/// `Debug` shows only whether a token is set. Its bytes live in one buffer,
/// shared by every clone and by the requests that carry it, and zeroized when
/// the last of them is dropped; the copies reqwest and hyper make while
/// sending are not (see [`crate::secret`]).
#[derive(Clone, Default)]
pub struct Auth {
    pub(crate) token: Option<HeaderValue>,
    pub(crate) check: Option<Arc<dyn ResponseCheck>>,
}

impl Auth {
    /// No `token` header (the login endpoint, or to test a missing token).
    pub fn none() -> Self {
        Self::default()
    }

    /// Sends `token` in the `token` header.
    ///
    /// Fails when the value cannot be an HTTP header (a control character, a
    /// newline); the error does not contain the value.
    pub fn token(token: &str) -> Result<Self, InvalidToken> {
        // A `Bytes` owning a zeroizing buffer: the header value is that
        // buffer (no copy), wiped when its last user drops it.
        let wiped = Bytes::from_owner(Zeroizing::new(token.as_bytes().to_vec()));
        let mut value = HeaderValue::from_maybe_shared(wiped).map_err(|_| InvalidToken(()))?;
        value.set_sensitive(true);
        Ok(Self {
            token: Some(value),
            check: None,
        })
    }

    /// Hands every response to `check` before it is decoded. The body is
    /// then read whole, up to
    /// [`MAX_RESPONSE_BODY`](crate::hooks::MAX_RESPONSE_BODY), first.
    pub fn with_check(mut self, check: Arc<dyn ResponseCheck>) -> Self {
        self.check = Some(check);
        self
    }

    /// Whether a token is set.
    pub fn is_set(&self) -> bool {
        self.token.is_some()
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = if self.is_set() {
            "<redacted>"
        } else {
            "<none>"
        };
        f.debug_struct("Auth").field("token", &shown).finish()
    }
}

/// A token that cannot be sent as an HTTP header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidToken(());

impl fmt::Display for InvalidToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the token contains characters that cannot be sent in an HTTP header (control characters or non-visible bytes); check that it was copied whole and without a trailing newline")
    }
}

impl std::error::Error for InvalidToken {}

impl Client {
    /// A client for the same base URL and connection pool, sending `auth`.
    pub fn with_auth(&self, auth: Auth) -> Self {
        Self::new_with_client(self.baseurl(), self.client().clone(), auth)
    }

    /// The credential this client sends.
    pub fn auth(&self) -> &Auth {
        &self.inner
    }
}
