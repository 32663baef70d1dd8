//! Drift from `openapi.yaml`: where a response departs from the spec.
//!
//! Responses stay lenient (unknown fields are ignored, unknown codes become
//! [`ErrorCode::Unknown`]). The generated client hands every response body to
//! the check hook the [`Client`] sets ([`unleashx_api::hooks::ResponseCheck`]);
//! here each body is read once ([`crate::shape`]) against the catalogue, and
//! each departure is recorded per client with counts, logged, and in strict
//! mode refused: an undocumented field, an unknown error code, an
//! undocumented status, a declared code with a status the spec does not give
//! it, a missing-credential code although the credential was sent. A
//! transient answer (408, 429, 502, 503, 504) is never drift. Nothing
//! recorded holds a value from the body beyond field names and error codes.
//! [`inspect`] gives the same reading of one response to other tools, such as
//! `unleashx doctor`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;

use unleashx_api::catalogue::{ErrorCode, OperationId, ERROR_FIELDS, TOKEN_HEADER};

use crate::retry::is_transient_status;
use crate::shape::{Walk, MAX_SHOWN};
use crate::{ApiClient, Client, LoginSession};

/// The tracing target of drift events.
pub const DRIFT_TARGET: &str = "unleashx::drift";

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
                "{code} (HTTP {status}) although the request carried the `{TOKEN_HEADER}` header: the server did not see the credential there"
            ),
            Deviation::UnexpectedStatus { code, status, declared } => match declared {
                Some(declared) => write!(f, "the {declared} for {code} arrived as {status}"),
                None => write!(
                    f,
                    "{code} arrived with HTTP {status}; the spec does not declare it for this operation"
                ),
            },
        }
    }
}

/// One response as the drift check reads it, from one pass over its body.
///
/// ```
/// use unleashx::{inspect, Deviation, ErrorCode, OperationId};
///
/// let seen = inspect(OperationId::GetToken, 401, br#"{"error":true,"message":"LOGIN_TOKEN_REQUIRED"}"#, false);
/// assert_eq!(seen.code, Some(ErrorCode::LoginTokenRequired));
/// assert_eq!(seen.fields, ["error", "message"]);
/// assert!(matches!(&seen.deviations[..], [Deviation::UnexpectedStatus { status: 401, declared: Some(400), .. }]));
/// assert!(inspect(OperationId::VerifyToken, 200, br#"{"message":"TOKEN_VALID"}"#, false).deviations.is_empty());
/// assert!(!inspect(OperationId::VerifyToken, 502, b"<html>", false).json_object);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Inspection {
    /// Whether the body is one JSON object; when not, `fields` and `code`
    /// are empty.
    pub json_object: bool,
    /// Every field's dotted path (`data`, `data.token`), names only, depth
    /// first with each object's keys sorted (a repeated key counts once).
    pub fields: Vec<String>,
    /// The code in the body's `message`, for an error status (400 and up).
    pub code: Option<ErrorCode>,
    /// How the response departs from the spec (none for a transient status).
    pub deviations: Vec<Deviation>,
}

impl Inspection {
    /// The code as it may be shown: as sent when it looks like a code
    /// (`UPPER_SNAKE`), else a placeholder giving its length, since a server
    /// could put anything in `message`.
    pub fn shown_code(&self) -> Option<String> {
        self.code.as_ref().map(|c| shown_code(c.as_str()))
    }
}

/// Reads the response (`status`, `body`) of `operation` against the spec.
/// `sent_credential` says whether the request carried the credential
/// header. Fields are checked for the documented success status and for
/// error statuses (400 and up).
pub fn inspect(
    operation: OperationId,
    status: u16,
    body: &[u8],
    sent_credential: bool,
) -> Inspection {
    let (shape, deviations) = read(operation, status, body, sent_credential, true);
    let json_object = shape.is_some();
    let (fields, message) = shape.map_or((Vec::new(), None), |s| (s.fields, s.message));
    Inspection {
        json_object,
        fields,
        code: message.map(ErrorCode::from),
        deviations,
    }
}

/// The deviations alone, as the check of every call reads them.
fn deviations(
    operation: OperationId,
    status: u16,
    body: &[u8],
    sent_credential: bool,
) -> Vec<Deviation> {
    read(operation, status, body, sent_credential, false).1
}

