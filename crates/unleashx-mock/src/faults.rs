//! Fault injection: canned failures, for the next requests of an operation
//! or for one picked by number or body field, and added latency per operation.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use serde_json::{Map, Value};
use unleashx_api::catalogue::{ErrorCode, OperationId};

use crate::respond::Refusal;

/// The value of a `Retry-After` header sent with an injected failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `Retry-After: <HTTP date>` (IMF-fixdate, whole seconds).
    Date(SystemTime),
}

impl RetryAfter {
    /// The header value.
    pub fn header_value(&self) -> String {
        match self {
            RetryAfter::Seconds(s) => s.to_string(),
            RetryAfter::Date(t) => httpdate::fmt_http_date(*t),
        }
    }
}

/// An injected failure, as answered to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InjectedFault {
    /// The status to answer.
    pub status: StatusCode,
    /// The code in the error body: a code the operation declares, or for a
    /// status-based failure the status's reason phrase (an unknown code).
    pub code: ErrorCode,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<RetryAfter>,
}

/// [`Faults::fail_next_with_code`] was given a code the operation does not
/// declare in `openapi.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndeclaredCode {
    /// The operation.
    pub operation: OperationId,
    /// The code it does not declare.
    pub code: ErrorCode,
}

impl fmt::Display for UndeclaredCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let declared: Vec<String> = self
            .operation
            .errors()
            .iter()
            .map(|e| format!("{} {}", e.status, e.code))
            .collect();
        let (operation, code, declared) = (self.operation, &self.code, declared.join(", "));
        write!(
            f,
            "`{operation}` does not declare error code `{code}` in openapi.yaml; pick one it declares ({declared}) or use fail_next with a status"
        )
    }
}

impl std::error::Error for UndeclaredCode {}

/// Which requests to an operation an injected failure answers.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Target {
    /// The next `n` requests, whichever they are.
    Next(u32),
    /// The request numbered `n` among the operation's requests, from 1 as
    /// [`MockServer::requests`](crate::MockServer::requests) counts them
    /// (the server's whole life, faulted requests included).
    Nth(u64),
    /// The first `times` requests whose JSON body has the field `field` (a
    /// property of the operation's request schema in `openapi.yaml`, sent
    /// under that name) equal to `value`, such as one customer id.
    BodyField {
        /// The field's name in the request schema.
        field: String,
        /// The value a request's field must equal.
        value: Value,
        /// How many matching requests to answer (a retried request counts
        /// each time it is sent).
        times: u32,
    },
}

impl Target {
    /// The first request whose body has `field` equal to `value`
    /// ([`Target::BodyField`] with `times: 1`).
    pub fn body_field(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Target::BodyField {
            field: field.into(),
            value: value.into(),
            times: 1,
        }
    }
}

/// What an injected failure answers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The status with the API's error body, its code the status's reason
    /// phrase (`503` gives `SERVICE_UNAVAILABLE`), and a `Retry-After`
    /// header when given.
    Status(StatusCode, Option<RetryAfter>),
    /// A code the operation declares, with the status `openapi.yaml` gives it there.
    Code(ErrorCode),
}

/// [`Faults::fail`] was given a target or failure that cannot apply; nothing
/// was added.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultError {
    /// The code is not one the operation declares.
    UndeclaredCode(UndeclaredCode),
    /// The operation's request schema has no such field.
    UnknownField {
        /// The operation.
        operation: OperationId,
        /// The field asked for.
        field: String,
        /// The fields its request schema has, from the catalogue.
        fields: &'static [&'static str],
    },
    /// The operation takes no request body, so no field can match.
    NoBody {
        /// The operation.
        operation: OperationId,
    },
    /// The numbered request has already been answered.
    AlreadyArrived {
        /// The operation.
        operation: OperationId,
        /// The request number asked for.
        n: u64,
        /// The highest number answered so far.
        seen: u64,
    },
    /// The target matches no request: `Next(0)`, `Nth(0)` or `times: 0`.
    Empty {
        /// The operation.
        operation: OperationId,
    },
}

