//! How many requests the operations' routes are answering at once, and the
//! most they answered at once.

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub(crate) struct InFlight {
    now: AtomicU64,
    max: AtomicU64,
}

impl InFlight {
    /// Counts a request in until the returned guard is dropped (answered, or
    /// abandoned by its client).
    pub(crate) fn enter(&self) -> Entered<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        Entered { counter: self }
    }

    pub(crate) fn now(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }

    pub(crate) fn max(&self) -> u64 {
        self.max.load(Ordering::SeqCst)
    }

    /// Restarts the maximum from the requests in flight now.
    pub(crate) fn reset_max(&self) {
        self.max.store(self.now(), Ordering::SeqCst);
    }
}

/// One request in flight.
#[derive(Debug)]
pub(crate) struct Entered<'a> {
    counter: &'a InFlight,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.counter.now.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_peak_and_releases_on_drop() {
        let f = InFlight::default();
        let a = f.enter();
        let b = f.enter();
        assert_eq!((f.now(), f.max()), (2, 2));
        drop(a);
        let c = f.enter();
        assert_eq!((f.now(), f.max()), (2, 2));
        let d = f.enter();
        assert_eq!((f.now(), f.max()), (3, 3));
        drop((b, c, d));
        assert_eq!((f.now(), f.max()), (0, 3));
        f.reset_max();
        assert_eq!(f.max(), 0);
    }
}
