//! What a call runs with: the settings every handle of one client shares,
//! the generated client sending a handle's credential, and per-call options.

use std::sync::Arc;
use std::time::Duration;

use unleashx_api::auth::Auth;

use crate::retry::RetryPolicy;
use crate::timeouts::Timeouts;

/// What every handle made from one `Client` shares, the connection pool
/// included.
pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) timeouts: Timeouts,
    /// The connect timeout `http` applies: `None` for a supplied client.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) http: reqwest::Client,
    /// Drift from the spec, seen by every handle made from one `Client`.
    pub(crate) drift: Arc<crate::drift::DriftRecorder>,
}

impl Shared {
    /// The generated client on this pool, sending `auth` and checking each
    /// response for drift.
    pub(crate) fn api(&self, auth: Auth) -> unleashx_api::Client {
        let auth = auth.with_check(Arc::clone(&self.drift) as _);
        unleashx_api::Client::new_with_client(&self.base_url, self.http.clone(), auth)
    }
}

/// A handle's generated client (its credential) with the shared settings.
/// One `Arc`, so that each request clones one counter.
#[derive(Clone)]
#[doc(hidden)]
pub struct Context(Arc<Bound>);

struct Bound {
    api: unleashx_api::Client,
    shared: Arc<Shared>,
}

impl Context {
    pub(crate) fn new(shared: &Arc<Shared>, auth: Auth) -> Self {
        Self(Arc::new(Bound {
            api: shared.api(auth),
            shared: Arc::clone(shared),
        }))
    }

    /// The generated client, sending the handle's credential.
    pub(crate) fn api(&self) -> &unleashx_api::Client {
        &self.0.api
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.0.shared
    }
}

/// The per-call options' builder methods, the same on `Request` and `JsonCall`.
macro_rules! call_options {
    () => {
        /// The total deadline for this call, retries included.
        pub fn timeout(mut self, limit: std::time::Duration) -> Self {
            self.options.total = Some(limit);
            self
        }

        /// The limit on each attempt of this call.
        pub fn attempt_timeout(mut self, limit: std::time::Duration) -> Self {
            self.options.attempt = Some(limit);
            self
        }

        /// The retry policy for this call (a blind retry still needs the
        /// operation to be [retry safe](crate::OperationId::retry_safe)).
        pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
            self.options.retry = Some(policy);
            self
        }
    };
}
pub(crate) use call_options;

/// Per-call overrides of the client's settings.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallOptions {
    pub(crate) total: Option<Duration>,
    pub(crate) attempt: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}
