//! Drift: where a response departs from `openapi.yaml`.
//!
//! Responses stay lenient (unknown fields are ignored, unknown codes become
//! [`ErrorCode::Unknown`]); a [`DriftRecorder`] set on a client's
//! [`Auth`](crate::auth::Auth) notes each departure instead, checked against
//! the generated [`catalogue`](crate::catalogue): an undocumented field, an
//! unknown error code, an undocumented status, a declared code with a status
//! the spec does not give it. Nothing recorded holds a value from the body
//! beyond field names and error codes.
//!
//! ```
//! use unleashx_api::catalogue::OperationId;
//! use unleashx_api::drift::{check, Deviation};
//!
//! let found = check(OperationId::GetToken, 401, br#"{"error":true,"message":"LOGIN_TOKEN_REQUIRED"}"#, false);
//! assert!(matches!(&found[..], [Deviation::UnexpectedStatus { status: 401, declared: Some(400), .. }]));
//! assert!(check(OperationId::VerifyToken, 200, br#"{"message":"TOKEN_VALID"}"#, false).is_empty());
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::catalogue::{ErrorCode, OperationId, ERROR_FIELDS};

/// The tracing target of drift events.
pub const TARGET: &str = "unleashx::drift";

/// The statuses that mean "not now" (408, 429, 502, 503, 504): transient,
/// whatever their body, so never drift.
pub const TRANSIENT_STATUSES: &[u16] = &[408, 429, 502, 503, 504];

/// The longest field path or code kept as sent; longer ones are cut.
const MAX_SHOWN: usize = 64;

/// One way a response departs from `openapi.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Deviation {
    /// A field the spec does not declare for this response: its dotted path
    /// only, never its value.
    UndocumentedField {
        /// The response's status.
        status: u16,
        /// The field's dotted path (`data.extra`).
        path: String,
    },
    /// An error code the spec does not declare at all.
    UnknownCode {
        /// The response's status.
        status: u16,
        /// The code as sent when it looks like one (`UPPER_SNAKE`), else a
        /// placeholder giving its length.
        code: String,
    },
    /// A status the spec does not document for the operation.
    UndocumentedStatus {
        /// The status.
        status: u16,
    },
    /// A code saying the request carried no credential (`credential-missing`
    /// in the spec), answered to a request that carried one in the spec's
    /// header: the server looks for it elsewhere.
    CredentialNotSeen {
        /// The response's status.
        status: u16,
        /// The code.
        code: ErrorCode,
    },
    /// A declared code arriving with a status the operation does not declare
    /// it with.
    UnexpectedStatus {
        /// The code.
        code: ErrorCode,
        /// The status it came with.
        status: u16,
        /// The status the spec gives it for this operation, if any.
        declared: Option<u16>,
    },
}

impl Deviation {
    /// A short name of the kind: `undocumented_field`, `unknown_code`,
    /// `undocumented_status`, `unexpected_status`, `credential_not_seen`.
    pub fn kind(&self) -> &'static str {
        match self {
            Deviation::UndocumentedField { .. } => "undocumented_field",
            Deviation::UnknownCode { .. } => "unknown_code",
            Deviation::UndocumentedStatus { .. } => "undocumented_status",
            Deviation::UnexpectedStatus { .. } => "unexpected_status",
            Deviation::CredentialNotSeen { .. } => "credential_not_seen",
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deviation::UndocumentedField { status, path } => {
                write!(f, "undocumented field `{path}` in the HTTP {status} body")
            }
            Deviation::UnknownCode { status, code } => {
                write!(f, "unknown error code {code} (HTTP {status})")
            }
            Deviation::UndocumentedStatus { status } => {
                write!(f, "undocumented status HTTP {status}")
            }
            Deviation::CredentialNotSeen { status, code } => write!(
                f,
                "{code} (HTTP {status}) although the request carried the `{}` header: the server did not see the credential there",
                crate::catalogue::TOKEN_HEADER
            ),
            Deviation::UnexpectedStatus {
                code,
                status,
                declared: Some(declared),
            } => write!(f, "the {declared} for {code} arrived as {status}"),
            Deviation::UnexpectedStatus {
                code,
                status,
                declared: None,
            } => write!(
                f,
                "{code} arrived with HTTP {status}; the spec does not declare it for this operation"
            ),
        }
    }
}

