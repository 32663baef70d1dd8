//! The one layer that runs a call: attempts, timeouts, retries, metadata and
//! tracing, for every operation alike.

use std::future::Future;
use std::time::{Duration, Instant};

use tracing::Instrument;
use unleashx_api::catalogue::OperationId;
use unleashx_api::types;

use crate::classify::{classify, Failure};
use crate::context::{CallOptions, Context};
use crate::error::{Error, TimeoutError, TimeoutKind};
use crate::meta::{Received, Response, ResponseMeta};
use crate::retry::{Retry, RetryPolicy};

pub(crate) mod sealed {
    pub trait Sealed {}
}

/// An operation a [`Request`](crate::Request) can carry. Sealed.
pub trait Operation: sealed::Sealed + Send + Sync + 'static {
    /// What the call returns.
    type Output: Send + 'static;
    /// The operation in the spec's catalogue: its id, and whether a blind
    /// retry is safe ([`OperationId::retry_safe`]).
    const ID: OperationId;
    /// The checked request body, built once before the first attempt.
    #[doc(hidden)]
    type Input: Send + Sync;
    #[doc(hidden)]
    fn input(&self) -> Result<Self::Input, Error>;
    #[doc(hidden)]
    fn attempt<'a>(
        input: &'a Self::Input,
        ctx: &'a Context,
    ) -> impl Future<Output = AttemptResult<Self::Output>> + Send + 'a;
}

/// What one attempt gives back to the retry loop.
#[doc(hidden)]
pub type AttemptResult<T> = Result<Success<T>, AttemptError>;

/// A decoded success, with the response's status and headers.
#[doc(hidden)]
pub struct Success<T> {
    pub(crate) value: T,
    pub(crate) received: Received,
}

impl<T> Success<T> {
    /// Decodes `response` with `map`, keeping its status and headers.
    pub(crate) fn decode<R: std::fmt::Debug>(
        response: unleashx_api::ResponseValue<R>,
        map: impl FnOnce(R) -> Result<T, Error>,
    ) -> AttemptResult<T> {
        let (raw, received) = Received::split(response);
        let value = map(raw).map_err(AttemptError::Final)?;
        Ok(Success { value, received })
    }
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

/// Runs `params` with retries under the call's deadlines. The span is made
/// only when a subscriber records it.
pub(crate) async fn run<P: Operation>(
    ctx: &Context,
    params: &P,
    options: CallOptions,
) -> Result<Response<P::Output>, Error> {
    let input = params.input().map_err(|e| e.in_call(P::ID))?;
    let input = &input;
    run_attempts(ctx, P::ID, options, move || P::attempt(input, ctx)).await
}

/// Runs `attempt` as the call of `id`: the loop every operation shares,
/// also for a call whose operation is known only at run time.
pub(crate) async fn run_attempts<T, Fut>(
    ctx: &Context,
    id: OperationId,
    options: CallOptions,
    attempt: impl Fn() -> Fut,
) -> Result<Response<T>, Error>
where
    Fut: Future<Output = AttemptResult<T>>,
{
    let span = tracing::info_span!(
        "unleashx.call",
        operation = id.as_str(),
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty
    );
    if span.is_disabled() {
        return attempts(ctx, id, options, &attempt).await.0;
    }
    let (result, attempts, elapsed) = attempts(ctx, id, options, &attempt)
        .instrument(span.clone())
        .await;
    span.record("attempts", attempts);
    span.record("elapsed_ms", elapsed.as_millis() as u64);
    let status = match &result {
        Ok(r) => Some(r.meta().status()),
        Err(e) => e.status(),
    };
    span.record("status", status);
    if let Err(e) = &result {
        span.in_scope(|| tracing::debug!(error = %e, "failed"));
    }
    result
}

/// The attempt loop; gives back the result, the attempts made and the time.
async fn attempts<T, Fut>(
    ctx: &Context,
    id: OperationId,
    options: CallOptions,
    attempt_once: &impl Fn() -> Fut,
) -> (Result<Response<T>, Error>, u32, Duration)
where
    Fut: Future<Output = AttemptResult<T>>,
{
    let shared = ctx.shared();
    let policy: RetryPolicy = options.retry.unwrap_or(shared.retry);
    let total = options.total.unwrap_or(shared.timeouts.total);
    let per_attempt = options.attempt.unwrap_or(shared.timeouts.attempt);
    let start = Instant::now();
    let deadline = start + total;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let limit = per_attempt.min(deadline.saturating_duration_since(Instant::now()));
        tracing::debug!(attempt, "sending");
        let failure = match tokio::time::timeout(limit, attempt_once()).await {
            Ok(Ok(success)) => {
                let elapsed = start.elapsed();
                let meta = ResponseMeta {
                    received: success.received,
                    attempts: attempt,
                    elapsed,
                };
                return (Ok(Response::new(success.value, meta)), attempt, elapsed);
            }
            Ok(Err(AttemptError::Final(error))) => Failure::fatal(error),
            Ok(Err(AttemptError::Generated(e))) => {
                classify(id, *e, shared.connect_timeout, start).await
            }
            Err(_) => {
                let kind = if limit < per_attempt {
                    TimeoutKind::Total(total)
                } else {
                    TimeoutKind::Attempt(per_attempt)
                };
                let error = Error::Timeout(Box::new(TimeoutError {
                    operation: id,
                    kind,
                    attempts: 0,
                    elapsed: start.elapsed(),
                    source: None,
                }));
                Failure {
                    error,
                    retry: Retry::IfIdempotent,
                    retry_after: None,
                }
            }
        };
        let mut error = failure.error;
        error.set_attempts(attempt);
        if attempt >= policy.attempts() || !failure.retry.allowed(id.retry_safe()) {
            return (Err(error), attempt, start.elapsed());
        }
        let wait = policy
            .backoff(attempt)
            .max(failure.retry_after.unwrap_or_default());
        if Instant::now() + wait >= deadline {
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "no time left to retry"
            );
            return (Err(error), attempt, start.elapsed());
        }
        tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
        tokio::time::sleep(wait).await;
    }
}
