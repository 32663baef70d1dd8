//! What a failed attempt means: the error to report, whether a repeat may
//! help, and how long the server asked to wait.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use unleashx_api::catalogue::OperationId;
use unleashx_api::hooks::BodyTooLarge;
use unleashx_api::types;

use crate::drift::DriftError;
use crate::error::{
    body_too_large, drifted, transient, unexpected, ApiError, Error, InvalidInput, TimeoutError,
    TimeoutKind, TransportError, TransportKind,
};
use crate::retry::{is_transient_status, retry_after, Retry};

/// The most of an unexpected body that is read, and the most that is shown.
const BODY_READ_LIMIT: usize = 64 * 1024;
const SNIPPET_CHARS: usize = 200;

/// A failed attempt, classified.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) retry: Retry,
    pub(crate) retry_after: Option<Duration>,
}

impl Failure {
    /// An error no repeat can cure.
    pub(crate) fn fatal(error: Error) -> Self {
        Self {
            error,
            retry: Retry::No,
            retry_after: None,
        }
    }

    /// An error answered with `status`: retried if the status is transient.
    fn for_status(error: Error, status: u16, retry_after: Option<Duration>) -> Self {
        Self {
            error,
            retry: Retry::for_status(status),
            retry_after,
        }
    }
}

/// A failure of the generated client.
pub(crate) async fn classify(
    operation: OperationId,
    e: unleashx_api::Error<types::ApiError>,
    connect_timeout: Option<Duration>,
    start: Instant,
) -> Failure {
    use unleashx_api::Error as G;
    match e {
        G::ErrorResponse(rv) => {
            let status = rv.status().as_u16();
            let request_id = request_id(rv.headers());
            let after = header_retry_after(rv.headers());
            if is_transient_status(status) {
                let error = transient(operation, status, after, request_id);
                return Failure::for_status(error, status, after);
            }
            api_failure(
                operation,
                status,
                &rv.into_inner().message,
                request_id,
                after,
            )
        }
        G::UnexpectedResponse(response) => unexpected_response(operation, response).await,
        G::CommunicationError(e) | G::InvalidUpgrade(e) | G::ResponseBodyError(e) => {
            hook_failure(operation, &e, None)
                .unwrap_or_else(|| transport(operation, e, connect_timeout, start))
        }
        G::InvalidResponsePayload(bytes, e) => {
            let reason = if bytes.is_empty() {
                "the body is empty, not the documented JSON".to_owned()
            } else if bytes.trim_ascii_start().starts_with(b"<") {
                "the body is HTML, not the documented JSON".to_owned()
            } else {
                // The serde error names only the place, never the value: a
                // success body may hold a token.
                format!(
                    "the body does not match the spec ({:?} error at line {} column {})",
                    e.classify(),
                    e.line(),
                    e.column()
                )
            };
            Failure::fatal(unexpected(operation, None, reason, None, None))
        }
        // Raised by a hook of the generated client; ours raise none today.
        G::Custom(reason) => {
            let reason = format!("a hook of the generated client failed the call: {reason}");
            Failure::fatal(unexpected(operation, None, reason, None, None))
        }
        G::InvalidRequest(reason) => {
            Failure::fatal(Error::from(InvalidInput::new("request", reason)).in_call(operation))
        }
    }
}

pub(crate) fn api_failure(
    operation: OperationId,
    status: u16,
    message: &str,
    request_id: Option<String>,
    after: Option<Duration>,
) -> Failure {
    let error = Error::Api(Box::new(ApiError {
        operation,
        status,
        code: message.into(),
        message: message.to_owned(),
        request_id,
        attempts: 0,
    }));
    Failure::for_status(error, status, after)
}

