//! Fault injection: canned failures and added latency per operation.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;

use crate::Operation;

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
    /// The `Retry-After` header, if any.
    pub retry_after: Option<RetryAfter>,
}

#[derive(Clone, Debug)]
struct FailRule {
    remaining: u32,
    fault: InjectedFault,
}

#[derive(Debug, Default)]
struct Table {
    fail: [Option<FailRule>; 6],
    latency: [Duration; 6],
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

    /// Answers the next `n` requests to `op` with `status` and the API's error
    /// body (`{"error": true, "message": CODE}`, CODE derived from the status,
    /// e.g. `SERVICE_UNAVAILABLE`), plus a `Retry-After` header when given.
    /// Replaces any failure still pending for `op`; `n == 0` clears it.
    pub fn fail_next(
        &self,
        op: Operation,
        n: u32,
        status: StatusCode,
        retry_after: Option<RetryAfter>,
    ) {
        let rule = (n > 0).then_some(FailRule {
            remaining: n,
            fault: InjectedFault {
                status,
                retry_after,
            },
        });
        self.table().fail[op.index()] = rule;
    }

    /// Adds `delay` before every answer of `op` (`Duration::ZERO` removes it).
    pub fn latency(&self, op: Operation, delay: Duration) {
        self.table().latency[op.index()] = delay;
    }

    /// How many injected failures are still pending for `op`.
    pub fn pending(&self, op: Operation) -> u32 {
        self.table().fail[op.index()]
            .as_ref()
            .map_or(0, |r| r.remaining)
    }

    /// Removes every pending failure and latency.
    pub fn clear(&self) {
        *self.table() = Table::default();
    }

    pub(crate) fn latency_of(&self, op: Operation) -> Duration {
        self.table().latency[op.index()]
    }

    /// Takes one pending failure for `op`, if any.
    pub(crate) fn take(&self, op: Operation) -> Option<InjectedFault> {
        let mut table = self.table();
        let slot = &mut table.fail[op.index()];
        let rule = slot.as_mut()?;
        let fault = rule.fault.clone();
        rule.remaining = rule.remaining.saturating_sub(1);
        if rule.remaining == 0 {
            *slot = None;
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
        f.fail_next(Operation::GetToken, 2, StatusCode::BAD_GATEWAY, None);
        assert_eq!(f.pending(Operation::GetToken), 2);
        assert!(f.take(Operation::GetToken).is_some());
        assert!(f.take(Operation::GetToken).is_some());
        assert!(f.take(Operation::GetToken).is_none());
        assert_eq!(
            RetryAfter::Date(std::time::UNIX_EPOCH).header_value(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
    }
}
