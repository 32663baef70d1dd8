//! progenitor's `ClientHooks` for [`Client`]: the `token` header, a cap on
//! response bodies, and a [`ResponseCheck`] handed each body before it is
//! decoded (how the `unleashx` crate checks responses against the spec).
//!
//! They can only be implemented here, in the crate that defines `Client`
//! (the orphan rule).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::auth::{Auth, TOKEN_HEADER};
use crate::catalogue::OperationId;
use crate::Client;

/// A look at each response before it is decoded, set on an [`Auth`] with
/// [`Auth::with_check`]: the `unleashx` crate's drift check, or a tool's
/// own observation of the responses.
pub trait ResponseCheck: Send + Sync {
    /// Looks at the response of `operation`: its `status`, its whole `body`
    /// (at most [`MAX_RESPONSE_BODY`]; a larger one is refused before any
    /// check), and whether the request carried the credential header. An
    /// `Err` fails the call: reading the body then fails with a
    /// `reqwest::Error` whose source chain holds the error.
    fn check(
        &self,
        operation: OperationId,
        status: u16,
        body: &[u8],
        sent_credential: bool,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;
}

/// The largest response body read, in bytes. The API's bodies are well under
/// 1 KiB; a larger one is refused rather than buffered, so a broken or hostile
/// server cannot exhaust memory.
pub const MAX_RESPONSE_BODY: u64 = 1024 * 1024;

/// Why reading a response body failed: it is larger than
/// [`MAX_RESPONSE_BODY`].
///
/// A response over the cap keeps its status and headers, but reading its body
/// fails with a `reqwest::Error` (an [`Error::ResponseBodyError`] from the
/// generated client) whose source is this type. Only this crate makes one, so
/// a server cannot forge it; [`BodyTooLarge::find`] looks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTooLarge {
    status: reqwest::StatusCode,
}

impl BodyTooLarge {
    /// The status of the response whose body was refused.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The cap that was exceeded, in bytes.
    pub fn limit(&self) -> u64 {
        MAX_RESPONSE_BODY
    }

    /// The `BodyTooLarge` in `error`'s source chain, if any.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyTooLarge> {
        crate::in_source_chain(error)
    }
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response body is larger than the 1 MiB this client reads")
    }
}

impl std::error::Error for BodyTooLarge {}

impl ClientHooks<Auth> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        if let Some(token) = &self.inner.token {
            request.headers_mut().insert(TOKEN_HEADER, token.clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let sent_credential = request.headers().contains_key(TOKEN_HEADER);
        let mut response = self.client().execute(request).await?;
        let checked = self
            .inner
            .check
            .as_ref()
            .and_then(|c| Some((c, OperationId::from_operation_id(info.operation_id)?)));
        match response.content_length() {
            // With a declared length, hyper stops at it: nothing to buffer
            // here, unless the body is checked.
            Some(length) if length <= MAX_RESPONSE_BODY && checked.is_none() => {
                return Ok(response)
            }
            Some(length) if length > MAX_RESPONSE_BODY => return Ok(refuse(response)),
            _ => {}
        }
        let body = match read_capped(&mut response).await? {
            Some(body) => body,
            None => return Ok(refuse(response)),
        };
        if let Some((check, operation)) = checked {
            let status = response.status().as_u16();
            if let Err(error) = check.check(operation, status, &body, sent_credential) {
                return Ok(rebuild(response, reqwest::Body::wrap(Failing(Some(error)))));
            }
        }
        Ok(rebuild(response, body.into()))
    }
}

/// The whole body, or `None` when it is larger than [`MAX_RESPONSE_BODY`].
/// A body in one chunk (the usual case) is kept without copying.
async fn read_capped(response: &mut reqwest::Response) -> reqwest::Result<Option<bytes::Bytes>> {
    let Some(first) = response.chunk().await? else {
        return Ok(Some(bytes::Bytes::new()));
    };
    if first.len() as u64 > MAX_RESPONSE_BODY {
        return Ok(None);
    }
    let Some(second) = response.chunk().await? else {
        return Ok(Some(first));
    };
    let mut body = Vec::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if (body.len() + chunk.len()) as u64 > MAX_RESPONSE_BODY {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(Some(body.into()))
}

/// `response` with a body that fails with [`BodyTooLarge`] when read.
fn refuse(response: reqwest::Response) -> reqwest::Response {
    let status = response.status();
    rebuild(
        response,
        reqwest::Body::wrap(Failing(Some(BodyTooLarge { status }))),
    )
}

/// `response`'s status, version, headers and URL with `body`.
fn rebuild(mut response: reqwest::Response, body: reqwest::Body) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    // Carrying the URL over also spares reqwest parsing a placeholder one.
    let Ok(mut rebuilt) = http::Response::builder()
        .url(response.url().clone())
        .body(body)
    else {
        unreachable!("a builder given only a URL extension cannot fail")
    };
    *rebuilt.status_mut() = response.status();
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = std::mem::take(response.headers_mut());
    reqwest::Response::from(rebuilt)
}

/// A body that fails with `E` when read.
struct Failing<E>(Option<E>);

impl<E: Unpin> http_body::Body for Failing<E> {
    type Data = &'static [u8];
    type Error = E;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Poll::Ready(self.get_mut().0.take().map(Err))
    }
}
