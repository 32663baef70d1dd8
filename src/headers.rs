//! The header names the layers above the client share: the credential's, and
//! the request id's.

use reqwest::header::{HeaderMap, HeaderName};

pub use crate::auth::TOKEN_HEADER;

/// The header a server's request id comes in, and the one the simulator sends.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every header a request id is read from, most common first.
pub const REQUEST_ID_HEADERS: [HeaderName; 2] = [REQUEST_ID, HeaderName::from_static("request-id")];

/// The request id in `headers` (the first of [`REQUEST_ID_HEADERS`] present
/// whose value is text).
///
/// ```
/// use reqwest::header::{HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.insert("request-id", HeaderValue::from_static("req-7"));
/// assert_eq!(unleashx_api::headers::request_id(&headers), Some("req-7"));
/// ```
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
}