/// Every way the response (`status`, `body`) of `operation` departs from the
/// spec. Fields are checked for the documented success status and for error
/// statuses (400 and up); a body that is not a JSON object is not looked into.
/// `sent_credential` says whether the request carried the credential header.
/// A transient status ([`TRANSIENT_STATUSES`]) is never drift.
pub fn check(
    operation: OperationId,
    status: u16,
    body: &[u8],
    sent_credential: bool,
) -> Vec<Deviation> {
    let mut found = Vec::new();
    if TRANSIENT_STATUSES.contains(&status) {
        return found;
    }
    if !operation.statuses().contains(&status) {
        found.push(Deviation::UndocumentedStatus { status });
    }
    let error = status >= 400;
    let allowed = if status == operation.success_status() {
        operation.success_fields()
    } else if error {
        ERROR_FIELDS
    } else {
        return found;
    };
    let Some(scan) = Scan::run(body, allowed, error) else {
        return found;
    };
    found.extend(
        scan.extra
            .into_iter()
            .map(|path| Deviation::UndocumentedField { status, path }),
    );
    if let Some(message) = scan.message {
        let code = ErrorCode::from(message);
        if code.is_unknown() {
            found.push(Deviation::UnknownCode {
                status,
                code: shown_code(code.as_str()),
            });
        } else {
            if sent_credential && code.means_credential_missing() {
                found.push(Deviation::CredentialNotSeen {
                    status,
                    code: code.clone(),
                });
            }
            if !operation.declares(status, &code) {
                let declared = operation.status_of(&code);
                found.push(Deviation::UnexpectedStatus {
                    code,
                    status,
                    declared,
                });
            }
        }
    }
    found
}

/// `code` when it looks like an error code; otherwise a placeholder, since
/// a server could put anything in `message`.
fn shown_code(code: &str) -> String {
    let looks_like_code = (1..=MAX_SHOWN).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if looks_like_code {
        code.to_owned()
    } else {
        format!("<not a code: {} characters>", code.chars().count())
    }
}

/// The keys of a JSON object walked without building its values.
struct Scan<'a> {
    allowed: &'a [&'a str],
    want_message: bool,
    path: String,
    extra: Vec<String>,
    message: Option<String>,
}

impl<'a> Scan<'a> {
    fn run(body: &[u8], allowed: &'a [&'a str], want_message: bool) -> Option<Self> {
        let mut scan = Scan {
            allowed,
            want_message,
            path: String::new(),
            extra: Vec::new(),
            message: None,
        };
        let mut de = serde_json::Deserializer::from_slice(body);
        Object {
            scan: &mut scan,
            top: true,
        }
        .deserialize(&mut de)
        .ok()?;
        de.end().ok()?;
        Some(scan)
    }

    /// Whether the spec lists fields under `path`, and not as free-form (`path.*`).
    fn descend(&self, path: &str) -> bool {
        let mut children = false;
        for field in self.allowed {
            if let Some(rest) = field.strip_prefix(path).and_then(|r| r.strip_prefix('.')) {
                if rest == "*" {
                    return false;
                }
                children = true;
            }
        }
        children
    }

    fn note_extra(&mut self) {
        let mut path: String = self.path.chars().take(MAX_SHOWN).collect();
        if path.len() < self.path.len() {
            path.push('…');
        }
        self.extra.push(path);
    }
}

