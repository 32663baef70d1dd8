//! When to try again, and how long to wait.
//!
//! Calls that mint, create or change something (`x-unleashx-retry: never`)
//! are retried only when the request provably never reached the server: a
//! retried mint, for one, would leave two live tokens.

use std::time::{Duration, SystemTime};

use crate::error::{ConfigError, Error};

/// How a call retries.
///
/// Retried: 408, 429, 502, 503, 504, timeouts and transport errors, for the
/// calls that only read (get-token, verify); for every call, a connection that
/// was never made. Waits grow exponentially with full jitter, and a
/// `Retry-After` (seconds or HTTP date) is honoured, all within the call's
/// total deadline.
///
/// ```
/// use std::time::Duration;
/// use unleashx::RetryPolicy;
/// let policy = RetryPolicy::default().max_attempts(5).initial_backoff(Duration::from_millis(50));
/// let off = RetryPolicy::disabled();
/// # let _ = (policy, off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries: one attempt per call.
    pub fn disabled() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts per call, the first included (1 means no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The cap of the first wait; each later cap doubles.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The largest wait between attempts (a `Retry-After` may ask for more).
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// Attempts per call.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.max_attempts == 0 {
            let reason = "max_attempts must be at least 1 (1 disables retries)";
            return Err(ConfigError::new(reason).into());
        }
        Ok(())
    }

    /// Full jitter: a uniform wait between zero and the capped exponential.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let cap = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

/// Whether a failed attempt may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Never (a client error, or a creating call that may have reached the server).
    No,
    /// When the call only reads.
    IfIdempotent,
    /// Always: the request never reached the server.
    Always,
}

impl Retry {
    pub(crate) fn allowed(self, idempotent: bool) -> bool {
        match self {
            Retry::No => false,
            Retry::IfIdempotent => idempotent,
            Retry::Always => true,
        }
    }

    pub(crate) fn for_status(status: u16) -> Self {
        if is_transient_status(status) {
            Retry::IfIdempotent
        } else {
            Retry::No
        }
    }
}

/// Whether `status` is the server's "not now" (408, 429, 502, 503, 504),
/// whatever its body: an [`Error::Transient`], never drift.
pub(crate) fn is_transient_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// Parses `Retry-After`: delay-seconds or an HTTP date.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_under_its_cap() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(300));
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(10) <= Duration::from_millis(300));
            assert!(p.backoff(u32::MAX) <= Duration::from_millis(300));
        }
    }

    #[test]
    fn retry_after_in_both_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(7)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-1", now), None);
    }

    #[test]
    fn only_reads_retry_on_server_trouble() {
        assert!(Retry::for_status(503).allowed(true));
        assert!(!Retry::for_status(503).allowed(false));
        assert!(!Retry::for_status(400).allowed(true));
        assert!(Retry::Always.allowed(false));
    }

    #[test]
    fn zero_attempts_is_refused() {
        assert!(RetryPolicy::default().max_attempts(0).check().is_err());
    }
}