impl fmt::Display for FaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultError::UndeclaredCode(e) => e.fmt(f),
            FaultError::UnknownField {
                operation,
                field,
                fields,
            } => match fields {
                [] => write!(
                    f,
                    "`{operation}`'s request body has no fields in openapi.yaml, so no request \
                     matches field `{field}`; target it with Target::Next or Target::Nth"
                ),
                _ => write!(
                    f,
                    "`{operation}`'s request schema in openapi.yaml has no field `{field}`; \
                     use one of: {}",
                    fields.join(", ")
                ),
            },
            FaultError::NoBody { operation } => write!(
                f,
                "`{operation}` takes no request body in openapi.yaml, so no request matches \
                 a body field; target it with Target::Next or Target::Nth"
            ),
            FaultError::AlreadyArrived { operation, n, seen } => write!(
                f,
                "request {n} to `{operation}` has already been answered ({seen} so far); \
                 pick a number above {seen}, or Target::Next(1) for the next one"
            ),
            FaultError::Empty { operation } => write!(
                f,
                "the target for `{operation}` matches no request (a count or number of 0; \
                 requests are numbered from 1); to remove failures call Faults::clear"
            ),
        }
    }
}

impl std::error::Error for FaultError {}

impl From<UndeclaredCode> for FaultError {
    fn from(e: UndeclaredCode) -> Self {
        FaultError::UndeclaredCode(e)
    }
}

impl Target {
    /// Whether the target picks request `number`, whose JSON body object is
    /// `body` when it was read. A rule's count is kept apart, in the rule.
    fn matches(&self, number: u64, body: Option<&Map<String, Value>>) -> bool {
        match self {
            Target::Next(_) => true,
            Target::Nth(n) => *n == number,
            Target::BodyField { field, value, .. } => {
                body.and_then(|b| b.get(field)) == Some(value)
            }
        }
    }

    fn is_next(&self) -> bool {
        matches!(self, Target::Next(_))
    }
}

#[derive(Clone, Debug)]
struct Rule {
    target: Target,
    remaining: u32,
    fault: InjectedFault,
}

#[derive(Debug, Default)]
struct Table {
    /// Per operation, targeted rules first (in the order added), then at
    /// most one `Next` rule.
    rules: BTreeMap<OperationId, Vec<Rule>>,
    latency: BTreeMap<OperationId, Duration>,
    /// The highest request number that reached fault injection, per operation.
    seen: BTreeMap<OperationId, u64>,
}

/// Per-operation fault injection, shared by the server and its handle.
///
/// A request that reaches an operation's route is counted first, then waits
/// the operation's latency, then is answered by a pending failure that
/// targets it if there is one, and only then handled normally. A request
/// several failures target gets the one added first among those targeting it
/// by number or body field, else the [`Target::Next`] one.
#[derive(Debug, Default)]
pub struct Faults {
    table: Mutex<Table>,
}

impl Faults {
    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_next(&self, op: OperationId, n: u32, fault: InjectedFault) {
        let mut table = self.table();
        let rules = table.rules.entry(op).or_default();
        rules.retain(|r| !r.target.is_next());
        if n > 0 {
            rules.push(Rule {
                target: Target::Next(n),
                remaining: n,
                fault,
            });
        }
    }

    /// Answers the next `n` requests to `op` with `status` and the API's error
    /// body (`{"error": true, "message": CODE}`, CODE derived from the status,
    /// e.g. `SERVICE_UNAVAILABLE`), plus a `Retry-After` header when given.
    /// Replaces any `next` failure still pending for `op`; `n == 0` clears it.
    pub fn fail_next(
        &self,
        op: OperationId,
        n: u32,
        status: StatusCode,
        retry_after: Option<RetryAfter>,
    ) {
        self.set_next(op, n, status_fault(status, retry_after));
    }

