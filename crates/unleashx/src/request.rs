//! A call about to be made: per-call options, then `.await` or `send`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use crate::context::{CallOptions, Context};
use crate::error::Error;
use crate::execute::{self, Operation};
use crate::meta::Response;
use crate::retry::RetryPolicy;

/// One operation's call, ready to send.
///
/// Await it for the value, or call [`Request::send_with_meta`] for the value
/// with status, headers, request id, attempts and elapsed time. Options set
/// here override the client's for this call only.
///
/// ```no_run
/// # async fn f(api: unleashx::ApiClient) -> Result<(), unleashx::Error> {
/// use std::time::Duration;
/// let status = api.verify().timeout(Duration::from_secs(5)).await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<P> {
    pub(crate) ctx: Context,
    pub(crate) params: P,
    pub(crate) options: CallOptions,
}

impl<P: Operation> Request<P> {
    pub(crate) fn new(ctx: Context, params: P) -> Self {
        Self {
            ctx,
            params,
            options: CallOptions::default(),
        }
    }

    /// The total deadline for this call, retries included.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.options.total = Some(limit);
        self
    }

    /// The limit on each attempt of this call.
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.options.attempt = Some(limit);
        self
    }

    /// The retry policy for this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sends the call and returns its value.
    pub async fn send(self) -> Result<P::Output, Error> {
        execute::run(&self.ctx, &self.params, self.options)
            .await
            .map(Response::into_inner)
    }

    /// Sends the call and returns its value with the response metadata.
    pub async fn send_with_meta(self) -> Result<Response<P::Output>, Error> {
        execute::run(&self.ctx, &self.params, self.options).await
    }
}

impl<P: Operation> IntoFuture for Request<P> {
    type Output = Result<P::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<P: std::fmt::Debug> std::fmt::Debug for Request<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("params", &self.params)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
