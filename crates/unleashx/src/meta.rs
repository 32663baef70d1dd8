//! What every call can hand back besides its value.

use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use unleashx_api::ResponseValue;

/// A response's status and headers, moved out of the generated client's
/// `ResponseValue` rather than copied: every call keeps them, and only
/// `send_with_meta` hands them out.
pub(crate) struct Received(ResponseValue<()>);

impl Received {
    /// The value and the rest of `response`.
    pub(crate) fn split<T: fmt::Debug>(response: ResponseValue<T>) -> (T, Received) {
        let mut value = None;
        // `map` moves the status and headers along; it is the one way
        // progenitor's `ResponseValue` gives its headers up without a copy.
        let Ok(rest) = response.map::<(), _, Infallible>(|v| value = Some(v));
        let Some(value) = value else {
            unreachable!("ResponseValue::map calls its closure once")
        };
        (value, Received(rest))
    }

    pub(crate) fn status(&self) -> u16 {
        self.0.status().as_u16()
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        self.0.headers()
    }
}

impl Clone for Received {
    fn clone(&self) -> Self {
        let headers = self.0.headers().clone();
        Self(ResponseValue::new((), self.0.status(), headers))
    }
}

/// Status, headers, request id, attempts and time of a call.
#[derive(Clone)]
pub struct ResponseMeta {
    pub(crate) received: Received,
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
}

impl ResponseMeta {
    /// The HTTP status of the final attempt.
    pub fn status(&self) -> u16 {
        self.received.status()
    }

    /// A response header (the first, if repeated); names are case-insensitive.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.received
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
    }

    /// All response headers whose values are text.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.received
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
    }

    /// The server's request id (`x-request-id` or `request-id`), if sent.
    pub fn request_id(&self) -> Option<&str> {
        unleashx_api::headers::request_id(self.received.headers())
    }

    /// Attempts made, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time from the first send to the decoded response, waits included.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status())
            .field("headers", self.received.headers())
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// A call's value with its [`ResponseMeta`]; see `send_with_meta`.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    meta: ResponseMeta,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, meta: ResponseMeta) -> Self {
        Self { value, meta }
    }

    /// The value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The value, dropping the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Both parts.
    pub fn into_parts(self) -> (T, ResponseMeta) {
        (self.value, self.meta)
    }
}