    /// Answers the next `n` requests to `op` with `code`, one of the codes the
    /// operation declares, and the status `openapi.yaml` gives it there (the
    /// active drifts apply, as to any reply). Replaces any `next` failure
    /// still pending for `op`; `n == 0` clears it.
    ///
    /// A code the operation does not declare is refused with
    /// [`UndeclaredCode`], which lists the declared ones.
    pub fn fail_next_with_code(
        &self,
        op: OperationId,
        n: u32,
        code: ErrorCode,
    ) -> Result<(), UndeclaredCode> {
        self.set_next(op, n, code_fault(op, code)?);
        Ok(())
    }

    /// Answers the requests to `op` that `target` picks with `failure`: the
    /// form that picks one request among many in flight, by its number or by
    /// a field of its body. Targeted failures add up (a [`Target::Next`] one
    /// replaces the pending `next` failure, as [`fail_next`](Self::fail_next)
    /// does).
    ///
    /// A field the operation's request schema does not have, a number already
    /// answered, a target matching nothing or a code the operation does not
    /// declare is refused with a [`FaultError`] saying what to pass instead.
    ///
    /// ```
    /// use unleashx_mock::{Failure, Faults, Operation, StatusCode, Target};
    ///
    /// let faults = Faults::default();
    /// let busy = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, None);
    /// faults.fail(Operation::GetTokenByCustomerId, Target::body_field("customer_id", "048372910564"), busy.clone())?;
    /// faults.fail(Operation::VerifyToken, Target::Nth(3), busy.clone())?;
    ///
    /// let err = faults
    ///     .fail(Operation::GetTokenByCustomerId, Target::body_field("customerId", "1"), busy)
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("use one of: customer_id"), "{err}");
    /// # Ok::<(), unleashx_mock::FaultError>(())
    /// ```
    pub fn fail(
        &self,
        op: OperationId,
        target: Target,
        failure: Failure,
    ) -> Result<(), FaultError> {
        let fault = match failure {
            Failure::Status(status, retry_after) => status_fault(status, retry_after),
            Failure::Code(code) => code_fault(op, code)?,
        };
        let remaining = match &target {
            Target::Next(0) | Target::Nth(0) | Target::BodyField { times: 0, .. } => {
                return Err(FaultError::Empty { operation: op })
            }
            Target::Next(n) => {
                self.set_next(op, *n, fault);
                return Ok(());
            }
            Target::Nth(_) => 1,
            Target::BodyField { field, times, .. } => {
                let fields = op
                    .request_fields()
                    .ok_or(FaultError::NoBody { operation: op })?;
                if !fields.contains(&field.as_str()) {
                    return Err(FaultError::UnknownField {
                        operation: op,
                        field: field.clone(),
                        fields,
                    });
                }
                *times
            }
        };
        let mut table = self.table();
        if let Target::Nth(n) = target {
            let seen = table.seen.get(&op).copied().unwrap_or(0);
            if n <= seen {
                return Err(FaultError::AlreadyArrived {
                    operation: op,
                    n,
                    seen,
                });
            }
        }
        let rules = table.rules.entry(op).or_default();
        let at = rules
            .iter()
            .position(|r| r.target.is_next())
            .unwrap_or(rules.len());
        rules.insert(
            at,
            Rule {
                target,
                remaining,
                fault,
            },
        );
        Ok(())
    }

    /// Adds `delay` before every answer of `op` (`Duration::ZERO` removes it).
    pub fn latency(&self, op: OperationId, delay: Duration) {
        let mut table = self.table();
        if delay.is_zero() {
            table.latency.remove(&op);
        } else {
            table.latency.insert(op, delay);
        }
    }

    /// How many injected failures are still pending for `op`, every target
    /// counted.
    pub fn pending(&self, op: OperationId) -> u32 {
        self.table()
            .rules
            .get(&op)
            .map_or(0, |rules| rules.iter().map(|r| r.remaining).sum())
    }

    /// Removes every pending failure and latency.
    pub fn clear(&self) {
        let mut table = self.table();
        table.rules.clear();
        table.latency.clear();
    }

    pub(crate) fn latency_of(&self, op: OperationId) -> Duration {
        self.table().latency.get(&op).copied().unwrap_or_default()
    }

    /// The failure for request `number` to `op`, if one targets it. The body
    /// is read only while a failure targets a body field of `op`; a body that
    /// cannot be read is refused as the handler would refuse it.
    pub(crate) async fn answer(
        &self,
        op: OperationId,
        number: u64,
        request: Request,
    ) -> Result<(Request, Option<InjectedFault>), Refusal> {
        let wants_body = self.table().rules.get(&op).is_some_and(|rules| {
            rules
                .iter()
                .any(|r| matches!(r.target, Target::BodyField { .. }))
        });
        if !wants_body {
            return Ok((request, self.take(op, number, None)));
        }
        let (parts, body) = request.into_parts();
        let bytes = crate::body::read(body).await?;
        let object = serde_json::from_slice::<Map<String, Value>>(&bytes).ok();
        let fault = self.take(op, number, object.as_ref());
        Ok((Request::from_parts(parts, Body::from(bytes)), fault))
    }

    /// Takes the failure for request `number` to `op` (with its JSON body
    /// object, when read), if one targets it.
    fn take(
        &self,
        op: OperationId,
        number: u64,
        body: Option<&Map<String, Value>>,
    ) -> Option<InjectedFault> {
        let mut table = self.table();
        let seen = table.seen.entry(op).or_default();
        *seen = (*seen).max(number);
        let rules = table.rules.get_mut(&op)?;
        let at = rules.iter().position(|r| r.target.matches(number, body))?;
        let rule = &mut rules[at];
        let fault = rule.fault.clone();
        rule.remaining = rule.remaining.saturating_sub(1);
        if rule.remaining == 0 {
            rules.remove(at);
        }
        Some(fault)
    }
}

