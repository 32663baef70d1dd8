//! What every call can hand back besides its value.

use std::time::Duration;

/// Status, headers, request id, attempts and time of a call.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) attempts: u32,
    pub(crate) elapsed: Duration,
}

impl ResponseMeta {
    /// The HTTP status of the final attempt.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header (the first, if repeated); names are case-insensitive.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// All response headers whose values are text.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
    }

    /// The server's request id (`x-request-id` or `request-id`), if sent.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-request-id")
            .or_else(|| self.header("request-id"))
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