fn read(
    operation: OperationId,
    status: u16,
    body: &[u8],
    sent_credential: bool,
    all_fields: bool,
) -> (Option<crate::shape::Shape>, Vec<Deviation>) {
    let mut found = Vec::new();
    let error = status >= 400;
    // A transient answer is never drift: its body is only read for `inspect`.
    let transient = is_transient_status(status);
    if !transient && !operation.statuses().contains(&status) {
        found.push(Deviation::UndocumentedStatus { status });
    }
    let declared = if transient {
        None
    } else if status == operation.success_status() {
        Some(operation.success_fields())
    } else if error {
        Some(ERROR_FIELDS)
    } else {
        None
    };
    if declared.is_none() && !all_fields {
        return (None, found);
    }
    let walk = Walk {
        declared,
        message: error,
        all_fields,
    };
    let Some(mut shape) = walk.run(body) else {
        return (None, found);
    };
    found.extend(
        std::mem::take(&mut shape.extra)
            .into_iter()
            .map(|path| Deviation::UndocumentedField { status, path }),
    );
    if let Some(message) = shape.message.as_ref().filter(|_| !transient) {
        let code = ErrorCode::from(message.as_str());
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
    (Some(shape), found)
}

/// `code` when it looks like an error code; otherwise a placeholder.
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

/// The drift of the calls made through one [`Client`] and every handle made
/// from it, with counts; in strict mode, drift fails the call.
///
/// Each deviation is logged once per recorder as a `tracing` event at WARN
/// on [`DRIFT_TARGET`]; repeats are counted, and logged at DEBUG.
#[derive(Debug, Default)]
pub(crate) struct DriftRecorder {
    strict: bool,
    seen: Mutex<BTreeMap<OperationId, Vec<DriftCount>>>,
}

impl DriftRecorder {
    pub(crate) fn new(strict: bool) -> Self {
        Self {
            strict,
            seen: Mutex::default(),
        }
    }

    fn record(&self, operation: OperationId, deviations: &[Deviation]) {
        if deviations.is_empty() {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let entries = seen.entry(operation).or_default();
        for deviation in deviations {
            match entries.iter_mut().find(|e| &e.deviation == deviation) {
                Some(entry) => {
                    entry.count += 1;
                    tracing::debug!(target: DRIFT_TARGET, operation = operation.as_str(), kind = deviation.kind(), count = entry.count, "{deviation}");
                }
                None => {
                    entries.push(DriftCount {
                        deviation: deviation.clone(),
                        count: 1,
                    });
                    tracing::warn!(target: DRIFT_TARGET, operation = operation.as_str(), kind = deviation.kind(), "response departs from openapi.yaml: {deviation}");
                }
            }
        }
    }

    pub(crate) fn report(&self) -> DriftReport {
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

/// The policy: record drift, and in strict mode refuse the response.
impl unleashx_api::hooks::ResponseCheck for DriftRecorder {
    fn check(
        &self,
        operation: OperationId,
        status: u16,
        body: &[u8],
        sent_credential: bool,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let found = deviations(operation, status, body, sent_credential);
        self.record(operation, &found);
        if self.strict && !found.is_empty() {
            return Err(Box::new(DriftError {
                operation,
                status,
                deviations: found,
            }));
        }
        Ok(())
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

    /// The `DriftError` in `error`'s source chain, if any: how a refused
    /// response is told apart once the generated client has wrapped it.
    pub(crate) fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a DriftError> {
        std::iter::successors(Some(error), |e| e.source()).find_map(|e| e.downcast_ref())
    }
}

impl fmt::Display for DriftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let deviations: Vec<String> = self.deviations.iter().map(|d| d.to_string()).collect();
        let deviations = deviations.join("; ");
        write!(
            f,
            "the response departs from openapi.yaml (strict mode): {deviations}"
        )
    }
}

impl std::error::Error for DriftError {}

impl Client {
    /// The drift seen so far by this client and every session and handle
    /// made from it, per operation with counts.
    ///
    /// ```no_run
    /// # async fn f(client: unleashx::Client) {
    /// let report = client.drift();
    /// if !report.is_empty() {
    ///     eprintln!("the API departs from openapi.yaml:\n{report}");
    /// }
    /// # }
    /// ```
    pub fn drift(&self) -> DriftReport {
        self.shared.drift.report()
    }
}

impl LoginSession {
    /// The drift seen by the [`Client`] this session belongs to.
    pub fn drift(&self) -> DriftReport {
        self.ctx.shared().drift.report()
    }
}

impl ApiClient {
    /// The drift seen by the [`Client`] this handle belongs to.
    pub fn drift(&self) -> DriftReport {
        self.ctx.shared().drift.report()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(op: OperationId, status: u16, body: &[u8], sent: bool) -> Vec<Deviation> {
        let found = deviations(op, status, body, sent);
        assert_eq!(
            inspect(op, status, body, sent).deviations,
            found,
            "one reading"
        );
        found
    }

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
        // Transient answers are never drift, whatever their body.
        for status in [408, 429, 502, 503, 504] {
            assert!(check(
                Op::VerifyToken,
                status,
                br#"{"message":"BUSY","x":1}"#,
                true
            )
            .is_empty());
        }
    }

    #[test]
    fn an_inspection_lists_every_field_and_shows_codes_safely() {
        let seen = inspect(
            OperationId::GetToken,
            200,
            br#"{"message":"x","data":{"token":"t","seats":{"a":1}}}"#,
            false,
        );
        assert!(seen.json_object && seen.code.is_none());
        assert_eq!(
            seen.fields,
            [
                "data",
                "data.seats",
                "data.seats.a",
                "data.token",
                "message"
            ]
        );
        let seen = inspect(
            OperationId::VerifyToken,
            503,
            br#"{"message":"a secret value"}"#,
            false,
        );
        assert_eq!(
            seen.shown_code().as_deref(),
            Some("<not a code: 14 characters>")
        );
        assert!(seen.deviations.is_empty());
    }

    #[test]
    fn recorder_counts() {
        let r = DriftRecorder::new(false);
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