fn status_fault(status: StatusCode, retry_after: Option<RetryAfter>) -> InjectedFault {
    InjectedFault {
        status,
        code: ErrorCode::from(code_for(status)),
        retry_after,
    }
}

fn code_fault(op: OperationId, code: ErrorCode) -> Result<InjectedFault, UndeclaredCode> {
    let status = op
        .status_of(&code)
        .and_then(|s| StatusCode::from_u16(s).ok())
        .ok_or_else(|| UndeclaredCode {
            operation: op,
            code: code.clone(),
        })?;
    Ok(InjectedFault {
        status,
        code,
        retry_after: None,
    })
}

/// The error code sent for an injected status: its reason phrase in
/// SCREAMING_SNAKE_CASE (`503` gives `SERVICE_UNAVAILABLE`), or `HTTP_<code>`.
pub(crate) fn code_for(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => reason
            .to_ascii_uppercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        None => format!("HTTP_{}", status.as_u16()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_counts() {
        assert_eq!(
            code_for(StatusCode::SERVICE_UNAVAILABLE),
            "SERVICE_UNAVAILABLE"
        );
        assert_eq!(code_for(StatusCode::TOO_MANY_REQUESTS), "TOO_MANY_REQUESTS");
        let f = Faults::default();
        f.fail_next(OperationId::GetToken, 2, StatusCode::BAD_GATEWAY, None);
        assert_eq!(f.pending(OperationId::GetToken), 2);
        assert_eq!(f.pending(OperationId::Login), 0);
        assert!(f.take(OperationId::GetToken, 1, None).is_some());
        assert!(f.take(OperationId::GetToken, 2, None).is_some());
        assert!(f.take(OperationId::GetToken, 3, None).is_none());
        assert_eq!(
            RetryAfter::Date(std::time::UNIX_EPOCH).header_value(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
    }

    #[test]
    fn declared_codes_take_the_spec_status_and_others_are_refused() {
        let f = Faults::default();
        for op in OperationId::ALL {
            for declared in op.errors() {
                f.fail_next_with_code(op, 1, declared.code.clone()).unwrap();
                let fault = f.take(op, 1, None).unwrap();
                assert_eq!(Some(fault.status.as_u16()), op.status_of(&declared.code));
                assert_eq!(fault.code, declared.code);
            }
        }
        let err = f
            .fail_next_with_code(OperationId::Login, 1, ErrorCode::NoApiTokenFound)
            .unwrap_err();
        assert_eq!(f.pending(OperationId::Login), 0);
        let text = err.to_string();
        assert!(
            text.contains("`login`") && text.contains("NO_API_TOKEN_FOUND"),
            "{text}"
        );
        assert!(text.contains("401 INVALID_OTP"), "{text}");
    }

    fn body(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("an object literal"),
        }
    }

    #[test]
    fn a_body_field_target_answers_only_its_request() {
        let f = Faults::default();
        let op = OperationId::GetTokenByCustomerId;
        let busy = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, None);
        f.fail(
            op,
            Target::BodyField {
                field: "customer_id".into(),
                value: "222222222222".into(),
                times: 2,
            },
            busy,
        )
        .unwrap();
        let other = body(serde_json::json!({"customer_id": "111111111111"}));
        let chosen = body(serde_json::json!({"customer_id": "222222222222", "name": null}));
        assert!(f.take(op, 1, Some(&other)).is_none());
        assert!(f.take(op, 2, None).is_none());
        assert_eq!(
            f.take(op, 3, Some(&chosen)).map(|x| x.status),
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert_eq!(f.pending(op), 1);
        assert!(f.take(op, 4, Some(&chosen)).is_some());
        assert!(f.take(op, 5, Some(&chosen)).is_none());
    }

    #[test]
    fn an_nth_target_answers_that_number_before_a_next_failure() {
        let f = Faults::default();
        let op = OperationId::VerifyToken;
        f.fail_next(op, 5, StatusCode::BAD_GATEWAY, None);
        f.fail(
            op,
            Target::Nth(2),
            Failure::Code(ErrorCode::InvalidApiToken),
        )
        .unwrap();
        assert_eq!(f.pending(op), 6);
        assert_eq!(
            f.take(op, 1, None).map(|x| x.status),
            Some(StatusCode::BAD_GATEWAY)
        );
        assert_eq!(
            f.take(op, 2, None).map(|x| x.code),
            Some(ErrorCode::InvalidApiToken)
        );
        let err = f
            .fail(
                op,
                Target::Nth(2),
                Failure::Status(StatusCode::BAD_GATEWAY, None),
            )
            .unwrap_err();
        assert_eq!(
            err,
            FaultError::AlreadyArrived {
                operation: op,
                n: 2,
                seen: 2
            }
        );
        assert!(err.to_string().contains("pick a number above 2"), "{err}");
    }

    #[test]
    fn bad_targets_are_refused_naming_what_to_use() {
        let f = Faults::default();
        let busy = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, None);
        let err = f
            .fail(
                OperationId::GetTokenByCustomerId,
                Target::body_field("customerId", "1"),
                busy.clone(),
            )
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("no field `customerId`")
                && text.contains("customer_id, expiration_days, name"),
            "{text}"
        );
        let err = f
            .fail(
                OperationId::GetToken,
                Target::body_field("customer_id", "1"),
                busy.clone(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            FaultError::NoBody {
                operation: OperationId::GetToken
            }
        );
        let err = f
            .fail(
                OperationId::VerifyToken,
                Target::body_field("token", "1"),
                busy.clone(),
            )
            .unwrap_err();
        assert!(err.to_string().contains("has no fields"), "{err}");
        for empty in [Target::Next(0), Target::Nth(0)] {
            let err = f.fail(OperationId::Login, empty, busy.clone()).unwrap_err();
            assert!(matches!(err, FaultError::Empty { .. }), "{err}");
        }
        let err = f
            .fail(
                OperationId::Login,
                Target::Nth(1),
                Failure::Code(ErrorCode::NoApiTokenFound),
            )
            .unwrap_err();
        assert!(matches!(err, FaultError::UndeclaredCode(_)), "{err}");
        for op in OperationId::ALL {
            assert_eq!(f.pending(op), 0);
        }
    }
}