/// Walks one object; anything else is skipped.
struct Object<'s, 'a> {
    scan: &'s mut Scan<'a>,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Object<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.top {
            d.deserialize_map(self)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Object<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let scan = self.scan;
        while let Some(Key(key)) = map.next_key()? {
            let len = scan.path.len();
            if len > 0 {
                scan.path.push('.');
            }
            scan.path.push_str(&key);
            if !scan.allowed.contains(&scan.path.as_str()) {
                scan.note_extra();
                map.next_value::<IgnoredAny>()?;
            } else if self.top && scan.want_message && key == "message" {
                if let serde_json::Value::String(s) = map.next_value::<serde_json::Value>()? {
                    scan.message = Some(s);
                }
            } else if scan.descend(&scan.path) {
                map.next_value_seed(Object {
                    scan: &mut *scan,
                    top: false,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            scan.path.truncate(len);
        }
        Ok(())
    }

    // A documented object field holding something else: not this check's business.
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// An object key, borrowed from the body when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Collects the drift of the calls made through the clients that share it,
/// with counts; optionally strict, turning drift into a failed call.
///
/// Each deviation is logged once per recorder as a `tracing` event at WARN
/// on [`TARGET`]; repeats are counted, and logged at DEBUG.
#[derive(Debug, Default)]
pub struct DriftRecorder {
    strict: AtomicBool,
    seen: Mutex<BTreeMap<OperationId, Vec<DriftCount>>>,
}

impl DriftRecorder {
    /// An empty, lenient recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Strict: a call whose response drifts fails with [`DriftError`] (in the
    /// generated client, an `Error::ResponseBodyError` whose source chain
    /// holds it; see [`DriftError::find`]). The drift is recorded either way.
    pub fn set_strict(&self, strict: bool) {
        self.strict.store(strict, Ordering::Relaxed);
    }

    /// Whether drift fails the call.
    pub fn is_strict(&self) -> bool {
        self.strict.load(Ordering::Relaxed)
    }

    /// Records `deviations` of one response of `operation`.
    pub fn record(&self, operation: OperationId, deviations: &[Deviation]) {
        if deviations.is_empty() {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let entries = seen.entry(operation).or_default();
        for deviation in deviations {
            match entries.iter_mut().find(|e| &e.deviation == deviation) {
                Some(entry) => {
                    entry.count += 1;
                    tracing::debug!(target: TARGET, operation = operation.as_str(), kind = deviation.kind(), count = entry.count, "{deviation}");
                }
                None => {
                    entries.push(DriftCount {
                        deviation: deviation.clone(),
                        count: 1,
                    });
                    tracing::warn!(target: TARGET, operation = operation.as_str(), kind = deviation.kind(), "response departs from openapi.yaml: {deviation}");
                }
            }
        }
    }

    /// What has been recorded so far.
    pub fn report(&self) -> DriftReport {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        DriftReport {
            operations: seen
                .iter()
                .map(|(op, entries)| OperationDrift {
                    operation: *op,
                    deviations: entries.clone(),
                })
                .collect(),
        }
    }
}

/// One deviation and how often it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftCount {
    /// The deviation.
    pub deviation: Deviation,
    /// How many responses showed it.
    pub count: u64,
}

/// The drift of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDrift {
    /// The operation.
    pub operation: OperationId,
    /// Its deviations, in the order first seen.
    pub deviations: Vec<DriftCount>,
}

/// The drift recorded so far, per operation (in spec order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftReport {
    operations: Vec<OperationDrift>,
}

impl DriftReport {
    /// Whether nothing departed from the spec.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The operations with drift.
    pub fn operations(&self) -> &[OperationDrift] {
        &self.operations
    }

    /// How often `deviation` was seen for `operation`.
    pub fn count(&self, operation: OperationId, deviation: &Deviation) -> u64 {
        self.operations
            .iter()
            .filter(|o| o.operation == operation)
            .flat_map(|o| &o.deviations)
            .filter(|d| &d.deviation == deviation)
            .map(|d| d.count)
            .sum()
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no drift: every response matched openapi.yaml\n");
        }
        for op in &self.operations {
            writeln!(f, "{}:", op.operation)?;
            for d in &op.deviations {
                writeln!(f, "  {:>4} x {}", d.count, d.deviation)?;
            }
        }
        Ok(())
    }
}

/// A response that drifted, refused in strict mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftError {
    operation: OperationId,
    status: u16,
    deviations: Vec<Deviation>,
}

