//! A clock the simulator reads for every expiry decision.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The simulator's notion of "now", shared (cheaply cloned) between the
/// server and the test that controls it.
///
/// [`Clock::system`] follows the wall clock; [`Clock::manual`] stands still
/// until [`Clock::advance`] or [`Clock::set`] moves it, so expiry can be tested
/// without sleeping. Both kinds can be moved: on a system clock `advance` and
/// `set` shift an offset added to the wall clock.
///
/// ```
/// use std::time::Duration;
/// use unleashx_mock::Clock;
///
/// let clock = Clock::manual(1_700_000_000);
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(clock.now_unix(), 1_700_000_060);
/// ```
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<ClockInner>,
}

#[derive(Debug)]
struct ClockInner {
    manual: bool,
    /// Manual: the current time in milliseconds since the epoch.
    /// System: an offset in milliseconds added to the wall clock.
    millis: AtomicI64,
}

impl Clock {
    /// A clock that follows the system's wall clock.
    pub fn system() -> Self {
        Self::with(false, 0)
    }

    /// A clock that starts at `start_unix_seconds` and only moves when told to.
    pub fn manual(start_unix_seconds: i64) -> Self {
        Self::with(true, start_unix_seconds.saturating_mul(1000))
    }

    fn with(manual: bool, millis: i64) -> Self {
        Self {
            inner: Arc::new(ClockInner {
                manual,
                millis: AtomicI64::new(millis),
            }),
        }
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        self.inner.manual
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        let _ = self
            .inner
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |m| {
                Some(m.saturating_add(ms))
            });
    }

    /// Sets the clock to `unix_seconds`.
    pub fn set(&self, unix_seconds: i64) {
        let target = unix_seconds.saturating_mul(1000);
        let value = if self.inner.manual {
            target
        } else {
            target.saturating_sub(wall_millis())
        };
        self.inner.millis.store(value, Ordering::SeqCst);
    }

    /// The current time in milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> i64 {
        let m = self.inner.millis.load(Ordering::SeqCst);
        if self.inner.manual {
            m
        } else {
            wall_millis().saturating_add(m)
        }
    }

    /// The current time in whole seconds since the Unix epoch.
    pub fn now_unix(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// The current time as a [`SystemTime`].
    pub fn now(&self) -> SystemTime {
        let ms = self.now_millis();
        if ms >= 0 {
            UNIX_EPOCH + Duration::from_millis(ms.unsigned_abs())
        } else {
            UNIX_EPOCH - Duration::from_millis(ms.unsigned_abs())
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

fn wall_millis() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = Clock::manual(100);
        assert_eq!(c.now_unix(), 100);
        c.advance(Duration::from_millis(1500));
        assert_eq!(c.now_unix(), 101);
        c.set(5);
        assert_eq!(c.now_unix(), 5);
        let shared = c.clone();
        shared.advance(Duration::from_secs(10));
        assert_eq!(c.now_unix(), 15);
    }

    #[test]
    fn system_clock_can_be_shifted() {
        let c = Clock::system();
        let before = c.now_unix();
        c.advance(Duration::from_secs(3600));
        assert!(c.now_unix() >= before + 3600);
        c.set(42);
        assert!((42..50).contains(&c.now_unix()));
    }
}