async fn unexpected_response(operation: OperationId, mut response: reqwest::Response) -> Failure {
    let status = response.status().as_u16();
    let request_id = request_id(response.headers());
    let after = header_retry_after(response.headers());
    // "Not now", whatever the body: retried like a timeout, never an error code.
    if is_transient_status(status) {
        let error = transient(operation, status, after, request_id);
        return Failure::for_status(error, status, after);
    }
    if response.status().is_redirection() {
        let to = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| reqwest::Url::parse(l).ok())
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|| "another location".to_owned());
        let reason = format!("a redirect to {to}, which the client does not follow so that the token never leaves the configured origin");
        let error = unexpected(operation, Some(status), reason, None, request_id);
        return Failure::fatal(error);
    }
    let mut body = Vec::new();
    while body.len() < BODY_READ_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => match hook_failure(operation, &e, request_id.clone()) {
                Some(failure) => return failure,
                None => break,
            },
        }
    }
    // An error body in the API's shape carries a code whatever status it has.
    if !response.status().is_success() {
        if let Ok(api) = serde_json::from_slice::<types::ApiError>(&body) {
            return api_failure(operation, status, &api.message, request_id, after);
        }
    }
    let (reason, snippet) = if response.status().is_success() {
        (
            format!("status {status} is not documented for this operation"),
            None,
        )
    } else if body.is_empty() {
        ("an error status with an empty body".to_owned(), None)
    } else {
        (
            "an error status with a body that is not the API's error JSON".to_owned(),
            Some(snippet(&body)),
        )
    };
    let error = unexpected(operation, Some(status), reason, snippet, request_id);
    Failure::for_status(error, status, after)
}

/// A failure the client's own hooks raised while the body was read: the
/// size cap, or a drifting response in strict mode. Neither is retried: a
/// repeat would be as large, and the server would answer the same.
fn hook_failure(
    operation: OperationId,
    e: &reqwest::Error,
    request_id: Option<String>,
) -> Option<Failure> {
    let error = match (BodyTooLarge::find(e), DriftError::find(e)) {
        (Some(cap), _) => body_too_large(operation, *cap, request_id),
        (None, Some(drift)) => drifted(drift.clone(), request_id),
        (None, None) => return None,
    };
    Some(Failure::fatal(error))
}

/// A reqwest error. The only time limit this crate sets inside reqwest is the
/// connect timeout; any other comes from a supplied reqwest client.
fn transport(
    operation: OperationId,
    e: reqwest::Error,
    connect_timeout: Option<Duration>,
    start: Instant,
) -> Failure {
    let (kind, retry) = if e.is_connect() {
        (TransportKind::Connect, Retry::Always)
    } else {
        (TransportKind::Exchange, Retry::IfIdempotent)
    };
    let error = if e.is_timeout() {
        Error::Timeout(Box::new(TimeoutError {
            operation,
            kind: connect_timeout.map_or(TimeoutKind::ReqwestClient, TimeoutKind::Connect),
            attempts: 0,
            elapsed: start.elapsed(),
            source: Some(Arc::new(e.without_url())),
        }))
    } else {
        Error::Transport(Box::new(TransportError {
            operation,
            kind,
            attempts: 0,
            source: Some(Box::new(e.without_url())),
        }))
    };
    Failure {
        error,
        retry,
        retry_after: None,
    }
}

fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    unleashx_api::headers::request_id(headers).map(|v| v.chars().take(128).collect())
}

fn header_retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    retry_after(value, SystemTime::now())
}

/// The start of a body, bounded, with long token-like runs blanked out.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_CHARS * 4)]);
    let text: String = text.chars().take(SNIPPET_CHARS).collect();
    let separator = |c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c));
    let mut out = String::new();
    // Each piece is a run of token characters and the separator ending it.
    for word in text.split_inclusive(separator) {
        let core = word.trim_end_matches(separator);
        out.push_str(if core.len() >= 24 { "<redacted>" } else { core });
        out.push_str(&word[core.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn snippets_are_bounded_and_blank_long_tokens() {
        let long = "a".repeat(10_000);
        assert!(snippet(long.as_bytes()).len() <= 200);
        let body = "<html>502 Bad Gateway token=359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9</html>";
        let s = snippet(body.as_bytes());
        assert!(s.contains("502 Bad Gateway"), "{s}");
        assert!(!s.contains("359b83f4"), "{s}");
        assert_eq!(snippet("é".repeat(500).as_bytes()).chars().count(), 200);
    }
}
