//! Fault injection: canned failures and added latency per operation.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use unleashx_api::catalogue::{ErrorCode, OperationId};

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
        write!(
            f,
            "`{}` does not declare error code `{}` in openapi.yaml; pick one it declares (",
            self.operation, self.code
        )?;
        for (i, e) in self.operation.errors().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} {}", e.status, e.code)?;
        }
        f.write_str(") or use fail_next with a status")
    }
}

impl std::error::Error for UndeclaredCode {}

#[derive(Clone, Debug)]
struct FailRule {
    remaining: u32,
    fault: InjectedFault,
}

#[derive(Debug, Default)]
struct Table {
    fail: BTreeMap<OperationId, FailRule>,
    latency: BTreeMap<OperationId, Duration>,
}

/// Per-operation fault injection, shared by the server and its handle.
///
/// A request that reaches an operation's route is counted first, then waits
/// the operation's latency, then is answered by a pending failure if there is
/// one, and only then handled normally.
#[derive(Debug, Default)]
pub struct Faults {
    table: Mutex<Table>,
}

impl Faults {
    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, op: OperationId, n: u32, fault: InjectedFault) {
        let mut table = self.table();
        if n == 0 {
            table.fail.remove(&op);
        } else {
            table.fail.insert(
                op,
                FailRule {
                    remaining: n,
                    fault,
                },
            );
        }
    }

    /// Answers the next `n` requests to `op` with `status` and the API's error
    /// body (`{"error": true, "message": CODE}`, CODE derived from the status,
    /// e.g. `SERVICE_UNAVAILABLE`), plus a `Retry-After` header when given.
    /// Replaces any failure still pending for `op`; `n == 0` clears it.
    pub fn fail_next(
        &self,
        op: OperationId,
        n: u32,
        status: StatusCode,
        retry_after: Option<RetryAfter>,
    ) {
        let fault = InjectedFault {
            status,
            code: ErrorCode::from(code_for(status)),
            retry_after,
        };
        self.set(op, n, fault);
    }

    /// Answers the next `n` requests to `op` with `code`, one of the codes the
    /// operation declares, and the status `openapi.yaml` gives it there (the
    /// active drifts apply, as to any reply). Replaces any failure still
    /// pending for `op`; `n == 0` clears it.
    ///
    /// A code the operation does not declare is refused with
    /// [`UndeclaredCode`], which lists the declared ones.
    pub fn fail_next_with_code(
        &self,
        op: OperationId,
        n: u32,
        code: ErrorCode,
    ) -> Result<(), UndeclaredCode> {
        let status = op
            .status_of(&code)
            .and_then(|s| StatusCode::from_u16(s).ok())
            .ok_or_else(|| UndeclaredCode {
                operation: op,
                code: code.clone(),
            })?;
        let fault = InjectedFault {
            status,
            code,
            retry_after: None,
        };
        self.set(op, n, fault);
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

    /// How many injected failures are still pending for `op`.
    pub fn pending(&self, op: OperationId) -> u32 {
        self.table().fail.get(&op).map_or(0, |r| r.remaining)
    }

    /// Removes every pending failure and latency.
    pub fn clear(&self) {
        *self.table() = Table::default();
    }

    pub(crate) fn latency_of(&self, op: OperationId) -> Duration {
        self.table()
            .latency
            .get(&op)
            .copied()
            .unwrap_or(Duration::ZERO)
    }

    /// Takes one pending failure for `op`, if any.
    pub(crate) fn take(&self, op: OperationId) -> Option<InjectedFault> {
        let mut table = self.table();
        let rule = table.fail.get_mut(&op)?;
        let fault = rule.fault.clone();
        rule.remaining = rule.remaining.saturating_sub(1);
        if rule.remaining == 0 {
            table.fail.remove(&op);
        }
        Some(fault)
    }
}

/// The error code sent for an injected status: its reason phrase in
/// SCREAMING_SNAKE_CASE (`503` gives `SERVICE_UNAVAILABLE`), or `HTTP_<code>`.
pub(crate) fn code_for(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => reason
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect(),
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
        assert!(f.take(OperationId::GetToken).is_some());
        assert!(f.take(OperationId::GetToken).is_some());
        assert!(f.take(OperationId::GetToken).is_none());
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
                let fault = f.take(op).unwrap();
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
}
