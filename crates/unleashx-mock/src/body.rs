//! Reading request bodies: size, content type, JSON syntax, and the
//! documented field aliases. Every problem becomes the API's JSON error.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{Map, Value};
use unleashx_api::catalogue::{ErrorCode, OperationId};

use crate::drift::Drifts;
use crate::respond::Refusal;

/// The largest request body accepted (64 KiB); larger bodies get 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON object body.
pub(crate) type Object = Map<String, Value>;

/// Whether the content type is JSON (`application/json` or `*/*+json`, any parameters).
fn is_json(headers: &HeaderMap) -> bool {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn buffered(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Refusal> {
    body.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)) => {
            Refusal::Http(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::InvalidRequest)
        }
        _ => Refusal::invalid_request(),
    })
}

fn parse_object(bytes: &[u8]) -> Result<Object, Refusal> {
    serde_json::from_slice(bytes).map_err(|_| Refusal::invalid_request())
}

/// Reads a whole body of at most [`BODY_LIMIT`] bytes, for fault injection
/// that matches a body field; the problems a handler would refuse are refused
/// alike (413 over the limit, else 400).
pub(crate) async fn read(body: axum::body::Body) -> Result<Bytes, Refusal> {
    axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        let over = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.into_inner().is::<http_body_util::LengthLimitError>();
        if over {
            Refusal::Http(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::InvalidRequest)
        } else {
            Refusal::invalid_request()
        }
    })
}

/// A body the operation needs: JSON content type (else 415), at most
/// [`BODY_LIMIT`] bytes (else 413), a JSON object (else 400).
pub(crate) fn required(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Object, Refusal> {
    let bytes = buffered(body)?;
    if !is_json(headers) {
        return Err(Refusal::Http(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::InvalidRequest,
        ));
    }
    parse_object(&bytes)
}

/// A body the operation does not need (generate-token, verify): none (zero
/// bytes) is fine whatever the content type; anything else must be a JSON
/// object, whose fields are ignored.
pub(crate) fn optional(body: Result<Bytes, BytesRejection>) -> Result<(), Refusal> {
    let bytes = buffered(body)?;
    if bytes.is_empty() {
        return Ok(());
    }
    parse_object(&bytes).map(|_| ())
}

/// For each field of `op`'s request body with aliases in the spec
/// (`x-unleashx-aliases`): moves the first non-null of the field, then its
/// aliases in order, into the field and removes the aliases. A `null` counts
/// as absent.
pub(crate) fn normalize(map: &mut Object, op: OperationId) {
    for (canonical, aliases) in op.aliases() {
        let mut chosen = None;
        for name in std::iter::once(canonical).chain(*aliases) {
            let value = map.remove(*name).filter(|v| !v.is_null());
            chosen = chosen.or(value);
        }
        if let Some(v) = chosen {
            map.insert((*canonical).to_owned(), v);
        }
    }
}

/// The credential: `None` when absent or blank; a value that is not visible
/// ASCII becomes an (always invalid) empty string. Which header carries it is
/// the drifts' choice (`token`, as the spec says, unless drifting).
pub(crate) fn credential(drifts: Drifts, headers: &HeaderMap) -> Option<String> {
    let value = drifts.credential(headers)?;
    if value.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    Some(
        std::str::from_utf8(value)
            .ok()
            .filter(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_graphic() || b == b' ' || b == b'\t')
            })
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn alias_precedence() {
        let mut m = json!({"customer_salt": "c", "customerid": "b"})
            .as_object()
            .cloned()
            .unwrap();
        normalize(&mut m, OperationId::GetTokenByCustomerId);
        assert_eq!(Value::Object(m), json!({"customer_id": "b"}));
        let mut m = json!({"customer_id": null, "customer_salt": "c"})
            .as_object()
            .cloned()
            .unwrap();
        normalize(&mut m, OperationId::GetTokenByCustomerId);
        assert_eq!(Value::Object(m), json!({"customer_id": "c"}));
        let mut m = json!({"customer_id": "a", "customer_salt": "c"})
            .as_object()
            .cloned()
            .unwrap();
        normalize(&mut m, OperationId::GetTokenByCustomerId);
        assert_eq!(Value::Object(m), json!({"customer_id": "a"}));
    }
}
