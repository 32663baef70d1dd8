//! A call about to be made: per-call options, then `.await` or `send`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use crate::context::{CallOptions, Context};
use crate::error::Error;
use crate::execute::{self, Operation};
use crate::meta::Response;

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

    crate::context::call_options!();

    /// Sends the call and returns its value.
    pub async fn send(self) -> Result<P::Output, Error> {
        self.send_with_meta().await.map(Response::into_inner)
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
