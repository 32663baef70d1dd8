//! Any operation of the spec by its [`OperationId`], with a JSON body and a
//! JSON answer, through the same execution layer as the typed methods:
//! the handle's credential, retries by the operation's retry safety,
//! timeouts, drift checks and the one [`Error`].

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use serde_json::Value;
use unleashx_api::catalogue::{OperationId, Security};
use unleashx_api::dispatch::JsonRequest;

use crate::context::{CallOptions, Context};
use crate::error::{Error, InvalidInput};
use crate::execute::{self, Success};
use crate::handles::{ApiClient, Client, LoginSession};
use crate::meta::Response;

/// One operation's call with a JSON body, ready to send; made by
/// `call_json` on the handle holding the credential the operation needs.
///
/// ```no_run
/// # async fn f(api: unleashx::ApiClient) -> Result<(), unleashx::Error> {
/// use unleashx::OperationId;
/// let body = serde_json::json!({"customer_id": "048372910564", "name": "CI"});
/// let answer: serde_json::Value = api.call_json(OperationId::GetTokenByCustomerId, Some(body))?.await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct JsonCall {
    ctx: Context,
    request: JsonRequest,
    options: CallOptions,
}

impl JsonCall {
    fn new(
        ctx: &Context,
        held: Security,
        operation: OperationId,
        body: Option<Value>,
    ) -> Result<Self, Error> {
        let needed = operation.security();
        if needed != held {
            let reason = match needed {
                Security::None => "takes no credential; call it on a `Client`",
                Security::LoginToken => "needs a login token; call it on a `LoginSession`",
                Security::ApiToken => "needs an API token; call it on an `ApiClient`",
            };
            return Err(InvalidInput::new("operation", format!("{operation} {reason}")).into());
        }
        let request = JsonRequest::new(operation, body).map_err(|e| {
            let place = if e.field == "." {
                "the body".to_owned()
            } else {
                format!("body field `{}`", e.field)
            };
            let reason = format!(
                "{}: {place} is refused: {}; send a body the operation's request schema in openapi.yaml allows (none for an operation without one)",
                e.operation, e.message
            );
            InvalidInput::new("body", reason)
        })?;
        Ok(Self {
            ctx: ctx.clone(),
            request,
            options: CallOptions::default(),
        })
    }

    /// The operation this call runs.
    pub fn operation(&self) -> OperationId {
        self.request.operation()
    }

    crate::context::call_options!();

    /// Sends the call and returns the success body.
    pub async fn send(self) -> Result<Value, Error> {
        self.send_with_meta().await.map(Response::into_inner)
    }

    /// Sends the call and returns the success body with the response metadata.
    pub async fn send_with_meta(self) -> Result<Response<Value>, Error> {
        let (request, ctx) = (&self.request, &self.ctx);
        let attempt = move || async move { Success::decode(request.send(ctx.api()).await?, Ok) };
        execute::run_attempts(ctx, request.operation(), self.options, attempt).await
    }
}

impl IntoFuture for JsonCall {
    type Output = Result<Value, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl std::fmt::Debug for JsonCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonCall")
            .field("operation", &self.request.operation())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The call of an operation that takes no credential, with a JSON body
    /// (none is `{}` for an operation that takes a body). A body the spec's
    /// types refuse, or an operation needing a token, is
    /// [`Error::InvalidInput`] before anything is sent.
    pub fn call_json(
        &self,
        operation: OperationId,
        body: Option<Value>,
    ) -> Result<JsonCall, Error> {
        JsonCall::new(&self.anonymous(), Security::None, operation, body)
    }
}

impl LoginSession {
    /// The call of a login-token operation with a JSON body; see [`Client::call_json`].
    pub fn call_json(
        &self,
        operation: OperationId,
        body: Option<Value>,
    ) -> Result<JsonCall, Error> {
        JsonCall::new(&self.ctx, Security::LoginToken, operation, body)
    }
}

impl ApiClient {
    /// The call of an API-token operation with a JSON body; see [`Client::call_json`].
    pub fn call_json(
        &self,
        operation: OperationId,
        body: Option<Value>,
    ) -> Result<JsonCall, Error> {
        JsonCall::new(&self.ctx, Security::ApiToken, operation, body)
    }
}