impl DriftError {
    pub(crate) fn new(operation: OperationId, status: u16, deviations: Vec<Deviation>) -> Self {
        Self {
            operation,
            status,
            deviations,
        }
    }

    /// The response's status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The operation.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// How the response departed from the spec.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The `DriftError` in `error`'s source chain, if any.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a DriftError> {
        crate::in_source_chain(error)
    }
}

impl fmt::Display for DriftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response departs from openapi.yaml (strict mode): ")?;
        for (i, d) in self.deviations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DriftError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_codes_and_statuses() {
        use OperationId as Op;
        let ok = br#"{"message":"x","data":{"token":"t","email":"e","workspace_name":"w"}}"#;
        assert!(check(Op::GetToken, 200, ok, false).is_empty());
        let extra = br#"{"message":"x","plan":1,"data":{"token":"t","email":"e","workspace_name":"w","seats":{"a":1}}}"#;
        let paths: Vec<_> = check(Op::GetToken, 200, extra, false)
            .into_iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "undocumented field `plan` in the HTTP 200 body",
                "undocumented field `data.seats` in the HTTP 200 body"
            ]
        );
        // Free-form objects (`auth.*`) take any field.
        assert!(check(
            Op::Login,
            200,
            br#"{"message":"LOGGEDIN","token":"t","auth":{"x":{"y":1}}}"#,
            false
        )
        .is_empty());
        assert_eq!(
            check(
                Op::VerifyToken,
                401,
                br#"{"error":true,"message":"TOKEN_GONE"}"#,
                false
            ),
            [Deviation::UnknownCode {
                status: 401,
                code: "TOKEN_GONE".into()
            }]
        );
        // A message that is no code is not repeated.
        let secretish = check(
            Op::VerifyToken,
            401,
            br#"{"message":"359b83f43a5f5702cfbdedad"}"#,
            false,
        );
        assert_eq!(
            secretish[0].to_string(),
            "unknown error code <not a code: 24 characters> (HTTP 401)"
        );
        assert_eq!(
            check(
                Op::GetToken,
                418,
                br#"{"message":"INVALID_API_TOKEN"}"#,
                false
            ),
            [
                Deviation::UndocumentedStatus { status: 418 },
                Deviation::UnexpectedStatus {
                    code: ErrorCode::InvalidApiToken,
                    status: 418,
                    declared: None
                }
            ]
        );
        assert!(check(Op::VerifyToken, 401, b"<html>", false).is_empty());
        // A missing-credential code is drift only when a credential was sent.
        let missing = br#"{"error":true,"message":"API_TOKEN_REQUIRED"}"#;
        assert!(check(Op::VerifyToken, 400, missing, false).is_empty());
        assert_eq!(
            check(Op::VerifyToken, 400, missing, true),
            [Deviation::CredentialNotSeen {
                status: 400,
                code: ErrorCode::ApiTokenRequired
            }]
        );
        assert!(check(Op::VerifyToken, 200, b"[1]", false).is_empty());
    }

    #[test]
    fn recorder_counts() {
        let r = DriftRecorder::new();
        let d = Deviation::UndocumentedStatus { status: 500 };
        r.record(OperationId::GetToken, std::slice::from_ref(&d));
        r.record(OperationId::GetToken, std::slice::from_ref(&d));
        r.record(OperationId::Login, &[]);
        let report = r.report();
        assert_eq!(report.count(OperationId::GetToken, &d), 2);
        assert_eq!(report.operations().len(), 1);
        assert_eq!(
            report.to_string(),
            "get_token:\n     2 x undocumented status HTTP 500\n"
        );
    }
}
