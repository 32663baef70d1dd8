//! progenitor's `ClientHooks` for [`Client`]: the `token` header, and a cap
//! on response bodies.
//!
//! They can only be implemented here, in the crate that defines `Client`
//! (the orphan rule).

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::HeaderName;

use crate::auth::{Auth, TOKEN_HEADER};
use crate::Client;

/// The largest response body read, in bytes. The API's bodies are well under
/// 1 KiB; a larger one is refused rather than buffered, so a broken or hostile
/// server cannot exhaust memory.
pub const MAX_RESPONSE_BODY: u64 = 1024 * 1024;

/// Marks a response that `exec` refused for its size, for `post` to report.
const TOO_LARGE: HeaderName = HeaderName::from_static("x-unleashx-body-too-large");

/// The message of the [`Error::Custom`] a too-large body gives.
pub const BODY_TOO_LARGE: &str = "the response body is larger than the 1 MiB this client reads";

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
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let mut response = self.client().execute(request).await?;
        match response.content_length() {
            // With a declared length, hyper stops at it: nothing to buffer here.
            Some(length) if length <= MAX_RESPONSE_BODY => return Ok(response),
            Some(_) => return Ok(too_large()),
            None => {}
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if (body.len() + chunk.len()) as u64 > MAX_RESPONSE_BODY {
                return Ok(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = response.status();
        *rebuilt.version_mut() = response.version();
        *rebuilt.headers_mut() = std::mem::take(response.headers_mut());
        Ok(reqwest::Response::from(rebuilt))
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        match result {
            Ok(response) if response.headers().contains_key(TOO_LARGE) => {
                Err(Error::Custom(BODY_TOO_LARGE.to_owned()))
            }
            _ => Ok(()),
        }
    }
}

fn too_large() -> reqwest::Response {
    let mut marker = http::Response::new(Vec::new());
    marker
        .headers_mut()
        .insert(TOO_LARGE, reqwest::header::HeaderValue::from_static("1"));
    reqwest::Response::from(marker)
}
